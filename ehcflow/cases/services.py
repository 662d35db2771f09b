"""Writes to cases: every statutory step from request to final plan.

Each step is one transaction that (1) checks the user may change the case, (2) checks the step is
valid now and its dates are in order, (3) claims the form's one-time token (a double-click records
once), (4) bumps the case version only if it is still the one the form was drawn from (a stale form
is refused), (5) changes the stage through its named transition, (6) writes one timeline event and
(7) recomputes the case's deadlines. Any failure rolls everything back: nothing half-done.
"""

import datetime
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django_fsm import can_proceed

from ehcflow.cases.access import can_change_case, children_visible_to, has_change_role
from ehcflow.cases.checks import fmt_date, not_before
from ehcflow.cases.models import (
    AdviceRequest,
    Case,
    Consultation,
    DeadlineException,
    PanelDecision,
    ParentComments,
    Stage,
    SubmissionToken,
    TimelineEvent,
)
from ehcflow.core.errors import DuplicateSubmission, NotAllowed, StaleForm, StepRefused
from ehcflow.deadlines import engine
from ehcflow.deadlines.rules import RULES
from ehcflow.people.models import Carer, CarerLink, Child, Setting
from ehcflow.plans.models import Plan, PlanStatus


def audited_by(obj, actor):
    """Attribute the history row to the actor even outside a web request (API, commands)."""
    obj._history_user = actor
    return obj


def _claim_token(*, token: uuid.UUID | None, actor, case: Case | None) -> None:
    if token is None:
        return
    if SubmissionToken.objects.filter(token=token).exists():
        raise DuplicateSubmission()
    try:
        with transaction.atomic():
            SubmissionToken.objects.create(token=token, user=actor, case=case)
    except IntegrityError:
        raise DuplicateSubmission() from None


@contextmanager
def case_step(*, actor, case: Case, version: int | None, token: uuid.UUID | None) -> Iterator[None]:
    """The common frame of every step on an existing case (see the module docstring)."""
    if not can_change_case(actor, case):
        raise NotAllowed("You cannot change this case.")
    held_version = case.version
    try:
        with transaction.atomic():
            _claim_token(token=token, actor=actor, case=case)
            if version is not None:
                claimed = Case.objects.filter(pk=case.pk, version=version).update(version=F("version") + 1)
                if not claimed:
                    raise StaleForm()
                case.version = version + 1
            yield
            case_refresh_deadlines(case=case)
    except BaseException:
        case.version = held_version  # the database rolled back; keep the object in step with it
        raise


def _transition(case: Case, method_name: str, *, actor, **fields) -> None:
    """Move the case through a named transition, setting any fields of the step in the same save."""
    method = getattr(case, method_name)
    if not can_proceed(method):
        raise StepRefused(f"This step is not possible while the case is at the stage “{case.get_stage_display()}”.")
    for name, value in fields.items():
        setattr(case, name, value)
    method()
    audited_by(case, actor).save()


def timeline_record(*, case: Case, actor, kind: str, occurred_on: datetime.date, summary: str,
                    from_stage: str = "", to_stage: str = "", reason: str = "") -> TimelineEvent:
    """The one timeline event each statutory step writes: what staff (and later families) see happened."""
    return TimelineEvent.objects.create(
        la_id=case.la_id, case=case, child_id=case.child_id, kind=kind, occurred_on=occurred_on, actor=actor,
        summary=summary[:250], from_stage=from_stage, to_stage=to_stage, reason=reason,
    )


