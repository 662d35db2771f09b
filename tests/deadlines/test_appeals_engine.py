"""Mediation, appeal and Tribunal-order deadlines (regs 33-34, 44-45; HESC r.20(1)(c), r.12) with fixed dates.

Also mediation held within 30 days and the certificates after it (reference §3), and the two ways to comply
with an order to assess: a decision not to issue a plan within 10 weeks, or the final plan within 14.
"""

import datetime

import pytest

from ehcflow.deadlines import rules
from ehcflow.deadlines.engine import (CaseFacts, DisagreementClock, case_deadlines, disagreement_deadlines,
                                     next_deadline)
from ehcflow.deadlines.materialise import open_deadlines

d = datetime.date
REFUSED = dict(received_on=d(2025, 1, 6), decision_on=d(2025, 2, 10), decision="not_assess")


def _by_key(facts, today):
    return {x.key: x for x in case_deadlines(facts, today) if x.ref == "1"}


@pytest.mark.parametrize("notice, certificate, due", [
    (d(2025, 3, 3), None, d(2025, 5, 6)),  # 3 May 2025 is a Saturday, Monday 5 May a bank holiday
    (d(2025, 10, 27), None, d(2026, 1, 2)),  # Christmas: 27 Dec -> first working day after 1 January (r.12(3))
    (d(2025, 10, 23), None, d(2025, 12, 23)),  # Tuesday 23 December, before 25 December: it stands
    (d(2025, 6, 10), None, d(2025, 9, 1)),  # August: 10 Aug -> first working day after 31 August (r.12(3))
    (d(2025, 6, 2), d(2025, 7, 9), d(2025, 9, 1)),  # certificate + 1 month lands in August too
    (d(2025, 3, 3), d(2025, 4, 14), d(2025, 5, 14)),  # certificate + 1 month is later than notice + 2 months
])
def test_tribunal_appeal_due(notice, certificate, due):
    assert rules.tribunal_appeal_due(notice, certificate) == due


@pytest.mark.parametrize("key, order_on, due", [
    ("order_plan_draft", d(2026, 1, 5), d(2026, 2, 9)),
    ("order_plan_final", d(2026, 1, 5), d(2026, 3, 23)),
    ("order_assess_notice", d(2026, 1, 5), d(2026, 1, 19)),
    ("order_assess_plan", d(2026, 1, 5), d(2026, 4, 13)),
    ("order_amend", d(2025, 7, 28), d(2025, 9, 1)),  # LA deadline: August and bank holidays never move it
])
def test_order_rules(key, order_on, due):
    rule = rules.RULES[key]
    assert rule.due(order_on) == due and rule.confidence == "S" and "44" in rule.source


def test_mediation_contact_is_the_familys_information():
    clock = DisagreementClock(ref="1", notice_sent_on=d(2025, 2, 10))
    facts = CaseFacts(**REFUSED, disagreements=(clock,))
    before = _by_key(facts, d(2025, 3, 1))
    assert before["mediation_contact"].due == d(2025, 4, 10) and before["mediation_contact"].status == "open"
    assert before["tribunal_appeal"].due == d(2025, 4, 10)
    deadlines = case_deadlines(facts, d(2025, 3, 1))
    assert next_deadline(deadlines) is None  # the family's time limits are never the council's next deadline
    assert [x.key for x in open_deadlines(facts, deadlines)] == []
    after = _by_key(facts, d(2025, 4, 11))
    assert after["mediation_contact"].status == "not_applicable"
    met = _by_key(CaseFacts(**REFUSED, disagreements=(
        DisagreementClock(ref="1", notice_sent_on=d(2025, 2, 10), mediation_contacted_on=d(2025, 3, 3)),)),
        d(2025, 6, 1))
    assert met["mediation_contact"].status == "met" and met["mediation_contact"].met_on == d(2025, 3, 3)


