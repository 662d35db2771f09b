"""The return built from the record: who is in it, each item derived from the steps, and a file that passes
the product's own schema and rules with no errors."""

import datetime
import re

from lxml import etree

from ehcflow.sen2 import export, spec
from ehcflow.sen2.services import sen2_validate
from tests.sen2.conftest import exported, persons, upn

d = datetime.date


def by_name(xml: bytes) -> dict[str, dict]:
    return {p["Forename"]: p for p in persons(xml)}


def test_it_puts_each_request_in_scope_in_the_return_and_no_other(council, la):
    people = by_name(exported(la))
    assert set(people) == {"Alex", "Bea", "Cal", "Dee"}  # Eve's request was refused in 2023


def test_items_of_an_issued_plan_come_from_the_steps(council, la, school):
    alex = by_name(exported(la))["Alex"]
    assert alex["UPN"] == upn(1) and alex["Sex"] == "M" and alex["Ethnicity"] == "WBRI"
    (request,) = alex["Requests"]
    assert {k: request[k] for k in ("ReceivedDate", "RequestSource", "RYA", "RequestOutcomeDate", "RequestOutcome")} \
        == {"ReceivedDate": "2025-01-06", "RequestSource": "1", "RYA": "0", "RequestOutcomeDate": "2025-02-10",
            "RequestOutcome": "Y"}
    assessment = request["Assessment"]
    assert assessment["AssessmentOutcome"] == "Y" and assessment["AssessmentOutcomeDate"] == "2025-04-28"
    assert assessment["Week20"] == "0" and assessment["AssessmentTribunal"] == "0"
    assert [tree_strip(p) for p in assessment["NamedPlan"]["PlanDetail"]] == [{"URN": school.urn, "PlacementRank": "1"}]
    assert [tree_strip(n) for n in request["ActivePlans"]["SENneed"]] == [{"SENtype": "ASD", "SENtypeRank": "1"}]


def tree_strip(t: dict) -> dict:
    return {k: v for k, v in t.items() if not k.startswith("_")}


def test_a_request_awaiting_decision_says_so_and_nothing_more(council, la):
    (request,) = by_name(exported(la))["Bea"]["Requests"]
    assert tree_strip(request) == {"ReceivedDate": "2025-09-01", "RequestSource": "1", "RYA": "0",
                                   "RequestOutcome": "A"}


def test_a_refusal_carries_its_date_and_mediation_and_tribunal_flags(council, la):
    (request,) = by_name(exported(la))["Cal"]["Requests"]
    assert request["RequestOutcome"] == "N" and request["RequestOutcomeDate"] == "2025-04-01"
    assert (request["RequestMediation"], request["RequestTribunal"]) == ("0", "0")
    assert "Assessment" not in request


def test_a_decision_before_the_collection_year_is_historical(council, la):
    (request,) = by_name(exported(la))["Dee"]["Requests"]
    assert request["RequestOutcome"] == "H" and tree_strip(request["Assessment"]) == {"AssessmentOutcome": "A"}


def test_the_return_is_as_at_its_census_day(council, la):
    """The 2025 return (census 16 January 2025, year 2024) knows nothing of requests made after 2024."""
    people = by_name(exported(la, 2025))
    assert set(people) == {"Dee"}
    (request,) = people["Dee"]["Requests"]
    assert request["RequestOutcome"] == "Y" and request["Assessment"]["AssessmentOutcome"] == "A"


def test_empty_items_are_left_out_not_written_empty(council, la):
    xml = exported(la).decode()
    assert not re.search(r"<(\w+)>\s*</\1>|<\w+\s*/>", xml)
    assert "<UniqueLearnerNumber>" not in xml  # no child here has a ULN


def test_the_export_passes_the_schema_and_rules_with_no_errors(council, la):
    report = sen2_validate(source=exported(la), la=la)
    assert report.refused == ""
    assert [p for p in report.problems if p.is_error] == []
    assert report.persons == 4


def test_elements_follow_the_years_order(council, la):
    """LastReview moved to the end of ActivePlans in 2026: the writer follows the item table, not code."""
    order = [c.name for c in spec.load(2026).element("Message/Persons/Person/Requests/ActivePlans").children]
    assert order[-1] == "LastReview"
    order_2025 = [c.name for c in spec.load(2025).element("Message/Persons/Person/Requests/ActivePlans").children]
    assert order_2025.index("LastReview") < order_2025.index("ReviewOutcome")
    root = etree.fromstring(exported(la))
    for element in root.iter():
        names = [c.tag for c in element]
        assert names == sorted(names, key=lambda n: names.index(n))  # no element repeats out of its run


def test_the_data_quality_report_finds_a_child_with_no_identifier(council, la):
    child = council["waiting"].child
    child.upn = ""
    child.save()
    report = export.data_quality(la=la, year=2026)
    hits = [p for p in report.problems if p.child_id == child.pk]
    assert hits and all(p.person_label.startswith("Testerby, Bea") for p in hits)
    assert any(p.is_error for p in hits)
    assert export.person_problems(child, 2026)
