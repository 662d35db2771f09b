"""Writes for moves between councils in England (SEND Regulations 2014 regs 15-16).

Out: record that the family is moving (the day the council learnt of it starts reg 15(2)'s 15 working
days), then record the plan sent to the new council, which ceases this council's plan with SEN2 cease
reason 5 through `ehcflow.ceasing.services` in the same transaction. In: a plan received from another
council is recorded in full: the child, the parents or carers, the old council, the plan's dates, the setting
and the plan's content as received (sections A-K, needs with their SEN2 types), with a case at "Plan issued"
and a version of the plan "as transferred in" (reg 15(3): the plan is treated as made by this council on the
day the old one made it). The family's reg 15(4) notice is recorded later, with whether this council proposes
to assess and when it proposes to review.

A move out that falls through is cancelled with a reason (refused once the plan has been sent). Where the move
changes the health commissioning body, the notice to the new body is recorded (reg 16, [S]).
"""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from ehcflow.cases.access import children_visible_to, has_change_role
from ehcflow.cases.checks import fmt_date, not_before, not_future, plan_of
from ehcflow.cases.models import OPEN_STAGES, Case, Stage
from ehcflow.cases.services import _claim_token, audited_by, case_refresh_deadlines, case_step, timeline_record
from ehcflow.ceasing.services import cease_for_transfer, open_cessation, school_leaving_date
from ehcflow.core.codes import AreaOfNeed, NeedType
from ehcflow.core.errors import NotAllowed, StepRefused
from ehcflow.deadlines.rules import (
    health_body_notice_due,
    plan_transfer_due,
    transfer_family_notice_due,
    transfer_review_due,
)
from ehcflow.moves.models import Direction, LaTransfer
from ehcflow.people.models import Carer, CarerLink, Child
from ehcflow.plans.models import Need, Outcome, Plan, PlanStatus, Provision
from ehcflow.plans.services import SECTION_FIELDS, plan_version_record

MOVES_STEPS = ("move-out", "move-out-sent", "move-in-notified", "move-cancel", "move-health-notice")
MOVED_IN_VERSION = "moved_in"  # PlanVersion kind of the plan as received from the old council


def open_transfer(plan: Plan, direction: str) -> LaTransfer | None:
    return next((t for t in plan.la_transfers.all() if t.direction == direction and t.is_open), None)


def sent_transfer(plan: Plan) -> LaTransfer | None:
    """The move out whose plan was sent to the new council, if any (the plan then ceased here)."""
    return next((t for t in plan.la_transfers.all() if t.direction == Direction.OUT and t.transferred_on), None)


def step_refusal(slug: str, case: Case, target=None) -> str | None:
    """Why this move step is not possible on this case now, or None when it is."""
    plan = plan_of(case)
    sent = sent_transfer(plan) if slug == "move-cancel" and plan is not None else None
    if sent is not None:  # the other council maintains the plan now (reg 15(3))
        return (f"The plan was sent to {sent.other_la_name} on {fmt_date(sent.transferred_on)}: a move cannot be "
                f"cancelled after the transfer.")
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
    if slug in ("move-cancel", "move-health-notice"):
        transfer = transfer or open_transfer(plan, Direction.OUT)
        if transfer is None or transfer.direction != Direction.OUT or not transfer.is_open:
            return "No move to another council is pending: record the move first."
        if slug == "move-health-notice" and transfer.health_body_changes is False:
            return ("It is recorded that the move does not change the health commissioning body: no notice is "
                    "needed (SEND Regulations 2014 reg 16).")
        if slug == "move-health-notice" and transfer.health_notified_on is not None:
            return (f"The new health commissioning body was told on {fmt_date(transfer.health_notified_on)}.")
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
                    notes: str = "", health_body_changes: bool | None = None) -> LaTransfer:
    """The family is moving to another council in England: reg 15(2)'s clock starts the day we learnt of it.

    `health_body_changes` answers whether the move also changes the health commissioning body (reg 16):
    None (not known yet) keeps that notice's deadline on the case until someone answers.
    """
    case = plan.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("move-out", case)
        _check_other_la(actor, other_la_code, other_la_name)
        not_future(learnt_on, "learnt_on")
        not_before(learnt_on, plan.issued_on, "learnt_on", "the date the plan was issued")
        transfer = audited_by(LaTransfer(la_id=case.la_id, plan=plan, direction=Direction.OUT,
                                         other_la_code=other_la_code, other_la_name=other_la_name.strip(),
                                         learnt_on=learnt_on, move_on=move_on, notes=notes,
                                         health_body_changes=health_body_changes), actor)
        transfer.full_clean()
        transfer.save()
        timeline_record(case=case, actor=actor, kind="move_out_recorded", occurred_on=learnt_on,
                        summary=f"Family moving to {transfer.other_la_name}"
                                + (f" on {fmt_date(move_on)}" if move_on else "")
                                + f"; the plan must be sent by {fmt_date(plan_transfer_due(learnt_on, move_on))} "
                                  f"(reg 15(2))",
                        reason=notes)
    return transfer


