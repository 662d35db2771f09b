"""Mediation and appeal services with fixed dates: each step, its refusals (nothing changed) and the SEN2 flags."""

import datetime

import pytest

from ehcflow.appeals.models import Disagreement
from ehcflow.appeals.selectors import sen2_flags
from ehcflow.cases.models import TimelineEvent
from ehcflow.core.errors import StepRefused
from ehcflow.deadlines.models import CaseDeadline
from tests.appeals.conftest import (certificate, complied, contact, first_step, held, last, notice, order, outcome,
                                    register)
from tests.conftest import fresh

d = datetime.date


def _kinds(case):
    return [e.kind for e in TimelineEvent.objects.filter(case=case).order_by("pk") if e.kind.startswith("appeal")]


def test_refusal_to_assess_through_to_an_order_complied_with(personas, refused):
    actor = personas["coordinator"]
    notice(refused, actor)
    contact(refused, actor)
    assert set(CaseDeadline.objects.filter(case=refused).values_list("key", flat=True)) == {"mediation_certificate"}
    assert fresh(refused).next_deadline_due == d(2025, 3, 6)  # reg 34: 3 working days after contact
    certificate(refused, actor)
    register(refused, actor)
    outcome(refused, actor)
    order(refused, actor)
    assert set(CaseDeadline.objects.filter(case=refused).values_list("key", flat=True)) == {
        "order_assess_notice", "order_assess_plan"}
    first_step(refused, actor)
    complied(refused, actor)
    assert not CaseDeadline.objects.filter(case=refused).exists()
    assert _kinds(refused) == ["appeal_notice", "appeal_mediation_contact", "appeal_certificate", "appeal_registered",
                               "appeal_outcome", "appeal_order", "appeal_order_step", "appeal_complied"]
    assert sen2_flags(fresh(refused)) == {"RequestMediation": 0, "RequestTribunal": 1, "AssessmentMediation": 0,
                                          "AssessmentTribunal": 0, "OtherMediation": 0, "OtherTribunal": 0}


def _unchanged(case, fn, match, **kw):
    before_version = fresh(case).version
    before = Disagreement.objects.filter(case=case).values().first()
    events = TimelineEvent.objects.filter(case=case).count()
    with pytest.raises(StepRefused, match=match):
        fn(case, **kw)
    assert fresh(case).version == before_version and TimelineEvent.objects.filter(case=case).count() == events
    assert Disagreement.objects.filter(case=case).values().first() == before


def test_refusals_change_nothing(personas, refused):
    actor = personas["coordinator"]
    _unchanged(refused, lambda c: notice(c, actor, kind="plan_contents"), "only be: refusal to assess")
    notice(refused, actor)
    _unchanged(refused, lambda c: contact(c, actor, contacted_on=d(2025, 2, 1)), "on or after")
    _unchanged(refused, lambda c: certificate(c, actor), "contact with the mediation adviser")
    _unchanged(refused, lambda c: register(c, actor), "mediation certificate")
    _unchanged(refused, lambda c: outcome(c, actor), "No appeal is registered")
    contact(refused, actor, wanted=True)
    held(refused, actor)
    _unchanged(refused, lambda c: certificate(c, actor, issued_on=d(2025, 3, 19)), "on or after the mediation")
    certificate(refused, actor, issued_on=d(2025, 3, 21))
    _unchanged(refused, lambda c: register(c, actor, registered_on=d(2025, 3, 20)), "on or after")
    register(refused, actor, registered_on=d(2025, 4, 22))
    _unchanged(refused, lambda c: order(c, actor), "upheld or conceded")
    _unchanged(refused, lambda c: complied(c, actor), "no order to comply with")
    outcome(refused, actor, outcome="conceded", outcome_on=d(2025, 5, 1))
    order(refused, actor, order="assess", order_on=d(2025, 5, 1))
    _unchanged(refused, lambda c: complied(c, actor), "first")
    _unchanged(refused, lambda c: first_step(c, actor, done_on=d(2025, 4, 30)), "on or after the order")
    assert sen2_flags(fresh(refused))["RequestMediation"] == 1


