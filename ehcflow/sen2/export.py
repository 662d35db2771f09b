"""The SEN2 return built from the record: who is in it, and every item of each person.

Everything is *as at the reference date* (the census day): a step recorded after it is not in that year's
return, so last year's return can be made again later and says what it said then. Who is in it (DfE SEN2
guide, "Collection period" and module 2): every child with a request received in the calendar year before
the census, a request from earlier still being worked on in that year, a plan active on the census day, or
a plan that ceased in the year; and anyone loaded from the council's own return for that year.

Items come from the records the statutory steps write (see ADR 0007 for the table); `sen2.LoadedRequest`
fills in only what a council's previous system recorded and ehcflow's steps do not. Reads are chunked with
a fixed number of queries per chunk, so the count does not grow with the council.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch, Q
from django.utils import timezone

from ehcflow.cases.models import OPEN_STAGES, Case, Stage
from ehcflow.people.models import Child, Placement
from ehcflow.sen2 import spec as sen2_spec
from ehcflow.sen2 import tree as sen2_tree
from ehcflow.sen2.tree import flag, iso

CHUNK = 500
SOFTWARE = "ehcflow"
RELEASE = "0.1.0"

# Disagreements (ehcflow.appeals) behind each pair of mediation/tribunal items (guide items 2.6-2.7, 3.3-3.6).
REQUEST_DISPUTES = {"refuse_assess"}
ASSESSMENT_DISPUTES = {"refuse_issue"}
OTHER_DISPUTES = {"plan_contents", "refuse_amend", "refuse_reassess", "cease"}
# 20-week exceptions (item 3.7): an exception recorded against the 20-week limits (reg 13(3), reg 10(4)).
WEEK20_KEYS = {"final_plan", "decision_not_to_issue"}
REVIEW_OUTCOME = {"maintain": "M", "amend": "A", "cease": "C"}
GENDER_CURRENT = {"M": "1", "F": "2"}  # the 2023 return's GenderCurrent


class Period:
    """The reference date and collection period of one year's return."""

    def __init__(self, spec: sen2_spec.Spec):
        self.year, self.ref, self.start, self.end = spec.year, spec.reference_date, spec.period_start, spec.period_end

    def upto(self, d: datetime.date | None) -> datetime.date | None:
        """`d` if it had happened by the reference date, else None."""
        return d if d is not None and d <= self.ref else None


def scope(la, period: Period) -> Q:
    """The requests (cases) in the return: see the module docstring."""
    start, end, ref = period.start, period.end, period.ref
    in_year = Q(received_on__range=(start, end))
    ongoing = Q(received_on__lt=start) & (
        Q(stage__in=OPEN_STAGES) | Q(decision__decided_on__gte=start) | Q(outcome_on__gte=start)
        | Q(withdrawn_on__gte=start) | Q(plan__issued_on__gte=start)
    )
    active = Q(plan__status="final") & (Q(plan__issued_on__lte=ref) | Q(plan__issued_on__isnull=True)) & (
        Q(stage=Stage.PLAN_ISSUED) | Q(plan__cessations__ceased_on__gte=start)
    )
    loaded = Q(loaded_return__year=period.year)
    return Q(la=la) & Q(received_on__lte=ref) & (in_year | ongoing | active | loaded)


def _cases_prefetch(period: Period) -> list:
    from ehcflow.appeals.models import Disagreement
    from ehcflow.cases.models import DeadlineException
    from ehcflow.ceasing.models import Cessation
    from ehcflow.moves.models import LaTransfer
    from ehcflow.reviews.models import AnnualReview
    from ehcflow.transfers.models import PhaseTransfer

    return [
        Prefetch("disagreements", queryset=Disagreement.objects.filter(notice_sent_on__lte=period.ref)),
        Prefetch("exceptions", queryset=DeadlineException.objects.filter(deadline_key__in=WEEK20_KEYS)
                 .only("id", "case_id", "deadline_key", "recorded_on")),
        "plan__named_settings__setting",
        "plan__needs",
        Prefetch("plan__reviews", queryset=AnnualReview.objects.prefetch_related("amendments")),
        Prefetch("plan__phase_transfers", queryset=PhaseTransfer.objects.all()),
        Prefetch("plan__cessations", queryset=Cessation.objects.exclude(ceased_on=None)),
        Prefetch("plan__la_transfers", queryset=LaTransfer.objects.filter(direction="in")),
    ]