@pytest.mark.parametrize("certificate_on, today, status", [
    (None, d(2025, 3, 5), "open"),
    (None, d(2025, 3, 7), "missed"),
    (d(2025, 3, 6), d(2025, 3, 20), "met"),
    (d(2025, 3, 7), d(2025, 3, 20), "missed"),
])
def test_mediation_certificate_three_working_days(certificate_on, today, status):
    clock = DisagreementClock(ref="1", notice_sent_on=d(2025, 2, 10), mediation_contacted_on=d(2025, 3, 3),
                              mediation_wanted=False, certificate_issued_on=certificate_on)
    got = _by_key(CaseFacts(**REFUSED, disagreements=(clock,)), today)["mediation_certificate"]
    assert got.due == d(2025, 3, 6) and got.status == status


def test_no_certificate_deadline_when_mediation_is_wanted():
    clock = DisagreementClock(ref="1", notice_sent_on=d(2025, 2, 10), mediation_contacted_on=d(2025, 3, 3),
                              mediation_wanted=True)
    assert "mediation_certificate" not in _by_key(CaseFacts(**REFUSED, disagreements=(clock,)), d(2025, 3, 5))


def test_appeal_deadline_runs_from_the_certificate_and_is_met_by_the_appeal():
    clock = DisagreementClock(ref="1", notice_sent_on=d(2025, 2, 10), mediation_contacted_on=d(2025, 3, 3),
                              mediation_wanted=True, certificate_issued_on=d(2025, 4, 1),
                              appeal_registered_on=d(2025, 4, 20))
    got = _by_key(CaseFacts(**REFUSED, disagreements=(clock,)), d(2025, 6, 1))["tribunal_appeal"]
    assert got.due == d(2025, 5, 1) and got.status == "met" and got.family


@pytest.mark.parametrize("order, first, complied, today, want", [
    ("make_plan", None, None, d(2026, 2, 1), {"order_plan_draft": "open", "order_plan_final": "open"}),
    ("make_plan", d(2026, 2, 9), None, d(2026, 3, 24), {"order_plan_draft": "met", "order_plan_final": "missed"}),
    ("assess", d(2026, 1, 20), d(2026, 4, 13), d(2026, 5, 1), {"order_assess_notice": "missed",
                                                                 "order_assess_no_plan": "not_applicable",
                                                                 "order_assess_plan": "met"}),
    ("amend", None, d(2026, 2, 9), d(2026, 3, 1), {"order_amend": "met"}),
    ("none", None, None, d(2026, 3, 1), {}),
])
def test_order_compliance_deadlines(order, first, complied, today, want):
    clock = DisagreementClock(ref="1", notice_sent_on=d(2025, 6, 2), appeal_registered_on=d(2025, 7, 1),
                              certificate_issued_on=d(2025, 6, 20), order=order, order_on=d(2026, 1, 5),
                              first_step_on=first, complied_on=complied)
    got = {k: v.status for k, v in _by_key(CaseFacts(**REFUSED, disagreements=(clock,)), today).items()
           if k.startswith("order_")}
    assert got == want
    if want and "open" in want.values():
        nxt = next_deadline(case_deadlines(CaseFacts(**REFUSED, disagreements=(clock,)), today))
        assert nxt.key.startswith("order_")  # the council's own deadline after an order is its work


# --- Mediation held within 30 days, and the certificates after it ------------------------------------------

@pytest.mark.parametrize("key, args, due", [
    ("mediation_held", (d(2025, 3, 3),), d(2025, 4, 2)),  # 30 calendar days, the day of asking not counted
    ("mediation_held", (d(2024, 2, 10),), d(2024, 3, 11)),  # through 29 February
    ("mediation_held", (d(2025, 7, 26),), d(2025, 8, 25)),  # a bank holiday: a council deadline never moves
    ("mediation_certificate_not_held", (d(2025, 3, 3),), d(2025, 4, 7)),  # 3 working days after Wed 2 April
    ("mediation_certificate_not_held", (d(2025, 3, 19),), d(2025, 4, 24)),  # 30 days end Good Friday; Easter Monday
    ("mediation_certificate_after", (d(2025, 3, 20),), d(2025, 3, 25)),  # Thursday -> Fri, Mon, Tue
    ("mediation_certificate_after", (d(2025, 12, 23),), d(2025, 12, 30)),  # 24th, then Christmas and Boxing Day
    ("order_assess_no_plan", (d(2026, 1, 5),), d(2026, 3, 16)),  # 10 weeks
])
def test_mediation_and_no_plan_rules(key, args, due):
    rule = rules.RULES[key]
    assert rule.due(*args) == due and rule.source and rule.confidence in ("S", "U")


