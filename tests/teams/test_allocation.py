"""Allocation of every new request and a manager's override, with fixed dates (2024/25 school year)."""

import datetime
from decimal import Decimal

import pytest

from ehcflow.accounts.models import Role, User
from ehcflow.cases.models import Case, TimelineEvent
from ehcflow.core.errors import NotAllowed, StepRefused
from ehcflow.people.models import Carer, CarerLink, Child
from ehcflow.teams import allocation
from ehcflow.teams.models import Allocation, FamilyNotice, MoveKind
from tests.conftest import make_user, new_case
from tests.teams.conftest import TEAMS_TODAY

d = datetime.date
pytestmark = pytest.mark.usefixtures("at_teams_today")


def routed(actor, **child):
    """A request recorded with no coordinator chosen: the rules place it."""
    return new_case(actor, **child).child


def holding(child):
    child = Child.objects.get(pk=child.pk)
    return child.team and child.team.name, child.coordinator and child.coordinator.username


# --- Routing a new request -----------------------------------------------------------------------------------


def test_a_new_request_goes_to_the_team_its_rule_gives_and_the_least_loaded_coordinator(personas, model, mainstream):
    new_case(personas["coordinator"], first_name="Held", upn="H123456789012", setting=mainstream)  # coordinator: 1
    child = routed(personas["manager"], setting=mainstream)
    assert holding(child) == ("North area team", "colleague")
    log = Allocation.objects.get(child=child)
    assert (log.kind, log.from_team, log.to_team, log.to_coordinator, log.made_by, log.made_on) == (
        MoveKind.ROUTED, None, model["north"], personas["team_colleague"], personas["manager"], TEAMS_TODAY)
    assert "North area team holds children living in HX1, HX2" in log.reason
    assert "most room against their caseload target" in log.reason
    assert child.history.first().history_user == personas["manager"]


@pytest.mark.parametrize(("child", "team", "coordinator"), [
    # A looked-after 17-year-old goes to the Virtual School, not post-16 (age on 31 August 2024: 17).
    ({"date_of_birth": d(2007, 1, 10), "looked_after": True}, "Virtual School", "virtualcoord"),
    ({"date_of_birth": d(2007, 1, 10)}, "Services for Young People", "youngcoord"),
    # No school place: Access and Inclusion at 7, Early Years at 3.
    ({"setting": None}, "Access and Inclusion", "accesscoord"),
    ({"date_of_birth": d(2021, 5, 1), "setting": None}, "Early Years", "earlycoord"),
    ({"postcode": "HX4 9ZZ"}, "South area team", "othercoord"),
])
def test_each_cohort_is_routed_to_its_team(child, team, coordinator, personas, model, mainstream):
    details = {"setting": mainstream, **child}
    assert holding(routed(personas["administrator"], **details)) == (team, coordinator)


def test_hours_count_balance_is_proportional_to_each_coordinators_target(personas, model, mainstream):
    """Coordinator full time holds 2 of 170; colleague half time holds 1 of 85: 3/170 < 2/85, so coordinator."""
    User.objects.filter(pk=personas["team_colleague"].pk).update(fte=Decimal("0.50"))
    for i in range(2):
        new_case(personas["manager"], coordinator=personas["coordinator"], first_name=f"C{i}",
                 upn=f"C12345678901{i}", setting=mainstream)
    new_case(personas["manager"], coordinator=personas["team_colleague"], first_name="T", upn="T123456789012",
             setting=mainstream)
    assert holding(routed(personas["manager"], setting=mainstream))[1] == "coordinator"


def test_a_brother_or_sister_keeps_the_familys_coordinator(personas, model, mainstream):
    """The colleague holds nobody, but the coordinator holds the sister: the family keeps one officer."""
    sister = new_case(personas["manager"], coordinator=personas["coordinator"], first_name="Sister",
                      upn="S123456789012", setting=mainstream).child
    brother = Child.objects.create(la=sister.la, first_name="Brother", last_name="Testerby",
                                   date_of_birth=d(2016, 2, 1), sex="M", postcode="HX2 3CD", setting=mainstream)
    CarerLink.objects.create(la=sister.la, child=brother, carer=Carer.objects.get(child_links__child=sister))
    log = allocation.child_allocate(actor=personas["manager"], child=brother, today=TEAMS_TODAY)
    assert holding(brother) == ("North area team", "coordinator")
    assert "brother or sister" in log.reason


