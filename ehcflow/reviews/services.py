"""Writes for annual reviews and amendments: every step after the final plan is issued.

Each step runs in `case_step` (one-time token, version compare-and-swap, access, deadline refresh) and
writes one timeline event; history rows come from django-simple-history. The preconditions of each
step live in `step_refusal`, which the pages also use to offer only the steps valid now.

Legal sources: CFA 2014 s.44(1) (review within 12 months); SEND Regulations 2014 reg 20 (meeting,
invitations 2 weeks before, report 2 weeks after, decision within 4 weeks), reg 20(6) (preparation for
adulthood from Year 9), reg 22 (proposals, 15 days for representations, final amended plan within 8 weeks);
R (L, M & P) v Devon CC [2022] EWHC 493 (Admin) (proposed amendments go with the decision).
"""

import datetime
import uuid

from django.utils import timezone

from ehcflow.cases.checks import fmt_date, not_before, not_future, plan_of
from ehcflow.cases.models import Case, Stage
from ehcflow.cases.services import timeline_record, audited_by, case_step
from ehcflow.core.errors import StepRefused
from ehcflow.deadlines.rules import (
    amended_plan_final_from_proposals_due,
    amendment_representations_close_due,
    preparing_for_adulthood,
    review_decision_due,
    review_notice_due,
)
from ehcflow.people.models import Setting
from ehcflow.plans.models import Plan
from ehcflow.plans.services import plan_is_being_amended, plan_version_record
from ehcflow.reviews.models import Amendment, AmendmentOutcome, AnnualReview, ReviewDecision

PLAN_CONTENT_STEPS = ("plan-sections", "need", "plan-outcome", "provision")





def open_review(plan: Plan) -> AnnualReview | None:
    return next((r for r in plan.reviews.all() if r.is_open), None)


def open_amendment(plan: Plan) -> Amendment | None:
    return next((a for a in plan.amendments.all() if a.is_open), None)



def _being_reassessed(plan: Plan) -> bool:
    from ehcflow.plans.services import _plan_is_being_reassessed  # ehcflow.reassessment

    return _plan_is_being_reassessed(plan)


def step_refusal(slug: str, case: Case, target=None) -> str | None:
    """Why this step is not possible on this case now, or None when it is. One rule for pages and services."""
    plan = plan_of(case)
    if case.stage != Stage.PLAN_ISSUED or plan is None:
        return "Annual reviews and amendments are possible only once the final plan is issued."
    review = target if isinstance(target, AnnualReview) else open_review(plan)
    amendment = target if isinstance(target, Amendment) else open_amendment(plan)
    if slug == "review-arrange":
        if open_review(plan) is not None:
            return "This plan already has an annual review open. Record its decision before arranging another."
        if open_amendment(plan) is not None:
            return "Finish the open amendment (issue the amended plan or a notice) before arranging another review."
        return None
    if slug.startswith("review-"):
        if review is None or not review.is_open:
            return "There is no open annual review: arrange one first."
        if slug == "review-invitations" and review.invitations_sent_on is not None:
            return f"Invitations were already recorded as sent on {fmt_date(review.invitations_sent_on)}."
        if slug == "review-meeting" and review.held_on is not None:
            return f"The review meeting was already recorded as held on {fmt_date(review.held_on)}."
        if slug == "review-report":
            if review.held_on is None:
                return "A review report can be recorded only after the review meeting has been held."
            if review.report_received_on is not None:
                return f"The review report was already recorded as received on {fmt_date(review.report_received_on)}."
        if slug == "review-decision":
            if review.held_on is None:
                return "The review decision can be recorded only after the review meeting has been held."
            if review.report_received_on is None:
                return "Record the review report first: the council decides after receiving it (reg 20)."
        return None
    if slug in PLAN_CONTENT_STEPS and _being_reassessed(plan):  # ehcflow.reassessment: reg 27
        return None
    if slug.startswith("amendment-") or slug in PLAN_CONTENT_STEPS:
        if amendment is None or not amendment.is_open:
            return ("There are no open proposed amendments: the plan changes only after a review decision to "
                    "amend it.")
        if slug == "amendment-representations" and amendment.representations_received_on is not None:
            return "The family's representations were already recorded."
        return None
    return None


def _check(slug: str, case: Case, target=None) -> None:
    reason = step_refusal(slug, case, target)
    if reason:
        raise StepRefused(reason)


# --- Annual review ---------------------------------------------------------------------------------