def _mediation(today, **kw):
    clock = DisagreementClock(ref="1", notice_sent_on=d(2025, 2, 10), mediation_contacted_on=d(2025, 3, 3),
                              mediation_wanted=True, **kw)
    facts = CaseFacts(**REFUSED, disagreements=(clock,))
    deadlines = case_deadlines(facts, today)
    mine = {x.key: x for x in deadlines if x.ref == "1" and x.key.startswith("mediation_") and not x.family}
    return mine, deadlines, facts


@pytest.mark.parametrize("kw, today, want", [
    # asked on 3 March: held by 2 April
    ({}, d(2025, 3, 20), {"mediation_held": ("open", None)}),
    ({"mediation_held_on": d(2025, 3, 20)}, d(2025, 3, 24),
     {"mediation_held": ("met", d(2025, 3, 20)), "mediation_certificate_after": ("open", None)}),
    ({"mediation_held_on": d(2025, 3, 20), "certificate_issued_on": d(2025, 3, 25)}, d(2025, 4, 1),
     {"mediation_held": ("met", d(2025, 3, 20)), "mediation_certificate_after": ("met", d(2025, 3, 25))}),
    ({"mediation_held_on": d(2025, 3, 20), "certificate_issued_on": d(2025, 3, 26)}, d(2025, 4, 1),
     {"mediation_held": ("met", d(2025, 3, 20)), "mediation_certificate_after": ("missed", d(2025, 3, 26))}),
    # not held in the 30 days: the certificate is due 3 working days after them
    ({}, d(2025, 4, 3), {"mediation_held": ("missed", None), "mediation_certificate_not_held": ("open", None)}),
    ({"certificate_issued_on": d(2025, 4, 7)}, d(2025, 4, 10),
     {"mediation_held": ("missed", d(2025, 4, 7)), "mediation_certificate_not_held": ("met", d(2025, 4, 7))}),
    ({"certificate_issued_on": d(2025, 4, 8)}, d(2025, 4, 10),
     {"mediation_held": ("missed", d(2025, 4, 8)), "mediation_certificate_not_held": ("missed", d(2025, 4, 8))}),
    # the family left mediation within the 30 days: nothing more to arrange
    ({"certificate_issued_on": d(2025, 3, 15)}, d(2025, 4, 10), {"mediation_held": ("not_applicable", None)}),
    ({"appeal_registered_on": d(2025, 3, 20), "certificate_needed": False}, d(2025, 4, 10),
     {"mediation_held": ("not_applicable", None)}),
    # held late: missed, then the mediator's certificate is due after it (and replaces the one for not held)
    ({"mediation_held_on": d(2025, 4, 10)}, d(2025, 4, 11),
     {"mediation_held": ("missed", d(2025, 4, 10)), "mediation_certificate_after": ("open", None)}),
])
def test_mediation_held_and_its_certificates(kw, today, want):
    mine, _, _ = _mediation(today, **kw)
    assert {k: (v.status, v.met_on) for k, v in mine.items()} == want
    dues = {"mediation_held": d(2025, 4, 2), "mediation_certificate_not_held": d(2025, 4, 7)}
    for key, deadline in mine.items():
        assert deadline.due == dues.get(key, rules.mediation_certificate_after_due(kw.get("mediation_held_on", today)))