def move_out_sent_record(*, actor, la_transfer: LaTransfer, version: int | None, token: uuid.UUID | None,
                         transferred_on: datetime.date,
                         health_notified_on: datetime.date | None = None) -> LaTransfer:
    """The plan was sent to the new council; this council's plan ceases with reason 5 the same day.

    A reg 16 notice still awaited can be recorded with it: once the plan has ceased, no step remains open on
    the case to record it.
    """
    transfer = la_transfer
    plan = transfer.plan
    case = plan.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("move-out-sent", case, transfer)
        not_future(transferred_on, "transferred_on")
        not_before(transferred_on, transfer.learnt_on, "transferred_on", "the date the council learnt of the move")
        not_before(transferred_on, transfer.move_on, "transferred_on", "the date of the move")
        if health_notified_on is not None:
            if not transfer.health_notice_due:
                raise StepRefused({"health_notified_on": "No notice to a new health commissioning body is awaited "
                                                         "for this move: leave this blank"})
            not_future(health_notified_on, "health_notified_on")
            not_before(health_notified_on, transfer.learnt_on, "health_notified_on",
                       "the date the council learnt of the move")
            transfer.health_body_changes, transfer.health_notified_on = True, health_notified_on
        transfer.transferred_on = transferred_on
        audited_by(transfer, actor).save()
        due = plan_transfer_due(transfer.learnt_on, transfer.move_on)
        timeline_record(case=case, actor=actor, kind="move_out_sent", occurred_on=transferred_on,
                        summary=f"Plan sent to {transfer.other_la_name}"
                                + ("; later than reg 15(2) allows" if transferred_on > due else "")
                                + (f"; new health commissioning body told on {fmt_date(health_notified_on)} "
                                   f"(reg 16)" if health_notified_on else ""))
        cease_for_transfer(actor=actor, case=case, plan=plan, transfer=transfer, ceased_on=transferred_on)
    return transfer


def move_in_notified_record(*, actor, la_transfer: LaTransfer, version: int | None, token: uuid.UUID | None,
                            notified_on: datetime.date, will_assess: bool,
                            review_proposed_on: datetime.date) -> LaTransfer:
    """The family was told the plan has transferred, whether we will assess, and when we will review (reg 15(4)).

    The review it proposes must fall by the reg 15(5) date: the later of 12 months from the plan or its last
    review and 3 months from the transfer.
    """
    transfer = la_transfer
    case = transfer.plan.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("move-in-notified", case, transfer)
        if will_assess not in (True, False):
            raise StepRefused({"will_assess": "Select whether this council proposes to make an EHC needs assessment"})
        not_future(notified_on, "notified_on")
        not_before(notified_on, transfer.transferred_on, "notified_on", "the date the plan transferred")
        not_before(review_proposed_on, transfer.transferred_on, "review_proposed_on", "the date the plan transferred")
        latest = transfer_review_due(transfer.transferred_on,
                                     transfer.plan_or_last_review_on or transfer.plan.issued_on)
        if review_proposed_on > latest:
            raise StepRefused({"review_proposed_on": f"The review must be held by {fmt_date(latest)}: the later of 12 "
                                                     f"months from the plan or its last review and 3 months from "
                                                     f"the transfer (SEND Regulations 2014 reg 15(5))"})
        transfer.family_notified_on, transfer.will_assess = notified_on, will_assess
        transfer.review_proposed_on = review_proposed_on
        audited_by(transfer, actor).save()
        assess = ("this council proposes to make an EHC needs assessment (record it as a re-assessment on the "
                  "council's initiative)" if will_assess else "this council does not propose to assess")
        timeline_record(case=case, actor=actor, kind="move_in_notified", occurred_on=notified_on,
                        summary=f"Family told the plan has transferred here; {assess}; review proposed for "
                                f"{fmt_date(review_proposed_on)} (reg 15(4))")
    return transfer


