"""The SEN2 business rules: what the product's schema cannot say, checked on trees (see tree.py).

The schema (xsd.py) checks structure, formats and code sets one item at a time. These rules check items
against each other: a decision without its date, a plan under a refused request, dates out of order, a UPN
whose check letter does not match. They are pure functions over trees, so the validator (a file), the
import and the data-quality page (trees built from the record) all use the same rules.

Severity: an `error` is something the DfE would reject or that cannot be true; a `query` is unusual and
must be explained at submission. Where the guide is silent we choose a query.
"""

from __future__ import annotations

import datetime

from ehcflow.sen2.problems import ERROR, QUERY, Problem, person_label

# Rule id -> (severity, what it checks). Ids are stable: councils and the team refer to them.
RULES: dict[str, tuple[str, str]] = {
    # --- Header ---
    # Census dates are fixed per year (SEN2 guide "Collection period"; spec.CENSUS_DATES).
    "SEN2-H01": (ERROR, "ReferenceDate is the census date of the collection year"),
    # Header/CollectionDetails/Collection is the fixed string SEN2.
    "SEN2-H02": (ERROR, "Collection is SEN2"),
    # The Year must be the year being checked (matters for headers built from the record).
    "SEN2-H03": (ERROR, "Year is the collection year being checked"),
    # A council submits its own return: LEA is its 3-digit DfE LA code.
    "SEN2-H04": (ERROR, "LEA is the council's own LA code"),
    # A return describes the census day, so it is made after it; an earlier file is probably a test or old copy.
    "SEN2-H05": (QUERY, "File created (DateTime) after the reference date"),
    # --- The person ---
    # Guide 1.7: a UPN, a ULN or a reason (UPNunknown) for each person.
    "SEN2-P01": (ERROR, "UPN, ULN or UPNunknown given"),
    # DfE UPN format: 13 characters, check letter, 11 digits, then a digit (or a letter for a temporary UPN).
    "SEN2-P02": (ERROR, "UPN has 13 characters in the DfE format"),
    # DfE UPN check letter: weights 2..13 over characters 2-13, sum modulo 23, letters without I, O, S.
    "SEN2-P03": (ERROR, "UPN check letter matches its digits"),
    # Guide 1.7c: UPNunknown is the reason a UPN and ULN are unavailable, so not both.
    "SEN2-P04": (QUERY, "UPNunknown given with a UPN or ULN"),
    # Learning Records Service: the ULN is 10 digits, the first not 0.
    "SEN2-P05": (ERROR, "ULN has 10 digits"),
    # LRS checksum: digits times weights 10..1, sum modulo 11 is 10. We are not sure DfE applies it: a query.
    "SEN2-P06": (QUERY, "ULN check digit matches"),
    # One Person per child or young person in a return.
    "SEN2-P07": (ERROR, "The same UPN or ULN is not given for two persons"),
    # EHC plans are for ages 0-25 (CFA 2014 s.83). Someone 26 or over for the whole collection period cannot
    # have had a request, assessment or plan in it.
    "SEN2-P08": (ERROR, "Aged 25 or under at the start of the collection period"),
    # A plan ends at the latest at the end of the academic year in which the young person turns 25, so at the
    # January census no one aged 26 can still have one (a plan that ceased during the year is fine).
    "SEN2-P09": (QUERY, "Aged 25 or under on the reference date if the plan has not ceased"),
    # --- Dates ---
    # The return describes the collection period up to the census day. PhaseTransferDueDate is a due date
    # and may lie ahead.
    "SEN2-D01": (ERROR, "Dates are not after the reference date"),
    "SEN2-D02": (ERROR, "Dates are not before the person's birth"),
    # Each step follows the one it answers: request -> decision to assess -> decision to issue; a plan
    # ceases after it starts; a placement is left after it is entered.
    "SEN2-D03": (ERROR, "Dates are in the order the steps happen"),
    # Orders that are usual but not certain (a plan starting before it was issued, a review decision before
    # its meeting, an amended draft before the review, a review before the plan started).
    "SEN2-D04": (QUERY, "Dates are in the usual order"),
    # --- Requests (module 2) ---
    # Guide 2.1, 2.3: "Not required if request outcome is historical (H)", so required otherwise.
    "SEN2-R01": (ERROR, "ReceivedDate given unless RequestOutcome is H"),
    "SEN2-R02": (ERROR, "RYA given unless RequestOutcome is H"),
    # Guide 2.4: the date of the decision whether to assess; there is one when the outcome is Y or N.
    "SEN2-R03": (ERROR, "RequestOutcomeDate given when RequestOutcome is Y or N"),
    # Guide 2.5: an assessment follows only a decision to assess (Y), or a historical one (H); A, W: "no
    # further information is required".
    "SEN2-R04": (ERROR, "Assessment only when RequestOutcome is Y or H"),
    # An agreed assessment has an outcome, if only A (decision not yet made).
    "SEN2-R05": (QUERY, "Assessment given when RequestOutcome is Y"),
    # Guide 2.6, 2.7 (Annex C): mediation and appeals are about a decision not to assess; with Y, A or W there
    # was no such decision.
    "SEN2-R06": (QUERY, "RequestMediation/RequestTribunal only about a refusal to assess"),
    # Guide 2.8: "No further information is subsequently required from the exporting local authority."
    "SEN2-R07": (ERROR, "Nothing after Exported in the request"),
    # RequestOutcome A means no decision yet, so there is no decision date.
    "SEN2-R08": (QUERY, "No RequestOutcomeDate when RequestOutcome is A"),
    # Code set RequestOutcome H: "decision to assess made before the latest collection period".
    "SEN2-R09": (QUERY, "A decision to assess made before the collection period is H"),
    # --- Assessment (module 3) ---
    # Guide 3.2: "required where 3.1 is equal to 'Y' or 'N'".
    "SEN2-A01": (ERROR, "AssessmentOutcomeDate given when AssessmentOutcome is Y or N"),
    # Guide 3.1: A or W, "no further information is required in this or subsequent modules"; N: no plan.
    "SEN2-A02": (ERROR, "NamedPlan only when AssessmentOutcome is Y or H"),
    "SEN2-A03": (ERROR, "ActivePlans only when AssessmentOutcome is Y or H"),
    # Guide 3.7: the 20-week exceptions concern a decision made (Y or N).
    "SEN2-A04": (QUERY, "Week20 only when AssessmentOutcome is Y or N"),
    # Guide 3.3, 3.4 (Annex C): no mediation or appeal about a decision not made (A, W); an appeal under 3.4
    # is against a decision not to issue, so not with Y.
    "SEN2-A05": (QUERY, "AssessmentMediation/AssessmentTribunal only about a decision made"),
    # Code set AssessmentOutcome H: "decision made before latest collection period".
    "SEN2-A06": (QUERY, "A decision on a plan made before the collection period is H"),
    # --- Named plan (module 4) ---
    # Guide 4.5, 4.6: a ceased plan has both the date and the reason.
    "SEN2-N01": (ERROR, "CeaseDate and CeaseReason given together"),
    # Guide module 5: a plan active on the census day has its placements and needs.
    "SEN2-N02": (QUERY, "An active plan has ActivePlans with a placement and a need"),
    # --- Named settings (4.7) and placements (5.7) ---
    # Guide 4.7, 5.7: "Please complete only one of 5.7a to 5.7c."
    "SEN2-E01": (ERROR, "Exactly one of URN, UKPRN, SENsetting"),
    # Guide 4.7c(i), 5.7c(i): further information about an OTH or NIEO setting.
    "SEN2-E02": (QUERY, "SENsettingOther only with SENsetting OTH or NIEO"),
    "SEN2-E03": (QUERY, "SENsettingOther given with SENsetting OTH or NIEO"),
    # Guide 4.7d: a primary and at most one secondary named setting.
    "SEN2-E04": (ERROR, "At most one named setting of each rank"),
    "SEN2-E05": (ERROR, "A secondary named setting only with a primary one"),
    # Placements may follow one another (EntryDate, LeavingDate); two primary placements at once are odd.
    "SEN2-E06": (QUERY, "No two placements of the same rank at the same time"),
    # --- Needs (5.8) ---
    # Guide 5.8: a primary need and at most one secondary need, of different types.
    "SEN2-T01": (ERROR, "At most one need of each rank"),
    "SEN2-T02": (ERROR, "A secondary need only with a primary need"),
    "SEN2-T03": (ERROR, "The two needs are of different types"),
    # --- Reviews (5.4, 5.6) ---
    # Guide 5.4c: the decision following the annual review meeting.
    "SEN2-V01": (QUERY, "ReviewOutcome given with ReviewMeeting"),
    # Guide 5.4d: the draft amended plan after a review that decided to amend.
    "SEN2-V02": (QUERY, "ReviewDraft only when ReviewOutcome is A"),
    # Guide 5.6: the final phase-transfer plan answers a due date.
    "SEN2-V03": (QUERY, "PhaseTransferFinalDate given with PhaseTransferDueDate"),
    # --- Codes ---
    # README "Rules known from the guide": "Other" codes are queried at submission (COLLECT).
    "SEN2-O01": (QUERY, "\"Other\" codes (RequestSource 5, CeaseReason 9, SENsetting OTH, NIEO)"),
    # --- The file ---
    # Persons/Person is 1..n; the streaming reader checks each Person but not that there is one.
    "SEN2-F01": (ERROR, "The return has at least one person"),
}

