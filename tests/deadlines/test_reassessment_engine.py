"""Re-assessment in the engine (SEND Regulations 2014 regs 24-27): fixed dates, Set A, the date never moves."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ehcflow.deadlines.engine import (
    NO_EXCEPTIONS_MESSAGE,
    STATUS_EXCEPTION,
    STATUS_MET,
    STATUS_MISSED,
    STATUS_NOT_APPLICABLE,
    STATUS_OPEN,
    CaseFacts,
    CessationClock,
    ExceptionRecord,
    ReassessmentClock,
    case_deadlines,
    validate_exception,
)

D = date
RECEIVED, ISSUED = D(2025, 1, 6), D(2025, 4, 28)


def facts(*clocks, **kw) -> CaseFacts:
    return CaseFacts(received_on=RECEIVED, decision_on=D(2025, 2, 10), decision="assess", outcome="issue",
                     outcome_on=D(2025, 3, 24), final_issued_on=ISSUED, reassessments=tuple(clocks), **kw)


def ours(f: CaseFacts, today: date) -> dict[str, object]:
    return {d.key: d for d in case_deadlines(f, today) if d.key.startswith("reassessment_")}


def exc(reason="A(c)", ref="1", evidence="Child in hospital for 5 weeks") -> ExceptionRecord:
    return ExceptionRecord("reassessment_plan", reason, evidence, D(2026, 1, 20), ref=ref)


# (clock, today, decision (due, status), plan (due, status) or None)
CASES = [
    # Requested Monday 5 January 2026: decision due 15 days later, 20 January [U].
    (ReassessmentClock("1", D(2026, 1, 5)), D(2026, 1, 10), (D(2026, 1, 20), STATUS_OPEN), None),
    (ReassessmentClock("1", D(2026, 1, 5)), D(2026, 1, 21), (D(2026, 1, 20), STATUS_MISSED), None),
    (ReassessmentClock("1", D(2026, 1, 5), "refuse", D(2026, 1, 19)), D(2026, 3, 1), (D(2026, 1, 20), STATUS_MET),
     None),
    (ReassessmentClock("1", D(2026, 1, 5), "refuse", D(2026, 1, 22)), D(2026, 3, 1),
     (D(2026, 1, 20), STATUS_MISSED), None),
    # Decision to re-assess notified 19 January 2026: plan due 14 weeks later, 27 April 2026 (reg 27(2)).
    (ReassessmentClock("1", D(2026, 1, 5), "reassess", D(2026, 1, 19)), D(2026, 2, 1),
     (D(2026, 1, 20), STATUS_MET), (D(2026, 4, 27), STATUS_OPEN)),
    (ReassessmentClock("1", D(2026, 1, 5), "reassess", D(2026, 1, 19)), D(2026, 4, 28),
     (D(2026, 1, 20), STATUS_MET), (D(2026, 4, 27), STATUS_MISSED)),
    (ReassessmentClock("1", D(2026, 1, 5), "reassess", D(2026, 1, 19), plan_issued_on=D(2026, 4, 27)),
     D(2026, 6, 1), (D(2026, 1, 20), STATUS_MET), (D(2026, 4, 27), STATUS_MET)),
    (ReassessmentClock("1", D(2026, 1, 5), "reassess", D(2026, 1, 19), exceptions=(exc(),)), D(2026, 5, 1),
     (D(2026, 1, 20), STATUS_MET), (D(2026, 4, 27), STATUS_EXCEPTION)),
    # An exception is not needed (and not used) when the plan is on time.
    (ReassessmentClock("1", D(2026, 1, 5), "reassess", D(2026, 1, 19), plan_issued_on=D(2026, 4, 1),
                       exceptions=(exc(),)), D(2026, 5, 1), (D(2026, 1, 20), STATUS_MET),
     (D(2026, 4, 27), STATUS_MET)),
    # A council configured for 10 days (the 15 is unconfirmed [U]).
    (ReassessmentClock("1", D(2026, 1, 5), decision_days=10), D(2026, 1, 10), (D(2026, 1, 15), STATUS_OPEN), None),
]


@pytest.mark.parametrize(("clock", "today", "decision", "plan"), CASES)
def test_fixed_dates(clock, today, decision, plan):
    got = ours(facts(clock), today)
    d = got["reassessment_decision"]
    assert (d.due, d.status, d.ref) == (*decision, "1")
    assert d.source == "SEND Regulations 2014 regs 24-25"
    if plan is None:
        assert "reassessment_plan" not in got
    else:
        p = got["reassessment_plan"]
        assert (p.due, p.status) == plan and p.source == "SEND Regulations 2014 reg 27(2)-(3)"
        assert (p.exception is not None) == (plan[1] == STATUS_EXCEPTION)


def test_two_reassessments_each_have_their_deadlines():
    first = ReassessmentClock("1", D(2025, 9, 1), "refuse", D(2025, 9, 10))
    second = ReassessmentClock("2", D(2026, 1, 5), "reassess", D(2026, 1, 19))
    rows = [d for d in case_deadlines(facts(first, second), D(2026, 2, 1)) if d.key.startswith("reassessment_")]
    assert [(d.key, d.ref, d.due) for d in rows] == [
        ("reassessment_decision", "1", D(2025, 9, 16)), ("reassessment_decision", "2", D(2026, 1, 20)),
        ("reassessment_plan", "2", D(2026, 4, 27))]


def test_an_exception_names_its_reassessment():
    first = ReassessmentClock("1", D(2025, 9, 1), "reassess", D(2025, 9, 10), plan_issued_on=D(2026, 1, 2))
    second = ReassessmentClock("2", D(2026, 1, 5), "reassess", D(2026, 1, 19))
    f = facts(first, second, exceptions=(exc(ref="1"),))
    plans = {d.ref: d for d in case_deadlines(f, D(2026, 5, 1)) if d.key == "reassessment_plan"}
    assert plans["1"].status == STATUS_EXCEPTION and plans["2"].status == STATUS_MISSED


def test_ceased_plan_makes_an_open_reassessment_not_applicable():
    clock = ReassessmentClock("1", D(2026, 1, 5), "reassess", D(2026, 1, 19))
    got = ours(facts(clock, cessation=CessationClock("9", D(2026, 2, 1))), D(2026, 3, 1))
    assert got["reassessment_plan"].status == STATUS_NOT_APPLICABLE


def test_no_reassessment_deadlines_before_the_plan():
    f = CaseFacts(received_on=RECEIVED, reassessments=(ReassessmentClock("1", D(2025, 2, 1)),))
    assert not [d for d in case_deadlines(f, D(2025, 2, 2)) if d.key.startswith("reassessment_")]


@pytest.mark.parametrize(("record", "message"), [
    (exc(reason="B(a)"), "Set A"),
    (exc(ref=None), "must name the re-assessment"),
    (exc(ref="7"), "no re-assessment"),
    (exc(evidence="  "), "needs evidence"),
    (ExceptionRecord("reassessment_decision", "A(c)", "x", D(2026, 1, 20), ref="1"), NO_EXCEPTIONS_MESSAGE),
])
def test_validate_exception_refuses(record, message):
    f = facts(ReassessmentClock("1", D(2026, 1, 5), "reassess", D(2026, 1, 19)))
    with pytest.raises(ValueError, match=message):
        validate_exception(f, record)


def test_no_exception_after_a_refusal():
    f = facts(ReassessmentClock("1", D(2026, 1, 5), "refuse", D(2026, 1, 19)))
    with pytest.raises(ValueError, match="only after a decision to re-assess"):
        validate_exception(f, exc())


@pytest.mark.parametrize("reason", ["A(a)", "A(b)", "A(c)", "A(d)"])
def test_every_set_a_reason_is_accepted(reason):
    validate_exception(facts(ReassessmentClock("1", D(2026, 1, 5), "reassess", D(2026, 1, 19))), exc(reason=reason))


dates = st.dates(min_value=D(2025, 5, 1), max_value=D(2030, 12, 31))


@given(requested=dates, decide_after=st.integers(0, 40), issue_after=st.one_of(st.none(), st.integers(0, 200)),
       today_after=st.integers(0, 400), reason=st.sampled_from(["A(a)", "A(b)", "A(c)", "A(d)"]))
def test_an_exception_never_moves_a_date(requested, decide_after, issue_after, today_after, reason):
    decided = requested + timedelta(days=decide_after)
    issued = None if issue_after is None else decided + timedelta(days=issue_after)
    clock = ReassessmentClock("1", requested, "reassess", decided, plan_issued_on=issued)
    today = requested + timedelta(days=today_after)
    without = {(d.key, d.ref): d for d in case_deadlines(facts(clock), today)}
    with_exc = {(d.key, d.ref): d
                for d in case_deadlines(facts(ReassessmentClock("1", requested, "reassess", decided,
                                                                plan_issued_on=issued, exceptions=(exc(reason),))),
                                        today)}
    assert {k: d.due for k, d in without.items()} == {k: d.due for k, d in with_exc.items()}
    plan = with_exc[("reassessment_plan", "1")]
    assert plan.due == decided + timedelta(weeks=14)
    if plan.status == STATUS_EXCEPTION:
        assert without[("reassessment_plan", "1")].status == STATUS_MISSED or issued is None
