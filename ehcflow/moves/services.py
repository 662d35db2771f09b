"""Writes for moves between councils in England (SEND Regulations 2014 regs 15-16).

Out: record that the family is moving (the day the council learnt of it starts reg 15(2)'s 15 working
days), then record the plan sent to the new council, which ceases this council's plan with SEN2 cease
reason 5 through `ehcflow.ceasing.services` in the same transaction. In: a plan received from another
council is recorded as a child with a case at "Plan issued" (a minimal record: the child, the plan's date
and the transfer), and the family's reg 15(4) notice is recorded later.
"""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from ehcflow.cases.access import has_change_role
from ehcflow.cases.checks import fmt_date, not_before, not_future
from ehcflow.cases.models import Case, Stage
from ehcflow.cases.services import _claim_token, timeline_record, audited_by, case_refresh_deadlines, case_step
from ehcflow.ceasing.services import cease_for_transfer, open_cessation
from ehcflow.core.errors import NotAllowed, StepRefused
from ehcflow.deadlines.rules import plan_transfer_due, transfer_family_notice_due, transfer_review_due
from ehcflow.moves.models import Direction, LaTransfer
from ehcflow.people.models import Child
from ehcflow.plans.models import Plan, PlanStatus

MOVES_STEPS = ("move-out", "move-out-sent", "move-in-notified")





def open_transfer(plan: Plan, direction: str) -> LaTransfer | None:
    return next((t for t in plan.la_transfers.all() if t.direction == direction and t.is_open), None)


def step_refusal(slug: str, case: Case, target=None) -> str | None:
    """Why this move step is not possible on this case now, or None when it is."""
    try:
        plan = case.plan
    except Case.plan.RelatedObjectDoesNotExist:
        plan = None
    if case.stage != Stage.PLAN_ISSUED or plan is None:
        return "A plan moves between councils only while this council maintains it."
    if slug == "move-out":
        if open_transfer(plan, Direction.OUT) is not None:
            return "A move to another council is already recorded: record the plan sent."
        if open_cessation(plan) is not None:
            return "Ceasing this plan is proposed: decide that proposal before recording a move."
        return None
    transfer = target if isinstance(target, LaTransfer) else None
    if slug == "move-out-sent":
        transfer = transfer or open_transfer(plan, Direction.OUT)
        if transfer is None or transfer.direction != Direction.OUT or not transfer.is_open:
            return "No move to another council is awaiting the plan: record the move first."
        return None
    if slug == "move-in-notified":
        transfer = transfer or open_transfer(plan, Direction.IN)
        if transfer is None or transfer.direction != Direction.IN or not transfer.is_open:
            return "There is no plan received from another council awaiting the family's notice."
        return None
    return None


def _check(slug: str, case: Case, target=None) -> None:
    reason = step_refusal(slug, case, target)
    if reason:
        raise StepRefused(reason)


def _check_other_la(actor, code: str, name: str) -> None:
    if len(code or "") != 3 or not code.isdigit():
        raise StepRefused({"other_la_code": "Enter the council's 3-digit local authority code, like 919"})
    if actor.la is not None and code == actor.la.code:
        raise StepRefused({"other_la_code": "Enter the other council's code, not this council's"})
    if not (name or "").strip():
        raise StepRefused({"other_la_name": "Enter the other council's name"})


def move_out_record(*, actor, plan: Plan, version: int | None, token: uuid.UUID | None, other_la_code: str,
                    other_la_name: str, learnt_on: datetime.date, move_on: datetime.date | None = None,
                    notes: str = "") -> LaTransfer:
    """The family is moving to another council in England: reg 15(2)'s clock starts the day we learnt of it."""
    case = plan.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("move-out", case)
        _check_other_la(actor, other_la_code, other_la_name)
        not_future(learnt_on, "learnt_on")
        not_before(learnt_on, plan.issued_on, "learnt_on", "the date the plan was issued")
        transfer = audited_by(LaTransfer(la_id=case.la_id, plan=plan, direction=Direction.OUT,
                                         other_la_code=other_la_code, other_la_name=other_la_name.strip(),
                                         learnt_on=learnt_on, move_on=move_on, notes=notes), actor)
        transfer.full_clean()
        transfer.save()
        timeline_record(case=case, actor=actor, kind="move_out_recorded", occurred_on=learnt_on,
                  summary=f"Family moving to {transfer.other_la_name}"
                          + (f" on {fmt_date(move_on)}" if move_on else "")
                          + f"; the plan must be sent by {fmt_date(plan_transfer_due(learnt_on, move_on))} (reg 15(2))",
                  reason=notes)
    return transfer


