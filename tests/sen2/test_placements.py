"""Where a child is educated, recorded for the return (PlacementDetail): who may record it, what is refused, and
what the return then says."""

import datetime

import pytest
import time_machine

from ehcflow.accounts.models import Role
from ehcflow.core.errors import StepRefused
from ehcflow.people.models import Placement
from ehcflow.people.services import placement_end, placement_record
from tests.conftest import advance, make_user
from tests.sen2.conftest import exported, persons
from tests.test_access import ALL, NOT_STAFF, client_for

d = datetime.date
MAY_CHANGE = {"coordinator", "team_colleague", "manager", "administrator", "data_officer"}


@pytest.fixture
def people(personas, la):
    with time_machine.travel(datetime.datetime(2026, 1, 5, 12, 0), tick=False):
        yield {**personas, "data_officer": make_user("dataofficer", la=la, role=Role.DATA_OFFICER)}


@pytest.fixture
def alex(people, case):
    return case.child


def form(**changes) -> dict:
    data = {"reference": "", "setting_kind": "NEET", "setting_kind_other": "", "rank": "1", "entry_on_0": "1",
            "entry_on_1": "9", "entry_on_2": "2025", "residential": "", "work_based": ""}
    return {**data, **changes}


@pytest.mark.parametrize("persona", sorted(MAY_CHANGE))
def test_a_placement_is_recorded_by(persona, people, alex):
    alex.date_of_birth = d(2008, 3, 1)
    alex.save()
    response = client_for(people[persona]).post(f"/sen2/children/{alex.pk}/placements/", form())
    assert response.status_code == 302, persona
    placement = Placement.objects.get(child=alex)
    assert (placement.setting_kind, placement.entry_on) == ("NEET", d(2025, 9, 1))
    assert placement.history.get().history_user == people[persona]


@pytest.mark.parametrize("persona", sorted(ALL - MAY_CHANGE - {"data_officer"}))
def test_it_denies_recording_a_placement_to(persona, people, alex):
    response = client_for(people[persona]).post(f"/sen2/children/{alex.pk}/placements/", form())
    assert response.status_code in (302, 403, 404), persona
    if persona not in NOT_STAFF:
        assert response.status_code in (403, 404), persona
    assert not Placement.objects.exists()


@pytest.mark.parametrize("changes, field, message", [
    ({"reference": "100001", "setting_kind": "NEET"}, "reference", "not both"),
    ({"setting_kind": ""}, "reference", "URN or UKPRN, or select a type of setting"),
    ({"setting_kind": "", "reference": "12345"}, "reference", "Enter a URN (6 numbers"),
    ({"setting_kind": "OTH"}, "setting_kind_other", "Enter what the setting or activity is"),
    ({}, "setting_kind", "aged 16 to 25"),  # Alex is 8
    ({"setting_kind": "EHE", "entry_on_2": "2027"}, "entry_on", "today or in the past"),
])
def test_a_wrong_placement_is_refused_and_nothing_is_saved(changes, field, message, people, alex):
    response = client_for(people["coordinator"]).post(f"/sen2/children/{alex.pk}/placements/", form(**changes))
    assert response.status_code == 400 and message in response.content.decode()
    assert not Placement.objects.exists()


def test_a_placement_by_urn_is_linked_to_the_register_and_reported(people, case, school):
    advance(case, people["coordinator"], "plan_issued", school=school)
    alex = case.child
    placement_record(actor=people["coordinator"], child=alex, reference=school.urn, rank=1, entry_on=d(2024, 9, 4),
                     sen_unit=True)
    placement = Placement.objects.get()
    assert placement.setting == school and placement.urn == school.urn
    (person,) = [p for p in persons(exported(alex.la, 2026)) if p["Forename"] == "Alex"]
    (detail,) = person["Requests"][0]["ActivePlans"]["PlacementDetail"]
    assert {k: v for k, v in detail.items() if not k.startswith("_")} == {
        "URN": school.urn, "PlacementRank": "1", "EntryDate": "2024-09-04", "SENunitIndicator": "1"}


def test_leaving_a_placement_is_recorded_once_and_never_before_it_started(people, alex):
    placement = placement_record(actor=people["coordinator"], child=alex, setting_kind="EHE", rank=1,
                                 entry_on=d(2025, 9, 1))
    client = client_for(people["coordinator"])
    url = f"/sen2/children/{alex.pk}/placements/{placement.pk}/left/"
    bad = client.post(url, {"leaving_on_0": "1", "leaving_on_1": "8", "leaving_on_2": "2025"})
    assert bad.status_code == 400 and "on or after the date started" in bad.content.decode()
    assert client.post(url, {"leaving_on_0": "19", "leaving_on_1": "12", "leaving_on_2": "2025"}).status_code == 302
    placement.refresh_from_db()
    assert placement.leaving_on == d(2025, 12, 19)
    with pytest.raises(StepRefused):
        placement_end(actor=people["coordinator"], placement=placement, leaving_on=d(2025, 12, 20))
