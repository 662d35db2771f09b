"""Compute one EHC needs assessment case's statutory deadlines from its facts.

Status of each deadline (the reason is that DfE timeliness reporting needs all of
these):

- the step was done on or before the due date -> ``met`` (whatever exceptions are
  recorded);
- the step was done after the due date -> ``missed``;
- the step is not done and today is after the due date -> ``missed``;
- the step is not done and today is on or before the due date -> ``open``;
- a valid exception is recorded for the deadline (matching key, and ref for advice) and
  the step was not done on time, or is not done yet -> ``exception_applies``. An
  exception disapplies the time limit; it never pauses the clock, so ``due`` never
  changes (statutory-timescales §0.3). Invalid records are ignored;
- the step can no longer happen -> ``not_applicable``: the LA decided not to assess (no
  post-decision steps), the outcome made the other outcome's step moot, or the request
  was withdrawn before the step was done.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from ehcflow.deadlines.phase_transfer import PhaseTransferClock  # noqa: F401 (part of CaseFacts)
from ehcflow.deadlines.rules import RULES, amended_plan_final_from_proposals_due

STATUS_OPEN = "open"
STATUS_MET = "met"
STATUS_MISSED = "missed"
STATUS_EXCEPTION = "exception_applies"
STATUS_NOT_APPLICABLE = "not_applicable"

# Set A: regs 10(4) and 13(3) [L]. Lifts regs 5(1), 10(1), 13(2) and 27(2).
SET_A_REASONS: dict[str, str] = {
    "A(a)": (
        "Advice was asked of a school or college head between a week before it "
        "closed for 4 weeks or more and a week before it reopened"
    ),
    "A(b)": (
        "Advice was asked of an early years provider between a week before it "
        "closed for 4 weeks or more and a week before it reopened"
    ),
    "A(c)": ("Exceptional personal circumstances affecting the child, the parent or the young person"),
    "A(d)": ("The child, parent or young person was away from the area for 4 weeks or more in a row"),
}

# Set B: reg 8(2) [S]. Lifts only reg 8(1), the 6-week advice limit, one advice request
# at a time.
SET_B_REASONS: dict[str, str] = {
    "B(a)": ("Exceptional circumstances affecting the child, the parent or the young person"),
    "B(b)": ("The child, parent or young person was away from the area for 4 weeks or more during the 6 weeks"),
    "B(c)": "An appointment for an examination or test was missed",
}

_SET_A_KEYS = frozenset({"decision_to_assess", "decision_not_to_issue", "final_plan"})
_SET_B_KEYS = frozenset({"advice_due"})
_OPEN_LIKE = frozenset({STATUS_OPEN, STATUS_MISSED, STATUS_EXCEPTION})

NO_EXCEPTIONS_MESSAGE = "no exceptions apply to this deadline"


@dataclass(frozen=True)
class AdviceClock:
    """One request for advice (reg 6).

    Its 6 weeks run from the day the advice-giver received it.
    """

    ref: str
    label: str
    sent_on: date
    received_on: date | None = None  # None -> treated as received the day it was sent
    returned_on: date | None = None

    @property
    def clock_starts_on(self) -> date:
        """The day the advice-giver received the request: its 6 weeks start here."""
        return self.received_on if self.received_on is not None else self.sent_on


@dataclass(frozen=True)
class ExceptionRecord:
    """An exception the LA relies on for one deadline, with evidence (Code 9.43)."""

    deadline_key: str
    reason: str
    evidence: str
    recorded_on: date
    ref: str | None = None  # AdviceClock.ref, for advice_due only


@dataclass(frozen=True)
class ReviewClock:
    """One annual review of the plan (CFA s.44; reg 20)."""

    ref: str
    meeting_on: date | None = None
    invitations_sent_on: date | None = None
    report_received_on: date | None = None
    decision: str | None = None  # "maintain" | "amend" | "cease"
    decision_on: date | None = None  # the day the decision was notified to the family


@dataclass(frozen=True)
class AmendmentClock:
    """Proposed amendments to the plan and what became of them (reg 22)."""

    ref: str
    proposals_sent_on: date
    representations_received_on: date | None = None
    completed_on: date | None = None  # final amended plan, or notice of not amending, issued
    outcome: str | None = None  # "amended" | "not_amending"


@dataclass(frozen=True)
class CessationClock:
    """The plan ceased (CFA s.45; regs 29-31): no review or amendment deadline follows."""

    ref: str
    ceased_on: date


@dataclass(frozen=True)
class LaTransferClock:
    """The plan moving between councils (regs 15-16)."""

    ref: str
    direction: str  # "out" | "in"
    learnt_on: date | None = None  # out: the day the old council learnt of the move
    move_on: date | None = None
    transferred_on: date | None = None  # out: plan sent to the new council; in: the day it transferred here
    family_notified_on: date | None = None  # in: reg 15(4)
    plan_or_last_review_on: date | None = None  # in: the date the reg 15(5) 12 months run from
    cancelled_on: date | None = None  # out: the move fell through; its deadlines go
    health_body_changes: bool | None = None  # out: reg 16 applies; None (not known) still shows the deadline
    health_notified_on: date | None = None  # out: the new health commissioning body was told (reg 16)


@dataclass(frozen=True)
class DisagreementClock:
    """An appealable decision, and mediation and appeal after it (CFA s.51; regs 32-45; ehcflow.appeals)."""

    ref: str
    notice_sent_on: date  # the written notice of the decision, with the right to appeal
    mediation_contacted_on: date | None = None
    mediation_wanted: bool | None = None
    certificate_issued_on: date | None = None
    appeal_registered_on: date | None = None
    certificate_needed: bool = True  # False for an appeal only about section I
    order: str | None = None  # "make_plan" | "assess" | "amend"
    order_on: date | None = None  # the order, or the day the council told the Tribunal it would not oppose
    first_step_on: date | None = None  # draft plan issued (make_plan) or family told of the assessment (assess)
    complied_on: date | None = None  # final or amended plan issued, or (assess) the decision not to issue one
    mediation_held_on: date | None = None
    compliance: str | None = None  # "final_plan" | "amended_plan" | "no_plan": how the order was complied with


@dataclass(frozen=True)
class CaseFacts:
    """What has happened on an EHC needs assessment case, as dates."""

    received_on: date
    decision_on: date | None = None
    decision: str | None = None  # "assess" | "not_assess"
    advice: tuple[AdviceClock, ...] = ()
    outcome_on: date | None = None
    outcome: str | None = None  # "issue" | "not_issue"
    draft_served_on: date | None = None
    comments_received_on: date | None = None
    final_issued_on: date | None = None
    last_review_decision_on: date | None = None
    withdrawn_on: date | None = None
    exceptions: tuple[ExceptionRecord, ...] = ()
    reviews: tuple[ReviewClock, ...] = ()
    amendments: tuple[AmendmentClock, ...] = ()
    phase_transfer: PhaseTransferClock | None = None  # the next phase transfer (reg 18; ehcflow.transfers)
    cessation: CessationClock | None = None  # ehcflow.ceasing
    la_transfers: tuple[LaTransferClock, ...] = ()  # ehcflow.moves
    disagreements: tuple[DisagreementClock, ...] = ()  # ehcflow.appeals
    reassessments: tuple[ReassessmentClock, ...] = ()  # ehcflow.reassessment


@dataclass(frozen=True)
class Deadline:
    """A computed deadline and where the case stands against it."""

    key: str
    label: str
    due: date
    source: str
    status: str
    met_on: date | None = None  # the day the step was done, if done
    ref: str | None = None  # advice ref for advice_due
    exception: ExceptionRecord | None = None
    family: bool = False  # the family's own time limit, shown as information, never the council's work

    @property
    def done(self) -> bool:
        """True when the step happened, or can no longer happen (not applicable)."""
        return self.met_on is not None or self.status == STATUS_NOT_APPLICABLE

    def days_left(self, today: date) -> int:
        """Calendar days from today to the due date; negative once it has passed."""
        return (self.due - today).days


def validate_exception(facts: CaseFacts, record: ExceptionRecord) -> None:
    """Raise ValueError in plain words unless the reason fits the deadline.

    Set A covers the 6-week decision, the 16-week decision and the 20-week plan; Set B
    covers one advice request (its ref must exist on the case). Nothing else has
    exceptions, including a refusal to assess (reg 4(1) has no exceptions). Evidence is
    required (Code 9.43).
    """
    key = record.deadline_key
    if key in _SET_A_KEYS:
        if key == "decision_to_assess" and facts.decision == "not_assess":
            raise ValueError("no exceptions apply to the 6-week notice of a decision not to assess (reg 4(1))")
        _check_reason(record.reason, SET_A_REASONS, "Set A (regs 10(4) and 13(3))")
    elif key == "reassessment_plan":  # ehcflow.reassessment: Set A lifts reg 27(2) too
        _validate_reassessment_exception(facts, record)
    elif key in _SET_B_KEYS:
        _check_reason(record.reason, SET_B_REASONS, "Set B (reg 8(2))")
        refs = [clock.ref for clock in facts.advice]
        if record.ref is None:
            raise ValueError("an advice exception must name the advice request it applies to")
        if record.ref not in refs:
            raise ValueError(f"there is no advice request {record.ref!r} on this case")
    else:
        raise ValueError(NO_EXCEPTIONS_MESSAGE)
    if not record.evidence.strip():
        raise ValueError("an exception needs evidence saying why the time limit could not be met")


def _check_reason(reason: str, allowed: dict[str, str], set_name: str) -> None:
    if reason not in allowed:
        raise ValueError(
            f"{reason!r} is not an exception for this deadline; {set_name} allows only " + ", ".join(allowed)
        )


def _find_exception(facts: CaseFacts, key: str, ref: str | None = None) -> ExceptionRecord | None:
    """Return the first valid exception for this deadline; invalid ones are ignored."""
    for record in facts.exceptions:
        if record.deadline_key != key or (ref is not None and record.ref != ref):
            continue
        try:
            validate_exception(facts, record)
        except ValueError:
            continue
        return record
    return None


def _status(
    due: date,
    met_on: date | None,
    today: date,
    exception: ExceptionRecord | None,
    withdrawn_on: date | None,
) -> tuple[str, ExceptionRecord | None]:
    """Apply the status rules in the module docstring.

    Returns the exception only when it is used.
    """
    if met_on is not None and met_on <= due:
        return STATUS_MET, None
    if met_on is None and withdrawn_on is not None:
        return STATUS_NOT_APPLICABLE, None
    if exception is not None:
        return STATUS_EXCEPTION, exception
    if met_on is not None or today > due:
        return STATUS_MISSED, None
    return STATUS_OPEN, None


def _deadline(
    facts: CaseFacts,
    key: str,
    due: date,
    met_on: date | None,
    today: date,
    ref: str | None = None,
    not_applicable: bool = False,
) -> Deadline:
    rule = RULES[key]
    if not_applicable:
        return Deadline(rule.key, rule.label, due, rule.source, STATUS_NOT_APPLICABLE, None, ref)
    exception = _find_exception(facts, key, ref) if rule.exception_set else None
    status, used = _status(due, met_on, today, exception, facts.withdrawn_on)
    return Deadline(rule.key, rule.label, due, rule.source, status, met_on, ref, used)


def case_deadlines(facts: CaseFacts, today: date) -> list[Deadline]:
    """Return the case's deadlines, sorted by due date then key (then advice ref)."""
    if _transfer_in(facts) is not None:  # a plan received from another council: only what follows it here
        return _sorted(_moves_and_ceasing(facts, _after_the_plan(facts, today), today))
    received = facts.received_on
    not_assess = facts.decision == "not_assess"
    issued = facts.outcome == "issue" or facts.final_issued_on is not None
    not_issue = facts.outcome == "not_issue"

    deadlines = [
        # Met by the decision either way; a refusal is notified under reg 4(1), a yes
        # under reg 5(1).
        _deadline(
            facts,
            "decision_to_assess",
            RULES["decision_to_assess"].due(received),
            facts.decision_on,
            today,
        ),
    ]
    for clock in facts.advice:
        deadlines.append(
            _deadline(
                facts,
                "advice_due",
                RULES["advice_due"].due(clock.clock_starts_on),
                clock.returned_on,
                today,
                ref=clock.ref,
                # Advice never returned stops being awaited once the assessment has ended
                # (refused, no plan, or the final plan issued without it).
                not_applicable=clock.returned_on is None and (not_assess or not_issue or facts.final_issued_on is not None),
            )
        )
    deadlines.append(
        _deadline(
            facts,
            "decision_not_to_issue",
            RULES["decision_not_to_issue"].due(received),
            facts.outcome_on if not_issue else None,
            today,
            not_applicable=not_assess or (issued and not not_issue),
        )
    )
    if facts.draft_served_on is not None:
        deadlines.append(_comments_deadline(facts, facts.draft_served_on, today))
    deadlines.append(
        _deadline(
            facts,
            "final_plan",
            RULES["final_plan"].due(received),
            facts.final_issued_on,
            today,
            not_applicable=(not_assess or not_issue) and facts.final_issued_on is None,
        )
    )
    if facts.final_issued_on is not None:
        deadlines.extend(_after_the_plan(facts, today))
    deadlines = _moves_and_ceasing(facts, deadlines, today)
    deadlines.extend(_disagreement_deadlines(facts, today))  # ehcflow.appeals
    return sorted(deadlines, key=lambda d: (d.due, d.key, d.ref or ""))


