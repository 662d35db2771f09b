"""Counting conventions (statutory-timescales §0.5) against hand-worked dates."""

from __future__ import annotations

from datetime import date

import pytest

from ehcflow.deadlines.calendar import (
    add_days,
    add_months,
    add_weeks,
    is_working_day,
    next_working_day_on_or_after,
    period_beginning_with,
    tribunal_adjust,
    within_12_months_starting,
    working_days_after,
    working_days_beginning_with,
)


@pytest.mark.parametrize(
    ("start", "weeks", "expected"),
    [
        (date(2025, 1, 6), 6, date(2025, 2, 17)),
        (date(2025, 1, 6), 16, date(2025, 4, 28)),
        (date(2025, 1, 6), 20, date(2025, 5, 26)),  # a bank holiday: not moved
        (date(2024, 2, 1), 4, date(2024, 2, 29)),  # leap year
        (date(2023, 2, 1), 4, date(2023, 3, 1)),
        (date(2025, 12, 22), 2, date(2026, 1, 5)),
        (date(2025, 1, 6), 0, date(2025, 1, 6)),
    ],
)
def test_add_weeks_counts_calendar_days_without_the_event_day(start: date, weeks: int, expected: date) -> None:
    assert add_weeks(start, weeks) == expected


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 1)),
        (date(2025, 3, 10), 15, date(2025, 3, 25)),
        (date(2025, 11, 3), -14, date(2025, 10, 20)),
        (date(2024, 2, 28), 1, date(2024, 2, 29)),
    ],
)
def test_add_days(start: date, days: int, expected: date) -> None:
    assert add_days(start, days) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),  # clamped to month end
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year month end
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 8, 31), -5, date(2025, 3, 31)),
        (date(2025, 7, 31), -5, date(2025, 2, 28)),
        (date(2025, 11, 15), 2, date(2026, 1, 15)),  # across a year end
        (date(2025, 1, 15), -1, date(2024, 12, 15)),  # negative across a year end
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 5, 10), 0, date(2025, 5, 10)),
        (date(2023, 12, 30), 2, date(2024, 2, 29)),
    ],
)
def test_add_months_keeps_day_number_or_uses_month_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (date(2019, 1, 1), date(2019, 12, 31)),  # worked example §5
        (date(2025, 6, 15), date(2026, 6, 14)),
        (date(2025, 3, 1), date(2026, 2, 28)),
        (date(2019, 3, 1), date(2020, 2, 29)),  # ends on a leap day
        (
            date(2020, 2, 29),
            date(2021, 2, 27),
        ),  # starts on a leap day: anniversary 28 Feb
        (date(2023, 2, 28), date(2024, 2, 27)),
        (date(2025, 12, 31), date(2026, 12, 30)),
    ],
)
def test_within_12_months_starting_ends_the_day_before_the_anniversary(start: date, expected: date) -> None:
    assert within_12_months_starting(start) == expected


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2025, 4, 2), 15, date(2025, 4, 16)),  # worked example §5
        (date(2025, 1, 1), 1, date(2025, 1, 1)),
        (date(2025, 12, 20), 15, date(2026, 1, 3)),
    ],
)
def test_period_beginning_with_counts_the_first_day(start: date, days: int, expected: date) -> None:
    assert period_beginning_with(start, days) == expected


