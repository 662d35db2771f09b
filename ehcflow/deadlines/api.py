"""GET /api/v1/timescales: the public calculator as JSON."""

import datetime

from ninja import Router, Schema
from ninja.errors import HttpError

from ehcflow.deadlines.calculator import CalculatorError, calculate, parse_date

router = Router(tags=["timescales"])


class DeadlineOut(Schema):
    key: str
    due: datetime.date
    label: str
    source: str


class TimescalesOut(Schema):
    event: str
    date: datetime.date
    deadlines: list[DeadlineOut]


class ErrorOut(Schema):
    detail: str


@router.get("", response={200: TimescalesOut, 400: ErrorOut}, auth=None, url_name="timescales")
def timescales(request, event: str | None = None, date: str | None = None, kind: str | None = None):
    """Statutory deadlines that follow an event on a date (YYYY-MM-DD)."""
    try:
        if not event:
            raise CalculatorError("event is missing: add ?event=request_received (or another event)")
        on = parse_date(date)
        deadlines = calculate(event, on, kind)
    except CalculatorError as exc:
        raise HttpError(400, str(exc)) from None
    return {"event": event, "date": on, "deadlines": deadlines}
