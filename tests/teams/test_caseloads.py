"""The caseloads page and its CSV: who may see them, the figures against FTE-adjusted targets, the mix of work,
the forecast on fixed dates, and a query count that does not grow with children or coordinators."""

import csv
import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ehcflow.accounts.models import Role
from ehcflow.cases.models import Case
from ehcflow.ceasing.models import Cessation
from ehcflow.moves.models import LaTransfer
from ehcflow.people.models import Child
from ehcflow.plans.models import Need, Plan
from ehcflow.teams.caseloads import LineKind, caseloads_for, csv_header
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 22)
URL, CSV_URL = "/teams/caseloads/", "/teams/caseloads.csv"
PLAN_STAGES = {"drafting", "draft_served", "plan_issued"}


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 9, tzinfo=ZoneInfo("Europe/London")),
                               tick=False)


def hold(team, coordinator, *, stage="plan_issued", need=None, dob=datetime.date(2015, 3, 1),
         received_on=datetime.date(2024, 1, 8), name="Held", looked_after=False, la=None) -> Case:
    """A child held by this team and coordinator with one case at `stage` (and a primary need on its plan)."""
    la = la or team.la
    child = Child.objects.create(la=la, first_name=name, last_name="Child", date_of_birth=dob, sex="F", team=team,
                                 coordinator=coordinator, looked_after=looked_after)
    case = Case.objects.create(la=la, child=child, stage=stage, received_on=received_on, source="1")
    if stage in PLAN_STAGES or need:
        plan = Plan.objects.create(la=la, case=case, status="final" if stage == "plan_issued" else "draft",
                                   issued_on=received_on + datetime.timedelta(weeks=20)
                                   if stage == "plan_issued" else None)
        if need:
            Need.objects.create(la=la, plan=plan, area="communication", need_type=need, rank=1, description="Need")
    return case


@pytest.fixture
def north_model(personas, teams):
    """The North team with coordinators in every state the page shows, and children held in every way."""
    north, south = teams["north"], teams["south"]
    for team in (north, south):
        team.caseload_target, team.caseload_maximum, team.induction_caseload_percent = 2, 3, 50
        team.save()
    la = north.la
    coordinator, colleague = personas["coordinator"], personas["team_colleague"]
    colleague.fte = Decimal("0.50")
    colleague.save()
    newstarter = make_user("newstarter", la=la, role=Role.COORDINATOR, teams=[north])
    newstarter.induction_started_on = datetime.date(2026, 11, 10)
    newstarter.save()
    away = make_user("awaycoord", la=la, role=Role.COORDINATOR, teams=[north])
    away.absent_from, away.absent_until = datetime.date(2026, 11, 1), datetime.date(2027, 1, 10)
    away.save()
    leaver = make_user("leftcoord", la=la, role=Role.COORDINATOR, teams=[north])
    leaver.left_on = datetime.date(2026, 10, 31)
    leaver.save()
    hold(north, coordinator, need="ASD")
    hold(north, coordinator, need="ASD")
    hold(north, coordinator, stage="received")
    hold(north, colleague, stage="drafting", need="SEMH")
    hold(north, colleague, stage="assessing")
    hold(north, colleague, stage="draft_served", need="SLCN")
    hold(north, away, need="MLD")
    hold(north, leaver, need="ASD")
    hold(north, leaver, stage="assessing")
    hold(north, None, stage="received")
    hold(north, personas["other_team_coordinator"], need="PD")
    hold(south, personas["other_team_coordinator"], need="HI")
    hold(None, None, stage="received", la=la)  # a child no team holds
    hold(north, coordinator, stage="not_assessed")  # closed: not held
    hold(north, coordinator, stage="ceased")  # closed: not held
    return {"newstarter": newstarter, "away": away, "leaver": leaver}


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def team_names(response) -> set[str]:
    """The teams whose caseloads the page shows: each has its own heading."""
    text = response.content.decode()
    return {name for name in ("North area team", "South area team") if f">{name}</h2>" in text}


# --- Who may see it ---------------------------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_sign_in(client):
    for url in (URL, CSV_URL):
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in/" in response["Location"]


@pytest.mark.parametrize("persona", ["coordinator", "team_colleague", "other_team_coordinator", "parent",
                                     "other_parent", "professional"])
def test_it_refuses_coordinators_families_and_professionals(personas, north_model, persona):
    c = client_for(personas[persona])
    assert c.get(URL).status_code == 403
    assert c.get(CSV_URL).status_code == 403


