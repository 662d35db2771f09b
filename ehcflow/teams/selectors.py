"""Reads for the delivery model: the rules, each active child's circumstances, and each coordinator's seat.

A coordinator's caseload is the children they hold who have an active case (a request or assessment under way,
or a plan maintained). A coordinator in two teams has their hours split evenly between them.
"""

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, QuerySet

from ehcflow.accounts.models import Role, User
from ehcflow.cases.models import OPEN_STAGES, Case, Stage
from ehcflow.people.models import Child
from ehcflow.teams.models import Team
from ehcflow.teams.routing import Circumstances, CohortRule, Seat, circumstances_of, rule_of, seat_capacity

ACTIVE_STAGES = [*OPEN_STAGES, Stage.PLAN_ISSUED]


def team_rules(*, la_id: int) -> list[CohortRule]:
    return [rule_of(t) for t in Team.objects.filter(la_id=la_id, is_active=True)]


def active_children(*, la_id: int) -> QuerySet[Child]:
    """Children with an active case: the ones a team and a coordinator must hold."""
    active = Case.objects.filter(child_id=OuterRef("pk"), stage__in=ACTIVE_STAGES)
    return Child.objects.filter(la_id=la_id).filter(Exists(active))


@dataclass(frozen=True)
class ChildRow:
    child_id: int
    label: str
    circumstances: Circumstances
    team_id: int | None
    coordinator_id: int | None


def child_rows(*, la_id: int, today: datetime.date, children: QuerySet[Child] | None = None) -> list[ChildRow]:
    """Each active child's circumstances for routing, in one query."""
    qs = children if children is not None else active_children(la_id=la_id)
    rows = qs.values_list("pk", "first_name", "last_name", "date_of_birth", "looked_after", "postcode",
                          "setting__kind", "setting__urn", "team_id", "coordinator_id")
    return [ChildRow(pk, f"{first} {last}", circumstances_of(date_of_birth=dob, today=today, looked_after=la,
                                                             setting_kind=kind, setting_urn=urn or "",
                                                             postcode=postcode),
                     team_id, coordinator_id)
            for pk, first, last, dob, la, postcode, kind, urn, team_id, coordinator_id in rows]


def caseload_counts(*, la_id: int) -> Counter:
    """(team id, coordinator id) → active children held."""
    return Counter(active_children(la_id=la_id).values_list("team_id", "coordinator_id").iterator())


def seats(*, la_id: int, today: datetime.date, team_ids=None, counts: Counter | None = None) -> list[Seat]:
    """Every coordinator's seat in each of their teams, with their FTE-adjusted target and current load."""
    teams = {t.pk: t for t in Team.objects.filter(la_id=la_id, is_active=True)}
    if team_ids is not None:
        teams = {k: v for k, v in teams.items() if k in set(team_ids)}
    counts = counts if counts is not None else caseload_counts(la_id=la_id)
    coordinators = (User.objects.filter(la_id=la_id, role=Role.COORDINATOR, is_active=True)
                    .prefetch_related("teams"))
    if team_ids is not None:  # ehcflow.teams.allocation: routing asks for one team's seats (issue 4: < 50 ms)
        coordinators = coordinators.filter(teams__in=list(teams)).distinct()
    out = []
    for user in coordinators:
        member_of = [t.pk for t in user.teams.all()]
        share = Decimal(1) / max(1, len(member_of))
        for team_id in member_of:
            team = teams.get(team_id)
            if team is None:
                continue
            fte = user.fte * share
            common = dict(fte=fte, in_induction=user.in_induction(today),
                          induction_percent=team.induction_caseload_percent, away=user.away(today))
            out.append(Seat(coordinator_id=user.pk, team_id=team_id,
                            target=seat_capacity(per_fte=team.caseload_target, **common),
                            maximum=seat_capacity(per_fte=team.caseload_maximum, **common),
                            load=counts.get((team_id, user.pk), 0)))
    return out


# --- What rebalancing and team changes look at (ehcflow.teams.proposals) ---------------------------------------
RECENT_MOVE_DAYS = 90
DEADLINE_NEAR_DAYS = 14


def moved_recently_ids(*, la_id: int, today: datetime.date) -> set[int]:
    """Children whose team or coordinator changed in the last 90 days: a second move so soon unsettles a family."""
    from ehcflow.teams.models import Allocation

    since = today - datetime.timedelta(days=RECENT_MOVE_DAYS)
    return set(Allocation.objects.filter(la_id=la_id, made_on__gt=since).values_list("child_id", flat=True))


def near_deadline_ids(*, la_id: int, today: datetime.date) -> set[int]:
    """Children with a statutory deadline due within 14 days (or already passed) on an active case: a new
    coordinator picking the case up then risks missing it. Reads the stored deadlines (ADR 0004)."""
    from ehcflow.deadlines.models import CaseDeadline

    horizon = today + datetime.timedelta(days=DEADLINE_NEAR_DAYS)
    active = Case.objects.filter(la_id=la_id, stage__in=ACTIVE_STAGES)
    ids = set(active.filter(next_deadline_due__lte=horizon).values_list("child_id", flat=True))
    ids |= set(CaseDeadline.objects.filter(la_id=la_id, due_on__lte=horizon, case__stage__in=ACTIVE_STAGES)
               .values_list("case__child_id", flat=True))
    return ids


def family_ids(*, la_id: int) -> dict[int, int]:
    """child id → family id (the lowest child id among children sharing a parent or carer, directly or through
    a chain of carers), for every active child with a sibling. One query."""
    from ehcflow.people.models import CarerLink

    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_carer: dict[int, int] = {}
    for child_id, carer_id in (CarerLink.objects.filter(la_id=la_id, child__in=active_children(la_id=la_id))
                               .values_list("child_id", "carer_id").iterator()):
        first = by_carer.setdefault(carer_id, child_id)
        a, b = find(first), find(child_id)
        if a != b:
            parent[max(a, b)] = min(a, b)
    members = Counter(find(c) for c in parent)
    return {c: find(c) for c in parent if members[find(c)] > 1}


def team_filter(*, user, value: str | None) -> tuple[list[Team], int | None]:
    """The teams a work list may be filtered by for this user (their own, or the council's for council-wide
    roles), and the chosen one when it is among them: a tampered value is ignored, never trusted."""
    from ehcflow.cases.access import user_team_ids

    teams = Team.objects.filter(la_id=user.la_id)
    if not user.sees_whole_council:
        teams = teams.filter(id__in=user_team_ids(user))
    teams = list(teams.order_by("name"))
    try:
        team = int(value or "")
    except ValueError:
        team = None
    return teams, team if team in {t.pk for t in teams} else None
