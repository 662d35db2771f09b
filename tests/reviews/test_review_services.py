"""Annual review and amendment steps through the services, with fixed dates; bad input changes nothing."""

import datetime

import pytest

from ehcflow.cases.models import TimelineEvent
from ehcflow.cases.selectors import case_deadline_rows, case_get
from ehcflow.core.errors import StepRefused
from ehcflow.plans import services as plan_services
from ehcflow.plans.models import PlanVersion
from ehcflow.reviews.models import Amendment, AnnualReview
from tests.conftest import fresh, token
from tests.reviews.conftest import (
    DECISION,
    FINAL_AMENDED_DUE,
    MEETING,
    arrange,
    decide,
    finalise,
    invitations,
    meeting,
    open_review,
    plan_of,
    report,
    representations,
    through_decision,
)

d = datetime.date


def kinds(case) -> list[str]:
    return list(TimelineEvent.objects.filter(case=case).order_by("id").values_list("kind", flat=True))


def rows(case, today):
    visible = case_get(user=case.child.coordinator, case_id=case.pk)
    return {(r.deadline.key, r.deadline.ref): r.deadline for r in case_deadline_rows(visible, today)}


def test_the_final_plan_is_kept_as_version_1(issued):
    versions = list(PlanVersion.objects.filter(plan=plan_of(issued)))
    assert [(v.number, v.kind, v.issued_on) for v in versions] == [(1, "final", d(2025, 4, 28))]
    snap = versions[0].snapshot
    assert snap["named_setting"] == "Oakfield Primary School"
    assert snap["needs"][0]["need_type"] == "ASD" and snap["provisions"][0]["needs"]


def test_review_to_amended_plan_worked_example(issued, personas):
    actor = personas["coordinator"]
    before = kinds(issued)
    through_decision(issued, actor)
    review = AnnualReview.objects.get(plan__case=issued)
    assert review.decision == "amend" and review.decision_on == DECISION
    plan = plan_of(issued)
    assert plan.last_review_decision_on == DECISION
    amendment = Amendment.objects.get(plan=plan)
    assert amendment.proposals_sent_on == DECISION and amendment.review == review
    keyed = rows(issued, d(2025, 12, 5))
    ref = str(review.pk)
    assert keyed[("review_notice", ref)].due == d(2025, 10, 20) and keyed[("review_notice", ref)].status == "met"
    assert keyed[("review_report", ref)].due == d(2025, 11, 17) and keyed[("review_report", ref)].status == "met"
    assert keyed[("review_decision", ref)].due == DECISION and keyed[("review_decision", ref)].status == "met"
    aref = str(amendment.pk)
    assert keyed[("amendment_representations_close", aref)].due == d(2025, 12, 15)
    assert keyed[("amended_plan_final", aref)].due == FINAL_AMENDED_DUE
    assert keyed[("amended_plan_final", aref)].status == "open"
    assert keyed[("first_review_decision", ref)].status == "met"  # due 27 April 2026, met 1 December 2025
    assert keyed[("review_decision_next", None)].due == d(2026, 11, 30)

    # While the amendment is open the plan's content can change through the plan steps.
    case = fresh(issued)
    need = plan_services.need_add(actor=actor, case=case, version=case.version, token=token(), area="communication",
                                  need_type="SLCN", rank=2, description="Alex's expressive language is delayed.")
    representations(issued, actor)
    finalise(issued, actor)
    assert Amendment.objects.get(pk=amendment.pk).outcome == "amended"
    versions = list(PlanVersion.objects.filter(plan=plan).order_by("number"))
    assert [(v.number, v.kind) for v in versions] == [(1, "final"), (2, "amended")]
    assert any(n["description"] == need.description for n in versions[1].snapshot["needs"])
    assert rows(issued, d(2026, 1, 21))[("amended_plan_final", aref)].status == "met"
    # One timeline event for each step (plan content edits are not statutory steps).
    assert kinds(issued)[len(before):] == [
        "review_arranged", "review_invitations_sent", "review_meeting_held", "review_report_received",
        "review_decision", "amendment_representations", "amendment_completed"]
    # Closed again: content edits refused, a new review can be arranged.
    case = fresh(issued)
    with pytest.raises(StepRefused):
        plan_services.outcome_add(actor=actor, case=case, version=case.version, token=token(), area="semh", text="x")
    arrange(issued, actor, meeting_on=d(2026, 10, 5))
    assert open_review(issued).meeting_on == d(2026, 10, 5)


def test_every_step_writes_history(issued, personas):
    through_decision(issued, personas["coordinator"])
    review = AnnualReview.objects.get(plan__case=issued)
    assert review.history.count() == 5  # arranged, invitations, meeting, report, decision
    assert review.history.first().history_user == personas["coordinator"]
    assert Amendment.objects.get(review=review).history.count() == 1


def test_maintain_decision_has_no_amendment_and_restarts_the_clock(issued, personas):
    through_decision(issued, personas["coordinator"], decision="maintain")
    assert not Amendment.objects.exists()
    assert rows(issued, d(2026, 1, 5))[("review_decision_next", None)].due == d(2026, 11, 30)
    assert "maintain" in TimelineEvent.objects.get(case=issued, kind="review_decision").summary