def test_nobody_in_induction_or_away_is_given_a_new_request(personas, model, mainstream):
    User.objects.filter(pk=personas["coordinator"].pk).update(induction_started_on=d(2025, 5, 1))
    User.objects.filter(pk=personas["team_colleague"].pk).update(absent_from=d(2025, 5, 20))
    child = routed(personas["administrator"], setting=mainstream)
    assert holding(child) == ("North area team", None)
    log = Allocation.objects.get(child=child)
    assert log.to_coordinator is None and "a manager allocates one" in log.reason
    assert list(allocation.unallocated_children(user=personas["manager"])) == [child]
    assert not allocation.unallocated_children(user=personas["other_manager"]).exists()


def test_a_coordinator_whose_induction_ended_yesterday_can_be_chosen(personas, model, mainstream):
    User.objects.filter(pk=personas["coordinator"].pk).update(induction_started_on=d(2025, 4, 1),
                                                               induction_completed_on=TEAMS_TODAY)
    User.objects.filter(pk=personas["team_colleague"].pk).update(left_on=TEAMS_TODAY)
    assert holding(routed(personas["administrator"], setting=mainstream)) == ("North area team", "coordinator")


def test_a_request_no_team_fits_is_recorded_unallocated(personas, model, mainstream):
    """A child living outside every area team's districts: recorded, no team, listed for every manager."""
    case = new_case(personas["manager"], postcode="LS1 4AP", setting=mainstream)
    assert Case.objects.filter(pk=case.pk).exists()
    assert holding(case.child) == (None, None)
    assert not Allocation.objects.filter(child=case.child).exists()
    for persona in ("manager", "other_manager", "leader", "administrator"):
        assert case.child in allocation.unallocated_children(user=personas[persona]), persona
    for persona in ("coordinator", "other_council_leader", "parent"):
        assert not allocation.unallocated_children(user=personas[persona]).exists(), persona


def test_the_request_page_routes_a_request_with_no_coordinator_chosen(personas, model):
    """Through the page, as a manager: a child with no school place goes to Access and Inclusion."""
    import uuid

    from tests.test_access import client_for
    from tests.test_steps import date_fields

    response = client_for(personas["manager"]).post("/cases/new/", {
        "token": str(uuid.uuid4()), "first_name": "Kit", "last_name": "Testerby", "sex": "F", "postcode": "HX1 1AA",
        "looked_after": "False", "source": "2", "youth_accommodation": "False", "upn_unknown_reason": "UN1",
        "coordinator": "", **date_fields("date_of_birth", d(2016, 5, 1)), **date_fields("received_on", d(2025, 5, 6))})
    assert response.status_code == 302
    child = Child.objects.get(first_name="Kit")
    assert holding(child) == ("Access and Inclusion", "accesscoord")
    assert Allocation.objects.get(child=child).kind == MoveKind.ROUTED


def test_a_tie_is_never_broken_silently(personas, teams, mainstream):
    """The root fixture's two catch-all teams at one priority: the request is kept, unallocated."""
    child = routed(personas["manager"], setting=mainstream)
    assert holding(child) == (None, None)
    assert child in allocation.unallocated_children(user=personas["leader"])


def test_an_explicitly_chosen_coordinator_is_kept_as_an_override(personas, model):
    """The rules give Access and Inclusion (no school place), but the recorder chose the colleague in North."""
    child = new_case(personas["manager"], coordinator=personas["team_colleague"]).child
    assert holding(child) == ("North area team", "colleague")
    log = Allocation.objects.get(child=child)
    assert log.kind == MoveKind.OVERRIDE and log.reason == "Coordinator chosen when the request was recorded"


def test_a_chosen_coordinator_in_the_routed_team_is_placed_in_it(personas, model, mainstream):
    both = make_user("both", la=personas["coordinator"].la, role=Role.COORDINATOR,
                     teams=[model["north"], model["south"]])
    child = new_case(personas["manager"], coordinator=both, postcode="HX3 1AA", setting=mainstream).child
    assert holding(child) == ("South area team", "both")


@pytest.mark.parametrize("change", [{"left_on": d(2025, 5, 31)}, {"absent_from": d(2025, 6, 1)},
                                    {"induction_started_on": d(2025, 5, 26)}])
def test_a_chosen_coordinator_who_cannot_take_cases_is_refused_and_nothing_is_recorded(change, personas, model):
    User.objects.filter(pk=personas["team_colleague"].pk).update(**change)
    colleague = User.objects.get(pk=personas["team_colleague"].pk)
    with pytest.raises(StepRefused) as exc:
        new_case(personas["manager"], coordinator=colleague)
    assert "coordinator" in exc.value.message_dict
    assert not Case.objects.exists() and not Child.objects.exists() and not Allocation.objects.exists()


