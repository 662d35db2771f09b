"""Loading a council's SEN2 return into ehcflow: the way a council's caseload moves onto the product.

All or nothing: the whole file is loaded in one transaction, and a dry run is the same work rolled back,
so what it reports is exactly what a real run would do. The file is refused, and nothing changes, when it
cannot be read as a return or holds a value ehcflow cannot keep (a code not in the year's code set, a date
that is not a date, a name longer than the record holds). Other defects are loaded as written and reported,
so the data-quality page can take them up.

People are matched to the council's children by UPN, then ULN, then surname, forename and date of birth;
requests to the child's cases by the date received. For what an earlier import loaded, a value in the file
replaces the record's; an item the file leaves out never erases what the record has. What ehcflow's own steps
recorded is never changed by a file: such a child's blank details are filled in, nothing more. Importing the same file twice changes nothing the second
time. Items the guide does not allow where they stand (an assessment under a refused request, details of a
plan under an assessment still awaiting a decision) are reported and not loaded (rule SEN2-I10); every item
that is loaded comes back out of `sen2_export` for the same year.
"""

from __future__ import annotations

import datetime
import time
from collections import Counter

from django.db import transaction

from ehcflow.cases.models import Case, PanelDecision, Stage, TimelineEvent
from ehcflow.cases.services import audited_by
from ehcflow.ceasing.models import Cessation
from ehcflow.core.codes import DesignatedOfficer
from ehcflow.people.models import Child, Placement, Setting
from ehcflow.plans.models import NamedSetting, Need, Plan, PlanStatus
from ehcflow.reviews.models import Amendment, AnnualReview
from ehcflow.sen2 import spec as sen2_spec
from ehcflow.sen2 import tree as sen2_tree
from ehcflow.sen2.export import related_or_none
from ehcflow.sen2.models import LoadedRequest
from ehcflow.sen2.problems import ERROR, QUERY, Problem, person_label
from ehcflow.tenancy.models import LocalAuthority

# Section B's area of need for a SEN2 need type (SEND Code of Practice 6.28-6.35), for needs loaded as codes.
NEED_AREA = {"ASD": "communication", "SLCN": "communication", "MLD": "cognition", "SLD": "cognition",
             "PMLD": "cognition", "SPLD": "cognition", "DS": "cognition", "OTH": "cognition", "SEMH": "semh",
             "HI": "sensory_physical", "VI": "sensory_physical", "MSI": "sensory_physical", "PD": "sensory_physical"}
REVIEW_DECISION = {"M": "maintain", "A": "amend", "C": "cease"}
SEX_FROM_GENDER = {"1": "M", "2": "F"}
# Longest value the record keeps for a person's text items.
MAX_LEN = {"Surname": 80, "Forename": 80, "PostCode": 10, "UPN": 20, "UniqueLearnerNumber": 10, "URN": 8,
           "UKPRN": 8, "SENsettingOther": 100}
# A code used in the wrong place is loaded and reported, not refused, where the record's field takes it: a named
# setting is held with the same kinds as a placement (NEET in a PlanDetail is an error the validator reports).
HOLDS = {"PlanSetting": "PlacementSetting"}
REQUEST_KEEP_PENDING = ("ReceivedDate", "RequestSource", "RYA", "RequestOutcome", "_line", "_case_id")


class _Rollback(Exception):
    pass


