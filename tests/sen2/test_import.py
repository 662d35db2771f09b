"""Loading a council's SEN2 return: all or nothing, a dry run that changes nothing, twice the same as once,
bad files refused, and every item loaded coming back out of the export (the round trip)."""

import datetime

import pytest

from ehcflow.appeals.models import Disagreement
from ehcflow.cases.models import Case
from ehcflow.people.models import Child, Placement
from ehcflow.plans.models import Need
from ehcflow.reviews.models import AnnualReview
from ehcflow.sen2.importer import prune
from ehcflow.sen2.models import LoadedRequest
from ehcflow.sen2.services import sen2_import
from tests.sen2.conftest import exported, missing, persons, sample, strip

d = datetime.date
SAMPLE_2025 = "sen2_sample_2025__sen2_liia-branch.xml"
SAMPLE_2024 = "sen2_sample_2024__sen2_liia-branch.xml"
MODELS = (Child, Case, Placement, Need, AnnualReview, LoadedRequest)


def counts() -> dict:
    return {m.__name__: m.objects.count() for m in MODELS}


def by_person(xml) -> dict:
    return {(p["Surname"], p["Forename"], p["PersonBirthDate"]): p for p in persons(xml)}


def round_trip_losses(original, la, year: int) -> dict:
    """Items of the original return (as the import loads them) that the export of `la` does not give back."""
    before = by_person(original)
    for p in before.values():
        prune(p)
    after = by_person(exported(la, year))
    assert set(after) == set(before)
    return {k: missing(strip(p), strip(after[k])) for k, p in before.items() if missing(strip(p), strip(after[k]))}


@pytest.mark.parametrize("name, year", [(SAMPLE_2025, 2025), (SAMPLE_2024, 2024),
                                        ("bad_sen2_sample_2024__sen2_liia-branch.xml", 2024)])
def test_the_shared_samples_import_with_their_defects_reported(london, name, year):
    report = sen2_import(la=london, source=str(sample(name)), dry_run=False)
    assert report.refused == ""
    assert report.created["children"] == 2 and report.created["requests"] == 3
    rules = {p.rule for p in report.problems}
    assert any("UPN" in p.path for p in report.problems if p.is_error)  # 14 characters, or a wrong check letter
    assert "SEN2-I10" in {p.rule for p in report.refused_persons}  # an assessment under a refused request
    assert rules  # the validator's findings travel with the import
    london.refresh_from_db()
    assert (london.dmo, london.dco) == ("Y", "Y")  # the header's designated officers, where the council had none


def test_a_sample_comes_back_out_of_the_export_item_for_item(london):
    path = str(sample(SAMPLE_2025))
    sen2_import(la=london, source=path)
    assert round_trip_losses(path, london, 2025) == {}


def test_importing_the_same_file_twice_changes_nothing_the_second_time(london):
    path = str(sample(SAMPLE_2025))
    sen2_import(la=london, source=path)
    before = counts()
    again = sen2_import(la=london, source=path)
    assert again.created == {} and again.updated == {} and again.unchanged["children"] == 2
    assert counts() == before


def test_a_dry_run_reports_what_would_happen_and_changes_nothing(london):
    before = counts()
    report = sen2_import(la=london, source=str(sample(SAMPLE_2025)), dry_run=True)
    assert report.dry_run and report.created["children"] == 2 and report.created["plans"] == 1
    assert counts() == before
    london.refresh_from_db()
    assert london.dmo == ""


def test_a_child_already_known_is_matched_by_upn_and_only_their_blanks_are_filled(london):
    """ehcflow's own record wins over a file: a known child keeps their details; only what is blank is filled."""
    Child.objects.create(la=london, first_name="Old", last_name="Name", date_of_birth=d(2002, 1, 1), sex="M",
                         upn="X1234567898765")
    report = sen2_import(la=london, source=str(sample(SAMPLE_2025)))
    assert report.created["children"] == 1 and report.updated["children"] == 1
    child = Child.objects.get(upn="X1234567898765")
    assert (child.first_name, child.last_name, child.ethnicity, child.postcode) == ("Old", "Name", "BBRI", "AA11AA")
    assert child.history.first().history_type == "~"
    assert child.cases.get().loaded_return.year == 2025  # the request it did not have is loaded


def test_our_own_return_loaded_back_into_the_same_council_changes_nothing(council, la):
    """The council's record is the truth: its own return, loaded again, neither adds nor rewrites a thing."""
    before = counts()
    report = sen2_import(la=la, source=exported(la))
    assert report.refused == "" and report.created == {} and report.updated == {}
    assert report.unchanged["requests recorded in ehcflow"] == 4
    assert counts() == before and LoadedRequest.objects.count() == 0


