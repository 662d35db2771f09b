"""Ceasing a plan: each step with fixed dates; bad input refused with a clear message and nothing changed."""

import datetime

import pytest
import time_machine

from ehcflow.cases.models import Stage
from ehcflow.ceasing import services as cs
from ehcflow.ceasing.models import Cessation
from ehcflow.core.errors import StepRefused
from ehcflow.deadlines.models import CaseDeadline
from ehcflow.reviews import services as rs
from tests.ceasing.conftest import (
    appeal,
    appeal_outcome,
    cease,
    consult,
    decide,
    open_cessation,
    propose,
    with_birth_date,
)
from tests.conftest import advance, fresh, token

d = datetime.date


def refused(fn, *args, **kwargs) -> str:
    with pytest.raises(StepRefused) as exc:
        fn(*args, **kwargs)
    return " ".join(exc.value.messages)


def unchanged(case, version):
    assert fresh(case).version == version


def test_full_path_with_an_appeal(personas, issued):
    actor = personas["coordinator"]
    propose(issued, actor)
    consult(issued, actor)
    decide(issued, actor)
    appeal(issued, actor)
    version = fresh(issued).version
    message = refused(cease, issued, actor)
    assert "appeal against the decision is pending" in message and "maintained" in message
    unchanged(issued, version)
    assert fresh(issued).stage == Stage.PLAN_ISSUED
    appeal_outcome(issued, actor)
    cessation = cease(issued, actor)
    case = fresh(issued)
    assert case.stage == Stage.CEASED and cessation.ceased_on == d(2026, 2, 2) and cessation.reason == "2"
    assert not CaseDeadline.objects.filter(case=case).exists()  # nothing further awaited
    assert case.next_deadline_due is None
    assert case.timeline.filter(kind="plan_ceased").count() == 1
    assert rs.step_refusal("review-arrange", case) is not None
    assert cs.step_refusal("cease-propose", case) is not None
    assert cessation.history.count() >= 5


def test_upheld_appeal_keeps_the_plan(personas, issued):
    actor = personas["coordinator"]
    propose(issued, actor)
    consult(issued, actor)
    decide(issued, actor)
    appeal(issued, actor)
    appeal_outcome(issued, actor, outcome="upheld")
    assert open_cessation(issued) is None and fresh(issued).stage == Stage.PLAN_ISSUED
    propose(issued, actor, proposed_on=d(2026, 2, 1))  # a new proposal is possible later


def test_decision_not_to_cease_closes_the_proposal(personas, issued):
    actor = personas["coordinator"]
    propose(issued, actor)
    consult(issued, actor)
    decide(issued, actor, decision="maintain", notice_sent_on=None)
    assert open_cessation(issued) is None and fresh(issued).stage == Stage.PLAN_ISSUED


@pytest.mark.parametrize("reason", ["3", "4", "6"])
def test_over_school_age_reasons_refused_for_a_child(personas, issued, reason):
    version = fresh(issued).version
    message = refused(propose, issued, personas["coordinator"], reason=reason)
    assert "over compulsory school age" in message and "24 June 2033" in message
    unchanged(issued, version)
    assert not Cessation.objects.exists()


def test_over_school_age_reason_accepted_after_the_school_leaving_date(personas, case, school, at_today):
    with_birth_date(case, d(2008, 3, 1))  # leaving date 27 June 2024
    issued = advance(case, personas["coordinator"], "plan_issued", school=school)
    assert propose(issued, personas["coordinator"], reason="3").reason == "3"


@pytest.mark.parametrize(("dob", "leaving"), [
    (d(2009, 8, 31), d(2025, 6, 27)),  # turns 16 in August: same school year
    (d(2009, 9, 1), d(2026, 6, 26)),  # turns 16 in September: the next school year
    (d(2010, 1, 15), d(2026, 6, 26)),
])
def test_school_leaving_date(dob, leaving):
    assert cs.school_leaving_date(dob) == leaving


def test_reason_5_only_through_a_move(personas, issued):
    assert "record the move out" in refused(propose, issued, personas["coordinator"], reason="5")
    assert not Cessation.objects.exists()


