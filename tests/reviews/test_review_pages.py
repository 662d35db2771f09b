"""Review pages: persona access for every new page and step, the case page section, versions, query counts."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ehcflow.reviews.models import AnnualReview
from tests.conftest import fresh, token
from tests.reviews.conftest import arrange, finalise, meeting, open_amendment, open_review, report, through_decision
from tests.test_access import ALL, CHANGES_CASE, NOT_STAFF, client_for, expected_view_status

d = datetime.date


def date_fields(name, value):
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}


def step_expected(persona: str) -> int:
    return 200 if persona in CHANGES_CASE else 403 if persona in NOT_STAFF | {"leader"} else 404


@pytest.fixture
def amending(issued, personas):
    """A plan with a decided review and an open amendment."""
    return through_decision(issued, personas["coordinator"])


@pytest.mark.parametrize("persona", sorted(ALL))
def test_versions_page(persona, personas, amending):
    finalise(amending, personas["coordinator"])
    response = client_for(personas[persona]).get(f"/cases/{amending.pk}/plan/versions/?from=1&to=2")
    assert response.status_code == expected_view_status(persona)
    if response.status_code == 200:
        body = response.content.decode()
        assert "What changed from version 1" in body
    else:
        assert "Testerby" not in response.content.decode()


@pytest.mark.parametrize("persona", sorted(ALL))
def test_case_page_with_reviews(persona, personas, amending):
    response = client_for(personas[persona]).get(f"/cases/{amending.pk}/")
    assert response.status_code == expected_view_status(persona)
    if response.status_code == 200:
        body = response.content.decode()
        assert "Annual reviews" in body and "Year 4" in body
        offered = "Record the family&#x27;s views on the proposed amendments" in body or \
            "Record the family's views on the proposed amendments" in body
        assert offered == (persona in CHANGES_CASE)


def _step_urls(case):
    case = fresh(case)
    review, amendment = AnnualReview.objects.filter(plan=case.plan).first(), open_amendment(case)
    return {
        "review-arrange": f"/cases/{case.pk}/review-arrange/{case.plan.pk}/",
        "review-invitations": f"/cases/{case.pk}/review-invitations/{review.pk}/",
        "review-meeting": f"/cases/{case.pk}/review-meeting/{review.pk}/",
        "review-report": f"/cases/{case.pk}/review-report/{review.pk}/",
        "review-decision": f"/cases/{case.pk}/review-decision/{review.pk}/",
        "amendment-representations": f"/cases/{case.pk}/amendment-representations/{amendment.pk}/" if amendment
        else None,
        "amendment-finalise": f"/cases/{case.pk}/amendment-finalise/{amendment.pk}/" if amendment else None,
        "plan-sections": f"/cases/{case.pk}/plan-sections/",
        "need": f"/cases/{case.pk}/need/",
    }


@pytest.mark.parametrize("persona", sorted(ALL))
def test_every_review_step_page_applies_the_same_rule(persona, personas, amending):
    """With an amendment open its steps and the plan steps are offered; the finished review's are refused."""
    client = client_for(personas[persona])
    expected = step_expected(persona)
    open_now = {"amendment-representations", "amendment-finalise", "plan-sections", "need"}
    for slug, url in _step_urls(amending).items():
        response = client.get(url)
        if expected == 200:
            want = 200 if slug in open_now else 409
            assert response.status_code == want, (slug, response.status_code)
            if want == 409:
                assert "not possible" in response.content.decode()
        else:
            assert response.status_code == expected, (slug, response.status_code)


@pytest.mark.parametrize("persona", sorted(ALL - CHANGES_CASE))
def test_it_denies_a_review_step_to(persona, personas, issued):
    response = client_for(personas[persona]).post(f"/cases/{issued.pk}/review-arrange/{fresh(issued).plan.pk}/", {
        "version": fresh(issued).version, "token": str(uuid.uuid4()), "arranged_by": "la",
        **date_fields("meeting_on", d(2025, 11, 3))})
    assert response.status_code in (403, 404)
    assert not AnnualReview.objects.exists()


def test_a_target_of_another_case_is_not_found(personas, issued, case):
    arrange(issued, personas["coordinator"])
    review = open_review(issued)
    other = fresh(case).__class__.objects.exclude(pk=issued.pk).first()
    response = client_for(personas["manager"]).get(f"/cases/{other.pk}/review-meeting/{review.pk}/")
    assert response.status_code in (404, 409)