def test_cease_is_recorded_as_the_decision_only(issued, personas):
    through_decision(issued, personas["coordinator"], decision="cease")
    event = TimelineEvent.objects.get(case=issued, kind="review_decision")
    assert "cease" in event.summary and "later step" in event.summary
    assert fresh(issued).stage == "plan_issued"
    assert not Amendment.objects.exists()


def test_not_amending_sends_a_notice_and_keeps_the_version(issued, personas):
    actor = personas["coordinator"]
    through_decision(issued, actor)
    finalise(issued, actor, outcome="not_amending", completed_on=d(2025, 12, 20))
    assert PlanVersion.objects.filter(plan__case=issued).count() == 1
    assert "will not be amended" in TimelineEvent.objects.get(case=issued, kind="amendment_completed").summary


def test_amended_plan_can_name_a_new_setting(issued, personas, other_school):
    actor = personas["coordinator"]
    through_decision(issued, actor)
    finalise(issued, actor, completed_on=d(2025, 12, 20), named_setting=other_school)
    plan = plan_of(issued)
    assert plan.named_setting == other_school and fresh(issued).child.setting == other_school
    assert PlanVersion.objects.get(plan=plan, number=2).snapshot["named_setting"] == "Beech Hill Academy"


def test_pfa_is_required_from_year_9(personas, case, school, at_today):
    from ehcflow.people.models import Child
    from tests.conftest import advance

    Child.objects.filter(pk=case.child_id).update(date_of_birth=d(2012, 1, 10))  # Year 9 in 2025/26
    issued = advance(case, personas["coordinator"], "plan_issued", school=school)
    actor = personas["coordinator"]
    arrange(issued, actor)
    with pytest.raises(StepRefused) as refused:
        meeting(issued, actor)
    assert "preparation for adulthood" in str(refused.value)
    assert open_review(issued).held_on is None
    meeting(issued, actor, pfa_discussed=True)
    assert open_review(issued).pfa_discussed


def _refused(fn, *args, match: str, **kwargs):
    with pytest.raises(StepRefused) as refused:
        fn(*args, **kwargs)
    assert match in str(refused.value), str(refused.value)


@pytest.mark.parametrize("problem", [
    "decision_before_meeting", "report_before_meeting", "decision_before_report", "decision_dated_before_meeting",
    "amendment_without_amend_decision", "finalise_before_representations_close", "future_date",
    "second_open_review", "meeting_before_plan", "amend_without_proposals", "invitations_after_meeting",
])
def test_bad_input_is_refused_and_changes_nothing(problem, issued, personas):
    actor = personas["coordinator"]
    if problem == "second_open_review":
        arrange(issued, actor)
        start = (fresh(issued).version, kinds(issued), AnnualReview.objects.count())
        _refused(arrange, issued, actor, match="already has an annual review open")
    elif problem == "meeting_before_plan":
        start = (fresh(issued).version, kinds(issued), AnnualReview.objects.count())
        _refused(arrange, issued, actor, meeting_on=d(2025, 4, 1), match="on or after the date the plan was issued")
    elif problem == "amendment_without_amend_decision":
        through_decision(issued, actor, decision="maintain")
        start = (fresh(issued).version, kinds(issued), AnnualReview.objects.count())
        case = fresh(issued)
        _refused(plan_services.need_add, actor=actor, case=case, version=case.version, token=token(),
                 area="semh", need_type="SEMH", rank=3, description="x", match="can be changed only")
        from ehcflow.reviews.services import step_refusal

        assert "no open proposed amendments" in step_refusal("amendment-finalise", case)
    elif problem == "finalise_before_representations_close":
        through_decision(issued, actor)
        start = (fresh(issued).version, kinds(issued), AnnualReview.objects.count())
        _refused(finalise, issued, actor, completed_on=d(2025, 12, 15), match="until 15 December 2025")
        assert open_review(issued) is None and Amendment.objects.get().outcome == ""
    else:
        arrange(issued, actor)
        if problem in ("decision_before_report", "decision_dated_before_meeting", "amend_without_proposals"):
            meeting(issued, actor)
        if problem in ("decision_dated_before_meeting", "amend_without_proposals"):
            report(issued, actor)
        start = (fresh(issued).version, kinds(issued), AnnualReview.objects.count())
        if problem == "decision_before_meeting":
            _refused(decide, issued, actor, match="only after the review meeting")
        elif problem == "report_before_meeting":
            _refused(report, issued, actor, match="only after the review meeting")
        elif problem == "decision_before_report":
            _refused(decide, issued, actor, match="Record the review report first")
        elif problem == "decision_dated_before_meeting":
            _refused(decide, issued, actor, decision_on=d(2025, 11, 1), match="on or after the review meeting")
        elif problem == "amend_without_proposals":
            _refused(decide, issued, actor, proposals="  ", match="proposes to change")
        elif problem == "invitations_after_meeting":
            _refused(invitations, issued, actor, sent_on=d(2025, 11, 4), match="sent before the meeting")
        elif problem == "future_date":
            _refused(meeting, issued, actor, held_on=d(2026, 2, 3), match="today or in the past")
    assert (fresh(issued).version, kinds(issued), AnnualReview.objects.count()) == start
    assert not AnnualReview.objects.exclude(decision="").filter(decision_on__gt=d(2025, 12, 1)).exists()