def test_it_shows_a_manager_their_own_team_only(personas, north_model):
    c = client_for(personas["manager"])
    response = c.get(URL)
    assert response.status_code == 200
    assert team_names(response) == {"North area team"}
    assert "South area team" not in response.content.decode()  # not even in a team chooser
    assert "Council total" not in response.content.decode()
    assert "No team" not in response.content.decode()


def test_it_shows_the_other_manager_only_their_team(personas, north_model, teams):
    c = client_for(personas["other_manager"])
    response = c.get(URL)
    assert team_names(response) == {"South area team"}
    assert "North area team" not in response.content.decode() and "Newstarter" not in response.content.decode()
    # Asking for a team they do not manage shows their own, never the other.
    response = c.get(URL, {"team": teams["north"].pk})
    assert team_names(response) == {"South area team"}
    rows = list(csv.reader(io.StringIO(c.get(CSV_URL, {"team": teams["north"].pk}).content.decode("utf-8-sig"))))
    assert {r[0] for r in rows[1:]} == {"South area team"}


@pytest.mark.parametrize("persona", ["leader", "administrator"])
def test_it_shows_leaders_and_administrators_every_team_and_the_council_total(personas, north_model, persona):
    response = client_for(personas[persona]).get(URL)
    assert response.status_code == 200
    assert team_names(response) == {"North area team", "South area team"}
    text = response.content.decode()
    assert "Council total" in text and 'data-team="none"' in text


def test_it_shows_another_councils_leader_nothing_of_this_council(personas, north_model):
    c = client_for(personas["other_council_leader"])
    response = c.get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "North area team" not in text and "South area team" not in text and "Test Coordinator" not in text
    assert "You do not manage a team" in response.content.decode()
    rows = list(csv.reader(io.StringIO(c.get(CSV_URL).content.decode("utf-8-sig"))))
    assert rows == [csv_header()]


def test_a_leader_can_narrow_to_one_team(personas, north_model, teams):
    response = client_for(personas["leader"]).get(URL, {"team": teams["south"].pk})
    assert team_names(response) == {"South area team"}
    assert "Council total" not in response.content.decode()


def test_a_team_that_is_not_theirs_or_not_a_number_shows_all_of_their_teams(personas, north_model, other_la):
    from ehcflow.teams.models import Team

    elsewhere = Team.objects.create(la=other_la, name="Elsewhere team")
    c = client_for(personas["leader"])
    for value in (elsewhere.pk, "x", ""):
        response = c.get(URL, {"team": value})
        assert team_names(response) == {"North area team", "South area team"}
        assert "Council total" in response.content.decode() and "Elsewhere team" not in response.content.decode()


def test_it_answers_only_get(personas, north_model):
    assert client_for(personas["leader"]).post(URL).status_code == 405


# --- The figures ------------------------------------------------------------------------------------------------


def test_coordinators_against_their_fte_adjusted_targets(personas, north_model, teams):
    data = caseloads_for(user=personas["manager"], today=TODAY, with_forecast=False)
    assert [tc.team.name for tc in data.teams] == ["North area team"]
    north = data.teams[0]
    by_name = {line.name: line for line in north.lines}
    assert [line.name for line in north.seats] == ["Test Awaycoord", "Test Colleague", "Test Coordinator",
                                                   "Test Newstarter"]
    coordinator = by_name["Test Coordinator"]
    assert (coordinator.target, coordinator.maximum, coordinator.held) == (2, 3, 3)
    assert coordinator.percent_of_target == 150 and coordinator.over_target and not coordinator.over_maximum
    colleague = by_name["Test Colleague"]  # half-time: 2 × 0.5 = 1, maximum 3 × 0.5 = 1.5 → 2
    assert (colleague.fte, colleague.target, colleague.maximum, colleague.held) == (Decimal("0.5"), 1, 2, 3)
    assert colleague.over_maximum
    newstarter = by_name["Test Newstarter"]  # in induction: 50% of target
    assert (newstarter.status, newstarter.target, newstarter.maximum, newstarter.held) == ("In induction", 1, 2, 0)
    away = by_name["Test Awaycoord"]
    assert (away.status, away.target, away.held, away.over_target) == ("Away", 0, 1, True)
    assert away.percent_of_target is None
    problems = {line.name: line for line in north.problems}
    assert set(problems) == {"No coordinator", "Test Leftcoord", "Test Othercoord"}
    assert problems["No coordinator"].kind == LineKind.NO_COORDINATOR and problems["No coordinator"].held == 1
    assert problems["Test Leftcoord"].kind == LineKind.LEFT and problems["Test Leftcoord"].held == 2
    assert "31 October 2026" in problems["Test Leftcoord"].status_detail
    assert problems["Test Othercoord"].kind == LineKind.OUTSIDE and problems["Test Othercoord"].held == 1
    assert [line.kind for line in north.lines[-3:]] == [LineKind.NO_COORDINATOR, LineKind.LEFT, LineKind.OUTSIDE]
    # The team's total against its total target: 3 + 3 + 0 + 1 + 2 + 1 + 1 = 11 against 2 + 1 + 1 + 0 = 4.
    assert (north.held, north.target, north.maximum) == (11, 4, 7)
    assert north.percent_of_target == 275 and north.over_maximum and north.over_target_count == 3


