"""Team configuration and staff details: the whole configuration is checked before a save, bad input changes
nothing, every change is audited, and saving moves nobody. Fixed dates: the 2024/25 school year."""

import datetime
from decimal import Decimal

import pytest

from ehcflow.accounts.models import User
from ehcflow.core.errors import NotAllowed, StepRefused
from ehcflow.people.models import Child
from ehcflow.teams import configuration
from ehcflow.teams.configuration import TEAM_FIELDS, staff_update, staff_version, team_save, team_version
from ehcflow.teams.models import Team
from tests.conftest import new_case
from tests.teams.conftest import TEAMS_TODAY

d = datetime.date
pytestmark = pytest.mark.usefixtures("at_teams_today")


def data_of(team, **changes):
    return {**{name: getattr(team, name) for name in TEAM_FIELDS}, **changes}


def save(actor, team, **changes):
    return team_save(actor=actor, team=team, data=data_of(team, **changes), today=TEAMS_TODAY)


def snapshot():
    return list(Team.objects.order_by("pk").values(*TEAM_FIELDS)), Team.history.count()


@pytest.fixture
def children(personas, model, mainstream):
    """Four children held by North (HX1, HX2) and one by South (HX3)."""
    made = {}
    for i, postcode in enumerate(["HX1 1AA", "HX1 2BB", "HX2 3CC", "HX2 4DD", "HX3 5EE"]):
        made[postcode] = new_case(personas["manager"], first_name=f"Child{i}", upn=f"A12345678901{i}",
                                  postcode=postcode, setting=mainstream).child
    return made


def test_a_valid_change_is_saved_audited_and_moves_nobody(personas, model, children):
    """A school team ahead of the area teams: valid, but the children stay with North and South until a manager
    approves moving them."""
    save(personas["leader"], model["north"], postcode_districts="hx1 HX2, hx5", caseload_target=150)
    north = Team.objects.get(pk=model["north"].pk)
    assert (north.postcode_districts, north.caseload_target) == ("HX1 HX2 HX5", 150)
    assert north.history.first().history_user == personas["leader"]
    school_team = team_save(actor=personas["leader"], team=None, today=TEAMS_TODAY,
                            data=data_of(Team(), name="Calder schools team", priority=5, school_urns="107562"))
    assert configuration.configuration_check(la_id=north.la_id, today=TEAMS_TODAY).ok
    assert not Child.objects.filter(team=school_team).exists()
    assert dict(Child.objects.values_list("postcode", "team__name")) == {
        "HX1 1AA": "North area team", "HX1 2BB": "North area team", "HX2 3CC": "North area team",
        "HX2 4DD": "North area team", "HX3 5EE": "South area team"}


def test_narrowing_a_rule_so_children_fit_no_team_is_refused_with_examples(personas, model, children):
    before = snapshot()
    with pytest.raises(StepRefused) as exc:
        save(personas["leader"], model["north"], postcode_districts="HX1")
    assert exc.value.messages[1] == "2 children fit no team's rule, for example: Child2 Testerby, Child3 Testerby."
    assert exc.value.messages[0].startswith("Nothing has been saved")
    assert snapshot() == before


def test_two_teams_at_one_priority_for_the_same_children_are_refused(personas, model, children):
    before = snapshot()
    with pytest.raises(StepRefused) as exc:
        save(personas["administrator"], model["south"], postcode_districts="HX1 HX3 HX4")
    assert ("2 children fit North area team and South area team at the same priority, for example: "
            "Child0 Testerby, Child1 Testerby.") in exc.value.messages
    assert snapshot() == before


def test_overlapping_rules_at_one_priority_are_refused_even_with_no_child_in_the_overlap(personas, model):
    before = snapshot()
    with pytest.raises(StepRefused) as exc:
        save(personas["leader"], model["young"], priority=2, min_age=15)  # Access and Inclusion takes 5-15
    assert ("Access and Inclusion and Services for Young People have the same priority and their rules overlap: "
            "give one a lower number.") in exc.value.messages
    assert snapshot() == before


def test_a_new_team_is_checked_like_any_change(personas, model, children):
    with pytest.raises(StepRefused) as exc:
        team_save(actor=personas["leader"], team=None, today=TEAMS_TODAY,
                  data=data_of(Team(), name="Central area team", priority=10, postcode_districts="HX2 HX5"))
    assert any("2 children fit" in m and "North area team" in m and "Central area team" in m
               for m in exc.value.messages)
    assert not Team.objects.filter(name="Central area team").exists()
    team = team_save(actor=personas["leader"], team=None, today=TEAMS_TODAY,
                     data=data_of(Team(), name="Central area team", priority=10, postcode_districts="HX5 HX6"))
    assert team.la == personas["leader"].la and team.history.get().history_user == personas["leader"]


