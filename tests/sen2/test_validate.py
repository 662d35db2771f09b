"""Validating whole files: the community samples, files we write, hostile files, and the command."""

import io
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command

from ehcflow.sen2 import services, spec, tree, validate
from tests.sen2.conftest import SHARED
from tests.sen2.test_rules import clean_header, clean_person

REPO = Path(__file__).resolve().parents[2]
SAMPLES = SHARED
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="the shared SEN2 reference folder is not here")


def sample(name: str) -> Path:
    return SAMPLES / name


def rules_of(report, person=None) -> set[str]:
    return {p.rule for p in report.problems if person is None or p.person == person}


def write(persons, header=None, year=2025) -> bytes:
    out = io.BytesIO()
    tree.write(out, spec.load(year), header or clean_header(), persons)
    return out.getvalue()


# --- files we write -------------------------------------------------------------------------------------

def test_a_clean_return_has_no_problems():
    report = validate.validate_file(write([clean_person()]), la="919", expected_year=2025)
    assert report.refused == "" and report.problems == []
    assert (report.year, report.la_code, report.reference_date, report.persons) == (2025, "919", "2025-01-16", 1)
    assert report.errors == 0 and report.queries == 0


def test_problems_carry_the_line_and_person(tmp_path):
    bad = clean_person()
    bad["Requests"][0].pop("RequestOutcomeDate")
    bad["UPN"] = "M80120000500A"
    path = tmp_path / "return.xml"
    path.write_bytes(write([clean_person(), bad]))
    report = validate.validate_file(path)  # a Path works too
    (x,) = report.problems
    assert (x.rule, x.person, x.path) == ("SEN2-R03", 2, "Person/Requests[1]/RequestOutcomeDate")
    lines = path.read_text().splitlines()
    assert x.line and "<Requests>" in lines[x.line - 1]
    assert x.person_label == "Smith, Ava (born 2012-03-04)" and x.upn == "M80120000500A"


def test_schema_and_rule_problems_together():
    p = clean_person()
    p["Ethnicity"] = "XXXX"  # not a code: the schema's
    p["Requests"][0]["RYA"] = None
    report = validate.validate_file(write([p]))
    assert {"SEN2-S10", "SEN2-R02"} <= rules_of(report)


def test_duplicate_persons_in_a_file():
    report = validate.validate_file(write([clean_person(), clean_person(), clean_person()]))
    dups = [p for p in report.problems if p.rule == "SEN2-P07"]
    assert [p.person for p in dups] == [2, 3] and all(p.is_error for p in dups)


def test_a_return_without_persons():
    report = validate.validate_file(write([]))
    assert rules_of(report) == {"SEN2-F01"} and report.errors == 1 and report.persons == 0


def test_la_of_the_council():
    data = write([clean_person()])
    assert validate.validate_file(data, la="919").problems == []
    (x,) = validate.validate_file(data, la=SimpleNamespace(code="202", name="Camden")).problems
    assert x.rule == "SEN2-H04" and x.message == "This return is for LA 919, not your council 202 (Camden)."


def test_services_entry_point():
    report = services.sen2_validate(source=write([clean_person()]), la="919", expected_year=2025)
    assert isinstance(report, services.ValidationReport) and report.persons == 1 and not report.problems


def test_check_persons_for_trees_built_from_the_record():
    people = (clean_person() for _ in range(2))  # a generator, as the data-quality page streams them
    found = validate.check_persons(people, spec.load(2025))
    assert [(p.rule, p.person) for p in found] == [("SEN2-P07", 2)]


# --- refused files --------------------------------------------------------------------------------------

def refused(source, **kw) -> str:
    start = time.monotonic()
    report = validate.validate_file(source, **kw)
    assert time.monotonic() - start < 2, "a refusal should be quick"
    assert report.refused and report.problems == [] and report.errors == 1 and report.persons == 0
    return report.refused


def test_refused_files():
    assert "not a SEN2 return" in refused(b"<Foo/>")
    assert "<Foo>" in refused(b"<Foo/>")
    assert "not well-formed XML" in refused(b"<Message><Header>")
    assert "empty" in refused(b"")
    assert "not well-formed XML" in refused(write([clean_person()])[:-300])
    assert "SEN3" in refused(write([clean_person()]).replace(b">SEN2<", b">SEN3<"))
    data = write([clean_person()])
    header = data[data.index(b"<Header>"):data.index(b"</Header>") + 9]
    assert "more than one Header" in refused(data.replace(b"<Persons>", header + b"<Persons>"))


