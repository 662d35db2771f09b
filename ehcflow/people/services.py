"""Writes to a child's own record: the details the SEN2 return reports of each person (name, date of birth,
sex, ethnicity, postcode, UPN, ULN and why neither is known).

The checks here are the one definition of valid details: the form shows their messages and the service refuses
anything that fails them, whoever calls it. A UPN is checked by the SEN2 validator's own rules (`ehcflow.sen2.rules`:
format and check letter), so what is saved here is what the return accepts. A change is saved with the person who
made it (django-simple-history) and refused, with nothing saved, when the record changed since the form was drawn.
"""

import datetime
import hashlib
import re

from django.db import transaction
from django.utils import timezone

from ehcflow.cases.services import audited_by
from ehcflow.core.codes import Ethnicity, Sex, UPNUnknown
from ehcflow.core.errors import NotAllowed, StepRefused
from ehcflow.people.models import Child, Placement
from ehcflow.sen2.rules import upn_check_letter, upn_format_ok

DETAIL_FIELDS = ("first_name", "last_name", "date_of_birth", "sex", "ethnicity", "postcode", "upn", "uln",
                 "upn_unknown_reason")

ULN_SHAPE = re.compile(r"^[1-9]\d{9}$")  # the Learning Records Service's: 10 digits, the first not 0
POSTCODE_SHAPE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}$")

UPN_FORMAT = ("Enter a UPN in the correct format: 13 characters, a letter, 11 numbers, then a number or letter, "
              "like A123456789012")
UPN_CHECK = ("Enter a real UPN: its first letter (the check letter) does not match the other 12 characters. "
             "Check it was copied correctly")
ULN_FORMAT = "Enter a ULN in the correct format: 10 numbers, not starting with 0, like 1234567890"
REASON_NEEDED = "Enter the UPN or ULN, or select why neither is known"
REASON_NOT_WANTED = "Select “Not applicable” when the UPN or ULN is given"


class DetailsChanged(StepRefused):
    """The child's details changed since the form was drawn: nothing was saved."""