def _after_the_plan(facts: CaseFacts, today: date) -> list[Deadline]:
    """Annual reviews and amendments. None of these deadlines has exceptions (reference §0.4).

    The 12-month review decision (CFA s.44(1)) runs from the plan, then from each review decision
    notified: each recorded decision meets the one before it, and the next is always pending.
    A plan finalised after a re-assessment starts the 12 months again (`_review_chain_events`; the
    decision and its sources are in ehcflow.reassessment.services).
    """
    out: list[Deadline] = []
    decided = sorted((r for r in facts.reviews if r.decision_on is not None), key=lambda r: (r.decision_on, r.ref))
    key, start = "first_review_decision", facts.final_issued_on
    legacy = facts.last_review_decision_on
    if legacy is not None and legacy not in {r.decision_on for r in decided} and legacy > start:
        # A review decision loaded from the council's history, with no review recorded here.
        key, start = "review_decision_next", legacy
    since = None  # ehcflow.reassessment: the re-assessment whose plan the running 12 months start from
    for on, review, clock in _review_chain_events(facts, decided):
        if on < start:
            continue
        if clock is not None:  # ehcflow.reassessment: a plan finalised after a re-assessment
            if on > start:
                out.append(_review_overtaken(facts, key, start, clock, today))
            key, start, since = "review_decision_next", on, clock
            continue
        out.append(_review_from(_deadline(facts, key, RULES[key].due(start), review.decision_on, today,
                                          ref=review.ref), since))
        key, start, since = "review_decision_next", review.decision_on, None
    out.append(_review_from(_deadline(facts, key, RULES[key].due(start), None, today), since))
    for review in facts.reviews:
        if review.meeting_on is None:
            continue
        meeting = review.meeting_on
        out.append(_deadline(facts, "review_notice", RULES["review_notice"].due(meeting),
                             review.invitations_sent_on, today, ref=review.ref))
        out.append(_deadline(facts, "review_report", RULES["review_report"].due(meeting),
                             review.report_received_on, today, ref=review.ref))
        out.append(_deadline(facts, "review_decision", RULES["review_decision"].due(meeting),
                             review.decision_on, today, ref=review.ref))
    for amendment in facts.amendments:
        proposals = amendment.proposals_sent_on
        out.append(_family_period("amendment_representations_close", RULES["amendment_representations_close"].due(
            proposals), amendment.representations_received_on, today, facts.withdrawn_on, ref=amendment.ref))
        # reg 22(3)-(4): 8 weeks from sending the proposals (the rule's own due() counts from the meeting,
        # for the public calculator; with the proposals sent on the 4-week decision day they agree).
        out.append(_deadline(facts, "amended_plan_final", amended_plan_final_from_proposals_due(proposals),
                             amendment.completed_on, today, ref=amendment.ref))
    if facts.phase_transfer is not None:  # reg 18(1)-(2); no exceptions (reference §0.4)
        clock = facts.phase_transfer
        out.append(_deadline(facts, "phase_transfer_amendment", clock.due_on, clock.completed_on, today, ref=clock.ref))
    out.extend(_reassessment_deadlines(facts, today))  # ehcflow.reassessment
    return out


