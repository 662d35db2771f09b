"""The demo council runs the delivery model: every active child with the team its rule gives and an active,
inducted coordinator of that team with room; the configuration passes the product's own check."""

import pytest
from django.utils import timezone

from ehcflow.accounts.models import Role, User
from ehcflow.teams import selectors
from ehcflow.teams.models import Team
from ehcflow.teams.routing import configuration_problems, route
from tests.demo.test_demo import load

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load()
    return timezone.localdate()


def test_every_active_child_is_held_by_the_team_its_rule_gives(demo):
    la_id = Team.objects.values_list("la_id", flat=True).first()
    rules = selectors.team_rules(la_id=la_id)
    rows = selectors.child_rows(la_id=la_id, today=demo)
    assert len(rows) > 250
    wrong = [r.label for r in rows if route(r.circumstances, rules).team_id != r.team_id]
    assert wrong == []
    problems = configuration_problems(rules, [(r.label, r.circumstances) for r in rows],
                                      districts=[f"HX{d}" for d in range(1, 17)])
    assert problems.ok, problems.errors()
    assert {g for g in problems.gaps if "HX" in g and "outside" not in g} == set()


def test_every_active_child_has_an_active_inducted_coordinator_of_that_team(demo):
    la_id = Team.objects.values_list("la_id", flat=True).first()
    staff = {u.pk: u for u in User.objects.filter(la_id=la_id).prefetch_related("teams")}
    bad = []
    for r in selectors.child_rows(la_id=la_id, today=demo):
        u = staff.get(r.coordinator_id)
        if (u is None or not u.is_active or u.role != Role.COORDINATOR or u.away(demo) or u.in_induction(demo)
                or r.team_id not in {t.pk for t in u.teams.all()}):
            bad.append(r.label)
    assert bad == []


def test_staff_show_the_whole_model_and_caseloads_sit_within_target(demo):
    la_id = Team.objects.values_list("la_id", flat=True).first()
    coordinators = User.objects.filter(la_id=la_id, role=Role.COORDINATOR)
    assert coordinators.filter(induction_completed_on__isnull=True).exists()  # new starters in induction
    assert coordinators.filter(left_on__isnull=False, is_active=False).exists()
    assert coordinators.filter(absent_from__isnull=False).exists()
    assert coordinators.exclude(fte=1).exists()
    seats = [s for s in selectors.seats(la_id=la_id, today=demo) if s.target > 0]
    within = sum(1 for s in seats if s.load <= s.target)
    assert within / len(seats) >= 0.8
    assert all(s.load == 0 for s in selectors.seats(la_id=la_id, today=demo) if s.target == 0)
