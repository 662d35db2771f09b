"""Mediation held within 30 days and the certificates after it; an order to assess complied with by a plan or by a
decision not to issue one (reg 44). Services with fixed dates: stored deadlines, refusals (nothing changed), SEN2."""

import datetime

import pytest
from django.apps import apps

from ehcflow.appeals.models import Compliance, Disagreement
from ehcflow.appeals.selectors import sen2_flags
from ehcflow.cases.models import TimelineEvent
from ehcflow.deadlines.models import CaseDeadline
from tests.appeals.conftest import (certificate, complied, contact, first_step, held, last, no_plan, notice, order,
                                    outcome, register)
from tests.appeals.test_appeals_services import _unchanged
from tests.conftest import fresh

d = datetime.date


def _stored(case):
    return {k: (due, status) for k, due, status in
            CaseDeadline.objects.filter(case=case).values_list("key", "due_on", "status")}


def _to_an_order_to_assess(case, actor, order_on=d(2026, 1, 5)):
    """A refusal to assess taken to the Tribunal, conceded, and an order to assess on 5 January 2026."""
    notice(case, actor)
    contact(case, actor)
    certificate(case, actor)
    register(case, actor)
    outcome(case, actor, outcome="conceded", outcome_on=order_on)
    order(case, actor, order="assess", order_on=order_on)


def test_mediation_held_then_the_mediators_certificate_then_the_appeal(personas, refused):
    actor = personas["coordinator"]  # today is Monday 2 February 2026
    notice(refused, actor, notice_sent_on=d(2026, 1, 5))
    contact(refused, actor, contacted_on=d(2026, 1, 12), wanted=True)
    assert _stored(refused) == {"mediation_held": (d(2026, 2, 11), "open")}  # 30 days
    assert fresh(refused).next_deadline_due == d(2026, 2, 11)
    held(refused, actor, held_on=d(2026, 1, 28))
    assert _stored(refused) == {"mediation_certificate_after": (d(2026, 2, 2), "open")}  # Thu, Fri, Mon
    assert fresh(refused).next_deadline_key == "mediation_certificate_after"
    _unchanged(refused, lambda c: certificate(c, actor, issued_on=d(2026, 1, 27)), "on or after the mediation")
    certificate(refused, actor, issued_on=d(2026, 2, 2))
    assert _stored(refused) == {}
    register(refused, actor, registered_on=d(2026, 2, 2))
    kinds = [e.kind for e in TimelineEvent.objects.filter(case=refused).order_by("pk") if e.kind.startswith("appeal")]
    assert kinds == ["appeal_notice", "appeal_mediation_contact", "appeal_mediation_held", "appeal_certificate",
                     "appeal_registered"]
    flags = sen2_flags(fresh(refused))
    assert flags["RequestMediation"] == 1 and flags["RequestTribunal"] == 1 and flags["OtherMediation"] == 0


def test_mediation_not_held_in_30_days_needs_the_certificate(personas, refused):
    actor = personas["coordinator"]
    notice(refused, actor)
    contact(refused, actor, contacted_on=d(2025, 3, 3), wanted=True)
    assert _stored(refused) == {"mediation_held": (d(2025, 4, 2), "missed"),  # today is 2 February 2026
                                "mediation_certificate_not_held": (d(2025, 4, 7), "missed")}
    certificate(refused, actor, issued_on=d(2025, 4, 7))  # 3 working days after the 30 days ended on 2 April
    assert _stored(refused) == {}  # the missed mediation is closed by the certificate: no longer work
    _unchanged(refused, lambda c: held(c, actor, held_on=d(2025, 4, 8)), "certificate issued")


def test_an_order_to_assess_complied_with_by_a_decision_not_to_issue_a_plan(personas, refused):
    actor = personas["coordinator"]
    _to_an_order_to_assess(refused, actor)
    _unchanged(refused, lambda c: no_plan(c, actor, decided_on=d(2026, 1, 20)), "the family told of the assessment")
    first_step(refused, actor, done_on=d(2026, 1, 12))
    assert _stored(refused) == {"order_assess_no_plan": (d(2026, 3, 16), "open"),
                                "order_assess_plan": (d(2026, 4, 13), "open")}
    assert fresh(refused).next_deadline_due == d(2026, 3, 16)
    _unchanged(refused, lambda c: no_plan(c, actor, decided_on=d(2026, 1, 11)), "on or after the notice")
    _unchanged(refused, lambda c: no_plan(c, actor, decided_on=d(2026, 2, 3)), "today or in the past")
    no_plan(refused, actor, decided_on=d(2026, 1, 30))
    item = last(refused)
    assert item.compliance == Compliance.NO_PLAN and item.complied_on == d(2026, 1, 30) and item.is_finished
    assert _stored(refused) == {}
    event = TimelineEvent.objects.filter(case=refused).order_by("-pk").first()
    assert event.kind == "appeal_no_plan" and "may appeal" in event.summary
    _unchanged(refused, lambda c: complied(c, actor, complied_on=d(2026, 2, 2)), "already recorded")
    flags = sen2_flags(fresh(refused))
    assert flags == {"RequestMediation": 0, "RequestTribunal": 1, "AssessmentMediation": 0, "AssessmentTribunal": 0,
                     "OtherMediation": 0, "OtherTribunal": 0}


def test_an_order_to_assess_complied_with_by_the_plan(personas, refused):
    actor = personas["coordinator"]
    _to_an_order_to_assess(refused, actor)
    first_step(refused, actor, done_on=d(2026, 1, 12))
    complied(refused, actor, complied_on=d(2026, 2, 2))
    assert last(refused).compliance == Compliance.FINAL_PLAN and _stored(refused) == {}
    assert TimelineEvent.objects.filter(case=refused).order_by("-pk").first().summary.endswith("final plan issued")


def test_a_no_plan_decision_does_not_comply_with_other_orders(personas, issued):
    actor = personas["coordinator"]
    notice(issued, actor, kind="plan_contents", notice_sent_on=d(2025, 4, 28))
    register(issued, actor, registered_on=d(2025, 6, 2), sections=["I"])
    outcome(issued, actor, outcome="upheld", outcome_on=d(2025, 10, 1))
    order(issued, actor, order="amend", order_on=d(2025, 10, 1))
    _unchanged(issued, lambda c: no_plan(c, actor, decided_on=d(2025, 10, 20)), "only with an order to assess")
    complied(issued, actor, complied_on=d(2025, 11, 3))
    assert last(issued).compliance == Compliance.AMENDED_PLAN


@pytest.mark.django_db
def test_the_migration_marks_orders_complied_with_before_the_choice(personas, issued):
    """Rows complied with before `compliance` existed were complied with by a plan (migration 0002)."""
    from importlib import import_module

    migration = import_module("ehcflow.appeals.migrations.0002_disagreement_compliance")
    base = dict(la_id=issued.la_id, case=issued, kind="refuse_amend", notice_sent_on=d(2025, 5, 1),
                order_on=d(2025, 9, 1), complied_on=d(2025, 10, 1))
    amend = Disagreement.objects.create(order="amend", **base)
    assess = Disagreement.objects.create(order="assess", **base)
    open_one = Disagreement.objects.create(order="assess", **{**base, "complied_on": None})
    migration.complied_before_the_choice(apps, None)
    got = {x.pk: x.compliance for x in Disagreement.objects.all()}
    assert got == {amend.pk: "amended_plan", assess.pk: "final_plan", open_one.pk: ""}