def test_reason_9_needs_details(personas, issued):
    assert "Say what the other reason is" in refused(propose, issued, personas["coordinator"], reason="9")


def test_maximum_age_refused_years_ahead(personas, issued):
    message = refused(propose, issued, personas["coordinator"], reason="1")
    assert "31 July 2042" in message and "s.46" in message


def test_maximum_age_proposed_ahead_but_ceased_only_at_the_limit(personas, case, school, at_today):
    with_birth_date(case, d(2000, 9, 15))  # turns 25 on 15 September 2025: limit 31 July 2026
    issued = advance(case, personas["coordinator"], "plan_issued", school=school)
    actor = personas["coordinator"]
    propose(issued, actor, reason="1")
    consult(issued, actor)
    decide(issued, actor)
    version = fresh(issued).version
    with time_machine.travel(datetime.datetime(2026, 4, 1, 12), tick=False):  # after the appeal period
        assert "31 July 2026" in refused(cease, issued, actor, ceased_on=d(2026, 3, 20))
    unchanged(issued, version)
    with time_machine.travel(datetime.datetime(2026, 8, 3, 12), tick=False):
        cease(issued, actor, ceased_on=d(2026, 7, 31))
    assert fresh(issued).stage == Stage.CEASED


@pytest.mark.parametrize(("dob", "ok"), [(d(2007, 1, 1), True), (d(2007, 6, 1), False)])
def test_adult_estate_from_19(personas, case, school, at_today, dob, ok):
    with_birth_date(case, dob)  # 19 on 1 January 2026; 18 until 1 June 2026
    issued = advance(case, personas["coordinator"], "plan_issued", school=school)
    if ok:
        assert propose(issued, personas["coordinator"], reason="1", adult_estate=True).adult_estate
    else:
        assert "from age 19" in refused(propose, issued, personas["coordinator"], reason="1", adult_estate=True)


def test_deceased_at_any_age_without_consultation(personas, issued):
    actor = personas["coordinator"]
    propose(issued, actor, reason="8")
    assert cs.step_refusal("cease-consult", fresh(issued)) == "No consultation is needed for this reason."
    cease(issued, actor, ceased_on=d(2026, 1, 6))
    assert fresh(issued).stage == Stage.CEASED


def test_steps_out_of_order_and_dates_out_of_order(personas, issued):
    actor = personas["coordinator"]
    propose(issued, actor)
    version = fresh(issued).version
    assert "Consult" in refused(decide, issued, actor)
    assert "after the decision to cease has been sent" in refused(cease, issued, actor)
    assert "on or after the date ceasing was proposed (5 January 2026)" in refused(
        consult, issued, actor, consulted_on=d(2026, 1, 4))
    assert "today or in the past" in refused(consult, issued, actor, consulted_on=d(2026, 2, 3))
    unchanged(issued, version)
    consult(issued, actor)
    assert "on or after the decision" in refused(decide, issued, actor, notice_sent_on=d(2026, 1, 18))
    assert "notice with the right to appeal" in refused(decide, issued, actor, notice_sent_on=None)
    decide(issued, actor)
    assert "on or after the notice" in refused(appeal, issued, actor, registered_on=d(2026, 1, 18))
    with time_machine.travel(datetime.datetime(2026, 4, 1, 12), tick=False):  # after the appeal period
        assert "on or after the notice" in refused(cease, issued, actor, ceased_on=d(2026, 1, 18))
    assert "already proposed" in refused(propose, issued, actor)
    assert "before the date the plan was issued" not in refused(propose, issued, actor)


def test_propose_before_the_plan_refused(personas, issued):
    assert "the date the plan was issued (28 April 2025)" in refused(
        propose, issued, personas["coordinator"], proposed_on=d(2025, 4, 1))


def test_not_on_a_case_without_a_final_plan(personas, case, at_today):
    from ehcflow.cases.models import Case

    case = fresh(case)
    assert cs.step_refusal("cease-propose", case) is not None


