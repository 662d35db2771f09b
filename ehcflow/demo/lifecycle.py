"""Life after the plan for the demo council: reviews, amendments, phase transfers, ceasing, re-assessments,
moves between councils and disagreements, drawn in memory and cut at today like the rest of the generator.

Each plan's annual reviews are drawn as a chain from the date the plan was made (or transferred in): every
cycle's decision is placed relative to the 12-month date the engine computes (CFA s.44(1);
`ehcflow.deadlines.rules`), the meeting, invitations and report before it, and the next cycle runs from that
decision. Only the steps dated on or before today are recorded, so a plan whose decision is still to come
has its review open at the step today reaches, and a late decision leaves the review overdue.

The records are unsaved model instances (the writer fills in the ids and bulk-inserts them), and every step
also yields its timeline event, worded as the services word it. The engine needs a reference for each record
before the ids exist, so `Refs` hands out placeholder refs and turns them into the saved ids afterwards.

Plans requested before the generator's five-year window are "loaded from the council's history": their last
review decision is `Plan.last_review_decision_on` and only the review open today is recorded. A decided review
is never recorded on such a plan: `review_decision_record` would overwrite that date with its own, and the
engine, no longer seeing an earlier decision, would count the review from the plan's date and show the first
review missed.

Rates are per plan in force, from national figures where there are any; all are invented for Hartshire.
"""

from __future__ import annotations

import datetime
import functools
import random
import re
from dataclasses import dataclass, field, fields, replace

from ehcflow.appeals.models import DecisionKind, Disagreement, Order, Outcome
from ehcflow.appeals.selectors import disagreement_clock
from ehcflow.appeals.services import STAGES as DISAGREEMENT_STAGES
from ehcflow.cases.models import AdviceRequest
from ehcflow.ceasing.models import CeaseDecision, Cessation
from ehcflow.ceasing.services import NO_CONSULTATION_REASONS, reason_refusal, school_leaving_date
from ehcflow.core.codes import CeaseReason
from ehcflow.deadlines import engine
from ehcflow.deadlines.calendar import add_months, within_12_months_starting, working_days_after
from ehcflow.deadlines.phase_transfer import (
    ALLOWED_NEW_PHASES,
    POST16_TO_POST16,
    PhaseTransferClock,
    current_clock,
    kind_label,
    next_september,
    transfer_due,
    transfer_phase,
)
from ehcflow.deadlines.rules import (
    RULES,
    age_limit_due,
    amended_plan_final_from_proposals_due,
    amendment_representations_close_due,
    plan_transfer_due,
    preparing_for_adulthood,
    reassessment_plan_due,
    review_decision_due,
    review_notice_due,
    transfer_family_notice_due,
    transfer_review_due,
    tribunal_appeal_due,
    year_group,
)
from ehcflow.moves.models import Direction, LaTransfer
from ehcflow.reassessment import selectors as reassessment_selectors
from ehcflow.reassessment.models import ReassessDecision, Reassessment, RequestedBy
from ehcflow.reviews.models import Amendment, AmendmentOutcome, AnnualReview, ReviewDecision
from ehcflow.transfers.models import PhaseTransfer

ADVICE_LABELS = dict(AdviceRequest._meta.get_field("advice_type").choices)

# --- Proportions ------------------------------------------------------------------------------------
# Annual reviews: about 4 in 10 decisions come after the 12-month date, on average REVIEW_LATE_MEAN_DAYS
# late, which leaves roughly 1 plan in 9 overdue at any moment (the demo's tests hold it to 8-15%).
REVIEW_LATE_SHARE = 0.40
REVIEW_LATE_MEAN_DAYS = 130
REVIEW_AMEND_SHARE = 0.55  # decisions to amend; the rest maintain (a decision to cease leads to ceasing)
AMENDMENT_NOT_AMENDING_SHARE = 0.07
# Phase transfers for next September: started for most children this autumn, the new setting agreed for some.
PHASE_TRANSFER_STARTED = 0.85
PHASE_TRANSFER_AGREED = 0.40
PHASE_TRANSFER_FINISHED_EARLY = 0.05  # of those agreed: the amended plan already issued
LAST_YEAR_TRANSFER_RECORDED = 0.90  # last September's moves, recorded as completed
# Ceasing: about 7% of plans cease in a year (DfE SEN2: plans ceased against plans maintained); reasons below.
CEASED_PER_YEAR = 0.07
CEASING_IN_PROGRESS = 0.015
CEASE_REASONS = [("2", 17), ("3", 10), ("4", 8), ("5", 20), ("6", 12), ("1", 6), ("7", 4), ("8", 1), ("9", 22)]
# Moves between councils: plans received from other councils over the last 18 months, moves out open now.
MOVED_IN_18_MONTHS = 0.03
MOVES_OUT_OPEN = 0.004
# Re-assessments requested in the last 12 months.
REASSESSMENTS_PER_YEAR = 0.012
# Disagreements: England registered 22,276 SEND appeals in 2024 against about 576,500 plans (MoJ tribunal
# statistics; DfE SEN2), about 3.9% a year. Each appealable notice leads to a disagreement with these
# probabilities (mediation, certificate or appeal follow); about 60% of disagreements reach the Tribunal.
APPEALS_PER_PLAN_YEAR = 0.039
DISAGREEMENT_WINDOW_DAYS = 730
DISAGREEMENT_CHANCE = {"refuse_assess": 0.24, "refuse_issue": 0.32, "final_plan": 0.11, "amended_plan": 0.033,
                       "refuse_amend": 0.27, "refuse_reassess": 0.30}
APPEAL_OUTCOMES = [(Outcome.UPHELD, 50), (Outcome.CONCEDED, 23), (Outcome.WITHDRAWN, 22), (Outcome.DISMISSED, 5)]
ORDER_FOR = {DecisionKind.REFUSE_ASSESS: Order.ASSESS, DecisionKind.REFUSE_ISSUE: Order.MAKE_PLAN,
             DecisionKind.PLAN_CONTENTS: Order.AMEND, DecisionKind.REFUSE_AMEND: Order.AMEND,
             DecisionKind.REFUSE_REASSESS: Order.ASSESS, DecisionKind.CEASE: Order.NONE}

# Invented councils a family moves from or to (invented codes, above those English councils use).
# Real DfE LA codes (the SEN2 return checks them against the CBDS list) of the demo county's neighbours.
OTHER_COUNCILS = [("821", "Luton Borough Council"), ("822", "Bedford Borough Council"),
                  ("823", "Central Bedfordshire Council"), ("825", "Buckinghamshire Council"),
                  ("873", "Cambridgeshire County Council"), ("881", "Essex County Council")]

AMEND_PROPOSALS = [
    "Update section B with the latest speech and language assessment; revise section F hours to match.",
    "Add the occupational therapy advice to sections B and F; update the outcomes in section E for the new year.",
    "Revise section E outcomes, which have been achieved, and reduce the 1:1 support in section F to small group.",
    "Add the preparation for adulthood outcomes agreed at the review and the college taster days to section F.",
]
REPRESENTATIONS = [
    "We agree with the proposed changes.",
    "We agree, but ask that the therapy hours in section F stay as they are until the next review.",
    "We would like the plan to say who delivers the support and how often.",
]
MAINTAIN_REASONS = "The plan still describes the needs and the provision required; no change is needed."
REASSESS_REFUSAL = ("The review in the spring gathered current advice; the council will consider the request again "
                    "at the next annual review if needs change.")