def test_the_mix_by_stage_and_by_primary_need(personas, north_model):
    north = caseloads_for(user=personas["manager"], today=TODAY, with_forecast=False).teams[0]
    lines = {line.name: line for line in north.lines}
    assert lines["Test Coordinator"].mix.stage_counts() == [1, 0, 0, 0, 2]
    assert lines["Test Colleague"].mix.stage_counts() == [0, 1, 1, 1, 0]
    assert north.mix.stage_counts() == [2, 2, 1, 1, 5]
    assert dict(lines["Test Coordinator"].mix.needs) == {"ASD": 2, "": 1}
    assert dict(north.mix.needs) == {"ASD": 3, "SEMH": 1, "SLCN": 1, "MLD": 1, "PD": 1, "": 4}
    assert [v for v, _ in north.needs_shown] == ["ASD", "SLCN", "SEMH", "MLD", "PD", ""]  # SEN2 order


def test_the_council_total_counts_children_with_no_team(personas, north_model):
    data = caseloads_for(user=personas["leader"], today=TODAY, with_forecast=False)
    assert data.whole_council
    assert [(tc.team.name, tc.held, tc.target) for tc in data.teams] == [("North area team", 11, 4),
                                                                         ("South area team", 1, 2)]
    assert data.no_team.held == 1 and data.held == 13 and data.target == 6
    assert data.mix.held == 13


def test_the_page_shows_the_figures_tags_and_problem_lines(personas, north_model, teams):
    with at(TODAY):
        text = client_for(personas["manager"]).get(URL).content.decode()
    north = teams["north"].pk
    assert f'data-table="coordinators-{north}"' in text
    assert f'data-table="stages-{north}"' in text and f'data-table="needs-{north}"' in text
    assert "Over maximum" in text and "Over target" in text and "In induction" in text and "Away" in text
    assert "Left the service" in text and "No coordinator" in text and "Not a coordinator in this team" in text
    assert "11 children held against a target of 4 (maximum 7): 275% of target." in text
    assert '<abbr title="Autistic spectrum disorder">ASD</abbr>' in text
    assert "Forecast for North area team" in text


# --- CSV ------------------------------------------------------------------------------------------------------


def read_csv(response) -> list[dict]:
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="caseloads-')
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_has_one_row_per_coordinator_per_team(personas, north_model):
    with at(TODAY):
        rows = read_csv(client_for(personas["leader"]).get(CSV_URL))
    by_key = {(r["Team"], r["Coordinator"]): r for r in rows}
    assert len(rows) == len(by_key)
    coordinator = by_key[("North area team", "Test Coordinator")]
    assert (coordinator["Working hours (FTE)"], coordinator["Target"], coordinator["Maximum"],
            coordinator["Children held"], coordinator["% of target"], coordinator["Over target"],
            coordinator["Over maximum"]) == ("1.00", "2", "3", "3", "150", "Yes", "No")
    assert coordinator["Stage: Plan maintained"] == "2"
    assert coordinator["Primary need: Autistic spectrum disorder"] == "2"
    assert by_key[("North area team", "Test Colleague")]["Over maximum"] == "Yes"
    assert by_key[("North area team", "Test Newstarter")]["Status"] == "In induction"
    assert by_key[("North area team", "No coordinator")]["Children held"] == "1"
    assert by_key[("North area team", "Test Leftcoord")]["Status"] == "Left the service"
    assert by_key[("South area team", "Test Othercoord")]["Children held"] == "1"
    assert sum(int(r["Children held"]) for r in rows if r["Team"] == "North area team") == 11