def test_deactivating_a_team_whose_children_would_fit_no_other_is_refused(personas, model, children):
    with pytest.raises(StepRefused) as exc:
        save(personas["leader"], model["south"], is_active=False)
    assert "1 child fits no team's rule, for example: Child4 Testerby." in exc.value.messages
    assert Team.objects.get(pk=model["south"].pk).is_active


def test_a_broken_configuration_can_be_repaired_one_team_at_a_time(personas, teams, mainstream):
    """North, South and East all take everyone at priority 50. A change that leaves it as broken is refused; one
    that makes it less wrong, and nothing worse, is saved, so the council can mend it team by team."""
    east = Team.objects.create(la=teams["north"].la, name="East area team")
    new_case(personas["manager"], setting=mainstream)
    la_id = east.la_id
    assert not configuration.configuration_check(la_id=la_id, today=TEAMS_TODAY).ok
    with pytest.raises(StepRefused):
        save(personas["leader"], teams["north"], caseload_target=160)
    save(personas["leader"], teams["north"], priority=10)  # South and East still tie, but nobody is in the tie
    problems = configuration.configuration_check(la_id=la_id, today=TEAMS_TODAY)
    assert not problems.ok and problems.rule_ties == [("South area team", "East area team")]
    with pytest.raises(StepRefused):  # makes it worse: North's child would fit North and East at one priority
        save(personas["leader"], east, priority=10)
    save(personas["leader"], east, priority=60)
    assert configuration.configuration_check(la_id=la_id, today=TEAMS_TODAY).ok


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"min_age": 12, "max_age": 5}, "max_age", "The oldest age must be the same as or more than the youngest age"),
    ({"caseload_target": 180, "caseload_maximum": 150}, "caseload_maximum",
     "The caseload maximum must be the same as or more than the target"),
    ({"postcode_districts": "HX1 12AB"}, "postcode_districts", "12AB is not a postcode district"),
    ({"school_urns": "107562 abc"}, "school_urns", "abc: a school's URN is 6 digits"),
    ({"name": "south AREA team"}, "name", "There is already a team called south AREA team"),
    ({"induction_caseload_percent": 120}, "induction_caseload_percent", "100"),
])
def test_bad_input_is_refused_with_nothing_changed(changes, field, message, personas, model):
    before = snapshot()
    with pytest.raises(StepRefused) as exc:
        save(personas["leader"], model["north"], **changes)
    assert message in " ".join(exc.value.message_dict[field])
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["coordinator", "manager", "other_manager", "other_council_leader", "parent"])
def test_only_council_wide_roles_of_the_council_configure_teams(persona, personas, model):
    before = snapshot()
    with pytest.raises(NotAllowed):
        save(personas[persona], model["north"], caseload_target=150)
    if persona != "other_council_leader":  # who may add teams to their own council
        with pytest.raises(NotAllowed):
            team_save(actor=personas[persona], team=None, today=TEAMS_TODAY, data=data_of(Team(), name="New team",
                                                                                          priority=99))
    assert snapshot() == before


def test_a_save_from_a_stale_page_is_refused(personas, model):
    drawn = team_version(model["north"])
    save(personas["administrator"], model["north"], caseload_target=160)
    with pytest.raises(StepRefused) as exc:
        team_save(actor=personas["leader"], team=model["north"], data=data_of(model["north"], caseload_maximum=220),
                  today=TEAMS_TODAY, version=drawn)
    assert "Someone else has changed this team" in exc.value.messages[0]
    assert Team.objects.get(pk=model["north"].pk).caseload_maximum == 200


def test_gap_warnings_name_circumstances_no_team_holds(personas, model):
    problems = configuration.configuration_check(la_id=model["north"].la_id, today=TEAMS_TODAY,
                                                 with_children=False)
    assert problems.ok
    assert problems.gaps == ["No team holds children not looked after, on a school roll living in "
                             "(outside these districts) aged 5 to 15."]


# --- Staff ---------------------------------------------------------------------------------------------------


def staff(actor, user, **changes):
    data = {"teams": list(user.teams.all()), **{name: getattr(user, name) for name in configuration.STAFF_FIELDS},
            **changes}
    return staff_update(actor=actor, user=user, data=data, today=TEAMS_TODAY)


def staff_snapshot(user):
    user = User.objects.get(pk=user.pk)
    return ([getattr(user, name) for name in configuration.STAFF_FIELDS],
            sorted(user.teams.values_list("pk", flat=True)),
            user.history.count())


