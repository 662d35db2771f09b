"""Writes for ceasing a plan: propose, consult, decide and notify with appeal rights, appeal, cease.

Every step runs in `case_step` (access, one-time token, version compare-and-swap, deadline refresh) and
writes one timeline event. `step_refusal` is the one statement of when each step is possible; pages use it
to offer only the steps valid now, and the services refuse with the same words.

Legal sources: CFA 2014 s.45 (ceasing to maintain: only where no longer necessary, or the council is no
longer responsible; consult first); SEND Regulations 2014 regs 29-31 (consultation, notice of the decision
with the right to appeal; the plan is maintained while an appeal is pending); CFA s.46 (age limit: the end
of the academic year in which the young person turns 25); Education Act 1996 s.8 and the Education (School
Leaving Date) Order 1997 (compulsory school age ends on the last Friday in June of the school year in which
the child turns 16). Reasons are the SEN2 CeaseReason codes.
"""

import datetime
import uuid

from django.conf import settings
from django.utils import timezone

from ehcflow.cases.checks import fmt_date, not_before, not_future, plan_of
from ehcflow.cases.models import Case, Stage
from ehcflow.cases.services import timeline_record, audited_by, case_step
from ehcflow.ceasing.models import AppealOutcome, CeaseDecision, Cessation
from ehcflow.core.codes import CeaseReason
from ehcflow.core.errors import StepRefused
from ehcflow.deadlines.rules import age_limit_due, tribunal_appeal_due
from ehcflow.plans.models import Plan

CEASING_STEPS = ("cease-propose", "cease-consult", "cease-decide", "cease-appeal", "cease-appeal-outcome", "cease")
# Reasons that need the young person to be over compulsory school age.
OVER_SCHOOL_AGE_REASONS = frozenset({CeaseReason.HIGHER_EDUCATION, CeaseReason.EMPLOYMENT, CeaseReason.NOT_ENGAGING})
# Reasons the plan ceases for without a consultation or notice (nobody left to consult, or another council now
# maintains the plan).
NO_CONSULTATION_REASONS = frozenset({CeaseReason.DECEASED, CeaseReason.TRANSFERRED_LA})
ADULT_ESTATE_AGE = 19  # SEN2 CeaseReason 1: "or 19 if entering the adult estate"
AGE_LIMIT_WARNING_MONTHS = 12


def keeps_plan_through_appeal_period() -> bool:
    """Whether a plan is kept until the family's time to appeal has run out, not only while an appeal is pending.

    The decision to cease is appealable (CFA 2014 s.51(2)(f)) and the council must keep maintaining the plan
    "until the time has passed for bringing an appeal or, when an appeal has been registered, until it has been
    concluded" (SEND Regulations 2014 reg 31; SEND Code of Practice 2015, ceasing an EHC plan). The reference
    table only says "keep the plan during an appeal", so this is a setting, EHCFLOW_CEASE_AFTER_APPEAL_PERIOD,
    on by default: ceasing earlier would leave a family who appeals on the last day without the plan.
    """
    return bool(getattr(settings, "EHCFLOW_CEASE_AFTER_APPEAL_PERIOD", True))


def appeal_period_end(cessation: Cessation, *, with_certificate: bool = True) -> datetime.date | None:
    """The last day the family may appeal the decision to cease (HESC Rules 2008 r.20(1)(c), r.12), or None.

    None when there is nothing to wait for: no notice was sent (reasons needing no consultation), or an appeal
    has been registered (then the appeal, not the period, keeps the plan). A mediation certificate recorded
    against the decision (ehcflow.appeals) extends the period to a month after it; `with_certificate=False`
    gives the earliest possible end without reading it, for deciding which steps to offer.
    """
    if cessation.notice_sent_on is None or cessation.appeal_registered_on is not None:
        return None
    certificate_on = None
    if with_certificate:
        from ehcflow.appeals.models import DecisionKind, Disagreement

        certificate_on = (Disagreement.objects.filter(
            case_id=cessation.plan.case_id, kind=DecisionKind.CEASE, notice_sent_on__gte=cessation.notice_sent_on,
            certificate_issued_on__isnull=False).order_by("-certificate_issued_on")
            .values_list("certificate_issued_on", flat=True).first())
    return tribunal_appeal_due(cessation.notice_sent_on, certificate_on)


def _appeal_period_refusal(cessation: Cessation, on: datetime.date, *, with_certificate: bool) -> str | None:
    """Why the plan cannot cease on this day while the family may still appeal (see keeps_plan_through_appeal_period)."""
    if not keeps_plan_through_appeal_period():
        return None
    last_day = appeal_period_end(cessation, with_certificate=with_certificate)
    if last_day is None or on > last_day:
        return None
    return (f"The family can appeal against the decision to cease until {fmt_date(last_day)}: the plan must be "
            f"maintained until that time has passed, so it can cease from {fmt_date(last_day + datetime.timedelta(days=1))} "
            "(SEND Regulations 2014 reg 31; HESC Rules 2008 r.20).")


