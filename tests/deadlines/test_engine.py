"""Case deadline statuses: met, missed, open, exception_applies and not_applicable."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehcflow.deadlines.engine import (
    SET_A_REASONS,
    SET_B_REASONS,
    STATUS_EXCEPTION,
    STATUS_MET,
    STATUS_MISSED,
    STATUS_NOT_APPLICABLE,
    STATUS_OPEN,
    AdviceClock,
    CaseFacts,
    Deadline,
    ExceptionRecord,
    case_deadlines,
    next_deadline,
    validate_exception,
)

RECEIVED = date(2025, 1, 6)  # §5: decision 2025-02-17, no-plan decision 2025-04-28, plan 2025-05-26
DECISION_DUE = date(2025, 2, 17)
NOT_ISSUE_DUE = date(2025, 4, 28)
PLAN_DUE = date(2025, 5, 26)


def by_key(deadlines: list[Deadline]) -> dict[str, Deadline]:
    return {d.key: d for d in deadlines if d.key != "advice_due"}


def advice_by_ref(deadlines: list[Deadline]) -> dict[str | None, Deadline]:
    return {d.ref: d for d in deadlines if d.key == "advice_due"}


def exc(key: str, reason: str, ref: str | None = None) -> ExceptionRecord:
    return ExceptionRecord(key, reason, "letter on file", date(2025, 2, 1), ref)


def test_new_case_has_three_open_deadlines_in_due_order() -> None:
    deadlines = case_deadlines(CaseFacts(received_on=RECEIVED), date(2025, 1, 10))
    assert [(d.key, d.due, d.status) for d in deadlines] == [
        ("decision_to_assess", DECISION_DUE, STATUS_OPEN),
        ("decision_not_to_issue", NOT_ISSUE_DUE, STATUS_OPEN),
        ("final_plan", PLAN_DUE, STATUS_OPEN),
    ]
    assert all(not d.done and d.met_on is None for d in deadlines)
    assert deadlines[0].label == "Decision whether to assess"
    assert "reg 5(1)" in deadlines[0].source
    assert next_deadline(deadlines) == deadlines[0]
    assert deadlines[0].days_left(date(2025, 1, 10)) == 38
    assert deadlines[0].days_left(date(2025, 2, 20)) == -3


@pytest.mark.parametrize(
    ("decision_on", "today", "status"),
    [
        (date(2025, 2, 17), date(2025, 3, 1), STATUS_MET),  # on the due day
        (date(2025, 2, 1), date(2025, 3, 1), STATUS_MET),
        (date(2025, 2, 18), date(2025, 3, 1), STATUS_MISSED),  # a day late
        (None, date(2025, 2, 17), STATUS_OPEN),  # due today
        (None, date(2025, 2, 18), STATUS_MISSED),  # passed, not done
    ],
)
def test_decision_to_assess_status(decision_on: date | None, today: date, status: str) -> None:
    facts = CaseFacts(
        received_on=RECEIVED,
        decision_on=decision_on,
        decision="assess" if decision_on else None,
    )
    deadline = by_key(case_deadlines(facts, today))["decision_to_assess"]
    assert deadline.status == status
    assert deadline.met_on == decision_on
    assert deadline.done is (decision_on is not None)
    assert deadline.due == DECISION_DUE


@pytest.mark.parametrize(
    ("decision_on", "today", "status", "uses_exception"),
    [
        (None, date(2025, 3, 1), STATUS_EXCEPTION, True),  # late and not done
        (
            None,
            date(2025, 2, 10),
            STATUS_EXCEPTION,
            True,
        ),  # not done yet: the limit is disapplied
        (date(2025, 3, 1), date(2025, 3, 5), STATUS_EXCEPTION, True),  # done late
        (
            date(2025, 2, 10),
            date(2025, 3, 5),
            STATUS_MET,
            False,
        ),  # done on time: exception unused
    ],
)
def test_set_a_exception_on_decision(decision_on: date | None, today: date, status: str, uses_exception: bool) -> None:
    record = exc("decision_to_assess", "A(d)")
    facts = CaseFacts(
        received_on=RECEIVED,
        decision_on=decision_on,
        decision="assess" if decision_on else None,
        exceptions=(record,),
    )
    deadline = by_key(case_deadlines(facts, today))["decision_to_assess"]
    assert deadline.status == status
    assert deadline.due == DECISION_DUE  # an exception never moves the date
    assert deadline.exception == (record if uses_exception else None)


def test_invalid_exception_record_is_ignored() -> None:
    facts = CaseFacts(received_on=RECEIVED, exceptions=(exc("decision_to_assess", "B(a)"),))
    deadline = by_key(case_deadlines(facts, date(2025, 3, 1)))["decision_to_assess"]
    assert deadline.status == STATUS_MISSED
    assert deadline.exception is None


def test_exception_for_another_deadline_does_not_apply() -> None:
    facts = CaseFacts(received_on=RECEIVED, exceptions=(exc("final_plan", "A(c)"),))
    deadlines = by_key(case_deadlines(facts, date(2025, 6, 1)))
    assert deadlines["decision_to_assess"].status == STATUS_MISSED
    assert deadlines["decision_not_to_issue"].status == STATUS_MISSED
    assert deadlines["final_plan"].status == STATUS_EXCEPTION


def test_not_assess_path() -> None:
    facts = CaseFacts(received_on=RECEIVED, decision_on=date(2025, 2, 10), decision="not_assess")
    deadlines = case_deadlines(facts, date(2025, 6, 1))
    keyed = by_key(deadlines)
    assert keyed["decision_to_assess"].status == STATUS_MET
    assert keyed["decision_to_assess"].met_on == date(2025, 2, 10)
    assert keyed["decision_not_to_issue"].status == STATUS_NOT_APPLICABLE
    assert keyed["final_plan"].status == STATUS_NOT_APPLICABLE
    assert keyed["final_plan"].due == PLAN_DUE
    assert all(d.done for d in deadlines)
    assert next_deadline(deadlines) is None


def test_not_assess_makes_unreturned_advice_not_applicable() -> None:
    clocks = (
        AdviceClock("EP", "Educational psychologist", date(2025, 1, 20)),
        AdviceClock("SCHOOL", "Head teacher", date(2025, 1, 20), None, date(2025, 2, 3)),
    )
    facts = CaseFacts(
        received_on=RECEIVED,
        decision_on=date(2025, 2, 10),
        decision="not_assess",
        advice=clocks,
    )
    advice = advice_by_ref(case_deadlines(facts, date(2025, 6, 1)))
    assert advice["EP"].status == STATUS_NOT_APPLICABLE
    assert advice["EP"].done
    assert advice["SCHOOL"].status == STATUS_MET


def test_late_refusal_to_assess_is_missed() -> None:
    facts = CaseFacts(received_on=RECEIVED, decision_on=date(2025, 2, 20), decision="not_assess")
    assert by_key(case_deadlines(facts, date(2025, 3, 1)))["decision_to_assess"].status == STATUS_MISSED


@pytest.mark.parametrize(
    ("outcome_on", "status"),
    [
        (date(2025, 4, 20), STATUS_MET),
        (date(2025, 4, 28), STATUS_MET),
        (date(2025, 5, 1), STATUS_MISSED),
    ],
)
def test_not_issue_path(outcome_on: date, status: str) -> None:
    facts = CaseFacts(
        received_on=RECEIVED,
        decision_on=date(2025, 2, 10),
        decision="assess",
        outcome_on=outcome_on,
        outcome="not_issue",
    )
    deadlines = case_deadlines(facts, date(2025, 6, 1))
    keyed = by_key(deadlines)
    assert keyed["decision_not_to_issue"].status == status
    assert keyed["decision_not_to_issue"].met_on == outcome_on
    assert keyed["final_plan"].status == STATUS_NOT_APPLICABLE
    assert "first_review_decision" not in keyed
    assert next_deadline(deadlines) is None


@pytest.mark.parametrize(
    ("final_on", "status"),
    [(date(2025, 5, 26), STATUS_MET), (date(2025, 5, 27), STATUS_MISSED)],
)
def test_issue_path_and_first_review(final_on: date, status: str) -> None:
    facts = CaseFacts(
        received_on=RECEIVED,
        decision_on=date(2025, 2, 10),
        decision="assess",
        outcome_on=date(2025, 4, 1),
        outcome="issue",
        draft_served_on=date(2025, 4, 2),
        comments_received_on=date(2025, 4, 14),
        final_issued_on=final_on,
    )
    today = date(2025, 6, 1)
    deadlines = case_deadlines(facts, today)
    keyed = by_key(deadlines)
    assert keyed["decision_not_to_issue"].status == STATUS_NOT_APPLICABLE
    assert keyed["final_plan"].status == status
    assert keyed["final_plan"].met_on == final_on
    review = keyed["first_review_decision"]
    assert review.due == final_on.replace(year=2026) - timedelta(days=1)
    assert review.status == STATUS_OPEN
    assert not review.done
    assert "review_decision_next" not in keyed
    assert next_deadline(deadlines) == review
    assert [d.due for d in deadlines] == sorted(d.due for d in deadlines)


def test_first_review_missed_when_overdue() -> None:
    facts = CaseFacts(
        received_on=RECEIVED,
        decision="assess",
        decision_on=date(2025, 2, 1),
        final_issued_on=date(2025, 5, 1),
    )
    review = by_key(case_deadlines(facts, date(2026, 5, 1)))["first_review_decision"]
    assert review.due == date(2026, 4, 30)
    assert review.status == STATUS_MISSED


def test_next_review_runs_from_last_review_decision() -> None:
    facts = CaseFacts(
        received_on=RECEIVED,
        decision="assess",
        decision_on=date(2025, 2, 1),
        final_issued_on=date(2025, 5, 1),
        last_review_decision_on=date(2026, 4, 15),
    )
    keyed = by_key(case_deadlines(facts, date(2027, 4, 15)))
    assert "first_review_decision" not in keyed
    assert keyed["review_decision_next"].due == date(2027, 4, 14)
    assert keyed["review_decision_next"].status == STATUS_MISSED
    keyed = by_key(case_deadlines(facts, date(2027, 4, 14)))
    assert keyed["review_decision_next"].status == STATUS_OPEN


def test_review_exception_is_rejected_and_ignored() -> None:
    facts = CaseFacts(
        received_on=RECEIVED,
        final_issued_on=date(2025, 5, 1),
        exceptions=(exc("first_review_decision", "A(c)"),),
    )
    review = by_key(case_deadlines(facts, date(2026, 6, 1)))["first_review_decision"]
    assert review.status == STATUS_MISSED
    with pytest.raises(ValueError, match="no exceptions apply to this deadline"):
        validate_exception(facts, facts.exceptions[0])


def test_withdrawn_case_makes_undone_steps_not_applicable() -> None:
    facts = CaseFacts(
        received_on=RECEIVED,
        decision_on=date(2025, 2, 10),
        decision="assess",
        advice=(AdviceClock("EP", "Educational psychologist", date(2025, 2, 12)),),
        withdrawn_on=date(2025, 3, 1),
    )
    deadlines = case_deadlines(facts, date(2025, 7, 1))
    keyed = by_key(deadlines)
    assert keyed["decision_to_assess"].status == STATUS_MET  # done before withdrawal
    assert keyed["decision_not_to_issue"].status == STATUS_NOT_APPLICABLE
    assert keyed["final_plan"].status == STATUS_NOT_APPLICABLE
    assert advice_by_ref(deadlines)["EP"].status == STATUS_NOT_APPLICABLE
    assert next_deadline(deadlines) is None


def test_withdrawn_before_any_step() -> None:
    facts = CaseFacts(received_on=RECEIVED, withdrawn_on=date(2025, 1, 20))
    deadlines = case_deadlines(facts, date(2025, 1, 21))
    assert {d.status for d in deadlines} == {STATUS_NOT_APPLICABLE}


@pytest.mark.parametrize(
    ("sent", "received", "due"),
    [
        (
            date(2025, 2, 17),
            date(2025, 2, 20),
            date(2025, 4, 3),
        ),  # from the day the body received it
        (
            date(2025, 2, 17),
            None,
            date(2025, 3, 31),
        ),  # no receipt date: from the day it was sent
    ],
)
def test_advice_clock_runs_from_receipt(sent: date, received: date | None, due: date) -> None:
    clock = AdviceClock("EP", "Educational psychologist", sent, received_on=received)
    facts = CaseFacts(
        received_on=RECEIVED,
        decision_on=date(2025, 2, 10),
        decision="assess",
        advice=(clock,),
    )
    advice = advice_by_ref(case_deadlines(facts, date(2025, 3, 1)))["EP"]
    assert advice.due == due
    assert advice.status == STATUS_OPEN
    assert advice.label and advice.source


@pytest.mark.parametrize(
    ("returned", "status"),
    [(date(2025, 4, 3), STATUS_MET), (date(2025, 4, 4), STATUS_MISSED)],
)
def test_advice_returned(returned: date, status: str) -> None:
    clock = AdviceClock("EP", "Educational psychologist", date(2025, 2, 17), date(2025, 2, 20), returned)
    facts = CaseFacts(
        received_on=RECEIVED,
        decision_on=date(2025, 2, 10),
        decision="assess",
        advice=(clock,),
    )
    advice = advice_by_ref(case_deadlines(facts, date(2025, 5, 1)))["EP"]
    assert advice.status == status
    assert advice.met_on == returned


def test_set_b_exception_applies_per_advice_ref() -> None:
    clocks = (
        AdviceClock("EP", "Educational psychologist", date(2025, 2, 17)),
        AdviceClock("HEALTH", "Paediatrician", date(2025, 2, 17)),
    )
    record = exc("advice_due", "B(c)", ref="HEALTH")
    facts = CaseFacts(
        received_on=RECEIVED,
        decision_on=date(2025, 2, 10),
        decision="assess",
        advice=clocks,
        exceptions=(record,),
    )
    deadlines = case_deadlines(facts, date(2025, 4, 15))
    advice = advice_by_ref(deadlines)
    assert advice["HEALTH"].status == STATUS_EXCEPTION
    assert advice["HEALTH"].exception == record
    assert advice["EP"].status == STATUS_MISSED
    assert advice["EP"].exception is None
    assert advice["EP"].due == advice["HEALTH"].due == date(2025, 3, 31)
    # ties on due and key are ordered by ref
    assert [d.ref for d in deadlines if d.key == "advice_due"] == ["EP", "HEALTH"]


def test_set_a_reason_does_not_lift_advice_deadline() -> None:
    clock = AdviceClock("EP", "Educational psychologist", date(2025, 2, 17))
    facts = CaseFacts(
        received_on=RECEIVED,
        decision="assess",
        decision_on=date(2025, 2, 1),
        advice=(clock,),
        exceptions=(exc("advice_due", "A(a)", ref="EP"),),
    )
    assert advice_by_ref(case_deadlines(facts, date(2025, 4, 15)))["EP"].status == STATUS_MISSED


def test_draft_comments_period() -> None:
    base = CaseFacts(
        received_on=RECEIVED,
        decision="assess",
        decision_on=date(2025, 2, 1),
        draft_served_on=date(2025, 4, 2),
    )
    open_ = by_key(case_deadlines(base, date(2025, 4, 16)))["draft_comments_close"]
    assert (open_.due, open_.status, open_.met_on) == (
        date(2025, 4, 16),
        STATUS_OPEN,
        None,
    )
    replied = by_key(case_deadlines(replace(base, comments_received_on=date(2025, 4, 9)), date(2025, 4, 10)))
    assert (
        replied["draft_comments_close"].status,
        replied["draft_comments_close"].met_on,
    ) == (
        STATUS_MET,
        date(2025, 4, 9),
    )
    lapsed = by_key(case_deadlines(base, date(2025, 4, 17)))["draft_comments_close"]
    assert (lapsed.status, lapsed.met_on) == (STATUS_MET, date(2025, 4, 16))
    assert lapsed.done
    assert "draft_comments_close" not in by_key(case_deadlines(replace(base, draft_served_on=None), date(2025, 4, 10)))


def test_next_deadline_skips_done_and_picks_earliest_pending() -> None:
    clock = AdviceClock("EP", "Educational psychologist", date(2025, 1, 20))
    facts = CaseFacts(
        received_on=RECEIVED,
        decision_on=date(2025, 1, 15),
        decision="assess",
        advice=(clock,),
    )
    deadlines = case_deadlines(facts, date(2025, 3, 10))
    chosen = next_deadline(deadlines)
    assert chosen is not None
    assert (chosen.key, chosen.ref, chosen.status) == (
        "advice_due",
        "EP",
        STATUS_MISSED,
    )
    assert next_deadline([]) is None


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (exc("decision_to_assess", "B(a)"), "A\\(a\\)"),
        (exc("final_plan", "A(e)"), "not an exception"),
        (exc("advice_due", "A(c)", ref="EP"), "B\\(a\\)"),
        (exc("advice_due", "B(a)", ref="SALT"), "no advice request 'SALT'"),
        (exc("advice_due", "B(a)"), "name the advice request"),
        (exc("draft_comments_close", "A(c)"), "no exceptions apply to this deadline"),
        (exc("review_decision_next", "A(c)"), "no exceptions apply to this deadline"),
        (exc("made_up", "A(c)"), "no exceptions apply to this deadline"),
        (ExceptionRecord("final_plan", "A(c)", "  ", date(2025, 2, 1)), "evidence"),
    ],
)
def test_validate_exception_errors(record: ExceptionRecord, message: str) -> None:
    facts = CaseFacts(
        received_on=RECEIVED,
        advice=(AdviceClock("EP", "Educational psychologist", date(2025, 2, 17)),),
    )
    with pytest.raises(ValueError, match=message):
        validate_exception(facts, record)


def test_refusal_to_assess_notice_has_no_exceptions() -> None:
    facts = CaseFacts(received_on=RECEIVED, decision="not_assess", decision_on=date(2025, 3, 1))
    with pytest.raises(ValueError, match="reg 4\\(1\\)"):
        validate_exception(facts, exc("decision_to_assess", "A(c)"))


@pytest.mark.parametrize(
    "record",
    [
        exc(key, reason)
        for key in ("decision_to_assess", "decision_not_to_issue", "final_plan")
        for reason in SET_A_REASONS
    ]
    + [exc("advice_due", reason, ref="EP") for reason in SET_B_REASONS],
)
def test_validate_exception_accepts_every_valid_reason(record: ExceptionRecord) -> None:
    facts = CaseFacts(
        received_on=RECEIVED,
        advice=(AdviceClock("EP", "Educational psychologist", date(2025, 2, 17)),),
    )
    assert validate_exception(facts, record) is None


def test_reason_codes() -> None:
    assert set(SET_A_REASONS) == {"A(a)", "A(b)", "A(c)", "A(d)"}
    assert set(SET_B_REASONS) == {"B(a)", "B(b)", "B(c)"}
    assert all(text.strip() for text in [*SET_A_REASONS.values(), *SET_B_REASONS.values()])


# --- property tests -------------------------------------------------------------------

DATES = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))


@st.composite
def case_facts(draw: st.DrawFn) -> CaseFacts:
    received = draw(DATES)

    def maybe_after(base: date, max_days: int) -> date | None:
        offset = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=max_days)))
        return None if offset is None else base + timedelta(days=offset)

    decision = draw(st.sampled_from([None, "assess", "not_assess"]))
    decision_on = maybe_after(received, 90) if decision else None
    advice = []
    if decision == "assess":
        for i in range(draw(st.integers(min_value=0, max_value=3))):
            sent = received + timedelta(days=draw(st.integers(min_value=0, max_value=60)))
            advice.append(
                AdviceClock(
                    f"R{i}",
                    f"Advice {i}",
                    sent,
                    maybe_after(sent, 10),
                    maybe_after(sent, 80),
                )
            )
    outcome = draw(st.sampled_from([None, "issue", "not_issue"])) if decision == "assess" else None
    outcome_on = maybe_after(received, 150) if outcome else None
    draft = maybe_after(received, 140) if outcome == "issue" else None
    comments = maybe_after(draft, 20) if draft else None
    final = maybe_after(received, 180) if outcome == "issue" else None
    last_review = maybe_after(final, 400) if final else None
    withdrawn = draw(st.one_of(st.none(), st.just(received + timedelta(days=draw(st.integers(0, 200))))))
    return CaseFacts(
        received_on=received,
        decision_on=decision_on,
        decision=decision,
        advice=tuple(advice),
        outcome_on=outcome_on,
        outcome=outcome,
        draft_served_on=draft,
        comments_received_on=comments,
        final_issued_on=final,
        last_review_decision_on=last_review,
        withdrawn_on=withdrawn,
    )


def valid_exception_options(facts: CaseFacts) -> list[ExceptionRecord]:
    keys = ["decision_not_to_issue", "final_plan"]
    if facts.decision != "not_assess":
        keys.append("decision_to_assess")
    options = [exc(key, reason) for key in keys for reason in SET_A_REASONS]
    options += [exc("advice_due", reason, ref=c.ref) for c in facts.advice for reason in SET_B_REASONS]
    return options


@settings(max_examples=200)
@given(data=st.data())
def test_valid_exceptions_never_change_due_dates(data: st.DataObject) -> None:
    facts = data.draw(case_facts())
    today = data.draw(st.builds(lambda n: facts.received_on + timedelta(days=n), st.integers(0, 900)))
    records = data.draw(st.lists(st.sampled_from(valid_exception_options(facts)), max_size=5))
    for record in records:
        validate_exception(facts, record)  # the generator only makes valid records
    with_exceptions = replace(facts, exceptions=tuple(records))
    before = {(d.key, d.ref): d.due for d in case_deadlines(facts, today)}
    after = {(d.key, d.ref): d.due for d in case_deadlines(with_exceptions, today)}
    assert before == after


@settings(max_examples=200)
@given(data=st.data())
def test_case_due_dates_never_precede_the_request(data: st.DataObject) -> None:
    facts = data.draw(case_facts())
    today = data.draw(st.builds(lambda n: facts.received_on + timedelta(days=n), st.integers(0, 900)))
    for deadline in case_deadlines(facts, today):
        assert deadline.due > facts.received_on
        if deadline.key == "advice_due":
            clock = next(c for c in facts.advice if c.ref == deadline.ref)
            assert deadline.due > clock.clock_starts_on


@settings(max_examples=200)
@given(data=st.data())
def test_done_on_time_is_always_met_whatever_exceptions_exist(
    data: st.DataObject,
) -> None:
    facts = data.draw(case_facts())
    early = data.draw(st.integers(min_value=0, max_value=42))
    facts = replace(facts, decision_on=facts.received_on + timedelta(days=early), decision="assess")
    records = data.draw(st.lists(st.sampled_from(valid_exception_options(facts)), min_size=1, max_size=6))
    facts = replace(facts, exceptions=tuple(records))
    today = data.draw(st.builds(lambda n: facts.received_on + timedelta(days=n), st.integers(0, 900)))
    deadlines = case_deadlines(facts, today)
    assert by_key(deadlines)["decision_to_assess"].status == STATUS_MET
    for deadline in deadlines:
        if deadline.met_on is not None and deadline.met_on <= deadline.due:
            assert deadline.status == STATUS_MET
            assert deadline.exception is None


@settings(max_examples=200)
@given(data=st.data())
def test_statuses_are_known_and_sorted(data: st.DataObject) -> None:
    facts = data.draw(case_facts())
    today = data.draw(st.builds(lambda n: facts.received_on + timedelta(days=n), st.integers(0, 900)))
    deadlines = case_deadlines(facts, today)
    assert {d.status for d in deadlines} <= {
        STATUS_OPEN,
        STATUS_MET,
        STATUS_MISSED,
        STATUS_EXCEPTION,
        STATUS_NOT_APPLICABLE,
    }
    order = [(d.due, d.key, d.ref or "") for d in deadlines]
    assert order == sorted(order)
    chosen = next_deadline(deadlines)
    pending = [d for d in deadlines if not d.done and d.status in {STATUS_OPEN, STATUS_MISSED, STATUS_EXCEPTION}]
    assert (chosen is None) == (not pending)
    if chosen is not None:
        assert chosen.due == min(d.due for d in pending)


def test_unreturned_advice_stops_being_awaited_once_the_final_plan_is_issued():
    from datetime import date

    from ehcflow.deadlines.engine import AdviceClock, CaseFacts, case_deadlines, next_deadline

    facts = CaseFacts(
        received_on=date(2025, 1, 6), decision_on=date(2025, 2, 10), decision="assess",
        advice=(AdviceClock(ref="1", label="EP", sent_on=date(2025, 2, 11)),),
        outcome_on=date(2025, 3, 24), outcome="issue", draft_served_on=date(2025, 4, 2),
        final_issued_on=date(2025, 4, 28),
    )
    rows = {d.key: d for d in case_deadlines(facts, date(2025, 6, 2))}
    assert rows["advice_due"].status == "not_applicable"
    assert next_deadline(list(rows.values())).key == "first_review_decision"
    during = case_deadlines(CaseFacts(**{**facts.__dict__, "final_issued_on": None}), date(2025, 6, 2))
    assert next(d for d in during if d.key == "advice_due").status == "missed"
