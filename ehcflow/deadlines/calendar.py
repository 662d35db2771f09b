"""Date arithmetic for statutory time limits, one function per counting convention.

The conventions come from docs/statutory-timescales §0.5. Local-authority (LA) deadlines
use calendar time only: bank holidays and school holidays never move them. Working days
appear only in LA transfers (regs 15-16), mediation certificates and Tribunal rules.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import functools
from datetime import date, timedelta

import holidays

__all__ = [
    "add_days",
    "add_months",
    "add_weeks",
    "bank_holidays",
    "is_working_day",
    "next_working_day_on_or_after",
    "period_beginning_with",
    "tribunal_adjust",
    "within_12_months_starting",
    "working_days_after",
    "working_days_beginning_with",
]


def add_days(d: date, n: int) -> date:
    """Return d + n calendar days ("within N days of X": day X is not counted)."""
    return d + timedelta(days=n)


def add_weeks(d: date, n: int) -> date:
    """Return d + 7n calendar days.

    "Within N weeks of event X" ends on X + 7N: the event day is not counted, so a
    request received on Monday 6 January 2025 has its 6-week date on Monday 17 February
    2025. Bank holidays are not skipped (§0.2).
    """
    return d + timedelta(weeks=n)


def add_months(d: date, n: int) -> date:
    """Return the same day number n calendar months later (n may be negative).

    If that day does not exist in the target month the last day of that month is used
    (31 January + 1 month = 28 or 29 February), which is the corresponding-date rule.
    """
    month_index = d.year * 12 + (d.month - 1) + n
    year, month0 = divmod(month_index, 12)
    month = month0 + 1
    last_day = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(d.day, last_day))


def within_12_months_starting(d: date) -> date:
    """Return the last day of "the period of 12 months starting with" d (CFA s.44).

    d is inside the period, so the period ends the day before d's anniversary: plan made
    1 January 2019 -> review decision by 31 December 2019. 29 February: the anniversary
    in a non-leap year is taken as 28 February (the month-end rule of add_months), so
    the period ends on 27 February. This is the earlier, safer reading [U].
    """
    return add_months(d, 12) - timedelta(days=1)


def period_beginning_with(d: date, days: int) -> date:
    """Return the last day of a period of `days` days "beginning with" d.

    d itself is day 1, so the period ends on d + (days - 1): a draft plan served on
    2 April 2025 opens a 15-day comment period ending 16 April 2025 (reg 13(1)(a)).
    """
    if days < 1:
        raise ValueError("a period must be at least 1 day long")
    return d + timedelta(days=days - 1)


@functools.lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[date]:
    """Return England's bank holidays for one year (cached: the lookup is not free)."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(d: date) -> bool:
    """Return True for Monday-Friday days that are not bank holidays in England."""
    return d.weekday() < 5 and d not in bank_holidays(d.year)


def next_working_day_on_or_after(d: date) -> date:
    """Return d if it is a working day, otherwise the next working day after it."""
    while not is_working_day(d):
        d += timedelta(days=1)
    return d


def working_days_beginning_with(d: date, n: int) -> date:
    """Return the last day of a period of n working days "beginning with" d.

    d counts as working day 1 when it is itself a working day; otherwise counting starts
    on the next working day (reg 15(2): "within 15 working days beginning with the day
    on which it became aware").
    """
    if n < 1:
        raise ValueError("a period must be at least 1 working day long")
    current = next_working_day_on_or_after(d)
    counted = 1
    while counted < n:
        current += timedelta(days=1)
        if is_working_day(current):
            counted += 1
    return current


def working_days_after(d: date, n: int) -> date:
    """Return the n-th working day after d ("within n working days of d").

    d itself is never counted.
    """
    if n < 1:
        raise ValueError("a period must be at least 1 working day long")
    return working_days_beginning_with(d + timedelta(days=1), n)


def _first_working_day_after(d: date) -> date:
    return next_working_day_on_or_after(d + timedelta(days=1))


def tribunal_adjust(d: date) -> date:
    """Move a TRIBUNAL deadline under HESC Rules r.12(2)-(3); never for LA deadlines.

    - a deadline falling 25 December-1 January moves to the first working day after
      1 January;
    - a deadline falling on any day in August moves to the first working day after
      31 August;
    - any other deadline on a non-working day moves to the next working day.

    The moves repeat until none applies, because a weekend move can land in a closed
    period (Saturday 23 December 2028 -> Wednesday 27 December -> 2 January 2029;
    Saturday 31 July 2027 -> Monday 2 August -> 1 September).
    """
    while True:
        if d.month == 12 and d.day >= 25:
            d = _first_working_day_after(date(d.year + 1, 1, 1))
        elif d.month == 1 and d.day == 1:
            d = _first_working_day_after(d)
        elif d.month == 8:
            d = _first_working_day_after(date(d.year, 8, 31))
        elif not is_working_day(d):
            d = next_working_day_on_or_after(d)
        else:
            return d
