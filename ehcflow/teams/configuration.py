"""Team configuration and staff details: council-wide decisions, checked whole before anything is saved.

A team's rule is only safe beside every other team's: narrowing one can leave children with no team, widening
one can make two teams claim the same child at the same priority. `team_save` therefore checks the whole
configuration as it would be after the change against the council's active children, and refuses it with the
children affected (a count and examples); nothing is saved. One exception keeps a broken configuration
repairable: when the configuration is already wrong, a change that leaves fewer children affected and fewer
overlapping rules, and makes nothing worse, is saved (its remaining problems are still shown), so a council can
fix it one team at a time.

Saving a configuration never moves a child: children whose team differs from the rules are proposed as moves
for a manager to approve (issue 4), never changed behind their coordinator's back.
"""

import dataclasses
import datetime
import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count

from ehcflow.accounts.models import Role, User
from ehcflow.cases.services import audited_by
from ehcflow.core.errors import NotAllowed, StepRefused
from ehcflow.teams.access import can_configure_teams, teams_managed_by
from ehcflow.teams.models import Team
from ehcflow.teams.routing import CohortRule, Problems, Seat, configuration_problems, rule_of
from ehcflow.teams.selectors import active_children, child_rows, seats
from ehcflow.tenancy.models import LocalAuthority

TEAM_FIELDS = ("name", "description", "email", "phone", "is_active", "priority", "looked_after", "off_roll",
               "min_age", "max_age", "postcode_districts", "school_urns", "caseload_target", "caseload_maximum",
               "induction_caseload_percent")
STAFF_FIELDS = ("fte", "induction_started_on", "induction_completed_on", "qualifications", "left_on",
                "absent_from", "absent_until")
DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")  # a UK postcode's outward code, e.g. HX1, LS10, W1A
URN = re.compile(r"^[0-9]{6,8}$")  # DfE unique reference numbers are six digits (eight kept for UKPRN-style)


def fingerprint(values) -> str:
    """A short digest of what a form was drawn from: a save from a stale form is refused, not silently merged."""
    return hashlib.sha256(repr(values).encode()).hexdigest()[:16]


def team_version(team: Team) -> str:
    return fingerprint([getattr(team, name) for name in TEAM_FIELDS])


def staff_version(user: User) -> str:
    return fingerprint([getattr(user, name) for name in STAFF_FIELDS] + sorted(user.teams.values_list("pk", flat=True)))


# --- Reads ---------------------------------------------------------------------------------------------------


def council_districts(rules: list[CohortRule]) -> set[str]:
    """The council's own areas, as its area teams name them: the gap check tries each, and one outside them."""
    return set().union(*(r.districts for r in rules)) if rules else set()


def configuration_check(*, la_id: int, today: datetime.date, rules: list[CohortRule] | None = None,
                        with_children: bool = True) -> Problems:
    """The problems of a configuration (the saved one by default); without children, only the rule checks."""
    if rules is None:
        rules = [rule_of(t) for t in Team.objects.filter(la_id=la_id, is_active=True)]
    children = ([(row.label, row.circumstances) for row in child_rows(la_id=la_id, today=today)]
                if with_children else [])
    return configuration_problems(rules, children, districts=council_districts(rules))


@dataclass(frozen=True)
class TeamRow:
    team: Team
    rule: str
    children: int
    coordinators: list
    fte: Decimal


def team_rows(*, user, teams=None) -> list[TeamRow]:
    """Each team the user may see with its rule in words, the children it holds and its coordinators.

    Three queries whatever the size of the council: the teams, the children per team, the coordinators.
    """
    teams = teams if teams is not None else teams_managed_by(user)
    teams = list(teams.prefetch_related("members").order_by("-is_active", "priority", "name"))
    held = Counter(dict(active_children(la_id=user.la_id).filter(team__in=[t.pk for t in teams])
                        .values_list("team_id").annotate(n=Count("pk")).order_by()))
    out = []
    for team in teams:
        coordinators = sorted((u for u in team.members.all() if u.role == Role.COORDINATOR and u.is_active),
                              key=lambda u: (u.last_name, u.first_name))
        out.append(TeamRow(team=team, rule=rule_of(team).describe(), children=held.get(team.pk, 0),
                           coordinators=coordinators, fte=sum((u.fte for u in coordinators), Decimal(0))))
    return out


