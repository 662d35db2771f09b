"""Who holds each new request, and a manager's change of who holds a child.

Every new request is routed by the team rules (`ehcflow.teams.routing`) to its team, and given the coordinator
of that team with most room against their FTE-adjusted target, or a brother's or sister's coordinator so the
family deals with one officer. A request the rules cannot place (no team fits, or two teams tie) is still
recorded, with no team, and listed as unallocated for managers: a request is never lost to the configuration.

A manager can change a child's team or coordinator with a reason. Every change is one `Allocation` row, a
history row on the child, an event on each of the child's active cases and, when the coordinator changes, a
notice to the family (`ehcflow.teams.notices`): families' top complaint is not knowing who their officer is.
"""

import datetime
from collections import Counter

import rules
from django.db import transaction
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet

from ehcflow.accounts.models import Role, User
from ehcflow.cases.checks import fmt_date
from ehcflow.cases.models import Case
from ehcflow.cases.services import audited_by, timeline_record
from ehcflow.core.errors import NotAllowed, StepRefused
from ehcflow.people.models import Child
from ehcflow.teams.access import COUNCIL_ROLES, MANAGING_ROLES, can_configure_teams, can_manage_team, teams_managed_by
from ehcflow.teams.models import Allocation, MoveKind, Team
from ehcflow.teams.routing import Seat, choose_coordinator, route, seat_capacity
from ehcflow.teams.selectors import ACTIVE_STAGES, active_children, child_rows, seats, team_rules

MOVED_KIND = "coordinator_changed"  # the timeline event of a manager's change of team or coordinator


def _staff_of(user, la_id: int) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_council_staff and user.la_id == la_id)


def team_seats(*, la_id: int, team_id: int, today: datetime.date) -> list[Seat]:
    """The coordinators' seats in one team, counting only that team's active children.

    Filtered by the team alone (a team belongs to one council) and counted here rather than grouped in SQL, so
    the database walks the team's index, not every child of the council: routing a request stays under 50 ms
    on a council of 14,000 plans (issue 4).
    """
    active = Case.objects.filter(child_id=OuterRef("pk"), stage__in=ACTIVE_STAGES)
    held = Counter(Child.objects.filter(team_id=team_id).filter(Exists(active)).order_by()
                   .values_list("coordinator_id", flat=True))
    counts = Counter({(team_id, coordinator_id): n for coordinator_id, n in held.items()})
    return seats(la_id=la_id, today=today, team_ids=[team_id], counts=counts)


def sibling_coordinator_ids(child: Child) -> set[int]:
    """Coordinators of the child's brothers and sisters: children who share a parent or carer with them."""
    return set(Child.objects.filter(la_id=child.la_id, carer_links__carer__child_links__child=child)
               .exclude(pk=child.pk).exclude(coordinator=None).values_list("coordinator_id", flat=True))


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else "no coordinator"


# --- Routing a new request -----------------------------------------------------------------------------------


@transaction.atomic
def child_allocate(*, actor, child: Child, today: datetime.date) -> Allocation | None:
    """Route the child to the team the rules give and the coordinator with most room (a sibling's first).

    Returns the `Allocation` written, or None when nothing changed: the rules give no team or a tie (the child
    stays as they are and, with no team, is listed as unallocated), or the child is already held by that team
    and by a coordinator of it who can hold cases.
    """
    if not _staff_of(actor, child.la_id):
        raise NotAllowed("You cannot allocate this child.")
    rules_ = team_rules(la_id=child.la_id)
    row = child_rows(la_id=child.la_id, today=today, children=Child.objects.filter(pk=child.pk))[0]
    routed = route(row.circumstances, rules_)
    if not routed.ok:
        return None
    available = team_seats(la_id=child.la_id, team_id=routed.team_id, today=today)
    current = next((s for s in available if s.coordinator_id == child.coordinator_id), None)
    if child.team_id == routed.team_id and current is not None and current.target > 0:
        return None
    siblings = sibling_coordinator_ids(child)
    chosen = choose_coordinator(available, sibling_coordinators=siblings)
    rule = next(r for r in rules_ if r.team_id == routed.team_id)
    if chosen is None:
        why_coordinator = "no coordinator in the team can take a child now: a manager allocates one"
    elif chosen in siblings:
        why_coordinator = "the coordinator of a brother or sister, so the family has one officer"
    else:
        why_coordinator = "the coordinator with most room against their caseload target"
    allocation = Allocation.objects.create(
        la_id=child.la_id, child=child, kind=MoveKind.ROUTED, from_team_id=child.team_id,
        from_coordinator_id=child.coordinator_id, to_team_id=routed.team_id, to_coordinator_id=chosen,
        reason=f"{rule.name} holds children {rule.describe()}; {why_coordinator}.", made_on=today, made_by=actor)
    child.team_id, child.coordinator_id = routed.team_id, chosen
    audited_by(child, actor).save()
    return allocation


