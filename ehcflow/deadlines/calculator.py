"""The public timescale calculator: one event and one date in, the statutory dates out.

Kept separate from the case engine so families and schools can check a date without a
case existing. Errors are CalculatorError (a ValueError) with a message that can be
shown as is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from ehcflow.deadlines.rules import PHASE_TRANSFER_KINDS, RULES

DATE_MESSAGE = "date must be a real date written YYYY-MM-DD, e.g. 2025-01-06"
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class CalculatorError(ValueError):
    """A calculator input is wrong; the message says what and how to fix it."""


@dataclass(frozen=True)
class EventSpec:
    """An event a user can pick, in plain English, and the deadlines it starts."""

    key: str
    label: str
    description: str
    deadline_keys: tuple[str, ...]
    kinds: dict[str, str] = field(default_factory=dict)  # kind -> plain English; empty = no kind


_EVENT_LIST: tuple[EventSpec, ...] = (
    EventSpec(
        "request_received",
        "The council received a request for an EHC needs assessment",
        "Use the date the council received the request, not the date it was sent.",
        ("decision_to_assess", "decision_not_to_issue", "final_plan"),
    ),
    EventSpec(
        "advice_requested",
        "A professional received a request for advice",
        "Use the date the school, psychologist, health or social care team received the request.",
        ("advice_due",),
    ),
    EventSpec(
        "draft_served",
        "The draft EHC plan was sent to the family",
        "Use the date the draft plan was served on the parent or young person.",
        ("draft_comments_close",),
    ),
    EventSpec(
        "plan_issued",
        "The final EHC plan was issued",
        "Use the date the final plan was made.",
        ("first_review_decision",),
    ),
    EventSpec(
        "review_meeting",
        "An annual review meeting was held",
        "Use the date of the review meeting.",
        ("review_report", "review_decision", "amended_plan_final"),
    ),
    EventSpec(
        "phase_transfer",
        "A child or young person is moving to a new school or college",
        "Use the date they start at the new setting, and choose the kind of move.",
        ("phase_transfer_amendment",),
        dict(PHASE_TRANSFER_KINDS),
    ),
    EventSpec(
        "la_move_known",
        "The old council learnt that the family is moving to another council's area",
        "Use the date the old council found out about the move.",
        ("plan_transfer",),
    ),
    EventSpec(
        "decision_notice_sent",
        "The council sent written notice of a decision you can appeal",
        "Use the date the decision letter was sent.",
        ("mediation_contact", "tribunal_appeal"),
    ),
)

EVENTS: dict[str, EventSpec] = {spec.key: spec for spec in _EVENT_LIST}

_PHASE_LABELS: dict[str, str] = {
    "school": " (the Code says by 15 February; the law says before 15 February)",
    "post16": " (the Code says by 31 March; the law says before 31 March)",
    "post16_other": " (at least 5 months before the move)",
}


def parse_date(text: str | None) -> date:
    """Parse a strict YYYY-MM-DD date so that typos are reported rather than guessed."""
    if not isinstance(text, str) or not _DATE_RE.fullmatch(text.strip()):
        raise CalculatorError(DATE_MESSAGE)
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CalculatorError(DATE_MESSAGE) from None


def calculate(event: str, on: date, kind: str | None = None) -> list[dict]:
    """Return the deadlines an event starts, as dicts with key, due, label and source.

    `kind` is needed only for phase_transfer; it is ignored for other events.
    """
    spec = EVENTS.get(event)
    if spec is None:
        raise CalculatorError(f"unknown event {event!r}; choose one of: {', '.join(EVENTS)}")
    if spec.kinds:
        if not kind:
            raise CalculatorError(f"{event} needs a kind: choose one of: {', '.join(spec.kinds)}")
        if kind not in spec.kinds:
            raise CalculatorError(f"unknown kind {kind!r} for {event}; choose one of: {', '.join(spec.kinds)}")
    if isinstance(on, datetime):
        on = on.date()
    elif not isinstance(on, date):
        raise CalculatorError(DATE_MESSAGE)
    results: list[dict] = []
    for key in spec.deadline_keys:
        rule = RULES[key]
        if key == "phase_transfer_amendment" and kind:
            due = rule.due(on, kind)
            label = rule.label + _PHASE_LABELS[kind]
        else:
            due = rule.due(on)
            label = rule.label
        results.append({"key": key, "due": due, "label": label, "source": rule.source})
    return results
