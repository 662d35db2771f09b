"""Shared fixtures for the delivery model's tests (ehcflow.teams): the issue's model of teams on the test council.

The root conftest's North and South area teams both take every child at the same priority (a configuration the
rules refuse); `model` turns them into area teams for HX1–HX2 and HX3–HX4 and adds the specialist teams, so every
child the tests make has exactly one team. Staff: the root personas (North: coordinator, team_colleague,
manager; South: other_team_coordinator, other_manager) and one coordinator in each specialist team.
"""

import datetime

import pytest
import time_machine

from ehcflow.accounts.models import Role
from ehcflow.people.models import Setting
from ehcflow.teams.models import Team
from tests.conftest import make_user

d = datetime.date
TEAMS_TODAY = d(2025, 6, 2)  # the summer term of 2024/25: ages count on 31 August 2024


@pytest.fixture
def at_teams_today():
    with time_machine.travel(datetime.datetime(2025, 6, 2, 12, 0), tick=False):
        yield TEAMS_TODAY


@pytest.fixture
def model(la, teams, personas):
    """Virtual School (1: looked after), Access & Inclusion (2: off roll, 5–15), Early Years (3: 4 and under),
    Services for Young People (4: 16 and over), North (10: HX1 HX2) and South (10: HX3 HX4)."""
    north, south = teams["north"], teams["south"]
    Team.objects.filter(pk=north.pk).update(priority=10, postcode_districts="HX1 HX2")
    Team.objects.filter(pk=south.pk).update(priority=10, postcode_districts="HX3 HX4")
    north.refresh_from_db()
    south.refresh_from_db()
    out = {
        "virtual": Team.objects.create(la=la, name="Virtual School", priority=1, looked_after=True,
                                       caseload_target=120, caseload_maximum=140),
        "access": Team.objects.create(la=la, name="Access and Inclusion", priority=2, off_roll=True, min_age=5,
                                      max_age=15, caseload_target=120, caseload_maximum=140),
        "early": Team.objects.create(la=la, name="Early Years", priority=3, max_age=4),
        "young": Team.objects.create(la=la, name="Services for Young People", priority=4, min_age=16),
        "north": north, "south": south,
    }
    staff = {key: make_user(f"{key}coord", la=la, role=Role.COORDINATOR, teams=[out[key]], first=key.title(),
                            last="Coordinator")
             for key in ("virtual", "access", "early", "young")}
    out["staff"] = staff
    return out


@pytest.fixture
def mainstream(db):
    """A school in North's district: a child on its roll is on a school roll."""
    return Setting.objects.create(name="Calder Primary School", urn="107562", phase="primary", kind="mainstream",
                                  la_code="919", postcode="HX1 2AB")
