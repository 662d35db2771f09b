"""axe-core on every page, in each state a person meets it: empty, with errors, at each stage of a case.

Fails on any violation axe rates "serious" or "critical" against WCAG 2.0/2.1/2.2 A and AA and axe's best
practices; the failure lists every such violation on every page checked, with its rule, help and targets.
"""

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ehcflow.cases import services
from ehcflow.people.models import Setting
from tests.browser.conftest import sign_in
from tests.conftest import advance, new_case, token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUN = """async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa',
                                                         'best-practice']})"""
FAILING_IMPACTS = {"serious", "critical"}
STAGES = ["received", "assessing", "drafting", "draft_served", "plan_issued"]
d = datetime.date


class Audit:
    """Runs axe on each page visited and keeps the serious and critical violations for one report."""

    def __init__(self, page):
        self.page = page
        self.checked: list[str] = []
        self.problems: list[str] = []

    def visit(self, name: str, url: str, *, status: int = 200, heading: str | None = None) -> None:
        response = self.page.goto(url)
        assert response is not None and response.status == status, (
            f"{name}: {url} answered {response and response.status}, expected {status}")
        self.run(name, heading=heading)

    def submit_empty(self, name: str, url: str, button: str = "Save", *, heading: str | None = None) -> None:
        """Open a form and send it without filling anything in, to audit the page with errors."""
        self.page.goto(url)
        with self.page.expect_navigation() as navigation:
            self.page.locator("#main-form").get_by_role("button", name=button).click()
        assert navigation.value.status == 400, f"{name}: expected the form back with errors"
        expect(self.page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
        self.run(name, heading=heading)

    def run(self, name: str, *, heading: str | None = None) -> None:
        h1 = self.page.locator("h1")
        expect(h1).to_have_count(1)
        if heading:
            expect(h1).to_have_text(heading)
        self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate(AXE_RUN)
        self.checked.append(name)
        for v in result["violations"]:
            if v["impact"] in FAILING_IMPACTS:
                targets = "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:10])
                self.problems.append(f"{name} ({self.page.url}): [{v['impact']}] {v['id']}: {v['help']}\n"
                                     f"    {v['helpUrl']}\n    nodes: {targets}")

    def assert_clean(self, at_least: int) -> None:
        assert len(self.checked) >= at_least, f"only {len(self.checked)} pages were checked: {self.checked}"
        assert not self.problems, (f"{len(self.problems)} serious or critical accessibility violation(s):\n"
                                   + "\n".join(self.problems))


@pytest.fixture
def audit(page):
    return Audit(page)


@pytest.fixture
def school(transactional_db):
    return Setting.objects.create(name="Oakfield Primary School", urn="100001", phase="primary", kind="mainstream",
                                  la_code="919")


@pytest.fixture
def cases(personas, school):
    """One case at each stage, carried there through the services, each for a different child."""
    coordinator = personas["coordinator"]
    made = {}
    for i, stage in enumerate(STAGES):
        case = new_case(coordinator, first_name=["Alex", "Blake", "Casey", "Devon", "Ellis"][i],
                        upn=f"{'ABCDE'[i]}123456789012")
        made[stage] = case if stage == "received" else advance(case, coordinator, stage, school=school)
    drafting = made["drafting"]
    made["consultation"] = services.consultation_send(
        actor=coordinator, case=drafting, version=drafting.version, token=token(), setting=school,
        sent_on=d(2025, 3, 25))
    refused = new_case(coordinator, first_name="Frankie", upn="F123456789012")
    services.decision_record(actor=coordinator, case=refused, version=refused.version, token=token(),
                             decided_on=d(2025, 2, 10), outcome="not_assess", reasons="Needs met at SEN support")
    made["not_assessed"] = refused
    made["advice"] = made["assessing"].advice_requests.first() or services.advice_request_send(
        actor=coordinator, case=made["assessing"], version=made["assessing"].version, token=token(),
        advice_type="ep", advisor="Dr A Okafor", sent_on=d(2025, 2, 11))
    return made


def test_public_pages(audit):
    audit.visit("sign in", "/sign-in/", heading="Sign in")
    page = audit.page
    page.fill("#id_username", "nobody")
    page.fill("#id_password", "wrong-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit.run("sign in with errors", heading="Sign in")
    audit.visit("timescale calculator", "/timescales/", heading="EHC timescale calculator")
    audit.visit("timescale calculator with results", "/timescales/?event=request_received&date_0=6&date_1=1&date_2=2025",
                heading="EHC timescale calculator")
    expect(page.locator("[data-key=final_plan]")).to_contain_text("26 May 2025")
    audit.visit("timescale calculator with errors", "/timescales/?event=&date_0=31&date_1=2&date_2=2025", status=400,
                heading="EHC timescale calculator")
    expect(page.locator(".govuk-error-summary")).to_contain_text("must be a real date")
    audit.assert_clean(at_least=5)


def test_caseloads_and_recording_a_request(audit, personas, cases):
    sign_in(audit.page, personas["coordinator"])
    audit.visit("my caseload", "/caseload/", heading="My caseload")
    expect(audit.page.locator("main")).to_contain_text("Alex Testerby")
    audit.visit("team caseload", "/caseload/team/", heading="Team cases")
    audit.visit("team caseload, filtered", "/caseload/team/?stage=drafting&rag=red&q=Casey&sort=-deadline",
                heading="Team cases")
    audit.visit("record a request", "/cases/new/", heading="Record a request for an EHC needs assessment")
    audit.submit_empty("record a request with errors", "/cases/new/", "Record request",
                       heading="Record a request for an EHC needs assessment")
    child = cases["not_assessed"].child_id
    audit.visit("record a new request for a known child", f"/cases/new/?child={child}",
                heading="Record a request for an EHC needs assessment")
    audit.submit_empty("record a new request for a known child, with errors", f"/cases/new/?child={child}",
                       "Record request", heading="Record a request for an EHC needs assessment")
    audit.assert_clean(at_least=7)


def test_whole_council_caseload(audit, personas, cases):
    sign_in(audit.page, personas["leader"])
    audit.visit("all cases (service leader)", "/caseload/team/", heading="All cases")
    audit.assert_clean(at_least=1)


def test_case_page_at_each_stage_and_the_plan(audit, personas, cases):
    sign_in(audit.page, personas["coordinator"])
    for stage in STAGES:
        case = cases[stage]
        audit.visit(f"case page, {stage}", f"/cases/{case.pk}/", heading=case.child.full_name)
    refused = cases["not_assessed"]
    audit.visit("case page, decided not to assess", f"/cases/{refused.pk}/", heading=refused.child.full_name)
    audit.visit("plan page, draft", f"/cases/{cases['drafting'].pk}/plan/")
    audit.visit("plan page, final", f"/cases/{cases['plan_issued'].pk}/plan/")
    expect(audit.page.locator("section[aria-labelledby=sec-i]")).to_contain_text("Oakfield Primary School")
    audit.assert_clean(at_least=8)


def test_every_step_form(audit, personas, cases):
    sign_in(audit.page, personas["coordinator"])
    steps = {
        "received": ["decision", "exception", "withdraw"],
        "assessing": ["advice", "outcome", "exception", "withdraw", f"advice-returned/{cases['advice'].pk}"],
        "drafting": ["plan-sections", "need", "plan-outcome", "provision", "consultation", "draft",
                     f"consultation-response/{cases['consultation'].pk}"],
        "draft_served": ["comments", "consultation", "final"],
    }
    for stage, slugs in steps.items():
        for slug in slugs:
            audit.visit(f"step {slug} ({stage})", f"/cases/{cases[stage].pk}/{slug}/")
    audit.assert_clean(at_least=18)


def test_step_forms_with_errors(audit, personas, cases):
    sign_in(audit.page, personas["coordinator"])
    received, drafting, served = cases["received"].pk, cases["drafting"].pk, cases["draft_served"].pk
    audit.submit_empty("decision with errors", f"/cases/{received}/decision/",
                       heading="Record the decision whether to assess")
    audit.submit_empty("exception with errors", f"/cases/{received}/exception/")
    audit.submit_empty("provision with errors", f"/cases/{drafting}/provision/", heading="Add provision (section F)")
    audit.submit_empty("need with errors", f"/cases/{drafting}/need/")
    audit.submit_empty("final plan with errors", f"/cases/{served}/final/", "Issue final plan")
    audit.assert_clean(at_least=5)
