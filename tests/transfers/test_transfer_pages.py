"""Phase transfer pages: persona access for the work list and every step, the case page section, the team
filter, paging and query counts."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ehcflow.people.models import Setting
from ehcflow.transfers.models import PhaseTransfer
from tests.conftest import fresh, new_case
from tests.test_access import ALL, CHANGES_CASE, NOT_STAFF, client_for, expected_view_status
from tests.transfers.conftest import DUE, agree, start

d = datetime.date


def date_fields(name, value):
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}


def step_expected(persona: str) -> int:
    return 200 if persona in CHANGES_CASE else 403 if persona in NOT_STAFF | {"leader"} else 404


def list_expected(persona: str) -> int:
    return 403 if persona in NOT_STAFF else 200


@pytest.mark.parametrize("persona", sorted(ALL))
def test_work_list(persona, personas, issued):
    response = client_for(personas[persona]).get("/transfers/")
    assert response.status_code == list_expected(persona)
    if response.status_code == 200:
        body = response.content.decode()
        shown = "Alex Testerby" in body
        assert shown == (expected_view_status(persona) == 200), persona
        if shown:
            assert "Primary school to secondary school (Year 7)" in body and "14 Feb 2028" in body
            assert "96 days left" in body and "Not started" in body
    else:
        assert "Testerby" not in response.content.decode()


def test_work_list_progress_and_team_filter(personas, issued, secondary, teams):
    actor = personas["coordinator"]
    start(issued, actor)
    client = client_for(personas["leader"])
    assert "Started" in client.get("/transfers/").content.decode()
    agree(issued, actor, secondary)
    body = client.get("/transfers/").content.decode()
    assert "New setting agreed" in body
    assert "Testerby" not in client.get(f"/transfers/?team={teams['south'].pk}").content.decode()
    assert "Testerby" in client.get(f"/transfers/?team={teams['north'].pk}").content.decode()


def test_children_not_due_this_year_are_not_listed(personas, issued, school):
    # Born 2018: Year 7 in 2030, not this year; a secondary pupil in Year 11 is (post-16, 30 March 2028).
    actor = personas["coordinator"]
    younger = new_case(actor, first_name="Younger", upn="C123456789012", date_of_birth=d(2018, 10, 1))
    older = new_case(actor, first_name="Olderchild", upn="D123456789012", date_of_birth=d(2012, 1, 5))
    from tests.conftest import advance

    high = Setting.objects.create(name="Hillside Academy", phase="secondary", kind="mainstream")
    advance(younger, actor, "plan_issued", school=school)
    advance(older, actor, "plan_issued", school=high)
    body = client_for(actor).get("/transfers/").content.decode()
    assert "Younger" not in body
    assert "Olderchild" in body and "30 Mar 2028" in body and "Secondary school to post-16" in body
    # Soonest deadline first.
    assert body.index("Alex Testerby") < body.index("Olderchild")


def _urls(case):
    case = fresh(case)
    transfer = PhaseTransfer.objects.filter(plan=case.plan).first()
    return {
        "transfer-start": f"/cases/{case.pk}/transfer-start/{case.plan.pk}/",
        "transfer-setting": f"/cases/{case.pk}/transfer-setting/{transfer.pk}/" if transfer else None,
        "transfer-complete": f"/cases/{case.pk}/transfer-complete/{transfer.pk}/" if transfer else None,
    }


@pytest.mark.parametrize("persona", sorted(ALL))
def test_every_step_page_applies_the_same_rule(persona, personas, issued):
    start(issued, personas["coordinator"])
    client = client_for(personas[persona])
    expected = step_expected(persona)
    for slug, url in _urls(issued).items():
        response = client.get(url)
        if expected == 200:
            want = 409 if slug == "transfer-start" else 200  # one open transfer at a time
            assert response.status_code == want, (slug, response.status_code)
        else:
            assert response.status_code == expected, (slug, response.status_code)


@pytest.mark.parametrize("persona", sorted(ALL))
def test_case_page_section(persona, personas, issued):
    response = client_for(personas[persona]).get(f"/cases/{issued.pk}/")
    assert response.status_code == expected_view_status(persona)
    if response.status_code == 200:
        body = response.content.decode()
        assert "Phase transfer" in body and "14 February 2028" in body
        assert ("Start the phase transfer" in body) == (persona in CHANGES_CASE)


@pytest.mark.parametrize("persona", sorted(ALL - CHANGES_CASE))
def test_it_denies_starting_to(persona, personas, issued):
    case = fresh(issued)
    response = client_for(personas[persona]).post(f"/cases/{case.pk}/transfer-start/{case.plan.pk}/", {
        "version": case.version, "token": str(uuid.uuid4()), "kind": "primary_to_secondary"})
    assert response.status_code in (403, 404)
    assert not PhaseTransfer.objects.exists()


def test_the_pages_carry_a_transfer_through_and_refuse_a_wrong_phase(personas, issued, school, secondary):
    client = client_for(personas["coordinator"])
    case = fresh(issued)
    response = client.post(f"/cases/{case.pk}/transfer-start/{case.plan.pk}/", {
        "version": case.version, "token": str(uuid.uuid4()), "kind": "primary_to_secondary",
        "preferred_setting": str(secondary.pk)})
    assert response.status_code == 302
    transfer = PhaseTransfer.objects.get()
    assert transfer.due_on == DUE
    case = fresh(issued)
    response = client.post(f"/cases/{case.pk}/transfer-setting/{transfer.pk}/", {
        "version": case.version, "token": str(uuid.uuid4()), "new_setting": str(school.pk),
        **date_fields("agreed_on", d(2027, 11, 10))})
    assert response.status_code == 400
    assert "Oakfield Primary School cannot be named" in response.content.decode()
    response = client.post(f"/cases/{case.pk}/transfer-complete/{transfer.pk}/", {
        "version": case.version, "token": str(uuid.uuid4()), "new_setting": str(secondary.pk),
        **date_fields("completed_on", d(2027, 11, 10))})
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == "completed" and fresh(issued).plan.named_setting == secondary
    assert "Completed" in client.get("/transfers/").content.decode()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_queries_do_not_grow_and_the_list_pages(personas, issued, school, secondary):
    actor = personas["coordinator"]
    client = client_for(actor)
    start(issued, actor)
    small_list = count_queries(client, "/transfers/")
    small_case = count_queries(client, f"/cases/{issued.pk}/")
    # 55 more children due to move, some with transfers started: more rows, the same queries.
    from ehcflow.cases.models import Case, Stage
    from ehcflow.people.models import Child
    from ehcflow.plans.models import Plan

    la = issued.la
    for i in range(55):
        child = Child.objects.create(la=la, first_name=f"Pupil{i:02d}", last_name="Many", sex="F",
                                     date_of_birth=d(2016, 10, 1), setting=school, team=issued.child.team,
                                     coordinator=actor)
        c = Case.objects.create(la=la, child=child, received_on=d(2025, 1, 6), source="1")
        Case.objects.filter(pk=c.pk).update(stage=Stage.PLAN_ISSUED)
        plan = Plan.objects.create(la=la, case=c, status="final", issued_on=d(2025, 4, 28), named_setting=school)
        if i % 3 == 0:
            PhaseTransfer.objects.create(la=la, plan=plan, kind="primary_to_secondary", transfer_on=d(2028, 9, 1),
                                         due_on=DUE, started_on=d(2027, 11, 1), new_setting=secondary,
                                         agreed_on=d(2027, 11, 2))
    assert count_queries(client, "/transfers/") == small_list
    body = client.get("/transfers/").content.decode()
    assert "56 children" in body and "Page 1 of 2" in body and body.count('class="govuk-link" href="/cases/') == 50
    assert count_queries(client, "/transfers/?page=2") == small_list
    start_case = count_queries(client, f"/cases/{issued.pk}/")
    assert start_case == small_case
    assert small_list <= 12
