"""Every statutory rule against fixed dates, including the worked examples in §5."""

from __future__ import annotations

import ast
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ehcflow.deadlines.calendar import is_working_day
from ehcflow.deadlines.rules import RULES, amended_plan_final_from_proposals_due

EXPECTED_KEYS = {
    "decision_to_assess",
    "decision_not_to_issue",
    "final_plan",
    "advice_due",
    "draft_comments_close",
    "first_review_decision",
    "review_decision_next",
    "review_report",
    "review_decision",
    "amended_plan_final",
    "review_notice",
    "amendment_representations_close",
    "phase_transfer_amendment",
    "reassessment_decision",
    "reassessment_plan",
    "plan_transfer",
    "transfer_family_notice",
    "transfer_review",
    "health_body_notice",  # ehcflow.moves: reg 16
    "mediation_contact",
    "mediation_certificate",
    "tribunal_appeal",
    "age_limit",
    # ehcflow.appeals: complying with Tribunal orders (regs 44-45)
    "order_plan_draft", "order_plan_final", "order_assess_notice", "order_assess_plan", "order_amend",
    # ehcflow.appeals: mediation held within 30 days, its certificates; the no-plan decision after an order
    "mediation_held", "mediation_certificate_not_held", "mediation_certificate_after", "order_assess_no_plan",
}

D = date

