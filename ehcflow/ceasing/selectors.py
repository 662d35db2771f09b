"""Reads for ceasing and moves. The list starts from `cases_visible_to`, so it shows only what pages allow."""

import datetime

from django.db.models import QuerySet

from ehcflow.cases.access import cases_visible_to
from ehcflow.cases.models import Case, Stage
from ehcflow.ceasing.services import AGE_LIMIT_WARNING_MONTHS, open_cessation
from ehcflow.ceasing.steps import age_limit_flag
from ehcflow.deadlines.calendar import add_months
from ehcflow.deadlines.rules import ACADEMIC_YEAR_END, age_limit_due
from ehcflow.moves.models import Direction


def latest_birth_date_reaching_limit_by(on: datetime.date) -> datetime.date:
    """The latest date of birth whose age limit (CFA s.46) falls on or before `on`.

    The age limit never goes down as the date of birth goes up, so "reaches its limit by `on`" is one
    `date_of_birth <=` filter: one query however many plans.
    """
    month, day = ACADEMIC_YEAR_END
    year = on.year if (on.month, on.day) >= (month, day) else on.year - 1
    cutoff = datetime.date(year - 25, month, day)
    assert age_limit_due(cutoff) <= on
    return cutoff


def plans_reaching_age_limit(*, user, today: datetime.date, months: int = AGE_LIMIT_WARNING_MONTHS) -> QuerySet:
    """Maintained plans the user may see whose age limit falls within `months` (or has passed)."""
    cutoff = latest_birth_date_reaching_limit_by(add_months(today, months))
    return (cases_visible_to(user).filter(stage=Stage.PLAN_ISSUED, child__date_of_birth__lte=cutoff)
            .select_related("child", "child__coordinator", "child__team")
            .order_by("child__date_of_birth", "child__last_name", "id"))


def case_section(case: Case, today: datetime.date) -> dict | None:
    """What the case page's "Ceasing and moves" section shows, from the prefetched rows."""
    try:
        plan = case.plan
    except Case.plan.RelatedObjectDoesNotExist:
        return None
    if not plan.issued_on:
        return None
    cessations = list(plan.cessations.all())
    transfers = list(plan.la_transfers.all())
    return {
        "cessations": cessations,
        "open_cessation": open_cessation(plan),
        "ceased": next((c for c in cessations if c.ceased_on), None),
        "transfers_out": [t for t in transfers if t.direction == Direction.OUT],
        "transfers_in": [t for t in transfers if t.direction == Direction.IN],
        **age_limit_flag(case.child.date_of_birth, today),
    }
