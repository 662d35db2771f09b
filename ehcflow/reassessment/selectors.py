"""Reads for re-assessments: the case page section and the engine's facts, from prefetched rows."""

import datetime

from django.conf import settings

from ehcflow.cases.models import Case
from ehcflow.deadlines.engine import ExceptionRecord, ReassessmentClock
from ehcflow.deadlines.rules import REASSESSMENT_DECISION_DAYS, reassessment_decision_due, reassessment_plan_due
from ehcflow.reassessment.services import reassessments_of


def decision_days() -> int:
    """Days for the decision on a request (regs 24-25, [U]): 15 unless the council configures otherwise."""
    return int(getattr(settings, "EHCFLOW_REASSESSMENT_DECISION_DAYS", REASSESSMENT_DECISION_DAYS))


def reassessment_clocks(plan) -> tuple[ReassessmentClock, ...]:
    """The engine's view of the plan's re-assessments (uses `plan__reassessments__exceptions` if prefetched)."""
    if plan is None or not plan.issued_on:
        return ()
    days = decision_days()
    return tuple(
        ReassessmentClock(
            ref=str(r.pk), requested_on=r.requested_on, decision=r.decision or None, decision_on=r.decision_on,
            plan_issued_on=r.plan_issued_on, decision_days=days,
            exceptions=tuple(ExceptionRecord(deadline_key="reassessment_plan", reason=e.reason, evidence=e.evidence,
                                             recorded_on=e.recorded_on, ref=str(r.pk))
                             for e in r.exceptions.all()))
        for r in reassessments_of(plan)
    )


def case_section(case: Case, today: datetime.date) -> dict | None:
    """What the case page's "Re-assessment" section shows, from the prefetched rows."""
    try:
        plan = case.plan
    except Case.plan.RelatedObjectDoesNotExist:
        return None
    if not plan.issued_on:
        return None
    days = decision_days()
    rows = []
    for r in reassessments_of(plan):
        rows.append({"item": r, "decision_due": reassessment_decision_due(r.requested_on, days),
                     "plan_due": reassessment_plan_due(r.decision_on) if r.decision == "reassess" and r.decision_on
                     else None, "exceptions": list(r.exceptions.all())})
    return {"rows": rows, "open": next((r["item"] for r in rows if r["item"].is_open), None)}
