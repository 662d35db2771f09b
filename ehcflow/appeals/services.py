"""Writes for disagreements: the decision notice, mediation, the certificate, the appeal, outcome, order, compliance.

Every step runs in `case_step` (access, one-time token, version compare-and-swap, deadline refresh) and writes one
timeline event. `step_refusal` is the one statement of when each step is possible; the case page offers only the
steps valid now, and the services refuse with the same words, changing nothing.

Legal sources: CFA 2014 s.51(2) (appealable decisions), s.55 (mediation must be considered before an appeal,
except an appeal only about the school or other institution named in section I); SEND Regulations 2014 reg 33
(2 months to contact the mediation adviser), reg 34 (certificate within 3 working days when mediation is not
wanted), regs 44-45 (complying with orders and unopposed appeals); HESC Rules 2008 r.20(1)(c) and r.12. Mediation
held within 30 days and the certificates after it: see ehcflow.deadlines.rules (reference §3).
"""

import datetime
import uuid

from ehcflow.appeals.models import SECTIONS, Compliance, DecisionKind, Disagreement, Order, Outcome
from ehcflow.cases.checks import fmt_date, not_before, not_future
from ehcflow.cases.models import Case, Stage
from ehcflow.cases.services import timeline_record, audited_by, case_step
from ehcflow.core.errors import StepRefused

APPEAL_STEPS = ("appeal-notice", "appeal-mediation", "appeal-mediation-held", "appeal-certificate",
                "appeal-register", "appeal-outcome", "appeal-order", "appeal-first-step", "appeal-complied",
                "appeal-no-plan")
# Which decisions can be appealed at which stage (a refusal closes the case; the rest follow an issued plan).
KINDS_BY_STAGE = {
    Stage.NOT_ASSESSED: (DecisionKind.REFUSE_ASSESS,),
    Stage.NOT_ISSUED: (DecisionKind.REFUSE_ISSUE,),
    Stage.PLAN_ISSUED: (DecisionKind.PLAN_CONTENTS, DecisionKind.REFUSE_AMEND, DecisionKind.REFUSE_REASSESS,
                        DecisionKind.CEASE),
}
# A disagreement already recorded carries on on these stages too (a plan may cease while an appeal runs).
STAGES = (Stage.NOT_ASSESSED, Stage.NOT_ISSUED, Stage.PLAN_ISSUED, Stage.CEASED)
ORDERS_WITH_STEPS = {Order.MAKE_PLAN: True, Order.ASSESS: True, Order.AMEND: False}





def clean_sections(sections) -> str:
    """The sections appealed as codes in order ("BF"), refusing anything outside B, F and I."""
    values = [str(s).strip().upper() for s in (sections or []) if str(s).strip()]
    wrong = [s for s in values if s not in SECTIONS]
    if wrong:
        raise StepRefused({"sections": "An appeal about a plan's contents can be only about sections B, F and I "
                                       "(Children and Families Act 2014 s.51(2)); other sections only by "
                                       "recommendation alongside them."})
    return "".join(s for s in SECTIONS if s in values)