def test_the_csv_is_safe_against_formula_injection(personas, north_model):
    colleague = personas["team_colleague"]
    colleague.first_name = "=HYPERLINK(\"http://evil.example\")"
    colleague.save()
    rows = read_csv(client_for(personas["manager"]).get(CSV_URL))
    names = [r["Coordinator"] for r in rows]
    assert "'=HYPERLINK(\"http://evil.example\") Colleague" in names
    assert not any(str(v).startswith(("=", "+", "-", "@")) for r in rows for v in r.values())


# --- The forecast on fixed dates ---------------------------------------------------------------------------------

FORECAST_DAY = datetime.date(2026, 6, 15)  # the forecast runs to 15 September: age limits and 1 September fall in it


@pytest.fixture
def forecast_model(personas, teams):
    """North holds children whose requests, ceasing, moves out, age limits and year group the forecast counts."""
    north, south = teams["north"], teams["south"]
    south.min_age, south.priority = 16, 40  # post-16: the area team's 15-year-olds move there on 1 September
    south.save()
    c = personas["coordinator"]
    d = datetime.date
    la = north.la
    # Requests in the same months last year: 2 in (15 Jun, 15 Jul 2025], 1 in (15 Jul, 15 Aug], 3 in (15 Aug, 15 Sep]
    hold(north, c, stage="not_assessed", received_on=d(2025, 6, 20))
    hold(north, c, stage="plan_issued", received_on=d(2025, 7, 1))
    hold(north, c, stage="withdrawn", received_on=d(2025, 8, 1))
    for day in (d(2025, 9, 1), d(2025, 9, 10), d(2025, 9, 15)):
        hold(north, c, stage="plan_issued", received_on=day)
    hold(north, c, stage="not_assessed", received_on=d(2024, 12, 15))  # just outside the rate's window
    # A plan moved in from another council is not a request.
    moved_in = hold(north, c, stage="plan_issued", received_on=d(2025, 7, 1))
    LaTransfer.objects.create(la=la, plan=moved_in.plan, direction="in", other_la_code="888",
                              other_la_name="Elsewhere", transferred_on=d(2025, 7, 1))
    # The last month: one request (15 May itself is outside it).
    hold(north, c, stage="received", received_on=d(2026, 6, 1))
    hold(north, c, stage="assessing", received_on=d(2026, 5, 15))
    # Age limit (CFA s.46): born 1 July 2001 → 31 July 2026 (month 2); born June 2000 → passed (month 1).
    hold(north, c, dob=d(2001, 7, 1))
    hold(north, c, dob=d(2000, 6, 1))
    # Ceasing decided, notice 20 May 2026: the appeal time ends 20 July, the plan on the 21st (month 2). Its age
    # limit is also in July: counted once, as ceasing.
    ceasing = hold(north, c, dob=d(2001, 3, 1))
    Cessation.objects.create(la=la, plan=ceasing.plan, reason="2", proposed_on=d(2026, 4, 1), decision="cease",
                             decision_on=d(2026, 5, 20), notice_sent_on=d(2026, 5, 20))
    # Moving to another council on 30 June (month 1); also proposed to cease: counted once, as a move.
    moving = hold(north, c, dob=d(2001, 5, 1))
    LaTransfer.objects.create(la=la, plan=moving.plan, direction="out", other_la_code="888",
                              other_la_name="Elsewhere", learnt_on=d(2026, 6, 1), move_on=d(2026, 6, 30))
    Cessation.objects.create(la=la, plan=moving.plan, reason="5", proposed_on=d(2026, 6, 1))
    # Not counted: an appeal pending, a move that fell through, a decision to keep the plan.
    appealed = hold(north, c)
    Cessation.objects.create(la=la, plan=appealed.plan, reason="2", proposed_on=d(2026, 1, 5), decision="cease",
                             decision_on=d(2026, 2, 2), notice_sent_on=d(2026, 2, 2),
                             appeal_registered_on=d(2026, 3, 20))
    cancelled = hold(north, c)
    LaTransfer.objects.create(la=la, plan=cancelled.plan, direction="out", other_la_code="888",
                              other_la_name="Elsewhere", move_on=d(2026, 7, 1), cancelled_on=d(2026, 6, 2),
                              cancel_reason="The family stayed")
    kept = hold(north, c)
    Cessation.objects.create(la=la, plan=kept.plan, reason="2", proposed_on=d(2026, 3, 2), decision="maintain",
                             decision_on=d(2026, 4, 1))
    # Year 11 now (15 on 31 August 2025): 16 on 31 August 2026, so the rules move them to post-16 (month 3).
    hold(north, c, dob=d(2010, 3, 1))
    return {"north": north, "south": south}


