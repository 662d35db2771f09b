"""The date checks every statutory step makes, worded once so every step says it the same way."""

import datetime

from django.utils import timezone

from ehcflow.core.errors import StepRefused


def fmt_date(d: datetime.date) -> str:
    """A date as the service writes it: 6 January 2025."""
    return f"{d.day} {d:%B %Y}"


def not_future(value: datetime.date, field: str) -> None:
    if value > timezone.localdate():
        raise StepRefused({field: "The date must be today or in the past"})


def not_before(value: datetime.date, earlier: datetime.date | None, field: str, what: str) -> None:
    if earlier is not None and value < earlier:
        raise StepRefused({field: f"The date must be on or after {what} ({fmt_date(earlier)})"})


def plan_of(case):
    """The case's plan, or None before a plan exists."""
    from ehcflow.cases.models import Case

    try:
        return case.plan
    except Case.plan.RelatedObjectDoesNotExist:
        return None