def test_period_beginning_with_rejects_empty_period() -> None:
    with pytest.raises(ValueError):
        period_beginning_with(date(2025, 1, 1), 0)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 1, 6), True),  # Monday
        (date(2025, 1, 4), False),  # Saturday
        (date(2025, 1, 5), False),  # Sunday
        (date(2025, 5, 26), False),  # Spring bank holiday
        (date(2025, 5, 27), True),
        (date(2025, 4, 18), False),  # Good Friday
        (date(2025, 4, 21), False),  # Easter Monday
        (date(2025, 4, 22), True),
        (date(2025, 8, 25), False),  # Summer bank holiday (England)
        (date(2025, 8, 4), True),  # Scottish summer holiday only
        (date(2025, 3, 17), True),  # St Patrick's Day: Northern Ireland only
        (date(2025, 12, 25), False),
        (date(2025, 12, 26), False),
        (date(2025, 12, 29), True),
        (date(2026, 1, 1), False),
        (date(2026, 1, 2), True),  # Scottish 2 January holiday only
        (date(2026, 12, 28), False),  # substitute Boxing Day
    ],
)
def test_is_working_day_uses_england_bank_holidays(day: date, expected: bool) -> None:
    assert is_working_day(day) is expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 1, 6), date(2025, 1, 6)),
        (date(2025, 1, 4), date(2025, 1, 6)),
        (date(2025, 4, 18), date(2025, 4, 22)),  # Easter
        (date(2025, 12, 25), date(2025, 12, 29)),
        (date(2026, 12, 25), date(2026, 12, 29)),  # through the substitute day
        (date(2025, 12, 31), date(2025, 12, 31)),
    ],
)
def test_next_working_day_on_or_after(day: date, expected: date) -> None:
    assert next_working_day_on_or_after(day) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2025, 1, 6), 1, date(2025, 1, 6)),  # the first day counts
        (date(2025, 1, 6), 5, date(2025, 1, 10)),
        (date(2025, 1, 4), 1, date(2025, 1, 6)),  # a Saturday does not count
        (date(2025, 1, 6), 15, date(2025, 1, 24)),
        (date(2025, 4, 14), 15, date(2025, 5, 7)),  # Easter and early May bank holidays
        (date(2025, 12, 15), 15, date(2026, 1, 7)),  # Christmas and New Year
        (date(2025, 4, 18), 3, date(2025, 4, 24)),  # starts on Good Friday
    ],
)
def test_working_days_beginning_with(start: date, n: int, expected: date) -> None:
    assert working_days_beginning_with(start, n) == expected


def test_working_days_beginning_with_rejects_zero() -> None:
    with pytest.raises(ValueError):
        working_days_beginning_with(date(2025, 1, 6), 0)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2025, 1, 6), 3, date(2025, 1, 9)),  # the day itself is not counted
        (date(2025, 1, 3), 3, date(2025, 1, 8)),  # over a weekend
        (date(2025, 12, 23), 3, date(2025, 12, 30)),  # over Christmas
        (date(2025, 4, 17), 3, date(2025, 4, 24)),  # over Easter
    ],
)
def test_working_days_after(start: date, n: int, expected: date) -> None:
    assert working_days_after(start, n) == expected


@pytest.mark.parametrize(
    ("deadline", "expected"),
    [
        (date(2025, 3, 10), date(2025, 3, 10)),  # a working day: unchanged
        (date(2025, 3, 8), date(2025, 3, 10)),  # Saturday -> Monday
        (date(2025, 5, 26), date(2025, 5, 27)),  # bank holiday -> next day
        (
            date(2025, 12, 24),
            date(2025, 12, 24),
        ),  # Christmas Eve is not in the closed period
        (date(2025, 12, 25), date(2026, 1, 2)),
        (date(2025, 12, 31), date(2026, 1, 2)),
        (date(2026, 1, 1), date(2026, 1, 2)),
        (date(2026, 12, 26), date(2027, 1, 4)),  # 2 and 3 January 2027 are a weekend
        (date(2026, 1, 2), date(2026, 1, 2)),
        (date(2025, 8, 1), date(2025, 9, 1)),  # any day in August
        (date(2025, 8, 15), date(2025, 9, 1)),
        (date(2026, 8, 10), date(2026, 9, 1)),
        (date(2027, 8, 20), date(2027, 9, 1)),
        (date(2024, 8, 31), date(2024, 9, 2)),  # 1 September 2024 is a Sunday
        (date(2025, 7, 31), date(2025, 7, 31)),
        (date(2028, 12, 23), date(2029, 1, 2)),  # Saturday -> 27 Dec is closed too
        (date(2027, 7, 31), date(2027, 9, 1)),  # Saturday -> 2 August is closed too
        (date(2025, 9, 1), date(2025, 9, 1)),
    ],
)
def test_tribunal_adjust(deadline: date, expected: date) -> None:
    assert tribunal_adjust(deadline) == expected
