"""Which team holds a child, and which coordinator in it: pure functions, no ORM.

A team's cohort rule is a set of conditions (looked after; on a school roll or not; an age band; postcode
districts; schools). A child belongs to the team with the lowest priority number among those whose every
condition fits. Ages are counted on the 31 August before the current school year, so a whole year group changes
team together in September (a child in Year 11 is 15, in Year 12 is 16) rather than on each birthday.

A configuration is rejected when some child fits no team, or the lowest-priority fit is shared by two teams;
`configuration_problems` lists them with examples, and also warns where rules could tie or leave a gap for
children the council does not hold today (a looked-after child placed out of county, say).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

OFF_ROLL_SETTING_KINDS = frozenset({"ap"})  # alternative provision; no setting at all is also off roll
EXAMPLES = 10


def academic_age(date_of_birth: datetime.date, today: datetime.date) -> int:
    """Age on the 31 August before the school year `today` falls in (school years start on 1 September)."""
    year = today.year if today.month >= 9 else today.year - 1
    cutoff = datetime.date(year, 8, 31)
    return cutoff.year - date_of_birth.year - ((cutoff.month, cutoff.day) < (date_of_birth.month, date_of_birth.day))


def postcode_district(postcode: str) -> str:
    """The outward code of a UK postcode ("HX1 2AB" → "HX1"); the whole value when it has no inward part."""
    compact = "".join((postcode or "").upper().split())
    return compact[:-3] if len(compact) > 4 else compact


@dataclass(frozen=True)
class Circumstances:
    """What the cohort rules look at for one child."""

    looked_after: bool
    off_roll: bool
    age: int
    district: str = ""
    urn: str = ""


def circumstances_of(*, date_of_birth: datetime.date, today: datetime.date, looked_after: bool,
                     setting_kind: str | None, setting_urn: str = "", postcode: str = "") -> Circumstances:
    return Circumstances(looked_after=bool(looked_after),
                         off_roll=not setting_kind or setting_kind in OFF_ROLL_SETTING_KINDS,
                         age=academic_age(date_of_birth, today), district=postcode_district(postcode),
                         urn=setting_urn or "")


@dataclass(frozen=True)
class CohortRule:
    team_id: int
    name: str
    priority: int
    looked_after: bool | None = None
    off_roll: bool | None = None
    min_age: int | None = None
    max_age: int | None = None
    districts: frozenset[str] = field(default_factory=frozenset)
    urns: frozenset[str] = field(default_factory=frozenset)

    def fits(self, c: Circumstances) -> bool:
        return ((self.looked_after is None or self.looked_after == c.looked_after)
                and (self.off_roll is None or self.off_roll == c.off_roll)
                and (self.min_age is None or c.age >= self.min_age)
                and (self.max_age is None or c.age <= self.max_age)
                and (not self.districts or c.district in self.districts)
                and (not self.urns or c.urn in self.urns))

    def overlaps(self, other: "CohortRule") -> bool:
        """Whether some child could fit both rules."""
        lo = max(self.min_age or 0, other.min_age or 0)
        hi = min(25 if self.max_age is None else self.max_age, 25 if other.max_age is None else other.max_age)
        return (lo <= hi
                and (self.looked_after is None or other.looked_after is None or self.looked_after == other.looked_after)
                and (self.off_roll is None or other.off_roll is None or self.off_roll == other.off_roll)
                and (not self.districts or not other.districts or bool(self.districts & other.districts))
                and (not self.urns or not other.urns or bool(self.urns & other.urns)))

    def describe(self) -> str:
        """The rule in words, for managers checking a configuration."""
        parts = []
        if self.looked_after is not None:
            parts.append("looked after" if self.looked_after else "not looked after")
        if self.off_roll is not None:
            parts.append("not on a school roll" if self.off_roll else "on a school roll")
        if self.min_age is not None and self.max_age is not None:
            parts.append(f"aged {self.min_age} to {self.max_age}")
        elif self.min_age is not None:
            parts.append(f"aged {self.min_age} or over")
        elif self.max_age is not None:
            parts.append(f"aged {self.max_age} or under")
        if self.districts:
            parts.append("living in " + ", ".join(sorted(self.districts)))
        if self.urns:
            parts.append(f"at one of {len(self.urns)} named schools")
        return "; ".join(parts) or "every child no other team takes"


def rule_of(team) -> CohortRule:
    """The pure rule for a `ehcflow.teams.models.Team` (or anything with the same attributes)."""
    return CohortRule(team_id=team.pk, name=team.name, priority=team.priority, looked_after=team.looked_after,
                      off_roll=team.off_roll, min_age=team.min_age, max_age=team.max_age,
                      districts=frozenset(team.district_list), urns=frozenset(team.urn_list))


@dataclass(frozen=True)
class Route:
    team_id: int | None
    tied: tuple[int, ...] = ()  # teams sharing the lowest priority that fits: a configuration error

    @property
    def ok(self) -> bool:
        return self.team_id is not None and not self.tied


def route(c: Circumstances, rules: Iterable[CohortRule]) -> Route:
    """The team whose rule fits with the lowest priority number; ties are reported, never broken silently."""
    fitting = sorted((r for r in rules if r.fits(c)), key=lambda r: (r.priority, r.team_id))
    if not fitting:
        return Route(None)
    first = [r.team_id for r in fitting if r.priority == fitting[0].priority]
    return Route(first[0], tuple(first) if len(first) > 1 else ())


@dataclass
class Problems:
    """What is wrong with a configuration. `errors` block saving it; `warnings` are shown beside it."""

    unrouted_count: int = 0
    unrouted_examples: list = field(default_factory=list)
    tied: dict[tuple[str, ...], dict] = field(default_factory=dict)  # team names → {"count", "examples"}
    rule_ties: list[tuple[str, str]] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.unrouted_count or self.tied or self.rule_ties)

    def errors(self) -> list[str]:
        out = []
        if self.unrouted_count:
            names = ", ".join(str(e) for e in self.unrouted_examples)
            out.append(f"{self.unrouted_count} {'child fits' if self.unrouted_count == 1 else 'children fit'} no team's "
                       f"rule, for example: {names}.")
        for names, seen in self.tied.items():
            examples = ", ".join(str(e) for e in seen["examples"])
            out.append(f"{seen['count']} {'child fits' if seen['count'] == 1 else 'children fit'} "
                       f"{' and '.join(names)} at the same priority, for example: {examples}.")
        for a, b in self.rule_ties:
            if not any(a in names and b in names for names in self.tied):
                out.append(f"{a} and {b} have the same priority and their rules overlap: give one a lower number.")
        return out


def configuration_problems(rules: list[CohortRule], children: Iterable[tuple[object, Circumstances]],
                           *, districts: Iterable[str] = ()) -> Problems:
    """Check a configuration against the children the council holds (`(label, circumstances)` pairs).

    Also reports, as errors, two rules of equal priority that could both fit a child, and as warnings,
    circumstances no rule covers among every combination of looked after / on roll / age 0-25 / the districts
    given (the council's own, plus one outside them).
    """
    by_id = {r.team_id: r for r in rules}
    problems = Problems()
    for label, c in children:
        r = route(c, rules)
        if r.team_id is None:
            problems.unrouted_count += 1
            if len(problems.unrouted_examples) < EXAMPLES:
                problems.unrouted_examples.append(label)
        elif r.tied:
            names = tuple(by_id[t].name for t in r.tied)
            seen = problems.tied.setdefault(names, {"count": 0, "examples": []})
            seen["count"] += 1
            if len(seen["examples"]) < EXAMPLES:
                seen["examples"].append(label)
    ordered = sorted(rules, key=lambda r: (r.priority, r.team_id))
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if a.priority == b.priority and a.overlaps(b):
                problems.rule_ties.append((a.name, b.name))
    for district in sorted(set(districts)) + ["(outside these districts)"]:
        for looked_after in (False, True):
            for off_roll in (False, True):
                missing = [age for age in range(26)
                           if route(Circumstances(looked_after, off_roll, age, district), rules).team_id is None]
                if missing:
                    who = ("looked after" if looked_after else "not looked after") + ", " + (
                        "not on a school roll" if off_roll else "on a school roll")
                    problems.gaps.append(f"No team holds children {who} living in {district} aged "
                                         f"{_ranges(missing)}.")
    return problems


def _ranges(ages: list[int]) -> str:
    """[0, 1, 2, 7] → "0 to 2, 7"."""
    spans, start, prev = [], ages[0], ages[0]
    for age in ages[1:]:
        if age != prev + 1:
            spans.append((start, prev))
            start = age
        prev = age
    spans.append((start, prev))
    return ", ".join(str(a) if a == b else f"{a} to {b}" for a, b in spans)


# --- Capacity and the choice of coordinator -------------------------------------------------------------------


@dataclass(frozen=True)
class Seat:
    """A coordinator's place in a team: how many children they should hold and how many they do."""

    coordinator_id: int
    team_id: int
    target: int  # FTE-adjusted; reduced (or 0) in induction; 0 when away
    maximum: int
    load: int


def seat_capacity(*, per_fte: int, fte: Decimal | float, in_induction: bool, induction_percent: int,
                  away: bool) -> int:
    """Children a coordinator should hold: the team's figure per full-time coordinator × hours, reduced in
    induction to the team's induction share (0 by default: no cases until the six weeks are done)."""
    if away:
        return 0
    share = Decimal(induction_percent) / 100 if in_induction else Decimal(1)
    return int((Decimal(per_fte) * Decimal(str(fte)) * share).to_integral_value())


def choose_coordinator(seats: list[Seat], *, sibling_coordinators: Iterable[int] = ()) -> int | None:
    """The coordinator for a newly routed child: a sibling's coordinator in the team when they have room below
    their maximum (families want one officer), else whoever is proportionally furthest below target."""
    open_seats = [s for s in seats if s.target > 0]
    if not open_seats:
        return None
    siblings = set(sibling_coordinators)
    for s in sorted(open_seats, key=lambda s: s.load):
        if s.coordinator_id in siblings and s.load < s.maximum:
            return s.coordinator_id
    return min(open_seats, key=lambda s: ((s.load + 1) / s.target, s.load, s.coordinator_id)).coordinator_id
