"""A synthetic council for demonstrations, training and load tests: deterministic from a seed.

Everything is built in memory first (children, cases and every step of each case, as plain Python
records), then inserted table by table with `bulk_create`. A case's schedule is drawn whole (decision,
advice, outcome, draft, final plan) and cut at today, so a recent request is naturally still open at the
stage its age reaches. What follows the plan (annual reviews, amendments, phase transfers, ceasing,
re-assessments, moves between councils, mediation and appeals) is drawn the same way in
`ehcflow.demo.lifecycle`. The denormalised next deadline and the stored open deadlines (`CaseDeadline`) come
from the pure deadline engine run on `CaseFacts` built from the same in-memory records, so no per-case query
is needed and no refresh runs after the load.

Nothing here is real: the council, its schools and every person are invented.
"""

from __future__ import annotations

import datetime
import heapq
import itertools
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from ehcflow.accounts.models import Role, User
from ehcflow.appeals.models import Disagreement
from ehcflow.cases.models import (
    AdviceRequest,
    Case,
    Consultation,
    DeadlineException,
    PanelDecision,
    ParentComments,
    TimelineEvent,
)
from ehcflow.ceasing.models import Cessation
from ehcflow.ceasing.services import reason_refusal
from ehcflow.core.codes import RequestSource
from ehcflow.deadlines import engine
from ehcflow.deadlines.materialise import open_deadlines, rows_for
from ehcflow.deadlines.models import CaseDeadline
from ehcflow.deadlines.rules import RULES, tribunal_appeal_due
from ehcflow.demo import lifecycle as L
from ehcflow.demo import names as N
from ehcflow.moves.models import LaTransfer
from ehcflow.people.models import Carer, CarerLink, Child, Setting
from ehcflow.plans.models import Need, Outcome, Plan, Provision
from ehcflow.reassessment.models import Reassessment
from ehcflow.reviews.models import Amendment, AnnualReview
from ehcflow.teams.models import Team
from ehcflow.tenancy.models import LocalAuthority
from ehcflow.transfers.models import PhaseTransfer

LA_CODE = "919"
LA_NAME = "Hartshire County Council"
DEMO_PASSWORD = "demo-password-2025"
BATCH = 2000
FAST_BATCH = 5000

ACTIVE_PLANS = 14_000  # at scale 1.0
REQUESTS_PER_YEAR = 3_300
HISTORY_YEARS = 5
SEND_REFORMS = datetime.date(2014, 9, 1)  # no EHC plan can predate Part 3 of the CFA 2014

VIRTUAL_SCHOOL = "Virtual School"
ACCESS_INCLUSION = "Access and Inclusion"
EARLY_YEARS = "Early Years"
YOUNG_PEOPLE = "Services for Young People"
AREA_TEAMS = ["North area team", "South area team", "East area team", "West area team"]
TEAMS = [
    (VIRTUAL_SCHOOL, "Children looked after by the council", 75),
    (ACCESS_INCLUSION, "Children not on a school roll and in alternative provision", 120),
    (EARLY_YEARS, "Children under 5", 150),
    (YOUNG_PEOPLE, "Young people aged 16 to 25", 185),
] + [(name, f"School-age children living in the {name.split()[0].lower()} of the county", 185)
     for name in AREA_TEAMS]
TEAM_TARGET = {name: target for name, _, target in TEAMS}
# The delivery model as configuration (ehcflow.teams): each team's cohort rule. Priorities: a looked-after
# child is the Virtual School's whatever their age; a child of school age not on a school roll is Access and
# Inclusion's; then by age; area teams by postcode district (HX1-HX4 north, HX5-HX8 south, ...).
TEAM_RULES = {
    VIRTUAL_SCHOOL: dict(priority=1, looked_after=True),
    ACCESS_INCLUSION: dict(priority=2, off_roll=True, min_age=4, max_age=15),
    EARLY_YEARS: dict(priority=3, max_age=3),
    YOUNG_PEOPLE: dict(priority=4, min_age=16),
    **{name: dict(priority=5, min_age=4, max_age=15,
                  postcode_districts=" ".join(f"HX{d}" for d in range(4 * i + 1, 4 * i + 5)))
       for i, name in enumerate(AREA_TEAMS)},
}
# Hours of EHC coordinators (full-time equivalent) and their shares.
FTE_WEIGHTS = [(Decimal("1.00"), 75), (Decimal("0.80"), 15), (Decimal("0.60"), 10)]
QUALIFICATIONS = ["BTEC Level 4 in SEND casework", "BTEC Level 3 in SEND casework", "", "Qualified teacher status"]


def team_rules() -> list:
    """The demo model's rules as the pure router sees them (team ids are positions in TEAMS)."""
    from ehcflow.teams.routing import CohortRule

    out = []
    for i, (name, _, _) in enumerate(TEAMS):
        r = TEAM_RULES[name]
        out.append(CohortRule(team_id=i, name=name, priority=r["priority"], looked_after=r.get("looked_after"),
                              off_roll=r.get("off_roll"), min_age=r.get("min_age"), max_age=r.get("max_age"),
                              districts=frozenset(r.get("postcode_districts", "").split())))
    return out

SIGN_INS = [
    ("leader", Role.SERVICE_LEADER, "Service leader: every team, every case and the council's performance"),
    ("manager", Role.TEAM_MANAGER, "Team manager of the North area team: the team's caseloads and deadlines"),
    ("coordinator", Role.COORDINATOR, "EHC coordinator in the North area team: their own caseload"),
    ("admin", Role.ADMINISTRATOR, "Administrator: the whole council, plus /django-admin/"),
    ("dataofficer", Role.DATA_OFFICER, "Data officer: the SEN2 return, its validation and data quality"),
]

NEED_WEIGHTS = [("ASD", 31.5), ("SLCN", 21.3), ("SEMH", 20.7), ("MLD", 10.6), ("SLD", 3.9), ("PD", 3.9),
                ("SPLD", 2.4), ("HI", 1.4), ("PMLD", 1.3), ("OTH", 1.2), ("VI", 0.8), ("MSI", 0.3)]
ETHNICITY_WEIGHTS = [("WBRI", 70), ("WOTH", 5), ("WIRI", 0.3), ("WIRT", 0.3), ("WROM", 0.5), ("MWBC", 1.5),
                     ("MWBA", 0.8), ("MWAS", 1.5), ("MOTH", 2), ("AIND", 2), ("APKN", 3), ("ABAN", 1),
                     ("AOTH", 1.5), ("BCRB", 1), ("BAFR", 3), ("BOTH", 0.7), ("CHNE", 0.3), ("OOTH", 1.5),
                     ("REFU", 0.5), ("NOBT", 1)]
SOURCE_WEIGHTS = [("1", 45), ("2", 40), ("3", 7), ("4", 5), ("5", 3)]
# Age (years) at the request: peaks entering school and at secondary transfer.
REQUEST_AGE_WEIGHTS = [1, 2, 5, 9, 10, 9, 7, 7, 6, 6, 6, 6, 5, 5, 5, 4, 3, 2, 1.5, 1, 0.5, 0.3, 0.3, 0.2, 0.2]
OPEN_STAGES = ["received", "assessing", "drafting", "draft_served"]
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
UPN_CHECK = "ABCDEFGHJKLMNPQRTUVWXYZ"
ADVICE_LABELS = dict(AdviceRequest._meta.get_field("advice_type").choices)
SOURCE_LABELS = dict(RequestSource.choices)
KIND_LABELS = dict(Setting._meta.get_field("kind").choices)


def _fmt(d: datetime.date) -> str:
    return f"{d.day} {d:%B %Y}"


def _weekday(d: datetime.date) -> datetime.date:
    """Councils work Monday to Friday: a weekend date moves to the Monday."""
    wd = d.weekday()
    return d + datetime.timedelta(days=7 - wd) if wd >= 5 else d


def _weekday_back(d: datetime.date) -> datetime.date:
    """A weekend date moves back to the Friday."""
    wd = d.weekday()
    return d - datetime.timedelta(days=wd - 4) if wd >= 5 else d


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _pick(rng: random.Random, weighted: list[tuple[str, float]]) -> str:
    return rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


