"""Forms for proposals: what to rebalance, which cohort to transfer, which team changes to propose, which
letters were posted. Rendered with the GOV.UK field include (`includes/field.html`)."""

import re

from django import forms

from ehcflow.teams.access import can_configure_teams
from ehcflow.teams.models import Team
from ehcflow.teams.proposals import CohortFilter, council_teams, rebalance_teams_for
EVERY_TEAM = "all"
DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")  # a postcode's outward code: "HX1", "SW1A"


def _required(field: forms.Field, message: str) -> forms.Field:
    field.error_messages["required"] = message
    return field


class RebalanceForm(forms.Form):
    team = forms.ChoiceField(label="Team to rebalance")
    reason = forms.CharField(label="Why (optional)", required=False, max_length=1000, widget=forms.Textarea,
                             help_text="For example “Jo Bloggs leaves on 31 March”. Kept with each move.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = {str(t.pk): t for t in rebalance_teams_for(user)}
        choices = [(k, t.name) for k, t in self.teams.items()]
        if can_configure_teams(user):
            choices.insert(0, (EVERY_TEAM, "Every team"))
        self.fields["team"].choices = choices
        _required(self.fields["team"], "Select the team to rebalance")

    def chosen_team(self) -> Team | None:
        value = self.cleaned_data["team"]
        return None if value == EVERY_TEAM else self.teams[value]


class CohortForm(forms.Form):
    sources = forms.MultipleChoiceField(label="Teams the children are held by now", widget=forms.CheckboxSelectMultiple)
    destination = forms.ChoiceField(label="Team they move to")
    cohort = forms.ChoiceField(label="Which children", widget=forms.RadioSelect, initial="rule", choices=[
        ("rule", "Those the destination team's rule now gives it"),
        ("filter", "Those matching the conditions below"),
    ])
    looked_after = forms.ChoiceField(label="Looked after", widget=forms.RadioSelect, initial="any", required=False,
                                     choices=[("any", "Any"), ("yes", "Looked after"), ("no", "Not looked after")])
    min_age = forms.IntegerField(label="Youngest age", required=False, min_value=0, max_value=25,
                                 help_text="Age on the 31 August before this school year.")
    max_age = forms.IntegerField(label="Oldest age", required=False, min_value=0, max_value=25)
    districts = forms.CharField(label="Postcode districts", required=False, max_length=400,
                                help_text="Space-separated, for example “HX1 HX2”. Leave empty for any.")
    reason = forms.CharField(label="Why they move", max_length=1000, widget=forms.Textarea,
                             help_text="Kept with each move and shown on each child's timeline.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = {str(t.pk): t for t in council_teams(user)}
        choices = [(k, t.name) for k, t in self.teams.items()]
        self.fields["sources"].choices = choices
        self.fields["destination"].choices = [("", "Choose a team"), *choices]
        _required(self.fields["sources"], "Select the teams the children are held by now")
        _required(self.fields["destination"], "Select the team they move to")
        _required(self.fields["cohort"], "Select which children move")
        _required(self.fields["reason"], "Enter why they move")
        for name in ("min_age", "max_age"):
            self.fields[name].widget = forms.TextInput(attrs={"inputmode": "numeric"})
            self.fields[name].error_messages["invalid"] = f"{self.fields[name].label} must be a whole number"

    def clean(self):
        data = super().clean()
        lo, hi = data.get("min_age"), data.get("max_age")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("max_age", "Oldest age must be the same as or more than the youngest age")
        bad = [d for d in data.get("districts", "").split() if not DISTRICT.match(d.upper())]
        if bad:
            self.add_error("districts", "Enter postcode districts only, for example “HX1”, not full postcodes")
        return data

    def service_args(self) -> dict:
        data = self.cleaned_data
        looked_after = {"yes": True, "no": False}.get(data.get("looked_after") or "any")
        return {
            "sources": [self.teams[k] for k in data["sources"]], "destination": self.teams[data["destination"]],
            "by_rule": data["cohort"] == "rule", "reason": data["reason"],
            "cohort_filter": CohortFilter(looked_after=looked_after, min_age=data.get("min_age"),
                                          max_age=data.get("max_age"),
                                          districts=frozenset(data.get("districts", "").upper().split())),
        }


class CircumstancesForm(forms.Form):
    groups = forms.MultipleChoiceField(label="Team changes to propose", widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, groups: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].choices = [
            (g["key"], f"{g['count']} from {g['from_team'].name if g['from_team'] else 'no team'} to "
                       f"{g['to_team'].name}") for g in groups]
        self.fields["groups"].initial = [g["key"] for g in groups]
        _required(self.fields["groups"], "Select at least one group of children to move")


class LettersForm(forms.Form):
    letters = forms.MultipleChoiceField(label="Letters posted", widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, letters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["letters"].choices = [(str(n.pk), f"{n.carer.first_name} {n.carer.last_name} about "
                                                      f"{n.child.full_name}") for n in letters]
        _required(self.fields["letters"], "Select the letters you have posted")