def review_arrange(*, actor, plan: Plan, version: int | None, token: uuid.UUID | None, meeting_on: datetime.date,
                   arranged_by: str = "la", notes: str = "") -> AnnualReview:
    """Arrange the review meeting (reg 20(1)-(2)); invitations must go out 2 weeks before it (reg 20(3)-(4))."""
    case = plan.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("review-arrange", case)
        not_before(meeting_on, plan.issued_on, "meeting_on", "the date the plan was issued")
        if arranged_by not in dict(AnnualReview.ARRANGED_BY):
            raise StepRefused({"arranged_by": "Choose who arranges the meeting"})
        review = audited_by(AnnualReview(la_id=case.la_id, plan=plan, meeting_on=meeting_on,
                                         arranged_by=arranged_by, notes=notes), actor)
        review.save()
        who = "the council" if arranged_by == "la" else "the school or college"
        timeline_record(case=case, actor=actor, kind="review_arranged", occurred_on=timezone.localdate(),
                  summary=f"Annual review meeting arranged by {who} for {fmt_date(meeting_on)}; invitations and advice "
                          f"to go out by {fmt_date(review_notice_due(meeting_on))}", reason=notes)
    return review


def review_invitations_record(*, actor, review: AnnualReview, version: int | None, token: uuid.UUID | None,
                              sent_on: datetime.date) -> AnnualReview:
    """Invitations and the advice gathered sent to everyone invited (reg 20(3)-(4))."""
    case = review.plan.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("review-invitations", case, review)
        not_future(sent_on, "sent_on")
        not_before(sent_on, review.plan.issued_on, "sent_on", "the date the plan was issued")
        if sent_on > review.meeting_on:
            raise StepRefused({"sent_on": f"Invitations must be sent before the meeting ({fmt_date(review.meeting_on)})"})
        review.invitations_sent_on = sent_on
        audited_by(review, actor).save()
        late = sent_on > review_notice_due(review.meeting_on)
        timeline_record(case=case, actor=actor, kind="review_invitations_sent", occurred_on=sent_on,
                  summary="Invitations and advice for the annual review meeting sent"
                          + ("; less than 2 weeks before the meeting (reg 20(3)-(4))" if late else ""))
    return review


def review_meeting_record(*, actor, review: AnnualReview, version: int | None, token: uuid.UUID | None,
                          held_on: datetime.date, pfa_discussed: bool = False, notes: str = "") -> AnnualReview:
    """The review meeting was held. From Year 9 it must consider preparation for adulthood (reg 20(6))."""
    plan = review.plan
    case = plan.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("review-meeting", case, review)
        not_future(held_on, "held_on")
        not_before(held_on, plan.issued_on, "held_on", "the date the plan was issued")
        if preparing_for_adulthood(case.child.date_of_birth, held_on) and not pfa_discussed:
            raise StepRefused({"pfa_discussed": "From Year 9 every review must consider preparation for adulthood "
                                                "(SEND Regulations 2014 reg 20(6)). Record that it was discussed."})
        review.meeting_on = review.held_on = held_on
        review.pfa_discussed = pfa_discussed
        if notes:
            review.notes = f"{review.notes}\n\n{notes}".strip()
        audited_by(review, actor).save()
        timeline_record(case=case, actor=actor, kind="review_meeting_held", occurred_on=held_on,
                  summary=f"Annual review meeting held; the council's decision is due by "
                          f"{fmt_date(review_decision_due(held_on))}"
                          + ("; preparation for adulthood discussed" if pfa_discussed else ""), reason=notes)
    return review


def review_report_record(*, actor, review: AnnualReview, version: int | None, token: uuid.UUID | None,
                         received_on: datetime.date) -> AnnualReview:
    """The review report reaches the council, within 2 weeks of the meeting (reg 20)."""
    case = review.plan.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("review-report", case, review)
        not_future(received_on, "received_on")
        not_before(received_on, review.held_on, "received_on", "the review meeting")
        review.report_received_on = received_on
        audited_by(review, actor).save()
        timeline_record(case=case, actor=actor, kind="review_report_received", occurred_on=received_on,
                  summary="Annual review report received by the council")
    return review