@dataclass(frozen=True)
class StaffRow:
    user: User
    seat: Seat | None  # coordinators only: FTE-adjusted target and maximum, and the children held in this team
    in_induction: bool
    away: bool
    other_teams: list


def staff_rows(*, team: Team, today: datetime.date) -> list[StaffRow]:
    """The team's members; each coordinator's seat in this team (their hours split across their teams)."""
    counts = Counter({(team.pk, coordinator_id): n for coordinator_id, n in
                      active_children(la_id=team.la_id).filter(team=team).values_list("coordinator_id")
                      .annotate(n=Count("pk")).order_by()})
    team_seats = {s.coordinator_id: s for s in seats(la_id=team.la_id, today=today, team_ids=[team.pk],
                                                    counts=counts)}
    members = (team.members.filter(is_active=True, role__in=[Role.COORDINATOR, Role.TEAM_MANAGER])
               .prefetch_related("teams").order_by("role", "last_name", "first_name"))
    return [StaffRow(user=u, seat=team_seats.get(u.pk), in_induction=u.in_induction(today), away=u.away(today),
                     other_teams=[t for t in u.teams.all() if t.pk != team.pk])
            for u in members]


# --- Writes --------------------------------------------------------------------------------------------------


def _clean_codes(value: str, pattern: re.Pattern, upper: bool) -> tuple[str, list[str]]:
    codes = (value or "").replace(",", " ").split()
    codes = [c.upper() if upper else c for c in codes]
    bad = [c for c in codes if not pattern.match(c)]
    return " ".join(dict.fromkeys(codes)), bad


def _team_errors(team: Team) -> dict[str, str]:
    errors: dict[str, str] = {}
    team.postcode_districts, bad = _clean_codes(team.postcode_districts, DISTRICT, upper=True)
    if bad:
        what = "is not a postcode district" if len(bad) == 1 else "are not postcode districts"
        errors["postcode_districts"] = f"{', '.join(bad)} {what}: give the first part of a postcode, for example HX1"
    team.school_urns, bad = _clean_codes(team.school_urns, URN, upper=False)
    if bad:
        errors["school_urns"] = f"{', '.join(bad)}: a school's URN is 6 digits, for example 107562"
    if team.min_age is not None and team.max_age is not None and team.min_age > team.max_age:
        errors["max_age"] = "The oldest age must be the same as or more than the youngest age"
    if (team.caseload_target and team.caseload_maximum
            and team.caseload_maximum < team.caseload_target):
        errors["caseload_maximum"] = "The caseload maximum must be the same as or more than the target"
    if team.name and Team.objects.filter(la_id=team.la_id, name__iexact=team.name.strip()).exclude(pk=team.pk).exists():
        errors["name"] = f"There is already a team called {team.name.strip()}"
    try:
        team.full_clean()
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, " ".join(messages))
    return errors


def _burden(problems: Problems) -> tuple[int, int]:
    """How wrong a configuration is: children affected, and pairs of equal-priority rules that overlap."""
    return (problems.unrouted_count + sum(seen["count"] for seen in problems.tied.values()),
            len(problems.rule_ties))