def _date(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def _bool(text: str | None) -> bool | None:
    return None if not text else text == "1"


# --- what ehcflow can hold -----------------------------------------------------------------------------

def unholdable(tree: dict, el: sen2_spec.Element, spec: sen2_spec.Spec, path: str) -> list[tuple[str, str]]:
    """(path, reason) for each value ehcflow cannot keep: the file is refused if there is any."""
    out = []
    for child in el.children:
        value = tree.get(child.name)
        if value in (None, "", [], {}):
            continue
        where = f"{path}/{child.name}"
        if child.is_group:
            items = value if isinstance(value, list) else [value]
            for i, item in enumerate(items, start=1):
                out += unholdable(item, child, spec, f"{where}[{i}]" if isinstance(value, list) else where)
        elif child.type == "code":
            if value not in spec.codes.get(HOLDS.get(child.codeset, child.codeset), {}):
                out.append((where, f"{child.name} '{value}' is not a code of the {spec.year} return"))
        elif child.type in ("date", "datetime"):
            try:
                (datetime.datetime if child.type == "datetime" else datetime.date).fromisoformat(value)
            except ValueError:
                out.append((where, f"{child.name} '{value}' is not a date (YYYY-MM-DD)"))
        elif child.name in MAX_LEN and len(value) > MAX_LEN[child.name]:
            out.append((where, f"{child.name} '{value[:30]}' is longer than {MAX_LEN[child.name]} characters"))
    return out


# --- what the guide allows where it stands -------------------------------------------------------------

def prune(person: dict) -> list[str]:
    """Drop the items the guide does not allow where they stand; return their paths (not loaded)."""
    dropped: list[str] = []

    def drop(d: dict, keys, where: str) -> None:
        for k in list(keys):
            if k in d and not k.startswith("_"):
                dropped.append(f"{where}/{k}")
                del d[k]

    for i, r in enumerate(person.get("Requests", []), start=1):
        where = f"Person/Requests[{i}]"
        outcome = r.get("RequestOutcome", "")
        if outcome in ("A", "W") or not outcome:
            drop(r, [k for k in r if k not in REQUEST_KEEP_PENDING], where)
            continue
        if r.get("Exported") or outcome == "N":
            drop(r, ["Assessment", "ActivePlans"], where)
            continue
        a = r.get("Assessment")
        if a is None:
            drop(r, ["ActivePlans"], where)
            continue
        ao = a.get("AssessmentOutcome", "")
        if ao in ("A", "W"):
            drop(a, [k for k in a if k != "AssessmentOutcome"], f"{where}/Assessment")
        if ao not in ("Y", "H"):
            drop(a, ["NamedPlan"], f"{where}/Assessment")
        if "NamedPlan" not in a:
            drop(r, ["ActivePlans"], where)
        dropped += _one_per_rank(a.get("NamedPlan") or {}, "PlanDetail", "PlacementRank",
                                 f"{where}/Assessment/NamedPlan")
        dropped += _one_per_rank(r.get("ActivePlans") or {}, "SENneed", "SENtypeRank", f"{where}/ActivePlans")
    return dropped


def _one_per_rank(group: dict, name: str, rank: str, where: str) -> list[str]:
    """A plan holds one named setting (and one need) of each rank: a second of the same rank is not loaded."""
    seen, dropped = set(), []
    for j, item in enumerate(list(group.get(name, [])), start=1):
        if item.get(rank) in seen:
            dropped.append(f"{where}/{name}[{j}]")
            group[name].remove(item)
        seen.add(item.get(rank))
    return dropped


# --- loading -------------------------------------------------------------------------------------------

CHUNK = 500
# New rows are inserted in bulk, parents before children (each with its history row, for the audit trail).
CREATE_ORDER = (Child, Case, PanelDecision, Plan, LoadedRequest, TimelineEvent, Placement, NamedSetting, Need,
                AnnualReview, Cessation, Amendment)
NO_HISTORY = {TimelineEvent}


class Loader:
    """Loads people a chunk at a time inside the caller's transaction, counting what it does.

    Per chunk a fixed number of queries reads what the council already has for those people; a changed row is
    saved on its own (with its history row); new rows are inserted in bulk at the end of the chunk.
    """

    def __init__(self, la, spec: sen2_spec.Spec, actor):
        self.la, self.spec, self.actor, self.year = la, spec, actor, spec.year
        self.person_el = spec.element("Message/Persons/Person")
        self.created: Counter = Counter()
        self.updated: Counter = Counter()
        self.unchanged: Counter = Counter()
        self.touched_cases: list = []
        self.new: dict = {m: [] for m in CREATE_ORDER}
        self.by_urn = dict(Setting.objects.exclude(urn="").values_list("urn", "id"))
        self.by_ukprn = dict(Setting.objects.exclude(ukprn="").values_list("ukprn", "id"))
        self.by_upn, self.by_uln, self.by_name = {}, {}, {}
        for pk, upn, uln, last, first, dob in Child.objects.filter(la=la).values_list(
                "id", "upn", "uln", "last_name", "first_name", "date_of_birth"):
            self._remember(pk, upn, uln, last, first, dob)

    def _remember(self, pk, upn, uln, last, first, dob) -> None:
        if upn:
            self.by_upn.setdefault(upn, pk)
        if uln:
            self.by_uln.setdefault(uln, pk)
        self.by_name.setdefault((last.lower(), first.lower(), dob), pk)

    def _save(self, kind: str, obj, fields: dict):
        """Create `obj` (queued for the chunk's bulk insert) or set `fields` on it and save if they changed."""
        if obj.pk is None:
            for k, v in fields.items():
                setattr(obj, k, v)
            if not getattr(obj, "_queued", False):
                obj._queued = True
                self.new[type(obj)].append(obj)
                self.created[kind] += 1
            return obj
        changed = {k: v for k, v in fields.items() if getattr(obj, k) != v}
        if changed:
            for k, v in changed.items():
                setattr(obj, k, v)
            audited_by(obj, self.actor).save()
            self.updated[kind] += 1
        else:
            self.unchanged[kind] += 1
        return obj

    @staticmethod
    def _given(fields: dict) -> dict:
        """A value the file leaves out never erases the record's."""
        return {k: v for k, v in fields.items() if v not in ("", None)}

    def match(self, t: dict) -> int | None:
        dob = _date(t.get("PersonBirthDate"))
        upn, uln = t.get("UPN", ""), t.get("UniqueLearnerNumber", "")
        return (self.by_upn.get(upn) if upn else None) or (self.by_uln.get(uln) if uln else None) \
            or self.by_name.get((t.get("Surname", "").lower(), t.get("Forename", "").lower(), dob))

    def chunk(self, people: list[dict]) -> list[Child]:
        """Load a chunk of people; returns their children (new ones saved) in the same order."""
        ids = [m.pk if isinstance(m, Child) else m for m in (self.match(t) for t in people) if m]
        ids = [pk for pk in ids if pk]
        existing = {c.pk: c for c in Child.objects.filter(pk__in=ids).prefetch_related("placements")}
        cases: dict[int, list[Case]] = {}
        for case in (Case.objects.filter(child_id__in=ids).select_related("plan", "decision", "loaded_return")
                     .prefetch_related("plan__named_settings", "plan__needs", "plan__cessations",
                                       "plan__reviews__amendments")):
            cases.setdefault(case.child_id, []).append(case)
        children = [self.person(t, existing, cases) for t in people]
        self.flush()
        return children

    def flush(self) -> None:
        from simple_history.utils import bulk_create_with_history

        for model in CREATE_ORDER:
            rows = self.new[model]
            if not rows:
                continue
            for row in rows:  # parents were inserted just before: take their keys
                for field in row._meta.concrete_fields:
                    if field.is_relation and field.name in row._state.fields_cache:
                        parent = row._state.fields_cache[field.name]
                        if parent is not None and getattr(row, field.attname) is None:
                            setattr(row, field.attname, parent.pk)
            if model in NO_HISTORY:
                model.objects.bulk_create(rows, batch_size=500)
            else:
                bulk_create_with_history(rows, model, batch_size=500, default_user=self.actor)
            if model is Case:
                self.touched_cases += [c.pk for c in rows]
            if model is Child:  # keep only keys between chunks, so memory stays flat however long the file
                for c in rows:
                    for index, key in ((self.by_upn, c.upn), (self.by_uln, c.uln),
                                       (self.by_name, (c.last_name.lower(), c.first_name.lower(), c.date_of_birth))):
                        if index.get(key) is c:
                            index[key] = c.pk
            self.new[model] = []

    def council(self, source: dict) -> None:
        """The header's designated officers become the council's settings where it has none yet."""
        given = {f: source.get(f.upper(), "") for f in ("dmo", "dco", "dsco")}
        council = LocalAuthority.objects.get(pk=self.la.pk)
        given = {f: v for f, v in given.items() if v in DesignatedOfficer.values and not getattr(council, f)}
        if given:
            for f, v in given.items():
                setattr(council, f, v)
            audited_by(council, self.actor).save(update_fields=list(given))
            self.updated["council settings"] += 1

    # people
    def person(self, t: dict, existing: dict, cases: dict) -> Child:
        """One Person; a second Person for the same child in a file (an error the validator reports) merges."""
        m = self.match(t)
        pk = m.pk if isinstance(m, Child) else m
        child = existing.get(pk) if pk else (m if isinstance(m, Child) else Child(la=self.la))
        child = child or Child.objects.prefetch_related("placements").get(pk=pk)
        fields = {"last_name": t.get("Surname", ""), "first_name": t.get("Forename", ""),
                  "date_of_birth": _date(t.get("PersonBirthDate")),
                  "sex": t.get("Sex") or SEX_FROM_GENDER.get(t.get("GenderCurrent", ""), ""),
                  "ethnicity": t.get("Ethnicity", ""), "postcode": t.get("PostCode", ""), "upn": t.get("UPN", ""),
                  "uln": t.get("UniqueLearnerNumber", ""), "upn_unknown_reason": t.get("UPNunknown", "")}
        held = cases.setdefault(child.pk or id(child), [])
        # A child whose requests ehcflow's own steps recorded keeps its record: the file only fills what is blank.
        native = child.pk is not None and not any(_one(c, "loaded_return") for c in held)
        if native:
            fields = {k: v for k, v in self._given(fields).items() if not getattr(child, k)}
        child = self._save("children", child, self._given(fields) if child.pk or m else fields)
        if child.pk is None:
            self._remember(child, child.upn, child.uln, child.last_name, child.first_name, child.date_of_birth)
            if not hasattr(child, "_new_placements"):
                child._new_placements = []
        placements = list(child.placements.all()) if child.pk else child._new_placements
        for r in t.get("Requests", []) if not native else []:
            for d in (r.get("ActivePlans") or {}).get("PlacementDetail", []):
                self.placement(child, d, placements)
        for position, r in enumerate(t.get("Requests", []), start=1):
            before = sum(self.updated.values())
            case = self.request(child, r, position, held)
            if case.pk is not None and sum(self.updated.values()) > before:
                self.touched_cases.append(case.pk)  # changed: its deadlines are worked out again
        return child

    def _setting_fields(self, d: dict) -> dict:
        urn, ukprn = d.get("URN", ""), d.get("UKPRN", "")
        return {"urn": urn, "ukprn": ukprn, "setting_id": self.by_urn.get(urn) or self.by_ukprn.get(ukprn),
                "setting_kind": d.get("SENsetting", ""), "setting_kind_other": d.get("SENsettingOther", ""),
                "rank": int(d.get("PlacementRank") or 1), "sen_unit": _bool(d.get("SENunitIndicator")),
                "resourced_provision": _bool(d.get("ResourcedProvisionIndicator"))}

    def placement(self, child: Child, d: dict, existing: list[Placement]) -> None:
        fields = {**self._setting_fields(d), "entry_on": _date(d.get("EntryDate")),
                  "leaving_on": _date(d.get("LeavingDate")), "residential": d.get("Res", ""),
                  "work_based": d.get("WBP", "")}
        key = ("rank", "urn", "ukprn", "setting_kind", "entry_on")
        match = next((p for p in existing if all(getattr(p, k) == fields[k] for k in key)), None)
        row = self._save("placements", match or Placement(la=self.la, child=child), fields)
        if match is None:
            existing.append(row)

    # requests
    @staticmethod
    def _match_case(cases: list[Case], received_on, position: int) -> Case | None:
        for c in cases:
            if received_on is not None and not c.received_on_unknown and c.received_on == received_on:
                return c
            if received_on is None and c.received_on_unknown:
                lr = _one(c, "loaded_return")
                if lr is None or lr.position == position:
                    return c
        return None

    def request(self, child: Child, r: dict, position: int, cases: list[Case]) -> Case:
        a = r.get("Assessment") or {}
        np = a.get("NamedPlan")
        ap = r.get("ActivePlans")
        outcome, ao = r.get("RequestOutcome", ""), a.get("AssessmentOutcome", "")
        received = _date(r.get("ReceivedDate"))
        decided = _date(r.get("RequestOutcomeDate"))
        issued = _date(a.get("AssessmentOutcomeDate"))
        ceased = _date((np or {}).get("CeaseDate"))
        earliest = received or decided or issued or _date((np or {}).get("StartDate")) or child.date_of_birth
        stage = _stage(outcome, ao, np, ceased)
        case = self._match_case(cases, received, position)
        fields = {"received_on": received or earliest, "received_on_unknown": received is None,
                  "source": r.get("RequestSource", ""), "youth_accommodation": r.get("RYA") == "1"}
        if ao == "N" and issued:
            fields.update({"outcome": "not_issue", "outcome_on": issued})
        elif ao in ("Y", "H") and np is not None:
            fields.update({"outcome": "issue", "outcome_on": issued})
        if case is None:
            case = self._save("requests", Case(la=self.la, child=child, stage=stage,
                                               request_summary=f"Loaded from the council's {self.year} SEN2 return."),
                              fields)
            case._new_related = {}
            cases.append(case)
            self.new[TimelineEvent].append(TimelineEvent(
                la=self.la, case=case, child=child, kind="sen2_loaded", occurred_on=earliest, actor=self.actor,
                summary=f"Request loaded from the council's {self.year} SEN2 return", to_stage=stage))
        elif _one(case, "loaded_return") is None:
            # Recorded by ehcflow's own steps, which always win: the file's account of it changes nothing.
            self.unchanged["requests recorded in ehcflow"] += 1
            return case
        else:
            case = self._save("requests", case, self._given(fields) | {
                "received_on_unknown": fields["received_on_unknown"],
                "youth_accommodation": fields["youth_accommodation"]})
        if decided and outcome in ("Y", "N", "H"):
            decision = _one(case, "decision")
            self._keep(case, "decision", self._save("decisions", decision or PanelDecision(la=self.la, case=case), {
                "decided_on": decided, "outcome": "not_assess" if outcome == "N" else "assess",
                "reasons": decision.reasons if decision else f"Loaded from the council's {self.year} SEN2 return."}))
        plan = self.plan(case, np, issued) if np is not None else None
        if ap is not None and plan is not None:
            self.active_plans(plan, ap)
        self.loaded(case, position, r, a, np or {}, ap or {})
        return case

    @staticmethod
    def _keep(case: Case, name: str, obj) -> None:
        if case.pk is None or getattr(case, "_new_related", None) is not None:
            case._new_related = {**(getattr(case, "_new_related", None) or {}), name: obj}

    def plan(self, case: Case, np: dict, issued) -> Plan:
        plan = _one(case, "plan") or Plan(la=self.la, case=case)
        start = _date(np.get("StartDate"))
        plan = self._save("plans", plan, {
            "status": PlanStatus.FINAL, "issued_on": issued or plan.issued_on,
            "start_on": start if start != issued else None,
            "residential": np.get("PlanRes", ""), "work_based": np.get("PlanWBP", ""),
            "personal_budget": _bool(np.get("PB")), "organised_arrangements": _bool(np.get("OA")),
            "direct_payments": np.get("DP", "")})
        self._keep(case, "plan", plan)
        existing = {s.rank: s for s in _many(plan, "named_settings")}
        for d in np.get("PlanDetail", []):
            fields = self._setting_fields(d)
            self._save("named settings", existing.get(fields["rank"]) or NamedSetting(la=self.la, plan=plan), fields)
        ceased = _date(np.get("CeaseDate"))
        if ceased and np.get("CeaseReason"):
            match = next((c for c in _many(plan, "cessations") if c.ceased_on == ceased), None)
            self._save("cessations", match or Cessation(la=self.la, plan=plan), {
                "reason": np["CeaseReason"], "proposed_on": match.proposed_on if match else ceased,
                "decision": "cease", "decision_on": match.decision_on if match else ceased, "ceased_on": ceased})
        return plan

    def active_plans(self, plan: Plan, ap: dict) -> None:
        needs = {n.rank: n for n in _many(plan, "needs")}
        for n in ap.get("SENneed", []):
            rank = int(n.get("SENtypeRank") or 3)
            row = needs.get(rank) if rank in (1, 2) else None
            description = row.description if row else "Recorded in the council's SEN2 return; describe the need."
            self._save("needs", row or Need(la=self.la, plan=plan), {
                "need_type": n.get("SENtype", "OTH"), "rank": rank,
                "area": NEED_AREA.get(n.get("SENtype"), "cognition"), "description": description})
        meeting, last = _date(ap.get("ReviewMeeting")), _date(ap.get("LastReview"))
        if meeting:
            review = next((x for x in _many(plan, "reviews") if (x.held_on or x.meeting_on) == meeting), None)
            review = self._save("reviews", review or AnnualReview(la=self.la, plan=plan), {
                "meeting_on": meeting, "held_on": meeting,
                "decision": REVIEW_DECISION.get(ap.get("ReviewOutcome", ""), ""), "decision_on": last})
            draft = _date(ap.get("ReviewDraft"))
            if draft:
                match = next((x for x in _many(review, "amendments") if x.proposals_sent_on == draft), None)
                self._save("amendments", match or Amendment(la=self.la, plan=plan, review=review),
                           {"proposals_sent_on": draft})
        if last and plan.last_review_decision_on != last:
            if plan.pk is None:
                plan.last_review_decision_on = last
            else:
                self._save("plans", plan, {"last_review_decision_on": last})

    def loaded(self, case: Case, position: int, r: dict, a: dict, np: dict, ap: dict) -> None:
        """The items the record's own steps do not hold, kept as the return said them: for a request loaded from a
        return. A request ehcflow's own steps recorded keeps its own account, whatever a file says of it."""
        row = _one(case, "loaded_return")
        if row is None and case.pk is not None:
            return
        row = row or LoadedRequest(la=self.la, case=case)
        meeting = _date(ap.get("ReviewMeeting"))
        self._save("loaded items", row, {
            "year": self.year, "position": position, "request_outcome": r.get("RequestOutcome", ""),
            "request_mediation": _bool(r.get("RequestMediation")), "request_tribunal": _bool(r.get("RequestTribunal")),
            "exported_la": r.get("Exported", ""), "assessment_outcome": a.get("AssessmentOutcome", ""),
            "assessment_outcome_on": _date(a.get("AssessmentOutcomeDate")),
            "assessment_mediation": _bool(a.get("AssessmentMediation")),
            "assessment_tribunal": _bool(a.get("AssessmentTribunal")),
            "other_mediation": _bool(a.get("OtherMediation")), "other_tribunal": _bool(a.get("OtherTribunal")),
            "week20": _bool(a.get("Week20")), "cease_on": _date(np.get("CeaseDate")),
            "cease_reason": np.get("CeaseReason", ""), "active_plans": bool(ap),
            "transfer_la": ap.get("TransferLA", ""),
            # With a meeting date the review is an AnnualReview; without one its items are kept here.
            "review_meeting_on": None, "review_outcome": "" if meeting else ap.get("ReviewOutcome", ""),
            "review_draft_on": None if meeting else _date(ap.get("ReviewDraft")),
            "last_review_on": None if meeting else _date(ap.get("LastReview")),
            "phase_transfer_due_on": _date(ap.get("PhaseTransferDueDate")),
            "phase_transfer_final_on": _date(ap.get("PhaseTransferFinalDate"))})
        self._keep(case, "loaded_return", row)


def _one(obj, name: str):
    """A reverse one-to-one (case.plan, case.decision, ...) without a query: from the prefetch, or made here."""
    made = getattr(obj, "_new_related", None)
    return made.get(name) if made is not None else related_or_none(obj, name)


def _many(obj, name: str) -> list:
    """A reverse foreign key's rows from the prefetch; none for a row made in this run."""
    return list(getattr(obj, name).all()) if obj.pk is not None else []


def _stage(outcome: str, ao: str, np, ceased) -> str:
    """The case's stage from the request and assessment outcomes (the reverse of the export's derivation)."""
    if outcome in ("", "A"):
        return Stage.RECEIVED
    if outcome == "W":
        return Stage.WITHDRAWN
    if outcome == "N":
        return Stage.NOT_ASSESSED
    if ao in ("Y", "H") and np is not None:
        return Stage.CEASED if ceased else Stage.PLAN_ISSUED
    if ao == "N":
        return Stage.NOT_ISSUED
    if ao == "W":
        return Stage.WITHDRAWN
    return Stage.ASSESSING


def import_file(*, la, source, actor=None, dry_run: bool = False):
    from ehcflow.deadlines.materialise import refresh_all
    from ehcflow.sen2.services import ImportReport
    from ehcflow.sen2.validate import validate_file

    check = validate_file(_reopen(source), la=la)
    report = ImportReport(year=check.year, persons=check.persons, dry_run=dry_run, problems=list(check.problems),
                          refused=check.refused)
    if check.refused:
        return report
    if check.la_code and check.la_code != la.code:
        report.refused = (f"This is the return of LA {check.la_code}, not of {la.name} ({la.code}). "
                          "Nothing was imported.")
        return report
    refusals: list[Problem] = []
    loader = None
    children: dict[int, int] = {}  # person's position in the file -> child
    try:
        with transaction.atomic():
            loader, chunk = None, []
            for item in sen2_tree.read(_reopen(source), strict=False):
                if item[0] == "header":
                    loader = Loader(la, item[1].spec, actor)
                    loader.council(item[1].header.get("Source") or {})
                    continue
                _, person, index, _ = item
                who = {"person": index, "person_label": person_label(person), "upn": person.get("UPN", "")}
                bad = unholdable(person, loader.person_el, loader.spec, "Person")
                if bad:
                    refusals += [Problem("SEN2-I01", ERROR, f"{why}: ehcflow cannot hold it.", path, **who)
                                 for path, why in bad]
                    continue
                if refusals:
                    continue  # nothing will be loaded: read on only to list every value that cannot be kept
                for path in prune(person):
                    report.refused_persons.append(Problem(
                        "SEN2-I10", QUERY, "Not loaded: the guide does not allow this item here (see the "
                        "validator's report for this person).", path, **who))
                chunk.append((index, person))
                if len(chunk) >= CHUNK:
                    _load(loader, chunk, children)
            if refusals:
                raise _Rollback()
            _load(loader, chunk, children)
            report.created, report.updated = dict(loader.created), dict(loader.updated)
            report.unchanged = dict(loader.unchanged)
            if not dry_run:  # a dry run's new children are rolled back: only link to children that stay
                report.problems = [_with_child(p, children[p.person]) if p.person in children and not p.child_id
                                   else p for p in report.problems]
            if dry_run:
                raise _Rollback()
    except _Rollback:
        pass
    except sen2_tree.Refused as e:
        report.refused = str(e)
    if not dry_run and not report.refused and not refusals and loader is not None and loader.touched_cases:
        # After the commit, in chunks of their own: the stored deadlines of every request loaded or changed
        # (reminders and work queues read them). A failure here loses nothing: the nightly refresh redoes it.
        started = time.monotonic()
        report.deadlines_refreshed = refresh_all(case_ids=sorted(set(loader.touched_cases)))
        report.refresh_seconds = round(time.monotonic() - started, 1)
    if refusals:
        report.refused = (f"The file holds {len(refusals)} value(s) ehcflow cannot keep, each listed with its "
                          "person. Nothing was imported: correct them in the file and import it again.")
        report.refused_persons = refusals + report.refused_persons
        report.created, report.updated, report.unchanged = {}, {}, {}
    return report


def _load(loader: Loader, chunk: list, children: dict) -> None:
    for (index, _), child in zip(chunk, loader.chunk([t for _, t in chunk])):
        children[index] = child.pk
    chunk.clear()


def _with_child(p: Problem, child_id: int) -> Problem:
    return Problem(**{**p.__dict__, "child_id": child_id})


def _reopen(source):
    """A fresh reader over `source` for each pass (a path, bytes, or a seekable binary file)."""
    if isinstance(source, (str, bytes)):
        return source
    source.seek(0)
    return source