def coordinator_refusal(*, coordinator: User, team: Team | None, today: datetime.date) -> str | None:
    """Why this coordinator cannot be given a child in this team today, or None.

    Issue 4: a transfer to a coordinator in induction or who has left is refused; so is one to somebody on a
    long absence or outside the team.
    """
    name = _name(coordinator)
    if team is None or coordinator.la_id != team.la_id or coordinator.role != Role.COORDINATOR \
            or not coordinator.is_active:
        return f"{name} is not an EHC coordinator of this council"
    if not coordinator.teams.filter(pk=team.pk).exists():
        return f"{name} is not in the {team.name}. Choose a coordinator of that team, or add them to it first"
    if coordinator.left_on is not None and coordinator.left_on <= today:
        return f"{name} left the service on {fmt_date(coordinator.left_on)}"
    if coordinator.away(today):
        until = f" until {fmt_date(coordinator.absent_until)}" if coordinator.absent_until else ""
        return f"{name} is away{until}: choose a coordinator who is at work"
    if coordinator.in_induction(today) and seat_capacity(
            per_fte=team.caseload_target, fte=coordinator.fte, in_induction=True,
            induction_percent=team.induction_caseload_percent, away=False) == 0:
        return f"{name} is in their induction and holds no cases until it is complete"
    return None


@transaction.atomic
def request_allocate(*, actor, child: Child, coordinator: User | None, today: datetime.date) -> Allocation | None:
    """The allocation of a request just recorded (`ehcflow.cases.services.request_record`).

    No coordinator chosen: the rules route it (`child_allocate`). A coordinator chosen by the person recording
    it is kept, as an override: in the team the rules give if they belong to it, else in their first team.
    """
    if coordinator is None:
        return child_allocate(actor=actor, child=child, today=today)
    routed = route(child_rows(la_id=child.la_id, today=today, children=Child.objects.filter(pk=child.pk))[0]
                   .circumstances, team_rules(la_id=child.la_id))
    member_of = list(coordinator.teams.filter(la_id=child.la_id, is_active=True).order_by("id"))
    team = next((t for t in member_of if t.pk == routed.team_id and routed.ok), member_of[0] if member_of else None)
    if team is not None:
        refusal = coordinator_refusal(coordinator=coordinator, team=team, today=today)
        if refusal:
            raise StepRefused({"coordinator": refusal})
    elif coordinator.la_id != child.la_id or coordinator.role != Role.COORDINATOR or coordinator.away(today):
        raise StepRefused({"coordinator": f"{_name(coordinator)} cannot be given this request"})
    if (child.team_id, child.coordinator_id) == (team.pk if team else None, coordinator.pk):
        return None
    allocation = Allocation.objects.create(
        la_id=child.la_id, child=child, kind=MoveKind.OVERRIDE, from_team_id=child.team_id,
        from_coordinator_id=child.coordinator_id, to_team=team, to_coordinator=coordinator,
        reason="Coordinator chosen when the request was recorded", made_on=today, made_by=actor)
    child.team, child.coordinator = team, coordinator
    audited_by(child, actor).save()
    return allocation


# --- Unallocated requests ------------------------------------------------------------------------------------


def unallocated_children(*, user) -> QuerySet[Child]:
    """Children with an active case and no team (any manager may take them into a team they manage), or in a
    team the user manages with no coordinator; oldest request first."""
    if not (getattr(user, "is_authenticated", False) and user.is_council_staff and user.role in MANAGING_ROLES):
        return Child.objects.none()
    managed = teams_managed_by(user)
    return (active_children(la_id=user.la_id)
            .filter(Q(team=None) | Q(team__in=managed, coordinator=None))
            .select_related("team")
            .annotate(received=Min("cases__received_on", filter=Q(cases__stage__in=ACTIVE_STAGES)))
            .order_by("received", "last_name", "first_name", "pk"))


# --- A manager's override ------------------------------------------------------------------------------------


def may_override(user, child: Child | None) -> bool:
    """Managers of the child's team (or, for a child with no team, of any team) and council-wide roles."""
    if child is None or not _staff_of(user, child.la_id) or user.role not in MANAGING_ROLES:
        return False
    if user.role in COUNCIL_ROLES:
        return True
    if child.team_id is None:
        return teams_managed_by(user).exists()
    return teams_managed_by(user).filter(pk=child.team_id).exists()