def persons(la, spec: sen2_spec.Spec) -> Iterator[dict]:
    """Each person's tree, in surname order, a chunk of children at a time."""
    period = Period(spec)
    in_scope = Case.objects.filter(scope(la, period))
    child_ids = list(Child.objects.filter(la=la, pk__in=in_scope.values("child_id"))
                     .order_by("last_name", "first_name", "id").values_list("id", flat=True))
    for i in range(0, len(child_ids), CHUNK):
        ids = child_ids[i:i + CHUNK]
        children = Child.objects.filter(pk__in=ids).select_related("setting").prefetch_related(
            Prefetch("placements", queryset=Placement.objects.select_related("setting")))
        by_child: dict[int, list[Case]] = {}
        cases = (Case.objects.filter(scope(la, period), child_id__in=ids).distinct()
                 .select_related("decision", "plan", "plan__named_setting", "loaded_return")
                 .prefetch_related(*_cases_prefetch(period)).order_by("received_on", "id"))
        for case in cases:
            by_child.setdefault(case.child_id, []).append(case)
        order = {pk: n for n, pk in enumerate(ids)}
        for child in sorted(children, key=lambda c: order[c.pk]):
            yield person_tree(child, by_child.get(child.pk, []), period)


def person_tree(child: Child, cases: list[Case], period: Period) -> dict:
    p = {"_child_id": child.pk, "Surname": child.last_name, "Forename": child.first_name,
         "PersonBirthDate": iso(child.date_of_birth), "Ethnicity": child.ethnicity, "PostCode": child.postcode,
         "UPN": child.upn, "UniqueLearnerNumber": child.uln, "UPNunknown": child.upn_unknown_reason}
    # Both spellings of the item; the year's item table decides which is written (2023: GenderCurrent; then Sex).
    p["GenderCurrent"], p["Sex"] = GENDER_CURRENT.get(child.sex, ""), child.sex
    p["Requests"] = [request_tree(case, child, period) for case in cases]
    return p


def related_or_none(obj, name: str):
    """A reverse one-to-one (case.plan, case.decision, case.loaded_return), or None where there is none."""
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


def _decision(case: Case, period: Period):
    d = related_or_none(case, "decision")
    return d if d is not None and period.upto(d.decided_on) else None


def _disputes(case: Case, kinds: set[str], period: Period) -> tuple[bool, bool] | None:
    rows = [d for d in case.disagreements.all() if d.kind in kinds]
    if not rows:
        return None
    mediation = any(period.upto(d.mediation_held_on) or d.mediation_wanted or period.upto(d.certificate_issued_on)
                    for d in rows)
    tribunal = any(period.upto(d.appeal_registered_on) for d in rows)
    return mediation, tribunal


def _flags(tree: dict, names: tuple[str, str], derived, loaded_values, always: bool) -> None:
    """Mediation/tribunal pairs: the record's disagreements, else the loaded return's; 0s only where asked."""
    if derived is not None:
        values = derived
    elif any(v is not None for v in loaded_values):
        values = loaded_values
    elif always:
        values = (False, False)
    else:
        return
    for name, value in zip(names, values):
        tree[name] = flag(value)


def _issued(plan, period: Period) -> bool:
    return plan is not None and plan.status == "final" and (plan.issued_on is None or period.upto(plan.issued_on))


def _ceased(plan, period: Period):
    ceased = [c for c in plan.cessations.all() if period.upto(c.ceased_on)] if plan is not None else []
    return max(ceased, key=lambda c: c.ceased_on) if ceased else None


def request_outcome(case: Case, plan, decision, loaded, period: Period) -> str:
    """Item 2.5: Y/N once the decision to assess is made; W withdrawn before it; A awaiting it; H decided
    before the collection period (or a plan that came with the child from another council)."""
    if loaded is not None and loaded.year == period.year and loaded.request_outcome:
        return loaded.request_outcome
    if loaded is not None and loaded.request_outcome == "H":
        return "H"
    if decision is not None:
        if decision.outcome == "assess":
            return "H" if decision.decided_on < period.start else "Y"
        return "N"
    if case.stage == Stage.WITHDRAWN and (case.withdrawn_on is None or period.upto(case.withdrawn_on)):
        return "W"
    if _issued(plan, period):
        return "H"  # transferred in, or loaded with no decision date
    return "A"