def _family_period(key: str, due: date, replied_on: date | None, today: date, withdrawn_on: date | None,
                   ref: str | None = None) -> Deadline:
    """A period that is the family's time, not the LA's: met once it ends or they reply."""
    rule = RULES[key]
    if replied_on is not None:
        return Deadline(rule.key, rule.label, due, rule.source, STATUS_MET, replied_on, ref)
    if today > due:
        return Deadline(rule.key, rule.label, due, rule.source, STATUS_MET, due, ref)
    if withdrawn_on is not None:
        return Deadline(rule.key, rule.label, due, rule.source, STATUS_NOT_APPLICABLE, None, ref)
    return Deadline(rule.key, rule.label, due, rule.source, STATUS_OPEN, None, ref)


def _comments_deadline(facts: CaseFacts, served_on: date, today: date) -> Deadline:
    """The family's 15-day comment period.

    It is their time, not the LA's, so it is met once it ends or they reply.
    """
    rule = RULES["draft_comments_close"]
    due = rule.due(served_on)
    if facts.comments_received_on is not None:
        return Deadline(
            rule.key,
            rule.label,
            due,
            rule.source,
            STATUS_MET,
            facts.comments_received_on,
        )
    if today > due:
        return Deadline(rule.key, rule.label, due, rule.source, STATUS_MET, due)
    if facts.withdrawn_on is not None:
        return Deadline(rule.key, rule.label, due, rule.source, STATUS_NOT_APPLICABLE)
    return Deadline(rule.key, rule.label, due, rule.source, STATUS_OPEN)


