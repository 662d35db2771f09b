"""Proposals through the services: rebalancing with the solver, cohort transfers and circumstance changes, each
shown before anything changes and applied all at once or not at all."""

import datetime
from types import SimpleNamespace
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ehcflow.accounts.models import User
from ehcflow.cases.models import Case, TimelineEvent
from ehcflow.core.errors import NotAllowed, StepRefused
from ehcflow.deadlines.models import CaseDeadline
from ehcflow.people.models import Carer, CarerLink, Child
from ehcflow.teams import proposals, selectors
from ehcflow.teams.models import Allocation, FamilyNotice, Proposal, Team
from tests.conftest import make_user, new_case

LONDON = ZoneInfo("Europe/London")
TODAY = datetime.date(2026, 3, 2)  # a Monday in the spring term: academic ages count from 31 August 2025
d = datetime.date


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def county(la, personas, teams):
    """Area teams by postcode district, the Virtual School (looked after) and a post-16 team before them.

    North and South: target 5, maximum 6 per full-time coordinator. The Virtual School: target 4, maximum 5.
    """
    Team.objects.filter(pk=teams["north"].pk).update(postcode_districts="HX1", caseload_target=5, caseload_maximum=6,
                                                     email="north.send@testshire.gov.uk", phone="01422 100200")
    Team.objects.filter(pk=teams["south"].pk).update(postcode_districts="HX2", caseload_target=5, caseload_maximum=6)
    virtual = Team.objects.create(la=la, name="Virtual School", looked_after=True, priority=10, caseload_target=4,
                                  caseload_maximum=5)
    post16 = Team.objects.create(la=la, name="Post-16 team", min_age=16, priority=20, caseload_target=5,
                                 caseload_maximum=6)
    User.objects.filter(pk=personas["team_colleague"].pk).update(email="colleague@testshire.gov.uk",
                                                                 phone="01422 100301")
    people = dict(personas)
    people["vs1"] = make_user("vsone", la=la, role="coordinator", teams=[virtual], first="Val", last="Stone")
    people["vs2"] = make_user("vstwo", la=la, role="coordinator", teams=[virtual], first="Vic", last="Shaw")
    people["p16"] = make_user("psixteen", la=la, role="coordinator", teams=[post16], first="Pat", last="Senior")
    for t in teams.values():
        t.refresh_from_db()
    return SimpleNamespace(la=la, north=teams["north"], south=teams["south"], virtual=virtual, post16=post16,
                           people=people, n=0)


def a_child(county, coordinator, first, *, near=False, settled=True, carer=None, **details) -> Child:
    """A child with a request under way, held by `coordinator` (chosen when the request was recorded).

    near: received 5 weeks ago, so the decision whether to assess (6 weeks, reg 4(1)) is due within 14 days.
    settled: their allocation was made 200 days ago (else today: moved recently).
    """
    county.n += 1
    received = TODAY - datetime.timedelta(days=35 if near else 3)
    case = new_case(county.people["manager"], received_on=received, coordinator=coordinator, first_name=first,
                    upn=f"C{county.n:011d}0", **details)
    child = case.child
    if settled:
        Allocation.objects.filter(child=child).update(made_on=TODAY - datetime.timedelta(days=200))
    if carer is not None:
        CarerLink.objects.create(la=county.la, child=child, carer=carer)
    return child


def held(child: Child) -> tuple:
    child.refresh_from_db()
    return child.team_id, child.coordinator_id


def deadlines_snapshot() -> list:
    return (sorted(CaseDeadline.objects.values_list("case_id", "key", "ref", "due_on", "status", "label"))
            + sorted(Case.objects.values_list("pk", "next_deadline_key", "next_deadline_due")))


# --- Rebalancing -----------------------------------------------------------------------------------------------