def case_refresh_deadlines(*, case: Case, today: datetime.date | None = None) -> engine.Deadline | None:
    """Recompute the case's deadlines: store the next one for caseload lists and every open one
    (`CaseDeadline`) for reminders and work queues, in the caller's transaction."""
    from ehcflow.cases.selectors import case_facts
    from ehcflow.deadlines.materialise import facts_prefetch, replace_case_rows

    today = today or timezone.localdate()
    fresh = Case.objects.select_related("decision", "plan").prefetch_related(*facts_prefetch()).get(pk=case.pk)
    facts = case_facts(fresh)
    deadlines = engine.case_deadlines(facts, today)
    nxt = engine.next_deadline(deadlines)
    with transaction.atomic():
        replace_case_rows(fresh, facts, deadlines, today)
        Case.objects.filter(pk=case.pk).update(
            next_deadline_key=nxt.key if nxt else "",
            next_deadline_label=nxt.label if nxt else "",
            next_deadline_due=nxt.due if nxt else None,
        )
    return nxt


# --- The request -------------------------------------------------------------------------------

@transaction.atomic
def request_record(
    *, actor, token: uuid.UUID | None, received_on: datetime.date, source: str, requester_name: str = "",
    youth_accommodation: bool = False, request_summary: str = "", child: Child | None = None,
    child_details: dict | None = None, carer_details: dict | None = None, coordinator=None,
) -> Case:
    """Record a request for an EHC needs assessment (CFA s.36(1)); its date starts every clock."""
    if not has_change_role(actor):
        raise NotAllowed("You cannot record requests.")
    if child is not None and not children_visible_to(actor).filter(pk=child.pk).exists():
        raise NotAllowed("You cannot record a request for that child.")
    if child is not None and child.cases.filter(stage__in=[s.value for s in (Stage.RECEIVED, Stage.ASSESSING, Stage.DRAFTING, Stage.DRAFT_SERVED)]).exists():
        raise StepRefused("This child already has a request in progress. Record steps on that case instead.")
    if child is not None and child.cases.filter(stage=Stage.PLAN_ISSUED).exists():
        raise StepRefused("This child already has an EHC plan. A request for a re-assessment is made from the plan.")
    if received_on > timezone.localdate():
        raise StepRefused({"received_on": "The date the request was received must be today or in the past"})
    _claim_token(token=token, actor=actor, case=None)
    if child is None:
        child = audited_by(Child(la_id=actor.la_id, **(child_details or {})), actor)
        child.full_clean()
        child.save()
        if carer_details and carer_details.get("first_name"):
            carer = audited_by(Carer(la_id=actor.la_id, **carer_details), actor)
            carer.save()
            audited_by(CarerLink(la_id=actor.la_id, child=child, carer=carer, main_contact=True), actor).save()
    # ehcflow.teams (issue 4): the rules route every new request to its team and coordinator; a coordinator
    # chosen by the person recording it is kept as an override. No team fits: recorded unallocated, never lost.
    from ehcflow.teams.allocation import request_allocate  # teams.allocation imports this module

    request_allocate(actor=actor, child=child, coordinator=coordinator, today=timezone.localdate())
    case = audited_by(Case(
        la_id=actor.la_id, child=child, received_on=received_on, source=source, requester_name=requester_name,
        youth_accommodation=youth_accommodation, request_summary=request_summary,
    ), actor)
    case.save()
    timeline_record(case=case, actor=actor, kind="request_received", occurred_on=received_on,
              summary=f"Request for an EHC needs assessment received from: {case.get_source_display().lower()}",
              to_stage=case.stage)
    case_refresh_deadlines(case=case)
    return case


def decision_record(*, actor, case: Case, version: int | None, token: uuid.UUID | None, decided_on: datetime.date,
                    outcome: str, reasons: str, panel: str = "") -> PanelDecision:
    """The panel's decision whether to assess (regs 4(1), 5(1)): within 6 weeks of the request."""
    with case_step(actor=actor, case=case, version=version, token=token):
        not_before(decided_on, case.received_on, "decided_on", "the date the request was received")
        before = case.stage
        _transition(case, "agree_to_assess" if outcome == "assess" else "refuse_to_assess", actor=actor)
        decision = audited_by(PanelDecision(la_id=case.la_id, case=case, decided_on=decided_on, outcome=outcome,
                                          panel=panel, reasons=reasons), actor)
        decision.save()
        summary = ("Decided to carry out an EHC needs assessment" if outcome == "assess"
                   else "Decided not to carry out an EHC needs assessment; family told of their right to appeal")
        timeline_record(case=case, actor=actor, kind="decision_to_assess", occurred_on=decided_on, summary=summary,
                  from_stage=before, to_stage=case.stage, reason=reasons)
    return decision


