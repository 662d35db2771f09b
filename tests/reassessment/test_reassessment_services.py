"""Re-assessing a plan: each step with fixed dates; bad input refused with a clear message, nothing changed."""

import datetime

import pytest

from ehcflow.core.errors import StepRefused
from ehcflow.deadlines.models import CaseDeadline
from ehcflow.plans import services as ps
from ehcflow.plans.models import PlanVersion
from ehcflow.reassessment.models import Reassessment, ReassessmentException
from tests.conftest import fresh, token
from tests.reassessment.conftest import current, decide, exception, issue, request
from tests.reviews.conftest import finalise, through_decision

d = datetime.date


def refused(fn, *args, **kwargs) -> str:
    with pytest.raises(StepRefused) as exc:
        fn(*args, **kwargs)
    return " ".join(exc.value.messages)


def deadlines(case):
    return {(r.key, r.ref): r for r in CaseDeadline.objects.filter(case=fresh(case), key__startswith="reassessment_")}


def test_full_path(personas, issued):
    actor = personas["coordinator"]
    item = request(issued, actor)
    rows = deadlines(issued)
    assert rows[("reassessment_decision", str(item.pk))].due_on == d(2026, 1, 20)  # 15 days [U]
    decide(issued, actor)
    rows = deadlines(issued)
    assert ("reassessment_decision", str(item.pk)) not in rows  # met
    assert rows[("reassessment_plan", str(item.pk))].due_on == d(2026, 4, 27)  # 14 weeks, reg 27(2)
    # While re-assessing, the plan's content changes through the plan steps.
    case = fresh(issued)
    ps.need_add(actor=actor, case=case, version=case.version, token=token(), area="sensory",
                need_type="HI", rank=2, description="Hearing loss diagnosed December 2025")
    issue(issued, actor)
    item.refresh_from_db()
    assert item.plan_issued_on == item.completed_on == d(2026, 2, 2) and not item.is_open
    assert not deadlines(issued)
    version = PlanVersion.objects.filter(plan=item.plan).order_by("-number").first()
    assert version.number == 2 and version.issued_on == d(2026, 2, 2)
    assert any(n["need_type"] == "HI" for n in version.snapshot["needs"])
    kinds = list(fresh(issued).timeline.filter(kind__startswith="reassessment_").order_by("occurred_on")
                 .values_list("kind", flat=True))
    assert kinds == ["reassessment_requested", "reassessment_decision", "reassessment_plan_issued"]
    assert item.history.count() >= 3
    # Once issued, the plan content is closed again.
    case = fresh(issued)
    assert "can be changed only" in refused(ps.need_add, actor=actor, case=case, version=case.version, token=token(),
                                            area="sensory", need_type="VI", rank=3, description="x")


def test_refusal_is_appealable_and_closes_it(personas, issued):
    actor = personas["coordinator"]
    item = request(issued, actor)
    decide(issued, actor, decision="refuse", reasons="No change in needs since the review")
    item.refresh_from_db()
    assert item.completed_on == d(2026, 1, 19) and not item.is_open
    event = fresh(issued).timeline.get(kind="reassessment_decision")
    assert "right to appeal" in event.summary and "Tribunal" in event.summary
    assert not deadlines(issued)
    request(issued, actor, requested_on=d(2026, 2, 1))  # a new request is possible again
    assert Reassessment.objects.count() == 2


def test_exception_changes_status_never_the_date(personas, issued, at_today):
    import time_machine

    actor = personas["coordinator"]
    item = request(issued, actor)
    decide(issued, actor)
    exception(issued, actor)
    assert ReassessmentException.objects.count() == 1
    with time_machine.travel(datetime.datetime(2026, 5, 1, 12, 0), tick=False):
        from ehcflow.cases.services import case_refresh_deadlines

        case_refresh_deadlines(case=fresh(issued))
        row = deadlines(issued)[("reassessment_plan", str(item.pk))]
    assert row.due_on == d(2026, 4, 27) and row.status == "exception_applies"


def _unchanged(case, version, count=None):
    assert fresh(case).version == version
    if count is not None:
        assert Reassessment.objects.count() == count


def test_bad_input_is_refused_and_nothing_changes(personas, issued):
    actor = personas["coordinator"]
    version = fresh(issued).version
    assert "today or in the past" in refused(request, issued, actor, requested_on=d(2026, 2, 3))
    assert "the date the plan was issued" in refused(request, issued, actor, requested_on=d(2025, 4, 1))
    _unchanged(issued, version, 0)
    request(issued, actor)
    version = fresh(issued).version
    assert "still open" in refused(request, issued, actor, requested_on=d(2026, 1, 6))
    assert "on or after the date of the request" in refused(decide, issued, actor, decision_on=d(2026, 1, 4))
    assert "today or in the past" in refused(decide, issued, actor, decision_on=d(2026, 2, 3))
    assert "reasons for refusing" in refused(decide, issued, actor, decision="refuse", reasons="")
    assert "after a decision to re-assess" in refused(issue, issued, actor)
    assert "after a decision to re-assess" in refused(exception, issued, actor)
    _unchanged(issued, version, 1)
    assert not current(issued).decision
    decide(issued, actor)
    version = fresh(issued).version
    assert "already recorded" in refused(decide, issued, actor)
    assert "on or after the decision to re-assess" in refused(issue, issued, actor, plan_issued_on=d(2026, 1, 18))
    assert "Set A" in refused(exception, issued, actor, reason="B(a)")
    assert "evidence" in refused(exception, issued, actor, evidence=" ")
    _unchanged(issued, version, 1)
    assert current(issued).plan_issued_on is None and not ReassessmentException.objects.exists()