@pytest.fixture
def drifted(county):
    """North: Test Coordinator holds 8 (target 5): 4 settled, 2 moved recently, 2 near a deadline; Test Colleague
    holds 2."""
    p = county.people
    c = p["coordinator"]
    county.plain = [a_child(county, c, name) for name in ("Ada", "Ben", "Cai", "Dot")]
    county.recent = [a_child(county, c, name, settled=False) for name in ("Eve", "Fin")]
    county.near = [a_child(county, c, name, near=True) for name in ("Gus", "Hal")]
    county.colleagues = [a_child(county, p["team_colleague"], name) for name in ("Ivy", "Jon")]
    return county


def test_rebalance_proposes_the_fewest_moves_of_settled_children_and_changes_nothing(drifted):
    p = drifted.people
    before = {c.pk: held(c) for c in Child.objects.all()}
    proposal = proposals.proposal_rebalance(actor=p["manager"], team=drifted.north)
    moves = list(proposal.moves.all())
    assert len(moves) == proposal.lower_bound == 3  # 8 held against a target of 5; room for 3 with the colleague
    assert {m.child_id for m in moves} < {c.pk for c in drifted.plain}
    assert {(m.from_coordinator_id, m.to_coordinator_id) for m in moves} == {(p["coordinator"].pk,
                                                                               p["team_colleague"].pk)}
    assert all(m.why == "their coordinator is above target" for m in moves)
    assert proposal.kind == "rebalance" and proposal.status == "proposed" and proposal.solver_ms is not None
    loads = {r["name"]: (r["target"], r["before"], r["after"]) for r in proposal.summary["caseloads"]}
    assert loads == {"Test Coordinator": (5, 8, 5), "Test Colleague": (5, 2, 5)}
    assert proposal.summary["over_target"] == [] and proposal.summary["gap"] == 0
    assert {c.pk: held(c) for c in Child.objects.all()} == before  # nothing changes until approved
    assert not Allocation.objects.filter(kind="rebalance").exists()


def test_approving_moves_every_child_logs_it_and_tells_the_family(drifted, django_capture_on_commit_callbacks):
    p = drifted.people
    proposal = proposals.proposal_rebalance(actor=p["manager"], team=drifted.north)
    moved_ids = set(proposal.moves.values_list("child_id", flat=True))
    deadlines = deadlines_snapshot()
    with django_capture_on_commit_callbacks(execute=False):
        assert proposals.proposal_approve(actor=p["manager"], proposal=proposal) == 3
    proposal.refresh_from_db()
    assert proposal.status == "applied" and proposal.decided_by == p["manager"]
    for child in Child.objects.filter(pk__in=moved_ids):
        assert (child.team, child.coordinator) == (drifted.north, p["team_colleague"])
        assert child.history.first().history_user == p["manager"]
    allocations = Allocation.objects.filter(proposal=proposal)
    assert {(a.kind, a.child_id, a.from_coordinator_id, a.made_by_id) for a in allocations} == {
        ("rebalance", pk, p["coordinator"].pk, p["manager"].pk) for pk in moved_ids}
    events = TimelineEvent.objects.filter(kind=proposals.MOVED_KIND)
    assert sorted(e.child_id for e in events) == sorted(moved_ids)  # one per active case
    assert {e.summary for e in events} == {"EHC coordinator changed from Test Coordinator (North area team) to "
                                           "Test Colleague (North area team): caseloads rebalanced"}
    notices = FamilyNotice.objects.filter(allocation__proposal=proposal)
    assert sorted(n.child_id for n in notices) == sorted(moved_ids) and {n.channel for n in notices} == {"email"}
    assert "Email: colleague@testshire.gov.uk" in notices[0].body
    assert deadlines_snapshot() == deadlines  # deadlines belong to the case, not to who holds it


def test_a_rebalance_keeps_brothers_and_sisters_together(county):
    p = county.people
    c = p["coordinator"]
    carer = Carer.objects.create(la=county.la, first_name="Max", last_name="Parent")
    twins = [a_child(county, c, name, carer=carer) for name in ("Kit", "Lou")]
    others = [a_child(county, c, name) for name in ("Mo", "Ned", "Oz", "Pip")]
    assert selectors.family_ids(la_id=county.la.pk) == {twins[0].pk: twins[0].pk, twins[1].pk: twins[0].pk}
    proposal = proposals.proposal_rebalance(actor=p["manager"], team=county.north)
    assert proposal.lower_bound == 1 and proposal.moves.count() == 1
    assert proposal.moves.get().child_id in {o.pk for o in others}