def age_on(date_of_birth: datetime.date, on: datetime.date) -> int:
    return on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))


def school_leaving_date(date_of_birth: datetime.date) -> datetime.date:
    """The last Friday in June of the school year (1 September-31 August) in which the child turns 16.

    Education Act 1996 s.8(3)-(4); Education (School Leaving Date) Order 1997. After this day the young person
    is over compulsory school age.
    """
    sixteenth_year = date_of_birth.year + 16
    year = sixteenth_year + 1 if date_of_birth.month >= 9 else sixteenth_year
    last = datetime.date(year, 6, 30)
    return last - datetime.timedelta(days=(last.weekday() - 4) % 7)


def reason_refusal(reason: str, date_of_birth: datetime.date, on: datetime.date, *, adult_estate: bool = False,
                   ceasing: bool = False, details: str = "") -> str | None:
    """Why this cease reason does not fit the young person's age on `on`, or None when it does.

    `ceasing` is True when the plan is about to cease (the age limit must then have been reached); a proposal
    for reason 1 may be made up to 12 months ahead of the age limit.
    """
    if reason not in CeaseReason.values:
        return "Choose a reason from the SEN2 cease reasons"
    if reason == CeaseReason.MAX_AGE:
        if adult_estate:
            if age_on(date_of_birth, on) < ADULT_ESTATE_AGE:
                return (f"Reason 1 for a young person entering the adult estate applies only from age "
                        f"{ADULT_ESTATE_AGE}; they are {age_on(date_of_birth, on)}.")
            return None
        limit = age_limit_due(date_of_birth)
        if ceasing and on < limit:
            return (f"The plan reaches its age limit at the end of the academic year in which the young person "
                    f"turns 25, on {fmt_date(limit)} (Children and Families Act 2014 s.46). It cannot cease for that "
                    f"reason before then.")
        if not ceasing and limit > _add_months(on, AGE_LIMIT_WARNING_MONTHS):
            return (f"The plan reaches its age limit only on {fmt_date(limit)}, the end of the academic year in which "
                    f"the young person turns 25 (Children and Families Act 2014 s.46): too far ahead to propose "
                    f"ceasing for that reason.")
    if reason in OVER_SCHOOL_AGE_REASONS and on <= school_leaving_date(date_of_birth):
        return (f"“{CeaseReason(reason).label}” applies only to a young person over compulsory school age, which "
                f"ends on {fmt_date(school_leaving_date(date_of_birth))} (Education Act 1996 s.8).")
    if reason == CeaseReason.TRANSFERRED_LA and not ceasing:
        return ("Reason 5 is recorded only by sending the plan to the new council: record the move out instead "
                "(SEND Regulations 2014 reg 15).")
    if reason == CeaseReason.OTHER and not details.strip():
        return "Say what the other reason is"
    return None


def _add_months(d: datetime.date, n: int) -> datetime.date:
    from ehcflow.deadlines.calendar import add_months

    return add_months(d, n)



def open_cessation(plan: Plan) -> Cessation | None:
    return next((c for c in plan.cessations.all() if c.is_open), None)


def step_refusal(slug: str, case: Case, target=None) -> str | None:
    """Why this ceasing step is not possible on this case now, or None when it is."""
    plan = plan_of(case)
    if case.stage != Stage.PLAN_ISSUED or plan is None:
        return "A plan can be ceased only while it is maintained (after the final plan is issued, before it ceases)."
    cessation = target if isinstance(target, Cessation) else open_cessation(plan)
    if slug == "cease-propose":
        if open_cessation(plan) is not None:
            return "Ceasing this plan is already proposed. Finish that proposal first."
        return None
    if cessation is None or not cessation.is_open:
        return "Ceasing this plan has not been proposed: propose it first."
    no_consult = cessation.reason in NO_CONSULTATION_REASONS
    if slug == "cease-consult":
        if no_consult:
            return "No consultation is needed for this reason."
        if cessation.consulted_on is not None:
            return f"The consultation was already recorded on {fmt_date(cessation.consulted_on)}."
        return None
    if slug == "cease-decide":
        if no_consult:
            return "No separate decision is needed for this reason: record the plan as ceased."
        if cessation.consulted_on is None:
            return ("Consult the child's parent or the young person and the school or college first "
                    "(SEND Regulations 2014 reg 29).")
        if cessation.decision:
            return "The decision was already recorded."
        return None
    if slug == "cease-appeal":
        if cessation.decision != CeaseDecision.CEASE or cessation.notice_sent_on is None:
            return "An appeal can be recorded only after the notice of the decision to cease has been sent."
        if cessation.appeal_registered_on is not None:
            return f"An appeal was already recorded as registered on {fmt_date(cessation.appeal_registered_on)}."
        return None
    if slug == "cease-appeal-outcome":
        if not cessation.appeal_pending:
            return "There is no appeal pending against this decision."
        return None
    if slug == "cease":
        if cessation.appeal_pending:
            return ("An appeal against the decision is pending: the plan must be maintained until it is decided "
                    "(SEND Regulations 2014 regs 30-31).")
        if not no_consult and (cessation.decision != CeaseDecision.CEASE or cessation.notice_sent_on is None):
            return ("The plan can cease only after the decision to cease has been sent to the family with their "
                    "right to appeal (Children and Families Act 2014 s.45; reg 30).")
        return _appeal_period_refusal(cessation, timezone.localdate(), with_certificate=False)
    return None


