"""Team configuration, staff and override pages, as each persona; bad input refused with an error summary and
nothing changed; the team list's queries do not grow with the council."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ehcflow.accounts.models import Role, User
from ehcflow.cases.models import TimelineEvent
from ehcflow.people.models import Child
from ehcflow.teams.allocation import MOVED_KIND
from ehcflow.teams.configuration import TEAM_FIELDS, staff_version, team_version
from ehcflow.teams.models import Allocation, MoveKind, Team
from tests.conftest import make_user, new_case
from tests.test_access import ALL, NOT_STAFF, client_for

d = datetime.date
pytestmark = pytest.mark.usefixtures("at_teams_today")
CONFIGURES = {"leader", "administrator", "other_council_leader"}
OURS = {"leader", "administrator"}


def dates(name, value):
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)} if value \
        else {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}


def team_post(team, **changes):
    values = {name: getattr(team, name) for name in TEAM_FIELDS}
    values.update(changes)
    out = {"version": team_version(team) if team.pk else ""}
    for name, value in values.items():
        if name == "is_active":
            if value:
                out[name] = "on"
        else:
            out[name] = "" if value is None else str(value)
    return out


def staff_post(user, **changes):
    values = {name: getattr(user, name) for name in ("fte", "qualifications")}
    values.update({k: v for k, v in changes.items() if k in ("fte", "qualifications")})
    out = {"version": staff_version(user), "fte": str(values["fte"]), "qualifications": values["qualifications"],
           "teams": [str(t.pk) for t in changes.get("teams", user.teams.all())]}
    for name in ("induction_started_on", "induction_completed_on", "left_on", "absent_from", "absent_until"):
        out.update(dates(name, changes.get(name, getattr(user, name))))
    return out


def summary_items(body: str) -> list[str]:
    block = body.split('govuk-error-summary__list">', 1)[1].split("</ul>", 1)[0]
    return [re.sub(r"<[^>]+>", "", item).strip() for item in block.split("<li>")[1:]]


# --- The team list -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", sorted(ALL))
def test_team_list(persona, personas, model):
    response = client_for(personas[persona]).get("/teams/")
    sees = CONFIGURES | {"manager", "other_manager"}
    assert response.status_code == (200 if persona in sees else 403)
    if response.status_code != 200:
        return
    body = response.content.decode()
    shown = set(re.findall(r'data-team="(\d+)"', body))
    expected = {"manager": {"north"}, "other_manager": {"south"}, "other_council_leader": set(),
                "leader": set(model) - {"staff"}, "administrator": set(model) - {"staff"}}[persona]
    assert shown == {str(model[k].pk) for k in expected}
    assert ("Add a team" in body) == (persona in CONFIGURES)
    assert ("/teams/%d/\"" % model["north"].pk in body) == (persona in OURS)  # a change link
    if persona in OURS:
        assert "Looked after" in body or "looked after" in body
        assert "Not on a school roll; aged 5 to 15" in body and "Living in HX1, HX2" in body
        assert "aged 5 to 15." in body  # the gap warning for children outside the council's districts


def test_team_list_shows_children_held_coordinators_and_unallocated_requests(personas, model, mainstream):
    new_case(personas["manager"], setting=mainstream)
    lost = new_case(personas["manager"], first_name="Lee", upn="L123456789012", postcode="LS1 4AP",
                    setting=mainstream).child
    body = client_for(personas["manager"]).get("/teams/").content.decode()
    row = body.split(f'data-team="{model["north"].pk}"', 1)[1].split("</tr>", 1)[0]
    assert ">1<" in row.replace(" ", "") and "2 (2 full-time equivalent)" in row
    table = body.split('data-table="unallocated"', 1)[1].split("</table>", 1)[0]
    assert f"/teams/children/{lost.pk}/allocation/" in table and "No team: the rules give none or two" in table


def test_team_list_queries_do_not_grow_with_teams_children_or_staff(personas, model, mainstream):
    client = client_for(personas["leader"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/teams/").status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for i in range(4):
        team = Team.objects.create(la=model["north"].la, name=f"School team {i}", priority=20 + i,
                                   school_urns=f"20000{i}")
        make_user(f"extra{i}", la=team.la, role=Role.COORDINATOR, teams=[team, model["north"]])
        new_case(personas["manager"], first_name=f"Kid{i}", upn=f"K12345678901{i}", setting=mainstream)
        new_case(personas["manager"], first_name=f"Far{i}", upn=f"F12345678901{i}", postcode="LS1 4AP",
                 setting=mainstream)
    assert count() == small
    assert small <= 12


def test_the_navigation_links_teams_for_managing_roles(personas, model):
    for persona in ("coordinator", "manager", "leader", "administrator"):
        body = client_for(personas[persona]).get("/caseload/").content.decode()
        assert ('href="/teams/"' in body) == (persona != "coordinator"), persona


# --- Team pages ----------------------------------------------------------------------------------------------


def edit_status(persona):
    if persona in NOT_STAFF:
        return 403
    if persona in OURS:
        return 200
    return 403 if persona == "manager" else 404  # the manager sees North on the list, others do not


@pytest.mark.parametrize("persona", sorted(ALL))
def test_team_edit_page(persona, personas, model):
    url = f"/teams/{model['north'].pk}/"
    client = client_for(personas[persona])
    assert client.get(url).status_code == edit_status(persona)
    before = Team.objects.get(pk=model["north"].pk).caseload_target
    response = client.post(url, team_post(model["north"], caseload_target=150))
    if persona in OURS:
        assert response.status_code == 302 and response["Location"] == "/teams/"
        assert Team.objects.get(pk=model["north"].pk).caseload_target == 150
    else:
        assert response.status_code == edit_status(persona)
        assert Team.objects.get(pk=model["north"].pk).caseload_target == before


@pytest.mark.parametrize("persona", sorted(ALL))
def test_new_team_page(persona, personas, model):
    client = client_for(personas[persona])
    assert client.get("/teams/new/").status_code == (200 if persona in CONFIGURES else 403)
    response = client.post("/teams/new/", team_post(Team(), name="Hospital education team", priority=7,
                                                      school_urns="131313"))
    created = Team.objects.filter(name="Hospital education team").first()
    if persona in CONFIGURES:
        assert response.status_code == 302 and created.la == personas[persona].la
    else:
        assert response.status_code == 403 and created is None


def test_a_configuration_leaving_children_without_a_team_is_refused_on_the_page(personas, model, mainstream):
    for i in range(3):
        new_case(personas["manager"], first_name=f"Kid{i}", upn=f"K12345678901{i}", postcode="HX2 1AA",
                 setting=mainstream)
    before = list(Team.objects.values(*TEAM_FIELDS))
    response = client_for(personas["leader"]).post(f"/teams/{model['north'].pk}/",
                                                   team_post(model["north"], postcode_districts="HX1"))
    assert response.status_code == 400
    items = summary_items(response.content.decode())
    assert items[0].startswith("Nothing has been saved")
    assert items[1] == "3 children fit no team&#x27;s rule, for example: Kid0 Testerby, Kid1 Testerby, Kid2 Testerby."
    assert list(Team.objects.values(*TEAM_FIELDS)) == before


@pytest.mark.parametrize(("changes", "message"), [
    ({"min_age": "12", "max_age": "5"}, "The oldest age must be the same as or more than the youngest age"),
    ({"caseload_target": "ninety"}, "Caseload target per full-time coordinator must be a whole number"),
    ({"name": ""}, "Enter the team&#x27;s name"),
    ({"postcode_districts": "HX1 nonsense"}, "NONSENSE is not a postcode district"),
])
def test_bad_team_input_gets_an_error_summary_and_changes_nothing(changes, message, personas, model):
    before = list(Team.objects.values(*TEAM_FIELDS))
    response = client_for(personas["administrator"]).post(f"/teams/{model['north'].pk}/",
                                                          team_post(model["north"], **changes))
    assert response.status_code == 400
    assert any(message in item for item in summary_items(response.content.decode()))
    assert list(Team.objects.values(*TEAM_FIELDS)) == before


# --- Staff pages ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", sorted(ALL))
def test_team_staff_page(persona, personas, model, mainstream):
    new_case(personas["manager"], setting=mainstream)
    User.objects.filter(pk=personas["team_colleague"].pk).update(fte=Decimal("0.5"),
                                                                  qualifications="BTEC Level 3 in SEND casework")
    response = client_for(personas[persona]).get(f"/teams/{model['north'].pk}/staff/")
    expected = 403 if persona in NOT_STAFF else 200 if persona in OURS | {"manager"} else 404
    assert response.status_code == expected
    if expected == 200:
        body = response.content.decode()
        row = body.split(f'data-user="{personas["coordinator"].pk}"', 1)[1].split("</tr>", 1)[0]
        assert "1 / 170 (200)" in row
        row = body.split(f'data-user="{personas["team_colleague"].pk}"', 1)[1].split("</tr>", 1)[0]
        assert "0 / 85 (100)" in row and "BTEC Level 3 in SEND casework" in row and "0.5" in row
        assert (f"/teams/staff/{personas['coordinator'].pk}/" in body) == (persona in OURS)


@pytest.mark.parametrize("persona", sorted(ALL))
def test_staff_edit_page(persona, personas, model):
    colleague = personas["team_colleague"]
    client = client_for(personas[persona])
    url = f"/teams/staff/{colleague.pk}/?team={model['north'].pk}"
    expected = 200 if persona in OURS else 404 if persona == "other_council_leader" else 403
    assert client.get(url).status_code == expected
    response = client.post(url, staff_post(colleague, fte="0.6", teams=[model["north"], model["south"]],
                                           induction_started_on=d(2025, 4, 1),
                                           induction_completed_on=d(2025, 5, 13)))
    colleague = User.objects.get(pk=colleague.pk)
    if persona in OURS:
        assert response.status_code == 302 and response["Location"] == f"/teams/{model['north'].pk}/staff/"
        assert colleague.fte == Decimal("0.60") and colleague.teams.count() == 2
        assert colleague.history.first().history_user == personas[persona]
    else:
        assert response.status_code == expected
        assert colleague.fte == Decimal("1.00") and colleague.teams.count() == 1


def test_a_manager_cannot_be_edited_on_the_coordinator_page(personas, model):
    assert client_for(personas["leader"]).get(f"/teams/staff/{personas['manager'].pk}/").status_code == 404


@pytest.mark.parametrize(("changes", "message"), [
    ({"induction_started_on": d(2025, 5, 1), "induction_completed_on": d(2025, 4, 1)},
     "The date the induction was completed must be on or after the date it started"),
    ({"absent_from": d(2025, 7, 1), "absent_until": d(2025, 6, 1)},
     "The date the absence ends must be on or after the date it started"),
    ({"fte": "1.2"}, "Working hours must be between 0.1 and 1.0 of full time"),
    ({"fte": "0"}, "Working hours must be between 0.1 and 1.0 of full time"),
    ({"fte": "most"}, "Working hours must be a number, like 0.6"),
    ({"induction_completed_on": d(2025, 4, 1)}, "Enter the date the induction started"),
])
def test_bad_staff_input_gets_an_error_summary_and_changes_nothing(changes, message, personas, model):
    colleague = personas["team_colleague"]
    before = (User.objects.filter(pk=colleague.pk).values().get(), colleague.history.count())
    response = client_for(personas["leader"]).post(f"/teams/staff/{colleague.pk}/",
                                                   staff_post(colleague, qualifications="BTEC Level 4", **changes))
    assert response.status_code == 400
    assert message in summary_items(response.content.decode())
    assert (User.objects.filter(pk=colleague.pk).values().get(), colleague.history.count()) == before


# --- The override page ---------------------------------------------------------------------------------------


@pytest.fixture
def held(personas, model, mainstream):
    case = new_case(personas["manager"], coordinator=personas["coordinator"], setting=mainstream)
    return Child.objects.get(pk=case.child_id), case


def override_status(persona):
    if persona in NOT_STAFF:
        return 403
    if persona in {"manager", "leader", "administrator"}:
        return 200
    return 403 if persona in {"coordinator", "team_colleague"} else 404  # they see the child, may not move them


@pytest.mark.parametrize("persona", sorted(ALL))
def test_override_page(persona, personas, model, held):
    child, case = held
    client = client_for(personas[persona])
    url = f"/teams/children/{child.pk}/allocation/"
    response = client.get(url)
    assert response.status_code == override_status(persona)
    if response.status_code == 200:
        assert "Test Colleague: North area team, holds 0 of a target of 170" in response.content.decode()
    response = client.post(url, {"held": f"{model['north'].pk}:{personas['coordinator'].pk}",
                                 "team": model["north"].pk, "coordinator": personas["team_colleague"].pk,
                                 "reason": "Balancing the team's caseloads"})
    child = Child.objects.get(pk=child.pk)
    if override_status(persona) == 200:
        assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
        assert child.coordinator == personas["team_colleague"]
        assert Allocation.objects.filter(child=child, kind=MoveKind.OVERRIDE, made_by=personas[persona]).exists()
        assert TimelineEvent.objects.get(case=case, kind=MOVED_KIND).reason == "Balancing the team's caseloads"
    else:
        assert response.status_code == override_status(persona)
        assert child.coordinator == personas["coordinator"]
        assert not TimelineEvent.objects.filter(kind=MOVED_KIND).exists()


@pytest.mark.parametrize(("change", "message"), [
    ({"left_on": d(2025, 5, 1)}, "Test Colleague left the service on 1 May 2025"),
    ({"induction_started_on": d(2025, 5, 26)}, "Test Colleague is in their induction"),
    ({"absent_from": d(2025, 5, 26)}, "Test Colleague is away"),
])
def test_override_to_a_coordinator_who_cannot_take_the_child_is_refused_on_the_page(change, message, personas,
                                                                                    model, held):
    child, case = held
    User.objects.filter(pk=personas["team_colleague"].pk).update(**change)
    response = client_for(personas["manager"]).post(f"/teams/children/{child.pk}/allocation/", {
        "team": model["north"].pk, "coordinator": personas["team_colleague"].pk, "reason": "Balancing"})
    assert response.status_code == 400
    body = response.content.decode()
    assert any(item.startswith(message) for item in summary_items(body))
    assert f'<option value="{personas["team_colleague"].pk}"' not in body  # not offered either
    assert Child.objects.get(pk=child.pk).coordinator == personas["coordinator"]
    assert not TimelineEvent.objects.filter(kind=MOVED_KIND).exists()


def test_override_needs_a_reason_and_a_team_the_manager_manages(personas, model, held):
    child, _ = held
    client = client_for(personas["manager"])
    url = f"/teams/children/{child.pk}/allocation/"
    response = client.post(url, {"team": model["north"].pk, "coordinator": personas["team_colleague"].pk,
                                 "reason": ""})
    assert "Enter the reason for the change" in summary_items(response.content.decode())
    response = client.post(url, {"team": model["south"].pk, "coordinator": personas["other_team_coordinator"].pk,
                                 "reason": "Moving area"})
    assert "Choose a team you manage" in summary_items(response.content.decode())
    assert Child.objects.get(pk=child.pk).coordinator == personas["coordinator"]


@pytest.mark.parametrize("persona", sorted(ALL))
def test_the_case_page_links_the_override_for_those_allowed(persona, personas, model, held):
    child, case = held
    response = client_for(personas[persona]).get(f"/cases/{case.pk}/")
    if response.status_code == 200:
        link = f"/teams/children/{child.pk}/allocation/" in response.content.decode()
        assert link == (override_status(persona) == 200), persona
