"""Mediation, appeal and Tribunal-order deadlines (regs 33-34, 44-45; HESC r.20(1)(c), r.12) with fixed dates."""

import datetime

import pytest

from ehcflow.deadlines import rules
from ehcflow.deadlines.engine import CaseFacts, DisagreementClock, case_deadlines, next_deadline
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
