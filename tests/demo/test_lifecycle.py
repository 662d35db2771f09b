"""The demo council after the plan: reviews, amendments, phase transfers, ceasing, re-assessments, moves and
disagreements recorded as the services would, and the stored deadlines, work queues and reminders that follow.

One small council is loaded for the module (and removed after it); each test runs in its own transaction, so
what a test writes (reminders, a refresh) is rolled back. The proportions are checked on a larger council
generated in memory only.
"""

import datetime
import io
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from ehcflow.accounts.models import Role, User
from ehcflow.appeals.models import DecisionKind, Disagreement, Order, Outcome
from ehcflow.appeals.services import KINDS_BY_STAGE
from ehcflow.cases.models import CLOSED_STAGES, Case, Stage, TimelineEvent
from ehcflow.cases.selectors import case_facts
from ehcflow.ceasing.models import CeaseDecision, Cessation
from ehcflow.ceasing.services import (
    NO_CONSULTATION_REASONS,
    appeal_period_end,
    keeps_plan_through_appeal_period,
    reason_refusal,
)
from ehcflow.core.codes import CeaseReason
from ehcflow.deadlines import engine
from ehcflow.deadlines.materialise import facts_prefetch, open_deadlines, refresh_all
from ehcflow.deadlines.models import CaseDeadline
from ehcflow.deadlines.phase_transfer import new_setting_refusal, next_september, next_transfer, transfer_due
from ehcflow.deadlines.rules import (
    amendment_representations_close_due,
    preparing_for_adulthood,
    transfer_review_due,
)
from ehcflow.demo import generator
from ehcflow.demo.generator import REVIEW_CHAIN, DemoGenerator
from ehcflow.demo.lifecycle import APPEALS_PER_PLAN_YEAR
from ehcflow.moves.models import Direction, LaTransfer
from ehcflow.reassessment.models import ReassessDecision, Reassessment
from ehcflow.reminders.models import Reminder
from ehcflow.reminders.selectors import BLOCKED_KEYS, WEEK_DAYS, work_queue
from ehcflow.reminders.services import reminders_scan
from ehcflow.reviews.models import Amendment, AmendmentOutcome, AnnualReview, ReviewDecision
from ehcflow.tenancy.models import LocalAuthority
from ehcflow.transfers.models import PhaseTransfer
from ehcflow.transfers.selectors import transfer_list
from ehcflow.transfers.services import setting_phase

SCALE = 0.03
DEADLINE_FIELDS = ("case_id", "key", "ref", "label", "source", "due_on", "status")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """A small demo council, loaded once for the module and removed afterwards."""
    with django_db_blocker.unblock():
        call_command("load_demo", scale=SCALE, seed=2025, force=True, stdout=io.StringIO())
        la = LocalAuthority.objects.get(code=generator.LA_CODE)
        yield la
        generator.delete_la_data(la)


def today() -> datetime.date:
    return timezone.localdate()


def active_cases(la):
    return Case.objects.filter(la=la, stage=Stage.PLAN_ISSUED, plan__status="final")


def engine_deadlines(cases) -> dict[int, list[engine.Deadline]]:
    """Each case's open deadlines, from the engine run afresh on the saved records (not the stored copy)."""
    out = {}
    for case in cases:
        facts = case_facts(case)
        out[case.pk] = open_deadlines(facts, engine.case_deadlines(facts, today()))
    return out


# --- Deadlines -------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_stored_deadlines_are_exactly_what_refresh_all_stores(demo):
    stored = set(CaseDeadline.objects.filter(la=demo).values_list(*DEADLINE_FIELDS))
    nexts = set(Case.objects.filter(la=demo).values_list(
        "pk", "next_deadline_key", "next_deadline_label", "next_deadline_due"))
    assert stored and len(stored) == CaseDeadline.objects.filter(la=demo).count()

    refresh_all(la=demo, today=today())

    assert set(CaseDeadline.objects.filter(la=demo).values_list(*DEADLINE_FIELDS)) == stored
    assert set(Case.objects.filter(la=demo).values_list(
        "pk", "next_deadline_key", "next_deadline_label", "next_deadline_due")) == nexts


