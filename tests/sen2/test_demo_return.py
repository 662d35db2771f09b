"""The demo council's return: it passes the product's schema and rules with no errors, and it comes back item for
item when loaded as another council's (the round trip of issue 5, on a council's whole life)."""

import io

import pytest
from django.core.management import call_command

from ehcflow.demo import generator
from ehcflow.sen2 import spec
from ehcflow.sen2.importer import prune
from ehcflow.sen2.models import QualityCheck
from ehcflow.sen2.services import sen2_import, sen2_validate
from ehcflow.tenancy.models import LocalAuthority
from tests.sen2.conftest import exported, missing, persons, strip

SCALE = 0.03


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", scale=SCALE, seed=2025, force=True, stdout=io.StringIO())
        la = LocalAuthority.objects.get(code=generator.LA_CODE)
        yield la
        generator.delete_la_data(la)


@pytest.mark.parametrize("year", [2026, 2027])
def test_the_demo_return_has_no_errors(demo, db, year):
    report = sen2_validate(source=exported(demo, year), la=demo)
    assert report.refused == "" and report.persons > 100
    assert [p for p in report.problems if p.is_error] == []


def test_the_demo_council_was_checked_when_loaded(demo, db):
    check = QualityCheck.objects.get(la=demo)
    assert check.year == spec.year_for_reference(check.checked_at.date()) and check.errors == 0


def key(p: dict) -> tuple:
    return p.get("UPN", ""), p["Surname"], p["Forename"], p["PersonBirthDate"]


def test_the_demo_return_round_trips_through_another_council(demo, db):
    original = exported(demo, 2026)
    other = LocalAuthority.objects.create(code="888", name="Elsewhere Borough Council")
    report = sen2_import(la=other, source=original.replace(b"<LEA>919</LEA>", b"<LEA>888</LEA>"))
    assert report.refused == "" and report.refused_persons == []
    before = {key(p): p for p in persons(original)}
    for p in before.values():
        assert prune(p) == []  # our own return holds nothing the guide forbids
    after = {key(p): p for p in persons(exported(other, 2026))}
    assert set(after) == set(before)
    lost = {k: missing(strip(p), strip(after[k])) for k, p in before.items() if missing(strip(p), strip(after[k]))}
    added = {k: missing(strip(after[k]), strip(p)) for k, p in before.items() if missing(strip(after[k]), strip(p))}
    assert lost == {} and added == {}
    generator.delete_la_data(other)
