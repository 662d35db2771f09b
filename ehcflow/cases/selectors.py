"""Reads of cases. Every list and page of case data comes through here, scoped by access."""

import datetime
from dataclasses import dataclass, replace

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from ehcflow.cases.access import cases_visible_to
from ehcflow.cases.models import CLOSED_STAGES, Case
from ehcflow.deadlines.engine import (
    AdviceClock,
    AmendmentClock,
    CaseFacts,
    Deadline,
    ExceptionRecord,
    ReviewClock,
    case_deadlines,
)

AMBER_DAYS = 14  # a deadline within two weeks is amber on caseloads

SORTS = {
    "deadline": ("next_deadline_due", "id"),
    "-deadline": ("-next_deadline_due", "-id"),
    "name": ("child__last_name", "child__first_name", "id"),
    "-name": ("-child__last_name", "-child__first_name", "-id"),
    "received": ("received_on", "id"),
    "-received": ("-received_on", "-id"),
    "stage": ("stage", "next_deadline_due", "id"),
    "-stage": ("-stage", "next_deadline_due", "id"),
}


def rag_for(due: datetime.date | None, today: datetime.date) -> str:
    """Red when overdue, amber within two weeks, green otherwise; blank with nothing due."""
    if due is None:
        return ""
    days = (due - today).days
    if days < 0:
        return "red"
    if days <= AMBER_DAYS:
        return "amber"
    return "green"


def case_list(
    *, user, stage: str = "", team: int | None = None, coordinator: int | None = None,
    rag: str = "", q: str = "", mine: bool = False, sort: str = "deadline", include_closed: bool = False,
) -> QuerySet[Case]:
    """Cases the user may see, filtered and sorted: one query however many rows."""
    qs = cases_visible_to(user).select_related("child", "child__team", "child__coordinator")
    if mine:
        qs = qs.filter(child__coordinator=user)
    if stage:
        qs = qs.filter(stage=stage)
    elif not include_closed:
        qs = qs.exclude(stage__in=[s.value for s in CLOSED_STAGES])
    if team:
        qs = qs.filter(child__team_id=team)
    if coordinator:
        qs = qs.filter(child__coordinator_id=coordinator)
    if q:
        for word in q.split()[:3]:
            qs = qs.filter(Q(child__last_name__icontains=word) | Q(child__first_name__icontains=word))
    today = timezone.localdate()
    if rag == "red":
        qs = qs.filter(next_deadline_due__lt=today)
    elif rag == "amber":
        qs = qs.filter(next_deadline_due__gte=today, next_deadline_due__lte=today + datetime.timedelta(days=AMBER_DAYS))
    elif rag == "green":
        qs = qs.filter(next_deadline_due__gt=today + datetime.timedelta(days=AMBER_DAYS))
    return qs.order_by(*SORTS.get(sort, SORTS["deadline"]))


def case_get(*, user, case_id: int) -> Case | None:
    """One case with everything its page shows, in a fixed number of queries; None if not visible."""
    from ehcflow.cases.models import TimelineEvent
    from ehcflow.plans.models import Need, Provision

    return (
        cases_visible_to(user)
        .select_related("child", "child__setting", "child__team", "child__coordinator", "decision", "plan",
                        "plan__named_setting")
        .prefetch_related(
            "child__carer_links__carer",
            "advice_requests",
            "comments__requested_setting",
            "consultations__setting",
            "exceptions__advice_request",
            Prefetch("timeline", queryset=TimelineEvent.objects.select_related("actor")),
            Prefetch("plan__needs", queryset=Need.objects.all()),
            "plan__outcomes",
            Prefetch("plan__provisions", queryset=Provision.objects.prefetch_related("needs", "outcomes")),
            "plan__reviews",
            "plan__amendments",
            "plan__phase_transfers__new_setting",  # ehcflow.transfers
            "plan__cessations",  # ehcflow.ceasing
            "plan__la_transfers",  # ehcflow.moves
        )
        .filter(pk=case_id)
        .first()
    )