def test_the_notice_is_refused_on_a_case_still_open(personas, case, at_today):
    with pytest.raises(StepRefused, match="appealable decision is recorded after"):
        notice(case, personas["coordinator"])
    assert not Disagreement.objects.exists()


def test_section_i_only_needs_no_certificate(personas, issued):
    actor = personas["coordinator"]
    notice(issued, actor, kind="plan_contents", notice_sent_on=d(2025, 4, 28))
    _unchanged(issued, lambda c: register(c, actor, registered_on=d(2025, 6, 2), sections=["C", "I"]),
               "sections B, F and I")
    with pytest.raises(StepRefused, match="Choose the sections"):
        register(issued, actor, registered_on=d(2025, 6, 2))
    with pytest.raises(StepRefused, match="mediation certificate"):
        register(issued, actor, registered_on=d(2025, 6, 2), sections=["F", "I"])
    register(issued, actor, registered_on=d(2025, 6, 2), sections=["I"])
    assert last(issued).sections == "I" and not last(issued).certificate_needed
    outcome(issued, actor, outcome="upheld", outcome_on=d(2025, 10, 1))
    order(issued, actor, order="amend", order_on=d(2025, 10, 1))
    assert list(CaseDeadline.objects.filter(case=issued, key="order_amend").values_list("due_on", flat=True)) == [
        d(2025, 11, 5)]
    with pytest.raises(StepRefused, match="single step"):
        first_step(issued, actor, done_on=d(2025, 10, 10))
    complied(issued, actor, complied_on=d(2025, 11, 3))
    flags = sen2_flags(fresh(issued))
    assert flags["OtherTribunal"] == 1 and flags["OtherMediation"] == 0 and flags["RequestTribunal"] == 0


def test_refusal_to_issue_flags_assessment(personas, case, at_today):
    from ehcflow.cases import services
    from tests.conftest import advance, token

    c = advance(case, personas["coordinator"], "assessing")
    services.advice_request_send(actor=personas["coordinator"], case=c, version=c.version, token=token(),
                                 advice_type="ep", advisor="Dr A Okafor", sent_on=d(2025, 2, 11))
    c = fresh(c)
    services.outcome_record(actor=personas["coordinator"], case=c, version=c.version, token=token(),
                            outcome_on=d(2025, 3, 24), outcome="not_issue", reasons="Needs can be met")
    actor = personas["coordinator"]
    notice(c, actor, kind="refuse_issue", notice_sent_on=d(2025, 3, 24))
    contact(c, actor, contacted_on=d(2025, 4, 1), wanted=True)
    held(c, actor, held_on=d(2025, 4, 20))
    flags = sen2_flags(fresh(c))
    assert flags["AssessmentMediation"] == 1 and flags["AssessmentTribunal"] == 0


def test_sen2_flags_without_disagreements_are_all_zero(personas, issued):
    assert set(sen2_flags(fresh(issued)).values()) == {0}


def test_an_appeal_against_ceasing_keeps_the_plan_maintained(personas, issued):
    """Recorded here, the appeal is mirrored on the decision to cease, so the plan cannot cease meanwhile."""
    from ehcflow.ceasing.models import Cessation
    from tests.ceasing.conftest import consult, decide, propose

    actor = personas["coordinator"]
    propose(issued, actor)
    consult(issued, actor)
    decide(issued, actor)  # notice with appeal rights sent 19 January 2026
    notice(issued, actor, kind="cease", notice_sent_on=d(2026, 1, 19))
    contact(issued, actor, contacted_on=d(2026, 1, 20))
    certificate(issued, actor, issued_on=d(2026, 1, 22))
    register(issued, actor, registered_on=d(2026, 1, 26))
    cessation = Cessation.objects.get()
    assert cessation.appeal_registered_on == d(2026, 1, 26) and cessation.appeal_pending
    outcome(issued, actor, outcome="upheld", outcome_on=d(2026, 1, 30))
    cessation.refresh_from_db()
    assert cessation.appeal_outcome == "upheld" and not cessation.is_open