def _check(slug: str, case: Case, target=None) -> None:
    reason = step_refusal(slug, case, target)
    if reason:
        raise StepRefused(reason)


def _cease_now(*, actor, case: Case, cessation: Cessation, ceased_on: datetime.date) -> None:
    """Record the plan as ceased: the case moves to "Plan ceased" through its transition (one save each)."""
    from ehcflow.cases.services import _transition

    cessation.ceased_on = ceased_on
    audited_by(cessation, actor).save()
    before = case.stage
    _transition(case, "cease", actor=actor)
    timeline_record(case=case, actor=actor, kind="plan_ceased", occurred_on=ceased_on,
              summary=f"EHC plan ceased: {cessation.get_reason_display()}", from_stage=before, to_stage=case.stage,
              reason=cessation.reason_details)


def cease_propose(*, actor, plan: Plan, version: int | None, token: uuid.UUID | None, reason: str,
                  proposed_on: datetime.date, reason_details: str = "", adult_estate: bool = False) -> Cessation:
    """Propose to cease the plan for one of the SEN2 cease reasons, refused if it does not fit the young person."""
    case = plan.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("cease-propose", case)
        not_future(proposed_on, "proposed_on")
        not_before(proposed_on, plan.issued_on, "proposed_on", "the date the plan was issued")
        refused = reason_refusal(reason, case.child.date_of_birth, proposed_on, adult_estate=adult_estate,
                                 details=reason_details)
        if refused:
            raise StepRefused({"reason": refused})
        cessation = audited_by(Cessation(la_id=case.la_id, plan=plan, reason=reason, proposed_on=proposed_on,
                                         reason_details=reason_details, adult_estate=adult_estate), actor)
        cessation.save()
        what = ("the family and the school or college must be consulted before a decision (reg 29)"
                if reason not in NO_CONSULTATION_REASONS else "no consultation is needed")
        timeline_record(case=case, actor=actor, kind="cease_proposed", occurred_on=proposed_on,
                  summary=f"Ceasing the plan proposed: {cessation.get_reason_display()}; {what}",
                  reason=reason_details)
    return cessation


def cease_consultation_record(*, actor, cessation: Cessation, version: int | None, token: uuid.UUID | None,
                              consulted_on: datetime.date, views: str) -> Cessation:
    """The child's parent or the young person and the setting were consulted, and what they said (reg 29)."""
    case = cessation.plan.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("cease-consult", case, cessation)
        not_future(consulted_on, "consulted_on")
        not_before(consulted_on, cessation.proposed_on, "consulted_on", "the date ceasing was proposed")
        if not views.strip():
            raise StepRefused({"views": "Enter what the family, young person and setting said"})
        cessation.consulted_on, cessation.views = consulted_on, views
        audited_by(cessation, actor).save()
        timeline_record(case=case, actor=actor, kind="cease_consulted", occurred_on=consulted_on,
                  summary="Family, young person and setting consulted about ceasing the plan", reason=views)
    return cessation


