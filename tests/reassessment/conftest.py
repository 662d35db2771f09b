"""A plan issued 28 April 2025 (the reference's worked example), today 2 February 2026, and step helpers."""

import datetime

import pytest
import time_machine

from ehcflow.reassessment import services as ras
from tests.conftest import advance, fresh, token

d = datetime.date


@pytest.fixture
def at_today():
    with time_machine.travel(datetime.datetime(2026, 2, 2, 12, 0), tick=False):
        yield d(2026, 2, 2)


@pytest.fixture
def issued(personas, case, school, at_today):
    return advance(case, personas["coordinator"], "plan_issued", school=school)


def current(case):
    return ras.open_reassessment(fresh(case).plan)


def request(case, actor, requested_on=d(2026, 1, 5), requested_by="family", reasons="Needs have changed"):
    case = fresh(case)
    return ras.reassessment_request(actor=actor, plan=case.plan, version=case.version, token=token(),
                                    requested_on=requested_on, requested_by=requested_by, reasons=reasons)


def decide(case, actor, decision="reassess", decision_on=d(2026, 1, 19), reasons="New diagnosis"):
    case = fresh(case)
    return ras.reassessment_decision_record(actor=actor, reassessment=current(case), version=case.version,
                                            token=token(), decision=decision, decision_on=decision_on,
                                            reasons=reasons)


def exception(case, actor, reason="A(c)", evidence="Child in hospital for 5 weeks", recorded_on=d(2026, 1, 26)):
    case = fresh(case)
    return ras.reassessment_exception_record(actor=actor, reassessment=current(case), version=case.version,
                                             token=token(), reason=reason, evidence=evidence,
                                             recorded_on=recorded_on)


def issue(case, actor, plan_issued_on=d(2026, 2, 2)):
    case = fresh(case)
    return ras.reassessment_plan_issue(actor=actor, reassessment=current(case), version=case.version,
                                       token=token(), plan_issued_on=plan_issued_on)
