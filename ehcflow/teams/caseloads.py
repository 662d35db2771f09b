"""Caseloads per team and coordinator against their FTE-adjusted targets, the mix of work, and a 3-month forecast.

Who sees what is `ehcflow.teams.access.teams_managed_by`: a manager their own teams, leaders and administrators
every team of their council. The reads are grouped counts in the database, so the number of queries is the same
for ten children or fourteen thousand. The forecast's arithmetic is pure (`forecast`, `forecast_periods`,
`expected_cease_on`, `year_group_moves`, `staff_target_on`) and tested with fixed data.

A child is counted at the stage of their active case (`selectors.ACTIVE_STAGES`; a child has one at a time), with
the primary need (SEN2 need type, rank 1) its plan holds, if any.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Count, Exists, FilteredRelation, OuterRef, Prefetch, Q

from ehcflow.accounts.models import Role, User
from ehcflow.cases.checks import fmt_date
from ehcflow.cases.models import Case, Stage
from ehcflow.ceasing.models import AppealOutcome, CeaseDecision, Cessation
from ehcflow.ceasing.selectors import latest_birth_date_reaching_limit_by
from ehcflow.ceasing.services import NO_CONSULTATION_REASONS, keeps_plan_through_appeal_period
from ehcflow.core.codes import NeedType
from ehcflow.deadlines.calendar import add_months
from ehcflow.deadlines.rules import tribunal_appeal_due
from ehcflow.moves.models import Direction, LaTransfer
from ehcflow.people.models import Child
from ehcflow.teams import selectors
from ehcflow.teams.access import COUNCIL_ROLES, MANAGING_ROLES, teams_managed_by
from ehcflow.teams.models import Team
from ehcflow.teams.routing import CohortRule, circumstances_of, route, seat_capacity

FORECAST_MONTHS = 3
# The issue's delivery model: new staff complete a six-week induction before holding a full caseload. Used only
# to forecast when someone still in induction (no completion date recorded) reaches their full target.
INDUCTION_WEEKS = 6
# Requests received this long ago have nearly all been decided (the whole process takes up to 20 weeks:
# SEND Regulations 2014 reg 13(2)), so their outcomes give the share that closes without a plan.
RATE_LAG_MONTHS = 6
RATE_WINDOW_MONTHS = 12
# A proposal to cease not yet decided: about a month to consult and decide, then two months in which the family
# may appeal (SEND Regulations 2014 reg 31; HESC Rules 2008 r.20(1)(c)) before the plan can cease.
UNDECIDED_CEASE_MONTHS = 3

STAGES = [(Stage.RECEIVED.value, "Request"), (Stage.ASSESSING.value, "Assessment"),
          (Stage.DRAFTING.value, "Drafting"), (Stage.DRAFT_SERVED.value, "Draft served"),
          (Stage.PLAN_ISSUED.value, "Plan maintained")]
NO_NEED = ""
NEEDS = [(v, label) for v, label in NeedType.choices] + [(NO_NEED, "No primary need recorded yet")]
ENDED_WITHOUT_PLAN = [Stage.NOT_ASSESSED, Stage.NOT_ISSUED, Stage.WITHDRAWN]


# --- The forecast: pure -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """One month of the forecast: the days after `starts_after`, up to and including `ends_on`."""

    starts_after: datetime.date
    ends_on: datetime.date

    def __contains__(self, day: datetime.date) -> bool:
        return self.starts_after < day <= self.ends_on

    def a_year_earlier(self) -> "Period":
        return Period(add_months(self.starts_after, -12), add_months(self.ends_on, -12))


def forecast_periods(today: datetime.date, months: int = FORECAST_MONTHS) -> list[Period]:
    """The next `months` months counted from today (22 Nov → 22 Dec → 22 Jan → 22 Feb)."""
    return [Period(add_months(today, k), add_months(today, k + 1)) for k in range(months)]


def period_index(day: datetime.date | None, periods: Sequence[Period]) -> int | None:
    """Which month of the forecast a dated event falls in; events already due (today or earlier) count in the
    first; None beyond the last month or when there is no date."""
    if day is None or not periods:
        return None
    if day <= periods[0].starts_after:
        return 0
    return next((i for i, p in enumerate(periods) if day in p), None)


def per_period(days: Iterable[datetime.date | None], periods: Sequence[Period]) -> tuple[int, ...]:
    counts = [0] * len(periods)
    for day in days:
        i = period_index(day, periods)
        if i is not None:
            counts[i] += 1
    return tuple(counts)


@dataclass(frozen=True)
class ForecastInputs:
    """What one team's forecast starts from. Tuples hold one number per month of the forecast."""

    held: int
    targets: tuple[int, ...]
    requests: tuple[float, ...]  # expected new requests each month
    refusal_rate: float  # share of requests that close without a plan (refused, not issued, withdrawn)
    recent_requests: int  # requests received in the month before the forecast starts
    age_limit: tuple[int, ...] = ()
    ceasing: tuple[int, ...] = ()
    transfers_out: tuple[int, ...] = ()
    year_group_out: tuple[int, ...] = ()
    year_group_in: tuple[int, ...] = ()


