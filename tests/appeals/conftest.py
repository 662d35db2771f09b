"""Cases for mediation and appeals: a refusal to assess (10 February 2025) and an issued plan (28 April 2025)."""

import datetime

import pytest
import time_machine

from ehcflow.appeals import services as s
from ehcflow.appeals.models import Disagreement
from ehcflow.cases import services
from tests.conftest import advance, fresh, token

d = datetime.date


@pytest.fixture
def at_today():
    with time_machine.travel(datetime.datetime(2026, 2, 2, 12, 0), tick=False):
        yield d(2026, 2, 2)


@pytest.fixture
def issued(personas, case, school, at_today):
    return advance(case, personas["coordinator"], "plan_issued", school=school)


@pytest.fixture
def refused(personas, case, at_today):
    c = fresh(case)
    services.decision_record(actor=personas["coordinator"], case=c, version=c.version, token=token(),
                             decided_on=d(2025, 2, 10), outcome="not_assess", reasons="Needs met at SEN support")
    return fresh(case)


def last(case):
    return Disagreement.objects.filter(case=case).order_by("-pk").first()


def notice(case, actor, kind="refuse_assess", notice_sent_on=d(2025, 2, 10)):
    c = fresh(case)
    return s.appeal_notice_record(actor=actor, case=c, version=c.version, token=token(), kind=kind,
                                  notice_sent_on=notice_sent_on)


def _call(fn, case, actor, **kw):
    c = fresh(case)
    return fn(actor=actor, disagreement=last(c), version=c.version, token=token(), **kw)


def contact(case, actor, contacted_on=d(2025, 3, 3), wanted=False):
    return _call(s.mediation_contact_record, case, actor, contacted_on=contacted_on, wanted=wanted)


def held(case, actor, held_on=d(2025, 3, 20)):
    return _call(s.mediation_held_record, case, actor, held_on=held_on)


def certificate(case, actor, issued_on=d(2025, 3, 6)):
    return _call(s.certificate_record, case, actor, issued_on=issued_on)


def register(case, actor, registered_on=d(2025, 4, 1), sections=()):
    return _call(s.appeal_register_record, case, actor, registered_on=registered_on, sections=sections)


def outcome(case, actor, outcome="upheld", outcome_on=d(2025, 9, 1)):
    return _call(s.appeal_outcome_record, case, actor, outcome=outcome, outcome_on=outcome_on)


def order(case, actor, order="assess", order_on=d(2025, 9, 1)):
    return _call(s.appeal_order_record, case, actor, order=order, order_on=order_on)


def first_step(case, actor, done_on=d(2025, 9, 10)):
    return _call(s.order_first_step_record, case, actor, done_on=done_on)


def complied(case, actor, complied_on=d(2025, 12, 1)):
    return _call(s.order_complied_record, case, actor, complied_on=complied_on)


def no_plan(case, actor, decided_on=d(2025, 11, 3)):
    return _call(s.order_no_plan_record, case, actor, decided_on=decided_on)