@transaction.atomic
def team_save(*, actor, team: Team | None, data: dict, today: datetime.date, version: str | None = None) -> Team:
    """Create or change a team, refusing any configuration that leaves a child with no team or with two.

    Changes nobody's team: see the module docstring.
    """
    if not can_configure_teams(actor):
        raise NotAllowed("You cannot configure teams.")
    if team is not None and team.la_id != actor.la_id:
        raise NotAllowed("You cannot configure that team.")
    # One configuration change at a time per council: two saves checked side by side could each pass and,
    # together, leave a child with two teams.
    LocalAuthority.objects.select_for_update().get(pk=actor.la_id)
    if team is not None:
        team = Team.objects.select_for_update().get(pk=team.pk)
        if version is not None and team_version(team) != version:
            raise StepRefused("Someone else has changed this team since you opened this page. Nothing has been "
                              "saved. Check the team as it is now, then try again.")
    candidate = team if team is not None else Team(la_id=actor.la_id)
    unknown = set(data) - set(TEAM_FIELDS)
    if unknown:
        raise ValueError(f"Not team fields: {sorted(unknown)}")
    for name, value in data.items():
        setattr(candidate, name, value)
    errors = _team_errors(candidate)
    if errors:
        raise StepRefused(errors)
    others = [rule_of(t) for t in Team.objects.filter(la_id=actor.la_id, is_active=True).exclude(pk=candidate.pk)]
    after = others + ([_candidate_rule(candidate)] if candidate.is_active else [])
    problems = configuration_check(la_id=actor.la_id, today=today, rules=after)
    if not problems.ok:
        before = configuration_check(la_id=actor.la_id, today=today)
        if before.ok or not _repairs(before, problems):
            raise StepRefused(["Nothing has been saved: with this change the teams' rules would not give every "
                               "child exactly one team.", *problems.errors()])
    audited_by(candidate, actor).save()
    return candidate


def _candidate_rule(team: Team) -> CohortRule:
    rule = rule_of(team)
    return rule if team.pk else dataclasses.replace(rule, team_id=0)  # 0: not saved yet


def _repairs(before: Problems, after: Problems) -> bool:
    """A change to an already broken configuration that makes it strictly less wrong, and nothing worse."""
    b, a = _burden(before), _burden(after)
    return a[0] <= b[0] and a[1] <= b[1] and a != b


@transaction.atomic
def staff_update(*, actor, user: User, data: dict, today: datetime.date, version: str | None = None) -> User:
    """Change a coordinator's teams, hours, induction, qualifications, leaving date or long absence.

    Refuses dates out of order and hours outside 0.1–1.0 with nothing changed. Their children stay with them:
    a leaver's or absent coordinator's children are moved by rebalancing, which a manager approves.
    """
    if not can_configure_teams(actor):
        raise NotAllowed("You cannot change staff details.")
    if user.la_id != actor.la_id or user.role != Role.COORDINATOR:
        raise NotAllowed("You cannot change that person's details.")
    user = User.objects.select_for_update().get(pk=user.pk)
    if version is not None and staff_version(user) != version:
        raise StepRefused(f"Someone else has changed {user.get_full_name()}'s details since you opened this page. "
                          "Nothing has been saved. Check them as they are now, then try again.")
    teams = list(data.get("teams", []))
    errors: dict[str, str] = {}
    if any(t.la_id != actor.la_id for t in teams):
        errors["teams"] = "Choose teams of this council"
    fte = data.get("fte")
    if fte is None or not Decimal("0.1") <= Decimal(str(fte)) <= Decimal("1"):
        errors["fte"] = "Working hours must be between 0.1 and 1.0 of full time"
    started, completed = data.get("induction_started_on"), data.get("induction_completed_on")
    if completed and not started:
        errors["induction_started_on"] = "Enter the date the induction started"
    elif completed and started and completed < started:
        errors["induction_completed_on"] = ("The date the induction was completed must be on or after the date it "
                                            "started")
    absent_from, absent_until = data.get("absent_from"), data.get("absent_until")
    if absent_until and not absent_from:
        errors["absent_from"] = "Enter the date the absence started"
    elif absent_until and absent_from and absent_until < absent_from:
        errors["absent_until"] = "The date the absence ends must be on or after the date it started"
    if errors:
        raise StepRefused(errors)
    for name in STAFF_FIELDS:
        if name in data:
            setattr(user, name, data[name])
    user.qualifications = (user.qualifications or "").strip()
    try:
        user.clean_fields(exclude=[f.name for f in User._meta.fields if f.name not in STAFF_FIELDS])
    except ValidationError as exc:
        raise StepRefused({k: " ".join(v) for k, v in exc.message_dict.items()}) from None
    # Membership is a many-to-many the history table does not hold: name the teams in the history row's reason.
    user._change_reason = "Teams: " + (", ".join(sorted(t.name for t in teams)) or "none")
    audited_by(user, actor).save()
    user.teams.set(teams)
    return user
