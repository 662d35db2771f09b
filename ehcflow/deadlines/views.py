"""The public timescale calculator: families and staff can work out statutory dates without signing in."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ehcflow.core.forms import DateField
from ehcflow.deadlines.calculator import EVENTS, CalculatorError, calculate


class CalculatorForm(forms.Form):
    event = forms.ChoiceField(label="What happened?", widget=forms.RadioSelect,
                              error_messages={"required": "Choose what happened"},
                              choices=[(k, spec.label) for k, spec in EVENTS.items()])
    date = DateField(label="When did it happen?", allow_future=True,
                     error_messages={"required": "Enter the date it happened"},
                     help_text="For a move to a new school or college, the day the child starts there. "
                               "For example, 6 1 2025")
    kind = forms.ChoiceField(label="If a child is moving school or college, what kind of move?", required=False,
                             widget=forms.RadioSelect,
                             choices=[(k, v) for k, v in EVENTS["phase_transfer"].kinds.items()])

    def clean(self):
        data = super().clean()
        if data.get("event") == "phase_transfer" and not data.get("kind"):
            self.add_error("kind", "Choose the kind of move")
        return data


def timescales(request: HttpRequest) -> HttpResponse:
    form = CalculatorForm(request.GET or None)
    results, event = None, None
    if request.GET and form.is_valid():
        event = EVENTS[form.cleaned_data["event"]]
        try:
            results = calculate(event.key, form.cleaned_data["date"],
                                form.cleaned_data.get("kind") if event.key == "phase_transfer" else None)
        except CalculatorError as exc:
            form.add_error(None, str(exc))
    return render(request, "deadlines/timescales.html", {
        "form": form, "results": results, "event": event, "nav": "timescales",
    }, status=400 if request.GET and form.errors else 200)
