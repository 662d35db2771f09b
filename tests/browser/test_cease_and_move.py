"""A coordinator carries a plan through ceasing, and another through a transfer out, in the browser; axe-core
checks every new page (pattern of test_accessibility.py). Moves also: a plan transferred in recorded through the
page, and a move that falls through cancelled."""

import datetime

import pytest
from playwright.sync_api import expect

from ehcflow.cases.models import Case
from ehcflow.ceasing.models import Cessation
from tests.browser.conftest import case_id_from, check_radio, fill_date, sign_in
from tests.browser.test_accessibility import Audit
from tests.browser.test_journey import assert_saved, expect_deadline, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

d = datetime.date


def do_step(page, link: str) -> None:
    page.get_by_role("link", name=link, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(link)


def test_cease_a_plan(page, personas, issued):
    sign_in(page, personas["coordinator"])
    case_id = issued.pk
    page.goto(f"/cases/{case_id}/")
    expect(page.locator("#ceasing")).to_have_text("Ceasing the plan")
    expect(page.locator('[data-flag="age-limit-date"]')).to_contain_text("31 July 2042")

    do_step(page, "Propose to cease the plan")
    check_radio(page, "reason", "3")  # higher education: refused for a child
    fill_date(page, "proposed_on", d(2026, 1, 5))
    submit(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("over compulsory school age")
    check_radio(page, "reason", "2")
    submit(page)
    assert_saved(page, case_id, "Proposal to cease recorded")

    do_step(page, "Record the consultation about ceasing")
    fill_date(page, "consulted_on", d(2026, 1, 12))
    page.fill("#id_views", "Parents and school agree Alex's needs are met at SEN support.")
    submit(page)
    assert_saved(page, case_id, "Consultation recorded")

    do_step(page, "Record the decision and the notice with appeal rights")
    check_radio(page, "decision", "cease")
    fill_date(page, "decision_on", d(2026, 1, 19))
    fill_date(page, "notice_sent_on", d(2026, 1, 19))
    submit(page)
    assert_saved(page, case_id, "Decision recorded")

    do_step(page, "Record an appeal against ceasing")
    fill_date(page, "registered_on", d(2026, 1, 26))
    submit(page)
    assert_saved(page, case_id, "Appeal recorded")
    expect(page.locator('[data-table="cessations"]')).to_contain_text("Pending: plan maintained")
    expect(page.get_by_role("link", name="Record the plan as ceased", exact=True)).to_have_count(0)

    do_step(page, "Record the outcome of the appeal")
    check_radio(page, "outcome", "dismissed")
    fill_date(page, "concluded_on", d(2026, 1, 30))
    submit(page)
    assert_saved(page, case_id, "Outcome recorded")

    do_step(page, "Record the plan as ceased")
    fill_date(page, "ceased_on", d(2026, 2, 2))
    submit(page, "Cease plan")
    assert_saved(page, case_id, "Plan ceased")
    expect(page.locator(".govuk-tag").first).to_have_text("Plan ceased")
    expect_deadline(page, "first_review_decision", status="Not needed")
    expect(page.get_by_role("link", name="Arrange the annual review", exact=True)).to_have_count(0)
    assert Case.objects.get(pk=case_id).stage == "ceased"
    assert Cessation.objects.get(plan__case_id=case_id).ceased_on == d(2026, 2, 2)


def test_transfer_a_plan_out(page, personas, issued):
    sign_in(page, personas["coordinator"])
    case_id = issued.pk
    page.goto(f"/cases/{case_id}/")
    do_step(page, "Record a move to another council")
    page.fill("#id_other_la_code", "208")
    page.fill("#id_other_la_name", "Lambeth")
    fill_date(page, "learnt_on", d(2025, 12, 15))
    fill_date(page, "move_on", d(2025, 12, 19))
    submit(page)
    assert_saved(page, case_id, "Move recorded")
    expect_deadline(page, "plan_transfer", due="7 Jan 2026", source="reg 15(2)")

    do_step(page, "Record the plan sent to the new council")
    fill_date(page, "transferred_on", d(2026, 1, 6))
    submit(page)
    assert_saved(page, case_id, "Plan sent and ceased here")
    expect_deadline(page, "plan_transfer", status="Met")
    expect(page.locator('[data-table="cessations"]')).to_contain_text("Transferred to another local authority")
    assert Case.objects.get(pk=case_id).stage == "ceased"


def test_cease_and_move_pages_are_accessible(page, personas, issued):
    from tests.ceasing.conftest import consult, propose
    from tests.moves.test_moves_services import move_in

    audit = Audit(page)
    actor = personas["coordinator"]
    sign_in(page, actor)
    case, plan = issued, issued.plan
    audit.visit("case page with the ceasing and moves sections", f"/cases/{case.pk}/")
    audit.visit("plans ending", "/ceasing/", heading="Plans reaching their age limit")
    audit.visit("transfer in", "/moves/in/", heading="Record a plan transferred from another council")
    audit.submit_empty("transfer in, with errors", "/moves/in/", button="Record plan transferred in")
    audit.visit("propose to cease", f"/cases/{case.pk}/cease-propose/{plan.pk}/")
    audit.submit_empty("propose to cease, with errors", f"/cases/{case.pk}/cease-propose/{plan.pk}/")
    audit.visit("move out", f"/cases/{case.pk}/move-out/{plan.pk}/")
    audit.submit_empty("move out, with errors", f"/cases/{case.pk}/move-out/{plan.pk}/")
    propose(case, actor)
    cessation = Cessation.objects.get(plan=plan)
    audit.visit("consultation", f"/cases/{case.pk}/cease-consult/{cessation.pk}/")
    audit.visit("cease refused before the decision", f"/cases/{case.pk}/cease/{cessation.pk}/", status=409)
    consult(case, actor)
    audit.visit("decision", f"/cases/{case.pk}/cease-decide/{cessation.pk}/")
    audit.submit_empty("decision, with errors", f"/cases/{case.pk}/cease-decide/{cessation.pk}/")
    audit.visit("case page with a proposal to cease", f"/cases/{case.pk}/")
    moved = move_in(actor, transferred_on=d(2026, 1, 12))
    audit.visit("case page of a plan transferred in", f"/cases/{moved.pk}/")
    transfer = moved.plan.la_transfers.get()
    audit.visit("family told", f"/cases/{moved.pk}/move-in-notified/{transfer.pk}/")
    audit.assert_clean(at_least=15)


# --- Moves between councils: a plan transferred in, and a move that falls through (ehcflow.moves) -----------

def test_record_a_plan_transferred_in(page, personas, issued):
    """The whole plan as received, through the page; then the family's reg 15(4) notice. axe on each page."""
    from ehcflow.moves.models import LaTransfer
    from ehcflow.plans.models import PlanVersion

    audit = Audit(page)
    sign_in(page, personas["coordinator"])
    page.goto("/ceasing/")
    page.get_by_role("link", name="Record a plan transferred in from another council").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a plan transferred from another council")
    audit.run("transfer in")
    page.fill("#id_first_name", "Casey")
    page.fill("#id_last_name", "Mover")
    fill_date(page, "date_of_birth", d(2015, 5, 5))
    check_radio(page, "sex", "F")
    page.fill("#id_upn", "C123456789012")
    check_radio(page, "looked_after", "False")
    page.fill("#id_postcode", "SG14 1AA")
    page.fill("#id_carer1_first_name", "Jo")
    page.fill("#id_carer1_last_name", "Mover")
    page.fill("#id_carer1_relationship", "Mother")
    page.fill("#id_carer1_address", "1 New Street, Hertford")
    page.fill("#id_other_la_code", "208")
    page.fill("#id_other_la_name", "Lambeth")
    fill_date(page, "learnt_on", d(2026, 11, 3))  # after the transfer: refused
    fill_date(page, "transferred_on", d(2026, 11, 2))
    fill_date(page, "plan_issued_on", d(2024, 6, 3))
    fill_date(page, "plan_or_last_review_on", d(2026, 5, 20))
    page.select_option("#id_named_setting", label="Oakfield Primary School (URN 100001)")
    page.select_option("#id_need1_area", "communication")
    page.select_option("#id_need1_need_type", "SLCN")
    page.fill("#id_need1_description", "Casey has a severe expressive language disorder.")
    page.fill("#id_section_a_views", "Casey loves trains.")
    page.select_option("#id_outcome1_area", "communication")
    page.fill("#id_outcome1_text", "Casey will use five-word sentences in class")
    page.select_option("#id_provision1_area", "communication")
    page.fill("#id_provision1_support", "Speech and language therapy programme")
    page.fill("#id_provision1_provider", "Speech and language therapist")
    page.fill("#id_provision1_frequency", "Once a week")
    page.fill("#id_provision1_duration", "45 minutes")
    page.check("#id_provision1_needs_0")
    page.check("#id_provision1_outcomes_0")
    submit(page, "Record plan transferred in")
    expect(page.locator(".govuk-error-summary")).to_contain_text("on or after the date this council learnt of the move")
    audit.run("transfer in, with errors")
    assert not LaTransfer.objects.exists()
    fill_date(page, "learnt_on", d(2026, 10, 26))
    submit(page, "Record plan transferred in")
    case_id = case_id_from(page)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Plan transferred in recorded")
    expect_deadline(page, "transfer_family_notice", due="14 Dec 2026", source="reg 15(4)")
    expect_deadline(page, "transfer_review", due="19 May 2027", source="reg 15(5)")
    expect(page.locator('[data-table="transfers"]')).to_contain_text("Lambeth (208)")
    audit.run("case page of a plan transferred in")
    assert PlanVersion.objects.get(plan__case_id=case_id).kind == "moved_in"

    page.get_by_role("link", name="Read the plan").click()
    expect(page.locator("main")).to_contain_text("severe expressive language disorder")
    audit.run("plan transferred in")
    page.goto(f"/cases/{case_id}/")

    do_step(page, "Record the family told about the transfer")
    audit.run("family told")
    fill_date(page, "notified_on", d(2026, 11, 16))
    fill_date(page, "review_proposed_on", d(2027, 6, 1))  # after the reg 15(5) date: refused
    check_radio(page, "will_assess", "no")
    submit(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("The review must be held by 19 May 2027")
    audit.run("family told, with errors")
    fill_date(page, "review_proposed_on", d(2027, 4, 20))
    submit(page)
    assert_saved(page, case_id, "Family's notice recorded")
    expect_deadline(page, "transfer_family_notice", status="Met")
    expect(page.locator('[data-table="transfers"]')).to_contain_text("Does not propose to assess")
    transfer = LaTransfer.objects.get(plan__case_id=case_id)
    assert (transfer.will_assess, transfer.review_proposed_on) == (False, d(2027, 4, 20))
    audit.assert_clean(at_least=6)


def test_cancel_a_move_that_falls_through(page, personas, issued):
    """A move out with the health body question, the reg 16 notice, then the move cancelled. axe on each page."""
    from ehcflow.moves.models import LaTransfer

    audit = Audit(page)
    sign_in(page, personas["coordinator"])
    case_id = issued.pk
    page.goto(f"/cases/{case_id}/")
    do_step(page, "Record a move to another council")
    audit.run("move out, with the health commissioning body question")
    page.fill("#id_other_la_code", "208")
    page.fill("#id_other_la_name", "Lambeth")
    fill_date(page, "learnt_on", d(2026, 11, 2))
    fill_date(page, "move_on", d(2026, 12, 18))
    check_radio(page, "health_body_changes", "unknown")
    submit(page)
    assert_saved(page, case_id, "Move recorded")
    expect_deadline(page, "plan_transfer", due="18 Dec 2026", source="reg 15(2)")
    expect_deadline(page, "health_body_notice", due="18 Dec 2026", source="reg 16")
    audit.run("case page with a move pending")

    do_step(page, "Record the notice to the new health commissioning body")
    audit.run("health commissioning body notice")
    check_radio(page, "health_body_changes", "yes")
    submit(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date the new health commissioning body")
    audit.run("health commissioning body notice, with errors")
    fill_date(page, "notified_on", d(2026, 11, 9))
    submit(page)
    assert_saved(page, case_id, "Health commissioning body notice recorded")
    expect_deadline(page, "health_body_notice", status="Met")

    do_step(page, "Cancel the move: the family is not moving")
    audit.run("cancel the move")
    fill_date(page, "cancelled_on", d(2026, 10, 30))  # before the council learnt of the move: refused
    page.fill("#id_reason", "The family's new tenancy fell through")
    submit(page, "Cancel the move")
    expect(page.locator(".govuk-error-summary")).to_contain_text("learnt of the move (2 November 2026)")
    audit.run("cancel the move, with errors")
    assert LaTransfer.objects.get().is_open
    fill_date(page, "cancelled_on", d(2026, 11, 16))
    submit(page, "Cancel the move")
    assert_saved(page, case_id, "Move cancelled")
    expect(page.locator('[data-deadline="plan_transfer"]')).to_have_count(0)
    expect(page.locator('[data-deadline="health_body_notice"]')).to_have_count(0)
    expect(page.locator('[data-table="transfers"]')).to_contain_text("new tenancy fell through")
    expect(page.get_by_role("link", name="Record a move to another council", exact=True)).to_have_count(1)
    expect(page.get_by_role("link", name="Cancel the move: the family is not moving", exact=True)).to_have_count(0)
    assert Case.objects.get(pk=case_id).stage == "plan_issued"
    audit.run("case page after a cancelled move")
    audit.assert_clean(at_least=7)
