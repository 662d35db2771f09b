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