def _age(dob: datetime.date, on: datetime.date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def uln_with_check_digit(body: str) -> str:
    """A 10-digit ULN from 9 digits with the Learning Records Service check digit: the digits weighted 10..1
    sum to 10 modulo 11 (ehcflow.sen2.rules checks it). A body needing check digit 10 is nudged."""
    while True:
        check = (10 - sum(int(d) * w for d, w in zip(body, range(10, 1, -1)))) % 11
        if check < 10:
            return body + str(check)
        body = body[:-1] + str((int(body[-1]) + 1) % 10)


def upn_check_letter(body: str) -> str:
    """DfE check letter for the 12 characters after it (weights 2..13, modulo 23)."""
    total = 0
    for weight, ch in enumerate(body, start=2):
        value = int(ch) if ch.isdigit() else UPN_CHECK.index(ch)
        total += value * weight
    return UPN_CHECK[total % 23]


# --- In-memory records -----------------------------------------------------------------------------

@dataclass
class ChildRec:
    first_name: str
    last_name: str
    dob: datetime.date
    sex: str
    ethnicity: str
    postcode: str
    district: int
    looked_after: bool
    carer: int  # index into carers
    setting: int | None = None
    team: str = ""
    coordinator: int | None = None  # index into staff
    upn: str = ""
    uln: str = ""
    upn_unknown_reason: str = ""


@dataclass
class CarerRec:
    first_name: str
    last_name: str
    email: str
    phone: str
    address: str


@dataclass
class CaseRec:
    child: int
    received_on: datetime.date
    source: str
    fate: str
    stage: str = "received"
    decision: tuple | None = None  # (decided_on, outcome, reasons)
    advice: list = field(default_factory=list)  # [type, advisor, sent, received, returned]
    outcome: str = ""
    outcome_on: datetime.date | None = None
    outcome_reasons: str = ""
    plan: dict | None = None
    comments: list = field(default_factory=list)  # (received_on, text, requested_setting, meeting)
    consultations: list = field(default_factory=list)  # (setting, sent, responded, response)
    exceptions: list = field(default_factory=list)  # (key, reason, evidence, recorded_on)
    withdrawn_on: datetime.date | None = None
    withdrawal_reason: str = ""
    requester_name: str = ""
    request_summary: str = ""
    needs: list = field(default_factory=list)  # (area, type, rank, description)
    outcomes: list = field(default_factory=list)  # (area, text, by_when, pfa)
    provisions: list = field(default_factory=list)  # (area, support, provider, qual, ratio, freq, dur, needs, outs)
    sections: dict = field(default_factory=dict)
    sched: dict = field(default_factory=dict)
    primary: str | None = None
    next_deadline: engine.Deadline | None = None
    life: L.PlanLife = field(default_factory=L.PlanLife)  # after the plan (ehcflow.demo.lifecycle)
    ceasing: dict | None = None  # {"reason", "proposed_on", "ceased_on"}: a proposal to cease (ceased_on if done)
    moved_in: dict | None = None  # a plan received from another council: {"code", "name", "transferred_on", ...}
    actor: int | None = None  # who recorded the steps, when the child no longer has a coordinator
    open_deadlines: list = field(default_factory=list)  # the engine's open deadlines (placeholder refs)
    page_labels: dict = field(default_factory=dict)


# --- Generation --------------------------------------------------------------------------------------

class DemoGenerator:
    def __init__(self, *, scale: float, seed: int, today: datetime.date, log: Callable[[str], None]):
        self.scale = scale
        self.seed = seed
        self.today = today
        self.log = log
        self.rng = random.Random(f"{seed}:cases")
        self.children: list[ChildRec] = []
        self.carers: list[CarerRec] = []
        self.cases: list[CaseRec] = []
        self.settings_spec: list[dict] = []
        self.staff: list[dict] = []
        self.upn_serial = 0

    # Settings (national reference data, the same for every seed-independent load)
    def build_settings(self) -> None:
        rng = random.Random("settings")
        places = list(N.PLACES)
        rng.shuffle(places)
        specs: list[dict] = []
        urns = rng.sample(range(100000, 999999), 1300)
        ukprns = rng.sample(range(10000000, 10099999), 20)
        place_iter = itertools.cycle(places)  # a place recurs only with another kind of school

        def add(suffix: str, phase: str, kind: str, count: int, post16: bool = False) -> None:
            for _ in range(count):
                name = f"{next(place_iter)} {suffix}"
                spec = {"name": name, "phase": phase, "kind": kind, "urn": "", "ukprn": "",
                        "postcode": self._postcode(rng)[0]}
                if post16:
                    spec["ukprn"] = str(ukprns.pop())
                else:
                    spec["urn"] = str(urns.pop())
                specs.append(spec)

        add("Primary School", "primary", "mainstream", 560)
        add("C of E Primary School", "primary", "mainstream", 120)
        add("Infant and Nursery School", "primary", "mainstream", 60)
        add("Junior School", "primary", "mainstream", 50)
        add("Academy", "secondary", "mainstream", 70)
        add("High School", "secondary", "mainstream", 40)
        add("School", "all_through", "mainstream", 10)
        add("Primary School (specialist resource provision)", "primary", "resourced", 50)
        add("Academy (specialist resource provision)", "secondary", "resourced", 30)
        add("School (special)", "all_through", "special", 35)
        add("Academy (special)", "secondary", "special", 15)
        add("Primary Special School", "primary", "special", 10)
        add("House School (independent special)", "all_through", "independent", 30)
        add("Independent School", "all_through", "independent", 10)
        add("College", "post16", "fe_college", 10, post16=True)
        add("Day Nursery", "early_years", "early_years", 60)
        add("Pre-school", "early_years", "early_years", 40)
        add("Learning Centre (alternative provision)", "not_applicable", "ap", 10)
        self.settings_spec = specs
        self.by_kind: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, s in enumerate(specs):
            self.by_kind[(s["kind"], s["phase"])].append(i)
            self.by_kind[(s["kind"], "*")].append(i)

    def _setting_of(self, rng: random.Random, kind: str, phase: str = "*") -> int:
        return rng.choice(self.by_kind[(kind, phase)])

    @staticmethod
    def _postcode(rng: random.Random) -> tuple[str, int]:
        district = rng.randint(1, 16)
        inward = f"{rng.randint(1, 9)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
        return f"HX{district} {inward}", district

    # People
    def new_child(self, on: datetime.date, age: int) -> int:
        rng = self.rng
        sex = "M" if rng.random() < 0.70 else "F"
        first = rng.choice(N.BOY_NAMES if sex == "M" else N.GIRL_NAMES)
        dob = on - _days(int(age * 365.25) + rng.randint(0, 364))
        if self.children and rng.random() < 0.05:  # a sibling: shares the family's carer and address
            sib = self.children[rng.randrange(max(0, len(self.children) - 3000), len(self.children))]
            last, postcode, district, carer = sib.last_name, sib.postcode, sib.district, sib.carer
        else:
            last = rng.choice(N.SURNAMES)
            postcode, district = self._postcode(rng)
            carer = len(self.carers)
            c_first = rng.choice(N.ADULT_FIRST_NAMES)
            c_last = last if rng.random() < 0.8 else rng.choice(N.SURNAMES)
            self.carers.append(CarerRec(
                first_name=c_first, last_name=c_last,
                email=f"{c_first}.{c_last}{carer % 97}@example.com".lower(),
                phone=f"01632 960{rng.randint(0, 999):03d}",
                address=f"{rng.randint(1, 120)} {rng.choice(N.PLACES)} Road, Hartshire {postcode}",
            ))
        self.children.append(ChildRec(
            first_name=first, last_name=last, dob=dob, sex=sex, ethnicity=_pick(rng, ETHNICITY_WEIGHTS),
            postcode=postcode, district=district, looked_after=rng.random() < 0.02, carer=carer,
        ))
        return len(self.children) - 1

    def request_age(self, max_age: int = 24) -> int:
        weights = REQUEST_AGE_WEIGHTS[: max_age + 1]
        return self.rng.choices(range(len(weights)), weights)[0]

    # One case's whole schedule, as day offsets from the request
    def schedule(self, fate: str) -> dict:
        rng = self.rng
        on_time = rng.random() < 0.55
        if on_time:
            total = max(95, 140 - int(rng.expovariate(1 / 14)))
        else:
            total = min(280, 141 + int(rng.expovariate(1 / 40)))
        decision = rng.randint(20, 42) if rng.random() < 0.9 else rng.randint(43, 63)
        decision = min(decision, total - 70)
        served = total - rng.randint(15, 35)
        outcome = served - rng.randint(5, 25)
        if fate == "not_issue":
            outcome = decision + (rng.randint(45, 75) if rng.random() < 0.9 else rng.randint(76, 110))
        if outcome < decision + 30:
            outcome = decision + 30
            served = max(served, outcome + 5)
            total = max(total, served + 15)
        s = {"decision": decision, "outcome": outcome, "served": served, "final": total, "on_time": on_time}
        kinds = ["parent", "education", "ep", "health"]
        if rng.random() < 0.6:
            kinds.append("social_care")
        if rng.random() < 0.3:
            kinds.append("other")
        latest = outcome - rng.randint(1, 7)
        advice = []
        for kind in kinds:
            sent = decision + rng.randint(0, 5)
            got = sent + rng.choice((0, 0, 0, 1, 2))
            room = latest - got
            if rng.random() < 0.82:
                ret = got + min(rng.randint(18, 42), room)
            else:
                ret = got + min(rng.randint(43, 80), room)
            advice.append((kind, sent, got, max(ret, got + 1)))
        s["advice"] = advice
        s["comments"] = served + rng.randint(3, 14) if rng.random() < 0.75 else None
        if s["comments"] is not None and s["comments"] >= total:
            s["comments"] = total - 1
        cons_sent = max(outcome + 1, served - rng.randint(0, 10))
        s["consult"] = (cons_sent, min(total - 1, cons_sent + rng.randint(5, 20)), rng.random() < 0.12)
        if fate == "withdrawn":
            s["withdrawn"] = rng.randint(5, total - 16)
        if fate == "plan" and not on_time and rng.random() < 0.11:
            reason = rng.choice(list(N.EXCEPTION_EVIDENCE))
            s["exception"] = (reason, rng.randint(decision + 1, min(total - 1, 139)))
        return s

    def add_case(self, received_on: datetime.date, fate: str, age: int | None = None,
                 sched: dict | None = None) -> CaseRec:
        rng = self.rng
        age = self.request_age() if age is None else age
        child = self.new_child(received_on, age)
        case = CaseRec(child=child, received_on=received_on, source=_pick(rng, SOURCE_WEIGHTS), fate=fate)
        case.sched = sched or self.schedule(fate)
        self.cases.append(case)
        return case

    def build_cases(self) -> None:
        rng, today = self.rng, self.today
        start = today - _days(365 * HISTORY_YEARS)
        n_requests = round(REQUESTS_PER_YEAR * HISTORY_YEARS * self.scale)
        span = (today - start).days
        dates = sorted(_weekday(start + _days(rng.randrange(span))) for _ in range(n_requests))
        for received in dates:
            received = min(received, today)
            u = rng.random()
            fate = "not_assess" if u < 0.25 else "not_issue" if u < 0.31 else "withdrawn" if u < 0.35 else "plan"
            # Young people stay under 25 while their plan is in force.
            years_since = -(-(today - received).days // 365)
            self.add_case(received, fate, age=self.request_age(24 - years_since))
        # Older plans still in force: issued 5 to 15 years ago (never before the 2014 reforms).
        windowed = sum(1 for c in self.cases if c.fate == "plan"
                       and c.received_on + _days(c.sched["final"]) <= today)
        moved_in = round(ACTIVE_PLANS * self.scale * L.MOVED_IN_18_MONTHS)
        older = max(0, round(ACTIVE_PLANS * self.scale) - windowed - moved_in)
        earliest = max(today - _days(int(365.25 * 15)), SEND_REFORMS + _days(200))
        latest = start - _days(1)
        old_span = (latest - earliest).days
        for _ in range(older):
            # More recent plans are more likely still in force (and the number issued has risen).
            back = int(old_span * (1 - rng.random() ** 0.6))
            issued_target = latest - _days(back)
            sched = self.schedule("plan")
            received = _weekday(issued_target - _days(sched["final"]))
            years_since = (today - received).days // 365
            self.add_case(received, "plan", age=self.request_age(max(0, 23 - years_since)), sched=sched)
        # Make sure every open stage is present, even in a tiny council.
        present = Counter(self._stage_at(c) for c in self.cases)
        minimum = max(2, round(6 * self.scale))
        for stage in OPEN_STAGES:
            for _ in range(max(0, minimum - present[stage])):
                sched = self.schedule("plan")
                lo, hi = {"received": (0, sched["decision"] - 1), "assessing": (sched["decision"], sched["outcome"] - 1),
                          "drafting": (sched["outcome"], sched["served"] - 1),
                          "draft_served": (sched["served"], sched["final"] - 1)}[stage]
                self.add_case(today - _days(rng.randint(lo, max(lo, hi))), "plan", sched=sched)
        for _ in range(moved_in):
            self.add_moved_in()
        ceased = round(ACTIVE_PLANS * self.scale * L.CEASED_PER_YEAR)
        for _ in range(ceased):
            self.add_ceased()
        self.log(f"  planned {len(self.cases)} requests ({older} older plans, {moved_in} plans moved in, "
                 f"{ceased} plans ceased this year)")

    def add_moved_in(self) -> CaseRec:
        """A plan received from another council in the last 18 months (reg 15): the case starts at the plan."""
        rng, today = self.rng, self.today
        arrived = _weekday(today - _days(rng.randint(1, 548)))
        if arrived > today:
            arrived = today - _days(2)
        age = max(3, min(22, self.request_age(20) + rng.randint(0, 3)))
        years = rng.uniform(0.3, min(6.0, age - 2.5))
        issued = max(_weekday(arrived - _days(int(years * 365))), SEND_REFORMS + _days(200))
        case = self.add_case(issued, "moved_in", age=max(0, age - int(years)), sched={})
        child = self.children[case.child]
        child.dob = min(child.dob, issued - _days(700))
        since = issued
        if (arrived - issued).days > 330:  # reviewed there: the 12 months run from the last review
            since = max(issued + _days(150), _weekday(arrived - _days(rng.randint(20, 330))))
        code, name = rng.choice(L.OTHER_COUNCILS)
        case.source = "5"
        case.moved_in = {"code": code, "name": name, "transferred_on": arrived, "since": since,
                         "learnt_on": _weekday(arrived - _days(rng.randint(0, 30))) if rng.random() < 0.5 else None}
        return case

    def add_ceased(self) -> CaseRec:
        """A plan that ceased in the last 12 months, with a SEN2 reason that fits the young person's age
        (CFA s.45-46; Education Act 1996 s.8): a drawn reason picks the age."""
        rng, today = self.rng, self.today
        reason = _pick(rng, L.CEASE_REASONS)
        ceased = _weekday_back(today - _days(rng.randint(1, 364)))
        if reason == "1":  # the end of the academic year in which they turned 25 (CFA s.46)
            limit = datetime.date(today.year if (today.month, today.day) > (7, 31) else today.year - 1, 7, 31)
            dob = datetime.date(limit.year - 26, 8, 1) + _days(rng.randint(0, 364))
            ceased = _weekday(limit + _days(rng.randint(0, (today - limit).days - 1)))
            if ceased > today:
                ceased = limit
        else:
            lo, hi = {"2": (5, 16), "3": (18, 22), "4": (18, 23), "6": (18, 22), "5": (4, 20), "7": (5, 20),
                      "8": (4, 24), "9": (4, 22)}[reason]
            dob = ceased - _days(int(rng.randint(lo, hi) * 365.25) + rng.randint(0, 364))
        age_at_cease = ceased.year - dob.year
        years = rng.uniform(1.0, max(1.2, min(9.0, age_at_cease - 3.0)))
        sched = self.schedule("plan")
        issued = max(ceased - _days(int(years * 365)), SEND_REFORMS + _days(200), dob + _days(900))
        received = _weekday(issued - _days(sched["final"]))
        case = self.add_case(received, "plan", age=max(0, _age(dob, received)), sched=sched)
        self.children[case.child].dob = dob
        case.ceasing = {"reason": reason, "ceased_on": ceased}
        if reason == "5":  # sent to the new council: the plan ceases that day (reg 15; `record_move_out`)
            case.ceasing["proposed_on"] = ceased
        elif reason == "8":  # nobody to consult: ceased straight after the proposal
            case.ceasing["proposed_on"] = _weekday_back(ceased - _days(rng.randint(0, 10)))
        else:
            # Consulted, decided and notified; the plan is kept until the family's time to appeal the decision has
            # passed (reg 31; `ehcflow.ceasing.services.appeal_period_end`), so the steps are drawn back from then.
            notice = _weekday_back(ceased - _days(rng.randint(65, 110)))
            while tribunal_appeal_due(notice) >= ceased:
                notice = _weekday_back(notice - _days(3))
            decided = _weekday_back(notice - _days(rng.choice((0, 0, 1))))
            consulted = _weekday_back(decided - _days(rng.randint(7, 28)))
            case.ceasing.update(notice_on=notice, decided_on=decided, consulted_on=consulted,
                                proposed_on=_weekday_back(consulted - _days(rng.randint(5, 21))))
        if reason != "5" and (reason_refusal(reason, dob, case.ceasing["proposed_on"], details="-")
                              or reason_refusal(reason, dob, ceased, ceasing=True, details="-")):
            case.ceasing["reason"] = "9"  # the drawn reason does not fit after all: "other", with its details
        return case

    def _stage_at(self, case: CaseRec) -> str:
        s, r, today = case.sched, case.received_on, self.today
        if case.fate == "moved_in":
            return "plan_issued"
        if case.ceasing and case.ceasing.get("ceased_on"):
            return "ceased"

        def done(offset: int | None) -> bool:
            return offset is not None and r + _days(offset) <= today

        if case.fate == "withdrawn" and done(s["withdrawn"]):
            return "withdrawn"
        if not done(s["decision"]):
            return "received"
        if case.fate == "not_assess":
            return "not_assessed"
        if not done(s["outcome"]):
            return "assessing"
        if case.fate == "not_issue":
            return "not_issued"
        if not done(s["served"]):
            return "drafting"
        if not done(s["final"]):
            return "draft_served"
        return "plan_issued"

    # Settings, teams and staff for each child
    def place_children(self) -> None:
        from ehcflow.teams.routing import circumstances_of, route

        rng, today = self.rng, self.today
        rules = team_rules()
        for case in self.cases:
            case.stage = self._stage_at(case)
            child = self.children[case.child]
            if case.fate in ("plan", "moved_in") and case.stage in ("drafting", "draft_served", "plan_issued",
                                                                   "ceased"):
                case.primary = _pick(rng, NEED_WEIGHTS)
            else:
                case.primary = None
            age = _age(child.dob, today)
            child.setting = self._choose_setting(rng, age, case)
            kind = self.settings_spec[child.setting]["kind"] if child.setting is not None else ""
            # The team the council's rules give (ehcflow.teams.routing), exactly as the product routes.
            routed = route(circumstances_of(
                date_of_birth=child.dob, today=today, looked_after=child.looked_after, setting_kind=kind or None,
                setting_urn=self.settings_spec[child.setting]["urn"] if child.setting is not None else "",
                postcode=child.postcode), rules)
            child.team = TEAMS[routed.team_id][0]
            # Identifiers: UPN from school age, ULN for post-16, else the SEN2 reason.
            if age < 5 or (kind == "early_years"):
                child.upn_unknown_reason = "UN1" if age < 6 else "UN2"
            else:
                if kind == "independent" and rng.random() < 0.5:
                    child.upn_unknown_reason = "UN2"
                else:
                    self.upn_serial += 1
                    n = self.upn_serial
                    year = (child.dob.year + 5) % 100
                    body = f"919{2000 + n // 1000:04d}{year:02d}{n % 1000:03d}"
                    child.upn = upn_check_letter(body) + body
                if age >= 16:
                    child.uln = uln_with_check_digit(str(rng.randint(100_000_000, 999_999_999)))
                    if child.upn_unknown_reason and child.uln:
                        child.upn_unknown_reason = ""  # a ULN is a known identifier: no reason is given

    def _choose_setting(self, rng: random.Random, age: int, case: CaseRec) -> int | None:
        complex_need = case.primary in ("SLD", "PMLD", "MSI")
        with_plan = case.primary is not None and case.stage in ("plan_issued", "ceased")
        if age > 25:
            return None
        if age < 4:
            return self._setting_of(rng, "early_years") if rng.random() < 0.9 else None
        if age >= 20:
            return self._setting_of(rng, "fe_college") if rng.random() < 0.8 else None
        if age >= 16:
            options = [("fe_college", "*", 50), ("special", "*", 25), ("mainstream", "secondary", 15),
                       ("independent", "*", 5)]
        elif age >= 11:
            options = [("mainstream", "secondary", 45), ("special", "*", 33), ("resourced", "secondary", 8),
                       ("independent", "*", 8), ("ap", "*", 6)]
        else:
            options = [("mainstream", "primary", 55), ("special", "*", 25), ("resourced", "primary", 10),
                       ("independent", "*", 3), ("ap", "*", 2)]
        if not with_plan:  # requests mostly come from mainstream schools
            options = [(k, p, w * (4 if k == "mainstream" else 0.3)) for k, p, w in options]
        if complex_need:
            options = [(k, p, w * (6 if k == "special" else 1)) for k, p, w in options]
        kind, phase, _ = rng.choices(options, [w for *_, w in options])[0]
        return self._setting_of(rng, kind, phase)

    def build_staff(self) -> None:
        rng = random.Random(f"{self.seed}:staff")
        load = Counter()
        for case in self.cases:
            if case.stage not in ("not_assessed", "not_issued", "withdrawn"):
                load[self.children[case.child].team] += 1
        used: set[str] = set()
        demo_names = {s[0] for s in SIGN_INS}

        def person(role: str, team: str | None, username: str | None = None, title: str = "") -> int:
            first, last = rng.choice(N.ADULT_FIRST_NAMES), rng.choice(N.SURNAMES)
            if username is None:
                base = f"{first[0]}.{last}".lower()
                username, n = base, 1
                while username in used:
                    n += 1
                    username = f"{base}{n}"
            used.add(username)
            years_in_post = rng.randint(1, 9)
            started = self.today - datetime.timedelta(days=365 * years_in_post + rng.randint(0, 300))
            self.staff.append({"username": username, "first_name": first, "last_name": last, "role": role,
                               "team": team, "job_title": title, "demo": username in demo_names,
                               "fte": Decimal("1.00"), "induction_started_on": started,
                               "induction_completed_on": started + datetime.timedelta(weeks=6),
                               "qualifications": rng.choice(QUALIFICATIONS) if role == Role.COORDINATOR else "",
                               "left_on": None, "absent_from": None, "is_active": True})
            return len(self.staff) - 1

        used.update(s[0] for s in SIGN_INS)
        person(Role.SERVICE_LEADER, None, "leader", "Head of SEND Statutory Services")
        person(Role.SERVICE_LEADER, None, None, "Assistant Director, SEND")
        person(Role.ADMINISTRATOR, None, "admin", "SEND systems administrator")
        person(Role.DATA_OFFICER, None, "dataofficer", "SEND performance and data officer")
        self.team_coordinators: dict[str, list[int]] = {}
        fte_values, fte_weights = zip(*FTE_WEIGHTS)
        for t, (name, _, target) in enumerate(TEAMS):
            person(Role.TEAM_MANAGER, name, "manager" if name == AREA_TEAMS[0] else None, f"Team manager, {name}")
            # Enough hours to hold the team's children at about 92% of target (ehcflow.teams capacity).
            coords, hours = [], Decimal(0)
            while not coords or hours * target * Decimal("0.92") < load[name]:
                demo = name == AREA_TEAMS[0] and not coords
                i = person(Role.COORDINATOR, name, "coordinator" if demo else None, "EHC coordinator")
                if not demo:
                    self.staff[i]["fte"] = rng.choices(fte_values, fte_weights)[0]
                hours += self.staff[i]["fte"]
                coords.append(i)
            self.team_coordinators[name] = coords
            # Staff who hold no cases: a new starter in induction in every other team, a leaver and a long
            # absence (their children were moved on before today), so the staff pages show the whole model.
            if t % 2 == 0:
                i = person(Role.COORDINATOR, name, None, "EHC coordinator (new starter)")
                self.staff[i].update(induction_started_on=self.today - datetime.timedelta(days=17 + t),
                                     induction_completed_on=None, qualifications="")
            if name == AREA_TEAMS[1]:
                i = person(Role.COORDINATOR, name, None, "EHC coordinator")
                self.staff[i].update(left_on=self.today - datetime.timedelta(days=45), is_active=False)
            if name == AREA_TEAMS[2]:
                i = person(Role.COORDINATOR, name, None, "EHC coordinator")
                self.staff[i].update(absent_from=self.today - datetime.timedelta(days=60))
        # Balanced caseloads: deal each team's children out stage by stage, so every coordinator
        # (the demo coordinator first) holds a mix of stages.
        order = {s: i for i, s in enumerate(OPEN_STAGES + ["plan_issued"])}
        groups: dict[tuple[str, str], list[CaseRec]] = defaultdict(list)
        for case in self.cases:
            if case.stage in order:
                groups[(self.children[case.child].team, case.stage)].append(case)
        # Each child goes to whoever is proportionally furthest below their hours (as ehcflow.teams allocates);
        # a child already dealt (a sibling's or an earlier case's) keeps their coordinator.
        queues = {team: [(0.0, j, i) for j, i in enumerate(coords)] for team, coords in self.team_coordinators.items()}
        held = Counter()
        for (team, stage), cases in sorted(groups.items(), key=lambda kv: (kv[0][0], order[kv[0][1]])):
            coords = self.team_coordinators[team]
            # The demo coordinator is dealt two extra open cases at each stage, so their caseload shows
            # every stage.
            extra = 2 if stage in OPEN_STAGES and team == AREA_TEAMS[0] and len(coords) > 1 else 0
            for i, case in enumerate(sorted(cases, key=lambda c: (c.received_on, c.child))):
                child = self.children[case.child]
                if child.coordinator is not None:
                    continue
                if i < extra:
                    child.coordinator = coords[0]
                else:
                    _, j, idx = heapq.heappop(queues[team])
                    child.coordinator = idx
                held[child.coordinator] += 1
                queue = queues[team]
                if i >= extra:
                    heapq.heappush(queue, (held[idx] / float(self.staff[idx]["fte"]), j, idx))

    # Every step of every case, cut at today
    def build_steps(self) -> None:
        rng, today = self.rng, self.today
        for case in self.cases:
            s, r, child = case.sched, case.received_on, self.children[case.child]
            carer = self.carers[child.carer]
            limit = today
            if case.fate == "withdrawn" and r + _days(s["withdrawn"]) <= today:
                case.withdrawn_on = _weekday(r + _days(s["withdrawn"]))
                case.withdrawn_on = min(case.withdrawn_on, today)
                case.withdrawal_reason = rng.choice(N.WITHDRAWAL_REASONS)
                limit = case.withdrawn_on - _days(1)

            def at(offset: int | None) -> datetime.date | None:
                if offset is None:
                    return None
                d = r + _days(offset)
                return d if d <= limit else None

            setting_name = self.settings_spec[child.setting]["name"] if child.setting is not None else "the setting"
            if case.moved_in:  # the minimal record `move_in_record` makes, with the plan's content keyed in
                case.requester_name = f"Transferred from {case.moved_in['name']}"
                case.request_summary = "EHC plan transferred from another council (SEND Regulations 2014 reg 15)."
                self._plan_content(case, child)
                case.plan = {"status": "final", "draft_served_on": None, "issued_on": case.received_on,
                             "last_review": None, "named": child.setting}
                continue
            case.requester_name = {
                "1": f"{carer.first_name} {carer.last_name}", "2": f"SENCo, {setting_name}",
                "3": "Community paediatrician", "4": "Allocated social worker", "5": "Family support worker",
            }[case.source]
            case.request_summary = (f"Request for an EHC needs assessment for {child.first_name}: progress remains "
                                    "limited despite SEN support, and the family and school are concerned.")
            decided = at(s["decision"])
            if decided is None:
                continue
            assess = case.fate != "not_assess"
            case.decision = (decided, "assess" if assess else "not_assess",
                             rng.choice(N.PANEL_REASONS_ASSESS if assess else N.PANEL_REASONS_REFUSE))
            if not assess:
                continue
            if "exception" in s:
                reason, rec = s["exception"]
                rec_on = at(rec)
                if rec_on is not None:
                    case.exceptions.append(("final_plan", reason, N.EXCEPTION_EVIDENCE[reason], rec_on))
            for kind, sent, got, ret in s["advice"]:
                sent_on = at(sent)
                if sent_on is None:
                    continue
                advisor = {
                    "parent": f"{carer.first_name} {carer.last_name} (parent)",
                    "education": setting_name if child.setting is not None else "Hartshire Early Years SEND team",
                    "ep": "Hartshire Educational Psychology Service",
                    "health": "Hartshire Community Health Services",
                    "social_care": "Hartshire Children's Services",
                    "other": "Hartshire Specialist Advisory Teaching Service",
                }[kind]
                got_on = r + _days(got)
                case.advice.append([kind, advisor, sent_on, got_on if got_on <= limit else sent_on, at(ret)])
            out_on = at(s["outcome"])
            if out_on is None:
                continue
            if case.fate == "not_issue":
                case.outcome, case.outcome_on = "not_issue", out_on
                case.outcome_reasons = N.NOT_ISSUE_REASONS[0]
                continue
            case.outcome, case.outcome_on = "issue", out_on
            case.outcome_reasons = "The assessment shows special educational provision must be made through a plan."
            self._plan_content(case, child)
            served = at(s["served"])
            final = at(s["final"])
            cons_sent, cons_resp, declined_first = s["consult"]
            named = child.setting
            if named is not None and at(cons_sent) is not None:
                if declined_first:
                    other = self._setting_of(rng, self.settings_spec[named]["kind"])
                    if other != named and cons_sent - 3 > s["outcome"] and at(cons_sent - 3) is not None:
                        resp = at(cons_sent + 4)
                        case.consultations.append((other, r + _days(cons_sent - 3), resp,
                                                   "declined" if resp else ""))
                resp = at(cons_resp)
                case.consultations.append((named, r + _days(cons_sent), resp, "agreed" if resp else ""))
            case.plan = {"status": "preparing", "draft_served_on": None, "issued_on": None,
                         "last_review": None, "named": None}
            if served is None:
                continue
            case.plan.update(status="draft", draft_served_on=served)
            comments_on = at(s["comments"])
            if comments_on is not None:
                template = rng.choice(N.COMMENTS)
                asks = named if "{setting}" in template or rng.random() < 0.2 else None
                case.comments.append((comments_on, template.format(setting=setting_name), asks, rng.random() < 0.15))
            if final is None:
                continue
            case.plan.update(status="final", issued_on=final, named=named)
        # The exception records may come before the decision when a schedule was squeezed; drop those.
        for case in self.cases:
            if case.decision is None:
                case.exceptions = []
            else:
                case.exceptions = [e for e in case.exceptions if e[3] > case.decision[0]]

    def _plan_content(self, case: CaseRec, child: ChildRec) -> None:
        rng = self.rng
        name = child.first_name
        primary = case.primary or _pick(rng, NEED_WEIGHTS)
        needs = [(N.AREA_FOR_NEED[primary], primary, 1)]
        if rng.random() < 0.5:
            second = _pick(rng, NEED_WEIGHTS)
            if second != primary:
                needs.append((N.AREA_FOR_NEED[second], second, 2))
        if rng.random() < 0.15:
            third = _pick(rng, NEED_WEIGHTS)
            if third not in {n[1] for n in needs}:
                needs.append((N.AREA_FOR_NEED[third], third, 3))
        fill = {"name": name, "They": "They", "they": "they", "their": "their", "Their": "Their"}
        case.needs = [(area, t, rank, N.NEED_TEXT[t].format(**fill)) for area, t, rank in needs]
        areas = list(dict.fromkeys(n[0] for n in needs))
        age = _age(child.dob, case.received_on)
        for area in areas[:3]:
            case.outcomes.append((area, rng.choice(N.OUTCOMES[area]).format(name=name),
                                  rng.choice(["By the next annual review", "By July", "Within 12 months",
                                              "By the end of the key stage"]), False))
        if age >= 13 and len(case.outcomes) < 3:
            case.outcomes.append((areas[0], rng.choice(N.PREPARING_FOR_ADULTHOOD).format(name=name),
                                  "By the age of 18", True))
        n_prov = rng.randint(2, 4)
        for i in range(n_prov):
            need_i = i % len(needs)
            area = needs[need_i][0]
            item = N.PROVISION[area][(i // len(needs)) % 3]
            outs = [j for j, o in enumerate(case.outcomes) if o[0] == area] or [0]
            case.provisions.append((area, *item, [need_i], outs))
        case.sections = {
            "section_a_history": f"{name} lives with their family in Hartshire. Concerns about {name}'s development "
                                 f"were first raised at age {max(1, age - rng.randint(0, 2))}.",
            "section_a_views": f"{name} enjoys {rng.choice(['music', 'football', 'drawing', 'animals', 'swimming', 'Lego', 'cooking'])} "
                               f"and wants to {rng.choice(['make friends', 'be a vet', 'work with computers', 'live independently', 'go to college'])}.",
            "section_c": rng.choice(["No health needs related to SEN.",
                                     f"{name} is under the community paediatrician for sleep and feeding.",
                                     f"{name} takes medication for epilepsy, administered by trained staff."]),
            "section_d": (f"{name} is looked after by {LA_NAME}; see the care plan." if child.looked_after
                          else rng.choice(["No social care needs.", "Short breaks assessed as needed."])),
            "section_g": rng.choice(["Speech and language therapy as in section F.", "Annual paediatric review.",
                                     "None."]),
            "section_h1": rng.choice(["None.", "Two short breaks a month at a local provider."]),
            "section_h2": "None.",
            "section_j": rng.choice(["No personal budget requested.",
                                     "A personal budget of £1,200 a year for short breaks (direct payment)."]),
            "section_k": "Advice and information listed in the appendices: parent, school, EP, health and social care.",
        }

    def compute_deadlines(self) -> None:
        """The next deadline of each case and its open deadlines, as `refresh_all` would store them."""
        life = self.lifecycle
        for i, case in enumerate(self.cases):
            facts = life.facts(i, case)
            deadlines = engine.case_deadlines(facts, self.today)
            case.next_deadline = engine.next_deadline(deadlines)
            case.open_deadlines = open_deadlines(facts, deadlines)
            case.page_labels = L.labelled(case.open_deadlines, life.page_labels(facts))

    def assign_actors(self) -> None:
        """A ceased plan's child has no coordinator now: its steps were recorded by one of the team's."""
        for i, case in enumerate(self.cases):
            child = self.children[case.child]
            if child.coordinator is None and child.team in self.team_coordinators:
                coords = self.team_coordinators[child.team]
                case.actor = coords[i % len(coords)]

    def generate(self) -> None:
        self.build_settings()
        self.build_cases()
        self.place_children()
        self.build_staff()
        self.assign_actors()
        self.build_steps()
        self.lifecycle = L.Lifecycle(self, window_start=self.today - _days(365 * HISTORY_YEARS))
        self.lifecycle.build()
        self.compute_deadlines()
        self.log_proportions()

    def log_proportions(self) -> None:
        """What was generated after the plan, for the person loading the demo."""
        active = [c for c in self.cases if c.stage == "plan_issued"]
        overdue = sum(1 for c in active for d in c.open_deadlines if d.key in REVIEW_CHAIN and d.due < self.today)
        counts = Counter()
        for c in self.cases:
            life = c.life
            counts["reviews"] += len(life.reviews)
            counts["open reviews"] += sum(1 for r in life.reviews if not r.decision)
            counts["amendments open"] += sum(1 for a in life.amendments if not a.outcome)
            counts["phase transfers open"] += sum(1 for t in life.phase_transfers if t.status == "open")
            counts["ceasing proposed, plan in force"] += sum(1 for x in life.cessations if x.ceased_on is None)
            counts["re-assessments"] += len(life.reassessments)
            counts["disagreements"] += len(life.disagreements)
            counts["appeals registered (last 12 months)"] += sum(
                1 for d in life.disagreements if d.appeal_registered_on
                and d.appeal_registered_on > self.today - _days(365))
        counts["plans ceased"] = sum(1 for c in self.cases if c.stage == "ceased")
        self.log(f"  {len(active)} plans in force, {overdue} ({overdue / max(1, len(active)):.1%}) with the annual "
                 "review overdue; " + ", ".join(f"{k} {v}" for k, v in counts.items()))


REVIEW_CHAIN = frozenset({"first_review_decision", "review_decision_next", "transfer_review"})


# --- Writing -----------------------------------------------------------------------------------------

_PASSWORD_HASH: dict[str, str] = {}


def _demo_password_hash() -> str:
    """Hashed once per hasher (hashing is slow by design); keyed by the hasher so a cached hash always checks."""
    from django.conf import settings

    key = f"{settings.PASSWORD_HASHERS[0]}:{DEMO_PASSWORD}"
    if key not in _PASSWORD_HASH:
        _PASSWORD_HASH[key] = make_password(DEMO_PASSWORD)
    return _PASSWORD_HASH[key]


class Writer:
    def __init__(self, gen: DemoGenerator, log: Callable[[str], None]):
        self.g = gen
        self.log = log

    def insert(self, model, rows, label: str, total: int | None = None) -> list:
        """bulk_create in batches, returning the saved objects (with their primary keys)."""
        saved: list = []
        batch: list = []
        shown = 0
        started = time.monotonic()
        for obj in rows:
            batch.append(obj)
            if len(batch) >= BATCH:
                saved.extend(model.objects.bulk_create(batch, batch_size=BATCH))
                batch = []
                if total and len(saved) - shown >= max(BATCH, total // 4):
                    shown = len(saved)
                    self.log(f"  {label} {len(saved)}/{total}")
        if batch:
            saved.extend(model.objects.bulk_create(batch, batch_size=BATCH))
        self.log(f"  {label} {len(saved)}" + (f"/{total}" if total else "") + self._took(started))
        return saved

    def insert_rows(self, model, rows, label: str, total: int | None = None) -> int:
        """Rows whose ids are never needed (timeline events, link tables, open deadlines), as model instances or
        as dicts of field values: COPY on PostgreSQL, one INSERT sent with executemany on SQLite.

        `bulk_create` compiles a statement for every 999 parameters on SQLite (about 100 rows) and prepares every
        value afresh, which was most of the load's time on the largest tables. Values are still prepared by the
        model's own fields as `bulk_create` prepares them (the default, `pre_save`, then `get_db_prep_save`), but
        each distinct short value once per field."""
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        now = timezone.now()
        defaults = {f.attname: now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                    else f.get_default() for f in fields}
        caches: list[dict] = [{} for _ in fields]

        def prepared(obj) -> list:
            if isinstance(obj, dict):
                values = [obj.get(f.attname, defaults[f.attname]) for f in fields]
            else:
                values = [f.pre_save(obj, True) for f in fields]
            out = []
            for f, cache, value in zip(fields, caches, values, strict=True):
                if isinstance(value, str) and len(value) > 60:
                    out.append(f.get_db_prep_save(value, connection))
                    continue
                try:
                    out.append(cache[value])
                except KeyError:
                    cache[value] = prep = f.get_db_prep_save(value, connection)
                    out.append(prep)
            return out

        qn = connection.ops.quote_name
        columns = ", ".join(qn(f.column) for f in fields)
        table = qn(model._meta.db_table)
        started, done = time.monotonic(), 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for obj in rows:
                        copy.write_row(prepared(obj))
                        done += 1
            else:
                sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
                batch = []
                for obj in rows:
                    batch.append(prepared(obj))
                    if len(batch) >= FAST_BATCH:
                        cursor.executemany(sql, batch)
                        done, batch = done + len(batch), []
                if batch:
                    cursor.executemany(sql, batch)
                    done += len(batch)
        self.log(f"  {label} {done}" + (f"/{total}" if total else "") + self._took(started))
        return done

    @staticmethod
    def _took(started: float) -> str:
        took = time.monotonic() - started
        return f" ({took:.1f} s)" if took >= 1 else ""

    def write(self) -> LocalAuthority:
        g = self.g
        # The SEN2 header's designated officers (DfE's 2025 figures: most councils have a DMO and a DCO; many
        # are still recruiting a designated social care officer).
        la = LocalAuthority.objects.create(code=LA_CODE, name=LA_NAME, dmo="Y", dco="Y", dsco="R")
        teams = {t.name: t for t in Team.objects.bulk_create(
            [Team(la=la, name=name, description=desc, caseload_target=target,
                  caseload_maximum=round(target * 1.15), induction_caseload_percent=0,
                  email=f"send.{name.split()[0].lower()}@hartshire.example.gov.uk",
                  phone=f"01632 961{i:03d}", **TEAM_RULES[name])
             for i, (name, desc, target) in enumerate(TEAMS)])}

        # Settings are national: reuse the demo's from an earlier load.
        existing = {(s.name, s.urn, s.ukprn): s for s in Setting.objects.filter(la_code=LA_CODE)}
        setting_objs, missing = [], []
        for spec in g.settings_spec:
            obj = existing.get((spec["name"], spec["urn"], spec["ukprn"]))
            if obj is None:
                obj = Setting(la_code=LA_CODE, **spec)
                missing.append(obj)
            setting_objs.append(obj)
        self.insert(Setting, missing, "settings")
        setting_ids = [s.pk for s in setting_objs]

        unusable = make_password(None)
        demo_hash = _demo_password_hash()
        users = []
        for s in g.staff:
            users.append(User(
                username=s["username"], first_name=s["first_name"], last_name=s["last_name"], role=s["role"],
                la=la, job_title=s["job_title"], email=f"{s['username']}@example.com",
                password=demo_hash if s["demo"] else unusable,
                is_staff=s["username"] == "admin", is_superuser=s["username"] == "admin",
                phone=f"01632 960{len(users):03d}", fte=s["fte"], induction_started_on=s["induction_started_on"],
                induction_completed_on=s["induction_completed_on"], qualifications=s["qualifications"],
                left_on=s["left_on"], absent_from=s["absent_from"], is_active=s["is_active"],
            ))
        users = self.insert(User, users, "staff")
        user_ids = [u.pk for u in users]
        User.teams.through.objects.bulk_create(
            [User.teams.through(user_id=user_ids[i], team_id=teams[s["team"]].pk)
             for i, s in enumerate(g.staff) if s["team"]], batch_size=BATCH)

        children = self.insert(Child, (Child(
            la_id=la.pk, first_name=c.first_name, last_name=c.last_name, date_of_birth=c.dob, sex=c.sex,
            ethnicity=c.ethnicity, postcode=c.postcode, upn=c.upn, uln=c.uln, upn_unknown_reason=c.upn_unknown_reason,
            looked_after=c.looked_after, setting_id=setting_ids[c.setting] if c.setting is not None else None,
            team_id=teams[c.team].pk, coordinator_id=user_ids[c.coordinator] if c.coordinator is not None else None,
        ) for c in g.children), "children", len(g.children))
        child_ids = [c.pk for c in children]
        del children
        carers = self.insert(Carer, (Carer(
            la_id=la.pk, first_name=c.first_name, last_name=c.last_name, email=c.email, phone=c.phone,
            address=c.address) for c in g.carers), "carers", len(g.carers))
        carer_ids = [c.pk for c in carers]
        del carers
        self.insert_rows(CarerLink, (CarerLink(
            la_id=la.pk, child_id=child_ids[i], carer_id=carer_ids[c.carer], relationship="Parent",
            main_contact=True) for i, c in enumerate(g.children)), "carer links", len(g.children))

        def coordinator_of(case: CaseRec) -> int | None:
            idx = g.children[case.child].coordinator
            idx = idx if idx is not None else case.actor
            return user_ids[idx] if idx is not None else None

        cases = self.insert(Case, (Case(
            la_id=la.pk, child_id=child_ids[c.child], stage=c.stage, received_on=c.received_on, source=c.source,
            requester_name=c.requester_name, request_summary=c.request_summary, outcome=c.outcome,
            outcome_on=c.outcome_on, outcome_reasons=c.outcome_reasons, withdrawn_on=c.withdrawn_on,
            withdrawal_reason=c.withdrawal_reason,
            next_deadline_key=c.next_deadline.key if c.next_deadline else "",
            next_deadline_label=c.next_deadline.label if c.next_deadline else "",
            next_deadline_due=c.next_deadline.due if c.next_deadline else None,
        ) for c in g.cases), "cases", len(g.cases))
        case_ids = [c.pk for c in cases]
        del cases

        panels = ["Hartshire SEND panel (north and east)", "Hartshire SEND panel (south and west)"]
        self.insert_rows(PanelDecision, (PanelDecision(
            la_id=la.pk, case_id=case_ids[i], decided_on=c.decision[0], outcome=c.decision[1],
            panel=panels[i % 2], reasons=c.decision[2]) for i, c in enumerate(g.cases) if c.decision),
            "panel decisions")

        advice_rows = [(i, j, a) for i, c in enumerate(g.cases) for j, a in enumerate(c.advice)]
        advice = self.insert(AdviceRequest, (AdviceRequest(
            la_id=la.pk, case_id=case_ids[i], advice_type=a[0], advisor=a[1],
            question=f"Please give your advice on the child's needs and the provision required ({ADVICE_LABELS[a[0]].lower()}).",
            sent_on=a[2], received_on=a[3], returned_on=a[4]) for i, _, a in advice_rows), "advice requests",
            len(advice_rows))
        refs = g.lifecycle.refs
        for (i, j, _), obj in zip(advice_rows, advice, strict=True):
            refs.assign(("advice", i, j), obj.pk)
        del advice

        plan_cases = [i for i, c in enumerate(g.cases) if c.plan is not None]
        plans = self.insert(Plan, (Plan(
            la_id=la.pk, case_id=case_ids[i], status=g.cases[i].plan["status"],
            draft_served_on=g.cases[i].plan["draft_served_on"], issued_on=g.cases[i].plan["issued_on"],
            last_review_decision_on=g.cases[i].life.last_review,
            named_setting_id=(setting_ids[self._named(g.cases[i])] if g.cases[i].plan["status"] == "final"
                              and self._named(g.cases[i]) is not None else None),
            setting_type=self._setting_type(g.cases[i]),
            **g.cases[i].sections,
        ) for i in plan_cases), "plans", len(plan_cases))
        plan_ids = {i: p.pk for i, p in zip(plan_cases, plans, strict=True)}
        del plans

        need_rows = [(i, n) for i in plan_cases for n in g.cases[i].needs]
        needs = self.insert(Need, (Need(la_id=la.pk, plan_id=plan_ids[i], area=n[0], need_type=n[1], rank=n[2],
                                        description=n[3]) for i, n in need_rows), "needs", len(need_rows))
        need_ids = defaultdict(list)
        for (i, _), obj in zip(need_rows, needs, strict=True):
            need_ids[i].append(obj.pk)
        del needs
        out_rows = [(i, o) for i in plan_cases for o in g.cases[i].outcomes]
        outs = self.insert(Outcome, (Outcome(la_id=la.pk, plan_id=plan_ids[i], area=o[0], text=o[1], by_when=o[2],
                                             preparing_for_adulthood=o[3]) for i, o in out_rows), "outcomes",
                           len(out_rows))
        out_ids = defaultdict(list)
        for (i, _), obj in zip(out_rows, outs, strict=True):
            out_ids[i].append(obj.pk)
        del outs
        prov_rows = [(i, p) for i in plan_cases for p in g.cases[i].provisions]
        provs = self.insert(Provision, (Provision(
            la_id=la.pk, plan_id=plan_ids[i], area=p[0], support=p[1], provider=p[2], qualification=p[3],
            ratio=p[4], frequency=p[5], duration=p[6]) for i, p in prov_rows), "provision", len(prov_rows))
        pn, po = Provision.needs.through, Provision.outcomes.through
        self.insert_rows(pn, (pn(provision_id=obj.pk, need_id=need_ids[i][k])
                         for (i, p), obj in zip(prov_rows, provs, strict=True) for k in p[7]), "provision-needs")
        self.insert_rows(po, (po(provision_id=obj.pk, outcome_id=out_ids[i][k])
                         for (i, p), obj in zip(prov_rows, provs, strict=True) for k in p[8]
                         if k < len(out_ids[i])), "provision-outcomes")
        del provs

        self.insert_rows(ParentComments, (ParentComments(
            la_id=la.pk, case_id=case_ids[i], received_on=cm[0], comments=cm[1],
            requested_setting_id=setting_ids[cm[2]] if cm[2] is not None else None, meeting_requested=cm[3])
            for i, c in enumerate(g.cases) for cm in c.comments), "parent comments")
        self.insert_rows(Consultation, (Consultation(
            la_id=la.pk, case_id=case_ids[i], setting_id=setting_ids[k[0]], sent_on=k[1], responded_on=k[2],
            response=k[3], notes="" if k[3] != "declined" else "No place available in the year group.")
            for i, c in enumerate(g.cases) for k in c.consultations), "consultations")
        self.insert(DeadlineException, (DeadlineException(
            la_id=la.pk, case_id=case_ids[i], deadline_key=e[0], reason=e[1], evidence=e[2], recorded_on=e[3],
            recorded_by_id=coordinator_of(c)) for i, c in enumerate(g.cases) for e in c.exceptions), "exceptions")

        self.write_lifecycle(la, plan_ids, case_ids, setting_ids)

        total_events = 0

        def events():
            nonlocal total_events
            for i, c in enumerate(g.cases):
                case_id, child_id, actor_id = case_ids[i], child_ids[c.child], coordinator_of(c)
                for kind, on, summary, before, after, reason in self._timeline(c):
                    total_events += 1
                    yield {"la_id": la.pk, "case_id": case_id, "child_id": child_id, "kind": kind,
                           "occurred_on": on, "actor_id": actor_id, "summary": summary[:250],
                           "from_stage": before, "to_stage": after, "reason": reason}

        self.insert_rows(TimelineEvent, events(), "timeline events")
        self.write_deadlines(la, case_ids)
        return la

    def write_lifecycle(self, la, plan_ids: dict, case_ids: list, setting_ids: list) -> None:
        """The records after the plan (ehcflow.demo.lifecycle), each table in one bulk insert."""
        g = self.g

        def rows(attr: str, owner: str):
            for i, c in enumerate(g.cases):
                for obj in getattr(c.life, attr):
                    obj.la_id = la.pk
                    if owner == "plan":
                        obj.plan_id = plan_ids[i]
                    else:
                        obj.case_id = case_ids[i]
                    yield obj

        def with_review(items):
            for a in items:
                a.review_id = a._demo_review.pk
                yield a

        def with_settings(items):
            for t in items:
                t.new_setting_id = setting_ids[t._demo_new] if t._demo_new is not None else None
                t.preferred_setting_id = setting_ids[t._demo_preferred] if t._demo_preferred is not None else None
                yield t

        self.insert(AnnualReview, rows("reviews", "plan"), "annual reviews")
        self.insert(Amendment, with_review(rows("amendments", "plan")), "amendments")
        self.insert(PhaseTransfer, with_settings(rows("phase_transfers", "plan")), "phase transfers")
        self.insert(Cessation, rows("cessations", "plan"), "cessations")
        self.insert(LaTransfer, rows("la_transfers", "plan"), "moves between councils")
        self.insert(Reassessment, rows("reassessments", "plan"), "re-assessments")
        self.insert(Disagreement, rows("disagreements", "case"), "disagreements")

    def write_deadlines(self, la, case_ids: list) -> None:
        """The open deadlines `refresh_all` would store, from the engine's run in memory: no second pass."""
        g = self.g
        refs = g.lifecycle.refs

        def deadline_rows():
            for i, c in enumerate(g.cases):
                owner = SimpleNamespace(la_id=la.pk, pk=case_ids[i])
                for row in rows_for(owner, None, c.open_deadlines, c.page_labels):
                    row.ref = refs.resolve(row.ref)
                    yield row

        total = sum(len(c.open_deadlines) for c in g.cases)
        self.insert_rows(CaseDeadline, deadline_rows(), "open deadlines", total)

    def _named(self, case: CaseRec) -> int | None:
        """The setting the plan names now: a finished phase transfer's new setting, else the one issued."""
        return case.life.named if case.life.named is not None else case.plan["named"]

    def _setting_type(self, case: CaseRec) -> str:
        if case.plan["status"] != "final":
            return ""
        if self._named(case) is None:
            return "Supported internship with a local employer"
        return KIND_LABELS[self.g.settings_spec[self._named(case)]["kind"]]

    def _timeline(self, c: CaseRec) -> list[tuple]:
        g = self.g
        if c.moved_in:  # the case starts here at the plan received from the other council
            return sorted(c.life.events, key=lambda e: e[1])
        ev: list[tuple] = [("request_received", c.received_on,
                            f"Request for an EHC needs assessment received from: {SOURCE_LABELS[c.source].lower()}",
                            "", "received", "")]
        if c.decision:
            assess = c.decision[1] == "assess"
            ev.append(("decision_to_assess", c.decision[0],
                       "Decided to carry out an EHC needs assessment" if assess else
                       "Decided not to carry out an EHC needs assessment; family told of their right to appeal",
                       "received", "assessing" if assess else "not_assessed", c.decision[2]))
        for kind, advisor, sent, _, returned in c.advice:
            ev.append(("advice_requested", sent, f"Advice requested from {advisor} ({ADVICE_LABELS[kind].lower()})",
                       "", "", ""))
            if returned:
                ev.append(("advice_returned", returned, f"Advice returned by {advisor}", "", "", ""))
        if c.outcome_on:
            issue = c.outcome == "issue"
            ev.append(("assessment_outcome", c.outcome_on,
                       "Decided to issue an EHC plan; drafting begins" if issue else
                       "Decided not to issue an EHC plan; family told of their right to appeal",
                       "assessing", "drafting" if issue else "not_issued", c.outcome_reasons))
        plan = c.plan or {}
        for setting, sent, responded, response in c.consultations:
            name = g.settings_spec[setting]["name"]
            ev.append(("consultation_sent", sent, f"{name} consulted on whether it can meet the child's needs",
                       "", "", ""))
            if responded:
                verdict = "can meet" if response == "agreed" else "cannot meet"
                ev.append(("consultation_response", responded, f"{name} replied that it {verdict} the child's needs",
                           "", "", ""))
        if plan.get("draft_served_on"):
            served = plan["draft_served_on"]
            ev.append(("draft_served", served, "Draft plan served on the family; their 15 days to comment end on "
                       f"{_fmt(served + _days(14))}", "drafting", "draft_served", ""))
        for received, _, asks, _ in c.comments:
            summary = "Family's comments on the draft plan received"
            if asks is not None:
                summary += f"; they ask for {g.settings_spec[asks]['name']}"
            ev.append(("comments_received", received, summary, "", "", ""))
        for key, reason, evidence, recorded in c.exceptions:
            ev.append(("exception_recorded", recorded, f"Exception {reason} recorded for: {RULES[key].label}",
                       "", "", evidence))
        if plan.get("issued_on"):
            where = g.settings_spec[plan["named"]]["name"] if plan["named"] is not None else self._setting_type(c)
            ev.append(("final_plan_issued", plan["issued_on"],
                       f"Final EHC plan issued naming {where}; family told of their right to appeal",
                       "draft_served", "plan_issued", ""))
        if c.withdrawn_on:
            before = "received" if not c.decision else "assessing" if not c.outcome_on else (
                "draft_served" if plan.get("draft_served_on") else "drafting")
            ev.append(("withdrawn", c.withdrawn_on, "Request withdrawn", before, "withdrawn", c.withdrawal_reason))
        ev.extend(c.life.events)  # after the plan (ehcflow.demo.lifecycle)
        ev.sort(key=lambda e: e[1])  # stable: same-day steps keep their statutory order
        return ev


# --- Entry points ------------------------------------------------------------------------------------

def demo_allowed() -> bool:
    return bool(getattr(django_settings, "DEMO_ALLOWED", False))


def active_plans(la: LocalAuthority) -> int:
    return Plan.objects.filter(la=la, status="final", case__stage="plan_issued").count()


def delete_la_data(la: LocalAuthority, log: Callable[[str], None] = lambda s: None) -> None:
    """Remove everything a council owns, fast: raw deletes table by table (no per-row signals).

    Works from the models, so a table added later is cleared too: rows of other models that point at
    the council's rows, many-to-many link tables, then the council's own tables with referrers first.
    Staff accounts go through the ordinary delete (few rows; their tokens and audit links follow).
    """
    tenant = []
    for model in apps.get_models():
        la_field = next((f for f in model._meta.concrete_fields
                         if f.is_relation and f.related_model is LocalAuthority and f.name == "la"), None)
        if la_field is not None and model is not User:
            tenant.append(model)
    tenant_set = set(tenant)

    def raw(qs: models.QuerySet) -> None:
        qs._raw_delete(qs.db)

    # 1. Rows of other models pointing at the council's rows (e.g. submission tokens on a case).
    for model in tenant:
        for rel in model._meta.related_objects:
            other = rel.related_model
            if other in tenant_set or other is User or not getattr(rel.field, "db_constraint", True):
                continue
            if rel.many_to_many or not rel.field.concrete:
                continue
            raw(other._base_manager.filter(**{f"{rel.field.name}__la_id": la.pk}))
    # 2. Many-to-many link tables.
    for model in tenant:
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            if through._meta.auto_created:
                src = m2m.m2m_field_name()
                raw(through._base_manager.filter(**{f"{src}__la_id": la.pk}))
    # 3. The council's own tables, each before the tables it points at.
    order: list = []
    remaining = list(tenant)
    while remaining:
        progressed = False
        for model in list(remaining):
            referrers = [m for m in remaining if m is not model and any(
                f.is_relation and f.related_model is model and getattr(f, "db_constraint", True)
                for f in m._meta.concrete_fields)]
            if not referrers:
                order.append(model)
                remaining.remove(model)
                progressed = True
        if not progressed:  # a cycle: fall back to the remaining order
            order.extend(remaining)
            break
    for model in order:
        if model is Team:
            continue
        raw(model._base_manager.filter(la_id=la.pk))
    log("  cleared case data")
    User.objects.filter(la=la).delete()
    raw(Team._base_manager.filter(la_id=la.pk))
    la.delete()


def load(*, scale: float = 1.0, seed: int = 2025, force: bool = False,
         log: Callable[[str], None] = print) -> tuple[LocalAuthority, bool]:
    """Load the demo council. Returns (la, created); created is False when an existing one is reused."""
    if not demo_allowed():
        from django.core.management.base import CommandError

        raise CommandError("Demo accounts can never be created under production settings.")
    existing = LocalAuthority.objects.filter(code=LA_CODE).first()
    # A demo council written before the SEN2 return (no designated officers, invented LA codes) is made again, or
    # its return would fail on things the demo, not the product, got wrong.
    stale = existing is not None and not existing.dmo
    if existing is not None and not force and not stale:
        return existing, False
    if stale and not force:
        log("The demo council was made by an earlier version of ehcflow: loading it again.")
    today = timezone.localdate()
    gen = DemoGenerator(scale=scale, seed=seed, today=today, log=log)
    log(f"Generating a council at scale {scale} (seed {seed}, today {today:%d %B %Y})")
    started = time.monotonic()
    gen.generate()
    log(f"  generated in memory in {time.monotonic() - started:.1f} s")
    with transaction.atomic():
        if existing is not None:
            log("Deleting the existing demo council (--force)")
            started = time.monotonic()
            delete_la_data(existing, log)
            log(f"  deleted in {time.monotonic() - started:.1f} s")
        log("Writing")
        started = time.monotonic()
        la = Writer(gen, log).write()
        log(f"  written in {time.monotonic() - started:.1f} s")
        started = time.monotonic()
    log(f"  committed in {time.monotonic() - started:.1f} s")  # PostgreSQL checks the deferred foreign keys here
    return la, True