def test_a_team_short_of_capacity_says_who_stays_over_target(county):
    p = county.people
    for name in ("Ada", "Ben", "Cai", "Dot", "Eve", "Fin", "Gus", "Hal"):
        a_child(county, p["coordinator"], name)
    for name in ("Ivy", "Jon", "Kit", "Lou", "Mo"):
        a_child(county, p["team_colleague"], name)
    proposal = proposals.proposal_rebalance(actor=p["manager"], team=county.north)
    rows = {r["name"]: (r["before"], r["after"]) for r in proposal.summary["caseloads"]}
    assert rows == {"Test Coordinator": (8, 7), "Test Colleague": (5, 6)}  # 13 children, room for 10 below target
    assert proposal.lower_bound == 0 and proposal.moves.count() == 1  # one more to keep both at their maximum
    assert {r["name"]: r["after"] - r["target"] for r in proposal.summary["over_target"]} == {
        "Test Coordinator": 2, "Test Colleague": 1}


def test_the_children_of_a_leaver_all_move(county):
    p = county.people
    kids = [a_child(county, p["coordinator"], name) for name in ("Ada", "Ben", "Cai")]
    User.objects.filter(pk=p["coordinator"].pk).update(left_on=TODAY - datetime.timedelta(days=1))
    proposal = proposals.proposal_rebalance(actor=p["manager"], team=county.north)
    assert proposal.lower_bound == proposal.moves.count() == 3
    assert set(proposal.moves.values_list("child_id", "to_coordinator_id")) == {
        (k.pk, p["team_colleague"].pk) for k in kids}
    assert {m.why for m in proposal.moves.all()} == {"their coordinator cannot hold cases"}
    [row] = [r for r in proposal.summary["caseloads"] if r["name"] == "Test Coordinator"]
    assert row["status"] == "left on 1 March 2026" and (row["before"], row["after"]) == (3, 0)


@pytest.mark.parametrize("persona", ["coordinator", "other_manager", "other_council_leader", "parent"])
def test_only_the_teams_managers_and_leaders_rebalance_it(drifted, persona):
    with pytest.raises(NotAllowed):
        proposals.proposal_rebalance(actor=drifted.people[persona], team=drifted.north)


def test_every_team_at_once_is_for_leaders(drifted):
    p = drifted.people
    with pytest.raises(NotAllowed):
        proposals.proposal_rebalance(actor=p["manager"], team=None)
    proposal = proposals.proposal_rebalance(actor=p["leader"], team=None)
    assert proposal.team is None and proposal.moves.count() == 3
    assert not proposals.can_decide(p["manager"], proposal) and proposals.can_decide(p["administrator"], proposal)


# --- Approving safely ------------------------------------------------------------------------------------------


