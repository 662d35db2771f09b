"""The GOV.UK date input: its messages and its error styling."""

import datetime

import pytest
import time_machine

from ehcflow.cases.forms import DecisionForm


def form(day, month, year):
    return DecisionForm(data={"version": 1, "token": "6f1c1a52-1111-4a4a-9a9a-000000000001", "outcome": "assess",
                              "reasons": "r", "decided_on_0": day, "decided_on_1": month, "decided_on_2": year})


@time_machine.travel(datetime.date(2025, 6, 2), tick=False)
@pytest.mark.parametrize("day, month, year, message", [
    ("31", "2", "2025", "Date of the decision must be a real date"),
    ("", "2", "2025", "Date of the decision must include a day"),
    ("1", "", "", "Date of the decision must include a month and year"),
    ("1", "2", "25", "Year must include 4 numbers"),
    ("3", "6", "2025", "Date of the decision must be today or in the past"),
    ("x", "2", "2025", "Date of the decision must be a real date"),
])
def test_date_messages_follow_the_design_system(day, month, year, message):
    f = form(day, month, year)
    assert not f.is_valid()
    assert f.errors["decided_on"] == [message]
    html = str(f["decided_on"])
    assert "govuk-input--error" in html


@time_machine.travel(datetime.date(2025, 6, 2), tick=False)
def test_a_good_date_is_accepted_and_drawn_without_error():
    f = form("10", "2", "2025")
    assert f.is_valid(), f.errors
    assert f.cleaned_data["decided_on"] == datetime.date(2025, 2, 10)
    assert "govuk-input--error" not in str(f["decided_on"])


def test_a_missing_date_says_what_to_enter():
    f = form("", "", "")
    assert not f.is_valid()
    assert f.errors["decided_on"] == ["Enter the date of the decision"]


def test_required_fields_say_what_to_enter_or_select():
    f = DecisionForm(data={"version": 1, "token": "6f1c1a52-1111-4a4a-9a9a-000000000001"})
    assert not f.is_valid()
    assert f.errors["reasons"] == ["Enter the panel's reasons"]
    assert f.errors["outcome"] == ["Select the panel's decision"]
