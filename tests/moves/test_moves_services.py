"""Moves between councils: transfer out (reg 15(2)) ending in the plan ceased with reason 5, or cancelled; transfer
in as a full record with the reg 15(4) notice; the reg 16 health commissioning body notice."""

import datetime

import pytest

from ehcflow.cases.models import Case, Stage
from ehcflow.ceasing.models import Cessation
from ehcflow.core.errors import NotAllowed, StepRefused
from ehcflow.deadlines.models import CaseDeadline
from ehcflow.moves import services as ms
from ehcflow.moves.models import LaTransfer
from tests.ceasing.conftest import at_today, issued  # noqa: F401  (fixtures)
from tests.conftest import CHILD, fresh, token

d = datetime.date


def move_out(case, actor, **kw):
    case = fresh(case)
    args = dict(other_la_code="208", other_la_name="Lambeth", learnt_on=d(2025, 12, 15), move_on=d(2025, 12, 19))
    args.update(kw)
    return ms.move_out_record(actor=actor, plan=case.plan, version=case.version, token=token(), **args)


def sent(case, actor, transferred_on=d(2026, 1, 6)):
    case = fresh(case)
    transfer = ms.open_transfer(case.plan, "out")
    return ms.move_out_sent_record(actor=actor, la_transfer=transfer, version=case.version, token=token(),
                                   transferred_on=transferred_on)


NEEDS = [{"area": "communication", "need_type": "SLCN", "rank": 1,
          "description": "Casey has a severe expressive language disorder."},
         {"area": "cognition", "need_type": "SPLD", "rank": 2, "description": "Casey has dyslexia."}]
OUTCOMES = [{"area": "communication", "text": "Casey will use sentences of five words in class",
             "by_when": "July 2026"}]
PROVISIONS = [{"area": "communication", "support": "Speech and language therapy programme", "provider":
               "Speech and language therapist", "frequency": "Once a week", "duration": "45 minutes",
               "needs": [1], "outcomes": [1]}]
CARERS = [{"first_name": "Jo", "last_name": "Mover", "relationship": "Mother", "email": "jo@example.com",
           "phone": "", "address": "1 New Street, Hertford"}]


def move_in(actor, **kw):
    args = dict(child_details={**CHILD, "first_name": "Casey", "upn": "C123456789012"}, other_la_code="208",
                other_la_name="Lambeth", plan_issued_on=d(2023, 6, 1), plan_or_last_review_on=d(2025, 5, 20),
                transferred_on=d(2026, 1, 12), needs=NEEDS, outcomes=OUTCOMES, provisions=PROVISIONS,
                carers=CARERS, setting_type="Mainstream primary school",
                sections={"section_a_views": "Casey loves trains.", "section_k": "EP report, March 2023"})
    args.update(kw)
    return ms.move_in_record(actor=actor, token=token(), **args)


def refused(fn, *args, **kwargs) -> str:
    with pytest.raises(StepRefused) as exc:
        fn(*args, **kwargs)
    return " ".join(exc.value.messages)


def test_transfer_out_then_ceased_with_reason_5(personas, issued):  # noqa: F811
    actor = personas["coordinator"]
    move_out(issued, actor)
    row = CaseDeadline.objects.get(case=issued, key="plan_transfer")
    assert row.due_on == d(2026, 1, 7) and "reg 15(2)" in row.source
    sent(issued, actor)
    case = fresh(issued)
    assert case.stage == Stage.CEASED
    cessation = Cessation.objects.get(plan=case.plan)
    assert (cessation.reason, cessation.ceased_on) == ("5", d(2026, 1, 6))
    assert "Lambeth (208)" in cessation.reason_details
    assert not CaseDeadline.objects.filter(case=case).exists()
    assert ms.step_refusal("move-out", case) is not None