def review_decision_record(*, actor, review: AnnualReview, version: int | None, token: uuid.UUID | None,
                           decision: str, decision_on: datetime.date, proposals: str = "",
                           reasons: str = "") -> AnnualReview:
    """The council's decision to maintain, amend or cease, notified within 4 weeks of the meeting.

    An amend decision is sent with the proposed amendments (R (L, M & P) v Devon CC [2022]), which opens
    an amendment whose 15 days for representations (reg 22(2)) and 8 weeks to the final amended plan
    (reg 22(3)-(4)) run from that day. Ceasing is only recorded as the decision here: ceasing the plan
    itself (CFA s.45; regs 29-31) is a separate step not built yet.
    """
    plan = review.plan
    case = plan.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("review-decision", case, review)
        if decision not in ReviewDecision.values:
            raise StepRefused({"decision": "Choose maintain, amend or cease"})
        not_future(decision_on, "decision_on")
        not_before(decision_on, review.held_on, "decision_on", "the review meeting")
        if decision == ReviewDecision.AMEND and not proposals.strip():
            raise StepRefused({"proposals": "Say what the council proposes to change: the proposed amendments "
                                            "are sent with the decision"})
        review.decision, review.decision_on = decision, decision_on
        if reasons:
            review.notes = f"{review.notes}\n\n{reasons}".strip()
        audited_by(review, actor).save()
        plan.last_review_decision_on = decision_on
        audited_by(plan, actor).save()
        if decision == ReviewDecision.AMEND:
            audited_by(Amendment(la_id=case.la_id, plan=plan, review=review, proposals_sent_on=decision_on,
                                 proposals=proposals), actor).save()
            summary = (f"Review decision: amend the plan. Proposed amendments sent with the decision; the family's "
                       f"views are due by {fmt_date(amendment_representations_close_due(decision_on))} and the amended "
                       f"plan by {fmt_date(amended_plan_final_from_proposals_due(decision_on))}")
        elif decision == ReviewDecision.CEASE:
            summary = ("Review decision: cease to maintain the plan (recorded as the review's decision only; the plan "
                       "stays in force until ceasing is carried out, a later step with its own notice and appeal "
                       "rights)")
        else:
            summary = "Review decision: maintain the plan unchanged; family told of their right to appeal"
        timeline_record(case=case, actor=actor, kind="review_decision", occurred_on=decision_on, summary=summary,
                  reason=proposals if decision == ReviewDecision.AMEND else reasons)
    return review


# --- Amendments ------------------------------------------------------------------------------------

def amendment_representations_record(*, actor, amendment: Amendment, version: int | None, token: uuid.UUID | None,
                                     received_on: datetime.date, representations: str) -> Amendment:
    """The family's representations on the proposed amendments (reg 22(2))."""
    case = amendment.plan.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("amendment-representations", case, amendment)
        not_future(received_on, "received_on")
        not_before(received_on, amendment.proposals_sent_on, "received_on", "the date the proposals were sent")
        if not representations.strip():
            raise StepRefused({"representations": "Enter what the family said"})
        amendment.representations_received_on, amendment.representations = received_on, representations
        audited_by(amendment, actor).save()
        timeline_record(case=case, actor=actor, kind="amendment_representations", occurred_on=received_on,
                  summary="Family's views on the proposed amendments received", reason=representations)
    return amendment


def amendment_finalise(*, actor, amendment: Amendment, version: int | None, token: uuid.UUID | None, outcome: str,
                       completed_on: datetime.date, named_setting: Setting | None = None,
                       setting_type: str = "") -> Amendment:
    """Issue the final amended plan, or notice of not amending, within 8 weeks of the proposals (reg 22(3)-(4)).

    Not before the family's 15 days end (reg 22(2)) unless they have already given their views. An amended
    plan is kept as the plan's next version.
    """
    plan = amendment.plan
    case = plan.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("amendment-finalise", case, amendment)
        if outcome not in AmendmentOutcome.values:
            raise StepRefused({"outcome": "Choose whether the plan is amended"})
        not_future(completed_on, "completed_on")
        not_before(completed_on, amendment.proposals_sent_on, "completed_on", "the date the proposals were sent")
        closes = amendment_representations_close_due(amendment.proposals_sent_on)
        if completed_on <= closes and amendment.representations_received_on is None:
            raise StepRefused({"completed_on": f"The family has until {fmt_date(closes)} to give their views on the "
                                               "proposed amendments (reg 22(2)). Finish after that, or record "
                                               "their views first."})
        amendment.outcome, amendment.completed_on = outcome, completed_on
        audited_by(amendment, actor).save()
        if outcome == AmendmentOutcome.AMENDED:
            if named_setting is not None:
                plan.named_setting, plan.setting_type = named_setting, setting_type or named_setting.get_kind_display()
                child = case.child
                child.setting = named_setting
                audited_by(child, actor).save()
            elif setting_type:
                plan.setting_type = setting_type
            audited_by(plan, actor).save()
            version_row = plan_version_record(actor=actor, plan=plan, kind="amended", issued_on=completed_on)
            where = f" naming {plan.named_setting.name}" if named_setting is not None else ""
            summary = (f"Final amended plan issued{where} (version {version_row.number}); family told of their "
                       "right to appeal")
        else:
            summary = "Notice sent that the plan will not be amended; family told of their right to appeal"
        timeline_record(case=case, actor=actor, kind="amendment_completed", occurred_on=completed_on, summary=summary)
    return amendment


__all__ = [
    "PLAN_CONTENT_STEPS", "amendment_finalise", "amendment_representations_record", "open_amendment", "open_review",
    "plan_is_being_amended", "review_arrange", "review_decision_record", "review_invitations_record",
    "review_meeting_record", "review_report_record", "step_refusal",
]