CASES = [
    # §5: request received Monday 6 January 2025
    ("decision_to_assess", (D(2025, 1, 6),), {}, D(2025, 2, 17)),
    ("decision_to_assess", (D(2024, 12, 20),), {}, D(2025, 1, 31)),
    ("decision_not_to_issue", (D(2025, 1, 6),), {}, D(2025, 4, 28)),
    ("final_plan", (D(2025, 1, 6),), {}, D(2025, 5, 26)),
    ("final_plan", (D(2024, 2, 1),), {}, D(2024, 6, 20)),  # through 29 February
    ("advice_due", (D(2025, 3, 3),), {}, D(2025, 4, 14)),
    # §5: draft served Wednesday 2 April 2025
    ("draft_comments_close", (D(2025, 4, 2),), {}, D(2025, 4, 16)),
    ("draft_comments_close", (D(2025, 12, 20),), {}, D(2026, 1, 3)),
    # §5: plan made 1 January 2019
    ("first_review_decision", (D(2019, 1, 1),), {}, D(2019, 12, 31)),
    ("first_review_decision", (D(2020, 2, 29),), {}, D(2021, 2, 27)),
    ("review_decision_next", (D(2025, 12, 1),), {}, D(2026, 11, 30)),
    ("review_decision_next", (D(2019, 3, 1),), {}, D(2020, 2, 29)),
    # §5: review meeting Monday 3 November 2025
    ("review_report", (D(2025, 11, 3),), {}, D(2025, 11, 17)),
    ("review_decision", (D(2025, 11, 3),), {}, D(2025, 12, 1)),
    ("amended_plan_final", (D(2025, 11, 3),), {}, D(2026, 1, 26)),
    ("review_notice", (D(2025, 11, 3),), {}, D(2025, 10, 20)),
    # reg 22(2): proposals sent with the decision on 1 December 2025 -> views by 15 December
    ("amendment_representations_close", (D(2025, 12, 1),), {}, D(2025, 12, 15)),
    # §5: transfer to secondary school in September 2027
    ("phase_transfer_amendment", (D(2027, 9, 1), "school"), {}, D(2027, 2, 14)),
    ("phase_transfer_amendment", (D(2028, 1, 10), "school"), {}, D(2028, 2, 14)),
    ("phase_transfer_amendment", (D(2027, 9, 6), "post16"), {}, D(2027, 3, 30)),
    ("phase_transfer_amendment", (D(2026, 1, 5), "post16_other"), {}, D(2025, 8, 5)),
    ("phase_transfer_amendment", (D(2027, 7, 31), "post16_other"), {}, D(2027, 2, 28)),
    ("phase_transfer_amendment", (D(2028, 7, 30), "post16_other"), {}, D(2028, 2, 29)),
    ("reassessment_decision", (D(2025, 3, 3),), {}, D(2025, 3, 18)),
    (
        "reassessment_decision",
        (D(2025, 3, 3),),
        {"days": 20},
        D(2025, 3, 23),
    ),  # [U] configurable
    ("reassessment_plan", (D(2025, 3, 3),), {}, D(2025, 6, 9)),
    ("plan_transfer", (D(2025, 1, 6),), {}, D(2025, 1, 24)),
    (
        "plan_transfer",
        (D(2025, 4, 14),),
        {},
        D(2025, 5, 7),
    ),  # Easter + early May bank holiday
    ("plan_transfer", (D(2025, 12, 15),), {}, D(2026, 1, 7)),  # Christmas
    (
        "plan_transfer",
        (D(2025, 4, 14),),
        {"move_on": D(2025, 6, 30)},
        D(2025, 6, 30),
    ),  # learnt early
    (
        "plan_transfer",
        (D(2025, 4, 14),),
        {"move_on": D(2025, 4, 25)},
        D(2025, 5, 7),
    ),  # learnt late
    ("transfer_family_notice", (D(2025, 9, 1),), {}, D(2025, 10, 13)),
    ("health_body_notice", (D(2025, 12, 15),), {"move_on": D(2025, 12, 19)}, D(2026, 1, 7)),  # reg 16, Christmas
    (
        "transfer_review",
        (D(2025, 9, 1), D(2025, 1, 15)),
        {},
        D(2026, 1, 14),
    ),  # 12 months is later
    (
        "transfer_review",
        (D(2025, 9, 1), D(2024, 10, 1)),
        {},
        D(2025, 12, 1),
    ),  # 3 months is later
    (
        "transfer_review",
        (D(2025, 11, 30), D(2024, 6, 1)),
        {},
        D(2026, 2, 28),
    ),  # month-end clamp
    ("mediation_contact", (D(2025, 1, 31),), {}, D(2025, 3, 31)),
    ("mediation_contact", (D(2024, 12, 31),), {}, D(2025, 2, 28)),
    ("mediation_contact", (D(2023, 12, 30),), {}, D(2024, 2, 29)),
    (
        "mediation_contact",
        (D(2025, 6, 15),),
        {},
        D(2025, 8, 15),
    ),  # not a Tribunal deadline: no August rule
    ("mediation_certificate", (D(2025, 1, 6),), {}, D(2025, 1, 9)),
    ("mediation_certificate", (D(2025, 12, 23),), {}, D(2025, 12, 30)),
    (
        "mediation_certificate",
        (D(2025, 1, 6),),
        {"working_days": 5},
        D(2025, 1, 13),
    ),  # [U] configurable
    ("tribunal_appeal", (D(2025, 1, 6),), {}, D(2025, 3, 6)),
    ("tribunal_appeal", (D(2025, 3, 10),), {}, D(2025, 5, 12)),  # Saturday -> Monday
    (
        "tribunal_appeal",
        (D(2025, 3, 26),),
        {},
        D(2025, 5, 27),
    ),  # bank holiday -> next day
    (
        "tribunal_appeal",
        (D(2025, 1, 6),),
        {"certificate_on": D(2025, 2, 20)},
        D(2025, 3, 20),
    ),
    (
        "tribunal_appeal",
        (D(2025, 1, 6),),
        {"certificate_on": D(2025, 1, 20)},
        D(2025, 3, 6),
    ),
    (
        "tribunal_appeal",
        (D(2025, 10, 26),),
        {},
        D(2026, 1, 2),
    ),  # 26 December -> after 1 January
    (
        "tribunal_appeal",
        (D(2025, 6, 15),),
        {},
        D(2025, 9, 1),
    ),  # August -> after 31 August
    (
        "tribunal_appeal",
        (D(2025, 5, 1),),
        {"certificate_on": D(2025, 7, 10)},
        D(2025, 9, 1),
    ),
    ("age_limit", (D(2001, 3, 15),), {}, D(2026, 7, 31)),
    ("age_limit", (D(2001, 9, 10),), {}, D(2027, 7, 31)),
    ("age_limit", (D(2001, 7, 31),), {}, D(2026, 7, 31)),
    ("age_limit", (D(2001, 8, 1),), {}, D(2027, 7, 31)),
    ("age_limit", (D(2000, 2, 29),), {}, D(2025, 7, 31)),
    # ehcflow.appeals: order on Monday 5 January 2026; LA deadlines never move for holidays
    ("order_plan_draft", (D(2026, 1, 5),), {}, D(2026, 2, 9)),
    ("order_plan_final", (D(2026, 1, 5),), {}, D(2026, 3, 23)),
    ("order_assess_notice", (D(2026, 1, 5),), {}, D(2026, 1, 19)),
    ("order_assess_plan", (D(2026, 1, 5),), {}, D(2026, 4, 13)),
    ("order_amend", (D(2025, 7, 28),), {}, D(2025, 9, 1)),
    # ehcflow.appeals: the family asked for mediation on Monday 3 March 2025 (more in test_appeals_engine.py)
    ("mediation_held", (D(2025, 3, 3),), {}, D(2025, 4, 2)),
    ("mediation_certificate_not_held", (D(2025, 3, 3),), {}, D(2025, 4, 7)),
    ("mediation_certificate_after", (D(2025, 3, 20),), {}, D(2025, 3, 25)),
    ("order_assess_no_plan", (D(2026, 1, 5),), {}, D(2026, 3, 16)),
]


def test_rule_keys_are_exactly_the_statutory_set() -> None:
    assert set(RULES) == EXPECTED_KEYS
    assert all(rule.key == key for key, rule in RULES.items())


def test_every_rule_is_covered_by_a_fixed_date_case() -> None:
    assert {case[0] for case in CASES} == EXPECTED_KEYS


@pytest.mark.parametrize(("key", "args", "kwargs", "expected"), CASES)
def test_rule_due_dates(key: str, args: tuple, kwargs: dict, expected: date) -> None:
    assert RULES[key].due(*args, **kwargs) == expected