def test_a_known_child_already_held_by_their_team_keeps_their_coordinator(personas, model, mainstream):
    child = new_case(personas["manager"], coordinator=personas["coordinator"], setting=mainstream).child
    assert allocation.child_allocate(actor=personas["manager"], child=child, today=TEAMS_TODAY) is None
    assert Allocation.objects.filter(child=child).count() == 1


def test_a_known_child_whose_coordinator_has_left_is_given_another(personas, model, mainstream):
    child = new_case(personas["manager"], coordinator=personas["coordinator"], setting=mainstream).child
    User.objects.filter(pk=personas["coordinator"].pk).update(left_on=d(2025, 6, 1))
    log = allocation.child_allocate(actor=personas["manager"], child=child, today=TEAMS_TODAY)
    assert (log.from_coordinator, log.to_coordinator) == (personas["coordinator"], personas["team_colleague"])


@pytest.mark.parametrize("persona", ["other_council_leader", "parent"])
def test_only_staff_of_the_council_allocate(persona, personas, model, mainstream):
    child = routed(personas["manager"], setting=mainstream)
    with pytest.raises(NotAllowed):
        allocation.child_allocate(actor=personas[persona], child=child, today=TEAMS_TODAY)


# --- A manager's override ------------------------------------------------------------------------------------


@pytest.fixture
def held(personas, model, mainstream):
    """Alex, on the roll of a North school, held by the coordinator in North, with a request under way."""
    case = new_case(personas["manager"], coordinator=personas["coordinator"], setting=mainstream)
    return Child.objects.get(pk=case.child_id)


def override(actor, child, *, team, to=None, reason="Coordinator's caseload is over target", **kwargs):
    return allocation.allocation_override(actor=actor, child=child, to_team=team, to_coordinator=to, reason=reason,
                                          today=TEAMS_TODAY, **kwargs)


def test_a_manager_moves_a_child_to_a_colleague_and_the_family_is_told(personas, model, held):
    log = override(personas["manager"], held, team=model["north"], to=personas["team_colleague"],
                   held=(model["north"].pk, personas["coordinator"].pk))
    assert (log.kind, log.from_coordinator, log.to_coordinator, log.made_by) == (
        MoveKind.OVERRIDE, personas["coordinator"], personas["team_colleague"], personas["manager"])
    assert holding(held) == ("North area team", "colleague")
    event = TimelineEvent.objects.get(child=held, kind=allocation.MOVED_KIND)
    assert event.summary == ("EHC coordinator changed by a manager: from Test Coordinator (North area team) to "
                             "Test Colleague (North area team)")
    assert event.reason == "Coordinator's caseload is over target" and event.actor == personas["manager"]
    notice = FamilyNotice.objects.get(allocation=log)
    assert notice.recipient == "sam@example.com" and "Test Colleague" in notice.body
    assert Child.objects.get(pk=held.pk).history.first().history_user == personas["manager"]


def test_one_event_on_each_active_case_and_none_on_closed_ones(personas, model, held):
    first = held.cases.get()
    Case.objects.filter(pk=first.pk).update(stage="withdrawn")
    second = Case.objects.create(la=held.la, child=held, received_on=d(2025, 5, 1), source="1")
    override(personas["leader"], held, team=model["south"], to=personas["other_team_coordinator"])
    assert list(TimelineEvent.objects.filter(kind=allocation.MOVED_KIND).values_list("case_id", flat=True)) == [
        second.pk]


def test_a_team_change_with_no_coordinator_yet_leaves_the_child_for_that_teams_manager(personas, model, held):
    override(personas["administrator"], held, team=model["south"])
    assert holding(held) == ("South area team", None)
    assert held in allocation.unallocated_children(user=personas["other_manager"])
    assert not FamilyNotice.objects.exists()  # no new coordinator to tell the family about
    assert TimelineEvent.objects.get(kind=allocation.MOVED_KIND).summary.startswith("EHC coordinator changed")


REFUSED = {
    "in induction": ({"induction_started_on": d(2025, 5, 26)}, "is in their induction"),
    "left": ({"left_on": d(2025, 5, 31)}, "left the service on 31 May 2025"),
    "away": ({"absent_from": d(2025, 5, 1), "absent_until": d(2025, 9, 1)}, "is away until 1 September 2025"),
}


def _unchanged(child):
    """Still held as when the request was recorded: no new allocation, event or notice."""
    assert holding(child) == ("North area team", "coordinator")
    assert list(Allocation.objects.filter(child=child).values_list("reason", flat=True)) == [
        "Coordinator chosen when the request was recorded"]
    assert not TimelineEvent.objects.filter(kind=allocation.MOVED_KIND).exists()
    assert not FamilyNotice.objects.exists()