def cease_decision_record(*, actor, cessation: Cessation, version: int | None, token: uuid.UUID | None,
                          decision: str, decision_on: datetime.date,
                          notice_sent_on: datetime.date | None = None) -> Cessation:
    """The decision, and for a decision to cease the notice with the right to appeal (CFA s.45; reg 30)."""
    case = cessation.plan.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("cease-decide", case, cessation)
        if decision not in CeaseDecision.values:
            raise StepRefused({"decision": "Choose whether to cease the plan"})
        not_future(decision_on, "decision_on")
        not_before(decision_on, cessation.consulted_on, "decision_on", "the consultation")
        if decision == CeaseDecision.CEASE:
            if notice_sent_on is None:
                raise StepRefused({"notice_sent_on": "Enter the date the notice with the right to appeal was sent"})
            not_future(notice_sent_on, "notice_sent_on")
            not_before(notice_sent_on, decision_on, "notice_sent_on", "the decision")
        cessation.decision, cessation.decision_on = decision, decision_on
        cessation.notice_sent_on = notice_sent_on if decision == CeaseDecision.CEASE else None
        audited_by(cessation, actor).save()
        if decision == CeaseDecision.CEASE:
            summary = (f"Decision to cease the plan sent to the family on {fmt_date(notice_sent_on)} with their right to "
                       "appeal to the SEND Tribunal; the plan is maintained while an appeal is pending")
        else:
            summary = "Decided not to cease the plan: it continues to be maintained"
        timeline_record(case=case, actor=actor, kind="cease_decision", occurred_on=decision_on, summary=summary)
    return cessation


def cease_appeal_record(*, actor, cessation: Cessation, version: int | None, token: uuid.UUID | None,
                        registered_on: datetime.date) -> Cessation:
    """An appeal against the decision to cease was registered: the plan stays maintained meanwhile."""
    case = cessation.plan.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("cease-appeal", case, cessation)
        not_future(registered_on, "registered_on")
        not_before(registered_on, cessation.notice_sent_on, "registered_on", "the notice of the decision")
        cessation.appeal_registered_on = registered_on
        audited_by(cessation, actor).save()
        timeline_record(case=case, actor=actor, kind="cease_appeal_registered", occurred_on=registered_on,
                  summary="Appeal against the decision to cease registered: the plan is maintained until it is "
                          "decided")
    return cessation


def cease_appeal_outcome_record(*, actor, cessation: Cessation, version: int | None, token: uuid.UUID | None,
                                concluded_on: datetime.date, outcome: str) -> Cessation:
    """The appeal concluded: dismissed or withdrawn (the council may cease) or upheld (the plan is kept)."""
    case = cessation.plan.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("cease-appeal-outcome", case, cessation)
        if outcome not in AppealOutcome.values:
            raise StepRefused({"outcome": "Choose the outcome of the appeal"})
        not_future(concluded_on, "concluded_on")
        not_before(concluded_on, cessation.appeal_registered_on, "concluded_on", "the date the appeal was registered")
        cessation.appeal_concluded_on, cessation.appeal_outcome = concluded_on, outcome
        audited_by(cessation, actor).save()
        timeline_record(case=case, actor=actor, kind="cease_appeal_concluded", occurred_on=concluded_on,
                  summary=AppealOutcome(outcome).label)
    return cessation


def cease_plan(*, actor, cessation: Cessation, version: int | None, token: uuid.UUID | None,
               ceased_on: datetime.date) -> Cessation:
    """The plan ceases. Only with no appeal pending; reason 1 only once the age limit is reached."""
    case = cessation.plan.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("cease", case, cessation)
        not_future(ceased_on, "ceased_on")
        not_before(ceased_on, cessation.notice_sent_on or cessation.proposed_on, "ceased_on",
                    "the notice of the decision" if cessation.notice_sent_on else "the date ceasing was proposed")
        not_before(ceased_on, cessation.appeal_concluded_on, "ceased_on", "the end of the appeal")
        waiting = _appeal_period_refusal(cessation, ceased_on, with_certificate=True)
        if waiting:
            raise StepRefused({"ceased_on": waiting})
        refused = reason_refusal(cessation.reason, case.child.date_of_birth, ceased_on,
                                 adult_estate=cessation.adult_estate, ceasing=True, details=cessation.reason_details
                                 or "-")
        if refused:
            raise StepRefused({"ceased_on": refused})
        _cease_now(actor=actor, case=case, cessation=cessation, ceased_on=ceased_on)
    return cessation


def cease_for_transfer(*, actor, case: Case, plan: Plan, transfer, ceased_on: datetime.date) -> Cessation:
    """Cease the plan with reason 5 once it has been sent to the new council. Call inside the move's case_step."""
    if case.stage != Stage.PLAN_ISSUED:
        raise StepRefused("The plan is no longer maintained by this council.")
    cessation = audited_by(Cessation(
        la_id=case.la_id, plan=plan, reason=CeaseReason.TRANSFERRED_LA, proposed_on=ceased_on,
        decision=CeaseDecision.CEASE, decision_on=ceased_on,
        reason_details=f"Plan transferred to {transfer.other_la_name} ({transfer.other_la_code})"), actor)
    cessation.save()
    _cease_now(actor=actor, case=case, cessation=cessation, ceased_on=ceased_on)
    return cessation
