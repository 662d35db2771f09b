"""Ceasing and move pages: persona access for every new page and step, the case page sections, query counts."""

import datetime
import uuid

import pytest
from django.test import Client

from ehcflow.ceasing.models import Cessation
from ehcflow.moves.models import LaTransfer
from tests.ceasing.conftest import consult, decide, propose, with_birth_date
from tests.conftest import advance, fresh
from tests.moves.test_moves_services import move_out
from tests.reviews.test_review_pages import count_queries, date_fields, step_expected
from tests.test_access import ALL, CHANGES_CASE, NOT_STAFF, client_for, expected_view_status

d = datetime.date
MAKES_CASES = CHANGES_CASE | {"other_team_coordinator", "other_manager"}


def _urls(case):
    case = fresh(case)
    cessation = Cessation.objects.filter(plan=case.plan).first()
    transfer = LaTransfer.objects.filter(plan=case.plan).first()
    urls = {"cease-propose": f"/cases/{case.pk}/cease-propose/{case.plan.pk}/",
            "move-out": f"/cases/{case.pk}/move-out/{case.plan.pk}/"}
    if cessation:
        for slug in ("cease-consult", "cease-decide", "cease-appeal", "cease-appeal-outcome", "cease"):
            urls[slug] = f"/cases/{case.pk}/{slug}/{cessation.pk}/"
    if transfer:
        urls["move-out-sent"] = f"/cases/{case.pk}/move-out-sent/{transfer.pk}/"
        urls["move-in-notified"] = f"/cases/{case.pk}/move-in-notified/{transfer.pk}/"
    return urls


@pytest.mark.parametrize("persona", sorted(ALL))
def test_age_limit_list(persona, personas, case, school, at_today):
    with_birth_date(case, d(2001, 5, 1))
    advance(case, personas["coordinator"], "plan_issued", school=school)
    response = client_for(personas[persona]).get("/ceasing/")
    assert response.status_code == (403 if persona in NOT_STAFF else 200)
    if response.status_code == 200:
        assert ("Testerby" in response.content.decode()) == (persona in {"coordinator", "team_colleague", "manager",
                                                                         "leader", "administrator"})


@pytest.mark.parametrize("persona", sorted(ALL))
def test_move_in_page(persona, personas, at_today):
    response = client_for(personas[persona]).get("/moves/in/")
    assert response.status_code == (200 if persona in MAKES_CASES else 403)


@pytest.mark.parametrize("persona", sorted(ALL))
def test_case_page_sections(persona, personas, issued):
    response = client_for(personas[persona]).get(f"/cases/{issued.pk}/")
    assert response.status_code == expected_view_status(persona)
    if response.status_code == 200:
        body = response.content.decode()
        assert "Ceasing the plan" in body and "Moves between councils" in body and "31 July 2042" in body
        assert ("Propose to cease the plan" in body) == (persona in CHANGES_CASE)
        assert ("Record a move to another council" in body) == (persona in CHANGES_CASE)


@pytest.mark.parametrize("persona", sorted(ALL))
def test_every_step_page_applies_the_same_rule(persona, personas, issued):
    """With a proposal to cease open, only the consultation is possible among its steps; moves are refused."""
    propose(issued, personas["coordinator"])
    client = client_for(personas[persona])
    expected = step_expected(persona)
    for slug, url in _urls(issued).items():
        response = client.get(url)
        if expected == 200:
            want = 200 if slug == "cease-consult" else 409
            assert response.status_code == want, (slug, response.status_code)
        else:
            assert response.status_code == expected, (slug, response.status_code)


@pytest.mark.parametrize("persona", sorted(ALL))
def test_move_step_pages(persona, personas, issued):
    move_out(issued, personas["coordinator"])
    client = client_for(personas[persona])
    expected = step_expected(persona)
    urls = _urls(issued)
    response = client.get(urls["move-out-sent"])
    assert response.status_code == expected
    if expected == 200:
        assert client.get(urls["move-in-notified"]).status_code == 409
        assert client.get(urls["move-out"]).status_code == 409


@pytest.mark.parametrize("persona", sorted(ALL - CHANGES_CASE))
def test_it_denies_proposing_to_cease_to(persona, personas, issued):
    case = fresh(issued)
    response = client_for(personas[persona]).post(f"/cases/{case.pk}/cease-propose/{case.plan.pk}/", {
        "version": case.version, "token": str(uuid.uuid4()), "reason": "2", **date_fields("proposed_on", d(2026, 1, 5))})
    assert response.status_code in (403, 404)
    assert not Cessation.objects.exists()


def test_a_cessation_of_another_case_is_not_found(personas, issued, case):
    propose(issued, personas["coordinator"])
    cessation = Cessation.objects.get()
    other = fresh(case).__class__.objects.exclude(pk=issued.pk).first()
    response = client_for(personas["manager"]).get(f"/cases/{other.pk}/cease-consult/{cessation.pk}/")
    assert response.status_code in (404, 409)


def test_propose_through_the_page_refuses_a_reason_that_does_not_fit(personas, issued):
    client = client_for(personas["coordinator"])
    case = fresh(issued)
    response = client.post(f"/cases/{case.pk}/cease-propose/{case.plan.pk}/", {
        "version": case.version, "token": str(uuid.uuid4()), "reason": "3", **date_fields("proposed_on", d(2026, 1, 5))})
    assert response.status_code == 400 and "over compulsory school age" in response.content.decode()
    assert fresh(issued).version == case.version and not Cessation.objects.exists()
    response = client.post(f"/cases/{case.pk}/cease-propose/{case.plan.pk}/", {
        "version": case.version, "token": str(uuid.uuid4()), "reason": "2", **date_fields("proposed_on", d(2026, 1, 5))})
    assert response.status_code == 302
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Record the consultation about ceasing" in page and "Propose to cease the plan" not in page


def test_case_page_queries_do_not_grow(personas, issued):
    actor = personas["coordinator"]
    client = client_for(actor)
    propose(issued, actor)
    consult(issued, actor)
    decide(issued, actor, decision="maintain", notice_sent_on=None)
    small = count_queries(client, f"/cases/{issued.pk}/")
    for day in (20, 21):
        propose(issued, actor, proposed_on=d(2026, 1, day))
        consult(issued, actor, consulted_on=d(2026, 1, day))
        decide(issued, actor, decision="maintain", decision_on=d(2026, 1, day), notice_sent_on=None)
    assert Cessation.objects.count() == 3
    assert count_queries(client, f"/cases/{issued.pk}/") == small
    small_list = count_queries(client, "/ceasing/")
    assert small_list <= 8


def test_move_out_and_sent_through_the_pages(personas, issued):
    client = client_for(personas["coordinator"])
    case = fresh(issued)
    response = client.post(f"/cases/{case.pk}/move-out/{case.plan.pk}/", {
        "version": case.version, "token": str(uuid.uuid4()), "other_la_code": "208", "other_la_name": "Lambeth",
        **date_fields("learnt_on", d(2025, 12, 15)), **date_fields("move_on", d(2025, 12, 19))})
    assert response.status_code == 302
    transfer = LaTransfer.objects.get()
    case = fresh(issued)
    response = client.post(f"/cases/{case.pk}/move-out-sent/{transfer.pk}/", {
        "version": case.version, "token": str(uuid.uuid4()), **date_fields("transferred_on", d(2026, 1, 6))})
    assert response.status_code == 302
    assert fresh(issued).stage == "ceased"
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Plan ceased" in page and "Record a move to another council" not in page