@pytest.mark.django_db
def test_every_active_plan_has_its_next_annual_review_deadline(demo):
    active = set(active_cases(demo).values_list("pk", flat=True))
    with_review = set(CaseDeadline.objects.filter(case_id__in=active, key__in=REVIEW_CHAIN)
                      .values_list("case_id", flat=True))
    assert active and with_review == active
    # One running 12-month review deadline per plan (CFA s.44(1)), never two.
    per_case = Counter(CaseDeadline.objects.filter(case_id__in=active, key__in=REVIEW_CHAIN)
                       .exclude(ref__startswith="reassessment-").values_list("case_id", flat=True))
    assert set(per_case.values()) == {1}
    # A ceased plan has nothing left to do.
    assert not CaseDeadline.objects.filter(la=demo, case__stage=Stage.CEASED).exists()


@pytest.mark.django_db
def test_children_moving_phase_next_september_have_the_phase_transfer_deadline(demo):
    leader = User.objects.get(username="leader")
    september = next_september(today())
    due_now = list(transfer_list(user=leader, today=today()))  # the transfer list's own query (by cohort)
    assert due_now
    for case in due_now:
        finished = PhaseTransfer.objects.filter(plan__case=case, transfer_on=september, status="completed")
        stored = CaseDeadline.objects.filter(case=case, key="phase_transfer_amendment")
        if finished.exists():
            assert not stored.exists()
            continue
        clock = next_transfer(case.child.date_of_birth, setting_phase(case.child.setting), today())
        assert clock.transfer_on == september
        assert list(stored.values_list("due_on", flat=True)) == [transfer_due(clock.kind, september)], case.pk
    # Most of them have been started (the demo starts about 85%).
    started = PhaseTransfer.objects.filter(plan__case__in=due_now, transfer_on=september).count()
    assert started >= 0.6 * len(due_now)


# --- The records obey the services' rules ----------------------------------------------------------

@pytest.mark.django_db
def test_reviews_and_amendments_follow_the_review_steps(demo):
    t = today()
    reviews = defaultdict(list)
    for r in AnnualReview.objects.filter(la=demo).select_related("plan__case__child"):
        reviews[r.plan_id].append(r)
    amendments = defaultdict(list)
    for a in Amendment.objects.filter(la=demo).select_related("review"):
        amendments[a.plan_id].append(a)
    assert reviews and amendments
    for plan_id, rows in reviews.items():
        rows.sort(key=lambda r: r.meeting_on)
        plan = rows[0].plan
        assert plan.case.stage in (Stage.PLAN_ISSUED, Stage.CEASED)
        assert sum(1 for r in rows if not r.decision) <= 1  # one review open at a time
        for r in rows:
            assert plan.issued_on <= r.meeting_on
            if r.invitations_sent_on:  # reg 20(3)-(4): before the meeting, never in the future
                assert plan.issued_on <= r.invitations_sent_on <= r.meeting_on and r.invitations_sent_on <= t
            if r.held_on:
                assert r.held_on == r.meeting_on <= t
                if preparing_for_adulthood(plan.case.child.date_of_birth, r.held_on):
                    assert r.pfa_discussed  # reg 20(6)
            if r.report_received_on:
                assert r.held_on and r.held_on <= r.report_received_on <= t
            if r.decision:  # after the meeting and the report (reg 20)
                assert r.decision in ReviewDecision.values
                assert r.report_received_on and r.report_received_on <= r.decision_on <= t
            else:
                assert r.decision_on is None
        decided = [r for r in rows if r.decision]
        if decided:  # as `review_decision_record` leaves it
            assert plan.last_review_decision_on == max(r.decision_on for r in decided)
        # A review is arranged only once the last one is decided and its amendments are finished.
        for before, after in zip(rows, rows[1:]):
            assert before.decision_on and before.decision_on < after.meeting_on
            for a in amendments.get(plan_id, ()):
                if a.review_id == before.pk:
                    assert a.completed_on and a.completed_on < after.meeting_on
    for plan_id, rows in amendments.items():
        assert sum(1 for a in rows if not a.outcome) <= 1
        assert not (any(not a.outcome for a in rows) and any(not r.decision for r in reviews.get(plan_id, ())))
        for a in rows:  # reg 22: sent with the decision to amend, 15 days for views, then the plan or a notice
            assert a.review.decision == ReviewDecision.AMEND and a.proposals_sent_on == a.review.decision_on
            assert a.proposals.strip()
            if a.representations_received_on:
                assert a.proposals_sent_on <= a.representations_received_on <= t and a.representations.strip()
            assert bool(a.outcome) == bool(a.completed_on)
            if a.completed_on:
                assert a.outcome in AmendmentOutcome.values and a.completed_on <= t
                assert a.completed_on >= (a.representations_received_on or a.proposals_sent_on)
                if a.representations_received_on is None:
                    assert a.completed_on > amendment_representations_close_due(a.proposals_sent_on)