def advice_request_send(*, actor, case: Case, version: int | None, token: uuid.UUID | None, advice_type: str,
                        advisor: str, sent_on: datetime.date, received_on: datetime.date | None = None,
                        question: str = "") -> AdviceRequest:
    """Ask for advice (reg 6); its 6-week clock starts when the body receives it (reg 8(1))."""
    with case_step(actor=actor, case=case, version=version, token=token):
        if case.stage not in (Stage.ASSESSING, Stage.DRAFTING):
            raise StepRefused("Advice can be requested only once the council has decided to assess.")
        not_before(sent_on, case.decision.decided_on, "sent_on", "the decision to assess")
        received_on = received_on or sent_on
        not_before(received_on, sent_on, "received_on", "the date it was sent")
        advice = audited_by(AdviceRequest(la_id=case.la_id, case=case, advice_type=advice_type, advisor=advisor,
                                        sent_on=sent_on, received_on=received_on, question=question), actor)
        advice.save()
        timeline_record(case=case, actor=actor, kind="advice_requested", occurred_on=sent_on,
                  summary=f"Advice requested from {advisor} ({advice.get_advice_type_display().lower()})")
    return advice


def advice_return_record(*, actor, advice: AdviceRequest, version: int | None, token: uuid.UUID | None,
                         returned_on: datetime.date) -> AdviceRequest:
    case = advice.case
    with case_step(actor=actor, case=case, version=version, token=token):
        if advice.returned_on is not None:
            raise StepRefused(f"This advice was already recorded as returned on {fmt_date(advice.returned_on)}.")
        not_before(returned_on, advice.received_on, "returned_on", "the date the request for advice was received")
        advice.returned_on = returned_on
        audited_by(advice, actor).save()
        timeline_record(case=case, actor=actor, kind="advice_returned", occurred_on=returned_on,
                  summary=f"Advice returned by {advice.advisor}")
    return advice


def outcome_record(*, actor, case: Case, version: int | None, token: uuid.UUID | None, outcome_on: datetime.date,
                   outcome: str, reasons: str = "") -> Case:
    """The decision whether to issue a plan after assessment (reg 10(1): not to issue within 16 weeks)."""
    with case_step(actor=actor, case=case, version=version, token=token):
        if case.stage == Stage.ASSESSING:
            not_before(outcome_on, case.decision.decided_on, "outcome_on", "the decision to assess")
        before = case.stage
        _transition(case, "decide_to_issue" if outcome == "issue" else "decide_not_to_issue", actor=actor,
                    outcome=outcome, outcome_on=outcome_on, outcome_reasons=reasons)
        if outcome == "issue":
            audited_by(Plan(la_id=case.la_id, case=case), actor).save()
        summary = ("Decided to issue an EHC plan; drafting begins" if outcome == "issue"
                   else "Decided not to issue an EHC plan; family told of their right to appeal")
        timeline_record(case=case, actor=actor, kind="assessment_outcome", occurred_on=outcome_on, summary=summary,
                  from_stage=before, to_stage=case.stage, reason=reasons)
    return case


