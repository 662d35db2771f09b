"""Annual reviews and amendments in the engine: fixed dates from the reference's worked example."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ehcflow.deadlines.engine import (
    NO_EXCEPTIONS_MESSAGE,
    STATUS_MET,
    STATUS_MISSED,
    STATUS_OPEN,
    AmendmentClock,
    CaseFacts,
    ExceptionRecord,
    ReviewClock,
    case_deadlines,
    next_deadline,
    validate_exception,
)
from ehcflow.deadlines.rules import preparing_for_adulthood, under5_review_due, year_group

D = date
ISSUED = D(2025, 4, 28)
MEETING = D(2025, 11, 3)


def facts(reviews=(), amendments=(), last=None) -> CaseFacts:
    return CaseFacts(received_on=D(2025, 1, 6), decision_on=D(2025, 2, 10), decision="assess", outcome="issue",
                     outcome_on=D(2025, 3, 24), draft_served_on=D(2025, 4, 2), final_issued_on=ISSUED,
                     last_review_decision_on=last, reviews=tuple(reviews), amendments=tuple(amendments))


def keyed(f: CaseFacts, today: date) -> dict[tuple[str, str | None], object]:
    return {(d.key, d.ref): d for d in case_deadlines(f, today)}


# (review clock, today, key, expected due, expected status)
REVIEW_CASES = [
    (ReviewClock("r", meeting_on=MEETING), D(2025, 10, 1), "review_notice", D(2025, 10, 20), STATUS_OPEN),
    (ReviewClock("r", meeting_on=MEETING), D(2025, 10, 21), "review_notice", D(2025, 10, 20), STATUS_MISSED),
    (ReviewClock("r", MEETING, invitations_sent_on=D(2025, 10, 20)), D(2025, 11, 1), "review_notice",
     D(2025, 10, 20), STATUS_MET),
    (ReviewClock("r", MEETING, invitations_sent_on=D(2025, 10, 21)), D(2025, 11, 1), "review_notice",
     D(2025, 10, 20), STATUS_MISSED),
    (ReviewClock("r", MEETING), D(2025, 11, 17), "review_report", D(2025, 11, 17), STATUS_OPEN),
    (ReviewClock("r", MEETING, report_received_on=D(2025, 11, 17)), D(2025, 12, 1), "review_report",
     D(2025, 11, 17), STATUS_MET),
    (ReviewClock("r", MEETING), D(2025, 11, 18), "review_report", D(2025, 11, 17), STATUS_MISSED),
    (ReviewClock("r", MEETING), D(2025, 12, 1), "review_decision", D(2025, 12, 1), STATUS_OPEN),
    (ReviewClock("r", MEETING, decision="amend", decision_on=D(2025, 12, 1)), D(2026, 1, 1), "review_decision",
     D(2025, 12, 1), STATUS_MET),
    (ReviewClock("r", MEETING, decision="maintain", decision_on=D(2025, 12, 2)), D(2026, 1, 1), "review_decision",
     D(2025, 12, 1), STATUS_MISSED),
]


@pytest.mark.parametrize(("clock", "today", "key", "due", "status"), REVIEW_CASES)
def test_review_deadlines(clock, today, key, due, status) -> None:
    row = keyed(facts([clock]), today)[(key, "r")]
    assert (row.due, row.status) == (due, status)


# (amendment clock, today, key, expected due, expected status, expected met_on)
AMENDMENT_CASES = [
    (AmendmentClock("a", D(2025, 12, 1)), D(2025, 12, 15), "amendment_representations_close", D(2025, 12, 15),
     STATUS_OPEN, None),
    (AmendmentClock("a", D(2025, 12, 1)), D(2025, 12, 16), "amendment_representations_close", D(2025, 12, 15),
     STATUS_MET, D(2025, 12, 15)),  # the family's time: met once it ends
    (AmendmentClock("a", D(2025, 12, 1), representations_received_on=D(2025, 12, 5)), D(2025, 12, 6),
     "amendment_representations_close", D(2025, 12, 15), STATUS_MET, D(2025, 12, 5)),
    (AmendmentClock("a", D(2025, 12, 1)), D(2026, 1, 26), "amended_plan_final", D(2026, 1, 26), STATUS_OPEN, None),
    (AmendmentClock("a", D(2025, 12, 1)), D(2026, 1, 27), "amended_plan_final", D(2026, 1, 26), STATUS_MISSED, None),
    (AmendmentClock("a", D(2025, 12, 1), completed_on=D(2026, 1, 26), outcome="amended"), D(2026, 3, 1),
     "amended_plan_final", D(2026, 1, 26), STATUS_MET, D(2026, 1, 26)),
    (AmendmentClock("a", D(2025, 12, 1), completed_on=D(2026, 1, 27), outcome="not_amending"), D(2026, 3, 1),
     "amended_plan_final", D(2026, 1, 26), STATUS_MISSED, D(2026, 1, 27)),
]


@pytest.mark.parametrize(("clock", "today", "key", "due", "status", "met_on"), AMENDMENT_CASES)
def test_amendment_deadlines(clock, today, key, due, status, met_on) -> None:
    row = keyed(facts(amendments=[clock]), today)[(key, "a")]
    assert (row.due, row.status, row.met_on) == (due, status, met_on)


def test_worked_example_meeting_to_final_amended_plan() -> None:
    review = ReviewClock("r", MEETING, D(2025, 10, 20), D(2025, 11, 14), "amend", D(2025, 12, 1))
    amendment = AmendmentClock("a", D(2025, 12, 1))
    rows = keyed(facts([review], [amendment], last=D(2025, 12, 1)), D(2025, 12, 2))
    assert rows[("review_decision", "r")].due == D(2025, 12, 1)
    assert rows[("amended_plan_final", "a")].due == D(2026, 1, 26)
    assert rows[("first_review_decision", "r")].status == STATUS_MET
    assert rows[("review_decision_next", None)].due == D(2026, 11, 30)
    nxt = next_deadline(case_deadlines(facts([review], [amendment], last=D(2025, 12, 1)), D(2025, 12, 2)))
    assert (nxt.key, nxt.due) == ("amendment_representations_close", D(2025, 12, 15))


def test_each_review_decision_meets_the_one_before_and_restarts_the_clock() -> None:
    first = ReviewClock("1", D(2026, 3, 2), decision="maintain", decision_on=D(2026, 3, 20))
    second = ReviewClock("2", D(2027, 5, 3), decision="maintain", decision_on=D(2027, 5, 20))
    rows = keyed(facts([second, first], last=D(2027, 5, 20)), D(2027, 6, 1))
    assert (rows[("first_review_decision", "1")].due, rows[("first_review_decision", "1")].status) == (
        D(2026, 4, 27), STATUS_MET)
    assert (rows[("review_decision_next", "2")].due, rows[("review_decision_next", "2")].status) == (
        D(2027, 3, 19), STATUS_MISSED)  # more than 12 months after the first decision
    assert rows[("review_decision_next", None)].due == D(2028, 5, 19)


def test_a_loaded_last_review_date_still_starts_the_chain() -> None:
    review = ReviewClock("r", D(2026, 9, 1), decision="maintain", decision_on=D(2026, 9, 10))
    rows = keyed(facts([review], last=D(2025, 10, 1)), D(2026, 9, 11))
    assert rows[("review_decision_next", "r")].due == D(2026, 9, 30)
    assert rows[("review_decision_next", "r")].status == STATUS_MET
    assert ("first_review_decision", "r") not in rows


def test_an_open_review_without_a_date_adds_no_meeting_deadlines() -> None:
    rows = keyed(facts([ReviewClock("r")]), D(2025, 6, 1))
    assert not any(key.startswith("review_") and key != "review_decision_next" for key, _ in rows)


@pytest.mark.parametrize("key", ["review_notice", "review_report", "review_decision",
                                 "amendment_representations_close", "amended_plan_final"])
def test_no_exceptions_for_reviews_and_amendments(key) -> None:
    with pytest.raises(ValueError, match=NO_EXCEPTIONS_MESSAGE):
        validate_exception(facts(), ExceptionRecord(key, "A(c)", "evidence", D(2025, 11, 1)))


@pytest.mark.parametrize(("dob", "on", "expected"), [
    (D(2017, 3, 27), D(2025, 11, 3), 4),
    (D(2016, 9, 1), D(2025, 11, 3), 4),  # oldest in the year
    (D(2016, 8, 31), D(2025, 11, 3), 5),  # youngest in the year above
    (D(2012, 1, 10), D(2025, 11, 3), 9),
    (D(2012, 1, 10), D(2025, 8, 31), 8),
    (D(2021, 6, 1), D(2025, 11, 3), 0),  # Reception
    (D(2023, 6, 1), D(2025, 11, 3), -2),
])
def test_year_group(dob, on, expected) -> None:
    assert year_group(dob, on) == expected
    assert preparing_for_adulthood(dob, on) == (expected >= 9)


def test_under5_flag_is_guidance_only() -> None:
    assert under5_review_due(D(2022, 1, 10), ISSUED, D(2025, 6, 1)) == D(2025, 10, 28)
    assert under5_review_due(D(2022, 1, 10), ISSUED, D(2025, 6, 1), months=3) == D(2025, 7, 28)
    assert under5_review_due(D(2020, 1, 10), ISSUED, D(2025, 6, 1)) is None  # 5 already
    plain = keyed(facts(), D(2025, 6, 1))
    assert plain[("first_review_decision", None)].due == D(2026, 4, 27)  # statutory date unchanged


@given(meeting=st.dates(min_value=D(2025, 5, 1), max_value=D(2040, 1, 1)),
       late=st.integers(min_value=-20, max_value=60))
def test_amended_plan_is_due_twelve_weeks_after_a_meeting_when_proposals_go_with_the_decision(meeting, late):
    decision_on = meeting + timedelta(weeks=4)
    review = ReviewClock("r", meeting, decision="amend", decision_on=decision_on)
    amendment = AmendmentClock("a", decision_on, completed_on=decision_on + timedelta(days=56 + late))
    rows = keyed(facts([review], [amendment]), decision_on + timedelta(days=200))
    final = rows[("amended_plan_final", "a")]
    assert final.due == meeting + timedelta(weeks=12)
    assert final.status == (STATUS_MET if late <= 0 else STATUS_MISSED)
    assert rows[("amendment_representations_close", "a")].due == decision_on + timedelta(days=14)