def next_deadline(deadlines: list[Deadline]) -> Deadline | None:
    """Return the earliest-due deadline still needing action.

    That is open, missed or exception_applies, and not done.
    """
    pending = [d for d in deadlines if not d.done and d.status in _OPEN_LIKE and not d.family]
    if not pending:
        return None
    return min(pending, key=lambda d: (d.due, d.key, d.ref or ""))


# --- Ceasing and moves between councils (ehcflow.ceasing, ehcflow.moves) ----------------------------

_REVIEW_CHAIN = frozenset({"first_review_decision", "review_decision_next"})


def _sorted(deadlines: list[Deadline]) -> list[Deadline]:
    return sorted(deadlines, key=lambda d: (d.due, d.key, d.ref or ""))


def _transfer_in(facts: CaseFacts) -> LaTransferClock | None:
    return next((t for t in facts.la_transfers if t.direction == "in" and t.transferred_on is not None), None)


def _moves_and_ceasing(facts: CaseFacts, deadlines: list[Deadline], today: date) -> list[Deadline]:
    """Add the transfer deadlines (regs 15(2), 15(4), 15(5), 16); once the plan has ceased, nothing after it is due.

    A plan received from another council is reviewed by the later of 12 months from the plan or its last
    review and 3 months from the transfer (reg 15(5)): that deadline replaces the first one of the 12-month
    chain, is met by the first review decision recorded here, and the chain runs on from that decision.
    A cancelled move out (the family did not move) has no deadlines. The reg 16 notice to the new health
    commissioning body has the reg 15(2) dates and is left out only when the officer answered that the move
    does not change that body.
    """
    out = list(deadlines)
    for t in facts.la_transfers:
        if t.direction == "out" and t.learnt_on is not None and t.cancelled_on is None:
            out.append(_deadline(facts, "plan_transfer", RULES["plan_transfer"].due(t.learnt_on, t.move_on),
                                 t.transferred_on, today, ref=t.ref))
            if t.health_body_changes is not False:  # reg 16
                out.append(_deadline(facts, "health_body_notice", RULES["health_body_notice"].due(
                    t.learnt_on, t.move_on), t.health_notified_on, today, ref=t.ref))
    incoming = _transfer_in(facts)
    if incoming is not None:
        arrived = incoming.transferred_on
        out.append(_deadline(facts, "transfer_family_notice", RULES["transfer_family_notice"].due(arrived),
                             incoming.family_notified_on, today, ref=incoming.ref))
        out = [d for d in out if d.key not in _REVIEW_CHAIN]
        decided = sorted((r for r in facts.reviews if r.decision_on is not None and r.decision_on >= arrived),
                         key=lambda r: (r.decision_on, r.ref))
        since = incoming.plan_or_last_review_on or facts.last_review_decision_on or facts.final_issued_on or arrived
        key, due, ref = "transfer_review", RULES["transfer_review"].due(arrived, since), incoming.ref
        for review in decided:
            out.append(_deadline(facts, key, due, review.decision_on, today, ref=ref if key == "transfer_review"
                                 else review.ref))
            key, due, ref = "review_decision_next", RULES["review_decision_next"].due(review.decision_on), None
        out.append(_deadline(facts, key, due, None, today, ref=ref))
    if facts.cessation is not None:
        ceased = facts.cessation.ceased_on
        out = [d if d.done or d.status == STATUS_MET or (d.met_on is not None and d.met_on <= ceased)
               else _not_applicable(d) for d in out]
    return out


