"""Form pieces that render as GOV.UK Design System components.

Dates use the GOV.UK date input (three boxes: day, month, year) and give the pattern's error
messages. Every form that changes a case carries the case version and a one-time submission token.
"""

import datetime
import uuid

from django import forms
from django.utils import timezone


class DateInputWidget(forms.MultiWidget):
    """GOV.UK date input: day, month and year boxes."""

    template_name = "widgets/govuk_date.html"

    def __init__(self, attrs=None):
        widgets = [
            forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-2"}),
            forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-2"}),
            forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-4"}),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for sub, label in zip(context["widget"]["subwidgets"], ["Day", "Month", "Year"], strict=True):
            sub["label"] = label
        # Django marks a field with errors aria-invalid; the Design System also draws red boxes.
        context["widget"]["has_error"] = (attrs or {}).get("aria-invalid") == "true"
        return context


class DateField(forms.MultiValueField):
    """A date typed as day, month and year, refusing impossible and (by default) future dates."""

    widget = DateInputWidget

    def __init__(self, *, allow_future: bool = False, **kwargs):
        self.allow_future = allow_future
        custom_required = "required" in (kwargs.get("error_messages") or {})
        parts = (forms.CharField(required=False), forms.CharField(required=False), forms.CharField(required=False))
        super().__init__(fields=parts, require_all_fields=False, **kwargs)
        if self.label and not custom_required:
            self.error_messages["required"] = f"Enter the {self.label[:1].lower()}{self.label[1:]}"

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        name = self.label or "date"
        missing = [p for p, v in (("day", day), ("month", month), ("year", year)) if not v]
        if missing:
            raise forms.ValidationError(f"{name[:1].upper()}{name[1:]} must include a {' and '.join(missing)}")
        try:
            value = datetime.date(int(year), int(month), int(day))
        except (ValueError, TypeError):
            raise forms.ValidationError(f"{name[:1].upper()}{name[1:]} must be a real date") from None
        if len(year) != 4:
            raise forms.ValidationError("Year must include 4 numbers")
        if not self.allow_future and value > timezone.localdate():
            raise forms.ValidationError(f"{name[:1].upper()}{name[1:]} must be today or in the past")
        return value


class CaseStepForm(forms.Form):
    """Base for a form that records a step on a case: carries the version and submission token."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, case=None, **kwargs):
        self.case = case
        initial = kwargs.setdefault("initial", {})
        if case is not None:
            initial.setdefault("version", case.version)
        initial.setdefault("token", uuid.uuid4())
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.required and field.label and not isinstance(field, DateField):
                verb = "Select" if isinstance(field.widget, forms.RadioSelect | forms.Select) else "Enter"
                label = field.label.rstrip("?")
                field.error_messages.setdefault("required", f"{verb} {label[:1].lower()}{label[1:]}")
                if field.error_messages["required"] == forms.Field.default_error_messages["required"]:
                    field.error_messages["required"] = f"{verb} {label[:1].lower()}{label[1:]}"
        if case is None:  # a new request has no case, so no version to compare
            self.fields["version"].required = False

    def payload(self) -> dict:
        """The cleaned data a service takes, without the version and token."""
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "token")}
