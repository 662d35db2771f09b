"""The proposals pages, as each persona: who may ask for, see, approve and discard proposals, transfer cohorts,
propose the team changes circumstances call for, and post the letters to families."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ehcflow.cases.models import Case
from ehcflow.people.models import Carer, CarerLink, Child
from ehcflow.teams import proposals
from ehcflow.teams.models import FamilyNotice, Proposal
from tests.reminders.conftest import smtp  # noqa: F401  (a real SMTP server on 127.0.0.1)
from tests.teams.test_proposals import _today, a_child, changed, county, drifted, held, looked_after  # noqa: F401

LIST = reverse("proposal_list")
REBALANCE = reverse("proposal_rebalance")
COHORT = reverse("proposal_cohort")
CIRCUMSTANCES = reverse("proposal_circumstances")
LETTERS = reverse("family_letters")


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def as_(client, user):
    client.force_login(user)
    return client


def detail(p) -> str:
    return reverse("proposal_detail", args=[p.pk])


@pytest.fixture
def proposal(drifted):
    return proposals.proposal_rebalance(actor=drifted.people["manager"], team=drifted.north)


# --- The list and asking for a rebalance --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["manager", "other_manager", "leader", "administrator", "other_council_leader"])
def test_managers_and_leaders_see_the_proposals_page(client, drifted, persona):
    response = as_(client, drifted.people[persona]).get(LIST)
    assert response.status_code == 200
    assert b"Propose a rebalance" in response.content


@pytest.mark.parametrize("persona", ["coordinator", "team_colleague", "parent", "other_parent", "professional"])
def test_it_denies_those_who_manage_no_team(client, drifted, persona):
    assert as_(client, drifted.people[persona]).get(LIST).status_code == 403


def test_it_sends_the_signed_out_to_sign_in(client, drifted):
    response = client.get(LIST)
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_a_manager_rebalances_their_team_and_sees_the_preview(client, drifted):
    p = drifted.people
    c = as_(client, p["manager"])
    page = c.get(LIST).content.decode()
    assert "North area team" in page and "Every team" not in page and "South area team" not in page
    response = c.post(REBALANCE, {"team": drifted.north.pk, "reason": "Test Coordinator is over target"})
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(proposal)
    page = c.get(detail(proposal)).content.decode()
    assert "3 moves</strong> against a lower bound of 3 (optimal for the cost: min-cost flow)" in page
    for m in proposal.moves.select_related("child"):
        assert f'data-move="{m.child_id}"' in page and m.child.full_name in page
    assert "Their coordinator is above target" in page
    assert 'data-coordinator="%d" data-team="%d"' % (p["coordinator"].pk, drifted.north.pk) in page
    assert "Approve and move 3 children" in page and "Test Coordinator is over target" in page
    assert drifted.plain[0].coordinator == p["coordinator"]  # nothing moved
    assert set(Child.objects.values_list("coordinator_id", flat=True)) == {p["coordinator"].pk,
                                                                           p["team_colleague"].pk}


def test_a_manager_cannot_rebalance_another_team_or_every_team(client, drifted):
    c = as_(client, drifted.people["other_manager"])
    assert c.post(REBALANCE, {"team": drifted.north.pk}).status_code == 400
    c = as_(client, drifted.people["manager"])
    response = c.post(REBALANCE, {"team": "all"})
    assert response.status_code == 400 and b"There is a problem" in response.content
    assert not Proposal.objects.exists()


def test_a_leader_rebalances_every_team(client, drifted):
    response = as_(client, drifted.people["leader"]).post(REBALANCE, {"team": "all"})
    assert response.status_code == 302 and Proposal.objects.get().team is None


@pytest.mark.parametrize("persona", ["coordinator", "parent"])
def test_it_denies_a_rebalance_to_others(client, drifted, persona):
    assert as_(client, drifted.people[persona]).post(REBALANCE, {"team": drifted.north.pk}).status_code == 403
    assert not Proposal.objects.exists()


# --- Seeing and deciding a proposal -------------------------------------------------------------------------------


def test_the_list_shows_only_the_proposals_the_user_may_decide(client, drifted, proposal):
    row = f'data-proposal="{proposal.pk}"'
    assert row in as_(client, drifted.people["manager"]).get(LIST).content.decode()
    assert row in as_(client, drifted.people["leader"]).get(LIST).content.decode()
    assert row not in as_(client, drifted.people["other_manager"]).get(LIST).content.decode()
    assert row not in as_(client, drifted.people["other_council_leader"]).get(LIST).content.decode()


@pytest.mark.parametrize(("persona", "status"), [
    ("manager", 200), ("leader", 200), ("administrator", 200), ("other_manager", 404), ("coordinator", 404),
    ("team_colleague", 404), ("other_council_leader", 404), ("parent", 403), ("professional", 403)])
def test_who_sees_a_teams_proposal(client, drifted, proposal, persona, status):
    assert as_(client, drifted.people[persona]).get(detail(proposal)).status_code == status


def test_the_manager_approves_and_everyone_moves(client, drifted, proposal, django_capture_on_commit_callbacks):
    p = drifted.people
    c = as_(client, p["manager"])
    moved = list(proposal.moves.values_list("child_id", flat=True))
    with django_capture_on_commit_callbacks(execute=False):
        response = c.post(reverse("proposal_approve", args=[proposal.pk]))
    assert response.status_code == 302 and response["Location"] == detail(proposal)
    page = c.get(detail(proposal)).content.decode()
    assert "3 children moved" in page and "Approved and applied" in page and "Approve and move" not in page
    assert {held(Child.objects.get(pk=pk))[1] for pk in moved} == {p["team_colleague"].pk}


def test_a_family_sees_who_their_new_coordinator_is(client, drifted, proposal, smtp,
                                                     django_capture_on_commit_callbacks):
    """The case page shows staff the coordinator's contact details and that the family was told."""
    p = drifted.people
    child_id = proposal.moves.first().child_id
    c = as_(client, p["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        c.post(reverse("proposal_approve", args=[proposal.pk]))
    message = [m for m in smtp.messages if Child.objects.get(pk=child_id).full_name in m["Subject"]][0]
    assert "Test Colleague" in smtp.body(message) and "colleague@testshire.gov.uk" in smtp.body(message)
    case = Case.objects.get(child_id=child_id)
    page = c.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert 'href="mailto:colleague@testshire.gov.uk"' in page and "01422 100301" in page
    assert "north.send@testshire.gov.uk" in page and "01422 100200" in page
    assert "EHC coordinator changed from Test Coordinator (North area team) to Test Colleague" in page
    assert "Family told of their new coordinator, Test Colleague (by email to Sam Testerby)" in page


@pytest.mark.parametrize("persona", ["other_manager", "coordinator", "other_council_leader"])
def test_it_denies_approving_or_discarding_to_others(client, drifted, proposal, persona):
    c = as_(client, drifted.people[persona])
    assert c.post(reverse("proposal_approve", args=[proposal.pk])).status_code == 404
    assert c.post(reverse("proposal_discard", args=[proposal.pk])).status_code == 404
    assert Proposal.objects.get(pk=proposal.pk).status == "proposed"


def test_approving_and_discarding_are_posts_only(client, drifted, proposal):
    c = as_(client, drifted.people["manager"])
    assert c.get(reverse("proposal_approve", args=[proposal.pk])).status_code == 405
    assert c.get(reverse("proposal_discard", args=[proposal.pk])).status_code == 405
    assert Proposal.objects.get(pk=proposal.pk).status == "proposed"


def test_discarding_moves_nobody(client, drifted, proposal):
    c = as_(client, drifted.people["manager"])
    before = sorted(Child.objects.values_list("pk", "coordinator_id"))
    c.post(reverse("proposal_discard", args=[proposal.pk]))
    page = c.get(detail(proposal)).content.decode()
    assert "Proposal discarded. Nobody moved." in page and "Approve and move" not in page
    assert sorted(Child.objects.values_list("pk", "coordinator_id")) == before


def test_an_out_of_date_proposal_is_refused_with_the_reason(client, drifted, proposal):
    p = drifted.people
    moving = Child.objects.get(pk=proposal.moves.first().child_id)
    Child.objects.filter(pk=moving.pk).update(coordinator=p["team_colleague"])
    c = as_(client, p["manager"])
    c.post(reverse("proposal_approve", args=[proposal.pk]))
    page = c.get(detail(proposal)).content.decode()
    assert "this proposal is out of date" in page
    assert f"{moving.full_name} is no longer held by Test Coordinator (North area team)" in page
    assert not FamilyNotice.objects.exists()


# --- Cohorts ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), [
    ("leader", 200), ("administrator", 200), ("manager", 403), ("coordinator", 403), ("parent", 403),
    ("other_parent", 403), ("professional", 403)])