rules.set_rule("teams.may_override_allocation", rules.predicate(may_override))  # for the case page's link


def override_destinations(user) -> QuerySet[Team]:
    """Teams the user may move a child into: every active team for council-wide roles, else those they manage."""
    return teams_managed_by(user).filter(is_active=True).order_by("priority", "name")


def coordinator_options(*, teams: QuerySet[Team], today: datetime.date) -> list[tuple[User, str]]:
    """Coordinators of these teams who can take a child today, each with what they hold against target."""
    team_ids = list(teams.values_list("pk", flat=True))
    if not team_ids:
        return []
    la_id = teams.first().la_id
    counts = Counter({(team_id, coordinator_id): n for team_id, coordinator_id, n in
                      active_children(la_id=la_id).filter(team_id__in=team_ids)
                      .values_list("team_id", "coordinator_id").annotate(n=Count("pk")).order_by()})
    names = dict(Team.objects.filter(pk__in=team_ids).values_list("pk", "name"))
    open_seats: dict[int, list[Seat]] = {}
    for seat in seats(la_id=la_id, today=today, team_ids=team_ids, counts=counts):
        if seat.target > 0:
            open_seats.setdefault(seat.coordinator_id, []).append(seat)
    people = User.objects.filter(pk__in=open_seats).order_by("last_name", "first_name", "pk")
    return [(u, f"{_name(u)}: " + "; ".join(f"{names[s.team_id]}, holds {s.load} of a target of {s.target}"
                                             for s in open_seats[u.pk]))
            for u in people]


@transaction.atomic
def allocation_override(*, actor, child: Child, to_team: Team | None, to_coordinator: User | None, reason: str,
                        today: datetime.date, held: tuple[int | None, int | None] | None = None) -> Allocation:
    """Change the team and/or coordinator holding a child, with a reason; refused with nothing changed when the
    coordinator cannot take the child (see `coordinator_refusal`).

    `held` is the (team, coordinator) the manager saw: if someone else has moved the child since, it is refused.
    """
    if not may_override(actor, child):
        raise NotAllowed("You cannot change who holds this child.")
    errors: dict[str, str] = {}
    if to_team is None or to_team.la_id != child.la_id or not to_team.is_active:
        errors["team"] = "Choose a team that holds cases"
    elif not (can_configure_teams(actor) or can_manage_team(actor, to_team)):
        raise NotAllowed("You cannot move a child into a team you do not manage.")
    elif to_coordinator is not None:
        refusal = coordinator_refusal(coordinator=to_coordinator, team=to_team, today=today)
        if refusal:
            errors["coordinator"] = refusal
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "Enter the reason for the change"
    if errors:
        raise StepRefused(errors)
    locked = Child.objects.select_for_update().get(pk=child.pk)
    if held is not None and (locked.team_id, locked.coordinator_id) != tuple(held):
        raise StepRefused(f"Someone else has changed who holds {locked.full_name} since you opened this page. "
                          "Nothing has been saved. Check who holds them now, then try again.")
    to_coordinator_id = to_coordinator.pk if to_coordinator is not None else None
    if (locked.team_id, locked.coordinator_id) == (to_team.pk, to_coordinator_id):
        raise StepRefused({"coordinator": f"{locked.full_name} is already held by {_name(to_coordinator)} in the "
                                          f"{to_team.name}"})
    before_team, before_coordinator = locked.team, locked.coordinator
    allocation = Allocation.objects.create(
        la_id=locked.la_id, child=locked, kind=MoveKind.OVERRIDE, from_team=before_team,
        from_coordinator=before_coordinator, to_team=to_team, to_coordinator=to_coordinator, reason=reason,
        made_on=today, made_by=actor)
    locked.team, locked.coordinator = to_team, to_coordinator
    audited_by(locked, actor).save()
    before = f"{_name(before_coordinator)} ({before_team.name if before_team else 'no team'})"
    after = f"{_name(to_coordinator)} ({to_team.name})"
    what = "Team" if before_coordinator == to_coordinator else "EHC coordinator"
    for case in Case.objects.filter(child=locked, stage__in=ACTIVE_STAGES).order_by("pk"):
        timeline_record(case=case, actor=actor, kind=MOVED_KIND, occurred_on=today,
                        summary=f"{what} changed by a manager: from {before} to {after}", reason=reason)
    child.team, child.coordinator = to_team, to_coordinator
    from ehcflow.teams.notices import family_notify_coordinator_change  # written beside this module (issue 4)

    family_notify_coordinator_change(allocations=[allocation])
    return allocation