def test_mediation_held_is_the_councils_next_deadline_and_stored_work():
    _, deadlines, facts = _mediation(d(2025, 3, 20))
    assert next_deadline(deadlines).key == "mediation_held"
    assert [x.key for x in open_deadlines(facts, deadlines)] == ["mediation_held"]
    _, deadlines, facts = _mediation(d(2025, 4, 3))  # missed, and the certificate now due
    assert [(x.key, x.status) for x in open_deadlines(facts, deadlines)] == [
        ("mediation_held", "missed"), ("mediation_certificate_not_held", "open")]
    _, deadlines, facts = _mediation(d(2025, 4, 10), certificate_issued_on=d(2025, 4, 8))
    assert open_deadlines(facts, deadlines) == []  # closed: the missed ones stay missed but are no longer work


def test_no_mediation_deadlines_when_mediation_is_not_wanted():
    clock = DisagreementClock(ref="1", notice_sent_on=d(2025, 2, 10), mediation_contacted_on=d(2025, 3, 3),
                              mediation_wanted=False)
    keys = set(_by_key(CaseFacts(**REFUSED, disagreements=(clock,)), d(2025, 4, 10)))
    assert not keys & {"mediation_held", "mediation_certificate_not_held", "mediation_certificate_after"}


# --- An order to assess: a decision not to issue a plan within 10 weeks, or the plan within 14 --------------

@pytest.mark.parametrize("compliance, complied, today, want", [
    (None, None, d(2026, 2, 1), {"order_assess_no_plan": "open", "order_assess_plan": "open"}),
    (None, None, d(2026, 3, 17), {"order_assess_no_plan": "not_applicable", "order_assess_plan": "open"}),
    ("no_plan", d(2026, 3, 16), d(2026, 3, 20), {"order_assess_no_plan": "met", "order_assess_plan": "not_applicable"}),
    ("no_plan", d(2026, 3, 20), d(2026, 3, 20), {"order_assess_no_plan": "missed",
                                                 "order_assess_plan": "not_applicable"}),
    ("final_plan", d(2026, 4, 13), d(2026, 5, 1), {"order_assess_no_plan": "not_applicable",
                                                   "order_assess_plan": "met"}),
    ("final_plan", d(2026, 4, 14), d(2026, 5, 1), {"order_assess_no_plan": "not_applicable",
                                                   "order_assess_plan": "missed"}),
    (None, d(2026, 4, 13), d(2026, 5, 1), {"order_assess_no_plan": "not_applicable",  # recorded before the choice
                                           "order_assess_plan": "met"}),
])
def test_order_to_assess_is_complied_with_by_a_plan_or_a_no_plan_decision(compliance, complied, today, want):
    clock = DisagreementClock(ref="1", notice_sent_on=d(2025, 6, 2), appeal_registered_on=d(2025, 7, 1),
                              certificate_issued_on=d(2025, 6, 20), order="assess", order_on=d(2026, 1, 5),
                              first_step_on=d(2026, 1, 19), complied_on=complied, compliance=compliance)
    facts = CaseFacts(**REFUSED, disagreements=(clock,))
    got = _by_key(facts, today)
    assert {k: v.status for k, v in got.items() if k in want} == want
    assert got["order_assess_no_plan"].due == d(2026, 3, 16) and got["order_assess_plan"].due == d(2026, 4, 13)
    assert got["order_assess_notice"].status == "met"
    nxt = next_deadline(case_deadlines(facts, today))
    pending = [k for k, v in want.items() if v == "open"]
    assert (nxt.key if nxt else None) == (pending[0] if pending else None)


def test_one_disagreements_deadlines_are_the_engines():
    """The work list asks the engine for one disagreement at a time: the same deadlines as the whole case."""
    clock = DisagreementClock(ref="1", notice_sent_on=d(2025, 2, 10), mediation_contacted_on=d(2025, 3, 3),
                              mediation_wanted=True, mediation_held_on=d(2025, 3, 20))
    today = d(2025, 3, 24)
    whole = [x for x in case_deadlines(CaseFacts(**REFUSED, disagreements=(clock,)), today) if x.ref == "1"]
    assert sorted(disagreement_deadlines(clock, today), key=lambda x: (x.due, x.key)) == whole