@pytest.mark.parametrize("why", sorted(REFUSED))
def test_a_transfer_to_a_coordinator_who_cannot_hold_cases_is_refused(why, personas, model, held):
    change, message = REFUSED[why]
    User.objects.filter(pk=personas["team_colleague"].pk).update(**change)
    with pytest.raises(StepRefused) as exc:
        override(personas["manager"], held, team=model["north"], to=User.objects.get(username="colleague"))
    assert message in exc.value.message_dict["coordinator"][0]
    _unchanged(held)


def test_a_coordinator_in_induction_may_take_a_child_where_the_team_gives_them_a_reduced_caseload(
        personas, model, held):
    model["north"].induction_caseload_percent = 25
    model["north"].save()
    User.objects.filter(pk=personas["team_colleague"].pk).update(induction_started_on=d(2025, 5, 26))
    override(personas["manager"], held, team=model["north"], to=User.objects.get(username="colleague"))
    assert holding(held) == ("North area team", "colleague")


def test_a_coordinator_outside_the_destination_team_is_refused(personas, model, held):
    with pytest.raises(StepRefused) as exc:
        override(personas["leader"], held, team=model["north"], to=personas["other_team_coordinator"])
    assert "is not in the North area team" in exc.value.message_dict["coordinator"][0]
    _unchanged(held)


@pytest.mark.parametrize("reason", ["", "   "])
def test_the_reason_is_required(reason, personas, model, held):
    with pytest.raises(StepRefused) as exc:
        override(personas["manager"], held, team=model["north"], to=personas["team_colleague"], reason=reason)
    assert exc.value.message_dict["reason"] == ["Enter the reason for the change"]
    _unchanged(held)


def test_no_change_is_refused(personas, model, held):
    with pytest.raises(StepRefused) as exc:
        override(personas["manager"], held, team=model["north"], to=personas["coordinator"])
    assert "is already held by Test Coordinator" in exc.value.message_dict["coordinator"][0]
    _unchanged(held)


def test_a_move_from_a_page_drawn_before_someone_else_moved_the_child_is_refused(personas, model, held):
    Child.objects.filter(pk=held.pk).update(coordinator=personas["team_colleague"])
    with pytest.raises(StepRefused) as exc:
        override(personas["manager"], Child.objects.get(pk=held.pk), team=model["north"],
                 to=personas["coordinator"], held=(model["north"].pk, personas["coordinator"].pk))
    assert "Someone else has changed who holds" in exc.value.messages[0]
    assert holding(held) == ("North area team", "colleague")


def test_a_failure_after_the_move_leaves_nothing_half_moved(personas, model, held, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("mail queue down")

    monkeypatch.setattr("ehcflow.teams.notices.family_notify_coordinator_change", broken)
    with pytest.raises(RuntimeError):
        override(personas["manager"], held, team=model["north"], to=personas["team_colleague"])
    _unchanged(held)


@pytest.mark.parametrize(("persona", "team", "allowed"), [
    ("manager", "north", True),  # manager of the child's team and of the destination
    ("manager", "south", False),  # not a manager of the destination
    ("other_manager", "south", False),  # not a manager of the child's team
    ("leader", "south", True),
    ("administrator", "south", True),
    ("coordinator", "north", False),
    ("team_colleague", "north", False),
    ("other_team_coordinator", "south", False),
    ("other_council_leader", "north", False),
    ("parent", "north", False),
    ("professional", "north", False),
])
def test_who_may_change_who_holds_a_child(persona, team, allowed, personas, model, held):
    to = personas["team_colleague"] if team == "north" else personas["other_team_coordinator"]
    if allowed:
        override(personas[persona], held, team=model[team], to=to)
        assert holding(held)[1] == to.username
    else:
        with pytest.raises(NotAllowed):
            override(personas[persona], held, team=model[team], to=to)
        _unchanged(held)


def test_a_manager_may_take_a_child_with_no_team_into_their_own_team(personas, model, mainstream):
    child = new_case(personas["manager"], postcode="LS1 4AP", setting=mainstream).child
    assert allocation.may_override(personas["other_manager"], child)
    override(personas["other_manager"], child, team=model["south"], to=personas["other_team_coordinator"])
    assert holding(child) == ("South area team", "othercoord")
    assert not allocation.unallocated_children(user=personas["leader"]).exists()


def test_the_coordinators_offered_are_those_who_can_take_a_child(personas, model, held):
    User.objects.filter(pk=personas["team_colleague"].pk).update(left_on=d(2025, 1, 1))
    options = allocation.coordinator_options(teams=allocation.override_destinations(personas["manager"]),
                                             today=TEAMS_TODAY)
    assert [(u.username, label) for u, label in options] == [
        ("coordinator", "Test Coordinator: North area team, holds 1 of a target of 170")]
