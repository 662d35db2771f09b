"""Phase transfers (SEND Regulations 2014 regs 2 and 18) with fixed dates: which move, when, and its deadline."""

import datetime

import pytest

from ehcflow.deadlines import engine
from ehcflow.deadlines.phase_transfer import (
    PhaseTransferClock,
    cohort_for,
    current_clock,
    new_setting_refusal,
    next_september,
    next_transfer,
    transfer_due,
    transfer_phase,
)

d = datetime.date
TODAY = d(2026, 11, 22)


@pytest.mark.parametrize("dob, phase, kind, transfer_on, due_on", [
    # early years -> Reception: born 1 Sep 2022 - 31 Aug 2023 start school September 2027
    (d(2022, 9, 1), "early_years", "early_years_to_school", d(2027, 9, 1), d(2027, 2, 14)),
    (d(2023, 8, 31), "early_years", "early_years_to_school", d(2027, 9, 1), d(2027, 2, 14)),
    (d(2022, 8, 31), "early_years", "early_years_to_school", None, None),
    # infant (Year 2 now) -> junior, Year 3 in September 2027
    (d(2019, 9, 1), "infant", "infant_to_junior", d(2027, 9, 1), d(2027, 2, 14)),
    # first school -> middle school at Year 5
    (d(2017, 12, 25), "first", "primary_to_middle", d(2027, 9, 1), d(2027, 2, 14)),
    # primary (Year 6 now) -> secondary (reference §5: September 2027 -> 14 February 2027)
    (d(2016, 3, 1), "primary", "primary_to_secondary", d(2027, 9, 1), d(2027, 2, 14)),
    (d(2016, 3, 1), "junior", "primary_to_secondary", d(2027, 9, 1), d(2027, 2, 14)),
    # primary, Year 4 now: Year 7 in September 2029
    (d(2018, 1, 10), "primary", "primary_to_secondary", d(2029, 9, 1), d(2029, 2, 14)),
    # middle (Year 8 now) -> secondary at Year 9
    (d(2014, 5, 5), "middle", "middle_to_secondary", d(2027, 9, 1), d(2027, 2, 14)),
    # secondary (Year 11 now) -> post-16: before 31 March -> 30 March
    (d(2011, 6, 30), "secondary", "secondary_to_post16", d(2027, 9, 1), d(2027, 3, 30)),
])
def test_next_transfer(dob, phase, kind, transfer_on, due_on):
    clock = next_transfer(dob, phase, TODAY)
    if transfer_on is None:
        assert clock is None  # already in Reception or beyond: not due from early years
    else:
        assert clock == PhaseTransferClock(kind=kind, transfer_on=transfer_on, due_on=due_on)


def test_the_31_august_cut_off():
    # Born 31 August 2016: the youngest of the 2015/16 cohort -> Year 7 in 2027;
    # born 1 September 2016 is the oldest of the next cohort -> Year 7 in 2028.
    assert next_transfer(d(2016, 8, 31), "primary", TODAY).transfer_on == d(2027, 9, 1)
    assert next_transfer(d(2016, 9, 1), "primary", TODAY).transfer_on == d(2028, 9, 1)
    assert cohort_for(7, d(2027, 9, 1)) == (d(2015, 9, 1), d(2016, 8, 31))
    assert cohort_for(0, d(2027, 9, 1)) == (d(2022, 9, 1), d(2023, 8, 31))


def test_leap_year_births_and_deadlines():
    # Born 29 February 2016: the 2015/16 cohort.
    assert next_transfer(d(2016, 2, 29), "primary", TODAY).transfer_on == d(2027, 9, 1)
    # 5 months before a post-16 move on 31 July 2028 is 29 February 2028 (leap year), 28 February in 2027.
    assert transfer_due("post16_to_post16", d(2028, 7, 31)) == d(2028, 2, 29)
    assert transfer_due("post16_to_post16", d(2027, 7, 31)) == d(2027, 2, 28)
    assert transfer_due("post16_to_post16", d(2027, 1, 15)) == d(2026, 8, 15)
    # The fixed dates do not move in a leap year.
    assert transfer_due("primary_to_secondary", d(2028, 9, 1)) == d(2028, 2, 14)
    assert transfer_due("secondary_to_post16", d(2028, 9, 1)) == d(2028, 3, 30)


def test_the_next_september_and_the_day_of_the_move():
    assert next_september(d(2027, 8, 31)) == d(2027, 9, 1)
    assert next_september(d(2027, 9, 1)) == d(2027, 9, 1)
    assert next_september(d(2027, 9, 2)) == d(2028, 9, 1)
    # After the deadline and before the move the same move is still the next one.
    assert next_transfer(d(2016, 3, 1), "primary", d(2027, 6, 1)).transfer_on == d(2027, 9, 1)