@pytest.mark.parametrize(("kw", "field", "message"), [
    ({"other_la_code": "20"}, "other_la_code", "3-digit"),
    ({"other_la_code": "919"}, "other_la_code", "not this council's"),
    ({"other_la_name": " "}, "other_la_name", "other council's name"),
    ({"learnt_on": d(2025, 4, 1)}, "learnt_on", "the date the plan was issued"),
    ({"learnt_on": d(2026, 2, 3)}, "learnt_on", "today or in the past"),
])
def test_bad_move_out_refused_nothing_changed(personas, issued, kw, field, message):  # noqa: F811
    version = fresh(issued).version
    with pytest.raises(StepRefused) as exc:
        move_out(issued, personas["coordinator"], **kw)
    assert message in " ".join(exc.value.message_dict[field])
    assert fresh(issued).version == version and not LaTransfer.objects.exists()


def test_plan_sent_before_learning_or_before_the_move_refused(personas, issued):  # noqa: F811
    actor = personas["coordinator"]
    move_out(issued, actor)
    assert "the date of the move (19 December 2025)" in refused(sent, issued, actor, transferred_on=d(2025, 12, 18))
    assert "learnt of the move" in refused(sent, issued, actor, transferred_on=d(2025, 12, 14))
    assert fresh(issued).stage == Stage.PLAN_ISSUED
    assert "already recorded" in refused(move_out, issued, actor)


def test_move_refused_while_ceasing_is_proposed(personas, issued):  # noqa: F811
    from tests.ceasing.conftest import propose

    propose(issued, personas["coordinator"])
    assert "Ceasing this plan is proposed" in refused(move_out, issued, personas["coordinator"])


def test_transfer_in_creates_a_plan_with_its_deadlines(personas, at_today):  # noqa: F811
    actor = personas["coordinator"]
    case = move_in(actor)
    assert case.stage == Stage.PLAN_ISSUED and case.plan.issued_on == d(2023, 6, 1)
    assert case.child.coordinator == actor
    rows = {r.key: r.due_on for r in CaseDeadline.objects.filter(case=case)}
    # reg 15(4): 6 weeks from 12 January 2026; reg 15(5): later of 19 May 2026 and 12 April 2026.
    assert rows == {"transfer_family_notice": d(2026, 2, 23), "transfer_review": d(2026, 5, 19)}
    transfer = ms.open_transfer(case.plan, "in")
    assert "on or after the date the plan transferred" in refused(
        ms.move_in_notified_record, actor=actor, la_transfer=transfer, version=fresh(case).version, token=token(),
        notified_on=d(2026, 1, 5), will_assess=False, review_proposed_on=d(2026, 5, 1))
    ms.move_in_notified_record(actor=actor, la_transfer=transfer, version=fresh(case).version, token=token(),
                               notified_on=d(2026, 1, 20), will_assess=False, review_proposed_on=d(2026, 5, 1))
    assert set(CaseDeadline.objects.filter(case=case).values_list("key", flat=True)) == {"transfer_review"}


def test_transfer_in_bad_input(personas, at_today):  # noqa: F811
    actor = personas["coordinator"]
    assert "after the child's date of birth" in refused(move_in, actor, plan_issued_on=d(2016, 1, 1))
    assert "before the transfer" in refused(move_in, actor, plan_or_last_review_on=d(2026, 1, 20),
                                            transferred_on=d(2026, 1, 12))
    assert "today or in the past" in refused(move_in, actor, transferred_on=d(2026, 3, 1))
    assert not Case.objects.filter(child__first_name="Casey").exists()
    with pytest.raises(NotAllowed):
        move_in(personas["leader"])


# --- Transfer in as a real record ---------------------------------------------------------------------------