def test_arrange_through_the_page_then_decision_is_refused_before_the_meeting(personas, issued):
    client = client_for(personas["coordinator"])
    case = fresh(issued)
    response = client.post(f"/cases/{case.pk}/review-arrange/{case.plan.pk}/", {
        "version": case.version, "token": str(uuid.uuid4()), "arranged_by": "school",
        **date_fields("meeting_on", d(2026, 3, 2))})  # in the future: allowed for a meeting
    assert response.status_code == 302
    review = open_review(issued)
    assert review.arranged_by == "school" and review.meeting_on == d(2026, 3, 2)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Record the review meeting held" in page and "Arrange the annual review" not in page
    refused = client.get(f"/cases/{case.pk}/review-decision/{review.pk}/")
    assert refused.status_code == 409 and "after the review meeting has been held" in refused.content.decode()
    before = fresh(issued).version
    response = client.post(f"/cases/{case.pk}/review-invitations/{review.pk}/", {
        "version": before, "token": str(uuid.uuid4()), **date_fields("sent_on", d(2026, 2, 3))})
    assert response.status_code == 400 and "today or in the past" in response.content.decode()
    assert fresh(issued).version == before and open_review(issued).invitations_sent_on is None


def test_versions_page_shows_changes_section_by_section(personas, amending):
    from ehcflow.plans import services as plan_services

    actor = personas["coordinator"]
    case = fresh(amending)
    plan_services.plan_sections_update(actor=actor, case=case, version=case.version, token=token(),
                                       section_k="Speech and language therapy report, November 2025")
    case = fresh(amending)
    plan_services.need_add(actor=actor, case=case, version=case.version, token=token(), area="communication",
                           need_type="SLCN", rank=2, description="Expressive language delay")
    finalise(amending, actor)
    body = client_for(actor).get(f"/cases/{amending.pk}/plan/versions/").content.decode()  # defaults to the last two
    assert 'data-section="K"' in body and "Speech and language therapy report, November 2025" in body
    assert "Expressive language delay" in body and 'data-change="added"' in body
    plan_page = client_for(actor).get(f"/cases/{amending.pk}/plan/").content.decode()
    assert "Versions of this plan (2)" in plan_page
    bad = client_for(actor).get(f"/cases/{amending.pk}/plan/versions/?from=1&to=9")
    assert bad.status_code == 200 and "Choose two versions" in bad.content.decode()


def test_under5_flag_on_the_review_section(personas, case, school, at_today):
    from ehcflow.people.models import Child
    from tests.conftest import advance

    Child.objects.filter(pk=case.child_id).update(date_of_birth=d(2022, 3, 1))
    issued = advance(case, personas["coordinator"], "plan_issued", school=school)
    with __import__("time_machine").travel(datetime.datetime(2025, 6, 2, 12), tick=False):
        body = client_for(personas["coordinator"]).get(f"/cases/{issued.pk}/").content.decode()
    assert 'data-flag="under5"' in body and "28 October 2025" in body


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_case_and_versions_pages_queries_do_not_grow(personas, issued):
    actor = personas["coordinator"]
    client = client_for(actor)
    through_decision(issued, actor)
    finalise(issued, actor, completed_on=d(2025, 12, 20))
    small = count_queries(client, f"/cases/{issued.pk}/")
    small_versions = count_queries(client, f"/cases/{issued.pk}/plan/versions/?from=1&to=2")
    for year in (2026, 2027):
        arrange(issued, actor, meeting_on=d(year, 1, 5) if year == 2026 else d(2026, 1, 12))
        meeting(issued, actor, held_on=d(year, 1, 5) if year == 2026 else d(2026, 1, 12))
        report(issued, actor, received_on=d(2026, 1, 13))
        from tests.reviews.conftest import decide

        decide(issued, actor, decision_on=d(2026, 1, 14))
        finalise(issued, actor, completed_on=d(2026, 1, 29 if year == 2026 else 30))
    assert AnnualReview.objects.filter(plan__case=issued).count() == 3
    assert count_queries(client, f"/cases/{issued.pk}/") == small
    assert count_queries(client, f"/cases/{issued.pk}/plan/versions/?from=1&to=2") == small_versions
    assert small <= 28