@pytest.mark.parametrize("phase", [None, "", "not_applicable", "post16", "all_through"])
def test_no_automatic_move(phase):
    assert next_transfer(d(2012, 1, 1), phase, TODAY) is None


def test_a_child_past_the_move_at_the_setting_has_none():
    assert next_transfer(d(2014, 1, 1), "primary", TODAY) is None  # Year 7 on record at a primary


@pytest.mark.parametrize("phase, name, expected", [
    ("primary", "Oakfield Primary School", "primary"),
    ("primary", "Ash Infant and Nursery School", "infant"),
    ("primary", "Elm Junior School", "junior"),
    ("primary", "Birch Junior and Infant School", "primary"),
    ("primary", "Holme First School", "first"),
    ("middle", "Holme Middle School", "middle"),
    ("secondary", "Beech Hill Academy", "secondary"),
    ("not_applicable", "Learning Centre", None),
    ("", "", None),
])
def test_transfer_phase(phase, name, expected):
    assert transfer_phase(phase, name) == expected


@pytest.mark.parametrize("kind, phase, allowed", [
    ("primary_to_secondary", "secondary", True),
    ("primary_to_secondary", "primary", False),
    ("primary_to_secondary", "early_years", False),
    ("early_years_to_school", "infant", True),
    ("early_years_to_school", "secondary", False),
    ("infant_to_junior", "junior", True),
    ("primary_to_middle", "middle", True),
    ("primary_to_middle", "secondary", False),
    ("middle_to_secondary", "secondary", True),
    ("secondary_to_post16", "post16", True),
    ("secondary_to_post16", "primary", False),
    ("post16_to_post16", "post16", True),
    ("post16_to_post16", None, False),
])
def test_new_setting_phase(kind, phase, allowed):
    assert (new_setting_refusal(kind, phase) is None) == allowed


def test_recorded_transfer_wins_while_open_or_current():
    derived = next_transfer(d(2016, 3, 1), "primary", TODAY)
    recorded = PhaseTransferClock("post16_to_post16", d(2027, 1, 10), d(2026, 8, 10))
    assert current_clock(date_of_birth=d(2016, 3, 1), phase="primary", today=TODAY) == derived
    assert current_clock(date_of_birth=d(2016, 3, 1), phase="primary", today=TODAY, recorded=recorded,
                         recorded_open=True) == recorded
    # A completed, older move gives way to the next one due.
    assert current_clock(date_of_birth=d(2016, 3, 1), phase="primary", today=TODAY, recorded=recorded) == derived


PLAN = dict(received_on=d(2025, 1, 6), decision_on=d(2025, 2, 10), decision="assess", outcome_on=d(2025, 3, 24),
            outcome="issue", final_issued_on=d(2025, 4, 28))


def _pt(deadlines):
    return [x for x in deadlines if x.key == "phase_transfer_amendment"]


@pytest.mark.parametrize("completed_on, today, status", [
    (None, d(2027, 2, 14), "open"),
    (None, d(2027, 2, 15), "missed"),
    (d(2027, 2, 14), d(2027, 3, 1), "met"),
    (d(2027, 2, 15), d(2027, 3, 1), "missed"),
])
def test_engine_emits_the_deadline(completed_on, today, status):
    clock = PhaseTransferClock("primary_to_secondary", d(2027, 9, 1), d(2027, 2, 14), completed_on)
    facts = engine.CaseFacts(**PLAN, phase_transfer=clock)
    (deadline,) = _pt(engine.case_deadlines(facts, today))
    assert (deadline.due, deadline.status, deadline.met_on) == (d(2027, 2, 14), status, completed_on)
    assert deadline.source == "SEND Regulations 2014 reg 18(1)-(2)" and deadline.exception is None


def test_no_exceptions_and_none_before_the_plan():
    record = engine.ExceptionRecord("phase_transfer_amendment", "A(c)", "Family illness", d(2027, 1, 1))
    facts = engine.CaseFacts(**PLAN, phase_transfer=PhaseTransferClock("primary_to_secondary", d(2027, 9, 1),
                                                                       d(2027, 2, 14)), exceptions=(record,))
    with pytest.raises(ValueError):
        engine.validate_exception(facts, record)
    assert _pt(engine.case_deadlines(facts, d(2027, 3, 1)))[0].status == "missed"
    before = engine.CaseFacts(received_on=d(2025, 1, 6), phase_transfer=facts.phase_transfer)
    assert _pt(engine.case_deadlines(before, d(2027, 3, 1))) == []
