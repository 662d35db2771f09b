"""Bad input gets a clear message and changes nothing: dates out of order, invalid steps,
double submissions and stale forms, through the pages and through the services."""

import datetime
import uuid

import pytest
from django.test import Client

from ehcflow.cases import services
from ehcflow.cases.models import Case, PanelDecision, TimelineEvent
from ehcflow.core.errors import DuplicateSubmission, StaleForm, StepRefused
from ehcflow.plans.models import Plan
from tests.conftest import advance, fresh, token

d = datetime.date


def date_fields(name, value: datetime.date) -> dict:
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}


def signed_in(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def decision_post(case, **overrides):
    data = {"version": case.version, "token": str(uuid.uuid4()), "outcome": "assess", "panel": "North panel",
            "reasons": "Needs not met at SEN support", **date_fields("decided_on", d(2025, 2, 10))}
    data.update(overrides)
    return data


def test_decision_before_the_request_is_refused_and_changes_nothing(personas, case):
    response = signed_in(personas["coordinator"]).post(
        f"/cases/{case.pk}/decision/", decision_post(case, **date_fields("decided_on", d(2025, 1, 1))))
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body and "on or after the date the request was received" in body
    assert fresh(case).stage == "received" and not PanelDecision.objects.exists()
    assert fresh(case).version == case.version


def test_an_impossible_date_is_refused(personas, case):
    response = signed_in(personas["coordinator"]).post(
        f"/cases/{case.pk}/decision/", decision_post(case, decided_on_0="31", decided_on_1="2", decided_on_2="2025"))
    assert response.status_code == 400
    assert "must be a real date" in response.content.decode()
    assert fresh(case).stage == "received"


def test_a_future_date_is_refused(personas, case):
    future = datetime.date.today() + datetime.timedelta(days=3)
    response = signed_in(personas["coordinator"]).post(
        f"/cases/{case.pk}/decision/", decision_post(case, **date_fields("decided_on", future)))
    assert response.status_code == 400 and "today or in the past" in response.content.decode()


def test_a_double_submission_records_once(personas, case):
    client = signed_in(personas["coordinator"])
    data = decision_post(case)
    first = client.post(f"/cases/{case.pk}/decision/", data)
    second = client.post(f"/cases/{case.pk}/decision/", data)
    assert first.status_code == 302 and second.status_code == 302
    assert PanelDecision.objects.filter(case=case).count() == 1
    assert TimelineEvent.objects.filter(case=case, kind="decision_to_assess").count() == 1
    follow = client.get(second["Location"])
    assert "already recorded" in follow.content.decode()


def test_a_stale_form_is_refused_and_nothing_is_overwritten(personas, case):
    """Two people open the same step; the second to submit is told and nothing of theirs is saved."""
    first = signed_in(personas["coordinator"])
    second = signed_in(personas["manager"])
    stale_version = case.version
    assert first.post(f"/cases/{case.pk}/withdraw/", {
        "version": stale_version, "token": str(uuid.uuid4()), "reason": "Family moved away",
        **date_fields("withdrawn_on", d(2025, 1, 20))}).status_code == 302
    response = second.post(f"/cases/{case.pk}/decision/", decision_post(case, version=stale_version))
    assert response.status_code == 409
    assert "Someone else has changed this case" in response.content.decode()
    case = fresh(case)
    assert case.stage == "withdrawn" and case.withdrawal_reason == "Family moved away"
    assert not PanelDecision.objects.exists()


def test_a_final_plan_before_the_draft_is_impossible(personas, case, school):
    case = advance(case, personas["coordinator"], "drafting")
    with pytest.raises(StepRefused):
        services.final_plan_issue(actor=personas["coordinator"], case=case, version=case.version, token=token(),
                                  issued_on=d(2025, 4, 28), named_setting=school)
    assert fresh(case).stage == "drafting" and fresh(case).plan.issued_on is None


def test_the_final_plan_cannot_predate_the_draft(personas, case, school):
    case = advance(case, personas["coordinator"], "draft_served")
    with pytest.raises(StepRefused) as exc:
        services.final_plan_issue(actor=personas["coordinator"], case=case, version=case.version, token=token(),
                                  issued_on=d(2025, 4, 1), named_setting=school)
    assert "on or after the date the draft was served" in str(exc.value)
    assert fresh(case).stage == "draft_served"


def test_the_final_plan_waits_for_the_families_15_days(personas, case, school):
    """reg 13(1)(a): at least 15 days beginning with the day the draft was served (2 April → 16 April)."""
    case = advance(case, personas["coordinator"], "draft_served")
    with pytest.raises(StepRefused) as exc:
        services.final_plan_issue(actor=personas["coordinator"], case=case, version=case.version, token=token(),
                                  issued_on=d(2025, 4, 16), named_setting=school)
    assert "16 April 2025" in str(exc.value)
    case = fresh(case)
    services.final_plan_issue(actor=personas["coordinator"], case=case, version=case.version, token=token(),
                              issued_on=d(2025, 4, 17), named_setting=school)
    assert fresh(case).stage == "plan_issued"


def test_a_draft_never_names_a_setting(personas, case, school):
    from django.db import IntegrityError, transaction

    case = advance(case, personas["coordinator"], "draft_served")
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.filter(pk=case.plan.pk).update(named_setting=school)


def test_a_draft_needs_a_primary_need_outcome_and_provision(personas, case):
    case = advance(case, personas["coordinator"], "assessing")
    services.outcome_record(actor=personas["coordinator"], case=case, version=case.version, token=token(),
                            outcome_on=d(2025, 3, 24), outcome="issue")
    case = fresh(case)
    with pytest.raises(StepRefused) as exc:
        services.draft_serve(actor=personas["coordinator"], case=case, version=case.version, token=token(),
                             served_on=d(2025, 4, 2))
    assert "no primary need" in str(exc.value)
    assert fresh(case).stage == "drafting"


def test_invalid_transitions_are_impossible_through_the_service(personas, case):
    with pytest.raises(StepRefused):
        services.draft_serve(actor=personas["coordinator"], case=case, version=case.version, token=token(),
                             served_on=d(2025, 4, 2))
    with pytest.raises(StepRefused):
        services.outcome_record(actor=personas["coordinator"], case=case, version=case.version, token=token(),
                                outcome_on=d(2025, 3, 24), outcome="issue")
    assert fresh(case).stage == "received"


def test_the_stage_cannot_be_assigned_directly(case):
    with pytest.raises(AttributeError):
        case.stage = "plan_issued"


def test_service_duplicate_and_stale_errors(personas, case):
    t = token()
    services.decision_record(actor=personas["coordinator"], case=case, version=case.version, token=t,
                             decided_on=d(2025, 2, 10), outcome="assess", reasons="r")
    with pytest.raises(DuplicateSubmission):
        services.decision_record(actor=personas["coordinator"], case=fresh(case), version=None, token=t,
                                 decided_on=d(2025, 2, 10), outcome="assess", reasons="r")
    with pytest.raises(StaleForm):
        services.case_withdraw(actor=personas["coordinator"], case=fresh(case), version=case.version - 1,
                               token=token(), withdrawn_on=d(2025, 2, 11), reason="r")
    assert fresh(case).stage == "assessing"


def test_a_refused_request_offers_no_further_steps(personas, case):
    services.decision_record(actor=personas["coordinator"], case=case, version=case.version, token=token(),
                             decided_on=d(2025, 2, 10), outcome="not_assess", reasons="Needs met at SEN support")
    case = fresh(case)
    assert case.stage == "not_assessed"
    page = signed_in(personas["coordinator"]).get(f"/cases/{case.pk}/").content.decode()
    assert "What you can do now" not in page
    response = signed_in(personas["coordinator"]).post(f"/cases/{case.pk}/withdraw/", {
        "version": case.version, "token": str(uuid.uuid4()), "reason": "x",
        **date_fields("withdrawn_on", d(2025, 2, 20))})
    assert response.status_code == 409 and "not possible" in response.content.decode()
    assert Case.objects.get(pk=case.pk).stage == "not_assessed"


def test_exception_changes_status_not_date(personas, case):
    from ehcflow.cases.selectors import case_deadline_rows

    case = advance(case, personas["coordinator"], "assessing")
    before = {r.deadline.key: r.deadline.due for r in case_deadline_rows(case, d(2025, 6, 2))}
    services.exception_record(actor=personas["coordinator"], case=case, version=case.version, token=token(),
                              deadline_key="final_plan", reason="A(c)", evidence="Hospital admission 3 March",
                              recorded_on=d(2025, 3, 10))
    rows = {r.deadline.key: r.deadline for r in case_deadline_rows(fresh(case), d(2025, 6, 2))}
    assert {k: v.due for k, v in rows.items()} == before
    assert rows["final_plan"].status == "exception_applies"


def test_an_exception_from_the_wrong_set_is_refused(personas, case):
    case = advance(case, personas["coordinator"], "assessing")
    with pytest.raises(StepRefused):
        services.exception_record(actor=personas["coordinator"], case=case, version=case.version, token=token(),
                                  deadline_key="final_plan", reason="B(c)", evidence="Missed appointment",
                                  recorded_on=d(2025, 3, 10))
    assert not fresh(case).exceptions.exists()


def test_request_form_requires_a_upn_or_a_reason(personas, db):
    response = signed_in(personas["coordinator"]).post("/cases/new/", {
        "token": str(uuid.uuid4()), "first_name": "Kit", "last_name": "Testerby", "sex": "F",
        "looked_after": "False", "source": "1", "youth_accommodation": "False",
        **date_fields("date_of_birth", d(2018, 5, 1)), **date_fields("received_on", d(2025, 1, 6))})
    assert response.status_code == 400
    assert "Give the UPN or ULN" in response.content.decode()
    assert not Case.objects.exists()


def test_a_second_open_request_for_the_same_child_is_refused(personas, case):
    with pytest.raises(StepRefused):
        services.request_record(actor=personas["coordinator"], token=token(), received_on=d(2025, 2, 1),
                                source="1", child=case.child)


def test_a_new_request_for_a_known_child_after_a_refusal(personas, case):
    services.decision_record(actor=personas["coordinator"], case=case, version=case.version, token=token(),
                             decided_on=d(2025, 2, 10), outcome="not_assess", reasons="Needs met at SEN support")
    client = signed_in(personas["coordinator"])
    assert f"?child={case.child_id}" in client.get(f"/cases/{case.pk}/").content.decode()
    response = client.post(f"/cases/new/?child={case.child_id}", {
        "token": str(uuid.uuid4()), "source": "2", "youth_accommodation": "False",
        **date_fields("received_on", d(2025, 5, 1))})
    assert response.status_code == 302
    assert Case.objects.filter(child=case.child).count() == 2
    assert signed_in(personas["other_team_coordinator"]).get(f"/cases/new/?child={case.child_id}").status_code == 404


def test_recording_a_new_request_through_the_page(personas, db):
    response = signed_in(personas["coordinator"]).post("/cases/new/", {
        "token": str(uuid.uuid4()), "first_name": "Kit", "last_name": "Testerby", "sex": "F",
        "looked_after": "False", "source": "2", "youth_accommodation": "False", "upn_unknown_reason": "UN1",
        "carer_first_name": "Jo", "carer_last_name": "Testerby", "coordinator": personas["coordinator"].pk,
        **date_fields("date_of_birth", d(2021, 5, 1)), **date_fields("received_on", d(2025, 1, 6))})
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    assert case.child.coordinator == personas["coordinator"] and case.child.team.name == "North area team"
    assert case.next_deadline_key == "decision_to_assess" and case.next_deadline_due == d(2025, 2, 17)
    assert case.child.carer_links.get().carer.first_name == "Jo"
    assert case.history.first().history_user == personas["coordinator"]
