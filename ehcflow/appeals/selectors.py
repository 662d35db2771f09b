"""Reads for mediation and appeals: the engine's clocks, the case page section and the SEN2 flags."""

from django.db.models import prefetch_related_objects
from django.urls import reverse

from ehcflow.appeals.models import DecisionKind, Disagreement
from ehcflow.appeals.services import STAGES, step_refusal
from ehcflow.appeals.steps import SPECS


def disagreements_of(case) -> list[Disagreement]:
    """The case's disagreements, loaded once: none can exist before a refusal or a plan, so no query then."""
    if case.stage not in STAGES:
        return []
    if "disagreements" not in getattr(case, "_prefetched_objects_cache", {}):
        prefetch_related_objects([case], "disagreements")
    return list(case.disagreements.all())


def disagreement_clock(d: Disagreement):
    from ehcflow.deadlines.engine import DisagreementClock

    return DisagreementClock(
        ref=str(d.pk), notice_sent_on=d.notice_sent_on, mediation_contacted_on=d.mediation_contacted_on,
        mediation_wanted=d.mediation_wanted, certificate_issued_on=d.certificate_issued_on,
        appeal_registered_on=d.appeal_registered_on, certificate_needed=d.certificate_needed,
        order=d.order or None, order_on=d.order_on, first_step_on=d.first_step_on, complied_on=d.complied_on)


# SEN2 (2025 onwards) mediation and tribunal flags: about the request (refusal to assess), the assessment
# (refusal to issue), or other decisions (plan contents, amendments, re-assessment, ceasing).
_SEN2_GROUP = {DecisionKind.REFUSE_ASSESS: "Request", DecisionKind.REFUSE_ISSUE: "Assessment"}


def sen2_flags(case) -> dict:
    """SEN2 RequestMediation/RequestTribunal/AssessmentMediation/AssessmentTribunal/OtherMediation/OtherTribunal.

    1 when the family took a disagreement of that group to mediation (held, or wanted and contacted) or to the
    Tribunal (an appeal registered); 0 otherwise. Uses the prefetched disagreements when loaded.
    """
    flags = {f"{g}{w}": 0 for g in ("Request", "Assessment", "Other") for w in ("Mediation", "Tribunal")}
    for d in disagreements_of(case):
        group = _SEN2_GROUP.get(d.kind, "Other")
        if d.mediation_held_on is not None or d.mediation_wanted:
            flags[f"{group}Mediation"] = 1
        if d.appeal_registered_on is not None:
            flags[f"{group}Tribunal"] = 1
    return flags


def case_section(case, can_change: bool) -> dict | None:
    """What the case page's "Mediation and appeals" section shows, from the prefetched disagreements."""
    from ehcflow.appeals.services import KINDS_BY_STAGE

    rows = disagreements_of(case)
    if not rows and case.stage not in KINDS_BY_STAGE:
        return None
    items = []
    for d in rows:
        actions = []
        if can_change:
            for slug, title, *_ in SPECS[1:]:
                if step_refusal(slug, case, d) is None:
                    actions.append({"title": title, "url": reverse("case_step_target", args=[case.pk, slug, d.pk])})
        items.append({"d": d, "actions": actions})
    notice_url = (reverse("case_step", args=[case.pk, "appeal-notice"])
                  if can_change and step_refusal("appeal-notice", case) is None else None)
    return {"items": items, "notice_url": notice_url}
