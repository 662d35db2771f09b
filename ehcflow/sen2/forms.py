"""Forms of the SEN2 pages: the return file a data officer uploads, the year to download, the data-quality filter.

They check only the shape of what was sent; reading the file is the validator's work (`ehcflow.sen2.services`).
"""

import datetime

from django import forms
from django.utils import timezone

from ehcflow.sen2 import spec

MAX_UPLOAD_MB = 50  # a county's return is a few tens of MB at most
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
SEVERITIES = [("", "Errors and queries"), ("error", "Errors"), ("query", "Queries")]


def coming_year(today: datetime.date | None = None) -> int:
    """The return whose census is next: the one the council is preparing now."""
    return spec.year_for_reference(today or timezone.localdate())


def offered_years(today: datetime.date | None = None) -> list[int]:
    """Returns that can be made now: every year ehcflow holds whose census has passed, and the coming one."""
    coming = coming_year(today)
    return [year for year in spec.SUPPORTED_YEARS if year <= coming]


def _year_field(today=None) -> forms.TypedChoiceField:
    years = offered_years(today)
    return forms.TypedChoiceField(
        label="Collection year", coerce=int, choices=[(y, f"{y} (census {spec.CENSUS_DATES[y]:%-d %B %Y})")
                                                      for y in reversed(years)],
        initial=coming_year(today), error_messages={"invalid_choice": "Select a collection year from the list",
                                                   "required": "Select a collection year"})


class ReturnFileForm(forms.Form):
    """A SEN2 return file (XML) to validate or to import."""

    file = forms.FileField(
        label="Upload a SEN2 return file", help_text=f"An XML file, up to {MAX_UPLOAD_MB} MB",
        error_messages={"required": "Select a SEN2 return file", "empty": "The selected file is empty",
                        "invalid": "Select a SEN2 return file", "missing": "Select a SEN2 return file"})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"The selected file must be smaller than {MAX_UPLOAD_MB} MB")
        return upload


class YearForm(forms.Form):
    """The collection year of the return to download (a GET form)."""

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = _year_field(today)


class DataQualityFilterForm(forms.Form):
    """Which problems of the coming return to list: the year, errors or queries, one rule (a GET form)."""

    severity = forms.ChoiceField(label="Show", choices=SEVERITIES, required=False)
    rule = forms.ChoiceField(label="Rule", required=False)

    def __init__(self, *args, rules=(), today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"year": _year_field(today), **self.fields}
        self.fields["year"].required = False
        self.fields["rule"].choices = [("", "Every rule")] + [(r, r) for r in rules]


class CouncilOfficersForm(forms.Form):
    """The SEN2 header's designated officers (SEND Code of Practice 3.45-3.52): yes, no or being recruited."""

    def __init__(self, *args, la=None, **kwargs):
        from ehcflow.core.codes import DesignatedOfficer

        initial = {f: getattr(la, f) for f in ("dmo", "dco", "dsco")} if la is not None else {}
        super().__init__(*args, initial=initial, **kwargs)
        for name, label in (("dmo", "Designated medical officer"), ("dco", "Designated clinical officer"),
                            ("dsco", "Designated social care officer")):
            self.fields[name] = forms.ChoiceField(
                label=f"Does the council have a {label.lower()}?", choices=DesignatedOfficer.choices,
                widget=forms.RadioSelect, error_messages={"required": f"Select whether the council has a {label.lower()}",
                                                          "invalid_choice": "Select yes, no or recruitment in progress"})
