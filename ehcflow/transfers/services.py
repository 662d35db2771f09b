"""Writes for phase transfers (SEND Regulations 2014 regs 2 and 18).

Each step runs in `case_step` (one-time token, version compare-and-swap, access, deadline refresh) and
writes one timeline event; history rows come from django-simple-history. `step_refusal` holds the
preconditions, which the pages also use to offer only the steps valid now.

- Start: the move the child is due (found from the date of birth and the current setting; a post-16 move
  at another time is chosen with its date, reg 18(2)), with the setting the family prefers.
- New setting agreed: the school or college to be named, of the right phase for the move.
- Complete: the amended plan naming the new setting is issued (a new plan version; section I updated),
  due before 15 February of the year of the move, before 31 March for secondary -> post-16 (reg 18(1)),
  and at least 5 months ahead for a post-16 move at another time (reg 18(2)).
"""

import datetime
import uuid

from django.utils import timezone

from ehcflow.cases.checks import fmt_date, not_future, plan_of
from ehcflow.cases.models import Case, Stage
from ehcflow.cases.services import timeline_record, audited_by, case_step
from ehcflow.core.errors import StepRefused
from ehcflow.deadlines.phase_transfer import (
    POST16_TO_POST16,
    kind_label,
    new_setting_refusal,
    next_transfer,
    transfer_due,
    transfer_phase,
)
from ehcflow.people.models import Setting
from ehcflow.plans.models import Plan
from ehcflow.plans.services import plan_version_record
from ehcflow.transfers.models import PhaseTransfer

TRANSFER_STEPS = ("transfer-start", "transfer-setting", "transfer-complete")




def open_transfer(plan: Plan) -> PhaseTransfer | None:
    return next((t for t in plan.phase_transfers.all() if t.is_open), None)


def setting_phase(setting: Setting | None) -> str | None:
    return transfer_phase(setting.phase, setting.name) if setting is not None else None


def due_transfer(case: Case, today: datetime.date):
    """The move this child is due next from their date of birth and current setting, or None."""
    return next_transfer(case.child.date_of_birth, setting_phase(case.child.setting), today)


def step_refusal(slug: str, case: Case, target=None) -> str | None:
    """Why this step is not possible on this case now, or None when it is. One rule for pages and services."""
    plan = plan_of(case)
    if case.stage != Stage.PLAN_ISSUED or plan is None:
        return "A phase transfer can be recorded only once the final plan is issued."
    if slug == "transfer-start":
        current = open_transfer(plan)
        if current is not None:
            return f"A phase transfer ({kind_label(current.kind).lower()}) is already open. Complete it first."
        return None
    transfer = target if isinstance(target, PhaseTransfer) else open_transfer(plan)
    if transfer is None or not transfer.is_open:
        return "There is no open phase transfer: start one first."
    return None


def _check(slug: str, case: Case, target=None) -> None:
    reason = step_refusal(slug, case, target)
    if reason:
        raise StepRefused(reason)


def _check_setting(kind: str, setting: Setting | None, field: str) -> None:
    if setting is None:
        return
    refused = new_setting_refusal(kind, setting_phase(setting))
    if refused:
        raise StepRefused({field: f"{setting.name} cannot be named. {refused}"})



def transfer_start(*, actor, plan: Plan, version: int | None, token: uuid.UUID | None, kind: str,
                   transfer_on: datetime.date | None = None, preferred_setting: Setting | None = None,
                   notes: str = "") -> PhaseTransfer:
    """Start the work on the move the child is due: the plan must name the new setting by the deadline."""
    case = plan.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("transfer-start", case)
        today = timezone.localdate()
        if kind == POST16_TO_POST16:
            if transfer_on is None:
                raise StepRefused({"transfer_on": "Enter the date of the move"})
            if transfer_on <= today:
                raise StepRefused({"transfer_on": "The move must be after today"})
            if setting_phase(case.child.setting) not in ("post16", "secondary", "all_through"):
                raise StepRefused({"kind": f"{case.child.full_name} is not at a post-16 setting, so this is not a "
                                           "move between post-16 institutions."})
        else:
            due = due_transfer(case, today)
            if due is None or due.kind != kind:
                expected = (f"their next move is {kind_label(due.kind).lower()} on {fmt_date(due.transfer_on)}"
                            if due else "no move between phases is due from their current setting")
                raise StepRefused({"kind": f"{case.child.full_name} is not due this move: {expected}."})
            if transfer_on is not None and transfer_on != due.transfer_on:
                raise StepRefused({"transfer_on": f"This move happens on {fmt_date(due.transfer_on)}"})
            transfer_on = due.transfer_on
        _check_setting(kind, preferred_setting, "preferred_setting")
        transfer = audited_by(PhaseTransfer(
            la_id=case.la_id, plan=plan, kind=kind, transfer_on=transfer_on, due_on=transfer_due(kind, transfer_on),
            started_on=today, preferred_setting=preferred_setting, notes=notes), actor)
        transfer.save()
        prefers = f"; the family prefers {preferred_setting.name}" if preferred_setting else ""
        timeline_record(case=case, actor=actor, kind="phase_transfer_started", occurred_on=today,
                  summary=f"Phase transfer started: {kind_label(kind).lower()} on {fmt_date(transfer_on)}; the amended "
                          f"plan naming the new setting is due by {fmt_date(transfer.due_on)}{prefers}", reason=notes)
    return transfer