@pytest.mark.django_db
def test_phase_transfers_follow_the_transfer_steps(demo):
    t = today()
    open_per_plan = Counter()
    rows = PhaseTransfer.objects.filter(la=demo).select_related("plan__case__child__setting", "new_setting",
                                                                 "preferred_setting")
    assert rows
    for pt in rows:
        assert pt.due_on == transfer_due(pt.kind, pt.transfer_on)  # reg 18
        assert pt.plan.issued_on <= pt.started_on <= t
        if pt.agreed_on:
            assert pt.started_on <= pt.agreed_on <= t and pt.new_setting_id
        assert (pt.status == "completed") == (pt.completed_on is not None)
        if pt.completed_on:
            assert (pt.agreed_on or pt.started_on) <= pt.completed_on <= t and pt.new_setting_id
        for setting in (pt.new_setting, pt.preferred_setting):
            if setting is not None:
                assert new_setting_refusal(pt.kind, setting_phase(setting)) is None
        if pt.status == "open":
            open_per_plan[pt.plan_id] += 1
            # The move the child was due when it was started, from the date of birth and setting.
            due = next_transfer(pt.plan.case.child.date_of_birth, setting_phase(pt.plan.case.child.setting),
                                pt.started_on)
            assert (due.kind, due.transfer_on) == (pt.kind, pt.transfer_on)
    assert set(open_per_plan.values()) <= {1}


@pytest.mark.django_db
def test_ceasing_follows_the_ceasing_steps_with_reasons_that_fit_the_age(demo):
    t = today()
    rows = Cessation.objects.filter(la=demo).select_related("plan__case__child")
    assert rows.filter(ceased_on__isnull=False).exists() and rows.filter(ceased_on__isnull=True).exists()
    for c in rows:
        case, dob = c.plan.case, c.plan.case.child.date_of_birth
        assert c.plan.issued_on <= c.proposed_on <= t
        if c.reason != CeaseReason.TRANSFERRED_LA:
            assert reason_refusal(c.reason, dob, c.proposed_on, adult_estate=c.adult_estate,
                                  details=c.reason_details) is None, (c.reason, dob, c.proposed_on)
        dates = [c.proposed_on, c.consulted_on, c.decision_on, c.notice_sent_on, c.ceased_on]
        present = [d for d in dates if d is not None]
        assert present == sorted(present) and present[-1] <= t
        if c.reason in NO_CONSULTATION_REASONS:
            assert c.consulted_on is None
        elif c.decision:
            assert c.consulted_on and c.views.strip()  # reg 29
        if c.decision == CeaseDecision.CEASE and c.reason not in NO_CONSULTATION_REASONS:
            assert c.notice_sent_on  # reg 30
        if c.ceased_on:
            assert case.stage == Stage.CEASED and not c.appeal_pending
            assert reason_refusal(c.reason, dob, c.ceased_on, adult_estate=c.adult_estate, ceasing=True,
                                  details=c.reason_details or "-") is None
            if c.reason not in NO_CONSULTATION_REASONS:
                assert c.decision == CeaseDecision.CEASE and c.notice_sent_on
                if keeps_plan_through_appeal_period():  # reg 31: kept until the time to appeal has passed
                    assert c.ceased_on > appeal_period_end(c)
        else:
            assert case.stage == Stage.PLAN_ISSUED
    ceased_cases = set(Case.objects.filter(la=demo, stage=Stage.CEASED).values_list("pk", flat=True))
    assert ceased_cases == set(rows.filter(ceased_on__isnull=False).values_list("plan__case_id", flat=True))
    # One proposal open at a time (cease-propose is refused while one is open).
    still_open = Cessation.objects.filter(la=demo, ceased_on__isnull=True).exclude(decision=CeaseDecision.MAINTAIN)
    assert not still_open.values("plan").annotate(n=Count("id")).filter(n__gt=1).exists()