def test_an_open_amendment_blocks_a_decision_to_reassess(personas, issued):
    actor = personas["coordinator"]
    through_decision(issued, actor)  # review decided "amend": proposed amendments open (reg 22)
    request(issued, actor, requested_on=d(2026, 1, 5))  # the request is still recorded: its clock runs
    version = fresh(issued).version
    assert "Proposed amendments" in refused(decide, issued, actor)
    _unchanged(issued, version, 1)
    decide(issued, actor, decision="refuse", reasons="Amendments under way")  # refusing stays possible
    assert not current(issued)


def test_the_plan_cannot_be_issued_while_an_amendment_is_open(personas, issued):
    actor = personas["coordinator"]
    request(issued, actor, requested_on=d(2025, 11, 1))
    decide(issued, actor, decision_on=d(2025, 11, 2))
    through_decision(issued, actor)
    version = fresh(issued).version
    assert "Proposed amendments" in refused(issue, issued, actor)
    _unchanged(issued, version)
    finalise(issued, actor)
    issue(issued, actor)


def test_only_while_the_plan_is_maintained(personas, case, at_today):
    from ehcflow.reassessment import services as ras

    assert "only while it is maintained" in ras.step_refusal("reassess-request", fresh(case))


def test_other_team_cannot(personas, issued):
    from ehcflow.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        request(issued, personas["other_team_coordinator"])
    assert not Reassessment.objects.exists()


# --- The plan after re-assessment: its own version kind, and the review clock starts again -----------------

def chain_rows(case):
    keys = ("first_review_decision", "review_decision_next")
    return {(r.key, r.ref): r for r in CaseDeadline.objects.filter(case=fresh(case), key__in=keys)}


def test_the_reassessed_plan_restarts_the_review_clock(personas, issued):
    """Plan 28 April 2025: review due 27 April 2026. Plan after re-assessment 2 February 2026: review due
    1 February 2027 (CFA s.44(1); reg 27(1))."""
    actor = personas["coordinator"]
    assert {k: r.due_on for k, r in chain_rows(issued).items()} == {("first_review_decision", ""): d(2026, 4, 27)}
    request(issued, actor)
    decide(issued, actor)
    assert {k: r.due_on for k, r in chain_rows(issued).items()} == {("first_review_decision", ""): d(2026, 4, 27)}
    issue(issued, actor)
    rows = chain_rows(issued)
    assert list(rows) == [("review_decision_next", "")]  # the overtaken review is not work any more
    row = rows[("review_decision_next", "")]
    assert row.due_on == d(2027, 2, 1) and "after re-assessment" in row.label and "reg 27(1)" in row.source
    case = fresh(issued)
    assert (case.next_deadline_key, case.next_deadline_due) == ("review_decision_next", d(2027, 2, 1))
    event = case.timeline.get(kind="reassessment_plan_issued")
    assert "version 2" in event.summary and "next annual review decision due by 1 February 2027" in event.summary


def test_the_reassessed_plan_is_a_version_of_its_own_kind(personas, issued):
    actor = personas["coordinator"]
    request(issued, actor)
    decide(issued, actor)
    issue(issued, actor)
    versions = PlanVersion.objects.filter(plan=fresh(issued).plan).order_by("number")
    assert [(v.number, v.kind, v.get_kind_display()) for v in versions] == [
        (1, "final", "Final plan"), (2, "reassessed", "Plan after re-assessment")]


def test_an_overdue_review_is_closed_by_the_reassessed_plan(personas, issued):
    """Review due 27 April 2026 never held; plan after re-assessment 1 June 2026: the old review stays missed but
    is no longer work, and the next is due 31 May 2027 (no clash between the two stored rows)."""
    import time_machine

    actor = personas["coordinator"]
    with time_machine.travel(datetime.datetime(2026, 6, 1, 12, 0), tick=False):
        request(issued, actor, requested_on=d(2026, 5, 1))
        decide(issued, actor, decision_on=d(2026, 5, 11))
        assert chain_rows(issued)[("first_review_decision", "")].status == "missed"
        issue(issued, actor, plan_issued_on=d(2026, 6, 1))
    assert {k: r.due_on for k, r in chain_rows(issued).items()} == {("review_decision_next", ""): d(2027, 5, 31)}


def test_a_council_can_keep_the_review_clock_running_from_reviews_only(personas, issued, settings):
    settings.EHCFLOW_REASSESSED_PLAN_RESTARTS_REVIEW = False
    actor = personas["coordinator"]
    request(issued, actor)
    decide(issued, actor)
    issue(issued, actor)
    assert {k: r.due_on for k, r in chain_rows(issued).items()} == {("first_review_decision", ""): d(2026, 4, 27)}
    assert "next annual review" not in fresh(issued).timeline.get(kind="reassessment_plan_issued").summary


def test_the_migration_relabels_versions_kept_as_amended(personas, issued):
    """Plans re-assessed before the kind existed: their version becomes "reassessed"; reversing restores it."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("ehcflow.plans.migrations.0004_planversion_kind_reassessed")
    actor = personas["coordinator"]
    request(issued, actor)
    decide(issued, actor)
    issue(issued, actor)
    plan = fresh(issued).plan
    PlanVersion.objects.filter(plan=plan, number=2).update(kind="amended")
    ps.plan_version_record(actor=actor, plan=plan, kind="amended", issued_on=d(2026, 1, 10))  # another amendment
    migration.relabel(apps, None)
    assert list(PlanVersion.objects.filter(plan=plan).order_by("number").values_list("kind", flat=True)) == [
        "final", "reassessed", "amended"]
    migration.unlabel(apps, None)
    assert not PlanVersion.objects.filter(kind="reassessed").exists()
