"""Move pages: persona access for the transfer-in page and the new steps, and each page's bad input refused."""

import datetime
import uuid

import pytest

from ehcflow.cases.models import Case
from ehcflow.moves.models import LaTransfer
from ehcflow.people.models import Carer, Child
from ehcflow.plans.models import PlanVersion
from tests.ceasing.conftest import at_today, issued  # noqa: F401  (fixtures)
from tests.conftest import fresh
from tests.moves.test_moves_services import move_in, move_out, sent
from tests.reviews.test_review_pages import date_fields, step_expected
from tests.test_access import ALL, CHANGES_CASE, client_for, expected_view_status

d = datetime.date
MAKES_CASES = CHANGES_CASE | {"other_team_coordinator", "other_manager"}  # has_change_role


def move_in_post(token: str, **overrides) -> dict:
    """A whole plan received from Lambeth, as the page posts it."""
    data = {
        "version": "", "token": token, "first_name": "Casey", "last_name": "Mover",
        **date_fields("date_of_birth", d(2015, 5, 5)), "sex": "F", "upn": "C123456789012", "looked_after": "False",
        "postcode": "SG14 1AA",
        "carer1_first_name": "Jo", "carer1_last_name": "Mover", "carer1_relationship": "Mother",
        "carer1_email": "jo@example.com", "carer1_address": "1 New Street, Hertford",
        "other_la_code": "208", "other_la_name": "Lambeth", **date_fields("learnt_on", d(2026, 1, 5)),
        **date_fields("transferred_on", d(2026, 1, 12)), **date_fields("plan_issued_on", d(2023, 6, 1)),
        **date_fields("plan_or_last_review_on", d(2025, 5, 20)), "setting_type": "Mainstream primary school",
        "need1_area": "communication", "need1_need_type": "SLCN",
        "need1_description": "Casey has a severe expressive language disorder.",
        "need2_area": "cognition", "need2_need_type": "SPLD", "need2_description": "Casey has dyslexia.",
        "section_a_views": "Casey loves trains.", "section_g": "Speech therapy from the community trust",
        "outcome1_area": "communication", "outcome1_text": "Casey will use five-word sentences in class",
        "outcome1_by_when": "July 2026",
        "provision1_area": "communication", "provision1_support": "Speech and language therapy programme",
        "provision1_provider": "Speech and language therapist", "provision1_frequency": "Once a week",
        "provision1_duration": "45 minutes", "provision1_needs": ["1"], "provision1_outcomes": ["1"],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def nothing_recorded() -> bool:
    return not Child.objects.filter(first_name="Casey").exists() and not Carer.objects.filter(first_name="Jo") \
        .exists() and not LaTransfer.objects.exists() and not PlanVersion.objects.exists()


@pytest.mark.parametrize("persona", sorted(ALL))
def test_recording_a_transfer_in(persona, personas, at_today):  # noqa: F811
    response = client_for(personas[persona]).post("/moves/in/", move_in_post(str(uuid.uuid4())))
    if persona in MAKES_CASES:
        assert response.status_code == 302, response.content.decode()[:2000]
        case = Case.objects.get(child__first_name="Casey")
        assert response["Location"] == f"/cases/{case.pk}/"
    else:
        assert response.status_code == 403
        assert nothing_recorded()


def test_transfer_in_through_the_page_shows_the_plan_as_received(personas, at_today, school):  # noqa: F811
    client = client_for(personas["coordinator"])
    token = str(client.get("/moves/in/").context["form"].initial["token"])
    response = client.post("/moves/in/", move_in_post(token, named_setting=str(school.pk), setting_type=""))
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get(child__first_name="Casey")
    page = client.get(response["Location"]).content.decode()
    assert "Moved in from another council" in page and "Lambeth (208)" in page
    assert "23 Feb 2026" in page and "19 May 2026" in page  # reg 15(4); reg 15(5)
    assert "Jo Mover" in page and "Oakfield Primary School" in page
    assert "Record the family told about the transfer" in page
    plan_page = client.get(f"/cases/{case.pk}/plan/").content.decode()
    for text in ("severe expressive language disorder", "dyslexia", "Casey loves trains",
                 "Speech and language therapy programme", "five-word sentences", "Oakfield Primary School"):
        assert text in plan_page, text
    versions = client.get(f"/cases/{case.pk}/plan/versions/").content.decode()
    assert "Plan as transferred in from another council" in versions
    resent = client.post("/moves/in/", move_in_post(token))  # a double click records once
    assert resent.status_code == 302 and Case.objects.filter(child__first_name="Casey").count() == 1


@pytest.mark.parametrize(("overrides", "message"), [
    ({**date_fields("learnt_on", d(2026, 1, 13))}, "on or after the date this council learnt of the move"),
    ({**date_fields("transferred_on", d(2026, 3, 1))}, "must be today or in the past"),
    ({**date_fields("plan_or_last_review_on", d(2026, 1, 20))}, "The last review must be before the transfer"),
    ({"need1_area": "", "need1_need_type": "", "need1_description": ""}, "Select the SEN2 need type"),
    ({"setting_type": ""}, "Give the school or setting named in section I"),
    ({"carer1_first_name": "", "carer1_last_name": ""}, "reg 15(4)"),
    ({"provision1_needs": None}, "Choose a need of this plan"),
    ({"outcome1_text": ""}, "Enter the outcome as section E states it"),
    ({"upn": "", "upn_unknown_reason": ""}, "Give the UPN or ULN"),
])
def test_bad_transfer_in_through_the_page(personas, at_today, overrides, message):  # noqa: F811
    response = client_for(personas["coordinator"]).post("/moves/in/", move_in_post(str(uuid.uuid4()), **overrides))
    body = response.content.decode()
    assert response.status_code == 400 and message in body and "There is a problem" in body
    assert nothing_recorded()


def _step_url(case, slug):
    case = fresh(case)
    return f"/cases/{case.pk}/{slug}/{case.plan.pk}/"


@pytest.mark.parametrize("slug", ["move-cancel", "move-health-notice"])
@pytest.mark.parametrize("persona", sorted(ALL))
def test_new_move_step_pages(persona, slug, personas, issued):  # noqa: F811
    client = client_for(personas[persona])
    expected = step_expected(persona)
    if expected == 200:  # nothing to cancel or notify before a move is recorded
        assert client.get(_step_url(issued, slug)).status_code == 409
    move_out(issued, personas["coordinator"])
    assert client.get(_step_url(issued, slug)).status_code == expected


@pytest.mark.parametrize("persona", sorted(ALL - CHANGES_CASE))
def test_it_denies_cancelling_a_move_to(persona, personas, issued):  # noqa: F811
    move_out(issued, personas["coordinator"])
    case = fresh(issued)
    response = client_for(personas[persona]).post(_step_url(case, "move-cancel"), {
        "version": case.version, "token": str(uuid.uuid4()), "reason": "Not moving",
        **date_fields("cancelled_on", d(2026, 1, 5))})
    assert response.status_code in (403, 404)
    assert LaTransfer.objects.get().is_open


@pytest.mark.parametrize("persona", sorted(ALL - CHANGES_CASE))
def test_it_denies_recording_the_health_notice_to(persona, personas, issued):  # noqa: F811
    move_out(issued, personas["coordinator"])
    case = fresh(issued)
    response = client_for(personas[persona]).post(_step_url(case, "move-health-notice"), {
        "version": case.version, "token": str(uuid.uuid4()), "health_body_changes": "yes",
        **date_fields("notified_on", d(2025, 12, 19))})
    assert response.status_code in (403, 404)
    assert LaTransfer.objects.get().health_notified_on is None


@pytest.mark.parametrize("persona", sorted(ALL))
def test_case_page_offers_the_new_steps_to_those_who_may(persona, personas, issued):  # noqa: F811
    move_out(issued, personas["coordinator"])
    response = client_for(personas[persona]).get(f"/cases/{issued.pk}/")
    assert response.status_code == expected_view_status(persona)
    if response.status_code == 200:
        body = response.content.decode()
        assert "Health commissioning body told (reg 16)" in body
        assert "Not yet (not known whether the body changes)" in body
        for title in ("Cancel the move: the family is not moving",
                      "Record the notice to the new health commissioning body"):
            assert (title in body) == (persona in CHANGES_CASE), title


def test_cancel_through_the_page(personas, issued):  # noqa: F811
    client = client_for(personas["coordinator"])
    move_out(issued, personas["coordinator"])
    case = fresh(issued)
    url = _step_url(case, "move-cancel")
    response = client.post(url, {"version": case.version, "token": str(uuid.uuid4()), "reason": "",
                                 **date_fields("cancelled_on", d(2025, 12, 1))})
    assert response.status_code == 400 and "Enter why the move is not going ahead" in response.content.decode()
    assert LaTransfer.objects.get().is_open
    response = client.post(url, {"version": case.version, "token": str(uuid.uuid4()),
                                 "reason": "The family's new tenancy fell through",
                                 **date_fields("cancelled_on", d(2025, 12, 1))})
    assert response.status_code == 400 and "learnt of the move (15 December 2025)" in response.content.decode()
    response = client.post(url, {"version": case.version, "token": str(uuid.uuid4()),
                                 "reason": "The family's new tenancy fell through",
                                 **date_fields("cancelled_on", d(2026, 1, 5))})
    assert response.status_code == 302
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Cancelled" in page and "new tenancy fell through" in page
    assert 'data-deadline="plan_transfer"' not in page and 'data-deadline="health_body_notice"' not in page
    assert "Record a move to another council" in page and "Cancel the move" not in page


def test_cancel_page_refused_once_the_plan_is_sent(personas, issued):  # noqa: F811
    actor = personas["coordinator"]
    move_out(issued, actor)
    sent(issued, actor)
    response = client_for(actor).get(_step_url(issued, "move-cancel"))
    assert response.status_code == 409 and "Plan ceased" in response.content.decode()


def test_health_notice_through_the_page(personas, issued):  # noqa: F811
    client = client_for(personas["coordinator"])
    move_out(issued, personas["coordinator"])
    case = fresh(issued)
    url = _step_url(case, "move-health-notice")
    response = client.post(url, {"version": case.version, "token": str(uuid.uuid4()), "health_body_changes": "yes"})
    assert response.status_code == 400
    assert "Enter the date the new health commissioning body was told" in response.content.decode()
    response = client.post(url, {"version": case.version, "token": str(uuid.uuid4()), "health_body_changes": "yes",
                                 **date_fields("notified_on", d(2025, 12, 19))})
    assert response.status_code == 302
    assert LaTransfer.objects.get().health_notified_on == d(2025, 12, 19)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "19 Dec 2025" in page and "Record the notice to the new health commissioning body" not in page


def test_plan_sent_page_asks_for_the_health_notice_only_while_it_is_awaited(personas, issued):  # noqa: F811
    actor = personas["coordinator"]
    client = client_for(actor)
    transfer = move_out(issued, actor)
    url = f"/cases/{issued.pk}/move-out-sent/{transfer.pk}/"
    assert "id_health_notified_on" in client.get(url).content.decode()
    LaTransfer.objects.filter(pk=transfer.pk).update(health_body_changes=False)
    assert "id_health_notified_on" not in client.get(url).content.decode()


def test_family_told_through_the_page(personas, at_today):  # noqa: F811
    actor = personas["coordinator"]
    case = move_in(actor)
    transfer = LaTransfer.objects.get(plan__case=case)
    client = client_for(actor)
    url = f"/cases/{case.pk}/move-in-notified/{transfer.pk}/"
    assert "By 19 May 2026" in client.get(url).content.decode()  # reg 15(5), as the hint
    base = {"version": fresh(case).version, "token": str(uuid.uuid4()), **date_fields("notified_on", d(2026, 1, 20)),
            **date_fields("review_proposed_on", d(2026, 5, 20))}
    response = client.post(url, base)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Select whether the notice said the council proposes to make an EHC needs assessment" in body
    response = client.post(url, {**base, "will_assess": "no"})
    assert response.status_code == 400 and "The review must be held by 19 May 2026" in response.content.decode()
    assert LaTransfer.objects.get().family_notified_on is None
    response = client.post(url, {**base, "will_assess": "no", **date_fields("review_proposed_on", d(2026, 5, 12))})
    assert response.status_code == 302
    row = LaTransfer.objects.get()
    assert (row.family_notified_on, row.will_assess, row.review_proposed_on) == (d(2026, 1, 20), False,
                                                                                 d(2026, 5, 12))
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Does not propose to assess; review proposed for 12 May 2026" in page
