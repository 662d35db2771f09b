"""Work queues: each persona sees the work on the cases the access rule lets them see, and no more."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ehcflow.cases import services
from tests.conftest import advance, fresh, new_case, token

NOT_STAFF = {"parent", "other_parent", "professional"}
STAFF = {"coordinator", "team_colleague", "other_team_coordinator", "manager", "other_manager", "leader",
         "administrator", "other_council_leader"}
# Who sees Alex (North team, held by `coordinator`) and Blake (South team, held by `other_team_coordinator`).
MY_WORK_SEES = {"coordinator": {"Alex"}, "other_team_coordinator": {"Blake"}}
TEAM_WORK_SEES = {
    "coordinator": {"Alex"}, "team_colleague": {"Alex"}, "manager": {"Alex"},
    "other_team_coordinator": {"Blake"}, "other_manager": {"Blake"},
    "leader": {"Alex", "Blake"}, "administrator": {"Alex", "Blake"},
}


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 9, tzinfo=ZoneInfo("Europe/London")),
                               tick=False)


def names_in(html: str) -> set[str]:
    return {name for name in ("Alex", "Blake") if f"{name} Testerby" in html}


@pytest.mark.parametrize("persona", sorted(STAFF | NOT_STAFF))
def test_my_work(persona, personas, case):
    response = client_for(personas[persona]).get("/work/")
    if persona in NOT_STAFF:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert names_in(response.content.decode()) == MY_WORK_SEES.get(persona, set())


@pytest.mark.parametrize("persona", sorted(STAFF | NOT_STAFF))
def test_team_work(persona, personas, case):
    response = client_for(personas[persona]).get("/work/team/")
    if persona in NOT_STAFF:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert names_in(response.content.decode()) == TEAM_WORK_SEES.get(persona, set())


def test_it_sends_anonymous_visitors_to_sign_in(db):
    assert Client().get("/work/").status_code == 302
    assert Client().get("/work/team/").status_code == 302


def test_leader_filters_by_team(personas, case, teams):
    client = client_for(personas["leader"])
    html = client.get(f"/work/team/?team={teams['north'].pk}").content.decode()
    assert names_in(html) == {"Alex"}
    html = client.get(f"/work/team/?team={teams['south'].pk}").content.decode()
    assert names_in(html) == {"Blake"}
    assert names_in(client.get("/work/team/?team=nonsense").content.decode()) == {"Alex", "Blake"}


def test_a_manager_cannot_filter_to_another_team(personas, case, teams):
    html = client_for(personas["manager"]).get(f"/work/team/?team={teams['south'].pk}").content.decode()
    assert names_in(html) == {"Alex"}


def section(html: str, key: str) -> str:
    start = html.index(f'id="{key}"')
    following = [html.find(f'<h2 class="govuk-heading-m" id="{k}"', start + 1)
                 for k in ("overdue", "week", "advice", "school")]
    ends = [i for i in following if i > start]
    return html[start:min(ends) if ends else len(html)]


def test_sections_due_this_week_overdue_and_blocked(personas, case, school):
    actor = personas["coordinator"]
    drafting = advance(case, actor, "drafting")  # decided 10 Feb; EP advice asked 11 Feb; plan to be issued
    c = fresh(drafting)
    services.consultation_send(actor=actor, case=c, version=c.version, token=token(), setting=school,
                               sent_on=datetime.date(2025, 3, 25))
    with at(datetime.date(2025, 5, 20)):
        html = client_for(actor).get("/work/").content.decode()
    week = section(html, "week")
    assert "Alex Testerby" in week and "26 May 2025" in week  # the 20-week final plan
    advice = section(html, "advice")
    assert "Advice from Dr A Okafor" in advice and "Alex Testerby" in advice
    school_section = section(html, "school")
    assert "Oakfield Primary School" in school_section and "56 days" in school_section
    assert "Advice from" not in section(html, "overdue") + week
    assert f'href="/cases/{case.pk}/"' in html


def test_overdue_section(personas, case):
    with at(datetime.date(2025, 2, 20)):
        html = client_for(personas["coordinator"]).get("/work/").content.decode()
    overdue = section(html, "overdue")
    assert "Alex Testerby" in overdue and "3 days overdue" in overdue
    assert 'id="count-overdue">1<' in html


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_work_queue_queries_do_not_grow_with_cases(personas, case, school):
    coordinator, leader = client_for(personas["coordinator"]), client_for(personas["leader"])
    urls = ["/work/", "/work/team/"]
    small = {u: count_queries(coordinator, u) for u in urls} | {"leader": count_queries(leader, "/work/team/")}
    actor = personas["coordinator"]
    for i in range(12):
        c = new_case(actor, first_name=f"Child{i}", upn=f"D{i:011d}X"[:13])
        if i % 3 == 0:
            advance(c, actor, "drafting")
    large = {u: count_queries(coordinator, u) for u in urls} | {"leader": count_queries(leader, "/work/team/")}
    assert large == small
    assert max(large.values()) <= 16