@dataclass(frozen=True)
class ForecastMonth:
    period: Period
    start: float
    requests: float
    refused: float
    age_limit: int
    ceasing: int
    transfers_out: int
    year_group_out: int
    year_group_in: int
    end: float
    target: int

    @property
    def closures(self) -> float:
        return self.refused + self.age_limit + self.ceasing + self.transfers_out + self.year_group_out

    @property
    def percent_of_target(self) -> int | None:
        return round(self.end * 100 / self.target) if self.target else None

    @property
    def over_target(self) -> bool:
        return round(self.end) > self.target


def _at(values: tuple, i: int):
    return values[i] if i < len(values) else 0


def forecast(inputs: ForecastInputs, periods: Sequence[Period]) -> list[ForecastMonth]:
    """Caseload at the end of each month: what is held, plus new requests and children arriving as their year
    group moves on, less the requests expected to close without a plan (the historical share of the previous
    month's arrivals: the decision whether to assess is due within 6 weeks of the request, SEND Regulations 2014
    reg 5(1)), plans reaching the age limit, ceasing in progress, moves to other councils and children leaving
    as their year group moves on. Never below zero."""
    out = []
    start = float(inputs.held)
    arrived_before = float(inputs.recent_requests)
    for i, period in enumerate(periods):
        requests = float(_at(inputs.requests, i))
        refused = inputs.refusal_rate * arrived_before
        month = dict(age_limit=_at(inputs.age_limit, i), ceasing=_at(inputs.ceasing, i),
                     transfers_out=_at(inputs.transfers_out, i), year_group_out=_at(inputs.year_group_out, i),
                     year_group_in=_at(inputs.year_group_in, i))
        leaving = refused + month["age_limit"] + month["ceasing"] + month["transfers_out"] + month["year_group_out"]
        end = max(0.0, start + requests + month["year_group_in"] - leaving)
        out.append(ForecastMonth(period=period, start=start, requests=requests, refused=refused, end=end,
                                 target=_at(inputs.targets, i), **month))
        start, arrived_before = end, requests
    return out


def combine(forecasts: Sequence[Sequence[ForecastMonth]]) -> list[ForecastMonth]:
    """Several teams' forecasts added month by month (the council's total)."""
    if not forecasts:
        return []
    out = []
    for months in zip(*forecasts):
        first = months[0]
        out.append(replace(first, **{name: sum(getattr(m, name) for m in months) for name in (
            "start", "requests", "refused", "age_limit", "ceasing", "transfers_out", "year_group_out",
            "year_group_in", "end", "target")}))
    return out


def expected_cease_on(*, reason: str, proposed_on: datetime.date, decision: str, decision_on: datetime.date | None,
                      notice_sent_on: datetime.date | None, appeal_registered_on: datetime.date | None,
                      appeal_concluded_on: datetime.date | None, appeal_outcome: str,
                      after_appeal_period: bool = True) -> datetime.date | None:
    """When an open proposal to cease is expected to end the plan, or None when that cannot be said (an appeal
    is pending: the plan is maintained until it is concluded, SEND Regulations 2014 reg 31).

    A decision to cease takes effect once the family's time to appeal has passed: two months after the notice
    (HESC Rules 2008 r.20(1)(c); reg 31), without the month a later mediation certificate could add. Reasons
    that need no consultation or notice (e.g. the young person has died) end the plan at once. A proposal not
    yet decided is assumed to end the plan `UNDECIDED_CEASE_MONTHS` after it was made.
    """
    if appeal_registered_on is not None:
        if appeal_concluded_on is None or appeal_outcome != AppealOutcome.DISMISSED:
            return None
        return appeal_concluded_on
    if decision == CeaseDecision.CEASE:
        if reason in NO_CONSULTATION_REASONS or notice_sent_on is None:
            return decision_on or proposed_on
        if not after_appeal_period:
            return decision_on or notice_sent_on
        return tribunal_appeal_due(notice_sent_on) + datetime.timedelta(days=1)
    if reason in NO_CONSULTATION_REASONS:
        return proposed_on
    return add_months(proposed_on, UNDECIDED_CEASE_MONTHS)


