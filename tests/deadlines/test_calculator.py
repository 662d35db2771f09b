"""The public calculator: event keys, worked examples and plain error messages."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ehcflow.deadlines.calculator import EVENTS, CalculatorError, calculate, parse_date

EVENT_KEYS = {
    "request_received": ["decision_to_assess", "decision_not_to_issue", "final_plan"],
    "advice_requested": ["advice_due"],
    "draft_served": ["draft_comments_close"],
    "plan_issued": ["first_review_decision"],
    "review_meeting": ["review_report", "review_decision", "amended_plan_final"],
    "phase_transfer": ["phase_transfer_amendment"],
    "la_move_known": ["plan_transfer"],
    "decision_notice_sent": ["mediation_contact", "tribunal_appeal"],
}
KINDS = ["school", "post16", "post16_other"]


def dues(event: str, on: date, kind: str | None = None) -> dict[str, date]:
    return {row["key"]: row["due"] for row in calculate(event, on, kind)}


def test_events_are_exactly_the_listed_ones() -> None:
    assert set(EVENTS) == set(EVENT_KEYS)
    for key, spec in EVENTS.items():
        assert spec.key == key
        assert spec.label.strip() and spec.description.strip()


@pytest.mark.parametrize(
    ("event", "on", "kind", "expected"),
    [
        (
            "request_received",
            date(2025, 1, 6),
            None,
            {
                "decision_to_assess": date(2025, 2, 17),
                "decision_not_to_issue": date(2025, 4, 28),
                "final_plan": date(2025, 5, 26),
            },
        ),
        ("advice_requested", date(2025, 2, 20), None, {"advice_due": date(2025, 4, 3)}),
        (
            "draft_served",
            date(2025, 4, 2),
            None,
            {"draft_comments_close": date(2025, 4, 16)},
        ),
        (
            "plan_issued",
            date(2019, 1, 1),
            None,
            {"first_review_decision": date(2019, 12, 31)},
        ),
        (
            "review_meeting",
            date(2025, 11, 3),
            None,
            {
                "review_report": date(2025, 11, 17),
                "review_decision": date(2025, 12, 1),
                "amended_plan_final": date(2026, 1, 26),
            },
        ),
        (
            "phase_transfer",
            date(2027, 9, 1),
            "school",
            {"phase_transfer_amendment": date(2027, 2, 14)},
        ),
        (
            "phase_transfer",
            date(2027, 9, 6),
            "post16",
            {"phase_transfer_amendment": date(2027, 3, 30)},
        ),
        (
            "phase_transfer",
            date(2026, 1, 5),
            "post16_other",
            {"phase_transfer_amendment": date(2025, 8, 5)},
        ),
        ("la_move_known", date(2025, 4, 14), None, {"plan_transfer": date(2025, 5, 7)}),
        (
            "decision_notice_sent",
            date(2025, 6, 15),
            None,
            {
                "mediation_contact": date(2025, 8, 15),
                "tribunal_appeal": date(2025, 9, 1),
            },
        ),
        (
            "decision_notice_sent",
            date(2025, 10, 26),
            None,
            {
                "mediation_contact": date(2025, 12, 26),
                "tribunal_appeal": date(2026, 1, 2),
            },
        ),
    ],
)
def test_calculate_worked_examples(event: str, on: date, kind: str | None, expected: dict[str, date]) -> None:
    assert dues(event, on, kind) == expected


def test_rows_have_exactly_the_documented_fields() -> None:
    for row in calculate("request_received", date(2025, 1, 6)):
        assert set(row) == {"key", "due", "label", "source"}
        assert type(row["due"]) is date
        assert row["label"].strip() and row["source"].strip()


@pytest.mark.parametrize(("kind", "wording"), [("school", "15 February"), ("post16", "31 March")])
def test_phase_transfer_label_shows_the_code_wording(kind: str, wording: str) -> None:
    (row,) = calculate("phase_transfer", date(2027, 9, 1), kind)
    assert wording in row["label"]


def test_unknown_event_lists_the_valid_ones() -> None:
    with pytest.raises(CalculatorError) as info:
        calculate("appeal_lodged", date(2025, 1, 6))
    message = str(info.value)
    assert "appeal_lodged" in message
    assert all(event in message for event in EVENT_KEYS)


@pytest.mark.parametrize("kind", [None, ""])
def test_phase_transfer_needs_a_kind(kind: str | None) -> None:
    with pytest.raises(CalculatorError, match=r"needs a kind.*school.*post16"):
        calculate("phase_transfer", date(2027, 9, 1), kind)


def test_phase_transfer_rejects_unknown_kind() -> None:
    with pytest.raises(CalculatorError, match=r"unknown kind 'college'.*school, post16, post16_other"):
        calculate("phase_transfer", date(2027, 9, 1), "college")


def test_calculator_error_is_a_value_error() -> None:
    assert issubclass(CalculatorError, ValueError)


def test_kind_is_ignored_for_events_without_kinds() -> None:
    assert dues("draft_served", date(2025, 4, 2), "school") == {"draft_comments_close": date(2025, 4, 16)}


def test_datetime_is_treated_as_its_date() -> None:
    assert dues("draft_served", datetime(2025, 4, 2, 15, 30)) == {"draft_comments_close": date(2025, 4, 16)}


def test_non_date_is_rejected() -> None:
    with pytest.raises(CalculatorError, match="YYYY-MM-DD"):
        calculate("draft_served", "2025-04-02")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2025-01-06", date(2025, 1, 6)), (" 2024-02-29 ", date(2024, 2, 29))],
)
def test_parse_date_valid(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "2025-02-30",
        "2023-02-29",
        "2025-13-01",
        "06/01/2025",
        "2025-1-6",
        "yesterday",
        "2025-01-06T00:00",
        "20250106",
        "\uff12\uff10\uff12\uff15-01-06",  # full-width digits,
    ],
)
def test_parse_date_rejects_bad_input(text: str | None) -> None:
    with pytest.raises(CalculatorError) as info:
        parse_date(text)
    assert str(info.value) == "date must be a real date written YYYY-MM-DD, e.g. 2025-01-06"


@given(
    event=st.sampled_from(sorted(EVENT_KEYS)),
    on=st.dates(min_value=date(2014, 9, 1), max_value=date(2040, 12, 31)),
    kind=st.sampled_from(KINDS),
)
def test_calculator_keys_for_each_event_are_exactly_the_listed_ones(event: str, on: date, kind: str) -> None:
    rows = calculate(event, on, kind)
    assert [row["key"] for row in rows] == EVENT_KEYS[event]
    assert all(type(row["due"]) is date for row in rows)