def step_refusal(slug: str, case: Case, target: Disagreement | None = None) -> str | None:
    """Why this step is not possible on this case now, or None when it is."""
    if slug == "appeal-notice":
        if case.stage not in KINDS_BY_STAGE:
            return ("An appealable decision is recorded after a refusal to assess or to issue a plan, or while a "
                    "plan is maintained.")
        return None
    if case.stage not in STAGES:
        return "There is no appealable decision on this case."
    d = target
    if d is None:
        return "Record the notice of the appealable decision first."
    if slug == "appeal-mediation":
        if d.mediation_contacted_on is not None:
            return f"Contact with the mediation adviser was already recorded on {fmt_date(d.mediation_contacted_on)}."
        if d.appeal_registered_on is not None:
            return "An appeal is already registered."
        return None
    if slug == "appeal-mediation-held":
        if not d.mediation_wanted:
            return "Mediation is recorded only when the family wanted it."
        if d.mediation_held_on is not None or d.certificate_issued_on is not None:
            return "Mediation was already recorded, or the certificate issued."
        return None
    if slug == "appeal-certificate":
        if d.mediation_contacted_on is None:
            return "A certificate follows the family's contact with the mediation adviser: record that first."
        if d.certificate_issued_on is not None:
            return f"The certificate was already recorded as issued on {fmt_date(d.certificate_issued_on)}."
        return None
    if slug == "appeal-register":
        if d.appeal_registered_on is not None:
            return f"The appeal was already recorded as registered on {fmt_date(d.appeal_registered_on)}."
        if d.kind != DecisionKind.PLAN_CONTENTS and d.certificate_issued_on is None:
            return ("An appeal needs a mediation certificate unless it is only about section I of a plan "
                    "(Children and Families Act 2014 s.55). Record the certificate first.")
        return None
    if d.appeal_registered_on is None:
        return "No appeal is registered against this decision."
    if slug == "appeal-outcome":
        if d.outcome:
            return "The outcome was already recorded."
        return None
    if slug == "appeal-order":
        if d.outcome not in (Outcome.UPHELD, Outcome.CONCEDED):
            return "An order follows an appeal upheld or conceded: record that outcome first."
        if d.order:
            return "The order was already recorded."
        return None
    if d.order_on is None or d.order == Order.NONE:
        return "There is no order to comply with: record the Tribunal's order first."
    if slug == "appeal-first-step":
        if not ORDERS_WITH_STEPS.get(d.order):
            return "This order has a single step: record it as complied with."
        if d.first_step_on is not None:
            return "This step was already recorded."
        return None
    if slug in ("appeal-complied", "appeal-no-plan"):
        if d.complied_on is not None:
            return f"The order was already recorded as complied with on {fmt_date(d.complied_on)}."
        if slug == "appeal-no-plan" and d.order != Order.ASSESS:
            return ("A decision not to issue a plan complies only with an order to assess; this order is "
                    "complied with by issuing the plan.")
        if ORDERS_WITH_STEPS.get(d.order) and d.first_step_on is None:
            return ("Record the draft plan issued, or the family told of the assessment, first "
                    "(SEND Regulations 2014 reg 44).")
        return None
    return None


def _check(slug: str, case: Case, target=None) -> None:
    reason = step_refusal(slug, case, target)
    if reason:
        raise StepRefused(reason)


def _cessation_under_appeal(disagreement: Disagreement):
    """The open decision to cease this appeal is about (ehcflow.ceasing keeps the plan maintained meanwhile)."""
    if disagreement.kind != DecisionKind.CEASE:
        return None
    from ehcflow.ceasing.models import CeaseDecision, Cessation

    return (Cessation.objects.filter(plan__case_id=disagreement.case_id, decision=CeaseDecision.CEASE,
                                     notice_sent_on__isnull=False, ceased_on__isnull=True)
            .exclude(appeal_outcome="upheld").order_by("-proposed_on", "-pk").first())


def _link_cessation(disagreement: Disagreement, actor) -> None:
    """Mirror the appeal and its outcome on the decision to cease, so the ceasing steps see it (regs 30-31)."""
    from ehcflow.ceasing.models import AppealOutcome

    cessation = _cessation_under_appeal(disagreement)
    if cessation is None:
        return
    if cessation.appeal_registered_on is None:
        cessation.appeal_registered_on = disagreement.appeal_registered_on
    if disagreement.outcome and cessation.appeal_concluded_on is None:
        cessation.appeal_concluded_on = disagreement.outcome_on
        cessation.appeal_outcome = (AppealOutcome.UPHELD if disagreement.outcome in (Outcome.UPHELD, Outcome.CONCEDED)
                                    else AppealOutcome.DISMISSED)
    audited_by(cessation, actor).save()


def appeal_notice_record(*, actor, case: Case, version: int | None, token: uuid.UUID | None, kind: str,
                         notice_sent_on: datetime.date) -> Disagreement:
    """Record that the written notice of an appealable decision, with the right to appeal, was sent."""
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("appeal-notice", case)
        if kind not in KINDS_BY_STAGE[case.stage]:
            allowed = ", ".join(DecisionKind(k).label.lower() for k in KINDS_BY_STAGE[case.stage])
            raise StepRefused({"kind": f"At the stage “{case.get_stage_display()}” the appealable decision can "
                                       f"only be: {allowed}."})
        not_future(notice_sent_on, "notice_sent_on")
        not_before(notice_sent_on, case.received_on, "notice_sent_on", "the date of the request")
        d = audited_by(Disagreement(la_id=case.la_id, case=case, kind=kind, notice_sent_on=notice_sent_on), actor)
        d.save()
        timeline_record(case=case, actor=actor, kind="appeal_notice", occurred_on=notice_sent_on,
                  summary=f"Notice of an appealable decision sent ({d.get_kind_display().lower()}), with the right "
                          "to mediation and to appeal to the SEND Tribunal")
    return d