def assessment_outcome(case: Case, plan, loaded, period: Period) -> str:
    """Item 3.1: Y when the plan is issued, N when the council decided not to issue, W withdrawn, A awaiting;
    H for a plan issued before the collection period or transferred in from another council."""
    if loaded is not None and loaded.year == period.year and loaded.assessment_outcome:
        return loaded.assessment_outcome
    if _issued(plan, period):
        moved_in = any(t.transferred_on for t in plan.la_transfers.all())
        if moved_in or plan.issued_on is None or plan.issued_on < period.start:
            return "H"
        return "Y"
    if case.outcome == "not_issue" and period.upto(case.outcome_on):
        return "H" if case.outcome_on < period.start else "N"
    if case.stage == Stage.WITHDRAWN and (case.withdrawn_on is None or period.upto(case.withdrawn_on)):
        return "W"
    return "A"


def request_tree(case: Case, child: Child, period: Period) -> dict:
    plan, loaded = related_or_none(case, "plan"), related_or_none(case, "loaded_return")
    decision = _decision(case, period)
    r: dict = {"_case_id": case.pk}
    if not case.received_on_unknown:
        r["ReceivedDate"] = iso(case.received_on)
        r["RYA"] = flag(case.youth_accommodation)
    r["RequestSource"] = case.source
    outcome = request_outcome(case, plan, decision, loaded, period)
    r["RequestOutcome"] = outcome
    if decision is not None:
        r["RequestOutcomeDate"] = iso(decision.decided_on)
    if outcome in ("A", "W"):
        return r  # guide: nothing further in the request module
    lv = loaded
    _flags(r, ("RequestMediation", "RequestTribunal"), _disputes(case, REQUEST_DISPUTES, period),
           (lv.request_mediation, lv.request_tribunal) if lv else (None, None), always=outcome == "N")
    if lv and lv.exported_la:
        r["Exported"] = lv.exported_la
        return r  # guide: nothing further from the exporting council
    if outcome == "N":
        return r
    r["Assessment"] = assessment_tree(case, plan, loaded, period)
    if _active(plan, period) or (loaded is not None and loaded.year == period.year and loaded.active_plans):
        r["ActivePlans"] = active_plans_tree(case, child, plan, loaded, period)
    return r


def _active(plan, period: Period) -> bool:
    if not _issued(plan, period):
        return False
    ceased = _ceased(plan, period)
    return ceased is None


def assessment_tree(case: Case, plan, loaded, period: Period) -> dict:
    outcome = assessment_outcome(case, plan, loaded, period)
    a: dict = {"AssessmentOutcome": outcome}
    if outcome in ("Y", "H") and plan is not None and plan.issued_on:
        a["AssessmentOutcomeDate"] = iso(plan.issued_on)
    elif outcome == "N" and case.outcome_on:
        a["AssessmentOutcomeDate"] = iso(case.outcome_on)
    elif loaded is not None and loaded.assessment_outcome_on and outcome not in ("A", "W"):
        a["AssessmentOutcomeDate"] = iso(loaded.assessment_outcome_on)
    if outcome in ("A", "W"):
        return a  # guide: nothing further in this or later modules
    lv = loaded
    decided = outcome in ("Y", "N")
    _flags(a, ("AssessmentMediation", "AssessmentTribunal"), _disputes(case, ASSESSMENT_DISPUTES, period),
           (lv.assessment_mediation, lv.assessment_tribunal) if lv else (None, None), always=decided)
    _flags(a, ("OtherMediation", "OtherTribunal"), _disputes(case, OTHER_DISPUTES, period),
           (lv.other_mediation, lv.other_tribunal) if lv else (None, None), always=decided)
    # Week20 describes a decision made in the collection year (Y/N); for a historical outcome only as loaded.
    if decided and any(period.upto(e.recorded_on) for e in case.exceptions.all()):
        a["Week20"] = "1"
    elif lv is not None and lv.week20 is not None:
        a["Week20"] = flag(lv.week20)
    elif decided:
        a["Week20"] = "0"
    if outcome in ("Y", "H") and plan is not None and plan.status == "final":
        a["NamedPlan"] = named_plan_tree(plan, loaded, period)
    return a


def setting_ref(ref, rank: int | None = None) -> dict:
    """A PlanDetail/PlacementDetail's where-abouts: the URN, UKPRN or kind exactly as the record holds them."""
    d = {"URN": ref.urn, "UKPRN": ref.ukprn, "SENsetting": ref.setting_kind,
         "SENsettingOther": ref.setting_kind_other, "PlacementRank": str(rank or ref.rank),
         "SENunitIndicator": flag(ref.sen_unit), "ResourcedProvisionIndicator": flag(ref.resourced_provision)}
    if ref.setting_id and not (ref.urn or ref.ukprn or ref.setting_kind):
        d.update(_register(ref.setting))
    return d