def test_transfer_in_records_the_child_family_plan_content_and_a_version(personas, at_today, school):
    from ehcflow.cases.models import TimelineEvent
    from ehcflow.plans.models import PlanVersion

    actor = personas["coordinator"]
    case = move_in(actor, named_setting=school, setting_type="", learnt_on=d(2026, 1, 5),
                   carers=CARERS + [{"first_name": "Lee", "last_name": "Mover", "relationship": "Father",
                                     "email": "", "phone": "07700 900123", "address": ""}])
    child, plan = case.child, case.plan
    assert (child.upn, child.date_of_birth, child.postcode, child.setting) == (
        "C123456789012", CHILD["date_of_birth"], "HX1 1AA", school)
    links = list(child.carer_links.select_related("carer").order_by("id"))
    assert [(lk.carer.first_name, lk.relationship, lk.main_contact) for lk in links] == [
        ("Jo", "Mother", True), ("Lee", "Father", False)]
    assert links[0].carer.address == "1 New Street, Hertford"
    assert (plan.issued_on, plan.named_setting, plan.section_a_views, plan.section_k) == (
        d(2023, 6, 1), school, "Casey loves trains.", "EP report, March 2023")
    assert [(n.rank, n.need_type, n.area) for n in plan.needs.all()] == [(1, "SLCN", "communication"),
                                                                         (2, "SPLD", "cognition")]
    provision = plan.provisions.get()
    assert [n.rank for n in provision.needs.all()] == [1]
    assert [o.text for o in provision.outcomes.all()] == [OUTCOMES[0]["text"]]
    transfer = plan.la_transfers.get()
    assert (transfer.other_la_code, transfer.learnt_on, transfer.transferred_on) == ("208", d(2026, 1, 5),
                                                                                    d(2026, 1, 12))
    version = PlanVersion.objects.get(plan=plan)
    assert (version.number, version.kind, version.issued_on) == (1, "moved_in", d(2026, 1, 12))
    assert version.get_kind_display() == "Plan as transferred in from another council"
    assert [n["need_type"] for n in version.snapshot["needs"]] == ["SLCN", "SPLD"]
    assert version.snapshot["named_setting"] == school.name and len(version.snapshot["provisions"]) == 1
    assert list(TimelineEvent.objects.filter(case=case).values_list("kind", flat=True)) == ["move_in_recorded"]


@pytest.mark.parametrize(("kw", "field", "message"), [
    ({"learnt_on": d(2026, 1, 13)}, "transferred_on", "on or after the date this council learnt of the move"),
    ({"transferred_on": d(2023, 5, 31)}, "transferred_on", "on or after the date of the plan"),
    ({"plan_or_last_review_on": d(2023, 5, 1)}, "plan_or_last_review_on", "on or after the date of the plan"),
    ({"learnt_on": d(2026, 2, 3)}, "learnt_on", "today or in the past"),
    ({"needs": NEEDS[1:]}, "need1_need_type", "primary need"),
    ({"needs": [NEEDS[0], {**NEEDS[1], "rank": 1}]}, "need1_need_type", "primary need"),
    ({"needs": [{**NEEDS[0], "need_type": "XYZ"}]}, "need1_need_type", "SEN2 need type"),
    ({"needs": [{**NEEDS[0], "description": " "}]}, "need1_description", "section B"),
    ({"needs": NEEDS[:1], "provisions": [{**PROVISIONS[0], "needs": [2]}]}, "provision1_needs", "need of this plan"),
    ({"provisions": [{**PROVISIONS[0], "needs": []}]}, "provision1_needs", "need of this plan"),
    ({"provisions": [{**PROVISIONS[0], "outcomes": [2]}]}, "provision1_outcomes", "outcomes entered above"),
    ({"provisions": [{**PROVISIONS[0], "frequency": ""}]}, "provision1_frequency", "how often"),
    ({"outcomes": [{**OUTCOMES[0], "area": ""}]}, "outcome1_area", "area of need"),
    ({"setting_type": ""}, "named_setting", "section I"),
    ({"carers": []}, "carer1_first_name", "reg 15(4)"),
    ({"carers": [{**CARERS[0], "last_name": ""}]}, "carer1_last_name", "last name"),
    ({"other_la_code": "919"}, "other_la_code", "not this council's"),
])
def test_bad_transfer_in_refused_nothing_changed(personas, at_today, kw, field, message):
    from ehcflow.people.models import Carer, Child

    with pytest.raises(StepRefused) as exc:
        move_in(personas["coordinator"], **kw)
    assert message in " ".join(exc.value.message_dict[field]), exc.value.message_dict
    assert not Child.objects.filter(first_name="Casey").exists()
    assert not Carer.objects.filter(first_name="Jo").exists() and not LaTransfer.objects.exists()