def mediation_contact_record(*, actor, disagreement: Disagreement, version: int | None, token: uuid.UUID | None,
                             contacted_on: datetime.date, wanted: bool) -> Disagreement:
    """The family contacted the mediation adviser (reg 33) and said whether they want mediation."""
    case = disagreement.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("appeal-mediation", case, disagreement)
        not_future(contacted_on, "contacted_on")
        not_before(contacted_on, disagreement.notice_sent_on, "contacted_on", "the notice of the decision")
        disagreement.mediation_contacted_on, disagreement.mediation_wanted = contacted_on, bool(wanted)
        audited_by(disagreement, actor).save()
        what = "they want mediation" if wanted else "they do not want mediation: a certificate is due (reg 34)"
        timeline_record(case=case, actor=actor, kind="appeal_mediation_contact", occurred_on=contacted_on,
                  summary=f"Family contacted the mediation adviser; {what}")
    return disagreement


def mediation_held_record(*, actor, disagreement: Disagreement, version: int | None, token: uuid.UUID | None,
                          held_on: datetime.date) -> Disagreement:
    """Mediation was held: due within 30 days of the family asking; the mediator's certificate follows within
    3 working days (reference §3; ehcflow.deadlines.rules). Held late is recorded, and the deadline shows missed."""
    case = disagreement.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("appeal-mediation-held", case, disagreement)
        not_future(held_on, "held_on")
        not_before(held_on, disagreement.mediation_contacted_on, "held_on", "the contact with the mediation adviser")
        disagreement.mediation_held_on = held_on
        audited_by(disagreement, actor).save()
        timeline_record(case=case, actor=actor, kind="appeal_mediation_held", occurred_on=held_on,
                  summary="Mediation held")
    return disagreement


def certificate_record(*, actor, disagreement: Disagreement, version: int | None, token: uuid.UUID | None,
                       issued_on: datetime.date) -> Disagreement:
    """The mediation certificate was issued: the family may now appeal (reg 34; HESC r.20(1)(c))."""
    case = disagreement.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("appeal-certificate", case, disagreement)
        not_future(issued_on, "issued_on")
        not_before(issued_on, disagreement.mediation_contacted_on, "issued_on",
                    "the contact with the mediation adviser")
        not_before(issued_on, disagreement.mediation_held_on, "issued_on", "the mediation")
        disagreement.certificate_issued_on = issued_on
        audited_by(disagreement, actor).save()
        timeline_record(case=case, actor=actor, kind="appeal_certificate", occurred_on=issued_on,
                  summary="Mediation certificate issued: the family may appeal to the SEND Tribunal")
    return disagreement


def appeal_register_record(*, actor, disagreement: Disagreement, version: int | None, token: uuid.UUID | None,
                           registered_on: datetime.date, sections=()) -> Disagreement:
    """An appeal was registered with the Tribunal, with the sections appealed for a plan's contents."""
    case = disagreement.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("appeal-register", case, disagreement)
        codes = clean_sections(sections)
        if disagreement.kind == DecisionKind.PLAN_CONTENTS and not codes:
            raise StepRefused({"sections": "Choose the sections appealed (B, F or I)"})
        not_future(registered_on, "registered_on")
        not_before(registered_on, disagreement.notice_sent_on, "registered_on", "the notice of the decision")
        not_before(registered_on, disagreement.certificate_issued_on, "registered_on", "the mediation certificate")
        if codes != "I" and disagreement.certificate_issued_on is None:
            raise StepRefused("An appeal needs a mediation certificate unless it is only about section I, the school "
                              "or other institution named (Children and Families Act 2014 s.55). Record the "
                              "certificate first.")
        disagreement.appeal_registered_on, disagreement.sections = registered_on, codes
        audited_by(disagreement, actor).save()
        _link_cessation(disagreement, actor)
        about = f" about sections {', '.join(codes)}" if codes else ""
        what = disagreement.get_kind_display().lower()
        timeline_record(case=case, actor=actor, kind="appeal_registered", occurred_on=registered_on,
                  summary=f"Appeal to the SEND Tribunal registered against the {what}{about}")
    return disagreement