def test_who_may_transfer_a_cohort(client, looked_after, persona, status):
    assert as_(client, looked_after.people[persona]).get(COHORT).status_code == status
    assert as_(client, looked_after.people[persona]).post(COHORT, {}).status_code == (400 if status == 200
                                                                                        else status)


def test_a_leader_previews_and_approves_a_cohort_transfer(client, looked_after):
    w, p = looked_after, looked_after.people
    c = as_(client, p["leader"])
    response = c.post(COHORT, {"sources": [w.north.pk, w.south.pk], "destination": w.virtual.pk, "cohort": "rule",
                               "looked_after": "any", "reason": "Looked-after children move to the Virtual School"})
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(proposal)
    page = c.get(detail(proposal)).content.decode()
    assert "4 children</strong> move" in page
    for child in (w.ana, w.bo, w.cy, w.di):
        assert f'data-move="{child.pk}"' in page
    assert f'data-move="{w.ed.pk}"' not in page and "Val Stone" in page and "Vic Shaw" in page
    c.post(reverse("proposal_approve", args=[proposal.pk]))
    assert {held(ch)[0] for ch in (w.ana, w.bo, w.cy, w.di)} == {w.virtual.pk}


def test_a_bad_cohort_is_refused_with_clear_messages(client, looked_after):
    w = looked_after
    c = as_(client, w.people["leader"])
    response = c.post(COHORT, {"sources": [w.north.pk], "destination": w.north.pk, "cohort": "filter",
                               "looked_after": "any", "min_age": "12", "max_age": "9", "districts": "HX1 1AA",
                               "reason": "Test"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Oldest age must be the same as or more than the youngest age" in page
    assert "Enter postcode districts only" in page
    response = c.post(COHORT, {"sources": [w.north.pk], "destination": w.north.pk, "cohort": "rule",
                               "looked_after": "any", "reason": "Test"})
    assert response.status_code == 400 and "not one of the teams they leave" in response.content.decode()
    assert not Proposal.objects.exists()


# --- Circumstances ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), [
    ("leader", 200), ("administrator", 200), ("manager", 403), ("other_manager", 403), ("coordinator", 403),
    ("parent", 403), ("professional", 403)])
