"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every test here is marked ``browser``. They are skipped, with the reason given, when /usr/bin/chromium
is missing (CI installs it with apt). We never run ``playwright install``: the system Chromium is used.
"""

import datetime
import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread
# with a running loop unless told it is safe (the test thread only touches the ORM between steps).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "a-long-test-password"
BROWSER_DIR = Path(__file__).parent
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    if os.environ.get("EHCFLOW_REQUIRE_BROWSER") == "1":  # set by .ci/run: CI must never skip these
        raise pytest.UsageError(f"EHCFLOW_REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
    skip = pytest.mark.skip(reason=f"browser tests need Chromium at {CHROMIUM} (apt-get install -y chromium); "
                                   "it is missing here")
    for item in items:
        if item.get_closest_marker("browser") or BROWSER_DIR in Path(str(item.path)).parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def new_context(browser, live_server, transactional_db):
    """Make browser contexts (separate cookie jars) on the live server; all closed after the test."""
    made = []

    def make(**kwargs):
        context = browser.new_context(base_url=live_server.url, **kwargs)
        context.set_default_timeout(TIMEOUT_MS)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture
def context(new_context):
    return new_context()


@pytest.fixture
def page(context):
    return context.new_page()


def sign_in(page, user, password: str = PASSWORD) -> None:
    """Sign in through the real form, as a person would."""
    page.goto("/sign-in/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/sign-in/" not in page.url, f"sign-in failed for {user.username}: still on {page.url}"


def fill_date(page, name: str, value: datetime.date) -> None:
    """The GOV.UK date input posts <name>_0, _1, _2: day, month, year."""
    page.fill(f"#id_{name}_0", str(value.day))
    page.fill(f"#id_{name}_1", str(value.month))
    page.fill(f"#id_{name}_2", str(value.year))


def check_radio(page, name: str, value: str) -> None:
    page.check(f"input[type=radio][name={name}][value='{value}']")


def page_errors(page) -> str:
    """The text of the GOV.UK error summary, if the page has one (for assertion messages)."""
    summary = page.locator(".govuk-error-summary")
    return summary.inner_text() if summary.count() else ""


def case_id_from(page) -> int:
    match = re.search(r"/cases/(\d+)/$", page.url)
    assert match, f"not a case page: {page.url} {page_errors(page)}"
    return int(match.group(1))


@pytest.fixture
def issued(personas, transactional_db):
    """A case carried through to an issued plan naming Oakfield Primary School, held by `coordinator`."""
    from ehcflow.people.models import Setting
    from tests.conftest import advance, new_case

    school = Setting.objects.create(name="Oakfield Primary School", urn="100001", phase="primary", kind="mainstream",
                                    la_code="919")
    case = new_case(personas["coordinator"])
    return advance(case, personas["coordinator"], "plan_issued", school=school)