def draft_serve(*, actor, case: Case, version: int | None, token: uuid.UUID | None,
                served_on: datetime.date) -> Plan:
    """Serve the draft plan on the family (reg 13(1)): they have 15 days to comment."""
    with case_step(actor=actor, case=case, version=version, token=token):
        if case.stage == Stage.DRAFTING:
            not_before(served_on, case.outcome_on, "served_on", "the decision to issue a plan")
            plan = case.plan
            problems = []
            if not plan.needs.filter(rank=1).exists():
                problems.append("section B has no primary need")
            if not plan.outcomes.exists():
                problems.append("section E has no outcomes")
            if not plan.provisions.exists():
                problems.append("section F has no provision")
            if problems:
                raise StepRefused("The draft cannot be served yet: " + "; ".join(problems) + ".")
        before = case.stage
        _transition(case, "serve_draft", actor=actor)
        plan = case.plan
        plan.status, plan.draft_served_on = PlanStatus.DRAFT, served_on
        audited_by(plan, actor).save()
        closes = served_on + datetime.timedelta(days=14)
        timeline_record(case=case, actor=actor, kind="draft_served", occurred_on=served_on,
                  summary=f"Draft plan served on the family; their 15 days to comment end on {fmt_date(closes)}",
                  from_stage=before, to_stage=case.stage)
    return plan


def comments_record(*, actor, case: Case, version: int | None, token: uuid.UUID | None, received_on: datetime.date,
                    comments: str, requested_setting: Setting | None = None,
                    meeting_requested: bool = False) -> ParentComments:
    with case_step(actor=actor, case=case, version=version, token=token):
        if case.stage != Stage.DRAFT_SERVED:
            raise StepRefused("Comments can be recorded only while the draft plan is with the family.")
        not_before(received_on, case.plan.draft_served_on, "received_on", "the date the draft was served")
        row = audited_by(ParentComments(la_id=case.la_id, case=case, received_on=received_on, comments=comments,
                                      requested_setting=requested_setting, meeting_requested=meeting_requested), actor)
        row.save()
        summary = "Family's comments on the draft plan received"
        if requested_setting:
            summary += f"; they ask for {requested_setting.name}"
        timeline_record(case=case, actor=actor, kind="comments_received", occurred_on=received_on, summary=summary)
    return row


def consultation_send(*, actor, case: Case, version: int | None, token: uuid.UUID | None, setting: Setting,
                      sent_on: datetime.date) -> Consultation:
    """Consult a school or college before naming it (CFA s.39(2)); it should answer in 15 days (Code 9.83)."""
    with case_step(actor=actor, case=case, version=version, token=token):
        if case.stage not in (Stage.DRAFTING, Stage.DRAFT_SERVED):
            raise StepRefused("Schools can be consulted only while the plan is being drafted or is with the family.")
        not_before(sent_on, case.outcome_on, "sent_on", "the decision to issue a plan")
        row = audited_by(Consultation(la_id=case.la_id, case=case, setting=setting, sent_on=sent_on), actor)
        row.save()
        timeline_record(case=case, actor=actor, kind="consultation_sent", occurred_on=sent_on,
                  summary=f"{setting.name} consulted on whether it can meet the child's needs")
    return row


def consultation_response_record(*, actor, consultation: Consultation, version: int | None, token: uuid.UUID | None,
                                 responded_on: datetime.date, response: str, notes: str = "") -> Consultation:
    case = consultation.case
    with case_step(actor=actor, case=case, version=version, token=token):
        if consultation.response:
            raise StepRefused("This school's response is already recorded.")
        not_before(responded_on, consultation.sent_on, "responded_on", "the date of the consultation")
        consultation.responded_on, consultation.response, consultation.notes = responded_on, response, notes
        audited_by(consultation, actor).save()
        verdict = "can meet" if response == "agreed" else "cannot meet"
        timeline_record(case=case, actor=actor, kind="consultation_response", occurred_on=responded_on,
                  summary=f"{consultation.setting.name} replied that it {verdict} the child's needs", reason=notes)
    return consultation


