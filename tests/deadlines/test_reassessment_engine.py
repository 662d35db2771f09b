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


# --- The plan after re-assessment starts the 12-month review clock again ----------------------------
# CFA s.44(1); SEND Regulations 2014 reg 27(1); Code of Practice 9.186-9.193. The decision and its [U] tag are in
# ehcflow.reassessment.services. Plan first issued 28 April 2025: first review decision due 27 April 2026.

from ehcflow.deadlines.calendar import within_12_months_starting  # noqa: E402
from ehcflow.deadlines.engine import REVIEW_AFTER_REASSESSMENT_SOURCE, ReviewClock  # noqa: E402

CHAIN = ("first_review_decision", "review_decision_next")
S44 = "Children and Families Act 2014 s.44(1)"


def reassessed(plan_on, ref="1", **kw) -> ReassessmentClock:
    """A re-assessment decided 14 days before its plan was issued."""
    return ReassessmentClock(ref, plan_on - timedelta(days=20), "reassess", plan_on - timedelta(days=14),
                             plan_issued_on=plan_on, **kw)


def decided(ref, on) -> ReviewClock:
    return ReviewClock(ref, meeting_on=on - timedelta(days=21), decision="maintain", decision_on=on)


def chain(f: CaseFacts, today: date) -> list[tuple]:
    return [(d.key, d.ref, d.due, d.status, d.met_on) for d in case_deadlines(f, today) if d.key in CHAIN]


def pending(f: CaseFacts, today: date):
    return [d for d in case_deadlines(f, today) if d.key in CHAIN and not d.done]


# (re-assessments, reviews, legacy last review decision, today, the review chain expected)
CHAIN_CASES = [
    pytest.param((), (), None, D(2026, 3, 1), [("first_review_decision", None, D(2026, 4, 27), STATUS_OPEN, None)],
                 id="no re-assessment: 12 months from the plan"),
    pytest.param((reassessed(D(2026, 2, 2)),), (), None, D(2026, 3, 1), [
        ("first_review_decision", "reassessment-1", D(2026, 4, 27), STATUS_NOT_APPLICABLE, None),
        ("review_decision_next", None, D(2027, 2, 1), STATUS_OPEN, None)],
        id="plan after re-assessment before the first review was due: that review is overtaken"),
    pytest.param((reassessed(D(2026, 2, 2)),), (decided("r1", D(2025, 12, 1)),), None, D(2026, 3, 1), [
        ("first_review_decision", "r1", D(2026, 4, 27), STATUS_MET, D(2025, 12, 1)),
        ("review_decision_next", "reassessment-1", D(2026, 11, 30), STATUS_NOT_APPLICABLE, None),
        ("review_decision_next", None, D(2027, 2, 1), STATUS_OPEN, None)],
        id="review then re-assessed plan: 12 months from the later, the plan"),
    pytest.param((reassessed(D(2026, 2, 2)),), (decided("r1", D(2026, 10, 5)),), None, D(2026, 11, 1), [
        ("first_review_decision", "reassessment-1", D(2026, 4, 27), STATUS_NOT_APPLICABLE, None),
        ("review_decision_next", "r1", D(2027, 2, 1), STATUS_MET, D(2026, 10, 5)),
        ("review_decision_next", None, D(2027, 10, 4), STATUS_OPEN, None)],
        id="re-assessed plan then review: 12 months from the later, the review"),
    pytest.param((reassessed(D(2026, 6, 1)),), (), None, D(2026, 7, 1), [
        ("first_review_decision", "reassessment-1", D(2026, 4, 27), STATUS_MISSED, D(2026, 6, 1)),
        ("review_decision_next", None, D(2027, 5, 31), STATUS_OPEN, None)],
        id="review already overdue when the re-assessed plan came: it stays missed, closed"),
    pytest.param((reassessed(D(2026, 2, 2)),), (decided("r1", D(2026, 2, 2)),), None, D(2026, 3, 1), [
        ("first_review_decision", "r1", D(2026, 4, 27), STATUS_MET, D(2026, 2, 2)),
        ("review_decision_next", None, D(2027, 2, 1), STATUS_OPEN, None)],
        id="review decision and re-assessed plan the same day: nothing overtaken"),
    pytest.param((reassessed(D(2026, 2, 2)),), (), D(2025, 10, 1), D(2026, 3, 1), [
        ("review_decision_next", "reassessment-1", D(2026, 9, 30), STATUS_NOT_APPLICABLE, None),
        ("review_decision_next", None, D(2027, 2, 1), STATUS_OPEN, None)],
        id="review from the council's history, then a re-assessed plan"),
    pytest.param((reassessed(D(2026, 2, 2)), reassessed(D(2026, 9, 14), ref="2")), (), None, D(2026, 10, 1), [
        ("first_review_decision", "reassessment-1", D(2026, 4, 27), STATUS_NOT_APPLICABLE, None),
        ("review_decision_next", "reassessment-2", D(2027, 2, 1), STATUS_NOT_APPLICABLE, None),
        ("review_decision_next", None, D(2027, 9, 13), STATUS_OPEN, None)],
        id="two re-assessed plans: the later one counts"),
    pytest.param((ReassessmentClock("1", D(2026, 1, 5), "refuse", D(2026, 1, 19)),
                  ReassessmentClock("2", D(2026, 2, 2), "reassess", D(2026, 2, 10))), (), None, D(2026, 3, 1),
                 [("first_review_decision", None, D(2026, 4, 27), STATUS_OPEN, None)],
                 id="a refusal, and a re-assessment with no plan yet, change nothing"),
    pytest.param((reassessed(D(2026, 2, 2), restarts_review=False),), (), None, D(2026, 3, 1),
                 [("first_review_decision", None, D(2026, 4, 27), STATUS_OPEN, None)],
                 id="a council configured not to restart the clock [U]"),
]


