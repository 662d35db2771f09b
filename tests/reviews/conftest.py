"""Helpers for annual review tests: a case with an issued plan, and each review step with fixed dates.

Dates follow the reference's worked example: plan issued 28 April 2025, review meeting 3 November 2025,
decision 1 December 2025 (4 weeks), proposals sent with it, final amended plan due 26 January 2026.
"""

import datetime

import pytest
import time_machine

from ehcflow.reviews import services as rs
from tests.conftest import advance, fresh, token

d = datetime.date
ISSUED = d(2025, 4, 28)
MEETING = d(2025, 11, 3)
DECISION = d(2025, 12, 1)
FINAL_AMENDED_DUE = d(2026, 1, 26)
TODAY = d(2026, 2, 2)  # after every date in the example


@pytest.fixture
def at_today():
    with time_machine.travel(datetime.datetime(2026, 2, 2, 12, 0), tick=False):
        yield TODAY


@pytest.fixture
def issued(personas, case, school, at_today):
    return advance(case, personas["coordinator"], "plan_issued", school=school)


def plan_of(case):
    return fresh(case).plan


def open_review(case):
    return rs.open_review(plan_of(case))


def open_amendment(case):
    return rs.open_amendment(plan_of(case))


def arrange(case, actor, meeting_on=MEETING, arranged_by="la"):
    case = fresh(case)
    return rs.review_arrange(actor=actor, plan=case.plan, version=case.version, token=token(), meeting_on=meeting_on,
                             arranged_by=arranged_by)


def invitations(case, actor, sent_on=d(2025, 10, 20)):
    case = fresh(case)
    return rs.review_invitations_record(actor=actor, review=open_review(case), version=case.version, token=token(),
                                        sent_on=sent_on)


def meeting(case, actor, held_on=MEETING, pfa_discussed=False):
    case = fresh(case)
    return rs.review_meeting_record(actor=actor, review=open_review(case), version=case.version, token=token(),
                                    held_on=held_on, pfa_discussed=pfa_discussed)


def report(case, actor, received_on=d(2025, 11, 14)):
    case = fresh(case)
    return rs.review_report_record(actor=actor, review=open_review(case), version=case.version, token=token(),
                                   received_on=received_on)


def decide(case, actor, decision="amend", decision_on=DECISION, proposals="Increase speech and language therapy"):
    case = fresh(case)
    return rs.review_decision_record(actor=actor, review=open_review(case), version=case.version, token=token(),
                                     decision=decision, decision_on=decision_on, proposals=proposals)


def representations(case, actor, received_on=d(2025, 12, 10), text="We agree, and ask for weekly sessions"):
    case = fresh(case)
    return rs.amendment_representations_record(actor=actor, amendment=open_amendment(case), version=case.version,
                                               token=token(), received_on=received_on, representations=text)


def finalise(case, actor, outcome="amended", completed_on=d(2026, 1, 20), **kwargs):
    case = fresh(case)
    return rs.amendment_finalise(actor=actor, amendment=open_amendment(case), version=case.version, token=token(),
                                 outcome=outcome, completed_on=completed_on, **kwargs)


def through_decision(case, actor, decision="amend"):
    arrange(case, actor)
    invitations(case, actor)
    meeting(case, actor)
    report(case, actor)
    decide(case, actor, decision=decision, proposals="Increase speech and language therapy" if decision == "amend"
           else "")
    return fresh(case)
