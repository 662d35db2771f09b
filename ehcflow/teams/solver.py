"""Rebalancing caseloads as a minimum-cost flow (OR-Tools), pure: no ORM.

Each child who may have to move (those held by a coordinator over target, or by someone who has left, is away
or still in induction with no caseload) is one unit of flow from a source; it flows either back to their own
coordinator (free) or to another coordinator of the same team (the cost of moving them). Each coordinator
passes flow to the sink in tiers: free up to 85% of target, a small cost up to target (so new children spread
rather than fill one person), a large cost up to the maximum and a larger one beyond. Because any unit above
target costs more than any move, the optimum first brings everyone within target where the team's capacity
allows, then makes the cheapest moves that do it. Network flow problems with integer capacities have integral
optimal solutions, so the answer is exactly optimal for this cost: the gap to the best possible cost is zero.

Move costs say who we prefer not to move: a child moved recently, one near a statutory deadline, one who would
leave a sibling behind. A destination holding a sibling is cheaper. The fewest moves any plan could make (the
lower bound reported beside the result) is, per team, the children above target at each coordinator who can
be absorbed below target elsewhere, plus every child whose coordinator can hold no cases.
"""

import time
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.graph.python import min_cost_flow

from ehcflow.teams.routing import Seat

BASE_MOVE = 100
MOVED_RECENTLY = 200  # moved in the last 90 days
NEAR_DEADLINE = 200  # a statutory deadline within the next 14 days
LEAVES_SIBLING = 150  # a sibling stays with the current coordinator
JOINS_SIBLING = -60  # the destination already holds a sibling
OVER_TARGET = 10_000  # per child above target: always worse than any set of moves that avoids it
OVER_MAXIMUM = 40_000  # per child above the maximum
SPREAD = 5  # per child between 85% of target and target
SPREAD_FROM = 0.85


@dataclass(frozen=True)
class Holding:
    """A child as the solver sees them."""

    child_id: int
    team_id: int
    coordinator_id: int | None
    moved_recently: bool = False
    near_deadline: bool = False
    family: int | None = None  # children sharing a family id are siblings


@dataclass(frozen=True)
class Move:
    child_id: int
    team_id: int
    from_coordinator: int | None
    to_coordinator: int
    cost: int
    why: str


@dataclass
class Result:
    moves: list[Move] = field(default_factory=list)
    lower_bound: int = 0
    cost: int = 0
    seconds: float = 0.0
    unplaced: int = 0  # children with nowhere to go: a team with no coordinator able to hold cases
    after: dict[int, int] = field(default_factory=dict)  # coordinator → load after the moves
    over_target_after: dict[int, int] = field(default_factory=dict)

    @property
    def gap(self) -> int:
        """Moves made beyond the lower bound (0 when the plan makes the fewest moves possible)."""
        return len(self.moves) - self.lower_bound


def move_cost(h: Holding, *, leaves_sibling: bool) -> int:
    return (BASE_MOVE + (MOVED_RECENTLY if h.moved_recently else 0) + (NEAR_DEADLINE if h.near_deadline else 0)
            + (LEAVES_SIBLING if leaves_sibling else 0))


def rebalance(seats: list[Seat], holdings: list[Holding]) -> Result:
    """The cheapest set of moves that brings every coordinator within target, team by team."""
    started = time.perf_counter()
    result = Result()
    seats_by_team: dict[int, list[Seat]] = defaultdict(list)
    for s in seats:
        seats_by_team[s.team_id].append(s)
    held_by_team: dict[int, list[Holding]] = defaultdict(list)
    for h in holdings:
        held_by_team[h.team_id].append(h)
    for team_id, team_holdings in held_by_team.items():
        _solve_team(seats_by_team.get(team_id, []), team_holdings, result)
    result.seconds = time.perf_counter() - started
    return result