def test_a_young_person_over_school_age_needs_no_parent_recorded(personas, at_today):
    case = move_in(personas["coordinator"], carers=[],
                   child_details={**CHILD, "first_name": "Casey", "upn": "", "uln": "1234567890",
                                  "date_of_birth": d(2008, 1, 10)})
    assert not case.child.carer_links.exists()


def test_a_child_with_a_plan_here_is_not_recorded_twice(personas, at_today):
    move_in(personas["coordinator"])
    assert "already has a request or a plan with this council" in refused(move_in, personas["coordinator"])
    assert Case.objects.filter(child__first_name="Casey").count() == 1


def test_a_child_moving_back_in_keeps_one_record(personas, issued):  # noqa: F811
    """Alex moved to Lambeth (plan ceased, reason 5) and comes back: the same child, a new case and plan."""
    from ehcflow.people.models import Child

    actor = personas["coordinator"]
    move_out(issued, actor)
    sent(issued, actor)
    sam = {"first_name": "Sam", "last_name": "Testerby", "relationship": "Parent", "email": "", "phone": "",
           "address": ""}
    case = move_in(actor, child_details={**CHILD, "postcode": "SG14 1AA"}, carers=[sam, CARERS[0]],
                   transferred_on=d(2026, 1, 30), plan_issued_on=d(2026, 1, 20), plan_or_last_review_on=None,
                   learnt_on=d(2026, 1, 26))
    assert case.child_id == issued.child_id and Child.objects.count() == 2  # Alex and Blake (tests.conftest.case)
    child = Child.objects.get(pk=issued.child_id)
    assert child.postcode == "SG14 1AA" and child.history.count() >= 2
    assert sorted(child.carer_links.values_list("carer__first_name", "main_contact")) == [("Jo", False),
                                                                                        ("Sam", True)]
    assert fresh(issued).stage == Stage.CEASED and case.stage == Stage.PLAN_ISSUED


def test_a_child_known_to_another_team_or_with_another_birth_date_is_refused(personas, issued):  # noqa: F811
    actor = personas["coordinator"]
    move_out(issued, actor)
    sent(issued, actor)
    kw = dict(transferred_on=d(2026, 1, 30), plan_issued_on=d(2026, 1, 20), plan_or_last_review_on=None)
    assert "known to another team" in refused(move_in, personas["other_team_coordinator"],
                                              child_details=CHILD, **kw)
    assert "gives the date of birth 27 March 2017" in refused(
        move_in, actor, child_details={**CHILD, "date_of_birth": d(2017, 3, 28)}, **kw)
    assert Case.objects.filter(child_id=issued.child_id).count() == 1


def test_family_notice_records_the_choice_and_the_review_date(personas, at_today):
    actor = personas["coordinator"]
    case = move_in(actor)
    transfer = ms.open_transfer(case.plan, "in")

    def notify(**kw):
        args = dict(notified_on=d(2026, 1, 20), will_assess=True, review_proposed_on=d(2026, 5, 19))
        args.update(kw)
        return ms.move_in_notified_record(actor=actor, la_transfer=transfer, version=fresh(case).version,
                                          token=token(), **args)

    # reg 15(5): the later of 12 months from the last review (20 May 2025) and 3 months from 12 January 2026.
    assert "by 19 May 2026" in refused(notify, review_proposed_on=d(2026, 5, 20))
    assert "on or after the date the plan transferred" in refused(notify, review_proposed_on=d(2026, 1, 11))
    assert "whether this council proposes" in refused(notify, will_assess=None)
    assert LaTransfer.objects.get().family_notified_on is None
    notify()
    row = LaTransfer.objects.get()
    assert (row.family_notified_on, row.will_assess, row.review_proposed_on) == (d(2026, 1, 20), True,
                                                                                 d(2026, 5, 19))
    event = case.timeline.order_by("-id").first()
    assert "proposes to make an EHC needs assessment" in event.summary and "19 May 2026" in event.summary
    assert "awaiting the family's notice" in refused(notify)