def _register(setting) -> dict:
    """A setting from the register: its URN, else its UKPRN, else 'other' with its name."""
    if setting.urn:
        return {"URN": setting.urn}
    if setting.ukprn:
        return {"UKPRN": setting.ukprn}
    return {"SENsetting": "OTH", "SENsettingOther": setting.name[:100]}


def named_plan_tree(plan, loaded, period: Period) -> dict:
    n: dict = {"StartDate": iso(plan.start_on or plan.issued_on)}
    named = list(plan.named_settings.all())
    if named:
        n["PlanDetail"] = [setting_ref(s) for s in named]
    elif plan.named_setting_id:
        n["PlanDetail"] = [{**_register(plan.named_setting), "PlacementRank": "1"}]
    elif plan.setting_type:
        # A type of setting named with no setting: SENsetting OTH with the type as its details (guide 4.7c).
        n["PlanDetail"] = [{"SENsetting": "OTH", "SENsettingOther": plan.setting_type[:100], "PlacementRank": "1"}]
    n.update({"PlanRes": plan.residential, "PlanWBP": plan.work_based, "PB": flag(plan.personal_budget),
              "OA": flag(plan.organised_arrangements), "DP": plan.direct_payments})
    ceased = _ceased(plan, period)
    if ceased is not None:
        n["CeaseDate"], n["CeaseReason"] = iso(ceased.ceased_on), ceased.reason
    elif loaded is not None and loaded.cease_on and period.upto(loaded.cease_on):
        n["CeaseDate"], n["CeaseReason"] = iso(loaded.cease_on), loaded.cease_reason
    elif loaded is not None and loaded.cease_reason:
        n["CeaseReason"] = loaded.cease_reason
    return n


def placements(child: Child, period: Period) -> list[dict]:
    rows = [p for p in child.placements.all()
            if (p.entry_on is None or p.entry_on <= period.ref) and (p.leaving_on is None or p.leaving_on >= period.start)]
    if rows:
        out = []
        for p in rows:
            d = setting_ref(p)
            d.update({"EntryDate": iso(p.entry_on), "LeavingDate": iso(period.upto(p.leaving_on)),
                      "Res": p.residential, "WBP": p.work_based})
            out.append(d)
        return out
    if child.setting_id:  # no placement history recorded: the current setting is the primary placement
        return [{**_register(child.setting), "PlacementRank": "1"}]
    return []


def active_plans_tree(case: Case, child: Child, plan, loaded, period: Period) -> dict:
    lv = loaded
    ap: dict = {}
    moved_in = [t for t in plan.la_transfers.all() if t.transferred_on and period.start <= t.transferred_on <= period.ref] \
        if plan is not None else []
    ap["TransferLA"] = moved_in[-1].other_la_code if moved_in else (lv.transfer_la if lv else "")
    ap["PlacementDetail"] = placements(child, period)
    if plan is not None:
        ap["SENneed"] = [{"SENtype": n.need_type, "SENtypeRank": str(n.rank)}
                         for n in plan.needs.all() if n.rank in (1, 2)]
    review = _latest_review(plan, period)
    if review is not None:
        ap["ReviewMeeting"] = iso(review.held_on or review.meeting_on)
        if review.decision and (review.decision_on is None or period.upto(review.decision_on)):
            ap["ReviewOutcome"] = REVIEW_OUTCOME[review.decision]
            ap["LastReview"] = iso(review.decision_on)
        drafts = [a.proposals_sent_on for a in review.amendments.all() if period.upto(a.proposals_sent_on)]
        if drafts:
            ap["ReviewDraft"] = iso(max(drafts))
    elif lv is not None:
        ap.update({"ReviewMeeting": iso(lv.review_meeting_on), "ReviewOutcome": lv.review_outcome,
                   "ReviewDraft": iso(lv.review_draft_on)})
    if "LastReview" not in ap and plan is not None and period.upto(plan.last_review_decision_on):
        ap["LastReview"] = iso(plan.last_review_decision_on)
    if "LastReview" not in ap and lv is not None:
        ap["LastReview"] = iso(lv.last_review_on)
    transfer = _phase_transfer(plan, period)
    if transfer is not None:
        ap["PhaseTransferDueDate"] = iso(transfer.due_on)
        ap["PhaseTransferFinalDate"] = iso(period.upto(transfer.completed_on))
    elif lv is not None:
        ap["PhaseTransferDueDate"] = iso(lv.phase_transfer_due_on)
        ap["PhaseTransferFinalDate"] = iso(lv.phase_transfer_final_on)
    return ap