def _solve_team(seats: list[Seat], holdings: list[Holding], result: Result) -> None:
    by_coordinator: dict[int | None, list[Holding]] = defaultdict(list)
    for h in holdings:
        by_coordinator[h.coordinator_id].append(h)
    usable = {s.coordinator_id: s for s in seats if s.target > 0}
    load = {c: len(by_coordinator.get(c, [])) for c in usable}
    # Who may move: everyone held by a coordinator above target or unable to hold cases.
    candidates = [h for c, hs in by_coordinator.items()
                  if c not in usable or load[c] > usable[c].target for h in hs]
    stuck = sum(1 for c, hs in by_coordinator.items() if c not in usable for _ in hs)
    excess = sum(max(0, load[c] - s.target) for c, s in usable.items())
    room = sum(max(0, s.target - load[c]) for c, s in usable.items())
    result.lower_bound += stuck + min(excess, max(0, room - stuck))
    for c in usable:
        result.after[c] = load[c]
    if not candidates:
        return
    if not usable:
        result.unplaced += len(candidates)
        return
    families: dict[int, set[int | None]] = defaultdict(set)  # family → coordinators holding a member
    family_at: dict[tuple[int, int | None], int] = defaultdict(int)
    for h in holdings:
        if h.family is not None:
            families[h.family].add(h.coordinator_id)
            family_at[(h.family, h.coordinator_id)] += 1
    candidate_ids = {h.child_id for h in candidates}
    fixed = {c: sum(1 for h in by_coordinator.get(c, []) if h.child_id not in candidate_ids) for c in usable}
    coords = list(usable)
    n = len(candidates)
    source, sink = 0, 1
    child_node = {h.child_id: 2 + i for i, h in enumerate(candidates)}
    coord_node = {c: 2 + n + j for j, c in enumerate(coords)}
    tails, heads, caps, costs = [], [], [], []

    def arc(t: int, h: int, cap: int, cost: int) -> int:
        tails.append(t), heads.append(h), caps.append(cap), costs.append(cost)
        return len(tails) - 1

    child_arcs: list[tuple[Holding, int, int]] = []
    for h in candidates:
        arc(source, child_node[h.child_id], 1, 0)
        leaves = h.family is not None and family_at[(h.family, h.coordinator_id)] > 1
        base = move_cost(h, leaves_sibling=leaves)
        for c in coords:
            if c == h.coordinator_id:
                cost = 0
            else:
                cost = base + (JOINS_SIBLING if h.family is not None and c in families[h.family] else 0)
            child_arcs.append((h, c, arc(child_node[h.child_id], coord_node[c], 1, max(cost, 1) if cost else 0)))
    for c in coords:
        s = usable[c]
        free = max(0, int(s.target * SPREAD_FROM) - fixed[c])
        to_target = max(0, s.target - fixed[c]) - free
        to_maximum = max(0, s.maximum - max(fixed[c], s.target))
        node = coord_node[c]
        if free:
            arc(node, sink, free, 0)
        if to_target:
            arc(node, sink, to_target, SPREAD)
        if to_maximum:
            arc(node, sink, to_maximum, OVER_TARGET)
        arc(node, sink, n, OVER_MAXIMUM)
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = [0] * (2 + n + len(coords))
    supplies[source], supplies[sink] = n, -n
    solver.set_nodes_supplies(list(range(len(supplies))), supplies)
    status = solver.solve()
    if status != solver.OPTIMAL:  # cannot happen with an overflow arc on every coordinator; refuse loudly
        raise RuntimeError(f"The rebalancing solver did not find an optimal plan (status {status}).")
    result.cost += solver.optimal_cost()
    for h, c, a in child_arcs:
        if solver.flow(a) and c != h.coordinator_id:
            why = ("their coordinator cannot hold cases" if h.coordinator_id not in usable
                   else "their coordinator is above target")
            result.moves.append(Move(child_id=h.child_id, team_id=h.team_id, from_coordinator=h.coordinator_id,
                                     to_coordinator=c, cost=costs[a], why=why))
            if h.coordinator_id in result.after:
                result.after[h.coordinator_id] -= 1
            result.after[c] += 1
    for c, s in usable.items():
        if result.after[c] > s.target:
            result.over_target_after[c] = result.after[c] - s.target