@dataclass(frozen=True)
class YearGroupChild:
    """What routing needs about a child, to see whether moving up a year changes their team."""

    team_id: int | None
    date_of_birth: datetime.date
    looked_after: bool
    setting_kind: str | None
    setting_urn: str
    postcode: str


def year_group_moves(children: Iterable[YearGroupChild], rules: Sequence[CohortRule],
                     september_first: datetime.date) -> tuple[Counter, Counter]:
    """(leaving, arriving) by team id: children whose team under the cohort rules changes when ages are next
    counted (on 31 August, `routing.academic_age`), leaving the team holding them for the team the rules give.

    Only the age changes; a child the rules already place elsewhere is counted only if the new age moves them
    again, and a child the new age would leave with no team, or with two teams tied, is not counted (that is a
    configuration problem, shown on the team configuration page)."""
    before_day = september_first - datetime.timedelta(days=1)
    leaving, arriving = Counter(), Counter()
    for c in children:
        args = dict(date_of_birth=c.date_of_birth, looked_after=c.looked_after, setting_kind=c.setting_kind,
                    setting_urn=c.setting_urn, postcode=c.postcode)
        before = route(circumstances_of(today=before_day, **args), rules)
        after = route(circumstances_of(today=september_first, **args), rules)
        if not after.ok or after.team_id == before.team_id or after.team_id == c.team_id:
            continue
        if c.team_id is not None:
            leaving[c.team_id] += 1
        arriving[after.team_id] += 1
    return leaving, arriving


def next_september_first(periods: Sequence[Period]) -> datetime.date | None:
    """The first 1 September within the forecast, if any."""
    if not periods:
        return None
    first = periods[0].starts_after
    candidate = datetime.date(first.year, 9, 1)
    if candidate <= first:
        candidate = datetime.date(first.year + 1, 9, 1)
    return candidate if candidate <= periods[-1].ends_on else None


def boundary_ages(rules: Iterable[CohortRule]) -> set[int]:
    """Ages (counted after 1 September) at which some rule starts or stops fitting: only these year groups can
    change team when the year moves on."""
    ages = set()
    for r in rules:
        if r.min_age is not None:
            ages.add(r.min_age)
        if r.max_age is not None:
            ages.add(r.max_age + 1)
    return ages


@dataclass(frozen=True)
class StaffMember:
    """What a coordinator's target depends on, for forecasting it on a later day."""

    user_id: int
    fte: Decimal
    team_ids: tuple[int, ...]
    induction_started_on: datetime.date | None
    induction_completed_on: datetime.date | None
    left_on: datetime.date | None
    absent_from: datetime.date | None
    absent_until: datetime.date | None

    def in_induction(self, on: datetime.date) -> bool:
        """As `User.in_induction`, but someone with no completion date recorded is assumed to finish six weeks
        after starting."""
        if self.induction_started_on is None or self.induction_started_on > on:
            return False
        done = self.induction_completed_on or (self.induction_started_on
                                                + datetime.timedelta(weeks=INDUCTION_WEEKS))
        return done > on

    def away(self, on: datetime.date) -> bool:
        if self.left_on is not None and self.left_on <= on:
            return True
        return (self.absent_from is not None and self.absent_from <= on
                and (self.absent_until is None or self.absent_until >= on))


@dataclass(frozen=True)
class TeamFigures:
    team_id: int
    per_fte_target: int
    induction_percent: int


def staff_target_on(staff: Iterable[StaffMember], team: TeamFigures, on: datetime.date) -> int:
    """A team's total target on a day: each member's figure as in `selectors.seats` (hours split evenly across
    their teams), with induction and absences as they will stand on that day."""
    total = 0
    for s in staff:
        if team.team_id not in s.team_ids:
            continue
        fte = s.fte * (Decimal(1) / len(s.team_ids))
        total += seat_capacity(per_fte=team.per_fte_target, fte=fte, in_induction=s.in_induction(on),
                               induction_percent=team.induction_percent, away=s.away(on))
    return total


# --- The caseload rows --------------------------------------------------------------------------------------


@dataclass
class Mix:
    """Children held by stage and by primary need."""

    stages: Counter = field(default_factory=Counter)
    needs: Counter = field(default_factory=Counter)

    @property
    def held(self) -> int:
        return sum(self.stages.values())

    def add(self, stage: str, need: str | None, n: int) -> None:
        self.stages[stage] += n
        self.needs[need or NO_NEED] += n

    def merge(self, other: "Mix") -> None:
        self.stages.update(other.stages)
        self.needs.update(other.needs)

    def stage_counts(self) -> list[int]:
        return [self.stages.get(value, 0) for value, _ in STAGES]

    def need_counts(self, needs: Sequence[str]) -> list[int]:
        return [self.needs.get(value, 0) for value in needs]