@pytest.mark.django_db
def test_moves_between_councils_follow_regulation_15(demo):
    t = today()
    rows = LaTransfer.objects.filter(la=demo).select_related("plan__case")
    assert rows.filter(direction=Direction.IN).exists() and rows.filter(direction=Direction.OUT).exists()
    for m in rows:
        assert m.other_la_code != generator.LA_CODE and len(m.other_la_code) == 3
        if m.direction == Direction.IN:
            assert m.plan.issued_on <= m.transferred_on <= t and m.plan.case.stage == Stage.PLAN_ISSUED
            assert m.plan.case.received_on == m.plan.issued_on  # as `move_in_record` records it
            if m.family_notified_on:  # reg 15(4): whether it will assess, and a review by the reg 15(5) date
                assert m.transferred_on <= m.family_notified_on <= t and m.will_assess is not None
                since = m.plan_or_last_review_on or m.plan.issued_on
                assert m.transferred_on <= m.review_proposed_on <= transfer_review_due(m.transferred_on, since)
        else:
            assert m.plan.issued_on <= m.learnt_on <= t
            if m.health_notified_on:  # reg 16
                assert m.health_body_changes and m.learnt_on <= m.health_notified_on <= (m.transferred_on or t)
            if m.cancelled_on:
                assert m.transferred_on is None and m.learnt_on <= m.cancelled_on <= t and m.cancel_reason
            if m.transferred_on:  # sent: the plan ceased here the same day with reason 5
                assert m.learnt_on <= m.transferred_on <= t
                assert Cessation.objects.get(plan=m.plan).ceased_on == m.transferred_on
                assert Cessation.objects.get(plan=m.plan).reason == CeaseReason.TRANSFERRED_LA
            else:
                assert m.plan.case.stage == Stage.PLAN_ISSUED


@pytest.mark.django_db
def test_reassessments_never_overlap_open_amendments(demo):
    t = today()
    rows = Reassessment.objects.filter(la=demo).select_related("plan")
    assert rows
    for r in rows:
        assert r.plan.issued_on <= r.requested_on <= t
        if r.decision_on:
            assert r.requested_on <= r.decision_on <= t and r.decision in ReassessDecision.values
        if r.decision == ReassessDecision.REFUSE:
            assert r.completed_on == r.decision_on and r.reasons.strip()
        if r.plan_issued_on:
            assert r.decision == ReassessDecision.REASSESS and r.decision_on <= r.plan_issued_on <= t
        if r.decision == ReassessDecision.REASSESS:  # reg 22 and reg 27 both change the plan: one at a time
            until = r.plan_issued_on or t
            overlapping = Amendment.objects.filter(plan=r.plan, proposals_sent_on__lte=until).filter(
                Q(completed_on__isnull=True) | Q(completed_on__gt=r.decision_on))
            assert not overlapping.exists()


@pytest.mark.django_db
def test_disagreements_follow_mediation_and_appeal_rules(demo):
    t = today()
    rows = Disagreement.objects.filter(la=demo).select_related("case")
    assert rows.filter(appeal_registered_on__isnull=False).exists()
    for d in rows:
        stage = d.case.stage
        allowed = KINDS_BY_STAGE.get(Stage.PLAN_ISSUED if stage == Stage.CEASED else stage, ())
        assert d.kind in allowed, (d.kind, stage)
        dates = [d.notice_sent_on, d.mediation_contacted_on, d.mediation_held_on, d.certificate_issued_on,
                 d.appeal_registered_on, d.outcome_on, d.order_on, d.first_step_on, d.complied_on]
        present = [x for x in dates if x is not None]
        assert present == sorted(present) and present[-1] <= t
        if d.mediation_held_on:
            assert d.mediation_wanted
        if d.appeal_registered_on and d.certificate_issued_on is None:  # CFA s.55: section I alone
            assert d.kind == DecisionKind.PLAN_CONTENTS and d.sections == "I"
        if d.kind == DecisionKind.PLAN_CONTENTS and d.appeal_registered_on:
            assert d.sections and set(d.sections) <= set("BFI")
        if d.order:
            assert d.outcome in (Outcome.UPHELD, Outcome.CONCEDED)
        if d.first_step_on:
            assert d.order in (Order.MAKE_PLAN, Order.ASSESS)
        if d.complied_on and d.order in (Order.MAKE_PLAN, Order.ASSESS):
            assert d.first_step_on
        if d.kind == DecisionKind.CEASE and d.appeal_registered_on:
            cessation = Cessation.objects.get(plan__case=d.case, decision=CeaseDecision.CEASE)
            assert cessation.appeal_registered_on == d.appeal_registered_on and not cessation.ceased_on