def move_cancel(*, actor, plan: Plan, version: int | None, token: uuid.UUID | None, cancelled_on: datetime.date,
                reason: str) -> LaTransfer:
    """The family is not moving after all: the pending move out is cancelled and its deadlines go.

    The record stays (with the reason) so the history is kept; a later move is recorded afresh. Refused once
    the plan has been sent, because the other council then maintains it (reg 15(3)).
    """
    case = plan.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("move-cancel", case, plan)
        transfer = open_transfer(plan, Direction.OUT)
        if not (reason or "").strip():
            raise StepRefused({"reason": "Enter why the move is not going ahead"})
        not_future(cancelled_on, "cancelled_on")
        not_before(cancelled_on, transfer.learnt_on, "cancelled_on", "the date the council learnt of the move")
        transfer.cancelled_on, transfer.cancel_reason = cancelled_on, reason.strip()
        audited_by(transfer, actor).save()
        timeline_record(case=case, actor=actor, kind="move_out_cancelled", occurred_on=cancelled_on,
                        summary=f"Move to {transfer.other_la_name} cancelled: the family is not moving; this council "
                                f"keeps maintaining the plan", reason=transfer.cancel_reason)
    return transfer


def move_health_notice_record(*, actor, plan: Plan, version: int | None, token: uuid.UUID | None,
                              health_body_changes: bool, notified_on: datetime.date | None = None) -> LaTransfer:
    """Whether the move changes the health commissioning body and, if it does, when the new body was told.

    SEND Regulations 2014 reg 16 [S]: the old commissioning body tells the new one on the day of the move, or
    within 15 working days beginning with the day it learnt of it. The council records it because the
    plan's health provision (section G) depends on it. "No" removes the deadline; "yes" needs the date.
    """
    case = plan.case
    with case_step(actor=actor, case=case, version=version, token=token):
        _check("move-health-notice", case, plan)
        transfer = open_transfer(plan, Direction.OUT)
        if health_body_changes not in (True, False):
            raise StepRefused({"health_body_changes": "Select whether the move changes the health commissioning "
                                                      "body"})
        if health_body_changes:
            if notified_on is None:
                raise StepRefused({"notified_on": "Enter the date the new health commissioning body was told"})
            not_future(notified_on, "notified_on")
            not_before(notified_on, transfer.learnt_on, "notified_on", "the date the council learnt of the move")
        transfer.health_body_changes = health_body_changes
        transfer.health_notified_on = notified_on if health_body_changes else None
        audited_by(transfer, actor).save()
        if health_body_changes:
            due = health_body_notice_due(transfer.learnt_on, transfer.move_on)
            summary = (f"New health commissioning body told of the move to {transfer.other_la_name} (reg 16)"
                       + ("; later than reg 16 allows" if notified_on > due else ""))
            occurred = notified_on
        else:
            summary = (f"The move to {transfer.other_la_name} does not change the health commissioning body: no "
                       f"notice is needed (reg 16)")
            occurred = timezone.localdate()
        timeline_record(case=case, actor=actor, kind="move_health_notice", occurred_on=occurred, summary=summary)
    return transfer


def _check_plan_content(*, needs: list[dict], outcomes: list[dict], provisions: list[dict], named_setting,
                        setting_type: str) -> None:
    """The received plan's content must be whole enough for the plan page, the deadlines and SEN2.

    SEN2 needs one primary need type and takes at most one secondary; section I names a setting or a type of
    setting; each provision item names a need (and any outcome) of this plan.
    """
    errors: dict[str, str] = {}
    ranks = [n.get("rank") for n in needs]
    if ranks.count(1) != 1:
        errors["need1_need_type"] = "Give the plan's primary need (SEN2 takes exactly one)"
    if ranks.count(2) > 1:
        errors["need2_need_type"] = "SEN2 takes at most one secondary need"
    for i, need in enumerate(needs, start=1):
        if need.get("area") not in AreaOfNeed.values:
            errors[f"need{i}_area"] = "Select the area of need"
        if need.get("need_type") not in NeedType.values:
            errors[f"need{i}_need_type"] = "Select the SEN2 need type"
        if not (need.get("description") or "").strip():
            errors[f"need{i}_description"] = "Enter the need as section B describes it"
    for i, outcome in enumerate(outcomes, start=1):
        if outcome.get("area") not in AreaOfNeed.values:
            errors[f"outcome{i}_area"] = "Select the area of need"
        if not (outcome.get("text") or "").strip():
            errors[f"outcome{i}_text"] = "Enter the outcome as section E states it"
    for i, item in enumerate(provisions, start=1):
        if item.get("area") not in AreaOfNeed.values:
            errors[f"provision{i}_area"] = "Select the area of need"
        for name, what in (("support", "what support"), ("provider", "who provides it"),
                           ("frequency", "how often"), ("duration", "for how long")):
            if not (item.get(name) or "").strip():
                errors[f"provision{i}_{name}"] = f"Enter {what}, as section F says"
        if not item.get("needs") or any(r not in ranks for r in item["needs"]):
            errors[f"provision{i}_needs"] = "Choose a need of this plan that the provision meets"
        if any(not 1 <= o <= len(outcomes) for o in item.get("outcomes", ())):
            errors[f"provision{i}_outcomes"] = "Choose only outcomes entered above"
    if named_setting is None and not (setting_type or "").strip():
        errors["named_setting"] = "Give the school or setting named in section I, or the type of setting"
    if errors:
        raise StepRefused(errors)