class LineKind:
    SEAT = "seat"
    NO_COORDINATOR = "no_coordinator"
    LEFT = "left"
    OUTSIDE = "outside"


@dataclass
class Line:
    """One coordinator in one team, or a problem: children with nobody, or with someone who cannot hold them."""

    team_id: int | None
    coordinator_id: int | None
    name: str
    kind: str
    status: str = ""  # "In induction", "Away", or the problem in words
    status_detail: str = ""
    fte: Decimal | None = None
    target: int | None = None
    maximum: int | None = None
    mix: Mix = field(default_factory=Mix)

    @property
    def held(self) -> int:
        return self.mix.held

    @property
    def is_problem(self) -> bool:
        return self.kind != LineKind.SEAT

    @property
    def percent_of_target(self) -> int | None:
        return round(self.held * 100 / self.target) if self.target else None

    @property
    def over_maximum(self) -> bool:
        return self.maximum is not None and self.held > self.maximum

    @property
    def over_target(self) -> bool:
        return self.target is not None and self.held > self.target


@dataclass
class TeamCaseload:
    team: Team
    lines: list[Line]
    mix: Mix
    target: int
    maximum: int
    forecast: list[ForecastMonth] = field(default_factory=list)
    facts: dict = field(default_factory=dict)

    @property
    def held(self) -> int:
        return self.mix.held

    @property
    def seats(self) -> list[Line]:
        return [line for line in self.lines if not line.is_problem]

    @property
    def problems(self) -> list[Line]:
        return [line for line in self.lines if line.is_problem]

    @property
    def percent_of_target(self) -> int | None:
        return round(self.held * 100 / self.target) if self.target else None

    @property
    def over_target(self) -> bool:
        return self.held > self.target

    @property
    def over_maximum(self) -> bool:
        return self.held > self.maximum

    @property
    def needs_shown(self) -> list[tuple[str, str]]:
        """Need types any child in the team has, in SEN2 order (a compact table)."""
        return [(v, label) for v, label in NEEDS if self.mix.needs.get(v)]

    @property
    def need_rows(self) -> list[tuple[Line, list[int]]]:
        """Each line holding children with its counts for `needs_shown`."""
        values = [v for v, _ in self.needs_shown]
        return [(line, line.mix.need_counts(values)) for line in self.lines if line.held]

    @property
    def need_totals(self) -> list[int]:
        return self.mix.need_counts([v for v, _ in self.needs_shown])

    @property
    def over_target_count(self) -> int:
        return sum(1 for line in self.seats if line.over_target)


@dataclass
class Caseloads:
    today: datetime.date
    teams: list[TeamCaseload]
    whole_council: bool
    periods: list[Period]
    no_team: Mix = field(default_factory=Mix)
    forecast: list[ForecastMonth] = field(default_factory=list)
    september_first: datetime.date | None = None

    @property
    def held(self) -> int:
        return sum(t.held for t in self.teams) + self.no_team.held

    @property
    def target(self) -> int:
        return sum(t.target for t in self.teams)

    @property
    def maximum(self) -> int:
        return sum(t.maximum for t in self.teams)

    @property
    def percent_of_target(self) -> int | None:
        return round(self.held * 100 / self.target) if self.target else None

    @property
    def mix(self) -> Mix:
        total = Mix()
        for t in self.teams:
            total.merge(t.mix)
        total.merge(self.no_team)
        return total


# --- Reads --------------------------------------------------------------------------------------------------


def may_see_caseloads(user) -> bool:
    """Managers, leaders and administrators (through `teams_managed_by`'s roles); coordinators see their own
    caseload on the cases pages, and nobody else sees anything here."""
    return bool(getattr(user, "is_authenticated", False) and user.is_council_staff and user.role in MANAGING_ROLES)


def visible_teams(user) -> list[Team]:
    return list(teams_managed_by(user).order_by("priority", "name"))


def mix_rows(*, la_id: int, team_ids: Sequence[int] | None, with_no_team: bool) -> list[tuple]:
    """(team id, coordinator id, stage, primary need, children) for every active child in scope: one grouped query.

    Counted from the active cases: a child has at most one (a new request is refused while one is under way or a
    plan is maintained, `cases.services.request_record`), so this is the children `selectors.active_children`
    counts, with the stage and the plan's primary need in the same pass (a plain count: a distinct count of
    children costs PostgreSQL a sort of every row for nothing).
    """
    qs = Case.objects.filter(la_id=la_id, stage__in=selectors.ACTIVE_STAGES)
    if team_ids is not None:
        scope = Q(child__team_id__in=list(team_ids))
        if with_no_team:
            scope |= Q(child__team_id__isnull=True)
        qs = qs.filter(scope)
    elif not with_no_team:
        qs = qs.filter(child__team_id__isnull=False)
    return list(qs.annotate(first_need=FilteredRelation("plan__needs", condition=Q(plan__needs__rank=1)))
                .order_by().values_list("child__team_id", "child__coordinator_id", "stage", "first_need__need_type")
                .annotate(n=Count("pk")))


