"""Writes for re-assessing an issued plan: request, decision, Set A exception, plan after re-assessment.

Every step runs in `case_step` (access, one-time token, version compare-and-swap, deadline refresh) and writes
one timeline event. `step_refusal` is the one statement of when each step is possible; pages offer only the
steps valid now and the services refuse with the same words.

Legal sources: CFA 2014 s.44(2) (re-assessment on request or the council's initiative); SEND Regulations 2014
regs 24-25 (decision on a request: 15 days [U], configurable as EHCFLOW_REASSESSMENT_DECISION_DAYS), reg 27(2)
(plan within 14 weeks of notifying the decision to re-assess) and reg 27(3) (Set A exceptions); CFA s.51(2)
(a refusal to re-assess is appealable).

Conflicts (decided here): one re-assessment open at a time. A request is always recorded, so its clock runs.
A decision to re-assess is refused while proposed amendments are open (reg 22): both change the plan's content
through the same plan steps, so finish the amendment first (or refuse). The plan after re-assessment cannot be
issued while an amendment is open, for the same reason. An annual review may run alongside.

The annual review after a re-assessment (decided here; [U], configurable). CFA s.44(1) requires a review within
12 months of the plan being made and then within 12 months of each previous review. Following a re-assessment
the council amends or replaces the plan with the steps of making one (reg 27(1): regs 11-14, CFA ss.33, 38-40;
Code of Practice 9.186-9.193), and the plan it finalises is a plan made on that day. So the next review decision is
due 12 months from the later of the last review decision and the date the plan after re-assessment was issued
(`ehcflow.deadlines.engine._review_chain_events`). The review deadline running at that date ends there: not
applicable if the new plan came by its due date, still missed if it had already passed. A council that reads
s.44(1) as running only from reviews sets EHCFLOW_REASSESSED_PLAN_RESTARTS_REVIEW = False. The plan after
re-assessment is kept as a plan version of its own kind ("reassessed"), so the versions page and timeline say
what happened.
"""

import datetime
import uuid

from django.db.models import Prefetch, prefetch_related_objects

from ehcflow.cases.checks import fmt_date, not_before, not_future, plan_of
from ehcflow.cases.models import Case, Stage
from ehcflow.cases.services import timeline_record, audited_by, case_step
from ehcflow.core.errors import StepRefused
from ehcflow.deadlines import engine
from ehcflow.plans.models import Plan
from ehcflow.plans.services import plan_is_being_amended, plan_version_record
from ehcflow.reassessment.models import ReassessDecision, Reassessment, ReassessmentException, RequestedBy

REASSESSMENT_STEPS = ("reassess-request", "reassess-decide", "reassess-exception", "reassess-plan")
REASSESSED_KIND = "reassessed"  # PlanVersion.kind of the plan after re-assessment


def reassessments_of(plan: Plan) -> list[Reassessment]:
    """The plan's re-assessments with their exceptions, loaded once per plan object (two queries at most).

    Loaded here rather than in `case_get`, so a case page before the plan is issued pays nothing for them.
    """
    if "reassessments" not in getattr(plan, "_prefetched_objects_cache", {}):
        prefetch_related_objects([plan], Prefetch("reassessments",
                                                  queryset=Reassessment.objects.prefetch_related("exceptions")))
    return list(plan.reassessments.all())


def open_reassessment(plan: Plan) -> Reassessment | None:
    return next((r for r in reassessments_of(plan) if r.is_open), None)


def plan_is_being_reassessed(plan: Plan) -> bool:
    """A decision to re-assess is recorded and the plan after re-assessment is not issued yet."""
    return any(r.is_open and r.decision == ReassessDecision.REASSESS for r in reassessments_of(plan))


def step_refusal(slug: str, case: Case, target=None) -> str | None:
    """Why this re-assessment step is not possible on this case now, or None when it is."""
    plan = plan_of(case)
    if case.stage != Stage.PLAN_ISSUED or plan is None or not plan.issued_on:
        return "A plan can be re-assessed only while it is maintained (after the final plan is issued)."
    current = open_reassessment(plan)
    if slug == "reassess-request":
        if current is not None:
            return (f"A re-assessment requested on {fmt_date(current.requested_on)} is still open. Finish it before "
                    "recording another.")
        return None
    item = target if isinstance(target, Reassessment) else current
    if item is None or not item.is_open:
        return "There is no open re-assessment: record the request first."
    if slug == "reassess-decide":
        if item.decision:
            return "The decision on this request was already recorded."
        return None
    if item.decision != ReassessDecision.REASSESS:
        return "This step is possible only after a decision to re-assess."
    if slug == "reassess-plan" and plan_is_being_amended(plan):
        return ("Proposed amendments to this plan are open (reg 22): finish them before issuing the plan after "
                "re-assessment.")
    return None


def _check(slug: str, case: Case, target=None) -> None:
    reason = step_refusal(slug, case, target)
    if reason:
        raise StepRefused(reason)


