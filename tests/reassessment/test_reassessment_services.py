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
