"""A coordinator's whole journey, click by click, in a real browser; and the ways it can go wrong.

Dates are fixed in the past (the app compares them with the real today): a request on 6 January 2025
puts the decision due on 17 February, the decision not to issue on 28 April and the final plan on 26 May.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from ehcflow.cases.models import Case, TimelineEvent
from ehcflow.people.models import Setting
from tests.browser.conftest import case_id_from, check_radio, fill_date, page_errors, sign_in
from tests.conftest import new_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

d = datetime.date
ACTIONS = "h2:has-text('What you can do now') + ul"


def do_step(page, link: str) -> None:
    """Follow a link under "What you can do now" and check the step form opened."""
    page.locator(ACTIONS).get_by_role("link", name=link, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(link)


def submit(page, button: str = "Save") -> None:
    page.locator("#main-form").get_by_role("button", name=button).click()
    page.wait_for_load_state()


def assert_saved(page, case_id: int, message: str) -> None:
    assert page.url.endswith(f"/cases/{case_id}/"), f"expected the case page, got {page.url} {page_errors(page)}"
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(message)
    expect(page.locator(".govuk-error-summary")).to_have_count(0)


def deadline(page, key: str):
    return page.locator(f'[data-deadline="{key}"]')


def expect_deadline(page, key: str, *, due: str | None = None, status: str | None = None,
                    source: str | None = None) -> None:
    row = deadline(page, key)
    expect(row).to_have_count(1)
    cells = row.locator("td")
    if due:
        expect(cells.nth(1)).to_contain_text(due)
    if status:
        expect(cells.nth(2).locator(".govuk-tag")).to_have_text(status)
    if source:
        expect(cells.nth(3)).to_contain_text(source)


def record_request(page, *, first_name="Alex", upn="A123456789012", received=d(2025, 1, 6)) -> int:
    page.goto("/cases/new/")
    page.fill("#id_first_name", first_name)
    page.fill("#id_last_name", "Testerby")
    fill_date(page, "date_of_birth", d(2017, 3, 27))
    check_radio(page, "sex", "M")
    page.select_option("#id_ethnicity", "WBRI")
    page.fill("#id_postcode", "HX1 1AA")
    page.fill("#id_upn", upn)
    check_radio(page, "looked_after", "False")
    page.fill("#id_carer_first_name", "Sam")
    page.fill("#id_carer_last_name", "Testerby")
    page.fill("#id_carer_email", "sam@example.com")
    page.fill("#id_carer_phone", "01234 567890")
    fill_date(page, "received_on", received)
    check_radio(page, "source", "1")
    page.fill("#id_requester_name", "Sam Testerby")
    check_radio(page, "youth_accommodation", "False")
    page.fill("#id_request_summary", "Alex finds school hard and the family ask for an assessment.")
    # The test council's two area teams tie for every child (tests/teams builds a real model), so the coordinator
    # takes the request themselves, as the form allows over the team rules.
    page.select_option("#id_coordinator", label="Test Coordinator")
    submit(page, "Record request")
    case_id = case_id_from(page)
    assert_saved(page, case_id, "Request recorded")
    return case_id


def test_coordinator_records_every_step_from_request_to_final_plan(page, personas):
    coordinator = personas["coordinator"]
    school = Setting.objects.create(name="Oakfield Primary School", urn="100001", phase="primary",
                                    kind="mainstream", la_code="919")
    sign_in(page, coordinator)
    case_id = record_request(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Alex Testerby")
    expect(page.locator("main")).to_contain_text("Sam Testerby")
    expect(page.locator("main")).to_contain_text("sam@example.com")
    expect_deadline(page, "decision_to_assess", due="17 Feb 2025", status="Missed", source="reg 5(1)")
    expect_deadline(page, "decision_not_to_issue", due="28 Apr 2025")
    expect_deadline(page, "final_plan", due="26 May 2025", status="Missed", source="reg 13(2)")

    # Decision to assess, with the panel's reasons.
    do_step(page, "Record the decision whether to assess")
    check_radio(page, "outcome", "assess")
    fill_date(page, "decided_on", d(2025, 2, 10))
    page.fill("#id_panel", "North multi-agency panel")
    page.fill("#id_reasons", "Evidence of needs not met at SEN support")
    submit(page)
    assert_saved(page, case_id, "Decision recorded")
    expect_deadline(page, "decision_to_assess", due="17 Feb 2025", status="Met")
    expect(deadline(page, "decision_to_assess")).to_contain_text("Done 10 Feb 2025")
    expect(page.locator("main")).to_contain_text("Evidence of needs not met at SEN support")
    expect(page.locator(".govuk-tag--blue").first).to_have_text("Assessing")

    # A request for advice starts its own 6-week clock (reg 8(1)).
    do_step(page, "Send a request for advice")
    check_radio(page, "advice_type", "ep")
    page.fill("#id_advisor", "Dr A Okafor, Educational Psychology Service")
    fill_date(page, "sent_on", d(2025, 2, 11))
    submit(page)
    assert_saved(page, case_id, "Advice request recorded")
    expect_deadline(page, "advice_due", due="25 Mar 2025", status="Missed", source="reg 8(1)")

    # The advice comes back: recorded from the link in the Advice table.
    page.get_by_role("link", name="Record returned advice from Dr A Okafor, Educational Psychology Service").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record advice returned")
    fill_date(page, "returned_on", d(2025, 3, 20))
    submit(page)
    assert_saved(page, case_id, "Advice recorded as returned")
    expect_deadline(page, "advice_due", status="Met")
    expect(page.get_by_role("table", name="Requests for advice")).to_contain_text("20 Mar 2025")

    # The outcome: issue a plan.
    do_step(page, "Record the outcome of the assessment")
    check_radio(page, "outcome", "issue")
    fill_date(page, "outcome_on", d(2025, 3, 24))
    submit(page)
    assert_saved(page, case_id, "Outcome recorded")
    expect_deadline(page, "decision_not_to_issue", status="Not needed")
    expect(page.locator(".govuk-tag--blue").first).to_have_text("Drafting plan")

    # Section B: a need.
    do_step(page, "Add a need (section B)")
    check_radio(page, "area", "communication")
    page.select_option("#id_need_type", "ASD")
    check_radio(page, "rank", "1")
    page.fill("#id_description", "Alex finds changes of routine hard.")
    submit(page)
    assert_saved(page, case_id, "Need added")
    expect(page.locator("main")).to_contain_text("1 need, 0 outcomes, 0 provision items")

    # Section E: an outcome.
    do_step(page, "Add an outcome (section E)")
    check_radio(page, "area", "communication")
    page.fill("#id_text", "Alex will ask an adult for help unprompted")
    page.fill("#id_by_when", "End of Year 4")
    submit(page)
    assert_saved(page, case_id, "Outcome added")

    # Section F: provision, the five prompts, linked to the need.
    do_step(page, "Add provision (section F)")
    check_radio(page, "area", "communication")
    page.fill("#id_support", "Social communication group using the Lego therapy programme")
    page.fill("#id_provider", "Teaching assistant")
    page.fill("#id_qualification", "Trained in Lego therapy")
    page.fill("#id_ratio", "1:4")
    page.fill("#id_frequency", "Twice a week")
    page.fill("#id_duration", "30 minutes")
    page.get_by_label("Autistic spectrum disorder: Alex finds changes of routine hard.").check()
    page.get_by_label("Alex will ask an adult for help unprompted").check()
    submit(page)
    assert_saved(page, case_id, "Provision added")
    expect(page.locator("main")).to_contain_text("1 need, 1 outcome, 1 provision item")

    # Consult the school, and record that it can meet the child's needs.
    do_step(page, "Consult a school or college")
    page.select_option("#id_setting", label=str(school))
    fill_date(page, "sent_on", d(2025, 3, 25))
    submit(page)
    assert_saved(page, case_id, "Consultation recorded")
    page.get_by_role("link", name="Record response from Oakfield Primary School").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the school's response")
    check_radio(page, "response", "agreed")
    fill_date(page, "responded_on", d(2025, 4, 1))
    submit(page)
    assert_saved(page, case_id, "Response recorded")
    expect(page.locator("table", has_text="Oakfield Primary School")).to_contain_text("Can meet needs (1 Apr 2025)")

    # Serve the draft: the family's 15 days to comment start (reg 13(1)).
    do_step(page, "Record the draft plan served")
    fill_date(page, "served_on", d(2025, 4, 2))
    submit(page)
    assert_saved(page, case_id, "Draft plan recorded as served")
    expect_deadline(page, "draft_comments_close", due="16 Apr 2025", source="reg 13(1)")
    expect(page.locator(".govuk-tag--blue").first).to_have_text("Draft plan with family")

    # The family's comments, asking for the school.
    do_step(page, "Record the family's comments")
    fill_date(page, "received_on", d(2025, 4, 10))
    page.fill("#id_comments", "We agree with the draft and would like Oakfield.")
    page.select_option("#id_requested_setting", label=str(school))
    submit(page)
    assert_saved(page, case_id, "Comments recorded")
    expect_deadline(page, "draft_comments_close", status="Met")
    expect(page.locator("main")).to_contain_text("they ask for Oakfield Primary School")

    # Issue the final plan naming the school, before the 20 weeks are up.
    do_step(page, "Issue the final plan")
    expect(page.locator("#id_named_setting")).to_have_value(str(school.pk))  # the agreed school is suggested
    fill_date(page, "issued_on", d(2025, 4, 28))
    submit(page, "Issue final plan")
    assert_saved(page, case_id, "Final plan issued")
    expect_deadline(page, "final_plan", due="26 May 2025", status="Met", source="reg 13(2)")
    expect(deadline(page, "final_plan")).to_contain_text("Done 28 Apr 2025")
    expect_deadline(page, "first_review_decision", due="27 Apr 2026")
    expect(page.locator(".govuk-tag--blue").first).to_have_text("Plan issued")
    expect(page.get_by_role("heading", name="What you can do now")).to_have_count(0)

    # Every step is on the timeline once.
    kinds = list(TimelineEvent.objects.filter(case_id=case_id).order_by("occurred_on", "id")
                 .values_list("kind", flat=True))
    assert kinds == ["request_received", "decision_to_assess", "advice_requested", "advice_returned",
                     "assessment_outcome", "consultation_sent", "consultation_response", "draft_served",
                     "comments_received", "final_plan_issued"]

    # The plan reads as a document with sections B, E and F grouped by area of need.
    page.get_by_role("link", name="Read the plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Education, health and care plan for Alex Testerby")
    section = page.locator("section[aria-labelledby=sec-bef]")
    expect(section).to_contain_text("Communication and interaction")
    expect(section).to_contain_text("Primary: Autistic spectrum disorder")
    expect(section).to_contain_text("Alex finds changes of routine hard.")
    expect(section).to_contain_text("Alex will ask an adult for help unprompted (End of Year 4)")
    expect(section).to_contain_text("Social communication group using the Lego therapy programme")
    expect(section).to_contain_text("Teaching assistant (Trained in Lego therapy)")
    expect(section).to_contain_text("Twice a week")
    expect(section.locator("dl")).to_contain_text("Autistic spectrum disorder")
    expect(section.locator("dl")).to_contain_text("Outcome: Alex will ask an adult for help unprompted")
    expect(page.locator("section[aria-labelledby=sec-i]")).to_contain_text("Oakfield Primary School (URN 100001)")


def test_impossible_date_shows_the_error_summary_and_changes_nothing(page, personas):
    coordinator = personas["coordinator"]
    case = new_case(coordinator)
    sign_in(page, coordinator)
    page.goto(f"/cases/{case.pk}/")
    do_step(page, "Record the decision whether to assess")
    check_radio(page, "outcome", "assess")
    fill_date(page, "decided_on", d(2025, 1, 3))  # before the request on 6 January
    page.fill("#id_reasons", "Evidence of needs not met at SEN support")
    submit(page)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("on or after the date the request was received (6 January 2025)")
    assert page.title().startswith("Error: ")
    # The summary links to the field, which shows the same message; what was typed is kept.
    summary.get_by_role("link").first.click()
    expect(page.locator("#id_decided_on-error")).to_contain_text("on or after the date the request was received")
    expect(page.locator("#id_reasons")).to_have_value("Evidence of needs not met at SEN support")
    # A date that does not exist is refused by the form before the service sees it.
    fill_date(page, "decided_on", d(2025, 1, 3))
    page.fill("#id_decided_on_0", "31")
    page.fill("#id_decided_on_1", "2")
    submit(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Date of the decision must be a real date")

    after = Case.objects.get(pk=case.pk)
    assert after.stage == "received" and after.version == case.version
    assert not TimelineEvent.objects.filter(case=case, kind="decision_to_assess").exists()
    page.goto(f"/cases/{case.pk}/")
    expect(page.locator(".govuk-tag--blue").first).to_have_text("Request received")
    expect_deadline(page, "decision_to_assess", status="Missed")


def _open_decision(page, case) -> None:
    page.goto(f"/cases/{case.pk}/decision/")
    _fill_decision(page)


def _fill_decision(page) -> None:
    check_radio(page, "outcome", "assess")
    fill_date(page, "decided_on", d(2025, 2, 10))
    page.fill("#id_reasons", "Evidence of needs not met at SEN support")


def test_double_click_records_the_step_once(page, personas):
    coordinator = personas["coordinator"]
    case = new_case(coordinator)
    sign_in(page, coordinator)
    _open_decision(page, case)
    button = page.locator("#main-form").get_by_role("button", name="Save")
    with page.expect_navigation():
        button.dblclick()
    assert_saved(page, case.pk, "Decision recorded")
    assert TimelineEvent.objects.filter(case=case, kind="decision_to_assess").count() == 1
    assert Case.objects.get(pk=case.pk).version == case.version + 1


def test_resending_the_same_form_records_the_step_once(new_context, personas):
    """With JavaScript off nothing stops a second submission: the server's one-time token must."""
    coordinator = personas["coordinator"]
    case = new_case(coordinator)
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, coordinator)
    _open_decision(page, case)
    token = page.locator("#main-form input[name=token]").input_value()
    # The same form, sent again: a second copy of the page carrying the very same token and version,
    # as a browser resending the page (or a double-click without JavaScript) would send.
    again = context.new_page()
    _open_decision(again, case)
    again.locator("#main-form input[name=token]").evaluate("(el, v) => { el.value = v; }", token)
    submit(page)
    assert_saved(page, case.pk, "Decision recorded")
    page = again
    submit(page)
    assert page.url.endswith(f"/cases/{case.pk}/"), page_errors(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("This was already recorded. "
                                                                       "It has been saved once.")
    assert TimelineEvent.objects.filter(case=case, kind="decision_to_assess").count() == 1
    assert Case.objects.get(pk=case.pk).version == case.version + 1


def test_stale_form_is_refused_and_overwrites_nothing(new_context, personas):
    coordinator, colleague = personas["coordinator"], personas["team_colleague"]
    case = new_case(coordinator)
    first, second = new_context().new_page(), new_context().new_page()
    sign_in(first, coordinator)
    sign_in(second, colleague)
    _open_decision(first, case)
    second.goto(f"/cases/{case.pk}/decision/")
    check_radio(second, "outcome", "not_assess")
    fill_date(second, "decided_on", d(2025, 2, 12))
    second.fill("#id_reasons", "Needs can be met at SEN support")

    submit(first)
    assert_saved(first, case.pk, "Decision recorded")
    submit(second)
    expect(second.locator(".govuk-error-summary")).to_contain_text("Someone else has changed this case")
    expect(second.locator("#main-form")).to_have_count(0)
    second.get_by_role("link", name="Open the case as it is now").click()
    expect(second.locator("main")).to_contain_text("Evidence of needs not met at SEN support")
    expect(second.locator("main")).not_to_contain_text("Needs can be met at SEN support")

    after = Case.objects.get(pk=case.pk)
    assert after.stage == "assessing" and after.version == case.version + 1
    assert after.decision.outcome == "assess" and after.decision.decided_on == d(2025, 2, 10)
    assert TimelineEvent.objects.filter(case=case, kind="decision_to_assess").count() == 1


def calculate_request_received(page) -> None:
    page.goto("/timescales/")
    page.get_by_label("The council received a request for an EHC needs assessment").check()
    page.fill("#id_date_0", "6")
    page.fill("#id_date_1", "1")
    page.fill("#id_date_2", "2025")
    page.locator("#main-form").get_by_role("button", name="Calculate").click()
    page.wait_for_load_state()


def expect_request_results(page) -> None:
    expect(page.locator("#results")).to_have_text("Deadlines after 6 January 2025")
    expect(page.locator("[data-key=decision_to_assess]")).to_contain_text("17 February 2025")
    expect(page.locator("[data-key=decision_not_to_issue]")).to_contain_text("28 April 2025")
    expect(page.locator("[data-key=final_plan]")).to_contain_text("26 May 2025")
    expect(page.locator("[data-key=final_plan]")).to_contain_text("reg 13(2)")


def test_timescale_calculator_without_signing_in(page):
    calculate_request_received(page)
    expect_request_results(page)
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    # A missing date is explained with the GOV.UK error pattern.
    page.goto("/timescales/?event=request_received")
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    expect(page.locator("table")).to_have_count(0)


def test_pages_work_with_javascript_disabled(new_context, personas):
    coordinator = personas["coordinator"]
    case = new_case(coordinator)
    page = new_context(java_script_enabled=False).new_page()
    calculate_request_received(page)
    expect_request_results(page)

    sign_in(page, coordinator)
    page.goto(f"/cases/{case.pk}/")
    expect(page.locator("body")).not_to_have_class(re.compile("js-enabled"))  # the inline script did not run
    do_step(page, "Record the decision whether to assess")
    check_radio(page, "outcome", "assess")
    fill_date(page, "decided_on", d(2025, 2, 10))
    page.fill("#id_reasons", "Evidence of needs not met at SEN support")
    submit(page)
    assert_saved(page, case.pk, "Decision recorded")
    expect_deadline(page, "decision_to_assess", status="Met")
    assert Case.objects.get(pk=case.pk).stage == "assessing"


def test_new_request_for_a_child_whose_earlier_request_was_refused(page, personas):
    coordinator = personas["coordinator"]
    case = new_case(coordinator)
    sign_in(page, coordinator)
    page.goto(f"/cases/{case.pk}/")
    do_step(page, "Record the decision whether to assess")
    check_radio(page, "outcome", "not_assess")
    fill_date(page, "decided_on", d(2025, 2, 10))
    page.fill("#id_reasons", "Needs can be met at SEN support")
    submit(page)
    assert_saved(page, case.pk, "Decision recorded")
    expect_deadline(page, "final_plan", status="Not needed")

    page.get_by_role("link", name="Record a new request for Alex Testerby").click()
    expect(page.locator(".govuk-caption-l")).to_have_text("Alex Testerby, born 27 March 2017")
    fill_date(page, "received_on", d(2025, 9, 1))
    check_radio(page, "source", "2")
    page.fill("#id_requester_name", "Oakfield Primary School")
    submit(page, "Record request")
    new_id = case_id_from(page)
    assert new_id != case.pk
    assert_saved(page, new_id, "Request recorded")
    expect_deadline(page, "decision_to_assess", due="13 Oct 2025")
    assert Case.objects.filter(child=case.child).count() == 2
