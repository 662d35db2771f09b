"""A coordinator re-assesses an issued plan in the browser: the request, the decision to re-assess, the plan after
re-assessment; the case page then shows the next review 12 months on and the versions page the re-assessed
version. A refusal shows the family's appeal rights. axe-core checks every page met on the way (pattern of
test_accessibility.py): no serious or critical violation.

The plan was issued on 28 April 2025 (the `issued` fixture); the re-assessment dates are fixed and in the past. The
refusal is recorded a few days before the real today, so its appeal rights are still running whenever this runs.
"""

import datetime

import pytest
from playwright.sync_api import expect

from ehcflow.deadlines.rules import mediation_contact_due, tribunal_appeal_due
from ehcflow.plans.models import PlanVersion
from ehcflow.reassessment.models import Reassessment
from tests.browser.conftest import check_radio, fill_date, sign_in
from tests.browser.test_accessibility import Audit
from tests.browser.test_journey import assert_saved, expect_deadline, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

d = datetime.date
REASSESSMENT_STEPS = 'ul[aria-labelledby="reassessment"]'
PLAN_STEPS = "h3:has-text('Next steps for this plan') + ul"


def long_date(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"


def do_step(page, audit: Audit, link: str, where: str = REASSESSMENT_STEPS) -> None:
    """Follow a step link on the case page, check its form opened, and audit the form."""
    page.locator(where).get_by_role("link", name=link, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(link)
    audit.run(link)


def submit_empty(page, audit: Audit, name: str, button: str = "Save") -> None:
    """Send the open form empty: the errors are shown, nothing is recorded, and the page is audited."""
    submit(page, button)
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    audit.run(f"{name}, with errors")


def test_reassess_and_issue_the_plan_after_reassessment(page, personas, issued):
    audit = Audit(page)
    sign_in(page, personas["coordinator"])
    case_id = issued.pk
    page.goto(f"/cases/{case_id}/")
    expect(page.locator("#reassessment")).to_have_text("Re-assessment")
    expect_deadline(page, "first_review_decision", due="27 Apr 2026")
    audit.run("case page, plan issued")

    do_step(page, audit, "Record a request for a re-assessment")
    submit_empty(page, audit, "request")
    assert not Reassessment.objects.exists()
    check_radio(page, "requested_by", "family")
    fill_date(page, "requested_on", d(2026, 5, 4))
    page.fill("#id_reasons", "Alex was diagnosed with a hearing loss in April.")
    submit(page)
    assert_saved(page, case_id, "Request for a re-assessment recorded")
    progress = page.locator('[data-list="reassessment-progress"]')
    expect(progress.locator('[data-progress="decision"]')).to_contain_text("Due by 19 May 2026")  # 15 days [U]
    expect_deadline(page, "reassessment_decision", due="19 May 2026", source="regs 24-25")
    audit.run("case page, request open")

    do_step(page, audit, "Record the decision whether to re-assess")
    submit_empty(page, audit, "decision")
    check_radio(page, "decision", "reassess")
    fill_date(page, "decision_on", d(2026, 5, 18))
    page.fill("#id_reasons", "New diagnosis: the plan's description of needs is out of date.")
    submit(page)
    assert_saved(page, case_id, "Decision recorded")
    expect(progress.locator('[data-progress="decision"]')).to_contain_text("Re-assess, notified 18 May 2026")
    expect(progress.locator('[data-progress="plan"]')).to_contain_text("Due by 24 August 2026")  # 14 weeks
    expect_deadline(page, "reassessment_decision", due="19 May 2026", status="Met")
    expect_deadline(page, "reassessment_plan", due="24 Aug 2026", source="reg 27(2)-(3)")
    expect(page.locator('[data-flag="reassessing"]')).to_be_visible()
    audit.run("case page, re-assessing")

    do_step(page, audit, "Add a need (section B)", where=PLAN_STEPS)
    check_radio(page, "area", "sensory_physical")
    page.select_option("#id_need_type", "HI")
    check_radio(page, "rank", "2")
    page.fill("#id_description", "Alex has a moderate hearing loss in both ears, diagnosed in April 2026.")
    submit(page)
    assert_saved(page, case_id, "Need added")

    do_step(page, audit, "Record an exception to the 14 weeks")
    submit_empty(page, audit, "exception")
    page.goto(f"/cases/{case_id}/")

    do_step(page, audit, "Record the plan issued after re-assessment")
    submit_empty(page, audit, "plan after re-assessment", "Issue plan")
    fill_date(page, "plan_issued_on", d(2026, 8, 10))
    submit(page, "Issue plan")
    assert_saved(page, case_id, "Plan after re-assessment recorded")

    # The plan after re-assessment is a plan made: the next review is 12 months from it (CFA s.44(1); reg 27(1)).
    expect(page.locator('[data-flag="review-after-reassessment"]')).to_contain_text("9 August 2027")
    expect_deadline(page, "review_decision_next", due="9 Aug 2027", source="reg 27(1)")
    expect_deadline(page, "first_review_decision", due="27 Apr 2026", status="Missed")  # overdue before, closed
    expect_deadline(page, "reassessment_plan", due="24 Aug 2026", status="Met")
    expect(page.locator('[data-list="reassessment-progress"]')).to_have_count(0)
    expect(page.locator(".app-timeline")).to_contain_text("next annual review decision due by 9 August 2027")
    audit.run("case page, plan after re-assessment issued")
    assert list(PlanVersion.objects.filter(plan__case_id=case_id).values_list("number", "kind")) == [
        (1, "final"), (2, "reassessed")]

    page.get_by_role("link", name="See the plan's versions and what changed").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Versions of the EHC plan")
    version_2 = page.locator('[data-table="versions"] tbody tr').nth(1)
    expect(version_2).to_contain_text("Plan after re-assessment")
    expect(version_2).to_contain_text("10 August 2026")
    expect(page.locator('[data-section="B"] [data-change="added"]')).to_contain_text("moderate hearing loss")
    audit.run("plan versions, after re-assessment")
    audit.assert_clean(at_least=14)


def test_refusal_to_reassess_shows_the_appeal_rights(page, personas, issued):
    audit = Audit(page)
    today = datetime.date.today()
    requested, refused = today - datetime.timedelta(days=10), today - datetime.timedelta(days=3)
    sign_in(page, personas["coordinator"])
    case_id = issued.pk
    page.goto(f"/cases/{case_id}/")

    do_step(page, audit, "Record a request for a re-assessment")
    check_radio(page, "requested_by", "school")
    fill_date(page, "requested_on", requested)
    submit(page)
    assert_saved(page, case_id, "Request for a re-assessment recorded")

    do_step(page, audit, "Record the decision whether to re-assess")
    check_radio(page, "decision", "refuse")
    fill_date(page, "decision_on", refused)
    submit(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("reasons for refusing")
    audit.run("decision, refusal without reasons")
    assert not Reassessment.objects.get(plan__case_id=case_id).decision
    page.fill("#id_reasons", "The needs described in the plan have not changed since the annual review.")
    submit(page)
    assert_saved(page, case_id, "Decision recorded")

    rights = page.locator('[data-flag="reassessment-appeal-rights"]')
    expect(rights).to_contain_text(f"Right to appeal the refusal of {long_date(refused)}")
    expect(rights).to_contain_text("s.51(2)(d)")
    expect(rights).to_contain_text(f"by {long_date(mediation_contact_due(refused))} (SEND Regulations 2014 reg 33)")
    expect(rights).to_contain_text(f"The appeal is due by {long_date(tribunal_appeal_due(refused))}")
    expect(page.locator('[data-table="reassessments"]')).to_contain_text("Appealable to the SEND Tribunal")
    expect(page.locator(".app-timeline")).to_contain_text("right to appeal")
    expect(page.locator('[data-list="reassessment-progress"]')).to_have_count(0)
    audit.run("case page, re-assessment refused")
    rights.get_by_role("link", name="Record mediation or an appeal under “Mediation and appeals”").click()
    expect(page.locator("#appeals")).to_be_in_viewport()
    # The refusal closed the request: a new one can be recorded.
    expect(page.locator(REASSESSMENT_STEPS)).to_contain_text("Record a request for a re-assessment")
    audit.assert_clean(at_least=4)