@pytest.mark.parametrize(("clocks", "reviews", "legacy", "today", "want"), CHAIN_CASES)
def test_review_chain_after_a_reassessed_plan(clocks, reviews, legacy, today, want):
    assert chain(facts(*clocks, reviews=tuple(reviews), last_review_decision_on=legacy), today) == want


def test_the_review_after_a_reassessed_plan_says_so_with_its_sources():
    rows = {(d.key, d.ref): d for d in case_deadlines(facts(reassessed(D(2026, 2, 2))), D(2026, 3, 1))}
    running = rows[("review_decision_next", None)]
    assert running.label == "Next annual review decision (12 months from the plan after re-assessment)"
    assert running.source == REVIEW_AFTER_REASSESSMENT_SOURCE
    assert S44 in running.source and "reg 27(1)" in running.source
    overtaken = rows[("first_review_decision", "reassessment-1")]
    assert overtaken.label == "First annual review decision (overtaken by the plan after re-assessment)"
    assert overtaken.done and overtaken.source == REVIEW_AFTER_REASSESSMENT_SOURCE


def test_after_a_later_review_the_chain_is_an_ordinary_one_again():
    f = facts(reassessed(D(2026, 2, 2)), reviews=(decided("r1", D(2026, 10, 5)),))
    running = pending(f, D(2026, 11, 1))
    assert [(d.due, d.label, d.source) for d in running] == [(D(2027, 10, 4), "Next annual review decision", S44)]


def test_the_reassessed_plan_is_the_next_deadline_that_counts_on_a_caseload():
    from ehcflow.deadlines.engine import next_deadline

    f = facts(reassessed(D(2026, 2, 2)))
    nxt = next_deadline(case_deadlines(f, D(2026, 3, 1)))
    assert (nxt.key, nxt.due) == ("review_decision_next", D(2027, 2, 1))


def test_a_ceased_plan_has_no_review_after_its_reassessed_plan():
    f = facts(reassessed(D(2026, 2, 2)), cessation=CessationClock("9", D(2026, 6, 1)))
    assert not pending(f, D(2026, 7, 1))
    assert [d.status for d in case_deadlines(f, D(2026, 7, 1)) if d.key in CHAIN] == [STATUS_NOT_APPLICABLE] * 2


event_days = st.lists(st.tuples(st.sampled_from(["review", "reassessed"]), st.integers(1, 1500)), max_size=6)


@given(events=event_days, today_after=st.integers(0, 2000))
def test_the_running_review_is_12_months_from_the_later_of_the_last_review_and_the_last_reassessed_plan(
        events, today_after):
    """Invariant: one review deadline runs, due 12 months from the latest of the plan, any review decision and
    any plan after re-assessment (CFA s.44(1)); every deadline has its own (key, ref), as stored rows need."""
    reviews = tuple(decided(f"r{i}", ISSUED + timedelta(days=n)) for i, (kind, n) in enumerate(events)
                    if kind == "review")
    clocks = tuple(reassessed(ISSUED + timedelta(days=n), ref=str(i)) for i, (kind, n) in enumerate(events)
                   if kind == "reassessed")
    f = facts(*clocks, reviews=reviews)
    today = ISSUED + timedelta(days=today_after)
    running = pending(f, today)
    latest = max([ISSUED] + [r.decision_on for r in reviews] + [c.plan_issued_on for c in clocks])
    assert len(running) == 1 and running[0].due == within_12_months_starting(latest)
    keys = [(d.key, d.ref) for d in case_deadlines(f, today)]
    assert len(keys) == len(set(keys))
