"""Forms for team configuration, staff details and a manager's change of who holds a child.

They check the shape of what was typed; the services (`configuration.py`, `allocation.py`) check it against the
council and refuse with nothing changed.
"""

from decimal import Decimal

from django import forms

from ehcflow.accounts.models import Role, User
from ehcflow.core.forms import DateField
from ehcflow.teams.configuration import STAFF_FIELDS, TEAM_FIELDS
from ehcflow.teams.models import Team

ANY_YES_NO = [("", "Any"), ("True", "Yes"), ("False", "No")]


def _any_yes_no(label: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, help_text=help_text, choices=ANY_YES_NO, required=False,
                                  coerce=lambda v: v == "True", empty_value=None, widget=forms.RadioSelect)


def _number(label: str, *, required: bool = True, help_text: str = "", min_value=0, max_value=None):
    return forms.IntegerField(label=label, required=required, help_text=help_text, min_value=min_value,
                              max_value=max_value, widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                              error_messages={"required": f"Enter the {label[:1].lower()}{label[1:]}",
                                              "invalid": f"{label} must be a whole number"})


class TeamForm(forms.Form):
    """One team: who it is, the cohort it holds (every condition given must hold) and its caseloads."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label="Team name", max_length=120,
                           error_messages={"required": "Enter the team's name"})
    description = forms.CharField(label="Description", max_length=250, required=False)
    email = forms.EmailField(label="Team email for families", required=False,
                             error_messages={"invalid": "Enter an email address in the correct format, like "
                                                        "name@example.com"})
    phone = forms.CharField(label="Team phone for families", max_length=40, required=False)
    is_active = forms.BooleanField(label="The team holds cases", required=False, initial=True)
    priority = _number("Priority", min_value=0, max_value=32767,
                       help_text="Where rules overlap, the team with the lower number holds the child: a "
                                 "looked-after 17-year-old goes to the Virtual School, not the post-16 team.")
    looked_after = _any_yes_no("Looked after", "Yes: only children looked after. No: only children who are not.")
    off_roll = _any_yes_no("Not on a school roll", "Yes: only children with no school place or in alternative "
                                                   "provision. No: only children on a school roll.")
    min_age = _number("Youngest age", required=False, max_value=25,
                      help_text="Ages are counted on the 31 August before the school year, so a whole year group "
                                "changes team together in September.")
    max_age = _number("Oldest age", required=False, max_value=25)
    postcode_districts = forms.CharField(label="Postcode districts", max_length=400, required=False,
                                         help_text="The first part of the postcode, separated by spaces, for "
                                                   "example HX1 HX2 HX3. Leave empty for anywhere.")
    school_urns = forms.CharField(label="Schools (URNs)", max_length=2000, required=False,
                                  widget=forms.Textarea,
                                  help_text="URNs of the schools and colleges this team holds, separated by spaces. "
                                            "Leave empty for any school.")
    caseload_target = _number("Caseload target per full-time coordinator", min_value=1, max_value=1000)
    caseload_maximum = _number("Caseload maximum per full-time coordinator", min_value=1, max_value=1000)
    induction_caseload_percent = _number(
        "Caseload in induction (% of target)", min_value=0, max_value=100,
        help_text="Staff in their induction carry this share of the target; 0 means no cases until they finish.")

    groups = [("The team", ["name", "description", "email", "phone", "is_active"]),
              ("Who the team holds", ["priority", "looked_after", "off_roll", "min_age", "max_age",
                                      "postcode_districts", "school_urns"]),
              ("Caseloads", ["caseload_target", "caseload_maximum", "induction_caseload_percent"])]

    def __init__(self, *args, team: Team | None = None, version: str = "", **kwargs):
        if team is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(team, name) for name in TEAM_FIELDS}
        kwargs.setdefault("initial", {"is_active": True, "priority": 50, "caseload_target": 170,
                                      "caseload_maximum": 200, "induction_caseload_percent": 0})
        kwargs["initial"]["version"] = version
        for name in ("looked_after", "off_roll"):  # a radio's value is the text "True", "False" or ""
            value = kwargs["initial"].get(name)
            kwargs["initial"][name] = "" if value is None else str(value)
        super().__init__(*args, **kwargs)

    def field_groups(self):
        return [{"heading": heading, "fields": [self[name] for name in names]} for heading, names in self.groups]

    def clean(self):
        data = super().clean()
        if data.get("min_age") is not None and data.get("max_age") is not None and data["min_age"] > data["max_age"]:
            self.add_error("max_age", "The oldest age must be the same as or more than the youngest age")
        target, maximum = data.get("caseload_target"), data.get("caseload_maximum")
        if target and maximum and maximum < target:
            self.add_error("caseload_maximum", "The caseload maximum must be the same as or more than the target")
        return data

    def team_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in TEAM_FIELDS}


class StaffForm(forms.Form):
    """A coordinator's teams, hours, induction, qualifications, leaving date and long absence."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)
    teams = forms.ModelMultipleChoiceField(queryset=Team.objects.none(), label="Teams", required=False,
                                           widget=forms.CheckboxSelectMultiple,
                                           help_text="A coordinator in two teams has their hours split evenly.")
    fte = forms.DecimalField(label="Working hours (full-time equivalent)", max_digits=3, decimal_places=2,
                             min_value=Decimal("0.1"), max_value=Decimal("1"),
                             widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                             help_text="From 0.1 to 1.0, for example 0.6 for three days a week.",
                             error_messages={"required": "Enter the working hours",
                                             "invalid": "Working hours must be a number, like 0.6",
                                             "min_value": "Working hours must be between 0.1 and 1.0 of full time",
                                             "max_value": "Working hours must be between 0.1 and 1.0 of full time",
                                             "max_decimal_places": "Give working hours to 2 decimal places at most",
                                             "max_digits": "Working hours must be between 0.1 and 1.0 of full time"})
    induction_started_on = DateField(label="Induction started", allow_future=True, required=False)
    induction_completed_on = DateField(label="Induction completed", allow_future=True, required=False)
    qualifications = forms.CharField(label="Qualifications", max_length=250, required=False,
                                     help_text="For example “BTEC Level 4 in SEND casework”.")
    left_on = DateField(label="Left the service", allow_future=True, required=False,
                        help_text="Leave empty unless they have left or are leaving.")
    absent_from = DateField(label="Long absence from", allow_future=True, required=False)
    absent_until = DateField(label="Long absence until", allow_future=True, required=False,
                             help_text="Leave empty while the return date is not known.")

    def __init__(self, *args, user: User, la_id: int, version: str = "", **kwargs):
        if "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(user, name) for name in STAFF_FIELDS}
            kwargs["initial"]["teams"] = list(user.teams.values_list("pk", flat=True))
        kwargs["initial"]["version"] = version
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = Team.objects.filter(la_id=la_id).order_by("priority", "name")

    def clean(self):
        data = super().clean()
        started, completed = data.get("induction_started_on"), data.get("induction_completed_on")
        if completed and started and completed < started:
            self.add_error("induction_completed_on",
                           "The date the induction was completed must be on or after the date it started")
        absent_from, absent_until = data.get("absent_from"), data.get("absent_until")
        if absent_from and absent_until and absent_until < absent_from:
            self.add_error("absent_until", "The date the absence ends must be on or after the date it started")
        return data

    def staff_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in (*STAFF_FIELDS, "teams")}


class CoordinatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class OverrideForm(forms.Form):
    """Move a child to another team and/or coordinator; the reason is kept with the change and on the timeline."""

    held = forms.CharField(widget=forms.HiddenInput, required=False)
    team = forms.ModelChoiceField(queryset=Team.objects.none(), label="Team", empty_label="Choose a team",
                                  error_messages={"required": "Choose the team",
                                                  "invalid_choice": "Choose a team you manage"})
    coordinator = CoordinatorChoiceField(
        queryset=User.objects.none(), label="EHC coordinator", required=False,
        empty_label="No coordinator yet: the team's manager allocates one",
        help_text="Coordinators who are away, have left or are in their induction without cases are not listed.",
        error_messages={"invalid_choice": "Choose an EHC coordinator of this council"})
    reason = forms.CharField(label="Reason for the change", widget=forms.Textarea, max_length=2000,
                             error_messages={"required": "Enter the reason for the change"},
                             help_text="The family is told the name and contact details of their new coordinator; "
                                       "the reason stays in the council's record.")

    def __init__(self, *args, child, destinations, options: list[tuple[User, str]], **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("held", f"{child.team_id or ''}:{child.coordinator_id or ''}")
        initial.setdefault("team", child.team_id)
        initial.setdefault("coordinator", child.coordinator_id)
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = destinations
        # Any coordinator of the council is accepted here so the service can say why one cannot take the child;
        # only those who can are offered.
        self.fields["coordinator"].queryset = User.objects.filter(la_id=child.la_id, role=Role.COORDINATOR,
                                                                  is_active=True)
        self.fields["coordinator"].choices = [("", self.fields["coordinator"].empty_label),
                                              *((u.pk, label) for u, label in options)]

    def held_pair(self) -> tuple[int | None, int | None] | None:
        raw = self.cleaned_data.get("held") or ""
        try:
            team, coordinator = raw.split(":")
            return (int(team) if team else None, int(coordinator) if coordinator else None)
        except ValueError:
            return None