def _staff(*, la_id: int, team_ids: Sequence[int], holders: Iterable[int]) -> dict[int, User]:
    """Every coordinator of the teams and everyone holding children in them, with their teams: two queries."""
    qs = (User.objects.filter(la_id=la_id)
          .filter(Q(role=Role.COORDINATOR, is_active=True, teams__in=list(team_ids)) | Q(pk__in=set(holders)))
          .distinct().order_by()
          .prefetch_related(Prefetch("teams", queryset=Team.objects.order_by().only("id"))))
    return {u.pk: u for u in qs}


def _staff_member(user: User) -> StaffMember:
    return StaffMember(user_id=user.pk, fte=user.fte, team_ids=tuple(t.pk for t in user.teams.all()),
                       induction_started_on=user.induction_started_on,
                       induction_completed_on=user.induction_completed_on, left_on=user.left_on,
                       absent_from=user.absent_from, absent_until=user.absent_until)


def _seat_status(user: User, today: datetime.date) -> tuple[str, str]:
    if user.away(today):
        until = f"until {fmt_date(user.absent_until)}" if user.absent_until else "return date not known"
        return "Away", f"Long absence from {fmt_date(user.absent_from)}, {until}"
    if user.in_induction(today):
        return "In induction", f"Induction started {fmt_date(user.induction_started_on)}"
    return "", ""


def _left(user: User | None, today: datetime.date) -> bool:
    return user is None or not user.is_active or (user.left_on is not None and user.left_on <= today)


def _left_line(team: Team, coordinator_id: int, user: User | None, mix: Mix) -> Line:
    when = f"Left on {fmt_date(user.left_on)}" if user is not None and user.left_on else "Account closed"
    return Line(team.pk, coordinator_id, str(user) if user is not None else f"User {coordinator_id}", LineKind.LEFT,
                "Left the service", f"{when}: these children need a coordinator", mix=mix)


def _lines(team: Team, team_seats, mixes: dict, users: dict[int, User], today: datetime.date) -> list[Line]:
    """The team's coordinators (by name), then its problem lines: children with no coordinator, with someone
    who has left, or with someone who is not one of the team's coordinators."""
    lines, problems, seen = [], [], set()
    for seat in team_seats:
        user = users.get(seat.coordinator_id)
        mix = mixes.get((team.pk, seat.coordinator_id), Mix())
        seen.add(seat.coordinator_id)
        if _left(user, today):
            if mix.held:
                problems.append(_left_line(team, seat.coordinator_id, user, mix))
            continue
        status, detail = _seat_status(user, today)
        lines.append(Line(team.pk, user.pk, str(user), LineKind.SEAT, status, detail,
                          fte=user.fte / max(1, len(user.teams.all())), target=seat.target,
                          maximum=seat.maximum, mix=mix))
    lines.sort(key=lambda line: (users[line.coordinator_id].last_name, users[line.coordinator_id].first_name,
                                 line.coordinator_id))
    for (team_id, coordinator_id), mix in mixes.items():
        if team_id != team.pk or coordinator_id in seen:
            continue
        if coordinator_id is None:
            problems.append(Line(team.pk, None, "No coordinator", LineKind.NO_COORDINATOR, "No coordinator",
                                 "These children have no named coordinator", mix=mix))
            continue
        user = users.get(coordinator_id)
        if _left(user, today):
            problems.append(_left_line(team, coordinator_id, user, mix))
        else:
            name = str(user)
            problems.append(Line(team.pk, coordinator_id, name, LineKind.OUTSIDE, "Not a coordinator in this team",
                                 f"Held by {name}, who is not one of this team's coordinators", mix=mix))
    problems.sort(key=lambda line: (line.kind != LineKind.NO_COORDINATOR, line.name))
    return lines + problems