def test_every_row_loaded_is_audited_with_who_loaded_it(london, personas):
    actor = personas["administrator"]
    sen2_import(la=london, source=str(sample(SAMPLE_2025)), actor=actor)
    child = Child.objects.get(upn="X1234567898765")
    assert child.history.get().history_user == actor
    case = child.cases.get()
    assert case.timeline.get().kind == "sen2_loaded"


def bad(tmp_path, text: str) -> str:
    path = tmp_path / "bad.xml"
    path.write_text(text)
    return str(path)


def edited(tmp_path, old: str, new: str) -> str:
    return bad(tmp_path, sample(SAMPLE_2025).read_text().replace(old, new, 1))


@pytest.mark.parametrize("case", ["unknown code", "not a date", "not xml", "not sen2", "bomb", "xxe", "wrong year",
                                  "sample with unknown codes", "an xsd not a return"])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_imported(london, tmp_path, case):
    source = {
        "unknown code": lambda: edited(tmp_path, "<Ethnicity>BBRI</Ethnicity>", "<Ethnicity>ZZZZ</Ethnicity>"),
        "not a date": lambda: edited(tmp_path, "<ReceivedDate>2023-11-30", "<ReceivedDate>2023-11-31"),
        "not xml": lambda: bad(tmp_path, "Surname,Forename\nSmith,Jo\n"),
        "not sen2": lambda: bad(tmp_path, "<Census><Pupil/></Census>"),
        "bomb": lambda: bad(tmp_path, '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa">'
                                      '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
                                      '<Message>&c;</Message>'),
        "xxe": lambda: bad(tmp_path, '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                                     '<Message><Header>&x;</Header></Message>'),
        "wrong year": lambda: edited(tmp_path, "<Year>2025</Year>", "<Year>2019</Year>"),
        "sample with unknown codes": lambda: str(sample("sen2_sample_2023__sen2_liia-branch.xml")),  # XX, XXXX
        "an xsd not a return": lambda: str(sample("sen2_sample_2023__ramanjit-branch.xml")),
    }[case]()
    before = counts()
    report = sen2_import(la=london, source=source)
    assert report.refused
    assert counts() == before
    assert "root:" not in report.refused  # nothing read from /etc/passwd


def test_an_unknown_code_is_named_with_its_person(london, tmp_path):
    report = sen2_import(la=london, source=edited(tmp_path, "<Ethnicity>BBRI</Ethnicity>",
                                                  "<Ethnicity>ZZZZ</Ethnicity>"))
    (problem,) = [p for p in report.refused_persons if p.rule == "SEN2-I01"]
    assert "ZZZZ" in problem.message and problem.person == 1 and problem.path == "Person/Ethnicity"


def test_another_councils_return_is_refused(la):
    report = sen2_import(la=la, source=str(sample(SAMPLE_2025)))
    assert "201" in report.refused and Child.objects.count() == 0


def test_our_own_return_round_trips_through_another_council(council, la, other_la, school):
    """Export the council's 2026 return, load it as another council's, export that: every item comes back."""
    plan = council["issued"].plan
    plan.residential, plan.personal_budget, plan.direct_payments = "A", True, "E"
    plan.save()
    child = council["issued"].child
    Placement.objects.create(la=la, child=child, setting=school, urn=school.urn, rank=1, entry_on=d(2024, 9, 4),
                             sen_unit=True)
    Need.objects.create(la=la, plan=plan, area="semh", need_type="SEMH", rank=2, description="Anxiety")
    AnnualReview.objects.create(la=la, plan=plan, meeting_on=d(2025, 12, 1), held_on=d(2025, 12, 1),
                                decision="maintain", decision_on=d(2025, 12, 19))
    Disagreement.objects.create(la=la, case=council["refused"], kind="refuse_assess", notice_sent_on=d(2025, 4, 1),
                                mediation_held_on=d(2025, 5, 1))
    original = exported(la).replace(b"<LEA>919</LEA>", b"<LEA>888</LEA>")
    report = sen2_import(la=other_la, source=original)
    assert report.refused == "" and report.created["children"] == 4
    assert round_trip_losses(original, other_la, 2026) == {}
    again = by_person(exported(other_la))
    for key, p in by_person(original).items():
        assert missing(strip(again[key]), strip(p)) == []  # and nothing is added