def _not_applicable(d: Deadline) -> Deadline:
    return Deadline(d.key, d.label, d.due, d.source, STATUS_NOT_APPLICABLE, None, d.ref)


# --- Re-assessment of an issued plan (ehcflow.reassessment) ------------------------------------------

@dataclass(frozen=True)
class ReassessmentClock:
    """One request for a re-assessment of the plan and what became of it (SEND Regulations 2014 regs 24-27)."""

    ref: str
    requested_on: date
    decision: str | None = None  # "reassess" | "refuse"
    decision_on: date | None = None  # the day the decision was notified
    plan_issued_on: date | None = None  # the plan after re-assessment
    decision_days: int = 15  # [U] regs 24-25: configurable (settings.EHCFLOW_REASSESSMENT_DECISION_DAYS)
    exceptions: tuple[ExceptionRecord, ...] = ()  # Set A, for reassessment_plan (ref = this clock's ref)
    # [U] The plan after re-assessment starts the 12-month review clock again (CFA s.44(1); reg 27(1)):
    # configurable (settings.EHCFLOW_REASSESSED_PLAN_RESTARTS_REVIEW), see ehcflow.reassessment.services.
    restarts_review: bool = True


REVIEW_AFTER_REASSESSMENT_SOURCE = "Children and Families Act 2014 s.44(1); SEND Regulations 2014 reg 27(1)"