def _request_figures(*, la_id: int, team_ids: list[int] | None, today: datetime.date, periods: list[Period]) -> dict:
    """Per team: requests in the same months a year earlier, in the last month and the last 12 months, and the
    outcomes of the requests received 6 to 18 months ago. One query (`team_ids` None: every team of the council,
    read through the council's index on the date of receipt)."""
    moved_in = LaTransfer.objects.filter(plan__case_id=OuterRef("pk"), direction=Direction.IN)
    rate_from, rate_to = add_months(today, -(RATE_LAG_MONTHS + RATE_WINDOW_MONTHS)), add_months(today, -RATE_LAG_MONTHS)
    aggregates = {
        f"p{i}": Count("pk", filter=Q(received_on__gt=p.a_year_earlier().starts_after,
                                      received_on__lte=p.a_year_earlier().ends_on))
        for i, p in enumerate(periods)}
    aggregates.update(
        recent=Count("pk", filter=Q(received_on__gt=add_months(today, -1), received_on__lte=today)),
        year=Count("pk", filter=Q(received_on__gt=add_months(today, -12), received_on__lte=today)),
        decided=Count("pk", filter=Q(received_on__gt=rate_from, received_on__lte=rate_to)),
        ended=Count("pk", filter=Q(received_on__gt=rate_from, received_on__lte=rate_to,
                                   stage__in=ENDED_WITHOUT_PLAN)),
    )
    earliest = min([rate_from, *(p.a_year_earlier().starts_after for p in periods), add_months(today, -12)])
    qs = Case.objects.filter(la_id=la_id, received_on__gt=earliest)
    if team_ids is not None:
        qs = qs.filter(child__team_id__in=team_ids)
    rows = (qs.exclude(Exists(moved_in)).order_by().values("child__team_id").annotate(**aggregates))
    return {row["child__team_id"]: row for row in rows}


def _open_cessation(case_ref: str = "pk"):
    return (Cessation.objects.filter(plan__case_id=OuterRef(case_ref), ceased_on__isnull=True)
            .exclude(decision=CeaseDecision.MAINTAIN).exclude(appeal_outcome=AppealOutcome.UPHELD))


def _open_transfer_out(case_ref: str = "pk"):
    return LaTransfer.objects.filter(plan__case_id=OuterRef(case_ref), direction=Direction.OUT,
                                     transferred_on__isnull=True, cancelled_on__isnull=True)


def _age_limits(*, la_id: int, team_ids: list[int] | None, periods: list[Period]) -> dict[int, tuple[int, ...]]:
    """Maintained plans reaching their age limit (CFA 2014 s.46) in each month, by team; plans already past it
    count in the first. Plans with a move out or a proposal to cease under way are counted there instead.
    One query, read from the children born early enough (few), not from every plan."""
    cutoffs = [latest_birth_date_reaching_limit_by(p.ends_on) for p in periods]
    aggregates = {}
    for i, cutoff in enumerate(cutoffs):
        q = Q(date_of_birth__lte=cutoff)
        if i:
            q &= Q(date_of_birth__gt=cutoffs[i - 1])
        aggregates[f"a{i}"] = Count("pk", filter=q)
    maintained = (Case.objects.filter(child_id=OuterRef("pk"), stage=Stage.PLAN_ISSUED)
                  .exclude(Exists(_open_cessation())).exclude(Exists(_open_transfer_out())))
    qs = Child.objects.filter(la_id=la_id, date_of_birth__lte=cutoffs[-1])
    if team_ids is not None:
        qs = qs.filter(team_id__in=team_ids)
    rows = (qs.filter(Exists(maintained)).order_by().values("team_id").annotate(**aggregates))
    return {r["team_id"]: tuple(r[f"a{i}"] for i in range(len(periods))) for r in rows}


def _ceasing(*, la_id: int, team_ids: list[int], periods: list[Period]) -> tuple[dict, dict]:
    """Open proposals to cease maintained plans (no move out under way), by team and expected month, and how
    many are under appeal (not forecast). One query; one row per proposal under way."""
    rows = (Cessation.objects.filter(la_id=la_id, plan__case__stage=Stage.PLAN_ISSUED,
                                     plan__case__child__team_id__in=team_ids, ceased_on__isnull=True)
            .exclude(decision=CeaseDecision.MAINTAIN).exclude(appeal_outcome=AppealOutcome.UPHELD)
            .exclude(Exists(_open_transfer_out("plan__case_id")))
            .order_by().values_list("plan__case__child__team_id", "plan__case__child_id", "reason", "proposed_on",
                                    "decision", "decision_on", "notice_sent_on", "appeal_registered_on",
                                    "appeal_concluded_on", "appeal_outcome"))
    after_appeal_period = keeps_plan_through_appeal_period()
    days, under_appeal, seen = defaultdict(list), Counter(), set()
    for team_id, child_id, reason, proposed_on, decision, decision_on, notice, registered, concluded, outcome in rows:
        if child_id in seen:
            continue
        seen.add(child_id)
        day = expected_cease_on(reason=reason, proposed_on=proposed_on, decision=decision, decision_on=decision_on,
                                notice_sent_on=notice, appeal_registered_on=registered,
                                appeal_concluded_on=concluded, appeal_outcome=outcome,
                                after_appeal_period=after_appeal_period)
        if day is None:
            under_appeal[team_id] += 1
        days[team_id].append(day)
    return {t: per_period(d, periods) for t, d in days.items()}, under_appeal