PLAN_GIVEN = ("Y", "H")  # AssessmentOutcome values under which a plan exists
OTHER_CODES = {"RequestSource": {"5"}, "CeaseReason": {"9"}, "SENsetting": {"OTH", "NIEO"}}
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # DfE check-letter table, 0-22 (no I, O, S)
DIGITS = "0123456789"
NOT_CAPPED = {"PhaseTransferDueDate"}  # dates that may lie after the reference date


def problem(rule: str, message: str, path: str = "", *, node: dict | None = None, **who) -> Problem:
    """A Problem of `rule` with its severity from RULES (one source for severities)."""
    return Problem(rule, RULES[rule][0], message, path, line=(node or {}).get("_line"), **who)


def _date(value) -> datetime.date | None:
    """The date in an item, or None when absent or malformed (the schema reports malformed dates)."""
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _list(value) -> list[dict]:
    if not value:
        return []
    return value if isinstance(value, list) else [value]


def _coded(spec, codeset: str, code: str) -> str:
    """A code with its meaning, e.g. "N (LA decided not to proceed with an assessment)"."""
    label = spec.codes.get(codeset, {}).get(code)
    return f"{code} ({label})" if label else code or "not given"


def age_on(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


# --- identifiers -------------------------------------------------------------------------------------

def upn_check_letter(upn: str) -> str | None:
    """The check letter a 13-character UPN should start with, or None if characters 2-13 cannot be weighed."""
    total = 0
    for weight, ch in enumerate(upn[1:13], start=2):
        if ch in DIGITS:
            total += int(ch) * weight
        elif ch in UPN_LETTERS:  # the last character of a temporary UPN
            total += UPN_LETTERS.index(ch) * weight
        else:
            return None
    return UPN_LETTERS[total % 23]


def upn_format_ok(upn: str) -> bool:
    return (len(upn) == 13 and upn[0] in UPN_LETTERS and all(ch in DIGITS for ch in upn[1:12])
            and upn[12] in DIGITS + UPN_LETTERS)


def uln_check_ok(uln: str) -> bool:
    return sum(int(d) * w for d, w in zip(uln, range(10, 0, -1))) % 11 == 10


# --- header ------------------------------------------------------------------------------------------

def check_header(header: dict, spec) -> list[Problem]:
    """The Header's own rules. Which items must be present each year is the schema's job."""
    out = []
    details = header.get("CollectionDetails") or {}
    source = header.get("Source") or {}
    where = "Header/CollectionDetails"
    census = spec.reference_date.isoformat()
    ref = details.get("ReferenceDate")
    if ref and ref != census:
        out.append(problem("SEN2-H01", f"The ReferenceDate is {ref}, but the census date of the {spec.year} return "
                           f"is {census}.", f"{where}/ReferenceDate", node=details))
    collection = details.get("Collection")
    if collection and collection != "SEN2":
        out.append(problem("SEN2-H02", f"The Collection is {collection}; it should be SEN2.",
                           f"{where}/Collection", node=details))
    year = details.get("Year")
    if year and year != str(spec.year):
        out.append(problem("SEN2-H03", f"The Year is {year}, but this is the {spec.year} return.",
                           f"{where}/Year", node=details))
    made = source.get("DateTime", "")[:10]
    if _date(made) and _date(made) < spec.reference_date:
        out.append(problem("SEN2-H05", f"The file was made on {made}, before the census date {census}: is it "
                           "an old or test copy?", "Header/Source/DateTime", node=source))
    return out


def check_la(header: dict, la_code: str, la_name: str = "") -> list[Problem]:
    """The return's LEA against the council checking it (validate_file's `la`)."""
    source = header.get("Source") or {}
    lea = source.get("LEA", "")
    if not la_code or lea == la_code:
        return []
    council = f"your council {la_code}" + (f" ({la_name})" if la_name else "")
    return [problem("SEN2-H04", f"This return is for LA {lea or '(none given)'}, not {council}.",
                    "Header/Source/LEA", node=source)]


# --- one person --------------------------------------------------------------------------------------

class _Found:
    """One person's problems, each filled in with who the person is (and the request, for its items)."""

    def __init__(self, person: dict, index: int):
        self.who = {"person": index, "person_label": person_label(person), "upn": person.get("UPN", ""),
                    "child_id": person.get("_child_id")}
        self.problems: list[Problem] = []

    def add(self, rule: str, message: str, path: str, node: dict | None = None, request: dict | None = None):
        case_id = (request or {}).get("_case_id")
        self.problems.append(problem(rule, message, path, node=node, case_id=case_id, **self.who))


def check_person(person: dict, spec, *, index: int) -> list[Problem]:
    """Every business rule about one Person; `index` is the Person's 1-based position in the return."""
    found = _Found(person, index)
    _identity(person, spec, found)
    _dates(person, spec, found)
    for i, request in enumerate(_list(person.get("Requests")), start=1):
        _request(request, f"Person/Requests[{i}]", spec, found)
    return found.problems


def _identity(p: dict, spec, found: _Found) -> None:
    upn, uln, unknown = p.get("UPN", ""), p.get("UniqueLearnerNumber", ""), p.get("UPNunknown", "")
    if not (upn or uln or unknown):
        found.add("SEN2-P01", "There is no UPN, no ULN and no UPNunknown reason: give one of them.", "Person/UPN", p)
    if upn and not upn_format_ok(upn):
        what = "is not in the DfE format" if len(upn) == 13 else f"has {len(upn)} characters"
        found.add("SEN2-P02", f"The UPN {upn} {what}; a UPN has 13 characters: a check letter, 11 digits, then a "
                  "digit (or a letter for a temporary UPN), with no I, O or S.", "Person/UPN", p)
    elif upn and upn_check_letter(upn) != upn[0]:
        found.add("SEN2-P03", f"The UPN {upn} starts with {upn[0]}, but its digits give the check letter "
                  f"{upn_check_letter(upn)}: a character has probably been mistyped.", "Person/UPN", p)
    if unknown and (upn or uln):
        found.add("SEN2-P04", f"UPNunknown is {unknown} (no UPN or ULN available) but a "
                  f"{'UPN' if upn else 'ULN'} is given: leave out the one that is wrong.", "Person/UPNunknown", p)
    if uln and not (len(uln) == 10 and all(ch in DIGITS for ch in uln) and uln[0] != "0"):
        what = "is not in the right format" if len(uln) == 10 else f"has {len(uln)} characters"
        found.add("SEN2-P05", f"The ULN {uln} {what}; a ULN is 10 digits, not starting with 0.",
                  "Person/UniqueLearnerNumber", p)
    elif uln and not uln_check_ok(uln):
        found.add("SEN2-P06", f"The ULN {uln} fails the Learning Records Service check digit: please check it.",
                  "Person/UniqueLearnerNumber", p)
    born = _date(p.get("PersonBirthDate"))
    if born and age_on(born, spec.period_start) > 25:
        found.add("SEN2-P08", f"Born {born}, the person was {age_on(born, spec.period_start)} on "
                  f"{spec.period_start}, over 25 for the whole collection period.", "Person/PersonBirthDate", p)
    elif born and age_on(born, spec.reference_date) > 25 and _has_plan_not_ceased(p):
        found.add("SEN2-P09", f"Born {born}, the person is {age_on(born, spec.reference_date)} on the census date "
                  f"{spec.reference_date} but has a plan that has not ceased.", "Person/PersonBirthDate", p)


def _has_plan_not_ceased(p: dict) -> bool:
    return any(_active_plan(r) for r in _list(p.get("Requests")))


def _active_plan(request: dict) -> dict | None:
    """The request's plan if it is maintained on the census day: issued (Y/H), not ceased, not exported."""
    assessment = request.get("Assessment") or {}
    plan = assessment.get("NamedPlan")
    if request.get("Exported") or assessment.get("AssessmentOutcome") not in PLAN_GIVEN or not plan:
        return None
    return None if plan.get("CeaseDate") else plan


def _leaves(node: dict, path: str, request: dict | None = None):
    """(path, name, value, owning dict, request) for every item of a tree, in order."""
    for name, value in node.items():
        if name.startswith("_"):
            continue
        if isinstance(value, list):
            for i, sub in enumerate(value, start=1):
                yield from _leaves(sub, f"{path}/{name}[{i}]", sub if name == "Requests" else request)
        elif isinstance(value, dict):
            yield from _leaves(value, f"{path}/{name}", request)
        else:
            yield f"{path}/{name}", name, value, node, request


_DATE_ITEMS: dict[int, frozenset[str]] = {}


def _date_items(spec) -> frozenset[str]:
    """The names of the year's date items (worked out once per year: the rules run for every person)."""
    if spec.year not in _DATE_ITEMS:
        person = spec.element("Message/Persons/Person")
        _DATE_ITEMS[spec.year] = frozenset(e.name for e in person.walk() if e.type == "date")
    return _DATE_ITEMS[spec.year]


def _dates(p: dict, spec, found: _Found) -> None:
    date_items = _date_items(spec)
    born = _date(p.get("PersonBirthDate"))
    for path, name, value, node, request in _leaves(p, "Person"):
        when = _date(value) if name in date_items else None
        if when is None:
            continue
        if when > spec.reference_date and name not in NOT_CAPPED:
            found.add("SEN2-D01", f"{name} is {value}, after the census date {spec.reference_date}.", path, node,
                      request)
        if born and when < born and name != "PersonBirthDate":
            found.add("SEN2-D02", f"{name} is {value}, before the person was born ({born}).", path, node, request)


def _order(found: _Found, rule: str, base: str, pairs, request: dict) -> None:
    """Report each (earlier node, earlier item, later node, later item, why) whose dates are the wrong way round."""
    for node_a, a, node_b, b, why in pairs:
        first, then = _date((node_a or {}).get(a)), _date((node_b or {}).get(b))
        if first and then and then < first:
            found.add(rule, f"{b} ({then}) is before {a} ({first}): {why}.", f"{base}/{b}", node_b, request)


def _request(r: dict, path: str, spec, found: _Found) -> None:
    outcome = r.get("RequestOutcome", "")
    label = f"RequestOutcome is {_coded(spec, 'RequestOutcome', outcome)}"
    assessment = r.get("Assessment")
    active = r.get("ActivePlans")
    if outcome != "H":
        for item, rule in (("ReceivedDate", "SEN2-R01"), ("RYA", "SEN2-R02")):
            if not r.get(item):
                found.add(rule, f"{item} is missing; it is needed unless the request is historical (H).",
                          f"{path}/{item}", r, r)
    if outcome in ("Y", "N") and not r.get("RequestOutcomeDate"):
        found.add("SEN2-R03", f"{label} but there is no RequestOutcomeDate, the date of that decision.",
                  f"{path}/RequestOutcomeDate", r, r)
    _historical(found, "SEN2-R09", outcome, label, r, "RequestOutcomeDate", path, spec, r)
    if outcome == "A" and r.get("RequestOutcomeDate"):
        found.add("SEN2-R08", f"{label} but a RequestOutcomeDate ({r['RequestOutcomeDate']}) is given.",
                  f"{path}/RequestOutcomeDate", r, r)
    if assessment and outcome and outcome not in ("Y", "H"):
        found.add("SEN2-R04", f"{label}, so there can be no Assessment for this request.", f"{path}/Assessment",
                  assessment, r)
    if outcome == "Y" and not assessment:
        found.add("SEN2-R05", f"{label} but there is no Assessment: give its AssessmentOutcome (A if the decision "
                  "whether to issue a plan is not yet made).", f"{path}/Assessment", r, r)
    for item in ("RequestMediation", "RequestTribunal"):
        if r.get(item) == "1" and outcome in ("Y", "A", "W"):
            found.add("SEN2-R06", f"{item} is 1, but {label}: mediation and appeals concern a decision not to "
                      "assess.", f"{path}/{item}", r, r)
    plan_outcome = (assessment or {}).get("AssessmentOutcome")
    if active and plan_outcome not in PLAN_GIVEN:
        why = f"AssessmentOutcome is {plan_outcome}" if plan_outcome else "there is no Assessment"
        found.add("SEN2-A03", f"There is an ActivePlans but {why}: active-plan details need a plan that was "
                  "issued (AssessmentOutcome Y or H).", f"{path}/ActivePlans", active, r)
    if r.get("Exported") and (assessment or active):
        found.add("SEN2-R07", f"The request was exported to LA {r['Exported']}, so nothing more is returned for it "
                  "by this council (no Assessment or ActivePlans).", f"{path}/Exported", r, r)
    if r.get("RequestSource") in OTHER_CODES["RequestSource"]:
        found.add("SEN2-O01", "RequestSource is 5 (other): the DfE will ask about this at submission.",
                  f"{path}/RequestSource", r, r)
    _order(found, "SEN2-D03", path, [(r, "ReceivedDate", r, "RequestOutcomeDate",
                                      "the decision whether to assess follows the request")], r)
    if assessment:
        _assessment(r, assessment, f"{path}/Assessment", spec, found)
    if active:
        _active_plans(r, active, f"{path}/ActivePlans", spec, found)
    elif _active_plan(r) is not None and not _started_after(_active_plan(r), spec):
        found.add("SEN2-N02", "The plan is active on the census date but there is no ActivePlans with its "
                  "placements and needs.", f"{path}/ActivePlans", r, r)


def _historical(found: _Found, rule: str, outcome: str, label: str, node: dict, item: str, path: str, spec,
                request: dict) -> None:
    """A Y or N decision dated before the collection period: the guide codes such decisions H."""
    decided = _date(node.get(item))
    if outcome in ("Y", "N") and decided and decided < spec.period_start:
        found.add(rule, f"{label}, decided on {decided}, before the collection period began ({spec.period_start}): "
                  "a decision made before the period is returned as H (historical).",
                  f"{path}/{item.replace('Date', '')}", node, request)


def _started_after(plan: dict, spec) -> bool:
    start = _date(plan.get("StartDate"))
    return bool(start and start > spec.reference_date)


def _assessment(r: dict, a: dict, path: str, spec, found: _Found) -> None:
    outcome = a.get("AssessmentOutcome", "")
    label = f"AssessmentOutcome is {_coded(spec, 'AssessmentOutcome', outcome)}"
    if outcome in ("Y", "N") and not a.get("AssessmentOutcomeDate"):
        found.add("SEN2-A01", f"{label} but there is no AssessmentOutcomeDate (the date the plan was issued, or the "
                  "family was told no plan would be issued).", f"{path}/AssessmentOutcomeDate", a, r)
    _historical(found, "SEN2-A06", outcome, label, a, "AssessmentOutcomeDate", path, spec, r)
    plan = a.get("NamedPlan")
    if plan and outcome and outcome not in PLAN_GIVEN:
        found.add("SEN2-A02", f"{label}, so there can be no NamedPlan.", f"{path}/NamedPlan", plan, r)
    if a.get("Week20") and outcome not in ("Y", "N"):
        found.add("SEN2-A04", f"Week20 is given but {label}: the 20-week exceptions concern a decision made.",
                  f"{path}/Week20", a, r)
    for item in ("AssessmentMediation", "AssessmentTribunal"):
        if a.get(item) == "1" and (outcome in ("A", "W") or (item == "AssessmentTribunal" and outcome == "Y")):
            found.add("SEN2-A05", f"{item} is 1, but {label}: this appeal or mediation concerns a decision not "
                      "to issue a plan.", f"{path}/{item}", a, r)
    _order(found, "SEN2-D03", path, [
        (r, "RequestOutcomeDate", a, "AssessmentOutcomeDate",
         "the decision whether to issue a plan follows the decision to assess"),
        (r, "ReceivedDate", a, "AssessmentOutcomeDate", "the decision whether to issue a plan follows the request"),
    ], r)
    if plan:
        _named_plan(r, a, plan, f"{path}/NamedPlan", spec, found)


def _named_plan(r: dict, a: dict, plan: dict, path: str, spec, found: _Found) -> None:
    date, reason = plan.get("CeaseDate"), plan.get("CeaseReason")
    if bool(date) != bool(reason):
        missing = "CeaseReason" if date else "CeaseDate"
        found.add("SEN2-N01", f"{'CeaseDate' if date else 'CeaseReason'} is given ({date or reason}) without a "
                  f"{missing}: a ceased plan has both.", f"{path}/{missing}", plan, r)
    if reason in OTHER_CODES["CeaseReason"]:
        found.add("SEN2-O01", "CeaseReason is 9 (other): the DfE will ask about this at submission.",
                  f"{path}/CeaseReason", plan, r)
    _order(found, "SEN2-D03", path, [(plan, "StartDate", plan, "CeaseDate", "a plan ceases after it starts")], r)
    if a.get("AssessmentOutcome") == "Y":
        _order(found, "SEN2-D04", path, [(a, "AssessmentOutcomeDate", plan, "StartDate",
                                          "a plan usually starts once it is issued")], r)
    details = _list(plan.get("PlanDetail"))
    for i, d in enumerate(details, start=1):
        _setting(r, d, f"{path}/PlanDetail[{i}]", "named setting", found)
    _ranks(found, [d.get("PlacementRank") for d in details], ("SEN2-E04", "SEN2-E05"), "named setting",
           "PlacementRank", f"{path}/PlanDetail", plan, r)


def _ranks(found, ranks: list, rules: tuple[str, str], what: str, item: str, path: str, node: dict, r: dict) -> None:
    """One primary (1) and at most one secondary (2), and no secondary without a primary: named settings, needs."""
    for rank in ("1", "2"):
        if ranks.count(rank) > 1:
            found.add(rules[0], f"More than one {what} has {item} {rank}; give one primary (1) and at most one "
                      f"secondary (2) {what}.", path, node, r)
    if "2" in ranks and "1" not in ranks:
        found.add(rules[1], f"There is a secondary {what} ({item} 2) but no primary one (1).", path, node, r)


def _setting(r: dict, d: dict, path: str, what: str, found: _Found) -> None:
    """The rules shared by a named setting (PlanDetail) and a placement (PlacementDetail)."""
    given = [k for k in ("URN", "UKPRN", "SENsetting") if d.get(k)]
    if len(given) != 1:
        found.add("SEN2-E01", f"The {what} has {' and '.join(given) if given else 'none of URN, UKPRN, SENsetting'}; "
                  "give exactly one of URN, UKPRN or SENsetting.", path, d, r)
    setting = d.get("SENsetting", "")
    if d.get("SENsettingOther") and setting not in OTHER_CODES["SENsetting"]:
        found.add("SEN2-E02", f"SENsettingOther is given but SENsetting is {setting or 'not given'}: the further "
                  "information is for OTH or NIEO.", f"{path}/SENsettingOther", d, r)
    if setting in OTHER_CODES["SENsetting"]:
        found.add("SEN2-O01", f"SENsetting is {setting} (other): the DfE will ask about this at submission.",
                  f"{path}/SENsetting", d, r)
        if not d.get("SENsettingOther"):
            found.add("SEN2-E03", f"SENsetting is {setting} but SENsettingOther does not say what the setting is.",
                      f"{path}/SENsettingOther", d, r)


def _active_plans(r: dict, ap: dict, path: str, spec, found: _Found) -> None:
    placements = _list(ap.get("PlacementDetail"))
    for i, d in enumerate(placements, start=1):
        _setting(r, d, f"{path}/PlacementDetail[{i}]", "placement", found)
        _order(found, "SEN2-D03", f"{path}/PlacementDetail[{i}]",
               [(d, "EntryDate", d, "LeavingDate", "a placement is left after it is entered")], r)
    _overlapping_placements(r, placements, path, found)
    needs = _list(ap.get("SENneed"))
    _ranks(found, [n.get("SENtypeRank") for n in needs], ("SEN2-T01", "SEN2-T02"), "need", "SENtypeRank",
           f"{path}/SENneed", ap, r)
    types = [n.get("SENtype") for n in needs if n.get("SENtype")]
    if len(types) != len(set(types)):
        found.add("SEN2-T03", f"The need {types[0]} is given twice; the secondary need must differ from the primary.",
                  f"{path}/SENneed", ap, r)
    plan = _active_plan(r)
    if plan is not None and not _started_after(plan, spec):
        if not placements:
            found.add("SEN2-N02", "The plan is active on the census date but no placement (PlacementDetail) is "
                      "given.", f"{path}/PlacementDetail", ap, r)
        if not needs:
            found.add("SEN2-N02", "The plan is active on the census date but no need (SENneed) is given.",
                      f"{path}/SENneed", ap, r)
    _reviews(r, ap, path, spec, found)


def _overlapping_placements(r: dict, placements: list[dict], path: str, found: _Found) -> None:
    far_past, far_future = datetime.date.min, datetime.date.max
    spans = [(i, d.get("PlacementRank"), _date(d.get("EntryDate")) or far_past, _date(d.get("LeavingDate"))
              or far_future) for i, d in enumerate(placements, start=1)]
    for n, (i, rank, start, end) in enumerate(spans):
        for j, rank_b, start_b, end_b in spans[n + 1:]:
            if rank and rank == rank_b and start <= end_b and start_b <= end:
                found.add("SEN2-E06", f"Placements {i} and {j} both have PlacementRank {rank} at the same time; a "
                          "person has one primary and at most one secondary placement at a time.",
                          f"{path}/PlacementDetail[{j}]", placements[j - 1], r)


def _reviews(r: dict, ap: dict, path: str, spec, found: _Found) -> None:
    outcome = ap.get("ReviewOutcome")
    if outcome and not ap.get("ReviewMeeting"):
        found.add("SEN2-V01", f"ReviewOutcome is {outcome} but no ReviewMeeting date is given.",
                  f"{path}/ReviewMeeting", ap, r)
    if ap.get("ReviewDraft") and outcome != "A":
        found.add("SEN2-V02", f"ReviewDraft is given but ReviewOutcome is {outcome or 'not given'}: a draft amended "
                  "plan follows a decision to amend (A).", f"{path}/ReviewDraft", ap, r)
    if ap.get("PhaseTransferFinalDate") and not ap.get("PhaseTransferDueDate"):
        found.add("SEN2-V03", "PhaseTransferFinalDate is given without the PhaseTransferDueDate it answers.",
                  f"{path}/PhaseTransferDueDate", ap, r)
    plan = (r.get("Assessment") or {}).get("NamedPlan")
    pairs = [(ap, "ReviewMeeting", ap, "ReviewDraft", "the draft amended plan usually follows the review meeting"),
             (plan, "StartDate", ap, "ReviewMeeting", "a plan is usually reviewed after it starts")]
    if outcome:  # the decision on the latest meeting is made, so LastReview is that decision's date
        pairs.append((ap, "ReviewMeeting", ap, "LastReview", "the review decision follows its meeting"))
    _order(found, "SEN2-D04", path, pairs, r)


# --- many persons ------------------------------------------------------------------------------------

class Duplicates:
    """Finds a UPN or ULN given for two persons. Holds one entry per identifier seen (bounded, small)."""

    def __init__(self):
        self.seen: dict[tuple[str, str], int] = {}

    def check(self, person: dict, index: int) -> list[Problem]:
        out = []
        for item, name in (("UPN", "UPN"), ("UniqueLearnerNumber", "ULN")):
            value = person.get(item)
            if not value:
                continue
            first = self.seen.setdefault((item, value), index)
            if first != index:
                out.append(problem("SEN2-P07", f"The {name} {value} is also given for person {first}: each child "
                                   "or young person is returned once.", f"Person/{item}", node=person, person=index,
                                   person_label=person_label(person), upn=person.get("UPN", ""),
                                   child_id=person.get("_child_id")))
        return out
