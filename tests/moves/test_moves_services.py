"""Moves between councils: transfer out (reg 15(2)) ending in the plan ceased with reason 5, and transfer in."""

import datetime

import pytest

from ehcflow.cases.models import Case, Stage
from ehcflow.ceasing.models import Cessation
from ehcflow.core.errors import NotAllowed, StepRefused
from ehcflow.deadlines.models import CaseDeadline
from ehcflow.moves import services as ms
from ehcflow.moves.models import LaTransfer
from tests.ceasing.conftest import at_today, issued  # noqa: F401  (fixtures)
from tests.conftest import CHILD, fresh, token

d = datetime.date


def move_out(case, actor, **kw):
    case = fresh(case)
    args = dict(other_la_code="208", other_la_name="Lambeth", learnt_on=d(2025, 12, 15), move_on=d(2025, 12, 19))
    args.update(kw)
    return ms.move_out_record(actor=actor, plan=case.plan, version=case.version, token=token(), **args)


def sent(case, actor, transferred_on=d(2026, 1, 6)):
    case = fresh(case)
    transfer = ms.open_transfer(case.plan, "out")
    return ms.move_out_sent_record(actor=actor, la_transfer=transfer, version=case.version, token=token(),
                                   transferred_on=transferred_on)


def move_in(actor, **kw):
    args = dict(child_details={**CHILD, "first_name": "Casey", "upn": "C123456789012"}, other_la_code="208",
                other_la_name="Lambeth", plan_issued_on=d(2023, 6, 1), plan_or_last_review_on=d(2025, 5, 20),
                transferred_on=d(2026, 1, 12))
    args.update(kw)
    return ms.move_in_record(actor=actor, token=token(), **args)


def refused(fn, *args, **kwargs) -> str:
    with pytest.raises(StepRefused) as exc:
        fn(*args, **kwargs)
    return " ".join(exc.value.messages)


def test_transfer_out_then_ceased_with_reason_5(personas, issued):  # noqa: F811
    actor = personas["coordinator"]
    move_out(issued, actor)
    row = CaseDeadline.objects.get(case=issued, key="plan_transfer")
    assert row.due_on == d(2026, 1, 7) and "reg 15(2)" in row.source
    sent(issued, actor)
    case = fresh(issued)
    assert case.stage == Stage.CEASED
    cessation = Cessation.objects.get(plan=case.plan)
    assert (cessation.reason, cessation.ceased_on) == ("5", d(2026, 1, 6))
    assert "Lambeth (208)" in cessation.reason_details
    assert not CaseDeadline.objects.filter(case=case).exists()
    assert ms.step_refusal("move-out", case) is not None


@pytest.mark.parametrize(("kw", "field", "message"), [
    ({"other_la_code": "20"}, "other_la_code", "3-digit"),
    ({"other_la_code": "919"}, "other_la_code", "not this council's"),
    ({"other_la_name": " "}, "other_la_name", "other council's name"),
    ({"learnt_on": d(2025, 4, 1)}, "learnt_on", "the date the plan was issued"),
    ({"learnt_on": d(2026, 2, 3)}, "learnt_on", "today or in the past"),
])
def test_bad_move_out_refused_nothing_changed(personas, issued, kw, field, message):  # noqa: F811
    version = fresh(issued).version
    with pytest.raises(StepRefused) as exc:
        move_out(issued, personas["coordinator"], **kw)
    assert message in " ".join(exc.value.message_dict[field])
    assert fresh(issued).version == version and not LaTransfer.objects.exists()


def test_plan_sent_before_learning_or_before_the_move_refused(personas, issued):  # noqa: F811
    actor = personas["coordinator"]
    move_out(issued, actor)
    assert "the date of the move (19 December 2025)" in refused(sent, issued, actor, transferred_on=d(2025, 12, 18))
    assert "learnt of the move" in refused(sent, issued, actor, transferred_on=d(2025, 12, 14))
    assert fresh(issued).stage == Stage.PLAN_ISSUED
    assert "already recorded" in refused(move_out, issued, actor)


def test_move_refused_while_ceasing_is_proposed(personas, issued):  # noqa: F811
    from tests.ceasing.conftest import propose

    propose(issued, personas["coordinator"])
    assert "Ceasing this plan is proposed" in refused(move_out, issued, personas["coordinator"])


def test_transfer_in_creates_a_plan_with_its_deadlines(personas, at_today):  # noqa: F811
    actor = personas["coordinator"]
    case = move_in(actor)
    assert case.stage == Stage.PLAN_ISSUED and case.plan.issued_on == d(2023, 6, 1)
    assert case.child.coordinator == actor
    rows = {r.key: r.due_on for r in CaseDeadline.objects.filter(case=case)}
    # reg 15(4): 6 weeks from 12 January 2026; reg 15(5): later of 19 May 2026 and 12 April 2026.
    assert rows == {"transfer_family_notice": d(2026, 2, 23), "transfer_review": d(2026, 5, 19)}
    transfer = ms.open_transfer(case.plan, "in")
    assert "on or after the date the plan transferred" in refused(
        ms.move_in_notified_record, actor=actor, la_transfer=transfer, version=fresh(case).version, token=token(),
        notified_on=d(2026, 1, 5))
    ms.move_in_notified_record(actor=actor, la_transfer=transfer, version=fresh(case).version, token=token(),
                               notified_on=d(2026, 1, 20))
    assert set(CaseDeadline.objects.filter(case=case).values_list("key", flat=True)) == {"transfer_review"}


def test_transfer_in_bad_input(personas, at_today):  # noqa: F811
    actor = personas["coordinator"]
    assert "after the child's date of birth" in refused(move_in, actor, plan_issued_on=d(2016, 1, 1))
    assert "before the transfer" in refused(move_in, actor, plan_or_last_review_on=d(2026, 1, 20),
                                            transferred_on=d(2026, 1, 12))
    assert "today or in the past" in refused(move_in, actor, transferred_on=d(2026, 3, 1))
    assert not Case.objects.filter(child__first_name="Casey").exists()
    with pytest.raises(NotAllowed):
        move_in(personas["leader"])