# --- A move that falls through ------------------------------------------------------------------------------

def cancel(case, actor, **kw):
    case = fresh(case)
    args = dict(cancelled_on=d(2026, 1, 5), reason="The family's new tenancy fell through")
    args.update(kw)
    return ms.move_cancel(actor=actor, plan=case.plan, version=case.version, token=token(), **args)


def test_cancel_a_move_removes_its_deadlines_and_keeps_the_record(personas, issued):  # noqa: F811
    actor = personas["coordinator"]
    move_out(issued, actor)
    assert set(CaseDeadline.objects.filter(case=issued).values_list("key", flat=True)) >= {
        "plan_transfer", "health_body_notice"}
    cancel(issued, actor)
    case = fresh(issued)
    transfer = LaTransfer.objects.get()
    assert (transfer.cancelled_on, transfer.cancel_reason) == (d(2026, 1, 5), "The family's new tenancy fell through")
    assert not transfer.is_open and case.stage == Stage.PLAN_ISSUED
    keys = set(CaseDeadline.objects.filter(case=case).values_list("key", flat=True))
    assert not keys & {"plan_transfer", "health_body_notice"} and "first_review_decision" in keys
    event = case.timeline.order_by("-id").first()
    assert event.kind == "move_out_cancelled" and event.reason == transfer.cancel_reason
    assert not Cessation.objects.exists()
    assert "No move to another council is pending" in refused(cancel, issued, actor)
    move_out(issued, actor, learnt_on=d(2026, 1, 20), move_on=d(2026, 3, 2))  # a later move is recorded afresh
    assert LaTransfer.objects.count() == 2


@pytest.mark.parametrize(("kw", "field", "message"), [
    ({"reason": "  "}, "reason", "why the move is not going ahead"),
    ({"cancelled_on": d(2025, 12, 14)}, "cancelled_on", "learnt of the move"),
    ({"cancelled_on": d(2026, 2, 3)}, "cancelled_on", "today or in the past"),
])
def test_bad_cancel_refused_nothing_changed(personas, issued, kw, field, message):  # noqa: F811
    actor = personas["coordinator"]
    move_out(issued, actor)
    version = fresh(issued).version
    with pytest.raises(StepRefused) as exc:
        cancel(issued, actor, **kw)
    assert message in " ".join(exc.value.message_dict[field])
    assert fresh(issued).version == version and LaTransfer.objects.get().is_open


def test_cancel_refused_once_the_plan_has_been_transferred(personas, issued):  # noqa: F811
    actor = personas["coordinator"]
    move_out(issued, actor)
    sent(issued, actor)
    message = refused(cancel, issued, actor)
    assert "sent to Lambeth on 6 January 2026" in message and "cannot be cancelled" in message
    assert LaTransfer.objects.get().cancelled_on is None and fresh(issued).stage == Stage.CEASED


def test_cancel_refused_by_a_coordinator_of_another_team(personas, issued):  # noqa: F811
    move_out(issued, personas["coordinator"])
    with pytest.raises(NotAllowed):
        cancel(issued, personas["other_team_coordinator"])
    assert LaTransfer.objects.get().is_open


# --- reg 16: the change of health commissioning body ---------------------------------------------------------

def health(case, actor, **kw):
    case = fresh(case)
    args = dict(health_body_changes=True, notified_on=d(2025, 12, 19))
    args.update(kw)
    return ms.move_health_notice_record(actor=actor, plan=case.plan, version=case.version, token=token(), **args)


