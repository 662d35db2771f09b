"""Reads for re-assessments: the case page section and the engine's facts, from prefetched rows."""

import datetime

from django.conf import settings

from ehcflow.cases.checks import fmt_date
from ehcflow.cases.models import Case
from ehcflow.deadlines.calendar import add_months
from ehcflow.deadlines.engine import (
    REVIEW_AFTER_REASSESSMENT_SOURCE,
    STATUS_NOT_APPLICABLE,
    Deadline,
    ExceptionRecord,
    ReassessmentClock,
    case_deadlines,
)
from ehcflow.deadlines.rules import REASSESSMENT_DECISION_DAYS, mediation_contact_due, tribunal_appeal_due
from ehcflow.reassessment.services import reassessments_of


def decision_days() -> int:
    """Days for the decision on a request (regs 24-25, [U]): 15 unless the council configures otherwise."""
    return int(getattr(settings, "EHCFLOW_REASSESSMENT_DECISION_DAYS", REASSESSMENT_DECISION_DAYS))


def restarts_review() -> bool:
    """Whether the plan after re-assessment starts the 12-month review clock again ([U], see services): yes unless
    the council configures EHCFLOW_REASSESSED_PLAN_RESTARTS_REVIEW = False."""
    return bool(getattr(settings, "EHCFLOW_REASSESSED_PLAN_RESTARTS_REVIEW", True))


def reassessment_clocks(plan) -> tuple[ReassessmentClock, ...]:
    """The engine's view of the plan's re-assessments (uses `plan__reassessments__exceptions` if prefetched)."""
    if plan is None or not plan.issued_on:
        return ()
    days, restarts = decision_days(), restarts_review()
    return tuple(
        ReassessmentClock(
            ref=str(r.pk), requested_on=r.requested_on, decision=r.decision or None, decision_on=r.decision_on,
            plan_issued_on=r.plan_issued_on, decision_days=days, restarts_review=restarts,
            exceptions=tuple(ExceptionRecord(deadline_key="reassessment_plan", reason=e.reason, evidence=e.evidence,
                                             recorded_on=e.recorded_on, ref=str(r.pk))
                             for e in r.exceptions.all()))
        for r in reassessments_of(plan)
    )


REVIEW_CHAIN_KEYS = ("first_review_decision", "review_decision_next", "transfer_review")


def pending_review(deadlines: list[Deadline]) -> Deadline | None:
    """The annual review decision now running (CFA s.44(1)), from the engine's deadlines."""
    return next((d for d in deadlines if d.key in REVIEW_CHAIN_KEYS and d.met_on is None
                 and d.status != STATUS_NOT_APPLICABLE), None)


def next_review(case: Case, today: datetime.date) -> Deadline | None:
    """The running annual review deadline, read afresh (for a step that has just changed the re-assessment)."""
    from ehcflow.cases.selectors import case_facts
    from ehcflow.deadlines.materialise import facts_prefetch

    fresh = (Case.objects.select_related("decision", "plan", "child__setting").prefetch_related(*facts_prefetch())
             .get(pk=case.pk))
    return pending_review(case_deadlines(case_facts(fresh), today))


def recent_assessment_note(plan, requested_on: datetime.date) -> str:
    """Say so when the request came less than 6 months after the plan from the last assessment was issued.

    The council may then refuse unless it thinks a further assessment necessary (SEND Regulations 2014 reg 24 [S];
    Code of Practice 9.186-9.187). Guidance for the decision only: it is still the council's to make.
    """
    dates = [plan.issued_on] + [r.plan_issued_on for r in reassessments_of(plan)
                                if r.plan_issued_on is not None and r.plan_issued_on <= requested_on]
    last = max(d for d in dates if d is not None)
    if requested_on >= add_months(last, 6):
        return ""
    return (f"The plan from the last assessment was issued on {fmt_date(last)}, less than 6 months before this "
            "request: the council may refuse unless it thinks a further assessment is necessary (SEND Regulations "
            "2014 reg 24).")


def appeal_rights(decision_on: datetime.date) -> dict:
    """A refusal to re-assess is appealable (CFA s.51(2)(d)); mediation advice first (CFA s.55).

    Contact a mediation adviser within 2 months of the notice (reg 33); appeal by the later of 2 months after the
    notice and 1 month after a mediation certificate (HESC Rules r.20(1)(c), with r.12's adjustment).
    """
    return {"mediation_by": mediation_contact_due(decision_on), "appeal_by": tribunal_appeal_due(decision_on)}


def case_section(case: Case, today: datetime.date) -> dict | None:
    """What the case page's "Re-assessment" section shows, from the prefetched rows and the engine's deadlines."""
    try:
        plan = case.plan
    except Case.plan.RelatedObjectDoesNotExist:
        return None
    if not plan.issued_on:
        return None
    from ehcflow.cases.selectors import case_facts

    items = reassessments_of(plan)
    deadlines = case_deadlines(case_facts(case), today) if items else []
    by_key = {(d.key, d.ref): d for d in deadlines}
    rows = []
    for r in items:
        ref = str(r.pk)
        decision, plan_due = by_key.get(("reassessment_decision", ref)), by_key.get(("reassessment_plan", ref))
        rows.append({"item": r, "decision": decision, "plan": plan_due, "exceptions": list(r.exceptions.all()),
                     "decision_left": decision.days_left(today) if decision else None,
                     "plan_left": plan_due.days_left(today) if plan_due else None,
                     "appeal": appeal_rights(r.decision_on) if r.decision == "refuse" and r.decision_on else None})
    review = pending_review(deadlines)
    refused = [row for row in rows if row["appeal"]]
    latest_refusal = refused[-1] if refused and refused[-1]["appeal"]["appeal_by"] >= today else None
    return {"rows": rows, "open": next((r["item"] for r in rows if r["item"].is_open), None),
            "open_row": next((row for row in rows if row["item"].is_open), None),
            "next_review": review if review is not None and review.source == REVIEW_AFTER_REASSESSMENT_SOURCE
            else None, "latest_refusal": latest_refusal}