def test_age_limit_list_one_query(personas, case, school, at_today, django_assert_num_queries):
    from ehcflow.ceasing.selectors import latest_birth_date_reaching_limit_by, plans_reaching_age_limit

    assert latest_birth_date_reaching_limit_by(d(2027, 2, 2)) == d(2001, 7, 31)
    assert latest_birth_date_reaching_limit_by(d(2027, 7, 31)) == d(2002, 7, 31)
    with_birth_date(case, d(2001, 5, 1))  # limit 31 July 2026
    advance(case, personas["coordinator"], "plan_issued", school=school)
    with django_assert_num_queries(1):
        rows = list(plans_reaching_age_limit(user=personas["coordinator"], today=d(2026, 2, 2)))
    assert [c.pk for c in rows] == [case.pk]
    assert list(plans_reaching_age_limit(user=personas["other_team_coordinator"], today=d(2026, 2, 2))) == []
    assert list(plans_reaching_age_limit(user=personas["coordinator"], today=d(2025, 7, 30))) == []


def test_double_submission_records_once(personas, issued):
    from ehcflow.core.errors import DuplicateSubmission

    actor = personas["coordinator"]
    case = fresh(issued)
    t = token()
    cs.cease_propose(actor=actor, plan=case.plan, version=case.version, token=t, reason="2", proposed_on=d(2026, 1, 5))
    case = fresh(issued)
    with pytest.raises(DuplicateSubmission):
        cs.cease_propose(actor=actor, plan=case.plan, version=case.version, token=t, reason="2",
                         proposed_on=d(2026, 1, 5))
    assert Cessation.objects.count() == 1


# --- The plan is kept until the family's time to appeal has passed (reg 31; HESC r.20(1)(c)) ------------------


def test_plan_kept_until_the_appeal_period_has_passed(personas, issued):
    """Notice sent 19 January 2026: the family may appeal until 19 March 2026; the plan ceases from 20 March."""
    actor = personas["coordinator"]
    propose(issued, actor)
    consult(issued, actor)
    decide(issued, actor)
    assert "until 19 March 2026" in cs.step_refusal("cease", fresh(issued))
    version = fresh(issued).version
    with time_machine.travel(datetime.datetime(2026, 3, 25, 12), tick=False):
        assert cs.step_refusal("cease", fresh(issued)) is None
        message = refused(cease, issued, actor, ceased_on=d(2026, 3, 19))
        assert "can cease from 20 March 2026" in message and "reg 31" in message
        unchanged(issued, version)
        cease(issued, actor, ceased_on=d(2026, 3, 20))
    assert fresh(issued).stage == Stage.CEASED


def test_a_mediation_certificate_extends_the_wait(personas, issued):
    """Certificate issued 10 March 2026: the family may appeal until 10 April 2026 (a month after it)."""
    from ehcflow.appeals.models import Disagreement

    actor = personas["coordinator"]
    propose(issued, actor)
    consult(issued, actor)
    decide(issued, actor)
    Disagreement.objects.create(la_id=issued.la_id, case=issued, kind="cease", notice_sent_on=d(2026, 1, 19),
                                mediation_contacted_on=d(2026, 3, 5), mediation_wanted=False,
                                certificate_issued_on=d(2026, 3, 10))
    with time_machine.travel(datetime.datetime(2026, 4, 20, 12), tick=False):
        assert "until 10 April 2026" in refused(cease, issued, actor, ceased_on=d(2026, 3, 20))
        cease(issued, actor, ceased_on=d(2026, 4, 11))
    assert fresh(issued).stage == Stage.CEASED


def test_the_wait_can_be_switched_off(personas, issued, settings):
    """Councils whose lawyers read reg 31 as "only while an appeal is pending" can turn the wait off."""
    settings.EHCFLOW_CEASE_AFTER_APPEAL_PERIOD = False
    actor = personas["coordinator"]
    propose(issued, actor)
    consult(issued, actor)
    decide(issued, actor)
    cease(issued, actor)
    assert fresh(issued).stage == Stage.CEASED
