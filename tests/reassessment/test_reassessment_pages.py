"""Re-assessment pages: persona access for every step page, the case page section, query counts."""

import datetime
import uuid

import pytest

from ehcflow.reassessment.models import Reassessment
from tests.conftest import fresh
from tests.reassessment.conftest import decide, exception, request
from tests.reviews.test_review_pages import count_queries, date_fields, step_expected
from tests.test_access import ALL, CHANGES_CASE, client_for, expected_view_status

d = datetime.date
ITEM_STEPS = ("reassess-decide", "reassess-exception", "reassess-plan")


def _urls(case):
    case = fresh(case)
    urls = {"reassess-request": f"/cases/{case.pk}/reassess-request/{case.plan.pk}/"}
    item = Reassessment.objects.filter(plan=case.plan).first()
    if item:
        urls.update({slug: f"/cases/{case.pk}/{slug}/{item.pk}/" for slug in ITEM_STEPS})
    return urls


@pytest.mark.parametrize("persona", sorted(ALL))
def test_case_page_section(persona, personas, issued):
    response = client_for(personas[persona]).get(f"/cases/{issued.pk}/")
    assert response.status_code == expected_view_status(persona)
    if response.status_code == 200:
        body = response.content.decode()
        assert 'id="reassessment"' in body
        assert ("Record a request for a re-assessment" in body) == (persona in CHANGES_CASE)


@pytest.mark.parametrize("persona", sorted(ALL))
def test_request_page(persona, personas, issued):
    response = client_for(personas[persona]).get(_urls(issued)["reassess-request"])
    assert response.status_code == step_expected(persona)


@pytest.mark.parametrize("persona", sorted(ALL))
def test_step_pages_with_a_request_open(persona, personas, issued):
    """With a request open only the decision is possible; the request page refuses a second one."""
    request(issued, personas["coordinator"])
    client = client_for(personas[persona])
    expected = step_expected(persona)
    for slug, url in _urls(issued).items():
        status = client.get(url).status_code
        if expected == 200:
            assert status == (200 if slug == "reassess-decide" else 409), (slug, status)
        else:
            assert status == expected, (slug, status)


@pytest.mark.parametrize("persona", sorted(ALL))
def test_step_pages_while_reassessing(persona, personas, issued):
    request(issued, personas["coordinator"])
    decide(issued, personas["coordinator"])
    client = client_for(personas[persona])
    expected = step_expected(persona)
    for slug, url in _urls(issued).items():
        status = client.get(url).status_code
        if expected == 200:
            assert status == (409 if slug in ("reassess-request", "reassess-decide") else 200), (slug, status)
        else:
            assert status == expected, (slug, status)
    if expected == 200:
        page = client.get(f"/cases/{issued.pk}/").content.decode()
        assert "Record the plan issued after re-assessment" in page and "27 Apr 2026" in page
        assert "Add a need (section B)" in page  # plan content steps are offered while re-assessing


@pytest.mark.parametrize("persona", sorted(ALL - CHANGES_CASE))
def test_it_denies_recording_a_request_to(persona, personas, issued):
    case = fresh(issued)
    response = client_for(personas[persona]).post(_urls(issued)["reassess-request"], {
        "version": case.version, "token": str(uuid.uuid4()), "requested_by": "family",
        **date_fields("requested_on", d(2026, 1, 5))})
    assert response.status_code in (403, 404)
    assert not Reassessment.objects.exists()


def test_through_the_pages(personas, issued):
    client = client_for(personas["coordinator"])
    case = fresh(issued)
    url = _urls(issued)["reassess-request"]
    response = client.post(url, {"version": case.version, "token": str(uuid.uuid4()), "requested_by": "school",
                                 **date_fields("requested_on", d(2026, 3, 1))})
    assert response.status_code == 400 and "today or in the past" in response.content.decode()
    assert not Reassessment.objects.exists() and fresh(issued).version == case.version
    response = client.post(url, {"version": case.version, "token": str(uuid.uuid4()), "requested_by": "school",
                                 **date_fields("requested_on", d(2026, 1, 5))})
    assert response.status_code == 302
    urls = _urls(issued)
    case = fresh(issued)
    response = client.post(urls["reassess-decide"], {
        "version": case.version, "token": str(uuid.uuid4()), "decision": "refuse", "reasons": "",
        **date_fields("decision_on", d(2026, 1, 19))})
    assert response.status_code == 400 and "reasons for refusing" in response.content.decode()
    response = client.post(urls["reassess-decide"], {
        "version": case.version, "token": str(uuid.uuid4()), "decision": "refuse", "reasons": "Needs unchanged",
        **date_fields("decision_on", d(2026, 1, 19))})
    assert response.status_code == 302
    page = client.get(f"/cases/{issued.pk}/").content.decode()
    assert "Appealable to the SEND Tribunal" in page and "right to appeal" in page


def test_exception_and_plan_through_the_pages(personas, issued):
    actor = personas["coordinator"]
    client = client_for(actor)
    request(issued, actor)
    decide(issued, actor)
    urls = _urls(issued)
    case = fresh(issued)
    response = client.post(urls["reassess-exception"], {
        "version": case.version, "token": str(uuid.uuid4()), "reason": "A(d)", "evidence": "Family abroad 6 weeks",
        **date_fields("recorded_on", d(2026, 1, 26))})
    assert response.status_code == 302
    case = fresh(issued)
    response = client.post(urls["reassess-plan"], {
        "version": case.version, "token": str(uuid.uuid4()), **date_fields("plan_issued_on", d(2026, 2, 2))})
    assert response.status_code == 302
    page = client.get(f"/cases/{issued.pk}/").content.decode()
    assert "Issued 2 Feb 2026" in page and "Exception A(d)" in page


def test_case_page_queries_do_not_grow(personas, issued):
    actor = personas["coordinator"]
    client = client_for(actor)
    request(issued, actor, requested_on=d(2025, 6, 2))
    decide(issued, actor, decision="refuse", decision_on=d(2025, 6, 3))
    small = count_queries(client, f"/cases/{issued.pk}/")
    for day in (5, 6):
        request(issued, actor, requested_on=d(2025, 6, day))
        decide(issued, actor, decision_on=d(2025, 6, day))
        exception(issued, actor, recorded_on=d(2025, 6, day))
        from tests.reassessment.conftest import issue

        issue(issued, actor, plan_issued_on=d(2025, 6, day))
    assert Reassessment.objects.count() == 3
    assert count_queries(client, f"/cases/{issued.pk}/") == small
