"""A coordinator carries a phase transfer (primary -> secondary) through in the browser, from the work list to
the amended plan naming the new school; a school of the wrong phase is refused; axe-core checks every new page
(pattern of test_accessibility.py). Dates are relative to today: the live server runs on the real clock."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ehcflow.deadlines.phase_transfer import next_september
from ehcflow.people.models import Setting
from ehcflow.transfers.models import PhaseTransfer
from tests.browser.conftest import fill_date, sign_in
from tests.browser.test_accessibility import Audit
from tests.browser.test_journey import assert_saved, expect_deadline, submit
from tests.conftest import advance, new_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN_STEPS = "h3:has-text('Next steps for this plan') + ul"


def do_step(page, link: str) -> None:
    page.locator(PLAN_STEPS).get_by_role("link", name=link, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(link)


@pytest.fixture
def issued(personas, transactional_db):
    school = Setting.objects.create(name="Oakfield Primary School", urn="100001", phase="primary", kind="mainstream",
                                    la_code="919")
    Setting.objects.create(name="Beech Hill High School", urn="100010", phase="secondary", kind="mainstream")
    september = next_september(timezone.localdate())
    # In Year 6 now: Year 7 on the coming 1 September.
    case = new_case(personas["coordinator"], date_of_birth=datetime.date(september.year - 12, 12, 1))
    return advance(case, personas["coordinator"], "plan_issued", school=school)


def test_phase_transfer_through_the_browser(page, personas, issued):
    audit = Audit(page)
    today = timezone.localdate()
    due = datetime.date(next_september(today).year, 2, 14)
    sign_in(page, personas["coordinator"])
    case_id = issued.pk

    audit.visit("phase transfer work list", "/transfers/", heading="Phase transfers")
    row = page.locator('[data-table="transfers"] tbody tr')
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Primary school to secondary school (Year 7)")
    expect(row).to_contain_text("Not started")
    row.get_by_role("link", name="Alex Testerby").click()

    expect(page.locator("#phase-transfer")).to_have_text("Phase transfer")
    expect(page.locator('[data-field="due"]')).to_contain_text(f"{due.day} {due:%B %Y}")
    expect_deadline(page, "phase_transfer_amendment", due=f"{due.day} {due:%b %Y}")
    audit.run("case page with a phase transfer due")

    do_step(page, "Start the phase transfer")
    audit.run("start the phase transfer")
    page.select_option("#id_preferred_setting", label="Beech Hill High School (URN 100010)")
    submit(page)
    assert_saved(page, case_id, "Phase transfer started")
    expect(page.locator('[data-field="progress"]')).to_contain_text("Started")

    do_step(page, "Record the new school or college agreed")
    page.select_option("#id_new_setting", label="Oakfield Primary School (URN 100001)")
    fill_date(page, "agreed_on", today)
    submit(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Oakfield Primary School cannot be named")
    audit.run("new setting refused: wrong phase")
    page.select_option("#id_new_setting", label="Beech Hill High School (URN 100010)")
    submit(page)
    assert_saved(page, case_id, "New setting recorded")

    do_step(page, "Issue the amended plan naming the new setting")
    audit.run("issue the amended plan")
    fill_date(page, "completed_on", today)
    submit(page, "Issue amended plan")
    assert_saved(page, case_id, "Amended plan issued for the phase transfer")
    expect_deadline(page, "phase_transfer_amendment", status="Met")
    expect(page.locator('[data-field="progress"]')).to_contain_text("Completed")
    transfer = PhaseTransfer.objects.get()
    assert transfer.status == "completed" and transfer.new_setting.name == "Beech Hill High School"

    audit.visit("phase transfer work list, completed", "/transfers/", heading="Phase transfers")
    expect(page.locator('[data-table="transfers"] tbody tr')).to_contain_text("Completed")
    audit.assert_clean(at_least=6)
