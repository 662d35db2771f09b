"""A coordinator carries a plan through ceasing, and another through a transfer out, in the browser; axe-core
checks every new page (pattern of test_accessibility.py)."""

import datetime

import pytest
from playwright.sync_api import expect

from ehcflow.cases.models import Case
from ehcflow.ceasing.models import Cessation
from tests.browser.conftest import check_radio, fill_date, sign_in
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