def _review_chain_events(facts: CaseFacts, decided: list[ReviewClock]):
    """Review decisions and plans finalised after a re-assessment, in date order, as (date, review, clock).

    On the same day the review decision comes first, so the plan after re-assessment starts the next 12 months.
    """
    events = [(r.decision_on, 0, r.ref, r, None) for r in decided]
    events += [(c.plan_issued_on, 1, c.ref, None, c) for c in facts.reassessments
               if c.decision == "reassess" and c.plan_issued_on is not None and c.restarts_review]
    return [(on, review, clock) for on, _, _, review, clock in sorted(events, key=lambda e: e[:3])]


def _review_from(d: Deadline, since: ReassessmentClock | None) -> Deadline:
    """A review deadline counted from a plan after re-assessment says so, with both sources."""
    if since is None:
        return d
    return replace(d, label=f"{d.label} (12 months from the plan after re-assessment)",
                   source=REVIEW_AFTER_REASSESSMENT_SOURCE)


def _review_overtaken(facts: CaseFacts, key: str, start: date, clock: ReassessmentClock, today: date) -> Deadline:
    """The review deadline running when a plan after re-assessment was finalised: its 12 months end there.

    Finalised by its due date, nothing was missed: not applicable. Finalised later, the review was already
    missed and stays missed (closed on the day of the new plan, so it is no longer work). Its ref names the
    re-assessment, so it never collides with the deadline that runs on from the new plan.
    """
    d = _deadline(facts, key, RULES[key].due(start), clock.plan_issued_on, today, ref=f"reassessment-{clock.ref}")
    d = replace(d, label=f"{d.label} (overtaken by the plan after re-assessment)",
                source=REVIEW_AFTER_REASSESSMENT_SOURCE)
    return _not_applicable(d) if clock.plan_issued_on <= d.due else d