def test_wrong_and_unsupported_years():
    data = write([clean_person()])
    message = refused(data, expected_year=2024)
    assert "2025" in message and "2024" in message
    message = refused(data.replace(b"<Year>2025</Year>", b"<Year>2019</Year>"))
    assert "2019" in message and "2025" in message  # names the years ehcflow holds


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Message><Header><CollectionDetails><Collection>&lol9;</Collection></CollectionDetails></Header></Message>
"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Message [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Message><Header><CollectionDetails><Collection>SEN2</Collection><Year>2025</Year></CollectionDetails>
<Source><SoftwareCode>&x;</SoftwareCode></Source></Header><Persons><Person><Surname>&x;</Surname></Person></Persons>
</Message>
"""


@pytest.mark.parametrize("data", [BOMB, XXE, XXE.replace(b"<!DOCTYPE", b"<!--" + b"x" * 8000 + b"-->\n<!DOCTYPE"),
                                  BOMB.replace(b"<!DOCTYPE", b"<!--" + b"x" * 8000 + b"-->\n<!DOCTYPE")],
                         ids=["billion-laughs", "xxe", "xxe-after-a-long-comment", "bomb-after-a-long-comment"])
def test_dtds_and_entities_are_refused(data):
    message = refused(data)
    assert "DTD" in message
    report = validate.validate_file(data)
    assert "root:" not in repr(report) and "/bin/" not in repr(report) and "lollol" not in repr(report)


# --- the community samples ------------------------------------------------------------------------------

@needs_samples
@pytest.mark.parametrize("name", ["sen2_sample_2023__sen2_liia-branch.xml", "sen2_sample_2024__sen2_liia-branch.xml",
                                  "sen2_sample_2025__sen2_liia-branch.xml",
                                  "bad_sen2_sample_2024__sen2_liia-branch.xml"])
def test_each_sample_reads(name):
    report = validate.validate_file(sample(name))
    assert report.refused == "" and report.persons >= 2 and report.la_code == "201"
    assert report.errors  # synthetic samples, none fully valid (XSD_NOTES.md 7)


@needs_samples
def test_the_ramanjit_sample_is_not_a_return():
    """Despite its name it is an XSD, with a comment before its XML declaration."""
    assert "not well-formed XML" in refused(sample("sen2_sample_2023__ramanjit-branch.xml"))


@needs_samples
@pytest.mark.parametrize("name", ["sen2_sample_2024__sen2_liia-branch.xml", "sen2_sample_2025__sen2_liia-branch.xml"])
def test_the_14_character_upn_is_reported(name):
    report = validate.validate_file(sample(name))
    upns = [p for p in report.problems if p.rule == "SEN2-P02"]
    assert {p.upn for p in upns} == {"X1234567898765", "X1234567898321"}
    assert all("14 characters" in p.message and p.is_error for p in upns)


@needs_samples
def test_the_2025_reference_date_is_reported():
    report = validate.validate_file(sample("sen2_sample_2025__sen2_liia-branch.xml"), expected_year=2025)
    (x,) = [p for p in report.problems if p.rule == "SEN2-H01"]
    assert "2025-01-18" in x.message and "2025-01-16" in x.message and x.is_error and x.line == 3


@needs_samples
def test_the_2023_sample_claims_2024():
    report = validate.validate_file(sample("sen2_sample_2023__sen2_liia-branch.xml"))
    assert report.year == 2024 and "SEN2-H01" in rules_of(report)
    assert "SEN2-S01" in rules_of(report)  # GenderCurrent is a 2023 item


@needs_samples
def test_the_bad_sample():
    """The "bad" 2024 sample differs from the good one only in names and its first UPN, X123456789876: the right
    length, but its check letter should be F."""
    good = validate.validate_file(sample("sen2_sample_2024__sen2_liia-branch.xml"))
    bad = validate.validate_file(sample("bad_sen2_sample_2024__sen2_liia-branch.xml"))
    assert "SEN2-P03" not in rules_of(good)
    (x,) = [p for p in bad.problems if p.rule == "SEN2-P03"]
    assert x.person == 1 and x.upn == "X123456789876" and "check letter F" in x.message and x.is_error


@needs_samples
def test_sample_rules_beyond_the_schema():
    report = validate.validate_file(sample("sen2_sample_2025__sen2_liia-branch.xml"))
    assert {"SEN2-E01", "SEN2-R04", "SEN2-O01", "SEN2-R09", "SEN2-A06"} <= rules_of(report)
    refused_with_assessment = [p for p in report.problems if p.rule == "SEN2-R04"]
    assert [p.path for p in refused_with_assessment] == ["Person/Requests[1]/Assessment",
                                                         "Person/Requests[2]/Assessment"]


# --- the command ----------------------------------------------------------------------------------------

def run(*args) -> tuple[str, str]:
    out = io.StringIO()
    try:
        call_command("sen2_validate", *map(str, args), stdout=out)
    except CommandError as e:
        return out.getvalue(), str(e)
    return out.getvalue(), ""


def test_command_on_a_clean_file(tmp_path):
    path = tmp_path / "clean.xml"
    path.write_bytes(write([clean_person()]))
    out, error = run(path, "--year", 2025, "--la", "919")
    assert error == ""
    assert "SEN2 2025 return for LA 919" in out and "1 person, 0 errors, 0 queries" in out


def test_command_lists_problems_and_fails_on_errors(tmp_path):
    p = clean_person()
    p["UPN"] = "A801200005001"
    p["Requests"][0]["RequestSource"] = "5"
    path = tmp_path / "errors.xml"
    path.write_bytes(write([p]))
    out, error = run(path, "--la", "202")
    assert "2 errors, 1 query" in out
    assert "error  SEN2-P03  person 1 Smith, Ava (born 2012-03-04)  Person/UPN  line " in out
    assert "query  SEN2-O01" in out and "error  SEN2-H04  file  Header/Source/LEA" in out
    assert "2 errors" in error


def test_command_refusal(tmp_path):
    path = tmp_path / "foo.xml"
    path.write_bytes(b"<Foo/>")
    _, error = run(path)
    assert error.startswith("The file was refused: This is not a SEN2 return")
    path.write_bytes(write([clean_person()]))
    _, error = run(path, "--year", 2026)
    assert "the 2026 return was expected" in error


def test_command_exit_status(tmp_path):
    clean, broken = tmp_path / "clean.xml", tmp_path / "broken.xml"
    clean.write_bytes(write([clean_person()]))
    broken.write_bytes(write([clean_person()])[:-100])

    def status(path):
        done = subprocess.run([sys.executable, "manage.py", "sen2_validate", str(path)], cwd=REPO, check=False,
                              capture_output=True, text=True, timeout=120)
        return done.returncode, done.stdout + done.stderr

    code, output = status(clean)
    assert code == 0, output
    code, output = status(broken)
    assert code == 1 and "refused" in output