def appeal_outcome_record(*, actor, disagreement: Disagreement, version: int | None, token: uuid.UUID | None,
                          outcome: str, outcome_on: datetime.date) -> Disagreement:
    case = disagreement.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("appeal-outcome", case, disagreement)
        if outcome not in Outcome.values:
            raise StepRefused({"outcome": "Choose the outcome of the appeal"})
        not_future(outcome_on, "outcome_on")
        not_before(outcome_on, disagreement.appeal_registered_on, "outcome_on", "the date the appeal was registered")
        disagreement.outcome, disagreement.outcome_on = outcome, outcome_on
        audited_by(disagreement, actor).save()
        _link_cessation(disagreement, actor)
        timeline_record(case=case, actor=actor, kind="appeal_outcome", occurred_on=outcome_on,
                  summary=f"Appeal outcome: {Outcome(outcome).label}")
    return disagreement


def appeal_order_record(*, actor, disagreement: Disagreement, version: int | None, token: uuid.UUID | None,
                        order: str, order_on: datetime.date) -> Disagreement:
    """The Tribunal's order (reg 44), or what the council agreed when it did not oppose (reg 45)."""
    case = disagreement.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("appeal-order", case, disagreement)
        if order not in Order.values:
            raise StepRefused({"order": "Choose what the council must do"})
        not_future(order_on, "order_on")
        not_before(order_on, disagreement.appeal_registered_on, "order_on", "the date the appeal was registered")
        disagreement.order, disagreement.order_on = order, order_on
        audited_by(disagreement, actor).save()
        timeline_record(case=case, actor=actor, kind="appeal_order", occurred_on=order_on,
                  summary=f"Order: {Order(order).label} (SEND Regulations 2014 regs 44-45)")
    return disagreement


def order_first_step_record(*, actor, disagreement: Disagreement, version: int | None, token: uuid.UUID | None,
                            done_on: datetime.date) -> Disagreement:
    """The draft plan issued (order to make a plan) or the family told of the assessment (order to assess)."""
    case = disagreement.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("appeal-first-step", case, disagreement)
        not_future(done_on, "done_on")
        not_before(done_on, disagreement.order_on, "done_on", "the order")
        disagreement.first_step_on = done_on
        audited_by(disagreement, actor).save()
        what = "Draft plan issued" if disagreement.order == Order.MAKE_PLAN else "Family told of the assessment"
        timeline_record(case=case, actor=actor, kind="appeal_order_step", occurred_on=done_on,
                  summary=f"{what} after the Tribunal's order")
    return disagreement


def order_complied_record(*, actor, disagreement: Disagreement, version: int | None, token: uuid.UUID | None,
                          complied_on: datetime.date) -> Disagreement:
    """The final plan (order to make a plan, or to assess) or the amended plan (order to amend) was issued."""
    case = disagreement.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("appeal-complied", case, disagreement)
        not_future(complied_on, "complied_on")
        not_before(complied_on, disagreement.order_on, "complied_on", "the order")
        not_before(complied_on, disagreement.first_step_on, "complied_on", "the first step")
        disagreement.complied_on = complied_on
        amend = disagreement.order == Order.AMEND
        disagreement.compliance = Compliance.AMENDED_PLAN if amend else Compliance.FINAL_PLAN
        audited_by(disagreement, actor).save()
        timeline_record(case=case, actor=actor, kind="appeal_complied", occurred_on=complied_on,
                  summary=f"Tribunal order complied with ({disagreement.get_order_display().lower()}): "
                          f"{disagreement.get_compliance_display().lower()}")
    return disagreement


def order_no_plan_record(*, actor, disagreement: Disagreement, version: int | None, token: uuid.UUID | None,
                         decided_on: datetime.date) -> Disagreement:
    """After an assessment the Tribunal ordered, the council decided not to issue a plan: due within 10 weeks of
    the order, the other way to comply with it than the final plan within 14 (reg 44; reg 45 when unopposed)."""
    case = disagreement.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("appeal-no-plan", case, disagreement)
        not_future(decided_on, "decided_on")
        not_before(decided_on, disagreement.order_on, "decided_on", "the order")
        not_before(decided_on, disagreement.first_step_on, "decided_on", "the notice of the assessment")
        disagreement.complied_on, disagreement.compliance = decided_on, Compliance.NO_PLAN
        audited_by(disagreement, actor).save()
        timeline_record(case=case, actor=actor, kind="appeal_no_plan", occurred_on=decided_on,
                        summary="Decision not to issue a plan after the assessment the Tribunal ordered (SEND "
                                "Regulations 2014 reg 44); the family may appeal this decision")
    return disagreement