REASSESS_REASONS = ["The child's needs have changed significantly since the plan was issued.",
                    "The school reports the provision in section F no longer meets the child's needs.",
                    "New medical diagnosis; the family asks for the plan to be looked at again as a whole."]
CEASE_DETAILS = {
    "9": "The young person has moved into a residential placement arranged by adult social care.",
    "2": "The annual review found the outcomes achieved and the needs met through SEN support.",
}
CEASE_VIEWS = ("The family and the setting were consulted: the family agrees that the plan can cease; the setting "
               "will continue SEN support.")
CANCEL_REASONS = ["The family's house sale fell through; they are staying in Hartshire."]


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _fmt(d: datetime.date) -> str:
    return f"{d.day} {d:%B %Y}"


def _weekday(d: datetime.date) -> datetime.date:
    """A weekend date moves to the Monday."""
    wd = d.weekday()
    return d + _days(7 - wd) if wd >= 5 else d


def _weekday_back(d: datetime.date) -> datetime.date:
    """A weekend date moves back to the Friday (so a step due on a date stays on time)."""
    wd = d.weekday()
    return d - _days(wd - 4) if wd >= 5 else d


def _between(rng: random.Random, lo: datetime.date, hi: datetime.date) -> datetime.date:
    """A working day between lo and hi (lo when the range is empty)."""
    if hi <= lo:
        return lo
    d = _weekday(lo + _days(rng.randint(0, (hi - lo).days)))
    return d if d <= hi else lo


def _pick(rng: random.Random, weighted) -> str:
    return rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


def _due(key: str, *args) -> datetime.date | None:
    """The engine's own date for a rule, or None where this version of the rules has no such rule."""
    rule = RULES.get(key)
    return rule.due(*args) if rule is not None else None


@functools.cache
def _has(model, name: str) -> bool:
    """Whether this version of the model has the field (other parts of the product add fields over time)."""
    return any(f.name == name for f in model._meta.concrete_fields)