def test_final_plan_bank_holiday_is_not_moved() -> None:
    due = RULES["final_plan"].due(date(2025, 1, 6))
    assert due == date(2025, 5, 26)
    assert not is_working_day(due)


def test_amended_plan_from_proposals_is_eight_weeks() -> None:
    assert amended_plan_final_from_proposals_due(date(2025, 12, 1)) == date(2026, 1, 26)
    assert amended_plan_final_from_proposals_due(date(2025, 12, 10)) == date(2026, 2, 4)


def test_phase_transfer_rejects_unknown_kind() -> None:
    with pytest.raises(ValueError, match="college"):
        RULES["phase_transfer_amendment"].due(date(2027, 9, 1), "college")


@pytest.mark.parametrize(
    ("key", "expected_set"),
    [
        ("decision_to_assess", "A"),
        ("decision_not_to_issue", "A"),
        ("final_plan", "A"),
        ("reassessment_plan", "A"),
        ("advice_due", "B"),
        ("draft_comments_close", None),
        ("first_review_decision", None),
        ("review_decision_next", None),
        ("amended_plan_final", None),
        ("phase_transfer_amendment", None),
        ("tribunal_appeal", None),
    ],
)
def test_exception_sets(key: str, expected_set: str | None) -> None:
    assert RULES[key].exception_set == expected_set


@pytest.mark.parametrize("key", sorted(EXPECTED_KEYS))
def test_rule_metadata(key: str) -> None:
    rule = RULES[key]
    assert rule.label.strip() and "_" not in rule.label  # plain English, not a code
    assert rule.source.strip()
    assert rule.effective_from == date(2014, 9, 1)
    assert rule.confidence in {"L", "S", "U"}


def test_unconfirmed_rules_are_marked_u() -> None:
    assert RULES["reassessment_decision"].confidence == "U"
    assert RULES["mediation_certificate"].confidence == "U"
    assert RULES["final_plan"].confidence == "L"


SINGLE_TRIGGER = [
    "decision_to_assess",
    "decision_not_to_issue",
    "final_plan",
    "advice_due",
    "draft_comments_close",
    "first_review_decision",
    "review_decision_next",
    "review_report",
    "review_decision",
    "amended_plan_final",
    "reassessment_decision",
    "reassessment_plan",
    "plan_transfer",
    "transfer_family_notice",
    "mediation_contact",
    "mediation_certificate",
    "tribunal_appeal",
]

dates = st.dates(min_value=date(2014, 9, 1), max_value=date(2040, 12, 31))


@given(key=st.sampled_from(SINGLE_TRIGGER), trigger=dates)
def test_due_never_precedes_trigger(key: str, trigger: date) -> None:
    assert RULES[key].due(trigger) >= trigger


@given(transfer=dates, plan=dates)
def test_transfer_review_never_precedes_transfer(transfer: date, plan: date) -> None:
    assert RULES["transfer_review"].due(transfer, plan) >= transfer


@given(notice=dates, gap=st.integers(min_value=0, max_value=120))
def test_tribunal_appeal_never_precedes_notice_or_certificate_plus_month(notice: date, gap: int) -> None:
    certificate = notice + timedelta(days=gap)
    due = RULES["tribunal_appeal"].due(notice, certificate_on=certificate)
    assert due > certificate
    assert is_working_day(due)
    assert due.month != 8
    assert not (due.month == 12 and due.day >= 25) and due != date(due.year, 1, 1)


@given(meeting=dates)
def test_review_notice_is_exactly_two_weeks_before(meeting: date) -> None:
    assert (meeting - RULES["review_notice"].due(meeting)).days == 14


@given(starts=dates, kind=st.sampled_from(["school", "post16", "post16_other"]))
def test_phase_transfer_due_is_before_the_start(starts: date, kind: str) -> None:
    due = RULES["phase_transfer_amendment"].due(starts, kind)
    assert due.year in {starts.year, starts.year - 1}
    if kind == "post16_other" or starts > date(starts.year, 3, 30):
        assert due < starts


ENGINE_MODULES = (
    "__init__.py",
    "calendar.py",
    "rules.py",
    "engine.py",
    "calculator.py",
)


@pytest.mark.parametrize("name", ENGINE_MODULES)
def test_engine_modules_do_not_import_django(name: str) -> None:
    path = Path(__file__).resolve().parents[2] / "ehcflow" / "deadlines" / name
    tree = ast.parse(path.read_text())
    imported: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            imported.append(node.module or "")
    assert not [m for m in imported if m.split(".")[0] == "django"]
    # engine modules import only the standard library, holidays and each other
    allowed_roots = {"__future__", "calendar", "collections", "dataclasses", "datetime"}
    allowed_roots |= {"functools", "re", "holidays", "ehcflow"}
    assert {m.split(".")[0] for m in imported} <= allowed_roots
    assert all(m.startswith("ehcflow.deadlines.") for m in imported if "ehcflow" in m)
