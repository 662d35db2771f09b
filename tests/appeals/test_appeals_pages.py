"""Mediation and appeal pages: persona access for every step, the case page section, the closed stages, queries."""

import datetime
import uuid

import pytest

from ehcflow.appeals.models import Disagreement
from ehcflow.appeals.steps import SLUGS
from tests.appeals.conftest import contact, last, notice
from tests.conftest import fresh
from tests.reviews.test_review_pages import count_queries, date_fields, step_expected
from tests.test_access import ALL, CHANGES_CASE, client_for, expected_view_status

d = datetime.date
PERSONAS = ["coordinator", "other_team_coordinator", "manager", "leader", "parent", "professional"]


def _urls(case):
    case = fresh(case)
    urls = {"appeal-notice": f"/cases/{case.pk}/appeal-notice/"}
    item = last(case)
    if item:
        for slug in SLUGS - {"appeal-notice"}:
            urls[slug] = f"/cases/{case.pk}/{slug}/{item.pk}/"
    return urls


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_step_page(persona, personas, refused):
    """On a refusal to assess with a notice sent, only another notice and the mediation contact are possible."""
    notice(refused, personas["coordinator"])
    client = client_for(personas[persona])
    expected = step_expected(persona)
    urls = _urls(refused)
    assert set(urls) == SLUGS
    for slug, url in urls.items():
        response = client.get(url)
        if expected == 200:
            want = 200 if slug in ("appeal-notice", "appeal-mediation") else 409
            assert response.status_code == want, (slug, response.status_code)
        else:
            assert response.status_code == expected, (slug, response.status_code)


@pytest.mark.parametrize("persona", PERSONAS)
def test_case_page_section(persona, personas, refused):
    notice(refused, personas["coordinator"])
    contact(refused, personas["coordinator"])
    response = client_for(personas[persona]).get(f"/cases/{refused.pk}/")
    assert response.status_code == expected_view_status(persona)
    if response.status_code == 200:
        body = response.content.decode()
        assert "Mediation and appeals" in body and "Refusal to assess" in body
        assert "Last day to contact the mediation adviser" in body and "10 Apr 2025" in body
        assert ("Record the mediation certificate issued" in body) == (persona in CHANGES_CASE)
        assert ("Record the notice of an appealable decision" in body) == (persona in CHANGES_CASE)


@pytest.mark.parametrize("persona", PERSONAS)
def test_post_notice(persona, personas, refused):
    case = fresh(refused)
    response = client_for(personas[persona]).post(f"/cases/{case.pk}/appeal-notice/", {
        "version": case.version, "token": str(uuid.uuid4()), "kind": "refuse_assess",
        **date_fields("notice_sent_on", d(2025, 2, 10))})
    if persona in CHANGES_CASE:
        assert response.status_code == 302
        assert Disagreement.objects.get().kind == "refuse_assess"
    else:
        assert response.status_code in (403, 404)
        assert not Disagreement.objects.exists()


def test_wrong_decision_for_the_stage_is_refused_on_the_page(personas, refused):
    case = fresh(refused)
    response = client_for(personas["coordinator"]).post(f"/cases/{case.pk}/appeal-notice/", {
        "version": case.version, "token": str(uuid.uuid4()), "kind": "cease",
        **date_fields("notice_sent_on", d(2025, 2, 10))})
    assert response.status_code == 400 and "can only be" in response.content.decode()
    assert fresh(refused).version == case.version and not Disagreement.objects.exists()


def test_register_with_sections_through_the_page(personas, issued):
    actor = personas["coordinator"]
    notice(issued, actor, kind="plan_contents", notice_sent_on=d(2025, 4, 28))
    client = client_for(actor)
    case = fresh(issued)
    url = f"/cases/{case.pk}/appeal-register/{last(case).pk}/"
    response = client.post(url, {"version": case.version, "token": str(uuid.uuid4()), "sections": ["B", "I"],
                                 **date_fields("registered_on", d(2025, 6, 2))})
    assert response.status_code == 400 and "mediation certificate" in response.content.decode()
    response = client.post(url, {"version": case.version, "token": str(uuid.uuid4()), "sections": ["I"],
                                 **date_fields("registered_on", d(2025, 6, 2))})
    assert response.status_code == 302
    assert last(issued).sections == "I"


