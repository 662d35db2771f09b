"""A child with an issued plan at a primary school (born 27 March 2017: Year 7 in September 2028), seen on
10 November 2027: the move to secondary school is due, the amended plan by 14 February 2028 (reg 18(1))."""

import datetime

import pytest
import time_machine

from ehcflow.people.models import Setting
from ehcflow.transfers import services as ts
from tests.conftest import advance, fresh, token

d = datetime.date
TODAY = d(2027, 11, 10)
MOVE = d(2028, 9, 1)
DUE = d(2028, 2, 14)


@pytest.fixture
def at_today():
    with time_machine.travel(datetime.datetime(2027, 11, 10, 12, 0), tick=False):
        yield TODAY


@pytest.fixture
def issued(personas, case, school, at_today):
    return advance(case, personas["coordinator"], "plan_issued", school=school)


@pytest.fixture
def secondary(db):
    return Setting.objects.create(name="Beech Hill High School", urn="100010", phase="secondary", kind="mainstream")


@pytest.fixture
def college(db):
    return Setting.objects.create(name="Hartshire College", ukprn="10000001", phase="post16", kind="fe_college")


def start(case, actor, kind="primary_to_secondary", **kwargs):
    case = fresh(case)
    return ts.transfer_start(actor=actor, plan=case.plan, version=case.version, token=token(), kind=kind, **kwargs)


def agree(case, actor, setting, agreed_on=d(2027, 11, 10)):
    case = fresh(case)
    return ts.transfer_setting_record(actor=actor, transfer=ts.open_transfer(case.plan), version=case.version,
                                      token=token(), new_setting=setting, agreed_on=agreed_on)


def complete(case, actor, completed_on=d(2027, 11, 10), **kwargs):
    case = fresh(case)
    return ts.transfer_complete(actor=actor, transfer=ts.open_transfer(case.plan), version=case.version,
                                token=token(), completed_on=completed_on, **kwargs)
