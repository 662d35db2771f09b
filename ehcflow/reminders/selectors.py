"""Reads for the work queues. Everything starts from the one access rule in `ehcflow.cases.access`."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from ehcflow.cases.access import child_scope
from ehcflow.cases.models import CLOSED_STAGES, Consultation
from ehcflow.deadlines.models import CaseDeadline

WEEK_DAYS = 7
SECTION_LIMIT = 50  # rows shown per section; the count is always the full number

# Deadlines that wait on someone outside the service: shown as blocked, not as the coordinator's own.
BLOCKED_KEYS = {"advice_due": "Advice requested and not returned"}


def _closed() -> list[str]:
    return [s.value for s in CLOSED_STAGES]


def _scoped(model, user) -> QuerySet:
    """Rows of a case-owned model on open cases the user may see (None scope -> nothing)."""
    scope = child_scope(user, prefix="case__child__")
    if scope is None:
        return model.objects.none()
    return model.objects.filter(scope & Q(case__la_id=user.la_id) & Q(la_id=user.la_id)).exclude(
        case__stage__in=_closed())


def deadlines_visible_to(user) -> QuerySet[CaseDeadline]:
    return _scoped(CaseDeadline, user)


@dataclass
class Section:
    key: str
    title: str
    count: int
    rows: list


def work_queue(*, user, mine: bool, team: int | None = None, today: datetime.date | None = None) -> dict:
    """What is overdue, due this week and waiting on someone else: a fixed number of queries."""
    today = today or timezone.localdate()
    deadlines = deadlines_visible_to(user).select_related("case__child", "case__child__coordinator")
    consultations = _scoped(Consultation, user).filter(responded_on=None).select_related(
        "case__child", "case__child__coordinator", "setting")
    if mine:
        deadlines = deadlines.filter(case__child__coordinator=user)
        consultations = consultations.filter(case__child__coordinator=user)
    if team:
        deadlines = deadlines.filter(case__child__team_id=team)
        consultations = consultations.filter(case__child__team_id=team)
    own = deadlines.exclude(key__in=BLOCKED_KEYS)
    sections = [
        ("overdue", "Overdue", own.filter(due_on__lt=today).order_by("due_on", "case_id", "key")),
        ("week", f"Due in the next {WEEK_DAYS} days",
         own.filter(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=WEEK_DAYS))
         .order_by("due_on", "case_id", "key")),
        ("advice", BLOCKED_KEYS["advice_due"], deadlines.filter(key__in=BLOCKED_KEYS).order_by("due_on", "case_id")),
        ("school", "School or college consulted and not responded", consultations.order_by("sent_on", "id")),
    ]
    out = []
    for key, title, qs in sections:
        rows = list(qs[:SECTION_LIMIT])
        count = qs.count()
        for row in rows:
            if key == "school":
                row.days_waiting = (today - row.sent_on).days
            else:
                row.days_left = (row.due_on - today).days
        out.append(Section(key=key, title=title, count=count, rows=rows))
    return {"sections": out, "today": today, "limit": SECTION_LIMIT}
