"""Caseloads in the browser: a leader and a manager read them, narrow to one team without JavaScript, download
the CSV; a coordinator is refused; axe checks every state of the page."""

import csv
import io

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import Audit
from tests.teams.test_caseloads import north_model  # noqa: F401  (the fixture: coordinators in every state)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_reads_every_team(page, personas, north_model, teams):
    audit = Audit(page)
    sign_in(page, personas["leader"])
    audit.visit("caseloads, whole council", "/teams/caseloads/", heading="Caseloads")
    expect(page.locator('[data-table="teams"] [data-team="total"]')).to_contain_text("13")
    expect(page.get_by_role("heading", name="North area team")).to_be_visible()
    expect(page.get_by_role("heading", name="South area team")).to_be_visible()
    north = teams["north"].pk
    expect(page.locator(f'[data-table="coordinators-{north}"] [data-line="left"]')).to_contain_text("Left the service")
    expect(page.locator(f'[data-table="coordinators-{north}"] [data-line="no_coordinator"]')).to_contain_text("1")
    audit.visit("caseloads, one team", f"/teams/caseloads/?team={teams['south'].pk}", heading="Caseloads")
    audit.assert_clean(at_least=2)


def test_a_leader_narrows_to_one_team_without_javascript(new_context, personas, north_model, teams):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, personas["leader"])
    page.goto("/teams/caseloads/")
    page.select_option("#team", label="South area team")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert f"team={teams['south'].pk}" in page.url
    expect(page.get_by_role("heading", name="South area team")).to_be_visible()
    expect(page.get_by_role("heading", name="North area team")).to_have_count(0)
    page.get_by_role("link", name="Show all teams").click()
    expect(page.get_by_role("heading", name="North area team")).to_be_visible()


def test_a_manager_sees_their_team_and_downloads_the_csv(page, personas, north_model, teams):
    audit = Audit(page)
    sign_in(page, personas["manager"])
    audit.visit("caseloads, a manager's team", "/teams/caseloads/", heading="Caseloads")
    expect(page.get_by_role("heading", name="North area team")).to_be_visible()
    expect(page.get_by_text("South area team")).to_have_count(0)
    expect(page.get_by_text("Over maximum").first).to_be_visible()
    expect(page.get_by_role("heading", name="How the forecast is worked out")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these figures per coordinator (CSV)").click()
    with open(download.value.path(), encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(io.StringIO(f.read())))
    assert {r["Team"] for r in rows} == {"North area team"}
    assert sum(int(r["Children held"]) for r in rows) == 11
    audit.assert_clean(at_least=1)


def test_a_coordinator_is_refused(page, personas, north_model):
    sign_in(page, personas["coordinator"])
    response = page.goto("/teams/caseloads/")
    assert response is not None and response.status == 403