def _transfers_out(*, la_id: int, team_ids: list[int], periods: list[Period]) -> dict[int, tuple[int, ...]]:
    """Moves to another council recorded and not yet done, by team and the month of the move (the plan is sent
    on the day of the move and ceases here: SEND Regulations 2014 reg 15(2)); no date known counts now."""
    rows = (LaTransfer.objects.filter(la_id=la_id, direction=Direction.OUT, transferred_on__isnull=True,
                                      cancelled_on__isnull=True, plan__case__stage=Stage.PLAN_ISSUED,
                                      plan__case__child__team_id__in=team_ids)
            .order_by().values_list("plan__case__child__team_id", "plan__case__child_id", "move_on"))
    days, seen = defaultdict(list), set()
    for team_id, child_id, move_on in rows:
        if child_id not in seen:
            seen.add(child_id)
            days[team_id].append(move_on or periods[0].starts_after)
    return {t: per_period(d, periods) for t, d in days.items()}


def _year_group(*, la_id: int, rules: list[CohortRule], september_first: datetime.date) -> tuple[Counter, Counter]:
    """Children in the year groups at a rule's age boundary, routed before and after 1 September: one query
    over those year groups only."""
    ages = boundary_ages(rules)
    if not ages:
        return Counter(), Counter()
    cutoff_year = september_first.year
    born = Q()
    for age in ages:  # academic age `age` from 1 September: born 1 Sep (Y-age-1) to 31 Aug (Y-age)
        born |= Q(date_of_birth__gte=datetime.date(cutoff_year - age - 1, 9, 1),
                  date_of_birth__lte=datetime.date(cutoff_year - age, 8, 31))
    rows = (selectors.active_children(la_id=la_id).filter(born).order_by()
            .values_list("team_id", "date_of_birth", "looked_after", "setting__kind", "setting__urn", "postcode"))
    return year_group_moves((YearGroupChild(team_id, dob, looked_after, kind, urn or "", postcode or "")
                             for team_id, dob, looked_after, kind, urn, postcode in rows), rules, september_first)


def caseloads_for(*, user, today: datetime.date, team_id: int | None = None, with_forecast: bool = True) -> Caseloads:
    """Everything the caseloads page and its CSV show, for the teams the user manages (optionally one of them).

    A fixed number of queries: the teams, one grouped count of children, the seats (`selectors.seats`), the
    staff, and for the forecast one grouped count each of requests and age limits, the open proposals to cease
    and moves out, and (only when the forecast crosses 1 September) the year groups at a rule's age boundary.
    """
    teams = visible_teams(user)
    if team_id not in {t.pk for t in teams}:  # a team the user does not manage (or none): all of theirs
        team_id = None
    if team_id is not None:
        teams = [t for t in teams if t.pk == team_id]
    whole_council = user.role in COUNCIL_ROLES and team_id is None
    periods = forecast_periods(today)
    team_ids = [t.pk for t in teams]
    if not teams:
        return Caseloads(today=today, teams=[], whole_council=False, periods=periods)
    la_id = user.la_id
    mixes: dict[tuple, Mix] = defaultdict(Mix)
    for t_id, coordinator_id, stage, need, n in mix_rows(la_id=la_id, team_ids=None if whole_council else team_ids,
                                                          with_no_team=whole_council):
        mixes[(t_id, coordinator_id)].add(stage, need, n)
    counts = Counter({key: mix.held for key, mix in mixes.items()})
    all_seats = selectors.seats(la_id=la_id, today=today, team_ids=team_ids, counts=counts)
    holders = {c for (t, c) in counts if c is not None}
    users = _staff(la_id=la_id, team_ids=team_ids, holders=holders)
    seats_by_team = defaultdict(list)
    for seat in all_seats:
        seats_by_team[seat.team_id].append(seat)
    shown = []
    for team in teams:
        lines = _lines(team, seats_by_team[team.pk], mixes, users, today)
        if not team.is_active and not any(line.held for line in lines):
            continue
        mix = Mix()
        for line in lines:
            mix.merge(line.mix)
        seats_here = [line for line in lines if not line.is_problem]
        shown.append(TeamCaseload(team=team, lines=lines, mix=mix, target=sum(s.target for s in seats_here),
                                  maximum=sum(s.maximum for s in seats_here)))
    result = Caseloads(today=today, teams=shown, whole_council=whole_council, periods=periods,
                       no_team=Mix() if not whole_council else _merged(mixes, lambda key: key[0] is None))
    if with_forecast and shown:
        _add_forecasts(result, la_id=la_id, users=users, today=today)
    return result