def normal_upn(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def normal_postcode(value: str) -> str:
    """Upper case with one space before the inward code ("hx11aa" is "HX1 1AA"), as the return writes it."""
    squashed = re.sub(r"\s+", "", value or "").upper()
    return f"{squashed[:-3]} {squashed[-3:]}" if len(squashed) > 3 else squashed


def upn_problem(upn: str) -> str:
    """Why `upn` is not a UPN the DfE accepts, or "" when it is (or is empty)."""
    upn = normal_upn(upn)
    if not upn:
        return ""
    if not upn_format_ok(upn):
        return UPN_FORMAT
    if upn_check_letter(upn) != upn[0]:
        return UPN_CHECK
    return ""


def uln_problem(uln: str) -> str:
    uln = (uln or "").strip()
    return "" if not uln or ULN_SHAPE.match(uln) else ULN_FORMAT


def details_problems(data: dict, *, today: datetime.date | None = None) -> dict[str, str]:
    """Each field's problem, by field name: the same checks for the form and for the service."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    for name, label in (("first_name", "first name"), ("last_name", "last name")):
        if not (data.get(name) or "").strip():
            errors[name] = f"Enter the child's {label}"
    dob = data.get("date_of_birth")
    if not dob:
        errors["date_of_birth"] = "Enter the date of birth"
    elif dob > today:
        errors["date_of_birth"] = "Date of birth must be today or in the past"
    if data.get("sex") not in Sex.values:
        errors["sex"] = "Select the child's sex"
    if data.get("ethnicity") and data["ethnicity"] not in Ethnicity.values:
        errors["ethnicity"] = "Select the child's ethnicity from the list"
    postcode = normal_postcode(data.get("postcode", ""))
    if postcode and not POSTCODE_SHAPE.match(postcode):
        errors["postcode"] = "Enter a real postcode, like HX1 1AA"
    if problem := upn_problem(data.get("upn", "")):
        errors["upn"] = problem
    if problem := uln_problem(data.get("uln", "")):
        errors["uln"] = problem
    reason = data.get("upn_unknown_reason") or ""
    has_number = bool(normal_upn(data.get("upn", "")) or (data.get("uln") or "").strip())
    if reason and reason not in UPNUnknown.values:
        errors["upn_unknown_reason"] = "Select why neither the UPN nor the ULN is known from the list"
    elif not has_number and not reason:
        errors["upn_unknown_reason"] = REASON_NEEDED
    elif has_number and reason:
        errors["upn_unknown_reason"] = REASON_NOT_WANTED
    return errors


def details_version(child: Child) -> str:
    """A short digest of the details a form was drawn from: a save from a stale form is refused, not merged."""
    values = [getattr(child, name) for name in DETAIL_FIELDS]
    return hashlib.sha256(repr(values).encode()).hexdigest()[:16]


def child_update_details(*, actor, child: Child, version: str | None = None, **fields) -> Child:
    """Change the child's return details; nothing is saved if any is wrong, or if `version` is no longer current.

    Only the fields given change. A postcode or date of birth that moves the child into another team's cohort is
    left for a manager to act on (`ehcflow.teams.proposals.circumstance_changes`): it never moves the child here.
    """
    from ehcflow.sen2.access import can_change_details

    unknown = set(fields) - set(DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"Not a return detail of a child: {', '.join(sorted(unknown))}")
    if not can_change_details(actor, child):
        raise NotAllowed("You cannot change this child's details.")
    with transaction.atomic():
        current = Child.objects.select_for_update().get(pk=child.pk)
        if version is not None and details_version(current) != version:
            raise DetailsChanged(f"Someone else has changed {current.full_name}'s details since you opened this page. "
                              "Nothing has been saved. Check them as they are now, then try again.")
        cleaned = dict(fields)
        for name in ("first_name", "last_name", "uln"):
            if name in cleaned:
                cleaned[name] = (cleaned[name] or "").strip()
        if "upn" in cleaned:
            cleaned["upn"] = normal_upn(cleaned["upn"])
        if "postcode" in cleaned:
            cleaned["postcode"] = normal_postcode(cleaned["postcode"])
        for name in ("ethnicity", "upn_unknown_reason"):
            if name in cleaned:
                cleaned[name] = cleaned[name] or ""
        merged = {name: getattr(current, name) for name in DETAIL_FIELDS} | cleaned
        errors = details_problems(merged)
        if errors:
            raise StepRefused(errors)
        changed = [name for name in DETAIL_FIELDS if getattr(current, name) != merged[name]]
        if changed:
            for name in changed:
                setattr(current, name, merged[name])
            audited_by(current, actor).save(update_fields=[*changed, "updated_at"])
    for name in DETAIL_FIELDS:
        setattr(child, name, getattr(current, name))
    return current


# --- Placements: where the child is educated, as the SEN2 return reports it (PlacementDetail, item 5.7) -------

URN_SHAPE = re.compile(r"^\d{6}$")  # GIAS URN
UKPRN_SHAPE = re.compile(r"^1\d{7}$")  # UK provider reference number
PLACEMENT_FIELDS = ("reference", "setting_kind", "setting_kind_other", "rank", "entry_on", "sen_unit",
                    "resourced_provision", "residential", "work_based")
# Kinds that say no setting is named (guide 5.7c); OTH and NIEO need a few words of what it is (query SEN2-E03).
KINDS_NEEDING_DETAILS = {"OTH", "NIEO"}


def placement_problems(data: dict, child: Child) -> dict[str, str]:
    """What is wrong with a placement: the one definition the form shows and the service enforces."""
    problems: dict[str, str] = {}
    reference = (data.get("reference") or "").strip()
    kind = data.get("setting_kind") or ""
    if reference and kind:
        problems["reference"] = "Enter a URN or UKPRN, or select a type of setting, not both"
    elif not reference and not kind:
        problems["reference"] = "Enter the school or college's URN or UKPRN, or select a type of setting"
    elif reference and not (URN_SHAPE.match(reference) or UKPRN_SHAPE.match(reference)):
        problems["reference"] = "Enter a URN (6 numbers, like 117123) or a UKPRN (8 numbers starting 1)"
    if kind in KINDS_NEEDING_DETAILS and not (data.get("setting_kind_other") or "").strip():
        problems["setting_kind_other"] = "Enter what the setting or activity is"
    if kind == "NEET" and child.date_of_birth and data.get("entry_on"):
        if _age_on(child.date_of_birth, data["entry_on"]) < 16:
            problems["setting_kind"] = "Not in education, employment or training is for young people aged 16 to 25"
    entry = data.get("entry_on")
    if entry and entry > timezone.localdate():
        problems["entry_on"] = "The date started must be today or in the past"
    elif entry and child.date_of_birth and entry < child.date_of_birth:
        problems["entry_on"] = "The date started must be after the child's date of birth"
    return problems


def _age_on(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def placement_record(*, actor, child: Child, reference: str = "", setting_kind: str = "",
                     setting_kind_other: str = "", rank: int = 1, entry_on: datetime.date | None = None,
                     sen_unit: bool | None = None, resourced_provision: bool | None = None, residential: str = "",
                     work_based: str = "") -> Placement:
    """Record a setting the child attends (or that they are not in education), from the date they started."""
    from ehcflow.people.models import Setting
    from ehcflow.sen2.access import can_change_details

    if not can_change_details(actor, child):
        raise NotAllowed("You cannot change this child's details.")
    data = {"reference": reference, "setting_kind": setting_kind, "setting_kind_other": setting_kind_other,
            "entry_on": entry_on}
    errors = placement_problems(data, child)
    if errors:
        raise StepRefused(errors)
    reference = reference.strip()
    is_urn = bool(URN_SHAPE.match(reference))
    register = Setting.objects.filter(**({"urn": reference} if is_urn else {"ukprn": reference})).first() \
        if reference else None
    placement = Placement(la_id=child.la_id, child=child, setting=register, urn=reference if is_urn else "",
                          ukprn=reference if reference and not is_urn else "", setting_kind=setting_kind,
                          setting_kind_other=setting_kind_other.strip()[:100], rank=rank, entry_on=entry_on,
                          sen_unit=sen_unit, resourced_provision=resourced_provision, residential=residential,
                          work_based=work_based)
    placement.full_clean()
    with transaction.atomic():
        audited_by(placement, actor).save()
    return placement


def placement_end(*, actor, placement, leaving_on: datetime.date) -> Placement:
    """Record the date the child left a placement; a placement is never deleted, so the return's history stays."""
    from ehcflow.sen2.access import can_change_details

    if not can_change_details(actor, placement.child):
        raise NotAllowed("You cannot change this child's details.")
    if placement.leaving_on is not None:
        raise StepRefused({"leaving_on": "This placement has already ended"})
    if leaving_on > timezone.localdate():
        raise StepRefused({"leaving_on": "The date left must be today or in the past"})
    if placement.entry_on and leaving_on < placement.entry_on:
        raise StepRefused({"leaving_on": "The date left must be on or after the date started"})
    placement.leaving_on = leaving_on
    audited_by(placement, actor).save(update_fields=["leaving_on", "updated_at"])
    return placement