def _latest_review(plan, period: Period):
    if plan is None:
        return None
    held = [r for r in plan.reviews.all() if period.upto(r.held_on or r.meeting_on)]
    return max(held, key=lambda r: (r.held_on or r.meeting_on, r.pk)) if held else None


def _phase_transfer(plan, period: Period):
    """The phase transfer worked on in the collection year: due in it, or started by the census day."""
    if plan is None:
        return None
    rows = [t for t in plan.phase_transfers.all() if period.upto(t.started_on) and t.due_on >= period.start]
    return max(rows, key=lambda t: (t.due_on, t.pk)) if rows else None


def header(la, spec: sen2_spec.Spec, now: datetime.datetime | None = None) -> dict:
    now = timezone.localtime(now or timezone.now()).replace(microsecond=0, tzinfo=None)
    return {
        "CollectionDetails": {"Collection": "SEN2", "Year": str(spec.year), "ReferenceDate": iso(spec.reference_date)},
        "Source": {"SourceLevel": "L", "LEA": la.code, "SoftwareCode": SOFTWARE, "Release": RELEASE,
                   "SerialNo": "001", "DateTime": now.isoformat(), "DMO": la.dmo, "DCO": la.dco, "DSCO": la.dsco},
    }


def write_return(*, la, year: int, out, now=None):
    from ehcflow.sen2.services import ExportResult

    spec = sen2_spec.load(year)
    opened = isinstance(out, str)
    f = open(out, "wb") if opened else out
    try:
        n = sen2_tree.write(f, spec, header(la, spec, now), persons(la, spec))
    finally:
        if opened:
            f.close()
    return ExportResult(year=year, persons=n)


def data_quality(*, la, year: int):
    """The coming return's problems from the record: schema and business rules per person, no file."""
    from ehcflow.sen2 import rules as sen2_rules
    from ehcflow.sen2.selectors import DataQualityReport

    spec = sen2_spec.load(year)
    person_el = spec.element("Message/Persons/Person")
    # The return will be made after its census day: check the header as it will be then, not as it is today.
    made = timezone.make_aware(datetime.datetime.combine(spec.reference_date + datetime.timedelta(days=1),
                                                         datetime.time(9)))
    head = header(la, spec, made)
    problems = list(sen2_rules.check_header(head, spec))
    problems += sen2_tree.schema_problems(sen2_tree.to_element(head, spec.element("Message/Header")),
                                          year, {}, None, root="Header")
    n = 0
    duplicates = sen2_rules.Duplicates()  # the same UPN or ULN on two children of the council
    for n, person in enumerate(persons(la, spec), start=1):
        problems += person_problems_of(person, spec, person_el, n)
        problems += duplicates.check(person, n)
    return DataQualityReport(year=year, reference_date=iso(spec.reference_date), persons=n, problems=problems)


def person_problems_of(person: dict, spec, person_el, index: int) -> list:
    from ehcflow.sen2 import rules as sen2_rules
    from ehcflow.sen2.problems import Problem, person_label

    who = {"person": index, "person_label": person_label(person), "upn": person.get("UPN", ""),
           "child_id": person.get("_child_id")}
    found = [Problem(**{**p.__dict__, **who})
             for p in sen2_tree.schema_problems(sen2_tree.to_element(person, person_el), spec.year, {}, None)]
    return found + list(sen2_rules.check_person(person, spec, index=index))


def person_problems(child: Child, year: int | None = None) -> list:
    """One child's problems in the coming (or given) return: for the child's return-details page."""
    spec = sen2_spec.load(year or sen2_spec.year_for_reference(timezone.localdate()))
    period = Period(spec)
    cases = list(Case.objects.filter(scope(child.la, period), child=child).distinct()
                 .select_related("decision", "plan", "plan__named_setting", "loaded_return")
                 .prefetch_related(*_cases_prefetch(period)).order_by("received_on", "id"))
    if not cases:
        return []
    child = Child.objects.select_related("setting").prefetch_related("placements__setting").get(pk=child.pk)
    person = person_tree(child, cases, period)
    return person_problems_of(person, spec, spec.element("Message/Persons/Person"), 1)