def _validate_reassessment_exception(facts: CaseFacts, record: ExceptionRecord) -> None:
    """Set A lifts the 14-week plan after a decision to re-assess (reg 27(3)); it names that re-assessment."""
    _check_reason(record.reason, SET_A_REASONS, "Set A (reg 27(3))")
    if record.ref is None:
        raise ValueError("an exception to the re-assessment plan must name the re-assessment it applies to")
    clock = next((c for c in facts.reassessments if c.ref == record.ref), None)
    if clock is None:
        raise ValueError(f"there is no re-assessment {record.ref!r} on this plan")
    if clock.decision != "reassess":
        raise ValueError("exceptions apply only after a decision to re-assess (reg 27(2)-(3))")


def _reassessment_deadlines(facts: CaseFacts, today: date) -> list[Deadline]:
    """Per re-assessment: the decision on the request (regs 24-25, [U], no exceptions), met by the decision
    notified; after a decision to re-assess, the plan within 14 weeks of that notice (reg 27(2), Set A under
    reg 27(3)), met by the plan issued. An exception changes the status, never the date."""
    out: list[Deadline] = []
    for clock in facts.reassessments:
        out.append(_deadline(facts, "reassessment_decision",
                             RULES["reassessment_decision"].due(clock.requested_on, clock.decision_days),
                             clock.decision_on, today, ref=clock.ref))
        if clock.decision != "reassess" or clock.decision_on is None:
            continue
        rule = RULES["reassessment_plan"]
        exception = None
        for record in (*clock.exceptions, *facts.exceptions):
            if record.deadline_key != "reassessment_plan" or record.ref != clock.ref:
                continue
            try:
                validate_exception(facts, record)
            except ValueError:
                continue
            exception = record
            break
        due = rule.due(clock.decision_on)
        status, used = _status(due, clock.plan_issued_on, today, exception, facts.withdrawn_on)
        out.append(Deadline(rule.key, rule.label, due, rule.source, status, clock.plan_issued_on, clock.ref, used))
    return out


# --- Mediation, appeals and Tribunal orders (ehcflow.appeals) --------------------------------------

_ORDER_KEYS = {"make_plan": (("order_plan_draft", "first_step_on"), ("order_plan_final", "complied_on")),
               "assess": (("order_assess_notice", "first_step_on"),),  # then a plan or a no-plan decision
               "amend": (("order_amend", "complied_on"),)}


def _family_deadline(key: str, due: date, done_on: date | None, today: date, ref: str,
                     not_applicable: bool = False) -> Deadline:
    """The family's time limit, as information: met when they act, open until it passes, then not applicable."""
    rule = RULES[key]
    if done_on is not None:
        return Deadline(rule.key, rule.label, due, rule.source, STATUS_MET, done_on, ref, family=True)
    if not_applicable or today > due:
        return Deadline(rule.key, rule.label, due, rule.source, STATUS_NOT_APPLICABLE, None, ref, family=True)
    return Deadline(rule.key, rule.label, due, rule.source, STATUS_OPEN, None, ref, family=True)


def _disagreement_deadlines(facts: CaseFacts, today: date) -> list[Deadline]:
    """Mediation (regs 33-34 and the 30 days after), the appeal (HESC r.20(1)(c), r.12), orders (regs 44-45).

    The mediation contact and the appeal are the family's time limits: shown, never the council's next
    deadline. Mediation held, the certificates (the council's mediation adviser and mediator) and the orders
    are tracked as deadlines.
    """
    return [x for c in facts.disagreements for x in disagreement_deadlines(c, today, facts)]