def final_plan_issue(*, actor, case: Case, version: int | None, token: uuid.UUID | None, issued_on: datetime.date,
                     named_setting: Setting | None = None, setting_type: str = "") -> Plan:
    """Issue the final plan (reg 13(2): within 20 weeks of the request), naming the setting (s.39)."""
    with case_step(actor=actor, case=case, version=version, token=token):
        if case.stage != Stage.DRAFT_SERVED:
            raise StepRefused("A final plan can be issued only after the draft plan has been served.")
        plan = case.plan
        not_before(issued_on, plan.draft_served_on, "issued_on", "the date the draft was served")
        # reg 13(1)(a): the family has at least 15 days beginning with service to comment.
        closes = plan.draft_served_on + datetime.timedelta(days=14)
        if issued_on <= closes and not case.comments.exists():
            raise StepRefused({"issued_on": f"The family has until {fmt_date(closes)} to comment on the draft. "
                                            "Issue the final plan after that, or record their comments first."})
        if named_setting is None and not setting_type:
            raise StepRefused({"named_setting": "Name the school or setting, or give the type of setting"})
        before = case.stage
        _transition(case, "issue_final", actor=actor)
        plan.status, plan.issued_on = PlanStatus.FINAL, issued_on
        plan.named_setting, plan.setting_type = named_setting, setting_type or (named_setting.get_kind_display() if named_setting else "")
        audited_by(plan, actor).save()
        from ehcflow.plans.services import plan_version_record  # plans.services imports this module

        plan_version_record(actor=actor, plan=plan, kind="final", issued_on=issued_on)
        if named_setting is not None:
            child = case.child
            child.setting = named_setting
            audited_by(child, actor).save()
        where = named_setting.name if named_setting else setting_type
        timeline_record(case=case, actor=actor, kind="final_plan_issued", occurred_on=issued_on,
                  summary=f"Final EHC plan issued naming {where}; family told of their right to appeal",
                  from_stage=before, to_stage=case.stage)
    return plan


def exception_record(*, actor, case: Case, version: int | None, token: uuid.UUID | None, deadline_key: str,
                     reason: str, evidence: str, recorded_on: datetime.date,
                     advice_request: AdviceRequest | None = None) -> DeadlineException:
    """Record that an exception applies to one time limit (regs 8(2), 10(4), 13(3)). Its date never moves."""
    from ehcflow.cases.selectors import case_facts

    with case_step(actor=actor, case=case, version=version, token=token):
        if not case.is_open:
            raise StepRefused("Exceptions can be recorded only on a case that is still open.")
        not_before(recorded_on, case.received_on, "recorded_on", "the date the request was received")
        record = engine.ExceptionRecord(deadline_key=deadline_key, reason=reason, evidence=evidence,
                                        recorded_on=recorded_on,
                                        ref=str(advice_request.pk) if advice_request else None)
        try:
            engine.validate_exception(case_facts(case), record)
        except ValueError as exc:
            raise StepRefused({"reason": str(exc)}) from None
        row = audited_by(DeadlineException(la_id=case.la_id, case=case, deadline_key=deadline_key, reason=reason,
                                         evidence=evidence, recorded_on=recorded_on, recorded_by=actor,
                                         advice_request=advice_request), actor)
        row.save()
        label = RULES[deadline_key].label if deadline_key in RULES else deadline_key
        timeline_record(case=case, actor=actor, kind="exception_recorded", occurred_on=recorded_on,
                  summary=f"Exception {reason} recorded for: {label}", reason=evidence)
    return row


def case_withdraw(*, actor, case: Case, version: int | None, token: uuid.UUID | None,
                  withdrawn_on: datetime.date, reason: str) -> Case:
    with case_step(actor=actor, case=case, version=version, token=token):
        not_before(withdrawn_on, case.received_on, "withdrawn_on", "the date the request was received")
        before = case.stage
        _transition(case, "withdraw", actor=actor, withdrawn_on=withdrawn_on, withdrawal_reason=reason)
        timeline_record(case=case, actor=actor, kind="withdrawn", occurred_on=withdrawn_on, summary="Request withdrawn",
                  from_stage=before, to_stage=case.stage, reason=reason)
    return case
