"""Phase transfer steps through the services: the automatic deadline, each step, and bad input refused with
nothing changed."""

import datetime

import pytest
import time_machine

from ehcflow.cases.models import TimelineEvent
from ehcflow.cases.selectors import case_facts
from ehcflow.core.errors import NotAllowed, StepRefused
from ehcflow.deadlines import engine
from ehcflow.deadlines.models import CaseDeadline
from ehcflow.people.models import Setting
from ehcflow.plans.models import PlanVersion
from ehcflow.transfers.models import PhaseTransfer
from tests.conftest import fresh
from tests.transfers.conftest import DUE, MOVE, TODAY, agree, complete, start

d = datetime.date


def _pt(case, today=TODAY):
    facts = case_facts(fresh(case))
    return next(x for x in engine.case_deadlines(facts, today) if x.key == "phase_transfer_amendment")


def test_the_deadline_appears_automatically_once_the_plan_is_issued(issued):
    deadline = _pt(issued)
    assert (deadline.due, deadline.status) == (DUE, "open")
    stored = CaseDeadline.objects.get(case=issued, key="phase_transfer_amendment")
    assert stored.due_on == DUE


def test_no_deadline_before_the_plan(personas, case, at_today):
    assert case_facts(fresh(case)).phase_transfer is None


def test_carry_a_transfer_through(issued, personas, secondary):
    actor = personas["coordinator"]
    events = TimelineEvent.objects.filter(case=issued).count()
    transfer = start(issued, actor, preferred_setting=secondary, notes="Family visited in October")
    assert (transfer.kind, transfer.transfer_on, transfer.due_on, transfer.started_on) == (
        "primary_to_secondary", MOVE, DUE, TODAY)
    agree(issued, actor, secondary)
    complete(issued, actor, completed_on=d(2027, 11, 10))
    transfer.refresh_from_db()
    assert (transfer.status, transfer.completed_on, transfer.new_setting) == ("completed", TODAY, secondary)
    case = fresh(issued)
    assert case.plan.named_setting == secondary
    assert case.child.setting.name == "Oakfield Primary School"  # moves on 1 September 2028, not before
    assert PlanVersion.objects.filter(plan=case.plan, kind="amended").count() == 1
    assert TimelineEvent.objects.filter(case=issued).count() == events + 3
    assert list(TimelineEvent.objects.filter(case=issued).order_by("id").values_list("kind", flat=True))[-3:] == [
        "phase_transfer_started", "phase_transfer_setting_agreed", "phase_transfer_completed"]
    deadline = _pt(issued)
    assert (deadline.status, deadline.met_on) == ("met", TODAY)
    assert not CaseDeadline.objects.filter(case=issued, key="phase_transfer_amendment").exists()
    # After the move the new setting counts: the next move is to post-16 in September 2033.
    with time_machine.travel(datetime.datetime(2028, 9, 2, 12, 0), tick=False):
        clock = case_facts(fresh(issued)).phase_transfer
    assert (clock.kind, clock.transfer_on, clock.due_on) == ("secondary_to_post16", d(2033, 9, 1), d(2033, 3, 30))


def test_completing_late_is_missed_and_moves_the_child(issued, personas, secondary):
    actor = personas["coordinator"]
    start(issued, actor)
    with time_machine.travel(datetime.datetime(2028, 9, 5, 12, 0), tick=False):
        complete(issued, actor, completed_on=d(2028, 9, 5), new_setting=secondary)
        assert case_facts(fresh(issued)).phase_transfer.kind == "secondary_to_post16"  # the child has moved
    assert fresh(issued).child.setting == secondary


def _nothing_changed(case, before):
    assert PhaseTransfer.objects.filter(plan__case=case).count() == before["transfers"]
    assert TimelineEvent.objects.filter(case=case).count() == before["events"]
    assert fresh(case).version == before["version"]


def _snapshot(case):
    return {"transfers": PhaseTransfer.objects.filter(plan__case=case).count(),
            "events": TimelineEvent.objects.filter(case=case).count(), "version": fresh(case).version}


def test_a_setting_of_the_wrong_phase_is_refused(issued, personas, school, secondary):
    actor = personas["coordinator"]
    before = _snapshot(issued)
    with pytest.raises(StepRefused, match="primary school"):
        start(issued, actor, preferred_setting=school)
    _nothing_changed(issued, before)
    transfer = start(issued, actor)
    before = _snapshot(issued)
    with pytest.raises(StepRefused, match="must name"):
        agree(issued, actor, school)
    with pytest.raises(StepRefused, match="must name"):
        complete(issued, actor, new_setting=school)
    nursery = Setting.objects.create(name="Little Acorns Day Nursery", phase="early_years", kind="early_years")
    with pytest.raises(StepRefused):
        complete(issued, actor, new_setting=nursery)
    _nothing_changed(issued, before)
    transfer.refresh_from_db()
    assert (transfer.status, transfer.new_setting) == ("open", None)
    assert fresh(issued).plan.named_setting == school


def test_a_move_the_child_is_not_due_is_refused(issued, personas, college):
    actor = personas["coordinator"]
    before = _snapshot(issued)
    with pytest.raises(StepRefused, match="not due this move: their next move is primary school to secondary"):
        start(issued, actor, kind="secondary_to_post16")
    with pytest.raises(StepRefused, match="not at a post-16 setting"):
        start(issued, actor, kind="post16_to_post16", transfer_on=d(2028, 1, 10))
    with pytest.raises(StepRefused, match="happens on 1 September 2028"):
        start(issued, actor, transfer_on=d(2028, 7, 1))
    _nothing_changed(issued, before)


def test_dates_out_of_order_are_refused(issued, personas, secondary):
    actor = personas["coordinator"]
    start(issued, actor)
    before = _snapshot(issued)
    with pytest.raises(StepRefused, match="on or after"):
        agree(issued, actor, secondary, agreed_on=d(2027, 11, 9))
    with pytest.raises(StepRefused, match="today or in the past"):
        agree(issued, actor, secondary, agreed_on=d(2027, 11, 11))
    with pytest.raises(StepRefused, match="on or after"):
        complete(issued, actor, completed_on=d(2027, 11, 1), new_setting=secondary)
    with pytest.raises(StepRefused, match="Choose the school"):
        complete(issued, actor)
    _nothing_changed(issued, before)


def test_one_open_transfer_at_a_time_and_steps_need_one(issued, personas, secondary):
    from ehcflow.transfers import services as ts
    from tests.conftest import token

    actor = personas["coordinator"]
    transfer = start(issued, actor)
    with pytest.raises(StepRefused, match="already open"):
        start(issued, actor)
    complete(issued, actor, new_setting=secondary)
    case = fresh(issued)
    transfer.refresh_from_db()
    with pytest.raises(StepRefused, match="no open phase transfer"):
        ts.transfer_complete(actor=actor, transfer=transfer, version=case.version, token=token(),
                             completed_on=TODAY, new_setting=secondary)


def test_post16_move_at_another_time(issued, personas, college):
    actor = personas["coordinator"]
    child = fresh(issued).child
    child.setting = college
    child.save()
    transfer = start(issued, actor, kind="post16_to_post16", transfer_on=d(2028, 7, 31))
    assert transfer.due_on == d(2028, 2, 29)  # 5 months before, leap year (reg 18(2))
    assert _pt(issued).due == d(2028, 2, 29)


def test_other_team_and_leader_cannot_change(issued, personas):
    for persona in ("other_team_coordinator", "leader", "parent"):
        with pytest.raises(NotAllowed):
            start(issued, personas[persona])
    assert not PhaseTransfer.objects.exists()
