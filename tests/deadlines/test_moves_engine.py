"""Moves between councils and ceasing in the engine: fixed dates, working days across bank holidays.

reg 15(2): the old council sends the plan on the day of the move, or within 15 working days beginning with
the day it learnt of the move if it learnt less than 15 working days before. reg 15(4): the new council tells
the family within 6 weeks. reg 15(5): it reviews by the later of 12 months from the plan or last review and
3 months from the transfer. reg 16 [S]: where the move changes the health commissioning body, the new body
is told on the reg 15(2) dates (shown while that is not known). A cancelled move has no deadlines. A ceased
plan has nothing further awaited.
"""

import datetime

import pytest

from ehcflow.deadlines import engine
from ehcflow.deadlines.engine import CaseFacts, CessationClock, LaTransferClock, ReviewClock
from ehcflow.deadlines.rules import (
    RULES,
    health_body_notice_due,
    plan_transfer_due,
    transfer_family_notice_due,
    transfer_review_due,
)

d = datetime.date


@pytest.mark.parametrize(("learnt_on", "move_on", "due", "why"), [
    # Easter 2025: Good Friday 18 April and Easter Monday 21 April; early May bank holiday 5 May.
    (d(2025, 4, 17), d(2025, 4, 25), d(2025, 5, 12), "learnt 6 working days ahead: 15 working days from learning"),
    (d(2025, 4, 17), None, d(2025, 5, 12), "no move date: the 15-working-day limit"),
    (d(2025, 4, 17), d(2025, 6, 2), d(2025, 6, 2), "learnt well ahead: on the day of the move"),
    # Christmas 2025: 25, 26 December and 1 January are bank holidays.
    (d(2025, 12, 15), d(2025, 12, 19), d(2026, 1, 7), "across Christmas and New Year"),
    (d(2025, 12, 13), d(2025, 12, 19), d(2026, 1, 7), "learnt on a Saturday: counting starts on Monday"),
    (d(2025, 12, 15), d(2026, 1, 7), d(2026, 1, 7), "the 15th working day is the move day itself"),
])
def test_plan_transfer_due(learnt_on, move_on, due, why):
    assert plan_transfer_due(learnt_on, move_on) == due, why


@pytest.mark.parametrize(("transfer_on", "since", "notice", "review"), [
    (d(2025, 3, 3), d(2025, 1, 10), d(2025, 4, 14), d(2026, 1, 9)),  # 12 months from the last review is later
    (d(2025, 3, 3), d(2024, 4, 15), d(2025, 4, 14), d(2025, 6, 3)),  # 3 months from the transfer is later
    (d(2025, 11, 30), d(2025, 2, 28), d(2026, 1, 11), d(2026, 2, 28)),  # 30 Nov + 3 months: month-end rule
])
def test_transfer_in_dates(transfer_on, since, notice, review):
    assert transfer_family_notice_due(transfer_on) == notice
    assert transfer_review_due(transfer_on, since) == review


ISSUED = d(2025, 4, 28)


def _by_key(deadlines):
    return {(x.key, x.ref): x for x in deadlines}


def issued_facts(**kw) -> CaseFacts:
    base = dict(received_on=d(2025, 1, 6), decision_on=d(2025, 2, 10), decision="assess", outcome_on=d(2025, 3, 24),
                outcome="issue", draft_served_on=d(2025, 4, 2), comments_received_on=d(2025, 4, 10),
                final_issued_on=ISSUED)
    base.update(kw)
    return CaseFacts(**base)


@pytest.mark.parametrize(("sent_on", "today", "status"), [
    (None, d(2026, 1, 2), engine.STATUS_OPEN),
    (None, d(2026, 1, 8), engine.STATUS_MISSED),
    (d(2026, 1, 6), d(2026, 1, 8), engine.STATUS_MET),
    (d(2026, 1, 7), d(2026, 1, 8), engine.STATUS_MET),
    (d(2026, 1, 8), d(2026, 1, 9), engine.STATUS_MISSED),
])
def test_transfer_out_deadline(sent_on, today, status):
    out = LaTransferClock(ref="7", direction="out", learnt_on=d(2025, 12, 15), move_on=d(2025, 12, 19),
                          transferred_on=sent_on)
    got = _by_key(engine.case_deadlines(issued_facts(la_transfers=(out,)), today))[("plan_transfer", "7")]
    assert (got.due, got.status, got.source) == (d(2026, 1, 7), status, RULES["plan_transfer"].source)