def test_health_notice_recorded_meets_the_deadline(personas, issued):  # noqa: F811
    actor = personas["coordinator"]
    move_out(issued, actor)
    row = CaseDeadline.objects.get(case=issued, key="health_body_notice")
    assert row.due_on == d(2026, 1, 7) and "reg 16" in row.source
    health(issued, actor)
    transfer = LaTransfer.objects.get()
    assert (transfer.health_body_changes, transfer.health_notified_on) == (True, d(2025, 12, 19))
    assert not CaseDeadline.objects.filter(case=issued, key="health_body_notice").exists()
    assert fresh(issued).timeline.order_by("-id").first().kind == "move_health_notice"
    assert "was told on 19 December 2025" in refused(health, issued, actor)


def test_health_body_not_changing_removes_the_deadline(personas, issued):  # noqa: F811
    actor = personas["coordinator"]
    move_out(issued, actor)
    health(issued, actor, health_body_changes=False, notified_on=d(2025, 12, 19))
    transfer = LaTransfer.objects.get()
    assert (transfer.health_body_changes, transfer.health_notified_on) == (False, None)
    assert not CaseDeadline.objects.filter(case=issued, key="health_body_notice").exists()
    assert "no notice is needed" in refused(health, issued, actor)


def test_move_out_answered_no_change_has_no_health_deadline(personas, issued):  # noqa: F811
    move_out(issued, personas["coordinator"], health_body_changes=False)
    assert not CaseDeadline.objects.filter(case=issued, key="health_body_notice").exists()
    assert ms.step_refusal("move-health-notice", fresh(issued)) is not None


@pytest.mark.parametrize(("kw", "field", "message"), [
    ({"notified_on": None}, "notified_on", "Enter the date"),
    ({"notified_on": d(2025, 12, 12)}, "notified_on", "learnt of the move"),
    ({"notified_on": d(2026, 2, 3)}, "notified_on", "today or in the past"),
    ({"health_body_changes": None}, "health_body_changes", "Select whether"),
])
def test_bad_health_notice_refused_nothing_changed(personas, issued, kw, field, message):  # noqa: F811
    actor = personas["coordinator"]
    move_out(issued, actor)
    version = fresh(issued).version
    with pytest.raises(StepRefused) as exc:
        health(issued, actor, **kw)
    assert message in " ".join(exc.value.message_dict[field])
    transfer = LaTransfer.objects.get()
    assert fresh(issued).version == version and transfer.health_body_changes is None
    assert transfer.health_notified_on is None


def test_health_notice_refused_without_a_pending_move(personas, issued):  # noqa: F811
    assert "No move to another council is pending" in refused(health, issued, personas["coordinator"])


def test_health_notice_recorded_with_the_plan_sent(personas, issued):  # noqa: F811
    actor = personas["coordinator"]
    move_out(issued, actor)
    case = fresh(issued)
    transfer = ms.open_transfer(case.plan, "out")
    ms.move_out_sent_record(actor=actor, la_transfer=transfer, version=case.version, token=token(),
                            transferred_on=d(2026, 1, 6), health_notified_on=d(2026, 1, 6))
    transfer = LaTransfer.objects.get()
    assert (transfer.transferred_on, transfer.health_body_changes, transfer.health_notified_on) == (
        d(2026, 1, 6), True, d(2026, 1, 6))
    assert "health commissioning body told on 6 January 2026" in fresh(issued).timeline.get(
        kind="move_out_sent").summary


def test_health_notice_with_the_plan_sent_refused_when_none_is_awaited(personas, issued):  # noqa: F811
    actor = personas["coordinator"]
    move_out(issued, actor, health_body_changes=False)
    case = fresh(issued)
    with pytest.raises(StepRefused) as exc:
        ms.move_out_sent_record(actor=actor, la_transfer=ms.open_transfer(case.plan, "out"), version=case.version,
                                token=token(), transferred_on=d(2026, 1, 6), health_notified_on=d(2026, 1, 6))
    assert "leave this blank" in " ".join(exc.value.message_dict["health_notified_on"])
    assert fresh(issued).stage == Stage.PLAN_ISSUED and LaTransfer.objects.get().transferred_on is None
