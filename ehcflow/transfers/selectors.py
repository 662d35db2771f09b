"""Reads for phase transfers: the case page's section and the work list of children due to move this year.

The work list is derived: every child with an issued plan whose date of birth and current setting put them
in a move on the coming 1 September, plus any move recorded for this year (a post-16 move at another time).
One query for a page of rows (and one to count them), however many children.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Case as CaseWhen
from django.db.models import DateField, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from ehcflow.cases.access import cases_visible_to
from ehcflow.cases.models import Case, Stage
from ehcflow.deadlines.phase_transfer import (
    KINDS,
    PRIMARY_NAME_HINTS,
    TRANSFERS_FROM,
    cohort_for,
    kind_label,
    next_september,
    next_transfer,
    transfer_due,
    transfer_phase,
)
from ehcflow.deadlines.rules import year_group
from ehcflow.transfers.facts import latest_transfer, phase_transfer_clock
from ehcflow.transfers.models import PhaseTransfer

PROGRESS = {"": "Not started", "started": "Started", "agreed": "New setting agreed", "completed": "Completed"}
_PRIMARY_FAMILY = {"primary"} | {result for _, result in PRIMARY_NAME_HINTS}


def _phase_q(target: str, prefix: str = "child__setting__") -> Q:
    """Settings whose transfer phase (`transfer_phase`) is `target`, as a filter."""
    if target not in _PRIMARY_FAMILY:
        return Q(**{f"{prefix}phase": target})
    chosen, earlier = None, None
    for keywords, result in PRIMARY_NAME_HINTS:
        match = Q()
        for k in keywords:
            match &= Q(**{f"{prefix}name__icontains": k})
        if result == target:
            this = match if earlier is None else match & ~earlier
            chosen = this if chosen is None else chosen | this
        earlier = match if earlier is None else earlier | match
    if target == "primary":
        rest = ~earlier
        chosen = rest if chosen is None else chosen | rest
    return Q(**{f"{prefix}phase": "primary"}) & chosen


def due_this_year_q(transfer_on: datetime.date) -> tuple[Q, Q]:
    """(children due a move on `transfer_on`, of those the ones moving to post-16) as filters on cases."""
    due, post16 = Q(pk__in=[]), Q(pk__in=[])
    for phase, moves in TRANSFERS_FROM.items():
        for entry_year, kind in moves:
            start, end = cohort_for(entry_year, transfer_on)
            q = _phase_q(phase) & Q(child__date_of_birth__gte=start, child__date_of_birth__lte=end)
            due |= q
            if KINDS[kind][1] == "post16":
                post16 |= q
    return due, post16


def transfer_list(*, user, today: datetime.date, team: int | None = None) -> QuerySet[Case]:
    """Cases with an issued plan whose child moves phase this school year, soonest deadline first."""
    september = next_september(today)
    due, post16 = due_this_year_q(september)
    recorded = PhaseTransfer.objects.filter(plan=OuterRef("plan"), transfer_on__gte=today,
                                            transfer_on__lte=september).order_by("-transfer_on", "-pk")
    qs = (cases_visible_to(user).filter(stage=Stage.PLAN_ISSUED, plan__issued_on__isnull=False)
          .annotate(recorded=Exists(recorded)).filter(due | Q(recorded=True)))
    if team:
        qs = qs.filter(child__team_id=team)
    derived_due = CaseWhen(When(post16, then=Value(transfer_due("secondary_to_post16", september))),
                        default=Value(transfer_due("primary_to_secondary", september)), output_field=DateField())
    return (qs.select_related("child", "child__setting", "child__team", "child__coordinator", "plan")
            .annotate(pt_id=Subquery(recorded.values("pk")[:1]), pt_kind=Subquery(recorded.values("kind")[:1]),
                      pt_transfer_on=Subquery(recorded.values("transfer_on")[:1]),
                      pt_status=Subquery(recorded.values("status")[:1]),
                      pt_agreed_on=Subquery(recorded.values("agreed_on")[:1]),
                      pt_due=Coalesce(Subquery(recorded.values("due_on")[:1]), derived_due))
            .order_by("pt_due", "child__last_name", "child__first_name", "pk"))


@dataclass(frozen=True)
class TransferRow:
    case: Case
    kind: str
    transfer_on: datetime.date
    due_on: datetime.date
    days_left: int
    progress: str

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def progress_label(self) -> str:
        return PROGRESS[self.progress]


def transfer_rows(cases, today: datetime.date) -> list[TransferRow]:
    """The page's rows (no queries: everything was loaded with the cases)."""
    rows = []
    for case in cases:
        setting = case.child.setting
        derived = next_transfer(case.child.date_of_birth,
                                transfer_phase(setting.phase, setting.name) if setting else None, today)
        if case.pt_id is not None:
            kind, transfer_on, due = case.pt_kind, case.pt_transfer_on, case.pt_due
            progress = "completed" if case.pt_status == "completed" else "agreed" if case.pt_agreed_on else "started"
        else:
            kind, transfer_on, due, progress = derived.kind, derived.transfer_on, derived.due_on, ""
        rows.append(TransferRow(case, kind, transfer_on, due, (due - today).days, progress))
    return rows


def transfer_section(case: Case, today: datetime.date) -> dict | None:
    """What the case page's "Phase transfer" section shows, from the prefetched records."""
    try:
        plan = case.plan
    except Case.plan.RelatedObjectDoesNotExist:
        return None
    if not plan.issued_on:
        return None
    transfers = list(plan.phase_transfers.all())
    latest = latest_transfer(plan)
    clock = phase_transfer_clock(case, plan, today)
    return {
        "clock": clock,
        "kind_label": kind_label(clock.kind) if clock else "",
        "days_left": (clock.due_on - today).days if clock else None,
        "transfers": transfers,
        "open": next((t for t in transfers if t.is_open), None),
        "latest": latest,
        "year_group": year_group(case.child.date_of_birth, today),
        "progress": PROGRESS[latest.progress if latest is not None and clock is not None
                             and latest.transfer_on == clock.transfer_on else ""],
    }
