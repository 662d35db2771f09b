"""A coordinator carries an issued plan through annual review -> amendment -> final amended plan in the
browser, then compares the versions; axe-core checks every new page (pattern of test_accessibility.py)."""

import datetime

import pytest
from playwright.sync_api import expect

from ehcflow.plans.models import PlanVersion
from ehcflow.reviews.models import Amendment, AnnualReview
from tests.browser.conftest import check_radio, fill_date, sign_in
from tests.browser.test_accessibility import Audit
from tests.browser.test_journey import assert_saved, expect_deadline, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

d = datetime.date
PLAN_STEPS = "h3:has-text('Next steps for this plan') + ul"


def do_step(page, link: str) -> None:
    """Follow a link under "Next steps for this plan" (in the Annual reviews section) to its form."""
    page.locator(PLAN_STEPS).get_by_role("link", name=link, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(link)


def test_review_amendment_and_final_amended_plan(page, personas, issued):
    sign_in(page, personas["coordinator"])
    case_id = issued.pk
    page.goto(f"/cases/{case_id}/")
    expect(page.locator("#annual-reviews")).to_have_text("Annual reviews")
    expect(page.locator('[data-flag="year-group"]')).to_contain_text("Year")

    do_step(page, "Arrange the annual review")
    fill_date(page, "meeting_on", d(2025, 11, 3))
    check_radio(page, "arranged_by", "la")
    submit(page)
    assert_saved(page, case_id, "Annual review arranged")
    expect_deadline(page, "review_notice", due="20 Oct 2025")

    do_step(page, "Record the review invitations and advice sent")
    fill_date(page, "sent_on", d(2025, 10, 20))
    submit(page)
    assert_saved(page, case_id, "Invitations recorded")
    expect_deadline(page, "review_notice", status="Met")

    do_step(page, "Record the review meeting held")
    fill_date(page, "held_on", d(2025, 11, 3))
    submit(page)
    assert_saved(page, case_id, "Review meeting recorded")

    do_step(page, "Record the review report received")
    fill_date(page, "received_on", d(2025, 11, 14))
    submit(page)
    assert_saved(page, case_id, "Review report recorded")

    do_step(page, "Record the council's review decision")
    check_radio(page, "decision", "amend")
    fill_date(page, "decision_on", d(2025, 12, 1))
    page.fill("#id_proposals", "Add a secondary need: expressive language delay; weekly speech and language therapy")
    submit(page)
    assert_saved(page, case_id, "Review decision recorded")
    expect_deadline(page, "review_decision", due="1 Dec 2025", status="Met")
    expect_deadline(page, "amended_plan_final", due="26 Jan 2026", source="reg 22(3)-(4)")
    expect_deadline(page, "amendment_representations_close", due="15 Dec 2025", source="reg 22(2)")

    do_step(page, "Add a need (section B)")
    check_radio(page, "area", "communication")
    page.select_option("#id_need_type", "SLCN")
    check_radio(page, "rank", "2")
    page.fill("#id_description", "Alex's expressive language is delayed by about two years.")
    submit(page)
    assert_saved(page, case_id, "Need added")

    do_step(page, "Record the family's views on the proposed amendments")
    fill_date(page, "received_on", d(2025, 12, 10))
    page.fill("#id_representations", "We agree and ask for the therapy to be weekly.")
    submit(page)
    assert_saved(page, case_id, "Family's views recorded")

    do_step(page, "Issue the amended plan or a notice of not amending")
    check_radio(page, "outcome", "amended")
    fill_date(page, "completed_on", d(2026, 1, 20))
    submit(page, "Issue")
    assert_saved(page, case_id, "Amendment completed")
    expect_deadline(page, "amended_plan_final", status="Met")
    expect(page.locator(PLAN_STEPS)).to_contain_text("Arrange the annual review")

    assert AnnualReview.objects.get(plan__case_id=case_id).decision == "amend"
    assert Amendment.objects.get(plan__case_id=case_id).outcome == "amended"
    assert list(PlanVersion.objects.filter(plan__case_id=case_id).values_list("number", "kind")) == [
        (1, "final"), (2, "amended")]

    page.goto(f"/cases/{case_id}/plan/")
    page.get_by_role("link", name="Versions of this plan (2) and what changed").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Versions of the EHC plan")
    added = page.locator('[data-section="B"] [data-change="added"]')
    expect(added).to_contain_text("expressive language is delayed")
    expect(page.locator('[data-section="F"]')).to_contain_text("No change")


def test_review_pages_are_accessible(page, personas, issued):
    from tests.reviews.conftest import arrange, decide, meeting, report

    audit = Audit(page)
    sign_in(page, personas["coordinator"])
    case = issued
    plan = case.plan
    audit.visit("case page, plan issued, with the review section", f"/cases/{case.pk}/")
    audit.visit("arrange the annual review", f"/cases/{case.pk}/review-arrange/{plan.pk}/",
                heading="Arrange the annual review")
    audit.submit_empty("arrange the annual review, with errors", f"/cases/{case.pk}/review-arrange/{plan.pk}/")
    actor = personas["coordinator"]
    arrange(case, actor)
    review = AnnualReview.objects.get(plan=plan)
    audit.visit("review invitations", f"/cases/{case.pk}/review-invitations/{review.pk}/")
    audit.visit("review meeting", f"/cases/{case.pk}/review-meeting/{review.pk}/")
    audit.submit_empty("review meeting, with errors", f"/cases/{case.pk}/review-meeting/{review.pk}/")
    audit.visit("review decision refused before the meeting", f"/cases/{case.pk}/review-decision/{review.pk}/",
                status=409)
    meeting(case, actor)
    report(case, actor)
    audit.visit("review decision", f"/cases/{case.pk}/review-decision/{review.pk}/")
    audit.submit_empty("review decision, with errors", f"/cases/{case.pk}/review-decision/{review.pk}/")
    decide(case, actor)
    amendment = Amendment.objects.get(plan=plan)
    audit.visit("case page with an open amendment", f"/cases/{case.pk}/")
    audit.visit("family's views", f"/cases/{case.pk}/amendment-representations/{amendment.pk}/")
    audit.visit("issue the amended plan", f"/cases/{case.pk}/amendment-finalise/{amendment.pk}/")
    audit.submit_empty("issue the amended plan, with errors", f"/cases/{case.pk}/amendment-finalise/{amendment.pk}/",
                       "Issue")
    audit.visit("plan versions, one version", f"/cases/{case.pk}/plan/versions/", heading="Versions of the EHC plan")
    from tests.reviews.conftest import finalise

    finalise(case, actor, completed_on=d(2025, 12, 20))
    audit.visit("plan versions compared", f"/cases/{case.pk}/plan/versions/?from=1&to=2",
                heading="Versions of the EHC plan")
    audit.visit("plan with versions", f"/cases/{case.pk}/plan/")
    audit.assert_clean(at_least=14)