def test_who_sees_changes_of_circumstances(client, changed, persona, status):
    assert as_(client, changed.people[persona]).get(CIRCUMSTANCES).status_code == status


def test_circumstances_are_listed_by_from_and_to_and_proposed(client, changed):
    w = changed
    c = as_(client, w.people["leader"])
    page = c.get(CIRCUMSTANCES).content.decode()
    assert "From North area team to Virtual School: 1 child" in page and "Became looked after" in page
    assert "Moved to HX2" in page and "Now in the age group 16" in page and "Ali Testerby" not in page
    response = c.post(CIRCUMSTANCES, {"groups": [f"{w.north.pk}-{w.virtual.pk}"]})
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and proposal.kind == "circumstances"
    assert list(proposal.moves.values_list("child_id", flat=True)) == [w.bea.pk]
    assert c.post(CIRCUMSTANCES, {}).status_code == 400


def test_the_circumstances_page_takes_the_same_queries_however_many_children(client, changed):
    p = changed.people
    c = as_(client, p["leader"])
    c.get(CIRCUMSTANCES)
    with CaptureQueriesContext(connection) as few:
        c.get(CIRCUMSTANCES)
    for name in ("Eli", "Fay", "Gem", "Hu"):
        child = a_child(changed, p["coordinator"], name)
        Child.objects.filter(pk=child.pk).update(looked_after=name != "Hu", postcode="HX2 1AA" if name == "Hu"
                                                 else "HX1 1AA")
    with CaptureQueriesContext(connection) as more:
        page = c.get(CIRCUMSTANCES).content.decode()
    assert "7 children in 3 groups" in page
    assert len(more.captured_queries) == len(few.captured_queries)


# --- Letters ------------------------------------------------------------------------------------------------------


@pytest.fixture
def a_letter(drifted, proposal):
    """Robin, who has parental responsibility and no email, is written to about each moved child."""
    robin = Carer.objects.create(la=drifted.la, first_name="Robin", last_name="Parent", address="1 Mill Lane\nHX1 1AA")
    for pk in proposal.moves.values_list("child_id", flat=True):
        CarerLink.objects.create(la=drifted.la, child_id=pk, carer=robin)
    proposals.proposal_approve(actor=drifted.people["manager"], proposal=proposal)
    return FamilyNotice.objects.filter(channel="letter")


@pytest.mark.parametrize(("persona", "status", "letters"), [
    ("manager", 200, 3), ("leader", 200, 3), ("other_manager", 200, 0), ("coordinator", 403, 0), ("parent", 403, 0)])
def test_who_sees_the_letters_to_post(client, drifted, a_letter, persona, status, letters):
    response = as_(client, drifted.people[persona]).get(LETTERS)
    assert response.status_code == status
    assert response.content.decode().count('data-letter="') == letters


def test_letters_are_printed_and_recorded_as_posted(client, drifted, a_letter):
    c = as_(client, drifted.people["manager"])
    page = c.get(LETTERS).content.decode()
    assert "1 Mill Lane<br>HX1 1AA" in page and "Dear Robin Parent" in page
    first = a_letter.first()
    assert as_(client, drifted.people["other_manager"]).post(LETTERS, {"letters": [first.pk]}).status_code == 400
    c = as_(client, drifted.people["manager"])
    response = c.post(LETTERS, {"letters": [first.pk]})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.sent_by == drifted.people["manager"]
    page = c.get(LETTERS).content.decode()
    assert "1 letter recorded as posted." in page and page.count('data-letter="') == 2
    assert c.post(LETTERS, {}).status_code == 400