def disagreement_deadlines(c: DisagreementClock, today: date, facts: CaseFacts | None = None) -> list[Deadline]:
    """One disagreement's deadlines, in the engine's order; also what the appeals work list shows per row."""
    facts = facts if facts is not None else CaseFacts(received_on=c.notice_sent_on)
    out: list[Deadline] = []
    out.append(_family_deadline("mediation_contact", RULES["mediation_contact"].due(c.notice_sent_on),
                                c.mediation_contacted_on, today, c.ref,
                                not_applicable=c.appeal_registered_on is not None))
    if c.mediation_contacted_on is not None and c.mediation_wanted is False:
        out.append(_deadline(facts, "mediation_certificate",
                             RULES["mediation_certificate"].due(c.mediation_contacted_on),
                             c.certificate_issued_on, today, ref=c.ref))
    if c.mediation_contacted_on is not None and c.mediation_wanted:
        out.extend(_mediation_deadlines(facts, c, today))
    out.append(_family_deadline("tribunal_appeal",
                                RULES["tribunal_appeal"].due(c.notice_sent_on, c.certificate_issued_on),
                                c.appeal_registered_on, today, c.ref))
    if c.order_on is not None:
        for key, attr in _ORDER_KEYS.get(c.order or "", ()):
            out.append(_deadline(facts, key, RULES[key].due(c.order_on), getattr(c, attr), today, ref=c.ref))
        if c.order == "assess":
            out.extend(_order_assess_outcome(facts, c, today))
    return out


def _mediation_deadlines(facts: CaseFacts, c: DisagreementClock, today: date) -> list[Deadline]:
    """Mediation wanted: held within 30 days, then the mediator's certificate within 3 working days; if it is
    not held in the 30 days, the certificate within 3 working days of their end (reference §3).

    Met by the dates recorded. Without mediation, a certificate issued (or an appeal only about section I
    registered) closes the 30 days: by their end it means the family left mediation (not applicable); after
    it, mediation was missed and the deadline is closed on that day, so it is no longer work. Once a late
    mediation is recorded, its own certificate deadline replaces the one for mediation not held.
    """
    wanted_on, held, certificate = c.mediation_contacted_on, c.mediation_held_on, c.certificate_issued_on
    appeal_without_certificate = certificate is None and c.appeal_registered_on is not None
    held_due = RULES["mediation_held"].due(wanted_on)
    closed_on = held if held is not None else certificate or c.appeal_registered_on
    left = held is None and closed_on is not None and closed_on <= held_due
    out = [_deadline(facts, "mediation_held", held_due, closed_on, today, ref=c.ref, not_applicable=left)]
    if held is not None:
        out.append(_deadline(facts, "mediation_certificate_after", RULES["mediation_certificate_after"].due(held),
                             certificate, today, ref=c.ref, not_applicable=appeal_without_certificate))
    elif not left and not appeal_without_certificate and (today > held_due or certificate is not None):
        out.append(_deadline(facts, "mediation_certificate_not_held",
                             RULES["mediation_certificate_not_held"].due(wanted_on), certificate, today, ref=c.ref))
    return out


def _order_assess_outcome(facts: CaseFacts, c: DisagreementClock, today: date) -> list[Deadline]:
    """After an order to assess: a decision not to issue a plan within 10 weeks, or the final plan within 14.

    The way the council complied makes the other deadline not applicable. Before it has complied both are
    pending, but the 10 weeks bind only a decision not to issue: once they pass with none recorded, only the
    plan remains due (a no-plan decision recorded later is still counted as missed).
    """
    no_plan, plan = c.compliance == "no_plan", c.compliance == "final_plan" or (
        c.complied_on is not None and c.compliance is None)  # recorded before the choice existed: a plan
    no_plan_due = RULES["order_assess_no_plan"].due(c.order_on)
    lapsed = c.complied_on is None and today > no_plan_due
    return [
        _deadline(facts, "order_assess_no_plan", no_plan_due, c.complied_on if no_plan else None, today, ref=c.ref,
                  not_applicable=plan or lapsed),
        _deadline(facts, "order_assess_plan", RULES["order_assess_plan"].due(c.order_on),
                  c.complied_on if plan else None, today, ref=c.ref, not_applicable=no_plan),
    ]