def _known_child(actor, child_details: dict) -> Child | None:
    """The child this council already knows by the UPN or ULN given, if they may be recorded as moving back in.

    Refused if that child still has a request or a plan here (nothing to transfer in), if the record is not one
    the user may see (its team records the move), or if the date of birth differs (a different child or a typing
    error): never a second record of one child.
    """
    for code in ("upn", "uln"):
        value = child_details.get(code)
        known = Child.objects.filter(la_id=actor.la_id, **{code: value}).first() if value else None
        if known is None:
            continue
        if known.cases.filter(stage__in=[*OPEN_STAGES, Stage.PLAN_ISSUED]).exists():
            raise StepRefused({code: f"A child with this {code.upper()} already has a request or a plan with this "
                                     f"council: record steps on that case instead"})
        if not children_visible_to(actor).filter(pk=known.pk).exists():
            raise StepRefused({code: f"A child with this {code.upper()} is known to another team of this council: "
                                     f"ask that team to record the plan transferred in"})
        if known.date_of_birth != child_details.get("date_of_birth"):
            raise StepRefused({"date_of_birth": f"This council's record of the child with this {code.upper()} gives "
                                                f"the date of birth {fmt_date(known.date_of_birth)}: check both"})
        return known
    return None


@transaction.atomic
def move_in_record(*, actor, token: uuid.UUID | None, child_details: dict, other_la_code: str, other_la_name: str,
                   plan_issued_on: datetime.date, transferred_on: datetime.date, needs: list[dict],
                   plan_or_last_review_on: datetime.date | None = None, learnt_on: datetime.date | None = None,
                   coordinator=None, notes: str = "", carers: list[dict] = (), named_setting=None,
                   setting_type: str = "", sections: dict | None = None, outcomes: list[dict] = (),
                   provisions: list[dict] = ()) -> Case:
    """A plan transferred from another council (reg 15), recorded as received.

    Creates the child, the parents or carers, a case at "Plan issued", the plan with its content, the transfer
    and version 1 of the plan, "as transferred in". From the transfer the plan is treated as made by this
    council on the date the old council made it (reg 15(3)(a)), so its date is the plan's date here.
    Needs are dicts (area, need_type, rank 1/2/3, description); provision names needs by rank and outcomes by
    their 1-based position in `outcomes`.
    """
    if not has_change_role(actor):
        raise NotAllowed("You cannot record plans transferred in.")
    # First, so a resent form is told it was recorded once; a refusal below rolls the claim back.
    _claim_token(token=token, actor=actor, case=None)
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
    not_before(transferred_on, learnt_on, "transferred_on", "the date this council learnt of the move")
    if plan_or_last_review_on is not None:
        not_before(plan_or_last_review_on, plan_issued_on, "plan_or_last_review_on", "the date of the plan")
        if plan_or_last_review_on > transferred_on:
            raise StepRefused({"plan_or_last_review_on": "The last review must be before the transfer"})
    carers = [c for c in carers if (c.get("first_name") or c.get("last_name") or "").strip()]
    for i, carer in enumerate(carers, start=1):
        for name, what in (("first_name", "first name"), ("last_name", "last name")):
            if not (carer.get(name) or "").strip():
                raise StepRefused({f"carer{i}_{name}": f"Enter the parent or carer's {what}"})
    if not carers and dob is not None and transferred_on <= school_leaving_date(dob):
        raise StepRefused({"carer1_first_name": "Enter the child's parent or carer: the council must tell them about "
                                                "the transfer within 6 weeks (SEND Regulations 2014 reg 15(4))"})
    _check_plan_content(needs=needs, outcomes=list(outcomes), provisions=list(provisions),
                        named_setting=named_setting, setting_type=setting_type)
    known = _known_child(actor, child_details)
    chosen = coordinator
    if coordinator is None and actor.role == "coordinator":
        coordinator = actor
    team = coordinator.teams.order_by("id").first() if coordinator is not None else None
    if known is None:
        child = Child(la_id=actor.la_id, team=team, coordinator=coordinator, **child_details)
    else:  # back in the area: the same record, brought up to date (its history keeps what it said before)
        child = known
        for name, value in child_details.items():
            setattr(child, name, value)
        if chosen is not None or child.coordinator_id is None:
            child.team, child.coordinator = team, coordinator
    child.setting = named_setting or child.setting
    audited_by(child, actor).full_clean()
    child.save()
    linked = {(c.first_name.lower(), c.last_name.lower()) for c in Carer.objects.filter(child_links__child=child)}
    carers = [c for c in carers if (c["first_name"].strip().lower(), c["last_name"].strip().lower()) not in linked]
    main_contact = not linked
    for i, details in enumerate(carers):
        carer = audited_by(Carer(la_id=actor.la_id, **{k: (details.get(k) or "").strip() for k in (
            "first_name", "last_name", "email", "phone", "address")}), actor)
        carer.full_clean()
        carer.save()
        audited_by(CarerLink(la_id=actor.la_id, child=child, carer=carer, main_contact=main_contact and i == 0,
                             relationship=(details.get("relationship") or "").strip() or "Parent"), actor).save()
    # The request was made to the other council: its date is not known here, so the plan's date stands in
    # for it. The engine shows no request-to-plan deadline for a transferred-in plan.
    case = audited_by(Case(la_id=actor.la_id, child=child, stage=Stage.PLAN_ISSUED, received_on=plan_issued_on,
                           source="5", requester_name=f"Transferred from {other_la_name.strip()}",
                           request_summary=notes), actor)
    case.save()
    last_review = plan_or_last_review_on if plan_or_last_review_on and plan_or_last_review_on > plan_issued_on \
        else None
    section_text = {f: (sections or {}).get(f, "") or "" for f in SECTION_FIELDS}
    plan = audited_by(Plan(la_id=actor.la_id, case=case, status=PlanStatus.FINAL, issued_on=plan_issued_on,
                           last_review_decision_on=last_review, named_setting=named_setting,
                           setting_type=(setting_type or "").strip(), **section_text), actor)
    plan.save()
    need_rows = {}
    for need in needs:
        row = audited_by(Need(la_id=actor.la_id, plan=plan, area=need["area"], need_type=need["need_type"],
                              rank=need["rank"], description=need["description"].strip()), actor)
        row.save()
        need_rows.setdefault(need["rank"], []).append(row)
    outcome_rows = []
    for outcome in outcomes:
        row = audited_by(Outcome(la_id=actor.la_id, plan=plan, area=outcome["area"], text=outcome["text"].strip(),
                                 by_when=(outcome.get("by_when") or "").strip()), actor)
        row.save()
        outcome_rows.append(row)
    for item in provisions:
        row = audited_by(Provision(la_id=actor.la_id, plan=plan, area=item["area"], **{k: item[k].strip() for k in (
            "support", "provider", "frequency", "duration")}), actor)
        row.save()
        row.needs.set([n for rank in item["needs"] for n in need_rows[rank]])
        row.outcomes.set([outcome_rows[o - 1] for o in item.get("outcomes", ())])
    transfer = audited_by(LaTransfer(la_id=actor.la_id, plan=plan, direction=Direction.IN,
                                     other_la_code=other_la_code, other_la_name=other_la_name.strip(),
                                     learnt_on=learnt_on, transferred_on=transferred_on,
                                     plan_or_last_review_on=plan_or_last_review_on or plan_issued_on,
                                     notes=notes), actor)
    transfer.full_clean()
    transfer.save()
    plan_version_record(actor=actor, plan=plan, kind=MOVED_IN_VERSION, issued_on=transferred_on)
    since = plan_or_last_review_on or plan_issued_on
    timeline_record(case=case, actor=actor, kind="move_in_recorded", occurred_on=transferred_on,
                    summary=f"EHC plan transferred from {transfer.other_la_name}: tell the family by "
                            f"{fmt_date(transfer_family_notice_due(transferred_on))} (reg 15(4)); review by "
                            f"{fmt_date(transfer_review_due(transferred_on, since))} (reg 15(5))",
                    to_stage=case.stage, reason=notes)
    case_refresh_deadlines(case=case)
    return case