def _merged(mixes: dict, keep) -> Mix:
    out = Mix()
    for key, mix in mixes.items():
        if keep(key):
            out.merge(mix)
    return out


def _add_forecasts(result: Caseloads, *, la_id: int, users: dict[int, User], today: datetime.date) -> None:
    periods = result.periods
    team_ids = [t.team.pk for t in result.teams]
    requests = _request_figures(la_id=la_id, team_ids=None if result.whole_council else team_ids, today=today,
                                periods=periods)
    age_limits = _age_limits(la_id=la_id, team_ids=None if result.whole_council else team_ids, periods=periods)
    ceasing, under_appeal = _ceasing(la_id=la_id, team_ids=team_ids, periods=periods)
    transfers = _transfers_out(la_id=la_id, team_ids=team_ids, periods=periods)
    september_first = next_september_first(periods)
    leaving, arriving = Counter(), Counter()
    if september_first is not None:
        leaving, arriving = _year_group(la_id=la_id, rules=selectors.team_rules(la_id=la_id),
                                        september_first=september_first)
        result.september_first = september_first
    year_index = period_index(september_first, periods) if september_first else None
    staff = [_staff_member(u) for u in users.values()
             if u.role == Role.COORDINATOR and u.is_active]
    zero = tuple(0 for _ in periods)
    for tc in result.teams:
        t = tc.team.pk
        r = requests.get(t, {})
        decided, ended = r.get("decided", 0), r.get("ended", 0)
        rate = ended / decided if decided else 0.0
        figures = TeamFigures(t, tc.team.caseload_target, tc.team.induction_caseload_percent)
        inputs = ForecastInputs(
            held=tc.held,
            targets=tuple(staff_target_on(staff, figures, p.ends_on) for p in periods),
            requests=tuple(float(r.get(f"p{i}", 0)) for i in range(len(periods))),
            refusal_rate=rate, recent_requests=r.get("recent", 0),
            age_limit=age_limits.get(t, zero), ceasing=ceasing.get(t, zero), transfers_out=transfers.get(t, zero),
            year_group_out=_one_month(leaving.get(t, 0), year_index, len(periods)),
            year_group_in=_one_month(arriving.get(t, 0), year_index, len(periods)))
        tc.forecast = forecast(inputs, periods)
        tc.facts = {"decided": decided, "ended": ended, "rate_percent": round(rate * 100),
                    "year_requests": r.get("year", 0), "monthly_average": round(r.get("year", 0) / 12, 1),
                    "recent_requests": r.get("recent", 0), "under_appeal": under_appeal.get(t, 0),
                    "rate_from": add_months(today, -(RATE_LAG_MONTHS + RATE_WINDOW_MONTHS)),
                    "rate_to": add_months(today, -RATE_LAG_MONTHS)}
    result.forecast = combine([tc.forecast for tc in result.teams])


def _one_month(n: int, index: int | None, months: int) -> tuple[int, ...]:
    return tuple(n if i == index else 0 for i in range(months))


# --- CSV ----------------------------------------------------------------------------------------------------

CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> object:
    """A spreadsheet must never run a cell as a formula (CSV injection): text that starts with = + - @ (or a tab
    or carriage return) gets a leading apostrophe. Numbers are left as numbers."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_START):
        return "'" + value
    return value


def csv_header() -> list[str]:
    return (["Team", "Coordinator", "Status", "Working hours (FTE)", "Target", "Maximum", "Children held",
             "% of target", "Over target", "Over maximum"]
            + [f"Stage: {label}" for _, label in STAGES]
            + [f"Primary need: {label}" for _, label in NEEDS])


def csv_rows(data: Caseloads) -> list[list]:
    """One row per coordinator per team (and one per problem line, so each team's rows add up to its total)."""
    rows = []
    for tc in data.teams:
        for line in tc.lines:
            rows.append([csv_safe(v) for v in [
                tc.team.name, line.name, line.status or "Working",
                "" if line.fte is None else f"{line.fte:.2f}",
                "" if line.target is None else line.target, "" if line.maximum is None else line.maximum,
                line.held, "" if line.percent_of_target is None else line.percent_of_target,
                "" if line.is_problem else ("Yes" if line.over_target else "No"),
                "" if line.is_problem else ("Yes" if line.over_maximum else "No"),
                *line.mix.stage_counts(), *line.mix.need_counts([v for v, _ in NEEDS])]])
    return rows
