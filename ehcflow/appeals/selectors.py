"""Reads for mediation and appeals: the engine's clocks, the case page section, the SEN2 flags and the work list."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, prefetch_related_objects
from django.urls import reverse

from ehcflow.appeals.models import DecisionKind, Disagreement, Order, Outcome
from ehcflow.appeals.services import STAGES, step_refusal
from ehcflow.appeals.steps import SPECS
from ehcflow.cases.access import cases_visible_to
from ehcflow.deadlines.rules import tribunal_appeal_due


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
        order=d.order or None, order_on=d.order_on, first_step_on=d.first_step_on, complied_on=d.complied_on,
        mediation_held_on=d.mediation_held_on, compliance=d.compliance or None)


# SEN2 (2025 onwards) mediation and tribunal flags: about the request (refusal to assess), the assessment
# (refusal to issue), or other decisions (plan contents, amendments, re-assessment, ceasing).
_SEN2_GROUP = {DecisionKind.REFUSE_ASSESS: "Request", DecisionKind.REFUSE_ISSUE: "Assessment"}


def sen2_flags(case) -> dict:
    """SEN2 RequestMediation/RequestTribunal/AssessmentMediation/AssessmentTribunal/OtherMediation/OtherTribunal.

    1 when the family took a disagreement of that group to mediation (held, or wanted and contacted) or to the
    Tribunal (an appeal registered); 0 otherwise. Uses the prefetched disagreements when loaded. How an order
    was complied with does not change them: a decision not to issue a plan after an ordered assessment is a
    new appealable decision, recorded (and flagged) as its own disagreement.
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


# --- The appeals work list -----------------------------------------------------------------------------

WHERE = {
    "contact": "Awaiting mediation contact",
    "mediation": "Mediation",
    "certificate": "Certificate",
    "appeal": "Appeal registered",
    "order": "Order to comply with",
}


def where_it_is(d: Disagreement) -> tuple[str, str]:
    """(code from WHERE, words for the row): the point an open disagreement has reached."""
    if d.order and d.order != Order.NONE:
        return "order", f"Order: {d.get_order_display().lower()}"
    if d.appeal_registered_on is not None:
        if d.outcome in (Outcome.UPHELD, Outcome.CONCEDED):
            return "appeal", f"{d.get_outcome_display()}: record the order"
        return "appeal", "Appeal registered: awaiting the Tribunal"
    if d.mediation_contacted_on is None:
        return "contact", "Awaiting the family's contact with the mediation adviser"
    if d.certificate_issued_on is not None:
        return "certificate", "Certificate issued: the family may appeal"
    if d.mediation_wanted and d.mediation_held_on is None:
        return "mediation", "Mediation wanted: to be held"
    return "certificate", "Certificate due" + (" after mediation" if d.mediation_held_on else "")


def _lapsed(d: Disagreement, today: datetime.date) -> bool:
    """No appeal, nothing left for the council to issue, and the family's time to appeal has passed."""
    if d.appeal_registered_on is not None:
        return False
    if d.mediation_contacted_on is not None and d.certificate_issued_on is None:
        return False  # a certificate is still owed (reg 34, or after mediation)
    return today > tribunal_appeal_due(d.notice_sent_on, d.certificate_issued_on)


# Every appeal deadline ends by notice + 2 months, or certificate + 1 month, moved at most to 1 September or
# the first working day of January (HESC r.12): older rows are left out in the query, the rest in Python.
_LATEST_NOTICE_DAYS, _LATEST_CERTIFICATE_DAYS = 2 * 31 + 40, 31 + 40


def open_disagreements(*, user, today: datetime.date, team: int | None = None) -> list[Disagreement]:
    """Open disagreements on the cases this user may see (one query): not finished, not lapsed."""
    recent = (Q(appeal_registered_on__isnull=False)
              | Q(mediation_contacted_on__isnull=False, certificate_issued_on__isnull=True)
              | Q(notice_sent_on__gte=today - datetime.timedelta(days=_LATEST_NOTICE_DAYS))
              | Q(certificate_issued_on__gte=today - datetime.timedelta(days=_LATEST_CERTIFICATE_DAYS)))
    qs = (Disagreement.objects.filter(case__in=cases_visible_to(user), complied_on__isnull=True)
          .exclude(outcome__in=[Outcome.DISMISSED, Outcome.WITHDRAWN]).exclude(order=Order.NONE).filter(recent))
    if team:
        qs = qs.filter(case__child__team_id=team)
    qs = qs.select_related("case__child__team", "case__child__coordinator").order_by("notice_sent_on", "pk")
    return [d for d in qs if not d.is_finished and not _lapsed(d, today)]


@dataclass(frozen=True)
class WorkRow:
    """One open disagreement on the work list, with the council's next deadline on it."""

    d: Disagreement
    where: str
    where_text: str
    deadline: object | None  # the council's next engine Deadline, or None while only the family can act
    family: object | None  # the family's running time limit, shown when the council has no deadline
    today: datetime.date

    @property
    def days_left(self) -> int | None:
        return self.deadline.days_left(self.today) if self.deadline else None


def work_rows(items: list[Disagreement], today: datetime.date) -> list[WorkRow]:
    """Rows in deadline order (most urgent first; rows where only the family can act last). No queries."""
    from ehcflow.deadlines.engine import STATUS_OPEN, disagreement_deadlines, next_deadline

    rows = []
    for d in items:
        deadlines = disagreement_deadlines(disagreement_clock(d), today)
        nxt = next_deadline(deadlines)
        family = None if nxt else next((x for x in deadlines if x.family and x.status == STATUS_OPEN), None)
        code, text = where_it_is(d)
        rows.append(WorkRow(d, code, text, nxt, family, today))
    far = datetime.date.max
    return sorted(rows, key=lambda r: (r.deadline.due if r.deadline else far,
                                       r.family.due if r.family else far, r.d.notice_sent_on, r.d.pk))