def reassessment_request(*, actor, plan: Plan, version: int | None, token: uuid.UUID | None,
                         requested_on: datetime.date, requested_by: str, reasons: str = "") -> Reassessment:
    """Record a request for a re-assessment (or the council's own initiative): its decision is due in 15 days."""
    case = plan.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("reassess-request", case)
        if requested_by not in RequestedBy.values:
            raise StepRefused({"requested_by": "Select who asked for the re-assessment"})
        not_future(requested_on, "requested_on")
        not_before(requested_on, plan.issued_on, "requested_on", "the date the plan was issued")
        item = audited_by(Reassessment(la_id=case.la_id, plan=plan, requested_on=requested_on,
                                       requested_by=requested_by, reasons=reasons), actor)
        item.save()
        timeline_record(case=case, actor=actor, kind="reassessment_requested", occurred_on=requested_on,
                  summary=f"Re-assessment requested ({RequestedBy(requested_by).label.lower()}); the council "
                          "decides whether to re-assess (SEND Regulations 2014 regs 24-25)", reason=reasons)
    return item


def reassessment_decision_record(*, actor, reassessment: Reassessment, version: int | None,
                                 token: uuid.UUID | None, decision: str, decision_on: datetime.date,
                                 reasons: str = "") -> Reassessment:
    """The decision, as notified. A refusal is appealable to the SEND Tribunal (CFA s.51(2)) and closes it."""
    case = reassessment.plan.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("reassess-decide", case, reassessment)
        if decision not in ReassessDecision.values:
            raise StepRefused({"decision": "Select whether to re-assess"})
        not_future(decision_on, "decision_on")
        not_before(decision_on, reassessment.requested_on, "decision_on", "the date of the request")
        if decision == ReassessDecision.REASSESS and plan_is_being_amended(reassessment.plan):
            raise StepRefused({"decision": "Proposed amendments to this plan are open (SEND Regulations 2014 reg "
                                           "22): issue the amended plan or a notice of not amending before deciding "
                                           "to re-assess, or refuse the request."})
        if decision == ReassessDecision.REFUSE and not reasons.strip():
            raise StepRefused({"reasons": "Enter the reasons for refusing: the family is told them with their "
                                          "right to appeal"})
        reassessment.decision, reassessment.decision_on = decision, decision_on
        reassessment.reasons = reasons or reassessment.reasons
        if decision == ReassessDecision.REFUSE:
            reassessment.completed_on = decision_on
            summary = ("Decided not to re-assess the plan; the family was told of their right to appeal to the "
                       "SEND Tribunal (Children and Families Act 2014 s.51(2)) and to mediation")
        else:
            from ehcflow.deadlines.rules import reassessment_plan_due

            summary = (f"Decided to re-assess the plan: the plan after re-assessment is due by "
                       f"{fmt_date(reassessment_plan_due(decision_on))} (SEND Regulations 2014 reg 27(2))")
        audited_by(reassessment, actor).save()
        timeline_record(case=case, actor=actor, kind="reassessment_decision", occurred_on=decision_on, summary=summary,
                  reason=reasons)
    return reassessment


def reassessment_exception_record(*, actor, reassessment: Reassessment, version: int | None,
                                  token: uuid.UUID | None, reason: str, evidence: str,
                                  recorded_on: datetime.date) -> ReassessmentException:
    """A Set A exception to the 14-week plan (reg 27(3)). It changes the deadline's status, never its date."""
    from ehcflow.cases.selectors import case_facts

    case = reassessment.plan.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("reassess-exception", case, reassessment)
        not_future(recorded_on, "recorded_on")
        not_before(recorded_on, reassessment.decision_on, "recorded_on", "the decision to re-assess")
        record = engine.ExceptionRecord(deadline_key="reassessment_plan", reason=reason, evidence=evidence,
                                        recorded_on=recorded_on, ref=str(reassessment.pk))
        try:
            engine.validate_exception(case_facts(case), record)
        except ValueError as exc:
            raise StepRefused({"reason": str(exc)}) from None
        row = audited_by(ReassessmentException(la_id=case.la_id, reassessment=reassessment, reason=reason,
                                               evidence=evidence, recorded_on=recorded_on, recorded_by=actor), actor)
        row.save()
        timeline_record(case=case, actor=actor, kind="exception_recorded", occurred_on=recorded_on,
                  summary=f"Exception {reason} recorded for: plan after re-assessment (reg 27(3)); the family "
                          "should be told", reason=evidence)
    return row


def reassessment_plan_issue(*, actor, reassessment: Reassessment, version: int | None, token: uuid.UUID | None,
                            plan_issued_on: datetime.date) -> Reassessment:
    """The plan after re-assessment was issued: kept as the plan's next version; the re-assessment closes."""
    case = reassessment.plan.case
    plan = reassessment.plan
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("reassess-plan", case, reassessment)
        not_future(plan_issued_on, "plan_issued_on")
        not_before(plan_issued_on, reassessment.decision_on, "plan_issued_on", "the decision to re-assess")
        reassessment.plan_issued_on = reassessment.completed_on = plan_issued_on
        audited_by(reassessment, actor).save()
        row = plan_version_record(actor=actor, plan=plan, kind=REASSESSED_KIND, issued_on=plan_issued_on)
        from ehcflow.reassessment.selectors import next_review

        review = next_review(case, plan_issued_on)
        then = (f"; next annual review decision due by {fmt_date(review.due)}" if review is not None
                and review.source == engine.REVIEW_AFTER_REASSESSMENT_SOURCE else "")
        timeline_record(case=case, actor=actor, kind="reassessment_plan_issued", occurred_on=plan_issued_on,
                        summary=f"Plan issued after re-assessment (version {row.number}); family told of their "
                                f"right to appeal{then}")
    return reassessment