def test_a_proposal_overtaken_by_a_change_is_marked_out_of_date_and_changes_nothing(drifted):
    p = drifted.people
    proposal = proposals.proposal_rebalance(actor=p["manager"], team=drifted.north)
    moving = Child.objects.get(pk=proposal.moves.first().child_id)
    Child.objects.filter(pk=moving.pk).update(coordinator=p["team_colleague"])  # someone moved them meanwhile
    before = {c.pk: held(c) for c in Child.objects.all()}
    with pytest.raises(StepRefused, match="out of date"):
        proposals.proposal_approve(actor=p["manager"], proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == "stale"
    assert proposal.summary["stale"] == [f"{moving.full_name} is no longer held by Test Coordinator "
                                         f"(North area team)"]
    assert {c.pk: held(c) for c in Child.objects.all()} == before
    assert not Allocation.objects.filter(proposal=proposal).exists()
    with pytest.raises(StepRefused, match="already out of date"):
        proposals.proposal_approve(actor=p["manager"], proposal=proposal)


@pytest.mark.parametrize(("change", "message"), [
    ({"left_on": TODAY}, "left the service"),
    ({"absent_from": TODAY - datetime.timedelta(days=3)}, "is away"),
    ({"induction_started_on": TODAY - datetime.timedelta(days=7)}, "in their induction"),
])
def test_a_move_to_someone_who_cannot_hold_cases_now_is_refused(drifted, change, message):
    p = drifted.people
    proposal = proposals.proposal_rebalance(actor=p["manager"], team=drifted.north)
    User.objects.filter(pk=p["team_colleague"].pk).update(**change)
    with pytest.raises(StepRefused):
        proposals.proposal_approve(actor=p["manager"], proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == "stale" and message in proposal.summary["stale"][0]
    assert not Child.objects.filter(coordinator=p["team_colleague"]).exclude(
        pk__in=[c.pk for c in drifted.colleagues]).exists()


def test_an_approval_interrupted_half_way_leaves_nothing_half_moved(drifted):
    p = drifted.people
    proposal = proposals.proposal_rebalance(actor=p["manager"], team=drifted.north)
    before = {c.pk: held(c) for c in Child.objects.all()}
    real = proposals.timeline_record
    calls = {"n": 0}

    def fails_on_the_second(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("the database connection dropped")
        return real(**kwargs)

    with mock.patch.object(proposals, "timeline_record", fails_on_the_second), pytest.raises(RuntimeError):
        proposals.proposal_approve(actor=p["manager"], proposal=proposal)
    assert {c.pk: held(c) for c in Child.objects.all()} == before
    assert not Allocation.objects.filter(proposal=proposal).exists()
    assert not TimelineEvent.objects.filter(kind=proposals.MOVED_KIND).exists()
    assert not FamilyNotice.objects.exists()
    assert proposal.status == "proposed" and Proposal.objects.get(pk=proposal.pk).status == "proposed"
    assert proposals.proposal_approve(actor=p["manager"], proposal=proposal) == 3  # and it can be applied after


def test_approved_once_only(drifted):
    p = drifted.people
    proposal = proposals.proposal_rebalance(actor=p["manager"], team=drifted.north)
    stale_copy = Proposal.objects.get(pk=proposal.pk)
    proposals.proposal_approve(actor=p["manager"], proposal=proposal)
    with pytest.raises(StepRefused, match="Someone else decided"):
        proposals.proposal_approve(actor=p["leader"], proposal=stale_copy)  # a second tab, drawn before
    assert Allocation.objects.filter(proposal=proposal).count() == 3


def test_discarding_changes_nothing_and_cannot_then_be_approved(drifted):
    p = drifted.people
    proposal = proposals.proposal_rebalance(actor=p["manager"], team=drifted.north)
    before = {c.pk: held(c) for c in Child.objects.all()}
    with pytest.raises(NotAllowed):
        proposals.proposal_discard(actor=p["other_manager"], proposal=proposal)
    proposals.proposal_discard(actor=p["manager"], proposal=proposal)
    assert Proposal.objects.get(pk=proposal.pk).status == "discarded"
    with pytest.raises(StepRefused):
        proposals.proposal_approve(actor=p["manager"], proposal=proposal)
    assert {c.pk: held(c) for c in Child.objects.all()} == before


@pytest.mark.parametrize("persona", ["coordinator", "team_colleague", "other_manager", "other_council_leader"])
def test_only_those_who_may_rebalance_the_team_approve(drifted, persona):
    proposal = proposals.proposal_rebalance(actor=drifted.people["manager"], team=drifted.north)
    with pytest.raises(NotAllowed):
        proposals.proposal_approve(actor=drifted.people[persona], proposal=proposal)
    assert proposals.proposal_approve(actor=drifted.people["leader"], proposal=proposal) == 3


# --- Cohort transfers ------------------------------------------------------------------------------------------


@pytest.fixture
def looked_after(county):
    """Looked-after children held by the area teams (the Virtual School's rule says they should be with it):
    Ana and Bo (one family) and Cy in North, Di in South; Ed and Flo are not looked after. Val Stone in the
    Virtual School holds Gil, a brother of Cy; Vic Shaw holds nobody."""
    p = county.people
    family = Carer.objects.create(la=county.la, first_name="Kay", last_name="Carer")
    cy_family = Carer.objects.create(la=county.la, first_name="Lee", last_name="Carer")
    county.ana = a_child(county, p["coordinator"], "Ana", looked_after=True, carer=family)
    county.bo = a_child(county, p["team_colleague"], "Bo", looked_after=True, carer=family)
    county.cy = a_child(county, p["coordinator"], "Cy", looked_after=True, carer=cy_family)
    county.di = a_child(county, p["other_team_coordinator"], "Di", looked_after=True, postcode="HX2 2BB")
    county.ed = a_child(county, p["coordinator"], "Ed")
    county.flo = a_child(county, p["coordinator"], "Flo", date_of_birth=d(2012, 5, 1))
    county.gil = a_child(county, p["vs1"], "Gil", looked_after=True, carer=cy_family)
    assert held(county.ana) == (county.north.pk, p["coordinator"].pk)
    assert held(county.gil) == (county.virtual.pk, p["vs1"].pk)
    return county


def test_a_cohort_by_the_destinations_rule_is_previewed_family_by_family(looked_after):
    w, p = looked_after, looked_after.people
    before = {c.pk: held(c) for c in Child.objects.all()}
    proposal = proposals.proposal_cohort(actor=p["leader"], sources=[w.north, w.south], destination=w.virtual,
                                         reason="The Virtual School holds every looked-after child from April")
    moves = {m.child_id: m for m in proposal.moves.all()}
    assert set(moves) == {w.ana.pk, w.bo.pk, w.cy.pk, w.di.pk}
    assert moves[w.cy.pk].to_coordinator == p["vs1"]  # with Gil's coordinator
    assert moves[w.ana.pk].to_coordinator == moves[w.bo.pk].to_coordinator  # brother and sister together
    assert {m.to_team_id for m in moves.values()} == {w.virtual.pk}
    assert (moves[w.di.pk].from_team_id, moves[w.di.pk].from_coordinator_id) == (w.south.pk,
                                                                                  p["other_team_coordinator"].pk)
    assert moves[w.di.pk].why == "Virtual School's rule: looked after"
    assert moves[w.ana.pk].why == "Virtual School's rule: looked after"
    assert moves[w.bo.pk].why == moves[w.cy.pk].why == ("Virtual School's rule: looked after; with their brother "
                                                        "or sister's coordinator")
    loads = {r["name"]: r["after"] for r in proposal.summary["caseloads"] if r["team"] == w.virtual.pk}
    assert sorted(loads.values()) == [2, 3] and sum(loads.values()) == 5  # balanced: 1 held + 4 arriving
    assert proposal.title == "Transfer 4 children from North area team, South area team to Virtual School"
    assert {c.pk: held(c) for c in Child.objects.all()} == before


def test_approving_a_cohort_moves_all_of_them_at_once_and_keeps_every_deadline(looked_after):
    w, p = looked_after, looked_after.people
    proposal = proposals.proposal_cohort(actor=p["leader"], sources=[w.north, w.south], destination=w.virtual)
    deadlines = deadlines_snapshot()
    assert proposals.proposal_approve(actor=p["administrator"], proposal=proposal) == 4
    assert deadlines_snapshot() == deadlines
    for child in (w.ana, w.bo, w.cy, w.di):
        assert held(child)[0] == w.virtual.pk
    assert held(w.ed) == (w.north.pk, p["coordinator"].pk)
    assert set(Allocation.objects.filter(proposal=proposal).values_list("kind", flat=True)) == {"cohort"}
    summaries = list(TimelineEvent.objects.filter(kind=proposals.MOVED_KIND, child=w.di)
                     .values_list("summary", flat=True))
    assert len(summaries) == 1 and summaries[0].startswith(
        "EHC coordinator changed from Test Othercoord (South area team) to ")
    assert summaries[0].endswith("(Virtual School): cohort transferred to another team")
    # Each child's main contact (with an email) and Kay and Lee, who have parental responsibility and no email.
    notices = FamilyNotice.objects.filter(allocation__proposal=proposal)
    assert sorted(notices.values_list("child__first_name", "channel")) == [
        ("Ana", "email"), ("Ana", "letter"), ("Bo", "email"), ("Bo", "letter"), ("Cy", "email"), ("Cy", "letter"),
        ("Di", "email")]


def test_a_cohort_by_filter(looked_after):
    w, p = looked_after, looked_after.people
    proposal = proposals.proposal_cohort(
        actor=p["leader"], sources=[w.north], destination=w.post16, by_rule=False,
        cohort_filter=proposals.CohortFilter(looked_after=False, min_age=13, max_age=15))
    assert [(m.child_id, m.to_coordinator_id) for m in proposal.moves.all()] == [(w.flo.pk, p["p16"].pk)]
    assert proposal.moves.get().why == "chosen by filter: not looked after; aged 13 to 15"


@pytest.mark.parametrize("persona", ["manager", "coordinator", "other_council_leader"])
def test_only_leaders_and_administrators_transfer_cohorts(looked_after, persona):
    w = looked_after
    with pytest.raises(NotAllowed):
        proposals.proposal_cohort(actor=w.people[persona], sources=[w.north], destination=w.virtual)


def test_a_cohort_proposal_is_approved_by_leaders_only(looked_after):
    w, p = looked_after, looked_after.people
    proposal = proposals.proposal_cohort(actor=p["leader"], sources=[w.north], destination=w.virtual)
    with pytest.raises(NotAllowed):
        proposals.proposal_approve(actor=p["manager"], proposal=proposal)


def test_bad_cohorts_are_refused_with_a_reason(looked_after):
    w, p = looked_after, looked_after.people
    leader = p["leader"]
    with pytest.raises(StepRefused) as refused:
        proposals.proposal_cohort(actor=leader, sources=[w.north, w.virtual], destination=w.virtual)
    assert "not one of the teams they leave" in str(refused.value)
    with pytest.raises(StepRefused, match="nothing to transfer"):
        proposals.proposal_cohort(actor=leader, sources=[w.north], destination=w.post16)
    with pytest.raises(StepRefused):
        proposals.proposal_cohort(actor=leader, sources=[w.north], destination=w.south, by_rule=False,
                                  cohort_filter=proposals.CohortFilter())
    User.objects.filter(pk=p["vs1"].pk).update(left_on=TODAY - datetime.timedelta(days=10))
    User.objects.filter(pk=p["vs2"].pk).update(induction_started_on=TODAY - datetime.timedelta(days=10))
    with pytest.raises(StepRefused, match="Virtual School has no coordinator able to hold cases"):
        proposals.proposal_cohort(actor=leader, sources=[w.north], destination=w.virtual)
    assert not Proposal.objects.exists()


def test_a_cohort_to_a_coordinator_gone_into_induction_is_refused(looked_after):
    w, p = looked_after, looked_after.people
    proposal = proposals.proposal_cohort(actor=p["leader"], sources=[w.north, w.south], destination=w.virtual)
    User.objects.filter(pk=p["vs2"].pk).update(induction_started_on=TODAY)
    deadlines = deadlines_snapshot()
    with pytest.raises(StepRefused, match="out of date"):
        proposals.proposal_approve(actor=p["leader"], proposal=proposal)
    assert held(w.ana)[0] == w.north.pk and deadlines_snapshot() == deadlines
    assert Proposal.objects.get(pk=proposal.pk).summary["stale"] == [
        "Vic Shaw is in their induction and holds no cases until it is complete"]


# --- Circumstance changes --------------------------------------------------------------------------------------


@pytest.fixture
def changed(county):
    """North holds Ali (still fits), Bea (now looked after), Cal (moved to HX2) and Dee (16 on 31 August)."""
    p = county.people
    county.ali = a_child(county, p["coordinator"], "Ali")
    county.bea = a_child(county, p["coordinator"], "Bea")
    county.cal = a_child(county, p["coordinator"], "Cal")
    county.dee = a_child(county, p["coordinator"], "Dee")
    Child.objects.filter(pk=county.bea.pk).update(looked_after=True)
    Child.objects.filter(pk=county.cal.pk).update(postcode="HX2 9ZZ")
    Child.objects.filter(pk=county.dee.pk).update(date_of_birth=d(2009, 5, 1))
    return county


def test_children_whose_circumstances_route_them_elsewhere_are_listed_by_from_and_to(changed):
    w, p = changed, changed.people
    out = proposals.circumstance_changes(user=p["leader"])
    groups = {(g["from_team"].name, g["to_team"].name): [(row.label, why) for row, why in g["rows"]]
              for g in out["groups"]}
    assert groups == {
        ("North area team", "Virtual School"): [("Bea Testerby", "became looked after")],
        ("North area team", "South area team"): [("Cal Testerby", "moved to HX2")],
        ("North area team", "Post-16 team"): [("Dee Testerby", "now in the age group 16 (age on 31 August)")],
    }
    assert out["total"] == 3


def test_the_circumstances_list_takes_the_same_queries_however_many_children(changed):
    p = changed.people
    with CaptureQueriesContext(connection) as few:
        proposals.circumstance_changes(user=p["leader"])
    for name in ("Eli", "Fay", "Gem"):
        child = a_child(changed, p["coordinator"], name)
        Child.objects.filter(pk=child.pk).update(looked_after=True)
    with CaptureQueriesContext(connection) as more:
        out = proposals.circumstance_changes(user=p["leader"])
    assert out["total"] == 6 and len(more.captured_queries) == len(few.captured_queries)


def test_proposing_and_approving_the_team_changes(changed):
    w, p = changed, changed.people
    keys = [g["key"] for g in proposals.circumstance_changes(user=p["leader"])["groups"]]
    proposal = proposals.proposal_circumstances(actor=p["leader"], keys=keys)
    assert proposal.kind == "circumstances"
    assert set(proposal.moves.values_list("child_id", "to_team_id", "to_coordinator_id")) == {
        (w.bea.pk, w.virtual.pk, p["vs1"].pk), (w.cal.pk, w.south.pk, p["other_team_coordinator"].pk),
        (w.dee.pk, w.post16.pk, p["p16"].pk)}
    assert proposals.proposal_approve(actor=p["leader"], proposal=proposal) == 3
    assert proposals.circumstance_changes(user=p["leader"])["total"] == 0
    assert set(Allocation.objects.filter(proposal=proposal).values_list("kind", flat=True)) == {"circumstances"}


def test_circumstances_are_for_leaders(changed):
    with pytest.raises(NotAllowed):
        proposals.circumstance_changes(user=changed.people["manager"])
    with pytest.raises(StepRefused):
        proposals.proposal_circumstances(actor=changed.people["leader"], keys=["0-0"])


def test_a_child_who_left_a_school_roll_is_proposed_for_access_and_inclusion(changed, school):
    w, p = changed, changed.people
    access = Team.objects.create(la=w.la, name="Access and Inclusion", off_roll=True, priority=15)
    officer = make_user("aione", la=w.la, role="coordinator", teams=[access], first="Ari", last="Inman")
    Child.objects.update(setting=school)
    Child.objects.filter(pk=w.ali.pk).update(setting=None)  # excluded: no school place
    groups = {g["to_team"].name: g for g in proposals.circumstance_changes(user=p["leader"])["groups"]}
    [(row, why)] = groups["Access and Inclusion"]["rows"]
    assert (row.child_id, why, groups["Access and Inclusion"]["from_team"]) == (w.ali.pk, "not on a school roll",
                                                                                 w.north)
    proposal = proposals.proposal_circumstances(actor=p["leader"], keys=[groups["Access and Inclusion"]["key"]])
    assert list(proposal.moves.values_list("child_id", "to_coordinator_id")) == [(w.ali.pk, officer.pk)]