def test_staff_details_are_saved_and_audited_with_their_teams(personas, model):
    colleague = personas["team_colleague"]
    staff(personas["leader"], colleague, teams=[model["north"], model["south"]], fte=Decimal("0.6"),
          induction_started_on=d(2025, 4, 1), induction_completed_on=d(2025, 5, 13),
          qualifications=" BTEC Level 4 in SEND casework ", absent_from=d(2025, 7, 1), absent_until=d(2025, 8, 31))
    colleague = User.objects.get(pk=colleague.pk)
    assert (colleague.fte, colleague.qualifications, colleague.in_induction(TEAMS_TODAY)) == (
        Decimal("0.60"), "BTEC Level 4 in SEND casework", False)
    assert set(colleague.teams.all()) == {model["north"], model["south"]}
    row = colleague.history.first()
    assert row.history_user == personas["leader"]
    assert row.history_change_reason == "Teams: North area team, South area team"


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"induction_started_on": d(2025, 5, 1), "induction_completed_on": d(2025, 4, 30)}, "induction_completed_on",
     "on or after the date it started"),
    ({"induction_completed_on": d(2025, 4, 30)}, "induction_started_on", "Enter the date the induction started"),
    ({"absent_from": d(2025, 7, 1), "absent_until": d(2025, 6, 30)}, "absent_until",
     "The date the absence ends must be on or after the date it started"),
    ({"absent_until": d(2025, 6, 30)}, "absent_from", "Enter the date the absence started"),
    ({"fte": Decimal("0.05")}, "fte", "between 0.1 and 1.0"),
    ({"fte": Decimal("1.5")}, "fte", "between 0.1 and 1.0"),
    ({"fte": None}, "fte", "between 0.1 and 1.0"),
])
def test_bad_staff_details_are_refused_with_nothing_changed(changes, field, message, personas, model):
    colleague = personas["team_colleague"]
    before = staff_snapshot(colleague)
    with pytest.raises(StepRefused) as exc:
        staff(personas["administrator"], colleague, teams=[model["south"]], qualifications="BTEC Level 3",
              **changes)
    assert message in " ".join(exc.value.message_dict[field])
    assert staff_snapshot(colleague) == before


def test_a_team_of_another_council_is_refused(personas, model, other_la):
    theirs = Team.objects.create(la=other_la, name="Elsewhere team")
    before = staff_snapshot(personas["team_colleague"])
    with pytest.raises(StepRefused):
        staff(personas["leader"], personas["team_colleague"], teams=[theirs])
    assert staff_snapshot(personas["team_colleague"]) == before


@pytest.mark.parametrize(("persona", "target"), [
    ("coordinator", "team_colleague"), ("manager", "team_colleague"), ("other_council_leader", "team_colleague"),
    ("parent", "team_colleague"),
    ("leader", "manager"),  # only coordinators' details are changed here
])
def test_who_may_change_staff_details(persona, target, personas, model):
    before = staff_snapshot(personas[target])
    with pytest.raises(NotAllowed):
        staff(personas[persona], personas[target], fte=Decimal("0.5"))
    assert staff_snapshot(personas[target]) == before


def test_a_staff_save_from_a_stale_page_is_refused(personas, model):
    colleague = personas["team_colleague"]
    drawn = staff_version(colleague)
    staff(personas["administrator"], colleague, fte=Decimal("0.8"))
    with pytest.raises(StepRefused):
        staff_update(actor=personas["leader"], user=colleague, today=TEAMS_TODAY, version=drawn,
                     data={"teams": [model["north"]], "fte": Decimal("0.5")})
    assert User.objects.get(pk=colleague.pk).fte == Decimal("0.80")


def test_staff_rows_show_each_coordinators_fte_adjusted_target_and_caseload(personas, model, children):
    """North: coordinator full time holds 2 of the four; colleague at 0.5 split with South holds 2 of 43."""
    User.objects.filter(pk=personas["team_colleague"].pk).update(fte=Decimal("0.5"))
    personas["team_colleague"].teams.add(model["south"])
    rows = {r.user.username: r for r in configuration.staff_rows(team=model["north"], today=TEAMS_TODAY)}
    assert set(rows) == {"coordinator", "colleague", "manager"}
    assert (rows["coordinator"].seat.load, rows["coordinator"].seat.target) == (2, 170)
    assert (rows["colleague"].seat.load, rows["colleague"].seat.target, rows["colleague"].seat.maximum) == (2, 42, 50)
    assert rows["manager"].seat is None and [t.name for t in rows["colleague"].other_teams] == ["South area team"]