def test_ceased_plan_has_nothing_further_awaited():
    out = LaTransferClock(ref="7", direction="out", learnt_on=d(2025, 12, 15), move_on=d(2025, 12, 19),
                          transferred_on=d(2026, 1, 6))
    review = ReviewClock(ref="3", meeting_on=d(2026, 1, 5))  # a review was under way
    facts = issued_facts(la_transfers=(out,), reviews=(review,), cessation=CessationClock("9", d(2026, 1, 6)))
    deadlines = engine.case_deadlines(facts, d(2026, 1, 20))
    by_key = _by_key(deadlines)
    assert by_key[("plan_transfer", "7")].status == engine.STATUS_MET
    assert by_key[("first_review_decision", None)].status == engine.STATUS_NOT_APPLICABLE
    assert by_key[("review_report", "3")].status == engine.STATUS_NOT_APPLICABLE
    assert by_key[("final_plan", None)].status == engine.STATUS_MET  # history is kept
    assert engine.next_deadline(deadlines) is None


def test_plan_still_maintained_keeps_its_review_chain():
    deadlines = engine.case_deadlines(issued_facts(), d(2026, 1, 20))
    assert _by_key(deadlines)[("first_review_decision", None)].status == engine.STATUS_OPEN


def incoming(**kw) -> CaseFacts:
    transfer = LaTransferClock(ref="4", direction="in", transferred_on=d(2025, 3, 3),
                               plan_or_last_review_on=kw.pop("since", d(2024, 4, 15)),
                               family_notified_on=kw.pop("notified", None))
    return CaseFacts(received_on=d(2023, 6, 1), final_issued_on=d(2023, 6, 1), la_transfers=(transfer,), **kw)


def test_transfer_in_shows_only_what_follows_the_transfer():
    deadlines = engine.case_deadlines(incoming(), d(2025, 3, 10))
    assert [(x.key, x.due, x.status) for x in deadlines] == [
        ("transfer_family_notice", d(2025, 4, 14), engine.STATUS_OPEN),
        ("transfer_review", d(2025, 6, 3), engine.STATUS_OPEN),
    ]


def test_transfer_in_notice_and_review_met_then_chain_continues():
    review = ReviewClock(ref="5", meeting_on=d(2025, 5, 1), invitations_sent_on=d(2025, 4, 14),
                         report_received_on=d(2025, 5, 9), decision="maintain", decision_on=d(2025, 5, 20))
    deadlines = engine.case_deadlines(incoming(notified=d(2025, 4, 1), reviews=(review,)), d(2025, 6, 1))
    by_key = _by_key(deadlines)
    assert by_key[("transfer_family_notice", "4")].status == engine.STATUS_MET
    assert by_key[("transfer_review", "4")].status == engine.STATUS_MET
    assert by_key[("transfer_review", "4")].met_on == d(2025, 5, 20)
    nxt = engine.next_deadline(deadlines)
    assert (nxt.key, nxt.due) == ("review_decision_next", d(2026, 5, 19))
    assert not any(x.key == "first_review_decision" for x in deadlines)


def test_transfer_in_late_notice_is_missed():
    deadlines = engine.case_deadlines(incoming(notified=d(2025, 4, 15)), d(2025, 5, 1))
    assert _by_key(deadlines)[("transfer_family_notice", "4")].status == engine.STATUS_MISSED


# --- reg 16: the change of health commissioning body; a move that falls through ----------------------------