def move_out_sent_record(*, actor, la_transfer: LaTransfer, version: int | None, token: uuid.UUID | None,
                         transferred_on: datetime.date) -> LaTransfer:
    """The plan was sent to the new council; this council's plan ceases with reason 5 the same day."""
    transfer = la_transfer
    plan = transfer.plan
    case = plan.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("move-out-sent", case, transfer)
        not_future(transferred_on, "transferred_on")
        not_before(transferred_on, transfer.learnt_on, "transferred_on", "the date the council learnt of the move")
        not_before(transferred_on, transfer.move_on, "transferred_on", "the date of the move")
        transfer.transferred_on = transferred_on
        audited_by(transfer, actor).save()
        due = plan_transfer_due(transfer.learnt_on, transfer.move_on)
        timeline_record(case=case, actor=actor, kind="move_out_sent", occurred_on=transferred_on,
                  summary=f"Plan sent to {transfer.other_la_name}"
                          + ("; later than reg 15(2) allows" if transferred_on > due else ""))
        cease_for_transfer(actor=actor, case=case, plan=plan, transfer=transfer, ceased_on=transferred_on)
    return transfer


def move_in_notified_record(*, actor, la_transfer: LaTransfer, version: int | None, token: uuid.UUID | None,
                            notified_on: datetime.date) -> LaTransfer:
    """The family was told the plan has transferred, whether we will assess, and when we will review (reg 15(4))."""
    transfer = la_transfer
    case = transfer.plan.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("move-in-notified", case, transfer)
        not_future(notified_on, "notified_on")
        not_before(notified_on, transfer.transferred_on, "notified_on", "the date the plan transferred")
        transfer.family_notified_on = notified_on
        audited_by(transfer, actor).save()
        timeline_record(case=case, actor=actor, kind="move_in_notified", occurred_on=notified_on,
                  summary="Family told the plan has transferred here, whether it will be re-assessed and when it "
                          "will be reviewed (reg 15(4))")
    return transfer


@transaction.atomic
def move_in_record(*, actor, token: uuid.UUID | None, child_details: dict, other_la_code: str, other_la_name: str,
                   plan_issued_on: datetime.date, transferred_on: datetime.date,
                   plan_or_last_review_on: datetime.date | None = None, learnt_on: datetime.date | None = None,
                   coordinator=None, notes: str = "") -> Case:
    """A plan transferred from another council: the child, a case at "Plan issued" and the transfer (reg 15)."""
    if not has_change_role(actor):
        raise NotAllowed("You cannot record plans transferred in.")
    _check_other_la(actor, other_la_code, other_la_name)
    today = timezone.localdate()
    for field, value in (("plan_issued_on", plan_issued_on), ("transferred_on", transferred_on),
                         ("plan_or_last_review_on", plan_or_last_review_on), ("learnt_on", learnt_on)):
        if value is not None and value > today:
            raise StepRefused({field: "The date must be today or in the past"})
    dob = child_details.get("date_of_birth")
    if dob is not None and plan_issued_on < dob:
        raise StepRefused({"plan_issued_on": "The plan's date must be after the child's date of birth"})
    not_before(transferred_on, plan_issued_on, "transferred_on", "the date of the plan")
    if plan_or_last_review_on is not None:
        not_before(plan_or_last_review_on, plan_issued_on, "plan_or_last_review_on", "the date of the plan")
        if plan_or_last_review_on > transferred_on:
            raise StepRefused({"plan_or_last_review_on": "The last review must be before the transfer"})
    _claim_token(token=token, actor=actor, case=None)
    if coordinator is None and actor.role == "coordinator":
        coordinator = actor
    team = coordinator.teams.order_by("id").first() if coordinator is not None else None
    child = audited_by(Child(la_id=actor.la_id, team=team, coordinator=coordinator, **child_details), actor)
    child.full_clean()
    child.save()
    # The request was made to the other council: its date is not known here, so the plan's date stands in
    # for it. The engine shows no request-to-plan deadline for a transferred-in plan.
    case = audited_by(Case(la_id=actor.la_id, child=child, stage=Stage.PLAN_ISSUED, received_on=plan_issued_on,
                           source="5", requester_name=f"Transferred from {other_la_name.strip()}",
                           request_summary=notes), actor)
    case.save()
    last_review = plan_or_last_review_on if plan_or_last_review_on and plan_or_last_review_on > plan_issued_on \
        else None
    plan = audited_by(Plan(la_id=actor.la_id, case=case, status=PlanStatus.FINAL, issued_on=plan_issued_on,
                           last_review_decision_on=last_review), actor)
    plan.save()
    transfer = audited_by(LaTransfer(la_id=actor.la_id, plan=plan, direction=Direction.IN,
                                     other_la_code=other_la_code, other_la_name=other_la_name.strip(),
                                     learnt_on=learnt_on, transferred_on=transferred_on,
                                     plan_or_last_review_on=plan_or_last_review_on or plan_issued_on,
                                     notes=notes), actor)
    transfer.full_clean()
    transfer.save()
    since = plan_or_last_review_on or plan_issued_on
    timeline_record(case=case, actor=actor, kind="move_in_recorded", occurred_on=transferred_on,
              summary=f"EHC plan transferred from {transfer.other_la_name}: tell the family by "
                      f"{fmt_date(transfer_family_notice_due(transferred_on))} (reg 15(4)); review by "
                      f"{fmt_date(transfer_review_due(transferred_on, since))} (reg 15(5))",
              to_stage=case.stage, reason=notes)
    case_refresh_deadlines(case=case)
    return case
