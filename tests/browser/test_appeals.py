"""A coordinator records a refusal to assess, mediation and the appeal in the browser; axe checks the new pages."""

import datetime

import pytest
from playwright.sync_api import expect

from ehcflow.cases import services
from tests.browser.conftest import check_radio, fill_date, sign_in
from tests.browser.test_accessibility import Audit
from tests.browser.test_journey import assert_saved, expect_deadline, submit
from tests.conftest import fresh, new_case, token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

d = datetime.date


@pytest.fixture
def refused(personas, transactional_db):
    case = new_case(personas["coordinator"])
    services.decision_record(actor=personas["coordinator"], case=case, version=case.version, token=token(),
                             decided_on=d(2025, 2, 10), outcome="not_assess", reasons="Needs met at SEN support")
    return fresh(case)


def do_step(page, link: str) -> None:
    page.get_by_role("link", name=link, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(link)


def test_mediation_and_appeal_after_a_refusal_to_assess(page, personas, refused):
    audit = Audit(page)
    sign_in(page, personas["coordinator"])
    case_id = refused.pk
    audit.visit("case page of a refusal", f"/cases/{case_id}/")
    expect(page.locator("#appeals")).to_have_text("Mediation and appeals")

    do_step(page, "Record the notice of an appealable decision")
    audit.run("notice")
    check_radio(page, "kind", "cease")  # not possible on a refusal to assess
    fill_date(page, "notice_sent_on", d(2025, 2, 10))
    submit(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("can only be")
    audit.run("notice, with errors")
    check_radio(page, "kind", "refuse_assess")
    submit(page)
    assert_saved(page, case_id, "Notice recorded")
    expect_deadline(page, "mediation_contact", due="10 Apr 2025", status="Not needed")  # the family's time passed: information only

    do_step(page, "Record the family's contact with the mediation adviser")
    audit.run("mediation contact")
    fill_date(page, "contacted_on", d(2025, 3, 3))
    check_radio(page, "wanted", "no")
    submit(page)
    assert_saved(page, case_id, "Mediation contact recorded")
    expect_deadline(page, "mediation_certificate", due="6 Mar 2025", status="Missed")

    do_step(page, "Record the mediation certificate issued")
    fill_date(page, "issued_on", d(2025, 3, 6))
    submit(page)
    assert_saved(page, case_id, "Certificate recorded")
    expect_deadline(page, "mediation_certificate", status="Met")

    do_step(page, "Record an appeal registered by the Tribunal")
    audit.run("appeal registered")
    fill_date(page, "registered_on", d(2025, 4, 1))
    submit(page)
    assert_saved(page, case_id, "Appeal recorded")
    expect_deadline(page, "tribunal_appeal", due="10 Apr 2025", status="Met")
    expect(page.locator('[data-table="disagreements"]')).to_contain_text("Pending")
    audit.visit("case page with an appeal", f"/cases/{case_id}/")
    audit.assert_clean(at_least=5)


def test_mediation_held_then_certificate_then_appeal_and_the_work_list(page, personas, refused):
    """The family wants mediation: it is held, the mediator's certificate follows, the appeal is registered; the
    appeals work list shows where it is, and filters by where. Axe checks every page."""
    audit = Audit(page)
    sign_in(page, personas["coordinator"])
    case_id = refused.pk
    page.goto(f"/cases/{case_id}/")
    do_step(page, "Record the notice of an appealable decision")
    check_radio(page, "kind", "refuse_assess")
    fill_date(page, "notice_sent_on", d(2025, 2, 10))
    submit(page)
    assert_saved(page, case_id, "Notice recorded")

    do_step(page, "Record the family's contact with the mediation adviser")
    fill_date(page, "contacted_on", d(2025, 3, 3))
    check_radio(page, "wanted", "yes")
    submit(page)
    assert_saved(page, case_id, "Mediation contact recorded")
    expect_deadline(page, "mediation_held", due="2 Apr 2025", status="Missed")  # 30 days; today is long after

    page.get_by_role("link", name="Appeals", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mediation and appeals")
    row = page.locator(f'[data-disagreement="{refused.disagreements.get().pk}"]')
    expect(row).to_contain_text("Mediation wanted: to be held")
    expect(row).to_contain_text("Mediation held (within 30 days of the family asking for it)")
    expect(row).to_contain_text("overdue")
    audit.run("appeals work list")

    page.goto(f"/cases/{case_id}/")
    do_step(page, "Record mediation held")
    audit.run("mediation held")
    fill_date(page, "held_on", d(2025, 3, 2))  # before the family asked for it
    submit(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("on or after the contact with the mediation adviser")
    audit.run("mediation held, with errors")
    fill_date(page, "held_on", d(2025, 3, 20))
    submit(page)
    assert_saved(page, case_id, "Mediation recorded")
    expect_deadline(page, "mediation_held", due="2 Apr 2025", status="Met")
    expect_deadline(page, "mediation_certificate_after", due="25 Mar 2025", status="Missed")

    do_step(page, "Record the mediation certificate issued")
    fill_date(page, "issued_on", d(2025, 3, 25))
    submit(page)
    assert_saved(page, case_id, "Certificate recorded")
    expect_deadline(page, "mediation_certificate_after", status="Met")
    expect(page.locator('[data-table="disagreements"]')).to_contain_text("held 20 Mar 2025")

    do_step(page, "Record an appeal registered by the Tribunal")
    fill_date(page, "registered_on", d(2025, 4, 22))
    submit(page)
    assert_saved(page, case_id, "Appeal recorded")
    expect_deadline(page, "tribunal_appeal", due="25 Apr 2025", status="Met")  # 1 month after the certificate

    audit.visit("appeals work list with an appeal", "/appeals/")
    expect(row).to_contain_text("Appeal registered: awaiting the Tribunal")
    page.select_option("#where", "mediation")
    page.get_by_role("button", name="Apply filter").click()
    expect(page.locator("#appeals-count")).to_have_text("0 open disagreements")
    audit.run("appeals work list, filtered")
    page.select_option("#where", "appeal")
    page.get_by_role("button", name="Apply filter").click()
    expect(page.locator("#appeals-count")).to_have_text("1 open disagreement")
    page.get_by_role("link", name="Alex Testerby").click()
    expect(page.locator("#appeals")).to_have_text("Mediation and appeals")
    audit.assert_clean(at_least=5)