def _age(dob: datetime.date, on: datetime.date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


# --- Placeholder refs -------------------------------------------------------------------------------

class Refs:
    """Refs for records not saved yet: "#n#" now, the record's id once it is saved."""

    TOKEN = re.compile(r"#(\d+)#")

    def __init__(self) -> None:
        self._items: list = []
        self._ids: dict = {}
        self._assigned: dict = {}

    def of(self, item) -> str:
        """A record's ref: a model instance (its pk later) or a key whose id `assign` gives later."""
        key = id(item) if not isinstance(item, tuple) else item
        token = self._ids.get(key)
        if token is None:
            token = f"#{len(self._items)}#"
            self._items.append(item)
            self._ids[key] = token
        return token

    def assign(self, key: tuple, pk: int) -> None:
        self._assigned[key] = pk

    def resolve(self, ref: str) -> str:
        if "#" not in ref:
            return ref

        def saved(m: re.Match) -> str:
            item = self._items[int(m.group(1))]
            return str(self._assigned[item] if isinstance(item, tuple) else item.pk)

        return self.TOKEN.sub(saved, ref)


# --- What happened to one plan ----------------------------------------------------------------------

@dataclass
class Cycle:
    """One annual review as drawn whole, before the cut at today."""

    due: datetime.date
    arranged: datetime.date
    invitations: datetime.date
    meeting: datetime.date
    report: datetime.date
    decision: datetime.date
    arranged_by: str
    kind: str = ReviewDecision.MAINTAIN
    amendment: dict | None = None  # {"representations", "completed", "outcome"}


@dataclass
class PlanLife:
    """The records after the plan (unsaved model instances) and their timeline events."""

    reviews: list = field(default_factory=list)
    amendments: list = field(default_factory=list)
    phase_transfers: list = field(default_factory=list)
    cessations: list = field(default_factory=list)
    la_transfers: list = field(default_factory=list)
    reassessments: list = field(default_factory=list)
    disagreements: list = field(default_factory=list)
    events: list = field(default_factory=list)  # (kind, on, summary, from_stage, to_stage, reason)
    last_review: datetime.date | None = None
    named: int | None = None  # the setting an amended plan now names, where it changed
    cycles: list = field(default_factory=list)
    legacy: bool = False

    def event(self, kind: str, on: datetime.date, summary: str, before: str = "", after: str = "",
              reason: str = "") -> None:
        self.events.append((kind, on, summary, before, after, reason))

    def open_amendment_between(self, lo: datetime.date, hi: datetime.date) -> bool:
        """Whether proposed amendments are open at any time from lo to hi (reg 22)."""
        for cyc in self.cycles:
            a = cyc.amendment
            if a is None:
                continue
            end = a["completed"] or datetime.date.max
            if cyc.decision <= hi and end > lo:
                return True
        return False


class Lifecycle:
    """Draws the life after the plan for every plan of the generator, then gives the engine its facts."""

    def __init__(self, gen, window_start: datetime.date) -> None:
        self.g = gen
        self.today = gen.today
        self.rng = random.Random(f"{gen.seed}:life")
        self.refs = Refs()
        self.window_start = window_start
        self._by_tphase: dict[tuple[str, str], list[int]] = {}
        for i, spec in enumerate(gen.settings_spec):
            tp = transfer_phase(spec["phase"], spec["name"])
            if tp:
                self._by_tphase.setdefault((spec["kind"], tp), []).append(i)

    # -- Helpers ----------------------------------------------------------------------------------------
    def dob(self, c) -> datetime.date:
        return self.g.children[c.child].dob

    def issued(self, c) -> datetime.date | None:
        return (c.plan or {}).get("issued_on")

    def active(self, c) -> bool:
        return c.stage == "plan_issued"

    # -- Annual reviews -----------------------------------------------------------------------------
    def draw_cycle(self, due: datetime.date, floor: datetime.date) -> Cycle:
        """One review: decision on time (before the 12-month date) or late, the meeting 1-4 weeks before it
        (sometimes more: reg 20(10)'s 4 weeks missed), the report within 2 weeks of the meeting (sometimes
        later), invitations 2 weeks or more before it (sometimes fewer: reg 20(3)-(4))."""
        rng = self.rng
        if rng.random() < REVIEW_LATE_SHARE:
            decision = due + _days(1 + int(rng.expovariate(1 / REVIEW_LATE_MEAN_DAYS)))
        else:
            decision = due - _days(rng.randint(0, 49))
        gap = rng.randint(7, 28) if rng.random() < 0.82 else rng.randint(29, 63)
        meeting = decision - _days(gap)
        invitations = meeting - _days(rng.randint(14, 28) if rng.random() < 0.86 else rng.randint(4, 13))
        arranged = invitations - _days(rng.randint(5, 40))
        if arranged < floor:  # not before the plan, the transfer, or the end of the last review's amendments
            shift = floor - arranged
            arranged, invitations, meeting, decision = (arranged + shift, invitations + shift, meeting + shift,
                                                        decision + shift)
        arranged = _weekday(arranged)
        invitations = max(_weekday(invitations), arranged)
        meeting = max(_weekday(meeting), invitations)
        decision = max(_weekday_back(decision), meeting)
        report_after = rng.randint(2, 14) if rng.random() < 0.76 else rng.randint(15, 30)
        report = min(max(_weekday(meeting + _days(report_after)), meeting), decision)
        return Cycle(due=due, arranged=arranged, invitations=invitations, meeting=meeting, report=report,
                     decision=decision, arranged_by="school" if rng.random() < 0.7 else "la")

    def draw_amendment(self, proposals: datetime.date) -> dict:
        """Representations within the 15 days (or later, or none), the amended plan within 8 weeks of the
        proposals (or later); never before the 15 days end unless the family has replied (reg 22)."""
        rng = self.rng
        u = rng.random()
        reps = (_weekday(proposals + _days(rng.randint(3, 14))) if u < 0.5
                else _weekday(proposals + _days(rng.randint(15, 35))) if u < 0.62 else None)
        completed = proposals + _days(rng.randint(15, 56) if rng.random() < 0.72 else rng.randint(57, 120))
        completed = _weekday_back(completed)
        if completed <= amendment_representations_close_due(proposals) and reps is None:
            completed = _weekday(amendment_representations_close_due(proposals) + _days(1))
        if reps is not None and reps > completed:
            completed = reps
        outcome = (AmendmentOutcome.NOT_AMENDING if rng.random() < AMENDMENT_NOT_AMENDING_SHARE
                   else AmendmentOutcome.AMENDED)
        return {"representations": reps, "completed": completed, "outcome": outcome}

    def draw_chain(self, first_due: datetime.date, floor: datetime.date, horizon: datetime.date) -> list[Cycle]:
        """Review cycles from the first 12-month date until one is arranged after `horizon`."""
        cycles: list[Cycle] = []
        due = first_due
        while True:
            cyc = self.draw_cycle(due, floor)
            if cyc.arranged > horizon:
                return cycles
            cycles.append(cyc)
            if cyc.decision > horizon:
                return cycles
            if self.rng.random() < REVIEW_AMEND_SHARE:
                cyc.kind = ReviewDecision.AMEND
                cyc.amendment = self.draw_amendment(cyc.decision)
                floor = cyc.amendment["completed"] + _days(1)
            else:
                floor = cyc.decision + _days(1)
            due = within_12_months_starting(cyc.decision)

    def record_reviews(self, c, life: PlanLife, end: datetime.date) -> None:
        """The reviews and amendments dated on or before `end`, as records and timeline events.

        A plan from the council's history keeps its last decision as `last_review_decision_on` and records
        only the review open now; others record every review (and the plan's date is last updated by the
        latest decision, as `review_decision_record` does)."""
        dob = self.dob(c)
        decided = [cyc for cyc in life.cycles if cyc.decision <= end]
        if life.legacy:
            life.last_review = decided[-1].decision if decided else None
            cycles = [cyc for cyc in life.cycles if cyc.decision > end and cyc.arranged <= end]
            if decided and decided[-1].amendment and decided[-1].amendment["completed"] > end:
                cycles = []  # an open amendment would need its review: leave this plan between reviews
        else:
            cycles = [cyc for cyc in life.cycles if cyc.arranged <= end]
            life.last_review = decided[-1].decision if decided else life.last_review
        for cyc in cycles:
            held = cyc.meeting if cyc.meeting <= end else None
            report = cyc.report if held and cyc.report <= end else None
            decision_on = cyc.decision if report and cyc.decision <= end else None
            review = AnnualReview(
                arranged_by=cyc.arranged_by, meeting_on=cyc.meeting,
                invitations_sent_on=cyc.invitations if cyc.invitations <= end else None, held_on=held,
                report_received_on=report, decision=cyc.kind if decision_on else "", decision_on=decision_on,
                pfa_discussed=bool(held and preparing_for_adulthood(dob, held)),
            )
            life.reviews.append(review)
            who = "the council" if cyc.arranged_by == "la" else "the school or college"
            life.event("review_arranged", cyc.arranged,
                       f"Annual review meeting arranged by {who} for {_fmt(cyc.meeting)}; invitations and advice "
                       f"to go out by {_fmt(review_notice_due(cyc.meeting))}")
            if review.invitations_sent_on:
                late = review.invitations_sent_on > review_notice_due(cyc.meeting)
                life.event("review_invitations_sent", review.invitations_sent_on,
                           "Invitations and advice for the annual review meeting sent"
                           + ("; less than 2 weeks before the meeting (reg 20(3)-(4))" if late else ""))
            if held:
                life.event("review_meeting_held", held,
                           f"Annual review meeting held; the council's decision is due by "
                           f"{_fmt(review_decision_due(held))}"
                           + ("; preparation for adulthood discussed" if review.pfa_discussed else ""))
            if report:
                life.event("review_report_received", report, "Annual review report received by the council")
            if not decision_on:
                continue
            if cyc.kind == ReviewDecision.AMEND:
                proposals = self.rng.choice(AMEND_PROPOSALS)
                life.event("review_decision", decision_on,
                           f"Review decision: amend the plan. Proposed amendments sent with the decision; the "
                           f"family's views are due by {_fmt(amendment_representations_close_due(decision_on))} and "
                           f"the amended plan by {_fmt(amended_plan_final_from_proposals_due(decision_on))}",
                           reason=proposals)
                self.record_amendment(life, review, cyc, proposals, end)
            elif cyc.kind == ReviewDecision.CEASE:
                life.event("review_decision", decision_on,
                           "Review decision: cease to maintain the plan (recorded as the review's decision only; "
                           "the plan stays in force until ceasing is carried out, a later step with its own notice "
                           "and appeal rights)")
            else:
                life.event("review_decision", decision_on,
                           "Review decision: maintain the plan unchanged; family told of their right to appeal",
                           reason=MAINTAIN_REASONS)
                review.notes = MAINTAIN_REASONS

    def record_amendment(self, life: PlanLife, review, cyc: Cycle, proposals: str, end: datetime.date) -> None:
        a = cyc.amendment
        reps = a["representations"] if a["representations"] and a["representations"] <= end else None
        completed = a["completed"] if a["completed"] <= end else None
        amendment = Amendment(proposals_sent_on=cyc.decision, proposals=proposals,
                              representations_received_on=reps,
                              representations=self.rng.choice(REPRESENTATIONS) if reps else "",
                              outcome=a["outcome"] if completed else "", completed_on=completed)
        amendment._demo_review = review
        life.amendments.append(amendment)
        if reps:
            life.event("amendment_representations", reps, "Family's views on the proposed amendments received",
                       reason=amendment.representations)
        if completed:
            if a["outcome"] == AmendmentOutcome.AMENDED:
                summary = "Final amended plan issued; family told of their right to appeal"
            else:
                summary = "Notice sent that the plan will not be amended; family told of their right to appeal"
            life.event("amendment_completed", completed, summary)

    # -- The whole lifecycle ------------------------------------------------------------------------
    def review_end(self, c) -> datetime.date:
        """The last day reviews are recorded: today, or the day before the proposal to cease a plan that ceased."""
        if c.ceasing and c.ceasing.get("ceased_on"):
            return c.ceasing["proposed_on"] - _days(1)
        return self.today

    def build(self) -> None:
        g = self.g
        plans = [c for c in g.cases if self.issued(c) and c.stage in ("plan_issued", "ceased")]
        for c in plans:
            issued, life, moved = self.issued(c), c.life, c.moved_in
            life.legacy = c.fate == "plan" and c.received_on < self.window_start
            if moved:
                first_due = transfer_review_due(moved["transferred_on"], moved["since"])
                floor = moved["transferred_on"]
                life.last_review = moved["since"] if moved["since"] > issued else None
            else:
                first_due, floor = within_12_months_starting(issued), issued
            life.cycles = self.draw_chain(first_due, floor, self.review_end(c))
            if c.ceasing:
                self.link_cease_to_review(c, life)
        self.ceasing_in_progress()
        for c in plans:
            self.record_reviews(c, c.life, self.review_end(c))
            if c.moved_in:
                self.record_move_in(c)
            if c.ceasing:
                self.record_cessation(c)
        self.moves_out()
        self.phase_transfers()
        self.reassessments()
        self.disagreements()

    # -- Ceasing ------------------------------------------------------------------------------------
    def link_cease_to_review(self, c, life: PlanLife) -> None:
        """A proposal to cease that follows a review: the latest decision within 4 months before it becomes a
        decision to cease (its amendments never happened)."""
        proposed = c.ceasing["proposed_on"]
        if c.ceasing["reason"] in (CeaseReason.TRANSFERRED_LA, CeaseReason.DECEASED, CeaseReason.LEFT_ENGLAND):
            return
        decided = [cyc for cyc in life.cycles if cyc.decision < proposed]
        if decided and (proposed - decided[-1].decision).days <= 120:
            last = decided[-1]
            last.kind, last.amendment = ReviewDecision.CEASE, None
            life.cycles = life.cycles[: life.cycles.index(last) + 1]

    def cease_reason_for(self, c, on: datetime.date) -> str | None:
        """A SEN2 reason that fits the young person on `on` (CFA s.45-46; Education Act 1996 s.8), or None."""
        dob = self.dob(c)
        rng = self.rng
        limit = age_limit_due(dob)
        if limit <= add_months(on, 12) and limit > on:
            return CeaseReason.MAX_AGE
        if on > school_leaving_date(dob):
            return _pick(rng, [("3", 25), ("4", 20), ("6", 25), ("2", 15), ("9", 15)])
        return _pick(rng, [("2", 70), ("7", 10), ("9", 20)])

    def ceasing_in_progress(self) -> None:
        """Proposals to cease made in the last 3 months on plans still in force: at each step, and a few
        decided against or under appeal (the plan is maintained meanwhile: regs 30-31)."""
        g, rng, today = self.g, self.rng, self.today
        active = [c for c in g.cases if self.active(c) and not c.moved_in]
        older = [c for c in active if _age(self.dob(c), today) >= 17]
        younger = [c for c in active if _age(self.dob(c), today) < 17]
        n = round(len(active) * CEASING_IN_PROGRESS)
        chosen = rng.sample(older, min(len(older), round(n * 0.7)))
        chosen += rng.sample(younger, min(len(younger), n - len(chosen)))
        for c in sorted(chosen, key=lambda c: c.child):
            proposed = _between(rng, today - _days(100), today - _days(1))
            if proposed <= self.issued(c) + _days(180):
                continue
            reason = self.cease_reason_for(c, proposed)
            if reason is None or reason_refusal(reason, self.dob(c), proposed, details="-"):
                continue
            c.ceasing = {"reason": reason, "proposed_on": proposed, "ceased_on": None}
            self.link_cease_to_review(c, c.life)

    def cessation_steps(self, c) -> dict:
        """Consultation, then the decision and its notice (regs 29-30). A plan that ceased has them drawn back
        from the day it ceased (`DemoGenerator.add_ceased`); an open proposal runs forward from its date."""
        s = c.ceasing
        if "notice_on" in s:
            return {"consulted": s["consulted_on"], "decided": s["decided_on"], "notice": s["notice_on"]}
        rng = self.rng
        consulted = _weekday(s["proposed_on"] + _days(rng.randint(5, 21)))
        decided = _weekday(consulted + _days(rng.randint(7, 28)))
        return {"consulted": consulted, "decided": decided, "notice": _weekday(decided + _days(rng.choice((0, 0, 1))))}

    def record_cessation(self, c) -> None:
        """The proposal and what followed it; a plan that ceased has every step up to the day it ceased.

        Reasons with nobody to consult (deceased) cease straight after the proposal (`cease_plan`); reason 5 is
        recorded with the move out, which ceases the plan (`record_move_out`)."""
        life, today, rng = c.life, self.today, self.rng
        s = c.ceasing
        reason, proposed, ceased = s["reason"], s["proposed_on"], s.get("ceased_on")
        if reason == CeaseReason.TRANSFERRED_LA:
            return
        details = CEASE_DETAILS.get(reason, "")
        cessation = Cessation(reason=reason, reason_details=details, proposed_on=proposed)
        life.cessations.append(cessation)
        label = CeaseReason(reason).label
        consult = reason not in NO_CONSULTATION_REASONS
        what = ("the family and the school or college must be consulted before a decision (reg 29)"
                if consult else "no consultation is needed")
        life.event("cease_proposed", proposed, f"Ceasing the plan proposed: {label}; {what}", reason=details)
        if consult:
            steps = self.cessation_steps(c)
            if steps["consulted"] <= today:
                cessation.consulted_on, cessation.views = steps["consulted"], CEASE_VIEWS
                life.event("cease_consulted", steps["consulted"],
                           "Family, young person and setting consulted about ceasing the plan", reason=CEASE_VIEWS)
            if cessation.consulted_on and steps["decided"] <= today:
                cessation.decision_on = steps["decided"]
                if ceased is None and rng.random() < 0.08:
                    cessation.decision = CeaseDecision.MAINTAIN
                    life.event("cease_decision", steps["decided"],
                               "Decided not to cease the plan: it continues to be maintained")
                else:
                    cessation.decision = CeaseDecision.CEASE
                    cessation.notice_sent_on = min(steps["notice"], today)
                    life.event("cease_decision", steps["decided"],
                               f"Decision to cease the plan sent to the family on {_fmt(cessation.notice_sent_on)} "
                               "with their right to appeal to the SEND Tribunal; the plan is maintained while an "
                               "appeal is pending")
        if ceased is not None:
            cessation.ceased_on = ceased
            life.event("plan_ceased", ceased, f"EHC plan ceased: {label}", "plan_issued", "ceased", reason=details)
        elif cessation.notice_sent_on and rng.random() < 0.35:
            # The family appealed: a disagreement about ceasing, mirrored on the cessation (ehcflow.appeals).
            self.appeal_against_cessation(c, cessation)

    def appeal_against_cessation(self, c, cessation) -> None:
        rng, today = self.rng, self.today
        notice = cessation.notice_sent_on
        contacted = _weekday(notice + _days(rng.randint(3, 20)))
        certificate = working_days_after(contacted, rng.randint(1, 3))
        registered = _weekday(certificate + _days(rng.randint(3, 15)))
        if registered > today:
            return
        d = Disagreement(kind=DecisionKind.CEASE, notice_sent_on=notice, mediation_contacted_on=contacted,
                         mediation_wanted=False, certificate_issued_on=certificate, appeal_registered_on=registered)
        cessation.appeal_registered_on = registered
        c.life.disagreements.append(d)
        self.disagreement_events(c.life, d)

    # -- Moves between councils ---------------------------------------------------------------------
    def record_move_in(self, c) -> None:
        """A plan received from another council (reg 15): the record, and the family's notice (reg 15(4))."""
        m, life, rng, today = c.moved_in, c.life, self.rng, self.today
        arrived, since = m["transferred_on"], m["since"]
        t = LaTransfer(direction=Direction.IN, other_la_code=m["code"], other_la_name=m["name"],
                       learnt_on=m["learnt_on"], transferred_on=arrived, plan_or_last_review_on=since)
        life.la_transfers.append(t)
        life.event("move_in_recorded", arrived,
                   f"EHC plan transferred from {m['name']}: tell the family by "
                   f"{_fmt(transfer_family_notice_due(arrived))} (reg 15(4)); review by "
                   f"{_fmt(transfer_review_due(arrived, since))} (reg 15(5))", after="plan_issued")
        notified = _weekday(arrived + _days(rng.randint(5, 42) if rng.random() < 0.85 else rng.randint(43, 75)))
        if notified <= today:
            # The notice says whether the council will assess and when it will review: by the reg 15(5) date.
            latest = transfer_review_due(arrived, since)
            proposed = min(life.cycles[0].meeting, latest) if life.cycles else latest
            t.family_notified_on, t.will_assess, t.review_proposed_on = notified, rng.random() < 0.1, proposed
            assess = ("this council proposes to make an EHC needs assessment (record it as a re-assessment on the "
                      "council's initiative)" if t.will_assess else "this council does not propose to assess")
            life.event("move_in_notified", notified,
                       f"Family told the plan has transferred here; {assess}; review proposed for {_fmt(proposed)} "
                       "(reg 15(4))")

    def moves_out(self) -> None:
        """Moves out: those that ceased a plan this year (reason 5), and a few families moving now."""
        g, rng, today = self.g, self.rng, self.today
        for c in g.cases:
            if c.ceasing and c.ceasing["reason"] == CeaseReason.TRANSFERRED_LA and c.ceasing.get("ceased_on"):
                self.record_move_out(c, sent_on=c.ceasing["ceased_on"])
        active = [c for c in g.cases if self.active(c) and not c.ceasing and not c.moved_in]
        for c in rng.sample(active, min(len(active), round(len(active) * MOVES_OUT_OPEN))):
            self.record_move_out(c, sent_on=None)

    def record_move_out(self, c, sent_on: datetime.date | None) -> None:
        """A family moving to another council (reg 15(2)): whether the move changes the health commissioning body
        (reg 16), the notice to it, and the plan sent (which ceases it here, reason 5) or the move cancelled."""
        life, rng, today = c.life, self.rng, self.today
        code, name = rng.choice(OTHER_COUNCILS)
        if sent_on is not None:  # the plan was sent (on time, or a few days late), and the plan ceased here
            learnt = _weekday(sent_on - _days(rng.randint(3, 30)))
            move_on = sent_on if rng.random() < 0.6 else None
            if move_on is None and sent_on > plan_transfer_due(learnt) and rng.random() < 0.7:
                learnt = _weekday(sent_on - _days(rng.randint(3, 15)))
            learnt = min(max(learnt, self.issued(c) + _days(1)), sent_on)
        else:
            learnt = _between(rng, max(today - _days(35), self.issued(c) + _days(1)), today - _days(1))
            move_on = _weekday(learnt + _days(rng.randint(7, 50))) if rng.random() < 0.7 else None
        health = _pick(rng, [(True, 60), (False, 25), (None, 15)])
        answered = health is False and rng.random() < 0.7  # "no" is often known when the move is recorded
        t = LaTransfer(direction=Direction.OUT, other_la_code=code, other_la_name=name, learnt_on=learnt,
                       move_on=move_on, health_body_changes=health if answered else None)
        life.la_transfers.append(t)
        due = plan_transfer_due(learnt, move_on)
        life.event("move_out_recorded", learnt,
                   f"Family moving to {name}" + (f" on {_fmt(move_on)}" if move_on else "")
                   + f"; the plan must be sent by {_fmt(due)} (reg 15(2))")
        until = sent_on or today
        if health is False and not answered:
            told = _between(rng, learnt, until)
            t.health_body_changes = False
            life.event("move_health_notice", told, f"The move to {name} does not change the health commissioning "
                       "body: no notice is needed (reg 16)")
        elif health is True:
            told = _weekday(learnt + _days(rng.randint(1, 12) if rng.random() < 0.85 else rng.randint(13, 30)))
            if told <= until:
                t.health_body_changes, t.health_notified_on = True, told
                late = told > (_due("health_body_notice", learnt, move_on) or told)
                life.event("move_health_notice", told, f"New health commissioning body told of the move to {name} "
                           "(reg 16)" + ("; later than reg 16 allows" if late else ""))
        if sent_on is None:
            if rng.random() < 0.08:
                t.cancelled_on = _between(rng, learnt, today)
                t.cancel_reason = CANCEL_REASONS[0]
                life.event("move_out_cancelled", t.cancelled_on,
                           f"Move to {name} cancelled: the family is not moving; this council keeps maintaining the "
                           "plan", reason=t.cancel_reason)
            return
        t.transferred_on = sent_on
        life.event("move_out_sent", sent_on, f"Plan sent to {name}" + ("; later than reg 15(2) allows"
                                                                      if sent_on > due else ""))
        cessation = Cessation(reason=CeaseReason.TRANSFERRED_LA, proposed_on=sent_on, decision=CeaseDecision.CEASE,
                              decision_on=sent_on, ceased_on=sent_on,
                              reason_details=f"Plan transferred to {name} ({code})")
        life.cessations.append(cessation)
        life.event("plan_ceased", sent_on, f"EHC plan ceased: {CeaseReason.TRANSFERRED_LA.label}", "plan_issued",
                   "ceased", reason=cessation.reason_details)

    # -- Phase transfers ----------------------------------------------------------------------------
    def destination(self, kind: str, current_kind: str | None) -> int | None:
        """A setting of a phase the move may name (`ALLOWED_NEW_PHASES`), like the child's current one."""
        rng = self.rng
        options = {
            "early_years_to_school": [("mainstream", "primary", 70), ("mainstream", "infant", 10),
                                      ("special", "all_through", 8), ("resourced", "primary", 8),
                                      ("special", "primary", 4)],
            "infant_to_junior": [("mainstream", "junior", 80), ("mainstream", "primary", 20)],
            "primary_to_middle": [("mainstream", "middle", 100)],
            "primary_to_secondary": [("mainstream", "secondary", 60), ("special", "secondary", 12),
                                     ("special", "all_through", 12), ("resourced", "secondary", 10),
                                     ("independent", "all_through", 6)],
            "middle_to_secondary": [("mainstream", "secondary", 100)],
            "secondary_to_post16": [("fe_college", "post16", 60), ("mainstream", "secondary", 15),
                                    ("special", "secondary", 15), ("special", "all_through", 10)],
        }.get(kind, [])
        if current_kind in ("special", "independent"):
            options = [(k, p, w * (6 if k in ("special", "independent") else 1)) for k, p, w in options]
        allowed = ALLOWED_NEW_PHASES.get(kind, frozenset())
        options = [(k, p, w) for k, p, w in options if p in allowed and self._by_tphase.get((k, p))]
        if not options:
            return None
        k, p, _ = rng.choices(options, [w for *_, w in options])[0]
        return rng.choice(self._by_tphase[(k, p)])

    def phase_transfers(self) -> None:
        """This year's moves started for most children, the new setting agreed for some and a few already
        finished; last September's moves recorded as completed (regs 2, 18)."""
        g, rng, today = self.g, self.rng, self.today
        september = next_september(today)
        last_september = datetime.date(september.year - 1, september.month, september.day)
        entry_kinds = {0: ("early_years_to_school", ("primary", "infant")), 3: ("infant_to_junior", ("junior",)),
                       7: ("primary_to_secondary", ("secondary",)), 12: ("secondary_to_post16", ("post16",))}
        for c in g.cases:
            if not self.active(c) or c.ceasing:
                continue
            child = g.children[c.child]
            spec = g.settings_spec[child.setting] if child.setting is not None else None
            issued = self.issued(c)
            # Last September's move, if the child is now in the first year of the phase it entered.
            if spec is not None and last_september <= today:
                entry = year_group(child.dob, today)
                kind_phases = entry_kinds.get(entry)
                tp = transfer_phase(spec["phase"], spec["name"])
                started_lo = datetime.date(last_september.year - 1, 9, 2)
                if (kind_phases and tp in kind_phases[1] and issued < started_lo
                        and rng.random() < LAST_YEAR_TRANSFER_RECORDED):
                    self.completed_last_year(c, kind_phases[0], last_september, child.setting)
            clock = current_clock(date_of_birth=child.dob, phase=transfer_phase(spec["phase"], spec["name"])
                                  if spec else None, today=today)
            if clock is None or clock.transfer_on != september or clock.kind == POST16_TO_POST16:
                continue
            if rng.random() < PHASE_TRANSFER_STARTED:
                self.started_this_year(c, clock, spec["kind"] if spec else None)

    def completed_last_year(self, c, kind: str, transfer_on: datetime.date, setting: int) -> None:
        rng, life = self.rng, c.life
        due = transfer_due(kind, transfer_on)
        started = _between(rng, datetime.date(transfer_on.year - 1, 9, 2), datetime.date(transfer_on.year - 1, 12, 12))
        agreed = _weekday(started + _days(rng.randint(20, 80)))
        completed = (_between(rng, agreed + _days(7), due) if rng.random() < 0.88
                     else _weekday(due + _days(rng.randint(1, 50))))
        completed = max(completed, agreed)
        preferred = setting if rng.random() < 0.7 else None
        t = PhaseTransfer(kind=kind, transfer_on=transfer_on, due_on=due, started_on=started, agreed_on=agreed,
                          status="completed", completed_on=completed)
        t._demo_new, t._demo_preferred = setting, preferred
        life.phase_transfers.append(t)
        self.phase_transfer_events(c, t)

    def started_this_year(self, c, clock: PhaseTransferClock, current_kind: str | None) -> None:
        rng, life, today, g = self.rng, c.life, self.today, self.g
        lo = max(datetime.date(clock.transfer_on.year - 1, 9, 2), self.issued(c))
        if lo > today:
            return
        started = _between(rng, lo, today)
        new = self.destination(clock.kind, current_kind)
        preferred = new if new is not None and rng.random() < 0.6 else None
        t = PhaseTransfer(kind=clock.kind, transfer_on=clock.transfer_on, due_on=clock.due_on, started_on=started)
        t._demo_new, t._demo_preferred = None, preferred
        if new is not None and rng.random() < PHASE_TRANSFER_AGREED and started + _days(10) <= today:
            t.agreed_on = _between(rng, started + _days(10), today)
            t._demo_new = new
            if rng.random() < PHASE_TRANSFER_FINISHED_EARLY and t.agreed_on + _days(7) <= today:
                t.completed_on, t.status = _between(rng, t.agreed_on + _days(7), today), "completed"
                life.named = new  # the amended plan names the new setting (section I)
        life.phase_transfers.append(t)
        self.phase_transfer_events(c, t)

    def phase_transfer_events(self, c, t) -> None:
        life, specs = c.life, self.g.settings_spec
        prefers = f"; the family prefers {specs[t._demo_preferred]['name']}" if t._demo_preferred is not None else ""
        life.event("phase_transfer_started", t.started_on,
                   f"Phase transfer started: {kind_label(t.kind).lower()} on {_fmt(t.transfer_on)}; the amended plan "
                   f"naming the new setting is due by {_fmt(t.due_on)}{prefers}")
        if t.agreed_on:
            life.event("phase_transfer_setting_agreed", t.agreed_on,
                       f"New setting agreed for the phase transfer: {specs[t._demo_new]['name']}")
        if t.completed_on:
            late = "" if t.completed_on <= t.due_on else f"; after the deadline of {_fmt(t.due_on)}"
            life.event("phase_transfer_completed", t.completed_on,
                       f"Amended plan naming {specs[t._demo_new]['name']} issued for the phase transfer on "
                       f"{_fmt(t.transfer_on)}{late}")

    # -- Re-assessments -----------------------------------------------------------------------------
    def reassessments(self) -> None:
        """Requests in the last 12 months: decided within 15 days (mostly), refused or re-assessed, the plan
        after re-assessment within 14 weeks (mostly). Never while proposed amendments are open (reg 22)."""
        g, rng, today = self.g, self.rng, self.today
        candidates = [c for c in g.cases if self.active(c) and not c.life.legacy and not c.ceasing
                      and not c.moved_in]
        wanted = round(len([c for c in g.cases if self.active(c)]) * REASSESSMENTS_PER_YEAR)
        rng.shuffle(candidates)
        made = 0
        for c in candidates:
            if made >= wanted:
                break
            requested = _between(rng, today - _days(365), today - _days(1))
            if requested <= self.issued(c) + _days(120):
                continue
            days = self.reassessment_settings["decision_days"]
            decided = _weekday_back(requested + _days(rng.randint(3, days) if rng.random() < 0.85
                                                      else rng.randint(days + 1, days + 20)))
            reassess = rng.random() < 0.55
            plan_on = (_weekday_back(decided + _days(rng.randint(60, 98) if rng.random() < 0.78
                                                     else rng.randint(99, 140))) if reassess else None)
            if c.life.open_amendment_between(requested, min(plan_on or decided, today)):
                continue
            made += 1
            who = _pick(rng, [(RequestedBy.FAMILY, 50), (RequestedBy.SCHOOL, 35), (RequestedBy.LA, 15)])
            reasons = rng.choice(REASSESS_REASONS)
            r = Reassessment(requested_on=requested, requested_by=who, reasons=reasons)
            c.life.reassessments.append(r)
            c.life.event("reassessment_requested", requested,
                         f"Re-assessment requested ({RequestedBy(who).label.lower()}); the council decides whether to "
                         "re-assess (SEND Regulations 2014 regs 24-25)", reason=reasons)
            if decided > today:
                continue
            r.decision_on = decided
            if not reassess:
                r.decision, r.completed_on, r.reasons = ReassessDecision.REFUSE, decided, REASSESS_REFUSAL
                c.life.event("reassessment_decision", decided,
                             "Decided not to re-assess the plan; the family was told of their right to appeal to the "
                             "SEND Tribunal (Children and Families Act 2014 s.51(2)) and to mediation",
                             reason=REASSESS_REFUSAL)
                continue
            r.decision = ReassessDecision.REASSESS
            c.life.event("reassessment_decision", decided,
                         f"Decided to re-assess the plan: the plan after re-assessment is due by "
                         f"{_fmt(reassessment_plan_due(decided))} (SEND Regulations 2014 reg 27(2))", reason=reasons)
            if plan_on <= today:
                r.plan_issued_on = r.completed_on = plan_on
                c.life.event("reassessment_plan_issued", plan_on,
                             "Plan issued after re-assessment; family told of their right to appeal")

    @functools.cached_property
    def reassessment_settings(self) -> dict:
        """How this council configures re-assessments, as `reassessment_clocks` reads it (regs 24-25, 27)."""
        out = {"decision_days": reassessment_selectors.decision_days()}
        restarts = getattr(reassessment_selectors, "restarts_review", None)
        if restarts is not None:
            out["restarts_review"] = restarts()
        return out

    # -- Disagreements ------------------------------------------------------------------------------
    def disagreements(self) -> None:
        """Appealable decisions of the last two years that the family took further: mediation, a certificate,
        an appeal registered, its outcome and the order, each cut at today (or the day the plan ceased)."""
        g, rng, today = self.g, self.rng, self.today
        since = today - _days(DISAGREEMENT_WINDOW_DAYS)
        for c in g.cases:
            notices: list[tuple[str, datetime.date, float]] = []
            if c.stage == "not_assessed" and c.decision and c.decision[0] >= since:
                notices.append((DecisionKind.REFUSE_ASSESS, c.decision[0], DISAGREEMENT_CHANCE["refuse_assess"]))
            elif c.stage == "not_issued" and c.outcome_on and c.outcome_on >= since:
                notices.append((DecisionKind.REFUSE_ISSUE, c.outcome_on, DISAGREEMENT_CHANCE["refuse_issue"]))
            elif c.stage in ("plan_issued", "ceased") and not c.moved_in:
                if self.issued(c) >= since:
                    notices.append((DecisionKind.PLAN_CONTENTS, self.issued(c), DISAGREEMENT_CHANCE["final_plan"]))
                for a in c.life.amendments:
                    if a.completed_on and a.completed_on >= since:
                        if a.outcome == AmendmentOutcome.AMENDED:
                            notices.append((DecisionKind.PLAN_CONTENTS, a.completed_on,
                                            DISAGREEMENT_CHANCE["amended_plan"]))
                        else:
                            notices.append((DecisionKind.REFUSE_AMEND, a.completed_on,
                                            DISAGREEMENT_CHANCE["refuse_amend"]))
                for r in c.life.reassessments:
                    if r.decision == ReassessDecision.REFUSE:
                        notices.append((DecisionKind.REFUSE_REASSESS, r.decision_on,
                                        DISAGREEMENT_CHANCE["refuse_reassess"]))
            end = c.ceasing["ceased_on"] if c.ceasing and c.ceasing.get("ceased_on") else today
            for kind, notice, chance in notices:
                if notice <= end and rng.random() < chance:
                    self.disagreement(c, kind, notice, end)

    def disagreement(self, c, kind: str, notice: datetime.date, end: datetime.date) -> None:
        """One disagreement drawn whole, then cut at `end`: the family's contact with the mediation adviser
        within 2 months (reg 33), mediation within 30 days or a certificate within 3 working days (reg 34), the
        appeal within the HESC r.20 time, its outcome and the order and its steps (regs 44-45). Without a
        certificate only an appeal about section I alone is possible (CFA s.55)."""
        rng = self.rng
        d = Disagreement(kind=kind, notice_sent_on=notice)
        steps: list[tuple[str, datetime.date]] = []
        sections = ""
        registered = None
        if kind == DecisionKind.PLAN_CONTENTS and rng.random() < 0.25:
            sections = "I"
            registered = _weekday_back(notice + _days(rng.randint(14, (tribunal_appeal_due(notice) - notice).days)))
        else:
            if kind == DecisionKind.PLAN_CONTENTS:
                sections = rng.choice(("BFI", "BFI", "BF", "FI"))
            contacted = _weekday_back(notice + _days(rng.randint(5, 55)))
            steps.append(("contact", contacted))
            d.mediation_wanted = rng.random() < 0.4
            if d.mediation_wanted:
                held_due = _due("mediation_held", contacted) or contacted + _days(30)
                window = max(10, (held_due - contacted).days)
                held = (contacted + _days(rng.randint(10, window)) if rng.random() < 0.8
                        else held_due + _days(rng.randint(1, 20)))
                steps.append(("held", held))
                after = _due("mediation_certificate_after", held) or working_days_after(held, 3)
                certificate = after if rng.random() < 0.9 else working_days_after(after, rng.randint(1, 4))
                appeals = rng.random() < 0.55
            else:
                certificate = working_days_after(contacted, rng.randint(1, 3) if rng.random() < 0.9 else 5)
                appeals = rng.random() < 0.85
            steps.append(("certificate", certificate))
            if appeals:
                latest = tribunal_appeal_due(notice, certificate)
                registered = _weekday_back(certificate + _days(rng.randint(3, max(4, (latest - certificate).days))))
        if registered is not None:
            steps.append(("registered", registered))
            outcome = _pick(rng, APPEAL_OUTCOMES)
            early = outcome in (Outcome.CONCEDED, Outcome.WITHDRAWN)
            decided = _weekday(registered + _days(rng.randint(30, 150) if early else rng.randint(140, 330)))
            steps.append(("outcome", decided))
            if outcome in (Outcome.UPHELD, Outcome.CONCEDED):
                order = ORDER_FOR[kind]
                steps.append(("order", decided))
                late = rng.random() < 0.2
                if order == Order.ASSESS:
                    steps.append(("first", decided + _days(rng.randint(3, 14) if not late else rng.randint(15, 25))))
                    steps.append(("complied", decided + _days(rng.randint(60, 98) if not late else
                                                              rng.randint(99, 130))))
                elif order == Order.MAKE_PLAN:
                    steps.append(("first", decided + _days(rng.randint(14, 35))))
                    steps.append(("complied", decided + _days(rng.randint(50, 77) if not late else
                                                              rng.randint(78, 100))))
                elif order == Order.AMEND:
                    steps.append(("complied", decided + _days(rng.randint(14, 35) if not late else
                                                              rng.randint(36, 60))))
        # The cut: only what happened by `end`, each step on or after the one before.
        last = notice
        for step, on in steps:
            on = max(_weekday_back(on), last)
            if on > end:
                break
            last = on
            if step == "contact":
                d.mediation_contacted_on = on
            elif step == "held":
                d.mediation_held_on = on
            elif step == "certificate":
                d.certificate_issued_on = on
            elif step == "registered":
                d.appeal_registered_on, d.sections = on, sections
            elif step == "outcome":
                d.outcome, d.outcome_on = outcome, on
            elif step == "order":
                d.order, d.order_on = order, on
            elif step == "first":
                d.first_step_on = on
            elif step == "complied":
                d.complied_on = on
                if _has(Disagreement, "compliance"):
                    d.compliance = ("amended_plan" if order == Order.AMEND else
                                    "no_plan" if order == Order.ASSESS and rng.random() < 0.15 else "final_plan")
        if d.mediation_contacted_on is None:
            d.mediation_wanted = None
        c.life.disagreements.append(d)
        self.disagreement_events(c.life, d)

    def disagreement_events(self, life: PlanLife, d) -> None:
        life.event("appeal_notice", d.notice_sent_on,
                   f"Notice of an appealable decision sent ({d.get_kind_display().lower()}), with the right to "
                   "mediation and to appeal to the SEND Tribunal")
        if d.mediation_contacted_on:
            what = ("they want mediation" if d.mediation_wanted
                    else "they do not want mediation: a certificate is due (reg 34)")
            life.event("appeal_mediation_contact", d.mediation_contacted_on,
                       f"Family contacted the mediation adviser; {what}")
        if getattr(d, "mediation_held_on", None):
            life.event("appeal_mediation_held", d.mediation_held_on, "Mediation held")
        if d.certificate_issued_on:
            life.event("appeal_certificate", d.certificate_issued_on,
                       "Mediation certificate issued: the family may appeal to the SEND Tribunal")
        if d.appeal_registered_on:
            about = f" about sections {', '.join(d.sections)}" if d.sections else ""
            life.event("appeal_registered", d.appeal_registered_on,
                       f"Appeal to the SEND Tribunal registered against the {d.get_kind_display().lower()}{about}")
        if d.outcome:
            life.event("appeal_outcome", d.outcome_on, f"Appeal outcome: {Outcome(d.outcome).label}")
        if d.order:
            life.event("appeal_order", d.order_on, f"Order: {Order(d.order).label} (SEND Regulations 2014 regs 44-45)")
        if d.first_step_on:
            what = "Draft plan issued" if d.order == Order.MAKE_PLAN else "Family told of the assessment"
            life.event("appeal_order_step", d.first_step_on, f"{what} after the Tribunal's order")
        if d.complied_on:
            if getattr(d, "compliance", "") == "no_plan":
                life.event("appeal_no_plan", d.complied_on,
                           "Decision not to issue a plan after the assessment the Tribunal ordered (SEND Regulations "
                           "2014 reg 44); the family may appeal this decision")
            else:
                life.event("appeal_complied", d.complied_on,
                           f"Tribunal order complied with: {d.get_order_display().lower()}")

    # -- The engine's facts -------------------------------------------------------------------------
    def clock(self, cls, obj, **extra):
        """An engine clock from a record, field by field as the selectors map them (blank -> None)."""
        values = {}
        for f in fields(cls):
            if f.name in extra or f.name == "ref" or not hasattr(obj, f.name):
                continue
            value = getattr(obj, f.name)
            values[f.name] = None if value == "" else value
        return cls(ref=self.refs.of(obj), **values, **extra)

    def phase_transfer_clock(self, c) -> PhaseTransferClock | None:
        """`ehcflow.transfers.facts.phase_transfer_clock` over the records in memory."""
        if not self.issued(c):
            return None
        g = self.g
        child = g.children[c.child]
        rows = c.life.phase_transfers
        latest = max(enumerate(rows), key=lambda x: (x[1].transfer_on, x[0]))[1] if rows else None
        setting = child.setting
        if (latest is not None and latest.status == "completed" and latest._demo_new is not None
                and self.today >= latest.transfer_on):
            setting = latest._demo_new
        spec = g.settings_spec[setting] if setting is not None else None
        phase = transfer_phase(spec["phase"], spec["name"]) if spec is not None else None
        recorded = None
        if latest is not None:
            recorded = PhaseTransferClock(kind=latest.kind, transfer_on=latest.transfer_on, due_on=latest.due_on,
                                          completed_on=latest.completed_on)
        return current_clock(date_of_birth=child.dob, phase=phase, today=self.today, recorded=recorded,
                             recorded_open=latest is not None and latest.status == "open")

    def facts(self, index: int, c) -> engine.CaseFacts:
        """The engine's view of one case, as `ehcflow.cases.selectors.case_facts` reads it from the records."""
        plan = c.plan or {}
        issued = plan.get("issued_on")
        life = c.life
        labels = ADVICE_LABELS
        kw = {}
        if issued:
            ceased = next((x for x in life.cessations if x.ceased_on is not None), None)
            extra = self.reassessment_settings
            kw = {
                "reviews": tuple(self.clock(engine.ReviewClock, r) for r in life.reviews),
                "amendments": tuple(self.clock(engine.AmendmentClock, a) for a in life.amendments),
                "cessation": engine.CessationClock(ref=self.refs.of(ceased), ceased_on=ceased.ceased_on)
                if ceased else None,
                "la_transfers": tuple(self.clock(engine.LaTransferClock, t) for t in life.la_transfers),
                "reassessments": tuple(self.clock(engine.ReassessmentClock, r, exceptions=(), **extra)
                                       for r in life.reassessments),
            }
        return engine.CaseFacts(
            received_on=c.received_on,
            decision_on=c.decision[0] if c.decision else None,
            decision=c.decision[1] if c.decision else None,
            advice=tuple(engine.AdviceClock(ref=self.refs.of(("advice", index, i)),
                                            label=f"{a[1]} ({labels[a[0]].lower()})", sent_on=a[2],
                                            received_on=a[3], returned_on=a[4]) for i, a in enumerate(c.advice)),
            outcome_on=c.outcome_on,
            outcome=c.outcome or None,
            draft_served_on=plan.get("draft_served_on"),
            comments_received_on=min((x[0] for x in c.comments), default=None),
            final_issued_on=issued,
            last_review_decision_on=life.last_review if issued else None,
            withdrawn_on=c.withdrawn_on,
            exceptions=tuple(engine.ExceptionRecord(deadline_key=e[0], reason=e[1], evidence=e[2], recorded_on=e[3])
                             for e in c.exceptions),
            disagreements=tuple(replace(disagreement_clock(d), ref=self.refs.of(d)) for d in life.disagreements)
            if c.stage in DISAGREEMENT_STAGES else (),
            phase_transfer=self.phase_transfer_clock(c),
            **kw,
        )

    @staticmethod
    def page_labels(facts: engine.CaseFacts) -> dict[tuple[str, str], str]:
        """Each deadline's label as the case page shows it (`ehcflow.cases.selectors.case_deadline_rows`)."""
        labels: dict[tuple[str, str], str] = {}
        for a in facts.advice:
            labels[("advice_due", a.ref)] = f"Advice from {a.label}"
        for r in facts.reviews:
            if r.meeting_on:
                for key in ("review_notice", "review_report", "review_decision"):
                    labels[(key, r.ref)] = f" (review meeting {_fmt(r.meeting_on)})"
        for a in facts.amendments:
            for key in ("amendment_representations_close", "amended_plan_final"):
                labels[(key, a.ref)] = f" (proposals sent {_fmt(a.proposals_sent_on)})"
        return labels


def labelled(deadlines: list[engine.Deadline], suffixes: dict[tuple[str, str], str]) -> dict:
    """(key, ref) -> the page's label: advice labels replace, review and amendment labels add to the rule's."""
    out = {}
    for d in deadlines:
        extra = suffixes.get((d.key, d.ref or ""))
        if extra is None:
            continue
        out[(d.key, d.ref or "")] = extra if d.key == "advice_due" else d.label + extra
    return out

