"""Cohort routing with fixed dates: priorities, age bands by school year, districts, conflicts and gaps."""

import datetime
from decimal import Decimal

import pytest

from ehcflow.teams.routing import (
    Circumstances,
    CohortRule,
    Seat,
    academic_age,
    choose_coordinator,
    circumstances_of,
    configuration_problems,
    route,
    seat_capacity,
)

d = datetime.date
VS = CohortRule(1, "Virtual School", 1, looked_after=True)
AI = CohortRule(2, "Access and Inclusion", 2, off_roll=True, min_age=4, max_age=15)
EY = CohortRule(3, "Early Years", 3, max_age=3)
YP = CohortRule(4, "Services for Young People", 4, min_age=16)
NORTH = CohortRule(5, "North area team", 5, min_age=4, max_age=15, districts=frozenset({"HX1", "HX2"}))
SOUTH = CohortRule(6, "South area team", 5, min_age=4, max_age=15, districts=frozenset({"HX3", "HX4"}))
MODEL = [VS, AI, EY, YP, NORTH, SOUTH]


def child(age, *, looked_after=False, off_roll=False, district="HX1"):
    return Circumstances(looked_after=looked_after, off_roll=off_roll, age=age, district=district)


@pytest.mark.parametrize(("dob", "today", "age"), [
    (d(2010, 9, 1), d(2026, 11, 22), 15),  # born 1 September: youngest in the year, Year 11
    (d(2010, 8, 31), d(2026, 11, 22), 16),  # born 31 August: oldest, Year 12
    (d(2010, 8, 31), d(2026, 8, 31), 15),  # still last school year until 1 September
    (d(2022, 12, 25), d(2026, 11, 22), 3),  # pre-school
])
def test_age_counts_on_the_31_august_before_the_school_year(dob, today, age):
    assert academic_age(dob, today) == age


@pytest.mark.parametrize(("c", "team"), [
    (child(17, looked_after=True), 1),  # a looked-after 17-year-old goes to the Virtual School, not post-16
    (child(10, off_roll=True), 2),
    (child(3, off_roll=True), 3),  # an under-5 with no setting is Early Years, not Access and Inclusion
    (child(16, off_roll=True), 4),
    (child(10, district="HX2"), 5),
    (child(10, district="HX4"), 6),
])
def test_the_lowest_priority_number_that_fits_holds_the_child(c, team):
    assert route(c, MODEL).team_id == team


def test_circumstances_from_the_record():
    c = circumstances_of(date_of_birth=d(2015, 3, 1), today=d(2026, 11, 22), looked_after=False,
                         setting_kind="ap", postcode="hx2 5ab")
    assert c == Circumstances(False, True, 11, "HX2", "")
    assert circumstances_of(date_of_birth=d(2015, 3, 1), today=d(2026, 11, 22), looked_after=False,
                            setting_kind=None).off_roll


def test_a_child_no_rule_fits_is_reported_with_examples():
    problems = configuration_problems(MODEL, [("Ann Able", child(10, district="ZZ9")), ("Bo Bell", child(9))],
                                      districts=["HX1", "HX2", "HX3", "HX4"])
    assert not problems.ok and problems.unrouted_count == 1
    assert problems.errors() == ["1 child fits no team's rule, for example: Ann Able."]
    assert any("(outside these districts)" in g and "aged 4 to 15" in g for g in problems.gaps)


def test_two_teams_at_the_same_priority_for_the_same_child_are_rejected():
    overlap = CohortRule(7, "Central area team", 5, min_age=4, max_age=15, districts=frozenset({"HX2", "HX5"}))
    problems = configuration_problems(MODEL + [overlap], [("Cy Cole", child(8, district="HX2"))])
    assert problems.tied == {("North area team", "Central area team"): {"count": 1, "examples": ["Cy Cole"]}}
    assert problems.errors() == ["1 child fits North area team and Central area team at the same priority, "
                                 "for example: Cy Cole."]
    assert ("North area team", "Central area team") in problems.rule_ties


def test_equal_priority_rules_that_cannot_overlap_are_fine():
    problems = configuration_problems(MODEL, [("Di Dee", child(8, district="HX3"))], districts=["HX1", "HX2", "HX3", "HX4"])
    assert problems.ok and problems.rule_ties == []


def test_equal_priority_rules_that_could_overlap_are_rejected_even_with_no_child_yet():
    a = CohortRule(1, "A", 1, min_age=0, max_age=10)
    b = CohortRule(2, "B", 1, min_age=10, max_age=25)
    problems = configuration_problems([a, b], [])
    assert problems.errors() == ["A and B have the same priority and their rules overlap: give one a lower number."]


@pytest.mark.parametrize(("fte", "induction", "percent", "away", "expected"), [
    (Decimal("1.00"), False, 0, False, 170),
    (Decimal("0.60"), False, 0, False, 102),
    (Decimal("1.00"), True, 0, False, 0),  # no cases during the six-week induction by default
    (Decimal("1.00"), True, 25, False, 42),  # 42.5 rounds half to even
    (Decimal("1.00"), False, 0, True, 0),
])
def test_capacity_follows_hours_induction_and_absence(fte, induction, percent, away, expected):
    assert seat_capacity(per_fte=170, fte=fte, in_induction=induction, induction_percent=percent,
                         away=away) == expected


def test_a_sibling_keeps_their_coordinator_else_the_least_loaded():
    seats = [Seat(1, 5, 170, 200, 180), Seat(2, 5, 170, 200, 100), Seat(3, 5, 85, 100, 60), Seat(4, 5, 0, 0, 0)]
    assert choose_coordinator(seats, sibling_coordinators=[1]) == 1  # over target but under the maximum
    assert choose_coordinator(seats) == 2  # 101/170 < 61/85
    full = [Seat(1, 5, 170, 200, 200), Seat(2, 5, 170, 200, 100)]
    assert choose_coordinator(full, sibling_coordinators=[1]) == 2
    assert choose_coordinator([Seat(4, 5, 0, 0, 0)]) is None