def test_the_forecast_from_fixed_dates(personas, forecast_model):
    data = caseloads_for(user=personas["leader"], today=FORECAST_DAY)
    north = next(tc for tc in data.teams if tc.team.name == "North area team")
    south = next(tc for tc in data.teams if tc.team.name == "South area team")
    assert north.held == 15
    assert north.facts["decided"] == 6 and north.facts["ended"] == 2 and north.facts["rate_percent"] == 33
    assert north.facts["recent_requests"] == 1 and north.facts["year_requests"] == 8
    assert north.facts["under_appeal"] == 1
    assert data.september_first == datetime.date(2026, 9, 1)
    m = north.forecast
    assert [x.period.ends_on for x in m] == [datetime.date(2026, 7, 15), datetime.date(2026, 8, 15),
                                             datetime.date(2026, 9, 15)]
    assert [x.requests for x in m] == [2, 1, 3]
    assert [x.refused for x in m] == pytest.approx([1 / 3, 2 / 3, 1 / 3])
    assert [x.age_limit for x in m] == [1, 1, 0]
    assert [x.ceasing for x in m] == [0, 1, 0]
    assert [x.transfers_out for x in m] == [1, 0, 0]
    assert [x.year_group_out for x in m] == [0, 0, 1] and [x.year_group_in for x in m] == [0, 0, 0]
    # 15 + 2 - 1/3 - 1 - 1 = 14 2/3; + 1 - 2/3 - 1 - 1 = 13; + 3 - 1/3 - 1 = 14 2/3
    assert [x.end for x in m] == pytest.approx([14 + 2 / 3, 13, 14 + 2 / 3])
    assert [x.target for x in m] == [340, 340, 340]  # two full-time coordinators at the default 170
    assert [x.year_group_in for x in south.forecast] == [0, 0, 1] and south.forecast[-1].end == 1
    assert [x.end for x in data.forecast] == pytest.approx([14 + 2 / 3, 13, 15 + 2 / 3])


def test_the_forecast_page_on_a_fixed_date(personas, forecast_model):
    with at(FORECAST_DAY):
        text = client_for(personas["manager"]).get(URL).content.decode()
    assert "Forecast for North area team" in text
    assert [cell.split('"')[0] for cell in text.split('data-end="')[1:]] == ["15", "13", "15"]
    assert "This forecast includes 1 September 2026" in text
    assert "2 of 6 (33%) were refused, withdrawn or ended without a plan" in text


def test_no_september_in_the_forecast_in_november(personas, forecast_model):
    data = caseloads_for(user=personas["manager"], today=TODAY)
    assert data.september_first is None
    assert all(x.year_group_out == 0 for x in data.teams[0].forecast)


# --- Queries ----------------------------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("day", [TODAY, FORECAST_DAY])
def test_queries_do_not_grow_with_children_or_coordinators(personas, north_model, forecast_model, teams, day):
    urls = (URL, CSV_URL)
    leader, manager = client_for(personas["leader"]), client_for(personas["manager"])
    with at(day):
        small = {(who, url): count_queries(c, url) for who, c in (("leader", leader), ("manager", manager))
                 for url in urls}
        la = teams["north"].la
        for i in range(4):
            extra = make_user(f"extra{i}", la=la, role=Role.COORDINATOR, teams=[teams["north" if i % 2 else "south"]])
            for j in range(5):
                case = hold(teams["north" if i % 2 else "south"], extra, need=["ASD", "VI", "MSI"][j % 3],
                            dob=datetime.date(2001 + j, 4, 1), received_on=datetime.date(2025, 6 + j, 20))
                if j == 1:
                    Cessation.objects.create(la=la, plan=case.plan, reason="2", proposed_on=datetime.date(2026, 5, 1))
                if j == 2:
                    LaTransfer.objects.create(la=la, plan=case.plan, direction="out", other_la_code="888",
                                              other_la_name="Elsewhere", move_on=datetime.date(2026, 12, 1))
        large = {(who, url): count_queries(c, url) for who, c in (("leader", leader), ("manager", manager))
                 for url in urls}
    assert large == small
    assert max(large.values()) <= 20
