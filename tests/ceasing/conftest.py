"""A plan issued 28 April 2025 (the reference's worked example) and helpers for each ceasing step."""

import datetime

import pytest
import time_machine

from ehcflow.ceasing import services as cs
from tests.conftest import advance, fresh, token

d = datetime.date


@pytest.fixture
def at_today():
    with time_machine.travel(datetime.datetime(2026, 2, 2, 12, 0), tick=False):
        yield d(2026, 2, 2)


@pytest.fixture
def issued(personas, case, school, at_today):
    return advance(case, personas["coordinator"], "plan_issued", school=school)


def with_birth_date(case, dob):
    from ehcflow.people.models import Child

    Child.objects.filter(pk=case.child_id).update(date_of_birth=dob)
    return fresh(case)


def open_cessation(case):
    return cs.open_cessation(fresh(case).plan)


def propose(case, actor, reason="2", proposed_on=d(2026, 1, 5), **kw):
    case = fresh(case)
    return cs.cease_propose(actor=actor, plan=case.plan, version=case.version, token=token(), reason=reason,
                            proposed_on=proposed_on, **kw)


def consult(case, actor, consulted_on=d(2026, 1, 12), views="Parents agree; school agrees needs are met"):
    case = fresh(case)
    return cs.cease_consultation_record(actor=actor, cessation=open_cessation(case), version=case.version,
                                        token=token(), consulted_on=consulted_on, views=views)


def decide(case, actor, decision="cease", decision_on=d(2026, 1, 19), notice_sent_on=d(2026, 1, 19)):
    case = fresh(case)
    return cs.cease_decision_record(actor=actor, cessation=open_cessation(case), version=case.version, token=token(),
                                    decision=decision, decision_on=decision_on, notice_sent_on=notice_sent_on)


def appeal(case, actor, registered_on=d(2026, 1, 26)):
    case = fresh(case)
    return cs.cease_appeal_record(actor=actor, cessation=open_cessation(case), version=case.version, token=token(),
                                  registered_on=registered_on)


def appeal_outcome(case, actor, outcome="dismissed", concluded_on=d(2026, 1, 30)):
    case = fresh(case)
    return cs.cease_appeal_outcome_record(actor=actor, cessation=open_cessation(case), version=case.version,
                                          token=token(), concluded_on=concluded_on, outcome=outcome)


def cease(case, actor, ceased_on=d(2026, 2, 2)):
    case = fresh(case)
    return cs.cease_plan(actor=actor, cessation=open_cessation(case), version=case.version, token=token(),
                         ceased_on=ceased_on)
