"""Proposals: sets of moves a manager sees before anything changes, then applies all at once or not at all.

Three kinds, one life:
- **Rebalance** a team's caseloads (a manager for their team, a leader for every team): the solver
  (`ehcflow.teams.solver`, OR-Tools min-cost flow) picks the fewest, cheapest moves that bring everyone within
  target, preferring not to move a child moved in the last 90 days, one with a deadline within 14 days, or one
  who would leave a brother or sister behind.
- **Transfer a cohort** between teams (leaders and administrators: it crosses teams), e.g. every looked-after
  child held by the area teams to the Virtual School; the cohort is the destination's own rule or a filter.
- **Circumstances**: children whose circumstances now route them to another team than the one holding them.

For cohorts and circumstances each child is given a coordinator of the destination team by
`routing.choose_coordinator` (a brother's or sister's coordinator first, else whoever is proportionally
furthest below target), one family at a time so siblings stay together.

Approving re-checks every move's `from_*` against the child now, and every destination coordinator (still
active, in the team, not left, not away, not in an induction with no caseload). If anything no longer holds the
proposal is marked out of date and nothing changes. Otherwise, in one transaction: each child's team and
coordinator (with history), one `Allocation` per child, one timeline event on each active case, and a notice to
each family (`ehcflow.teams.notices`). Any failure part way rolls all of it back. Deadlines are not touched: they
belong to the case, not to who holds it.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, replace

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ehcflow.accounts.models import User
from ehcflow.cases.models import Case
from ehcflow.cases.services import audited_by, timeline_record
from ehcflow.core.errors import NotAllowed, StepRefused
from ehcflow.people.models import Child
from ehcflow.teams import selectors, solver
from ehcflow.teams.access import can_configure_teams, can_manage_team, teams_managed_by
from ehcflow.teams.allocation import coordinator_refusal
from ehcflow.teams.models import Allocation, MoveKind, Proposal, ProposalKind, ProposalStatus, ProposedMove, Team
from ehcflow.teams.notices import family_notify_coordinator_change
from ehcflow.teams.routing import Circumstances, CohortRule, Seat, choose_coordinator, route, rule_of

MOVED_KIND = "coordinator_changed"
ALLOCATION_KIND = {ProposalKind.REBALANCE: MoveKind.REBALANCE, ProposalKind.COHORT: MoveKind.COHORT,
                   ProposalKind.CIRCUMSTANCES: MoveKind.CIRCUMSTANCES}
METHOD = {
    ProposalKind.REBALANCE: "optimal for the cost: min-cost flow",
    ProposalKind.COHORT: "each family given the coordinator with most room, siblings kept together",
    ProposalKind.CIRCUMSTANCES: "each family given the coordinator with most room, siblings kept together",
}


# --- Who may see and decide ----------------------------------------------------------------------------------


def can_propose_rebalance(user, team: Team | None) -> bool:
    """A manager for a team they manage; every team at once is a council-wide decision."""
    return can_configure_teams(user) if team is None else can_manage_team(user, team)


def can_decide(user, proposal: Proposal) -> bool:
    if not getattr(user, "is_authenticated", False) or proposal.la_id != user.la_id:
        return False
    if proposal.kind == ProposalKind.REBALANCE and proposal.team_id is not None:
        return can_manage_team(user, proposal.team)
    return can_configure_teams(user)


def proposals_visible_to(user) -> QuerySet[Proposal]:
    """The proposals a user may see and decide: rebalances of teams they manage; everything for leaders."""
    if can_configure_teams(user):
        return Proposal.objects.filter(la_id=user.la_id)
    return Proposal.objects.filter(la_id=user.la_id, kind=ProposalKind.REBALANCE,
                                   team__in=teams_managed_by(user))


# --- Building proposals --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    child_id: int
    from_team: int | None
    from_coordinator: int | None
    to_team: int
    to_coordinator: int
    why: str


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def proposal_rebalance(*, actor, team: Team | None, reason: str = "",
                       today: datetime.date | None = None) -> Proposal:
    """Ask the solver for the fewest moves that bring a team (or every team) within target; save what it said."""
    if not can_propose_rebalance(actor, team):
        raise NotAllowed("You cannot rebalance this team.")
    if team is not None and (team.la_id != actor.la_id or not team.is_active):
        raise StepRefused("Only a team that holds cases can be rebalanced.")
    today = _today(today)
    la_id = actor.la_id
    team_ids = ([team.pk] if team is not None
                else list(Team.objects.filter(la_id=la_id, is_active=True).values_list("pk", flat=True)))
    counts = selectors.caseload_counts(la_id=la_id)
    seats = selectors.seats(la_id=la_id, today=today, team_ids=team_ids, counts=counts)
    recent = selectors.moved_recently_ids(la_id=la_id, today=today)
    near = selectors.near_deadline_ids(la_id=la_id, today=today)
    families = selectors.family_ids(la_id=la_id)
    held = list(selectors.active_children(la_id=la_id).filter(team_id__in=team_ids)
                .values_list("pk", "team_id", "coordinator_id"))
    holdings = [solver.Holding(child_id=pk, team_id=t, coordinator_id=c, moved_recently=pk in recent,
                               near_deadline=pk in near, family=families.get(pk)) for pk, t, c in held]
    result = solver.rebalance(seats, holdings)
    family_at = defaultdict(set)  # family → coordinators holding one of its children
    for h in holdings:
        if h.family is not None:
            family_at[h.family].add(h.coordinator_id)
    planned = []
    for m in result.moves:
        notes = [m.why if m.from_coordinator is not None else "no coordinator allocated yet"]
        if families.get(m.child_id) is not None and m.to_coordinator in family_at[families[m.child_id]]:
            notes.append("joins the coordinator of a brother or sister")
        if m.child_id in recent:
            notes.append("moved in the last 90 days")
        if m.child_id in near:
            notes.append("a deadline is within 14 days")
        planned.append(Planned(m.child_id, m.team_id, m.from_coordinator, m.team_id, m.to_coordinator,
                               "; ".join(notes)))
    title = f"Rebalance {team.name} caseloads" if team is not None else "Rebalance every team's caseloads"
    extra = {"lower_bound": result.lower_bound, "gap": result.gap, "unplaced": result.unplaced}
    return _save(actor=actor, kind=ProposalKind.REBALANCE, title=title, team=team, reason=reason, planned=planned,
                 seats=seats, counts=counts, team_ids=set(team_ids), today=today, lower_bound=result.lower_bound,
                 cost=result.cost, seconds=result.seconds, extra=extra)


@dataclass(frozen=True)
class CohortFilter:
    """A manual cohort: every condition given must hold (None or empty means any)."""

    looked_after: bool | None = None
    min_age: int | None = None
    max_age: int | None = None
    districts: frozenset[str] = frozenset()

    def rule(self) -> CohortRule:
        return CohortRule(team_id=0, name="filter", priority=0, looked_after=self.looked_after,
                          min_age=self.min_age, max_age=self.max_age, districts=self.districts)


def proposal_cohort(*, actor, sources: list[Team], destination: Team, by_rule: bool = True,
                    cohort_filter: CohortFilter | None = None, reason: str = "",
                    today: datetime.date | None = None) -> Proposal:
    """Move a cohort held by the source teams to the destination team: its own rule's children, or a filter's."""
    if not can_configure_teams(actor):
        raise NotAllowed("Only service leaders and administrators can transfer children between teams.")
    teams = [*sources, destination]
    if any(t.la_id != actor.la_id for t in teams):
        raise NotAllowed("You cannot transfer children of another council.")
    if not sources:
        raise StepRefused({"sources": "Choose the team or teams the children are held by now"})
    if destination.pk in {t.pk for t in sources}:
        raise StepRefused({"destination": "Choose a destination team that is not one of the teams they leave"})
    if not destination.is_active:
        raise StepRefused({"destination": f"{destination.name} does not hold cases"})
    if not by_rule and (cohort_filter is None or cohort_filter == CohortFilter()):
        raise StepRefused({"looked_after": "Give at least one condition, or use the destination team's rule"})
    today = _today(today)
    la_id = actor.la_id
    rows = selectors.child_rows(la_id=la_id, today=today, children=selectors.active_children(la_id=la_id).filter(
        team_id__in=[t.pk for t in sources]))
    if by_rule:
        rules = selectors.team_rules(la_id=la_id)
        dest_rule = rule_of(destination)
        chosen = [(r, f"{destination.name}'s rule: {dest_rule.describe()}") for r in rows
                  if route(r.circumstances, rules).team_id == destination.pk]
    else:
        rule = cohort_filter.rule()
        chosen = [(r, f"chosen by filter: {rule.describe()}") for r in rows if rule.fits(r.circumstances)]
    if not chosen:
        raise StepRefused("No child held by those teams is in that cohort: nothing to transfer.")
    counts = selectors.caseload_counts(la_id=la_id)
    planned, seats = _assign(la_id=la_id, today=today, counts=counts,
                             children=[(r, destination.pk, why) for r, why in chosen])
    names = ", ".join(t.name for t in sources)
    title = f"Transfer {len(planned)} {'child' if len(planned) == 1 else 'children'} from {names} to {destination.name}"
    return _save(actor=actor, kind=ProposalKind.COHORT, title=title, team=destination, reason=reason,
                 planned=planned, seats=seats, counts=counts, team_ids={t.pk for t in teams}, today=today,
                 extra={"sources": [t.pk for t in sources], "by_rule": by_rule})


def _assign(*, la_id: int, today: datetime.date, counts: Counter,
            children: list[tuple[selectors.ChildRow, int, str]]) -> tuple[list[Planned], list[Seat]]:
    """A coordinator of each destination team for each child, family by family, loads updated as we go."""
    dest_ids = {to for _, to, _ in children}
    seats = selectors.seats(la_id=la_id, today=today, team_ids=dest_ids, counts=counts)
    live: dict[int, dict[int, Seat]] = defaultdict(dict)
    for s in seats:
        live[s.team_id][s.coordinator_id] = s
    names = dict(Team.objects.filter(pk__in=dest_ids).values_list("pk", "name"))
    full = [names[t] for t in dest_ids if not any(s.target > 0 for s in live[t].values())]
    if full:
        raise StepRefused(f"{' and '.join(sorted(full))} {'has' if len(full) == 1 else 'have'} no coordinator "
                          f"able to hold cases (all away, left or in induction): add staff first.")
    families = selectors.family_ids(la_id=la_id)
    # Brothers and sisters already held in the destination team keep the family with their coordinator.
    held_with: dict[tuple[int, int], set[int]] = defaultdict(set)
    siblings = set(families)
    for child_id, team_id, coordinator_id in (selectors.active_children(la_id=la_id).filter(pk__in=siblings)
                                              .values_list("pk", "team_id", "coordinator_id")):
        if coordinator_id is not None:
            held_with[(families[child_id], team_id)].add(coordinator_id)
    groups: dict[object, list] = defaultdict(list)
    for r, to, why in sorted(children, key=lambda x: (x[0].label, x[0].child_id)):
        groups[(families.get(r.child_id, ("alone", r.child_id)), to)].append((r, to, why))
    planned = []
    for (family, to), members in groups.items():
        team_seats = live[to]
        # A brother or sister already in the destination team is never one of the children moving to it.
        hint = set() if isinstance(family, tuple) else {c for c in held_with.get((family, to), set())
                                                        if c in team_seats}
        for r, _, why in members:
            coordinator = choose_coordinator(list(team_seats.values()), sibling_coordinators=hint)
            seat = team_seats[coordinator]
            team_seats[coordinator] = replace(seat, load=seat.load + 1)
            note = why + ("; with their brother or sister's coordinator" if coordinator in hint else "")
            hint = hint | {coordinator}
            planned.append(Planned(r.child_id, r.team_id, r.coordinator_id, to, coordinator, note))
    return planned, seats


def circumstance_changes(*, user, today: datetime.date | None = None) -> dict:
    """Children whose circumstances now route them to a team other than the one holding them, grouped by
    from → to team with the reason each. A fixed number of queries however many children there are."""
    if not can_configure_teams(user):
        raise NotAllowed("Only service leaders and administrators can see changes of team.")
    today = _today(today)
    teams = {t.pk: t for t in Team.objects.filter(la_id=user.la_id)}
    rules = [rule_of(t) for t in teams.values() if t.is_active]
    by_id = {r.team_id: r for r in rules}
    groups: dict[tuple[int | None, int], list] = defaultdict(list)
    unrouted = tied = 0
    for row in selectors.child_rows(la_id=user.la_id, today=today):
        r = route(row.circumstances, rules)
        if not r.ok:
            unrouted += r.team_id is None
            tied += bool(r.tied)
            continue
        if r.team_id == row.team_id:
            continue
        groups[(row.team_id, r.team_id)].append(
            (row, why_changed(row.circumstances, by_id.get(row.team_id), by_id[r.team_id])))
    out = []
    for (src, dst), rows in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0][1], kv[0][0] or 0)):
        rows.sort(key=lambda x: (x[0].label, x[0].child_id))
        out.append({"key": f"{src or 0}-{dst}", "from_team": teams.get(src), "to_team": teams[dst],
                    "count": len(rows), "rows": rows})
    return {"groups": out, "total": sum(g["count"] for g in out), "unrouted": unrouted, "tied": tied,
            "today": today}


def why_changed(c: Circumstances, held: CohortRule | None, new: CohortRule) -> str:
    """In words, what about the child no longer fits the team holding them, or now fits a team before it."""
    if held is None:
        return "not held by a team that holds cases"
    reasons = []
    if held.looked_after is not None and held.looked_after != c.looked_after:
        reasons.append("became looked after" if c.looked_after else "no longer looked after")
    if held.off_roll is not None and held.off_roll != c.off_roll:
        reasons.append("not on a school roll" if c.off_roll else "back on a school roll")
    if held.min_age is not None and c.age < held.min_age or held.max_age is not None and c.age > held.max_age:
        reasons.append(f"now in the age group {c.age} (age on 31 August)")
    if held.districts and c.district not in held.districts:
        reasons.append(f"moved to {c.district or 'an unknown postcode'}")
    if held.urns and c.urn not in held.urns:
        reasons.append("left the team's schools")
    if reasons:
        return "; ".join(reasons)
    # Still fits the holding team, but a team before it in priority now takes them.
    if new.looked_after and c.looked_after:
        return "became looked after"
    if new.off_roll and c.off_roll:
        return "not on a school roll"
    if new.min_age is not None or new.max_age is not None:
        return f"now in the age group {c.age} (age on 31 August)"
    if new.districts:
        return f"lives in {c.district}"
    return f"{new.name}'s rule now fits: {new.describe()}"


def proposal_circumstances(*, actor, keys: list[str], today: datetime.date | None = None) -> Proposal:
    """Propose the team changes of the chosen from → to groups on the circumstances page."""
    changes = circumstance_changes(user=actor, today=today)
    chosen = [g for g in changes["groups"] if g["key"] in set(keys)]
    if not chosen:
        raise StepRefused({"groups": "Choose at least one group of children to move"})
    today = changes["today"]
    counts = selectors.caseload_counts(la_id=actor.la_id)
    planned, seats = _assign(la_id=actor.la_id, today=today, counts=counts,
                             children=[(row, g["to_team"].pk, why) for g in chosen for row, why in g["rows"]])
    n = len(planned)
    team_ids = {g["to_team"].pk for g in chosen} | {g["from_team"].pk for g in chosen if g["from_team"]}
    return _save(actor=actor, kind=ProposalKind.CIRCUMSTANCES, title=f"Team changes after circumstances changed: "
                 f"{n} {'child' if n == 1 else 'children'}", team=None, reason="", planned=planned, seats=seats,
                 counts=counts, team_ids=team_ids, today=today)


@transaction.atomic
def _save(*, actor, kind, title, team, reason, planned: list[Planned], seats: list[Seat], counts: Counter,
          team_ids: set[int], today: datetime.date, lower_bound=None, cost=None, seconds=None,
          extra=None) -> Proposal:
    """Store the proposal with its moves and the caseloads before and after, per coordinator."""
    summary = {"on": today.isoformat(), "moves": len(planned), "method": METHOD[kind], **(extra or {}),
               "caseloads": _caseloads(seats=seats, counts=counts, team_ids=team_ids | {p.to_team for p in planned}
                                       | {p.from_team for p in planned if p.from_team}, planned=planned,
                                       today=today, la_id=actor.la_id)}
    summary["over_target"] = [row for row in summary["caseloads"] if row["after"] > row["target"]]
    proposal = audited_by(Proposal(la_id=actor.la_id, kind=kind, title=title[:200], team=team, reason=reason,
                                   created_by=actor, lower_bound=lower_bound, solver_cost=cost,
                                   solver_ms=None if seconds is None else round(seconds * 1000), summary=summary),
                          actor)
    proposal.save()
    ProposedMove.objects.bulk_create([
        ProposedMove(la_id=actor.la_id, proposal=proposal, child_id=p.child_id, from_team_id=p.from_team,
                     from_coordinator_id=p.from_coordinator, to_team_id=p.to_team, to_coordinator_id=p.to_coordinator,
                     why=p.why[:250]) for p in planned], batch_size=500)
    return proposal


def _caseloads(*, seats, counts, team_ids, planned, today, la_id) -> list[dict]:
    """Each coordinator of the teams involved (and anyone holding a moving child): target, before and after."""
    seat_of = {(s.team_id, s.coordinator_id): s for s in selectors.seats(la_id=la_id, today=today,
                                                                           team_ids=team_ids, counts=counts)}
    seat_of.update({(s.team_id, s.coordinator_id): s for s in seats})
    delta: Counter = Counter()
    for p in planned:
        delta[(p.from_team, p.from_coordinator)] -= 1
        delta[(p.to_team, p.to_coordinator)] += 1
    keys = set(seat_of) | {k for k in delta if k[0] is not None and k[1] is not None}
    users = {u.pk: u for u in User.objects.filter(pk__in={c for _, c in keys})}
    teams = dict(Team.objects.filter(pk__in={t for t, _ in keys}).values_list("pk", "name"))
    rows = []
    for team_id, coordinator_id in keys:
        s = seat_of.get((team_id, coordinator_id))
        user = users[coordinator_id]
        before = s.load if s else counts.get((team_id, coordinator_id), 0)
        rows.append({"team": team_id, "team_name": teams.get(team_id, ""), "coordinator": coordinator_id,
                     "name": user.get_full_name() or user.username, "status": _status(user, today, s),
                     "target": s.target if s else 0, "maximum": s.maximum if s else 0, "before": before,
                     "after": before + delta[(team_id, coordinator_id)]})
    rows.sort(key=lambda r: (r["team_name"], r["name"], r["coordinator"]))
    return rows


def _status(user: User, today: datetime.date, seat: Seat | None) -> str:
    if user.left_on and user.left_on <= today:
        return f"left on {user.left_on.day} {user.left_on:%B %Y}"
    if user.away(today):
        return "on a long absence"
    if user.in_induction(today):
        return "in induction" + (", no caseload yet" if seat is not None and seat.target == 0 else "")
    if seat is None:
        return "not in this team"
    return ""


# --- Deciding ------------------------------------------------------------------------------------------------


class _Stale(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


STALE_MESSAGE = ("Nothing was changed: this proposal is out of date because caseloads or staff have changed since "
                 "it was made. Make a new one.")


def _decidable(actor, proposal: Proposal) -> None:
    if not can_decide(actor, proposal):
        raise NotAllowed("You cannot decide this proposal.")
    if proposal.status != ProposalStatus.PROPOSED:
        raise StepRefused(f"This proposal is already {proposal.get_status_display().lower()}: nothing was changed.")


def proposal_approve(*, actor, proposal: Proposal, today: datetime.date | None = None) -> int:
    """Apply every move or none (see the module docstring). Returns the number of children moved."""
    _decidable(actor, proposal)
    today = _today(today)
    try:
        with transaction.atomic():
            now = timezone.now()
            if not Proposal.objects.filter(pk=proposal.pk, status=ProposalStatus.PROPOSED).update(
                    status=ProposalStatus.APPLIED, decided_at=now, decided_by=actor):
                raise StepRefused("Someone else decided this proposal first: nothing was changed.")
            moved = _apply(actor=actor, proposal=proposal, today=today)
            proposal.status, proposal.decided_at, proposal.decided_by = ProposalStatus.APPLIED, now, actor
            audited_by(proposal, actor).save()
    except _Stale as stale:
        # Kept as a record of why it was not applied; only if nobody decided it meanwhile.
        if Proposal.objects.filter(pk=proposal.pk, status=ProposalStatus.PROPOSED).update(
                status=ProposalStatus.STALE, decided_at=timezone.now(),
                summary={**proposal.summary, "stale": stale.problems[:50]}):
            proposal.refresh_from_db()
            audited_by(proposal, actor).save()  # the history row, with who found it out of date
        else:
            proposal.refresh_from_db()
        raise StepRefused(STALE_MESSAGE) from stale
    except BaseException:
        proposal.refresh_from_db()
        raise
    return moved


def _apply(*, actor, proposal: Proposal, today: datetime.date) -> int:
    moves = list(proposal.moves.select_related("from_team", "to_team", "from_coordinator", "to_coordinator"))
    if not moves:
        raise StepRefused("This proposal moves nobody: discard it instead.")
    children = {c.pk: c for c in Child.objects.select_for_update().filter(la_id=proposal.la_id,
                                                                          pk__in=[m.child_id for m in moves])}
    problems = []
    for m in moves:
        child = children.get(m.child_id)
        if child is None:
            problems.append("a child in the proposal is no longer recorded")
        elif (child.team_id, child.coordinator_id) != (m.from_team_id, m.from_coordinator_id):
            problems.append(f"{child.full_name} is no longer held by {_holder(m.from_coordinator, m.from_team)}")
    problems.extend(destination_problems(moves=moves, today=today))
    if problems:
        raise _Stale(problems)
    # One UPDATE per destination coordinator (a CASE over thousands of rows is slow), then one history row each.
    now = timezone.now()
    by_destination: dict[tuple[int, int], list[int]] = defaultdict(list)
    for m in moves:
        child = children[m.child_id]
        child.team_id, child.coordinator_id, child.updated_at = m.to_team_id, m.to_coordinator_id, now
        by_destination[(m.to_team_id, m.to_coordinator_id)].append(m.child_id)
    for (team_id, coordinator_id), ids in by_destination.items():
        Child.objects.filter(pk__in=ids).update(team_id=team_id, coordinator_id=coordinator_id, updated_at=now)
    Child.history.bulk_history_create([children[m.child_id] for m in moves], update=True, default_user=actor,
                                      default_change_reason=proposal.title[:100], batch_size=500)
    why = {m.child_id: m.why for m in moves}
    reason = proposal.reason.strip()
    allocations = Allocation.objects.bulk_create([
        Allocation(la_id=proposal.la_id, child_id=m.child_id, kind=ALLOCATION_KIND[proposal.kind],
                   from_team=m.from_team, from_coordinator=m.from_coordinator, to_team=m.to_team,
                   to_coordinator=m.to_coordinator, reason="\n".join(x for x in (m.why, reason) if x),
                   made_on=today, made_by=actor, proposal=proposal) for m in moves], batch_size=500)
    by_child = {m.child_id: m for m in moves}
    label = ALLOCATION_KIND[proposal.kind].label.lower()
    for case in Case.objects.filter(child_id__in=by_child, stage__in=selectors.ACTIVE_STAGES).order_by("pk"):
        m = by_child[case.child_id]
        timeline_record(case=case, actor=actor, kind=MOVED_KIND, occurred_on=today,
                        summary=f"EHC coordinator changed from {_holder(m.from_coordinator, m.from_team)} to "
                                f"{_holder(m.to_coordinator, m.to_team)}: {label}",
                        reason="\n".join(x for x in (why[case.child_id], reason) if x))
    family_notify_coordinator_change(allocations=allocations)
    return len(moves)


def _holder(coordinator, team) -> str:
    who = (coordinator.get_full_name() or coordinator.username) if coordinator else "no coordinator"
    return f"{who} ({team.name})" if team else who


def destination_problems(*, moves: list[ProposedMove], today: datetime.date) -> list[str]:
    """Refuse a move to someone who cannot take the child now (left, away, in an induction with no caseload, no
    longer in the team: the one definition in `allocation.coordinator_refusal`) or to a team that holds no cases."""
    problems = []
    pairs = {(m.to_team_id, m.to_coordinator_id): m for m in moves}
    for (_, _), m in sorted(pairs.items()):
        if not m.to_team.is_active:
            problems.append(f"{m.to_team.name} no longer holds cases")
            continue
        refusal = coordinator_refusal(coordinator=m.to_coordinator, team=m.to_team, today=today)
        if refusal:
            problems.append(refusal)
    return problems


def proposal_discard(*, actor, proposal: Proposal) -> None:
    """Decide not to make the moves: nothing changes, and the proposal is kept as a record."""
    _decidable(actor, proposal)
    with transaction.atomic():
        now = timezone.now()
        if not Proposal.objects.filter(pk=proposal.pk, status=ProposalStatus.PROPOSED).update(
                status=ProposalStatus.DISCARDED, decided_at=now, decided_by=actor):
            raise StepRefused("Someone else decided this proposal first.")
        proposal.status, proposal.decided_at, proposal.decided_by = ProposalStatus.DISCARDED, now, actor
        audited_by(proposal, actor).save()


# --- Reads for the pages -------------------------------------------------------------------------------------


def proposal_moves(proposal: Proposal) -> QuerySet[ProposedMove]:
    return proposal.moves.select_related("child", "from_team", "to_team", "from_coordinator", "to_coordinator")


def active_case_ids(child_ids) -> dict[int, int]:
    """child → their most recent active case, for links from the preview."""
    out = {}
    for child_id, pk in (Case.objects.filter(child_id__in=list(child_ids), stage__in=selectors.ACTIVE_STAGES)
                         .order_by("child_id", "-received_on", "-pk").values_list("child_id", "pk")):
        out.setdefault(child_id, pk)
    return out


def rebalance_teams_for(user) -> QuerySet[Team]:
    return teams_managed_by(user).filter(is_active=True).order_by("priority", "name")


def council_teams(user) -> QuerySet[Team]:
    return Team.objects.filter(la_id=user.la_id, is_active=True).order_by("priority", "name")
