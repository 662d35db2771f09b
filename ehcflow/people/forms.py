"""The form for a child's return details. It shows the service's own checks (`ehcflow.people.services`) as
GOV.UK error messages; the service applies them again when it saves."""

from django import forms

from ehcflow.core.codes import Ethnicity, ResidentialWeeks, SettingKind, Sex, UPNUnknown, WorkBasedLearning
from ehcflow.core.forms import DateField
from ehcflow.people.services import DETAIL_FIELDS, details_problems, details_version, placement_problems


class ChildDetailsForm(forms.Form):
    """The items the SEN2 return reports of each person (Surname to UPNunknown), as the record holds them."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)
    first_name = forms.CharField(label="First name", max_length=80, required=False)
    last_name = forms.CharField(label="Last name", max_length=80, required=False)
    date_of_birth = DateField(label="Date of birth", help_text="For example, 27 3 2018")
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, widget=forms.RadioSelect, required=False)
    ethnicity = forms.ChoiceField(label="Ethnicity", choices=[("", "Not recorded")] + Ethnicity.choices,
                                  required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False,
                               help_text="Where the child lives, for example HX1 1AA",
                               error_messages={"max_length": "Enter a real postcode, like HX1 1AA"})
    upn = forms.CharField(label="UPN (unique pupil number)", max_length=20, required=False,
                          help_text="13 characters, for example A123456789012. The school has it.",
                          error_messages={"max_length": "Enter a UPN in the correct format: 13 characters, "
                                                        "like A123456789012"})
    uln = forms.CharField(label="ULN (unique learner number)", max_length=10, required=False,
                          help_text="10 numbers. A college or training provider has it.",
                          error_messages={"max_length": "Enter a ULN in the correct format: 10 numbers, "
                                                        "like 1234567890"})
    upn_unknown_reason = forms.ChoiceField(
        label="If there is no UPN or ULN, why", required=False,
        choices=[("", "Not applicable: the UPN or ULN is given")] + UPNUnknown.choices)

    def __init__(self, *args, child=None, **kwargs):
        if child is not None:
            initial = kwargs.setdefault("initial", {})
            for name in DETAIL_FIELDS:
                initial.setdefault(name, getattr(child, name))
            initial.setdefault("version", details_version(child))
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        for name, message in details_problems(data).items():
            if name not in self.errors:  # a field that already said what is wrong is not told again
                self.add_error(name, message)
        return data

    def details(self) -> dict:
        """What the service takes: the details, without the version."""
        return {name: self.cleaned_data[name] for name in DETAIL_FIELDS}


class PlacementForm(forms.Form):
    """A setting the child attends, or what they are doing if not in a setting (SEN2 PlacementDetail)."""

    reference = forms.CharField(label="URN or UKPRN", max_length=8, required=False,
                                help_text="A school's URN (6 numbers) or a college or provider's UKPRN (8 numbers)")
    setting_kind = forms.ChoiceField(label="Or, if there is no URN or UKPRN, the type of setting", required=False,
                                     choices=[("", "Not applicable: the URN or UKPRN is given")] + SettingKind.choices)
    setting_kind_other = forms.CharField(label="What the setting or activity is (for ‘other’)", max_length=100,
                                         required=False)
    rank = forms.TypedChoiceField(label="Is this the main placement?", coerce=int, widget=forms.RadioSelect,
                                  choices=[(1, "Yes, the main (primary) placement"), (2, "No, a second placement")],
                                  error_messages={"required": "Select whether this is the main placement"})
    entry_on = DateField(label="Date started", help_text="For example, 4 9 2025")
    sen_unit = forms.BooleanField(label="A place in an SEN unit", required=False)
    resourced_provision = forms.BooleanField(label="A place in resourced provision", required=False)
    residential = forms.ChoiceField(label="Residential", required=False,
                                    choices=[("", "Not residential")] + ResidentialWeeks.choices)
    work_based = forms.ChoiceField(label="Work-based learning", required=False,
                                   choices=[("", "None")] + WorkBasedLearning.choices)

    def __init__(self, *args, child=None, **kwargs):
        self.child = child
        kwargs.setdefault("auto_id", "placement_%s")
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        for name, message in placement_problems(data, self.child).items():
            if name not in self.errors:
                self.add_error(name, message)
        return data


class PlacementEndForm(forms.Form):
    leaving_on = DateField(label="Date left", help_text="For example, 18 7 2026")