def test_not_offered_on_an_open_request(personas, case, at_today):
    response = client_for(personas["coordinator"]).get(f"/cases/{case.pk}/appeal-notice/")
    assert response.status_code == 409


def test_a_disagreement_of_another_case_is_not_found(personas, refused):
    notice(refused, personas["coordinator"])
    item = Disagreement.objects.get()
    other = fresh(refused).__class__.objects.exclude(pk=refused.pk).first()
    response = client_for(personas["other_team_coordinator"]).get(f"/cases/{other.pk}/appeal-mediation/{item.pk}/")
    assert response.status_code in (404, 409)  # the other case is still open: no appeal step there at all
    assert Disagreement.objects.get().mediation_contacted_on is None


def test_case_page_queries_do_not_grow(personas, refused):
    actor = personas["coordinator"]
    client = client_for(actor)
    notice(refused, actor)
    small = count_queries(client, f"/cases/{refused.pk}/")
    for day in (11, 12, 13):
        notice(refused, actor, notice_sent_on=d(2025, 2, day))
        contact(refused, actor, contacted_on=d(2025, 3, day))
    assert Disagreement.objects.count() == 4
    assert count_queries(client, f"/cases/{refused.pk}/") == small


def _ordered_to_assess(case, actor):
    from tests.appeals.conftest import certificate, first_step, order, outcome, register

    notice(case, actor, notice_sent_on=d(2025, 6, 2))
    contact(case, actor, contacted_on=d(2025, 6, 3))
    certificate(case, actor, issued_on=d(2025, 6, 5))
    register(case, actor, registered_on=d(2025, 7, 1))
    outcome(case, actor, outcome="upheld", outcome_on=d(2026, 1, 5))
    order(case, actor, order="assess", order_on=d(2026, 1, 5))
    first_step(case, actor, done_on=d(2026, 1, 12))


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_no_plan_decision_through_the_page(persona, personas, refused):
    """Offered and recorded only by those who change the case; the case page then says how the order was met."""
    _ordered_to_assess(refused, personas["coordinator"])
    case = fresh(refused)
    client = client_for(personas[persona])
    url = f"/cases/{case.pk}/appeal-no-plan/{last(case).pk}/"
    assert client.get(url).status_code == step_expected(persona)
    body = client.get(f"/cases/{case.pk}/").content.decode()
    offered = "Record a decision not to issue a plan after the ordered assessment" in body
    assert offered == (persona in CHANGES_CASE)
    response = client.post(url, {"version": case.version, "token": str(uuid.uuid4()),
                                 **date_fields("decided_on", d(2026, 1, 30))})
    if persona in CHANGES_CASE:
        assert response.status_code == 302
        assert last(case).compliance == "no_plan"
        body = client.get(f"/cases/{case.pk}/").content.decode()
        assert "Complied with 30 Jan 2026: decision not to issue a plan, after the assessment" in body
        assert client.get(url).status_code == 409  # recorded: no longer possible
    else:
        assert response.status_code in (403, 404) and last(case).complied_on is None


def test_the_no_plan_page_refuses_a_bad_date_and_changes_nothing(personas, refused):
    _ordered_to_assess(refused, personas["coordinator"])
    case = fresh(refused)
    response = client_for(personas["coordinator"]).post(
        f"/cases/{case.pk}/appeal-no-plan/{last(case).pk}/",
        {"version": case.version, "token": str(uuid.uuid4()), **date_fields("decided_on", d(2026, 1, 4))})
    assert response.status_code == 400 and "on or after the order" in response.content.decode()
    assert last(case).complied_on is None and fresh(refused).version == case.version