@pytest.mark.parametrize(("learnt_on", "move_on", "due", "why"), [
    # Same words as reg 15(2): the day of the move, or 15 working days beginning with the day of learning.
    (d(2025, 12, 15), d(2025, 12, 19), d(2026, 1, 7), "learnt 5 working days ahead, across Christmas"),
    (d(2025, 4, 17), None, d(2025, 5, 12), "no move date: 15 working days across Easter and 5 May"),
    (d(2025, 4, 17), d(2025, 6, 2), d(2025, 6, 2), "learnt well ahead: on the day of the move"),
    (d(2026, 3, 2), d(2026, 2, 27), d(2026, 3, 20), "learnt after the family moved: 15 working days from learning"),
])
def test_health_body_notice_due(learnt_on, move_on, due, why):
    assert health_body_notice_due(learnt_on, move_on) == due, why
    assert RULES["health_body_notice"].due(learnt_on, move_on) == due
    assert RULES["health_body_notice"].source == "SEND Regulations 2014 reg 16"


def moving_out(**kw) -> LaTransferClock:
    base = dict(ref="7", direction="out", learnt_on=d(2025, 12, 15), move_on=d(2025, 12, 19))
    base.update(kw)
    return LaTransferClock(**base)


@pytest.mark.parametrize(("changes", "told_on", "today", "status"), [
    (None, None, d(2026, 1, 5), engine.STATUS_OPEN),  # not known yet: still shown
    (True, None, d(2026, 1, 5), engine.STATUS_OPEN),
    (True, None, d(2026, 1, 8), engine.STATUS_MISSED),
    (True, d(2025, 12, 19), d(2026, 1, 8), engine.STATUS_MET),
    (True, d(2026, 1, 7), d(2026, 1, 8), engine.STATUS_MET),
    (True, d(2026, 1, 8), d(2026, 1, 9), engine.STATUS_MISSED),
])
def test_health_body_notice_deadline(changes, told_on, today, status):
    facts = issued_facts(la_transfers=(moving_out(health_body_changes=changes, health_notified_on=told_on),))
    deadlines = engine.case_deadlines(facts, today)
    got = _by_key(deadlines)[("health_body_notice", "7")]
    assert (got.due, got.status, got.met_on) == (d(2026, 1, 7), status, told_on)


def test_health_body_notice_is_council_work_while_awaited():
    facts = issued_facts(la_transfers=(moving_out(transferred_on=d(2025, 12, 19)),))
    nxt = engine.next_deadline(engine.case_deadlines(facts, d(2026, 1, 5)))
    assert (nxt.key, nxt.due, nxt.ref) == ("health_body_notice", d(2026, 1, 7), "7")


def test_no_health_body_notice_when_the_body_does_not_change():
    deadlines = engine.case_deadlines(issued_facts(la_transfers=(moving_out(health_body_changes=False),)),
                                      d(2026, 1, 5))
    keys = {x.key for x in deadlines}
    assert "plan_transfer" in keys and "health_body_notice" not in keys


def test_cancelled_move_has_no_deadlines_and_the_review_chain_stays():
    cancelled = moving_out(cancelled_on=d(2025, 12, 17), health_body_changes=True)
    deadlines = engine.case_deadlines(issued_facts(la_transfers=(cancelled,)), d(2026, 1, 20))
    keys = {x.key for x in deadlines}
    assert not keys & {"plan_transfer", "health_body_notice"}
    assert _by_key(deadlines)[("first_review_decision", None)].status == engine.STATUS_OPEN


def test_a_new_move_after_a_cancelled_one_has_its_own_deadlines():
    first = moving_out(cancelled_on=d(2025, 12, 17))
    second = moving_out(ref="8", learnt_on=d(2026, 3, 2), move_on=d(2026, 4, 17), health_body_changes=False)
    deadlines = engine.case_deadlines(issued_facts(la_transfers=(first, second)), d(2026, 3, 3))
    assert [(x.key, x.ref, x.due) for x in deadlines if x.key in ("plan_transfer", "health_body_notice")] == [
        ("plan_transfer", "8", d(2026, 4, 17))]


def test_health_body_notice_not_awaited_once_the_plan_has_ceased():
    sent = moving_out(transferred_on=d(2026, 1, 6))
    facts = issued_facts(la_transfers=(sent,), cessation=CessationClock("9", d(2026, 1, 6)))
    got = _by_key(engine.case_deadlines(facts, d(2026, 1, 20)))[("health_body_notice", "7")]
    assert got.status == engine.STATUS_NOT_APPLICABLE