@pytest.mark.django_db
def test_every_step_after_the_plan_has_its_timeline_event(demo):
    events = Counter(TimelineEvent.objects.filter(la=demo).values_list("kind", flat=True))
    reviews = AnnualReview.objects.filter(la=demo)
    amendments = Amendment.objects.filter(la=demo)
    transfers = PhaseTransfer.objects.filter(la=demo)
    moves = LaTransfer.objects.filter(la=demo)
    disagreements = Disagreement.objects.filter(la=demo)
    expected = {
        "review_arranged": reviews.count(),
        "review_invitations_sent": reviews.exclude(invitations_sent_on=None).count(),
        "review_meeting_held": reviews.exclude(held_on=None).count(),
        "review_report_received": reviews.exclude(report_received_on=None).count(),
        "review_decision": reviews.exclude(decision="").count(),
        "amendment_representations": amendments.exclude(representations_received_on=None).count(),
        "amendment_completed": amendments.exclude(completed_on=None).count(),
        "phase_transfer_started": transfers.count(),
        "phase_transfer_setting_agreed": transfers.exclude(agreed_on=None).count(),
        "phase_transfer_completed": transfers.exclude(completed_on=None).count(),
        "cease_proposed": Cessation.objects.filter(la=demo).exclude(reason=CeaseReason.TRANSFERRED_LA).count(),
        "cease_consulted": Cessation.objects.filter(la=demo).exclude(consulted_on=None).count(),
        "plan_ceased": Case.objects.filter(la=demo, stage=Stage.CEASED).count(),
        "reassessment_requested": Reassessment.objects.filter(la=demo).count(),
        "reassessment_decision": Reassessment.objects.filter(la=demo).exclude(decision="").count(),
        "move_in_recorded": moves.filter(direction=Direction.IN).count(),
        "move_in_notified": moves.filter(direction=Direction.IN).exclude(family_notified_on=None).count(),
        "move_out_recorded": moves.filter(direction=Direction.OUT).count(),
        "move_out_sent": moves.filter(direction=Direction.OUT).exclude(transferred_on=None).count(),
        "appeal_notice": disagreements.count(),
        "appeal_registered": disagreements.exclude(appeal_registered_on=None).count(),
        "appeal_outcome": disagreements.exclude(outcome="").count(),
    }
    assert {k: events[k] for k in expected} == expected
    assert all(expected[k] for k in ("review_decision", "amendment_completed", "phase_transfer_started",
                                     "plan_ceased", "appeal_registered", "move_in_recorded"))
    # The plan ceased moves the case from "Plan issued" to "Plan ceased" on its timeline.
    ceased = TimelineEvent.objects.filter(la=demo, kind="plan_ceased")
    assert set(ceased.values_list("from_stage", "to_stage")) == {("plan_issued", "ceased")}


# --- What staff see ----------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_coordinator_work_queue_lists_exactly_their_overdue_and_this_weeks_deadlines(demo, client):
    coordinator = User.objects.get(username="coordinator", la=demo)
    t = today()
    mine = (Case.objects.filter(la=demo, child__coordinator=coordinator).exclude(stage__in=CLOSED_STAGES)
            .select_related("decision", "plan", "child__setting").prefetch_related(*facts_prefetch()))
    expected = {"overdue": set(), "week": set(), "advice": set()}
    for case_id, deadlines in engine_deadlines(mine).items():
        for d in deadlines:
            ident = (case_id, d.key, d.ref or "")
            if d.key in BLOCKED_KEYS:
                expected["advice"].add(ident)
            elif d.due < t:
                expected["overdue"].add(ident)
            elif d.due <= t + datetime.timedelta(days=WEEK_DAYS):
                expected["week"].add(ident)
    queue = {s.key: s for s in work_queue(user=coordinator, mine=True, today=t)["sections"]}
    for key, want in expected.items():
        section = queue[key]
        assert section.count == len(want), key
        shown = {(r.case_id, r.key, r.ref) for r in section.rows}
        assert shown <= want and len(shown) == min(len(want), len(section.rows))
    listed = expected["overdue"] or expected["week"] or expected["advice"]
    assert listed, "the demo coordinator has work to show"

    client.force_login(coordinator)
    page = client.get(reverse("my_work"))
    assert page.status_code == 200
    assert Case.objects.get(pk=next(iter(listed))[0]).child.last_name in page.content.decode()