def transfer_setting_record(*, actor, transfer: PhaseTransfer, version: int | None, token: uuid.UUID | None,
                            new_setting: Setting, agreed_on: datetime.date) -> PhaseTransfer:
    """The school or college to be named is agreed (after consulting it, CFA s.39)."""
    case = transfer.plan.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("transfer-setting", case, transfer)
        not_future(agreed_on, "agreed_on")
        if agreed_on < transfer.started_on:
            raise StepRefused({"agreed_on": f"The date must be on or after the transfer was started "
                                            f"({fmt_date(transfer.started_on)})"})
        _check_setting(transfer.kind, new_setting, "new_setting")
        transfer.new_setting, transfer.agreed_on = new_setting, agreed_on
        audited_by(transfer, actor).save()
        timeline_record(case=case, actor=actor, kind="phase_transfer_setting_agreed", occurred_on=agreed_on,
                  summary=f"New setting agreed for the phase transfer: {new_setting.name}")
    return transfer


def transfer_complete(*, actor, transfer: PhaseTransfer, version: int | None, token: uuid.UUID | None,
                      completed_on: datetime.date, new_setting: Setting | None = None) -> PhaseTransfer:
    """The amended plan naming the new setting is issued: a new plan version, section I updated. The child's
    current setting changes now if the move date has come, otherwise it counts from the move date."""
    plan = transfer.plan
    case = plan.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("transfer-complete", case, transfer)
        new_setting = new_setting or transfer.new_setting
        if new_setting is None:
            raise StepRefused({"new_setting": "Choose the school or college the amended plan names"})
        _check_setting(transfer.kind, new_setting, "new_setting")
        not_future(completed_on, "completed_on")
        earliest = transfer.agreed_on or transfer.started_on
        if completed_on < earliest:
            raise StepRefused({"completed_on": f"The date must be on or after {fmt_date(earliest)}, when the transfer "
                                               f"was {'agreed' if transfer.agreed_on else 'started'}"})
        if completed_on < plan.issued_on:
            raise StepRefused({"completed_on": f"The date must be on or after the plan was issued "
                                               f"({fmt_date(plan.issued_on)})"})
        transfer.new_setting, transfer.completed_on, transfer.status = new_setting, completed_on, "completed"
        audited_by(transfer, actor).save()
        plan.named_setting, plan.setting_type = new_setting, new_setting.get_kind_display()
        audited_by(plan, actor).save()
        if completed_on >= transfer.transfer_on:
            child = case.child
            child.setting = new_setting
            audited_by(child, actor).save()
        version_row = plan_version_record(actor=actor, plan=plan, kind="amended", issued_on=completed_on)
        late = "" if completed_on <= transfer.due_on else f"; after the deadline of {fmt_date(transfer.due_on)}"
        timeline_record(case=case, actor=actor, kind="phase_transfer_completed", occurred_on=completed_on,
                  summary=f"Amended plan naming {new_setting.name} issued for the phase transfer on "
                          f"{fmt_date(transfer.transfer_on)} (version {version_row.number}){late}")
    return transfer


def transfer_target(case: Case, pk: int | None) -> PhaseTransfer | None:
    """A phase transfer of this case's plan (the case was already checked for access), or None."""
    return (PhaseTransfer.objects.select_related("plan__case", "new_setting")
            .filter(plan__case=case, pk=pk).first())
