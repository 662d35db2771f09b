"""Re-assessment pages: persona access for every step page, the case page section, query counts."""

import datetime
import uuid

import pytest

from ehcflow.reassessment.models import Reassessment
from tests.conftest import fresh
from tests.reassessment.conftest import decide, exception, issue, request
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
        issue(issued, actor, plan_issued_on=d(2025, 6, day))
    assert Reassessment.objects.count() == 3
    assert count_queries(client, f"/cases/{issued.pk}/") == small


# --- What a coordinator sees of the re-assessment's progress, appeal rights and the review after it -----------

@pytest.mark.parametrize("persona", sorted(ALL))
def test_progress_of_an_open_reassessment(persona, personas, issued):
    """Requested 5 January 2026: decision due 20 January (15 days [U]); re-assess notified 19 January: plan due
    27 April 2026 (14 weeks, reg 27(2)); today is 2 February 2026."""
    actor = personas["coordinator"]
    request(issued, actor)
    response = client_for(personas[persona]).get(f"/cases/{issued.pk}/")
    assert response.status_code == expected_view_status(persona)
    if response.status_code != 200:
        assert "Open re-assessment" not in response.content.decode()
        return
    body = response.content.decode()
    assert 'data-list="reassessment-progress"' in body and "Due by <strong>20 January 2026</strong>" in body
    assert "13 days overdue" in body and "Needs have changed" in body
    decide(issued, actor)
    body = client_for(personas[persona]).get(f"/cases/{issued.pk}/").content.decode()
    assert "Re-assess, notified 19 January 2026" in body and "Due by <strong>27 April 2026</strong>" in body
    assert "84 days left" in body and "SEND Regulations 2014 reg 27(2)-(3)" in body


@pytest.mark.parametrize("persona", sorted(ALL))
def test_refusal_shows_the_appeal_rights(persona, personas, issued):
    """Refusal notified 19 January 2026: mediation adviser by 19 March 2026 (reg 33); appeal by 19 March 2026,
    a Thursday (HESC Rules r.20(1)(c))."""
    request(issued, personas["coordinator"])
    decide(issued, personas["coordinator"], decision="refuse", reasons="Needs unchanged since the review")
    response = client_for(personas[persona]).get(f"/cases/{issued.pk}/")
    assert response.status_code == expected_view_status(persona)
    if response.status_code != 200:
        return
    body = response.content.decode()
    assert 'data-flag="reassessment-appeal-rights"' in body and "s.51(2)(d)" in body
    assert "by <strong>19 March 2026</strong> (SEND Regulations 2014 reg 33)" in body
    assert "The appeal is due by <strong>19 March 2026</strong>" in body
    assert "Reasons: Needs unchanged since the review" in body and "Open re-assessment" not in body


def test_appeal_rights_leave_the_page_once_the_time_to_appeal_has_passed(personas, issued):
    import time_machine

    request(issued, personas["coordinator"])
    decide(issued, personas["coordinator"], decision="refuse", reasons="Needs unchanged")
    with time_machine.travel(datetime.datetime(2026, 3, 20, 12, 0), tick=False):
        response = client_for(personas["coordinator"]).get(f"/cases/{issued.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-flag="reassessment-appeal-rights"' not in body
    assert "Appealable to the SEND Tribunal: mediation adviser by 19 Mar 2026, appeal by 19 Mar 2026" in body


@pytest.mark.parametrize("persona", sorted(ALL))
def test_the_review_after_the_reassessed_plan(persona, personas, issued):
    actor = personas["coordinator"]
    request(issued, actor)
    decide(issued, actor)
    issue(issued, actor)
    response = client_for(personas[persona]).get(f"/cases/{issued.pk}/")
    assert response.status_code == expected_view_status(persona)
    if response.status_code != 200:
        return
    body = response.content.decode()
    assert 'data-flag="review-after-reassessment"' in body and "<strong>1 February 2027</strong>" in body
    assert "Next annual review decision (12 months from the plan after re-assessment)" in body  # deadlines table
    assert "Open re-assessment" not in body and "Issued 2 Feb 2026" in body


@pytest.mark.parametrize("persona", sorted(ALL))
def test_versions_page_names_the_plan_after_reassessment(persona, personas, issued):
    actor = personas["coordinator"]
    request(issued, actor)
    decide(issued, actor)
    issue(issued, actor)
    response = client_for(personas[persona]).get(f"/cases/{issued.pk}/plan/versions/")
    assert response.status_code == expected_view_status(persona)
    if response.status_code == 200:
        assert "Plan after re-assessment" in response.content.decode()


def test_decision_page_says_when_the_last_assessment_was_under_6_months_before(personas, issued):
    """Plan issued 28 April 2025: a request on 1 October 2025 is within 6 months (the council may refuse, reg 24);
    one on 5 January 2026 is not."""
    actor = personas["coordinator"]
    client = client_for(actor)
    request(issued, actor, requested_on=d(2025, 10, 1))
    body = client.get(_urls(issued)["reassess-decide"]).content.decode()
    assert "issued on 28 April 2025, less than 6 months before this request" in body and "reg 24" in body
    decide(issued, actor, decision="refuse", decision_on=d(2025, 10, 6), reasons="Assessed 6 months ago")
    request(issued, actor, requested_on=d(2026, 1, 5))
    item = Reassessment.objects.order_by("-pk").first()
    body = client.get(f"/cases/{issued.pk}/reassess-decide/{item.pk}/").content.decode()
    assert "less than 6 months" not in body


def test_a_reassessed_plan_counts_as_the_last_assessment(personas, issued):
    actor = personas["coordinator"]
    request(issued, actor, requested_on=d(2025, 6, 2))
    decide(issued, actor, decision_on=d(2025, 6, 3))
    issue(issued, actor, plan_issued_on=d(2025, 9, 1))
    request(issued, actor, requested_on=d(2026, 1, 5))
    item = Reassessment.objects.order_by("-pk").first()
    body = client_for(actor).get(f"/cases/{issued.pk}/reassess-decide/{item.pk}/").content.decode()
    assert "issued on 1 September 2025, less than 6 months before this request" in body