@pytest.mark.django_db
def test_the_reminder_scan_reminds_each_childs_coordinator_and_the_teams_managers(demo):
    t = today()
    ahead = 7
    cases = (Case.objects.filter(la=demo).exclude(stage__in=CLOSED_STAGES)
             .select_related("decision", "plan", "child__setting", "child__coordinator")
             .prefetch_related(*facts_prefetch()))
    managers = defaultdict(set)
    for user in (User.objects.filter(la=demo, role=Role.TEAM_MANAGER, is_active=True).exclude(email="")
                 .prefetch_related("teams")):
        for team in user.teams.all():
            managers[team.pk].add(user.pk)
    expected = set()
    deadlines = engine_deadlines(cases)
    for case in cases:
        for d in deadlines[case.pk]:
            if d.due > t + datetime.timedelta(days=ahead):
                continue
            kind = "overdue" if d.due < t else "approaching"
            ident = (case.pk, d.key, d.ref or "", d.due, kind)
            coordinator = case.child.coordinator
            if coordinator is not None and coordinator.is_active and coordinator.email:
                expected.add((*ident, coordinator.pk, "coordinator"))
            if kind == "overdue" and d.status != engine.STATUS_EXCEPTION:
                expected.update((*ident, m, "manager") for m in managers[case.child.team_id])
    queued = reminders_scan(today=t, days_ahead=ahead, la=demo)
    got = set(Reminder.objects.filter(la=demo).values_list("case_id", "key", "ref", "due_on", "kind", "recipient_id",
                                                           "role"))
    assert queued == len(got) and got == expected
    demo_manager = User.objects.get(username="manager", la=demo)
    assert any(r[5] == demo_manager.pk for r in got) and any(r[6] == "coordinator" for r in got)
    assert reminders_scan(today=t, days_ahead=ahead, la=demo) == 0  # queued once


# --- Proportions at full scale (in memory) -------------------------------------------------------------

@pytest.fixture(scope="module")
def council():
    """A quarter-size council generated in memory only: the proportions are those of the full 14,000 plans."""
    gen = DemoGenerator(scale=0.25, seed=2025, today=timezone.localdate(), log=lambda s: None)
    gen.generate()
    return gen


def test_a_realistic_minority_of_annual_reviews_is_overdue(council):
    active = [c for c in council.cases if c.stage == "plan_issued"]
    overdue = [c for c in active if any(d.key in REVIEW_CHAIN and d.due < council.today for d in c.open_deadlines)]
    assert 0.08 <= len(overdue) / len(active) <= 0.15
    # Every plan in force has exactly one running review deadline.
    assert all(sum(1 for d in c.open_deadlines if d.key in REVIEW_CHAIN
                   and not (d.ref or "").startswith("reassessment-")) == 1 for c in active)


def test_disagreements_phase_transfers_and_ceasing_in_plausible_proportions(council):
    today_ = council.today
    active = [c for c in council.cases if c.stage == "plan_issued"]
    year_ago = today_ - datetime.timedelta(days=365)
    appeals = sum(1 for c in council.cases for d in c.life.disagreements
                  if d.appeal_registered_on and d.appeal_registered_on > year_ago)
    assert 0.75 <= appeals / len(active) / APPEALS_PER_PLAN_YEAR <= 1.25  # England 2024: about 3.9% a year
    september = next_september(today_)
    moving = [c for c in active if not c.ceasing and (clock := council.lifecycle.phase_transfer_clock(c))
              and clock.transfer_on == september and clock.kind != "post16_to_post16"]
    started = [c for c in moving if any(t.transfer_on == september for t in c.life.phase_transfers)]
    assert 0.75 <= len(started) / len(moving) <= 0.95
    ceased = [c for c in council.cases if c.stage == "ceased"]
    assert 0.05 <= len(ceased) / len(active) <= 0.09
    reasons = Counter(c.ceasing["reason"] for c in ceased)
    assert len(reasons) >= 7  # every common SEN2 reason appears
    for c in ceased:
        dob = council.children[c.child].dob
        if c.ceasing["reason"] != CeaseReason.TRANSFERRED_LA:
            assert reason_refusal(c.ceasing["reason"], dob, c.ceasing["ceased_on"], ceasing=True, details="-") is None
    in_progress = [c for c in active if any(x.ceased_on is None for x in c.life.cessations)]
    assert 0.005 <= len(in_progress) / len(active) <= 0.03