def case_facts(case: Case) -> CaseFacts:
    """The engine's view of a case. Uses prefetched relations where the caller loaded them."""
    decision = getattr(case, "decision", None) if _has_related(case, "decision") else None
    plan = getattr(case, "plan", None) if _has_related(case, "plan") else None
    comments = list(case.comments.all())
    return CaseFacts(
        received_on=case.received_on,
        decision_on=decision.decided_on if decision else None,
        decision=decision.outcome if decision else None,
        advice=tuple(
            AdviceClock(ref=str(a.pk), label=f"{a.advisor} ({a.get_advice_type_display().lower()})", sent_on=a.sent_on,
                        received_on=a.received_on, returned_on=a.returned_on)
            for a in case.advice_requests.all()
        ),
        outcome_on=case.outcome_on,
        outcome=case.outcome or None,
        draft_served_on=plan.draft_served_on if plan else None,
        comments_received_on=min((c.received_on for c in comments), default=None),
        final_issued_on=plan.issued_on if plan else None,
        last_review_decision_on=plan.last_review_decision_on if plan else None,
        withdrawn_on=case.withdrawn_on,
        exceptions=tuple(
            ExceptionRecord(deadline_key=e.deadline_key, reason=e.reason, evidence=e.evidence,
                            recorded_on=e.recorded_on, ref=str(e.advice_request_id) if e.advice_request_id else None)
            for e in case.exceptions.all()
        ),
        reviews=tuple(
            ReviewClock(ref=str(r.pk), meeting_on=r.meeting_on, invitations_sent_on=r.invitations_sent_on,
                        report_received_on=r.report_received_on, decision=r.decision or None,
                        decision_on=r.decision_on)
            for r in plan.reviews.all()
        ) if plan and plan.issued_on else (),
        amendments=tuple(
            AmendmentClock(ref=str(a.pk), proposals_sent_on=a.proposals_sent_on,
                           representations_received_on=a.representations_received_on, completed_on=a.completed_on,
                           outcome=a.outcome or None)
            for a in plan.amendments.all()
        ) if plan and plan.issued_on else (),
        **_ceasing_and_moves_facts(plan),
        disagreements=_disagreement_clocks(case),  # ehcflow.appeals
        phase_transfer=_phase_transfer_clock(case, plan),  # ehcflow.transfers
        reassessments=_reassessment_clocks(plan),  # ehcflow.reassessment
    )


def _disagreement_clocks(case: Case) -> tuple:
    """Appealable decisions, mediation, appeals and orders, for the engine (ehcflow.appeals)."""
    if not hasattr(case, "disagreements"):
        return ()
    from ehcflow.appeals.selectors import disagreement_clock, disagreements_of

    return tuple(disagreement_clock(d) for d in disagreements_of(case))


def _reassessment_clocks(plan) -> tuple:
    """The plan's re-assessments, for the engine (ehcflow.reassessment)."""
    if plan is None or not hasattr(plan, "reassessments"):
        return ()
    from ehcflow.reassessment.selectors import reassessment_clocks

    return reassessment_clocks(plan)


def _phase_transfer_clock(case: Case, plan):
    """The child's next phase transfer (reg 18), from the date of birth, setting and recorded transfers."""
    from ehcflow.transfers.facts import phase_transfer_clock

    return phase_transfer_clock(case, plan)


def _ceasing_and_moves_facts(plan) -> dict:
    """The plan's ceasing and council-to-council transfers, for the engine (ehcflow.ceasing, ehcflow.moves)."""
    if plan is None or not plan.issued_on or not hasattr(plan, "cessations"):
        return {}
    from ehcflow.deadlines.engine import CessationClock, LaTransferClock

    ceased = next((c for c in plan.cessations.all() if c.ceased_on is not None), None)
    return {
        "cessation": CessationClock(ref=str(ceased.pk), ceased_on=ceased.ceased_on) if ceased else None,
        "la_transfers": tuple(
            LaTransferClock(ref=str(t.pk), direction=t.direction, learnt_on=t.learnt_on, move_on=t.move_on,
                            transferred_on=t.transferred_on, family_notified_on=t.family_notified_on,
                            plan_or_last_review_on=t.plan_or_last_review_on, cancelled_on=t.cancelled_on,
                            health_body_changes=t.health_body_changes, health_notified_on=t.health_notified_on)
            for t in plan.la_transfers.all()
        ),
    }


def _has_related(case: Case, name: str) -> bool:
    try:
        getattr(case, name)
    except Exception:  # RelatedObjectDoesNotExist for a missing one-to-one
        return False
    return True


@dataclass(frozen=True)
class DeadlineRow:
    """A deadline as a page shows it."""

    deadline: Deadline
    days_left: int
    rag: str


def case_deadline_rows(case: Case, today: datetime.date | None = None) -> list[DeadlineRow]:
    today = today or timezone.localdate()
    facts = case_facts(case)
    advice_labels = {a.ref: a.label for a in facts.advice}
    review_labels = {r.ref: f" (review meeting {r.meeting_on.day} {r.meeting_on:%B %Y})" for r in facts.reviews
                     if r.meeting_on}
    amendment_labels = {a.ref: f" (proposals sent {a.proposals_sent_on.day} {a.proposals_sent_on:%B %Y})"
                        for a in facts.amendments}
    rows = []
    for d in case_deadlines(facts, today):
        if d.key == "advice_due" and d.ref in advice_labels:  # say whose advice, not just "advice"
            d = replace(d, label=f"Advice from {advice_labels[d.ref]}")
        elif d.key in ("review_notice", "review_report", "review_decision") and d.ref in review_labels:
            d = replace(d, label=d.label + review_labels[d.ref])
        elif d.key in ("amendment_representations_close", "amended_plan_final") and d.ref in amendment_labels:
            d = replace(d, label=d.label + amendment_labels[d.ref])
        rag = "" if d.done or d.status == "not_applicable" else rag_for(d.due, today)
        rows.append(DeadlineRow(deadline=d, days_left=d.days_left(today), rag=rag))
    return rows


def submission_seen(token: str | None) -> bool:
    """Whether a form with this one-time token was already recorded."""
    import uuid

    from ehcflow.cases.models import SubmissionToken

    try:
        value = uuid.UUID(str(token))
    except ValueError:
        return False
    return SubmissionToken.objects.filter(token=value).exists()
