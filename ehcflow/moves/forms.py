"""Forms for moves between councils. They check shape; the services check the case and the dates."""

from django import forms

from ehcflow.accounts.models import Role, User
from ehcflow.cases.checks import fmt_date, plan_of
from ehcflow.cases.forms import PlanSectionsForm, RequestForm
from ehcflow.core.codes import AreaOfNeed, NeedType
from ehcflow.core.forms import CaseStepForm, DateField
from ehcflow.deadlines.rules import transfer_review_due
from ehcflow.people.models import Setting

YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known yet")]
_TRI = {"yes": True, "no": False, "unknown": None}


def _radio(choices, label, **kwargs):
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, label=label, **kwargs)


class _OtherLaFields(forms.Form):
    other_la_code = forms.CharField(label="Other council's LA code", min_length=3, max_length=3,
                                    help_text="3 digits, for example 919")
    other_la_name = forms.CharField(label="Other council's name", max_length=120)


def _open_transfer(case, direction: str):
    from ehcflow.moves.services import open_transfer

    plan = plan_of(case) if case is not None else None
    return open_transfer(plan, direction) if plan is not None else None


class MoveOutForm(CaseStepForm, _OtherLaFields):
    learnt_on = DateField(label="Date the council learnt of the move")
    move_on = DateField(label="Date of the move", allow_future=True, required=False,
                        help_text="If known. The plan is sent on the day of the move, or within 15 working days of "
                                  "learning of it if that is later (reg 15(2))")
    health_body_changes = _radio(YES_NO_UNKNOWN, "Does the move change the health commissioning body?",
                                 initial="unknown", required=False,
                                 help_text="For example a move to the area of another integrated care board. If it "
                                           "does, the new body must be told of the move (SEND Regulations 2014 "
                                           "reg 16)")
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)

    def clean_health_body_changes(self):
        return _TRI.get(self.cleaned_data["health_body_changes"])  # not answered: not known yet


class MoveOutSentForm(CaseStepForm):
    transferred_on = DateField(label="Date the plan was sent to the new council")
    health_notified_on = DateField(label="Date the new health commissioning body was told of the move", required=False,
                                   help_text="If it has been told and that is not yet recorded (reg 16). Once the "
                                             "plan has been sent, no other step on this case can record it")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        transfer = _open_transfer(self.case, "out")
        if transfer is None or not transfer.health_notice_due:
            del self.fields["health_notified_on"]


class MoveCancelForm(CaseStepForm):
    cancelled_on = DateField(label="Date the council learnt the move is not going ahead")
    reason = forms.CharField(label="Why the move is not going ahead", widget=forms.Textarea,
                             help_text="For example, the family's new tenancy fell through")


class MoveHealthNoticeForm(CaseStepForm):
    health_body_changes = _radio([("yes", "Yes"), ("no", "No")],
                                 "Does the move change the health commissioning body?",
                                 error_messages={"required": "Select whether the move changes the health "
                                                             "commissioning body"})
    notified_on = DateField(label="Date the new health commissioning body was told", required=False,
                            help_text="Needed if the move changes the health commissioning body")

    def clean_health_body_changes(self):
        return _TRI[self.cleaned_data["health_body_changes"]]

    def clean(self):
        data = super().clean()
        if data.get("health_body_changes") is True and not data.get("notified_on") and "notified_on" not in self.errors:
            self.add_error("notified_on", "Enter the date the new health commissioning body was told")
        return data


class MoveInNotifiedForm(CaseStepForm):
    notified_on = DateField(label="Date the family was told")
    will_assess = _radio([("yes", "Yes: this council proposes to make an EHC needs assessment"),
                          ("no", "No: this council does not propose to assess")],
                         "Did the notice say the council proposes to make an EHC needs assessment?",
                         error_messages={"required": "Select whether the notice said the council proposes to make "
                                                     "an EHC needs assessment"})
    review_proposed_on = DateField(label="Date the notice said the plan will be reviewed", allow_future=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        transfer = _open_transfer(self.case, "in")
        if transfer is not None and transfer.transferred_on:
            latest = transfer_review_due(transfer.transferred_on,
                                         transfer.plan_or_last_review_on or transfer.plan.issued_on)
            self.fields["review_proposed_on"].help_text = (
                f"By {fmt_date(latest)}: the later of 12 months from the plan or its last review and 3 months from "
                f"the transfer (reg 15(5))")

    def clean_will_assess(self):
        return _TRI[self.cleaned_data["will_assess"]]


# --- Recording a plan received from another council ------------------------------------------------------

CHILD_FIELDS = ("first_name", "last_name", "date_of_birth", "sex", "ethnicity", "postcode", "upn", "uln",
                "upn_unknown_reason", "looked_after")
CARERS = 2
OUTCOME_ROWS = 3
PROVISION_ROWS = 3
AREAS = [("", "Choose an area of need")] + AreaOfNeed.choices
NEED_TYPES = [("", "Choose a need type")] + NeedType.choices
CARER_PARTS = ("first_name", "last_name", "relationship", "email", "phone", "address")
PROVISION_PARTS = ("support", "provider", "frequency", "duration")


def _text(label, max_length=None, textarea=False, help_text="") -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=False, help_text=help_text,
                           widget=forms.Textarea if textarea else None)


def _move_in_fields() -> dict:
    """The form's fields, numbered rows for the carers, needs, outcomes and provision (no JavaScript needed)."""
    fields = {name: RequestForm.base_fields[name] for name in CHILD_FIELDS}
    fields["postcode"] = forms.CharField(label="Child's home postcode", max_length=10, required=False)
    for i in range(1, CARERS + 1):
        who = "Parent or carer" if i == 1 else "Second parent or carer (if any)"
        fields[f"carer{i}_first_name"] = _text(f"{who}: first name", 80)
        fields[f"carer{i}_last_name"] = _text(f"{who}: last name", 80)
        fields[f"carer{i}_relationship"] = _text(f"{who}: relationship to the child", 40,
                                                 help_text="For example Mother, Father, Foster carer")
        fields[f"carer{i}_email"] = forms.EmailField(label=f"{who}: email address", required=False)
        fields[f"carer{i}_phone"] = _text(f"{who}: phone number", 40)
        fields[f"carer{i}_address"] = _text(f"{who}: home address", textarea=True)
    fields["other_la_code"] = _OtherLaFields.base_fields["other_la_code"]
    fields["other_la_name"] = _OtherLaFields.base_fields["other_la_name"]
    fields["learnt_on"] = DateField(label="Date this council learnt of the move", required=False)
    fields["transferred_on"] = DateField(label="Date the plan transferred to this council")
    fields["plan_issued_on"] = DateField(label="Date the plan was made",
                                         help_text="The date the old council issued the plan. It stays the plan's "
                                                   "date here (SEND Regulations 2014 reg 15(3))")
    fields["plan_or_last_review_on"] = DateField(label="Date of the plan's last annual review decision",
                                                 required=False, help_text="Leave blank if it has not been reviewed")
    fields["named_setting"] = forms.ModelChoiceField(
        queryset=Setting.objects.filter(is_open=True).order_by("name"), required=False,
        label="School or setting named in section I", empty_label="Choose a school or setting",
        help_text="Also recorded as the child's current setting")
    fields["setting_type"] = _text("Type of setting in section I", 120,
                                   help_text="If the plan names a type of setting rather than a school")
    for i, rank in ((1, "Primary"), (2, "Secondary")):
        optional = "" if i == 1 else " (if any)"
        fields[f"need{i}_area"] = forms.ChoiceField(label=f"{rank} need{optional}: area of need", choices=AREAS,
                                                    required=False)
        fields[f"need{i}_need_type"] = forms.ChoiceField(label=f"{rank} need{optional}: SEN2 need type",
                                                         choices=NEED_TYPES, required=False)
        fields[f"need{i}_description"] = _text(f"{rank} need{optional}: as section B describes it", textarea=True)
    for name in PlanSectionsForm.base_fields:
        if name not in ("version", "token"):
            fields[name] = PlanSectionsForm.base_fields[name]
    for i in range(1, OUTCOME_ROWS + 1):
        fields[f"outcome{i}_area"] = forms.ChoiceField(label=f"Outcome {i}: area of need", choices=AREAS,
                                                       required=False)
        fields[f"outcome{i}_text"] = _text(f"Outcome {i}: as section E states it", textarea=True)
        fields[f"outcome{i}_by_when"] = _text(f"Outcome {i}: by when", 80)
    for i in range(1, PROVISION_ROWS + 1):
        fields[f"provision{i}_area"] = forms.ChoiceField(label=f"Provision {i}: area of need", choices=AREAS,
                                                         required=False)
        fields[f"provision{i}_support"] = _text(f"Provision {i}: what support", textarea=True)
        fields[f"provision{i}_provider"] = _text(f"Provision {i}: who provides it", 160)
        fields[f"provision{i}_frequency"] = _text(f"Provision {i}: how often", 80)
        fields[f"provision{i}_duration"] = _text(f"Provision {i}: for how long", 80)
        fields[f"provision{i}_needs"] = forms.TypedMultipleChoiceField(
            label=f"Provision {i}: needs it meets", coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
            choices=[(1, "The primary need"), (2, "The secondary need")])
        fields[f"provision{i}_outcomes"] = forms.TypedMultipleChoiceField(
            label=f"Provision {i}: outcomes it works towards", coerce=int, required=False,
            widget=forms.CheckboxSelectMultiple, choices=[(n, f"Outcome {n}") for n in range(1, OUTCOME_ROWS + 1)])
    fields["coordinator"] = forms.ModelChoiceField(queryset=User.objects.none(), label="EHC coordinator",
                                                   required=False, empty_label="Not yet allocated")
    fields["notes"] = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    return fields


class MoveInForm(CaseStepForm):
    """A plan received from another council: the child, the family, the transfer and the plan as received.

    Its fields are added below the class from `_move_in_fields`, in page order.
    """

    # (heading, hint, field names) in page order; the template draws one fieldset group per entry.
    GROUPS = [
        ("The child or young person", "", list(CHILD_FIELDS)),
        ("Parents or carers", "The family is told about the transfer within 6 weeks (reg 15(4)).",
         [f"carer{i}_{p}" for i in range(1, CARERS + 1) for p in CARER_PARTS]),
        ("The move and the old council", "", ["other_la_code", "other_la_name", "learnt_on", "transferred_on"]),
        ("The plan's dates", "", ["plan_issued_on", "plan_or_last_review_on"]),
        ("Section I: placement", "", ["named_setting", "setting_type"]),
        ("Section B: special educational needs", "SEN2 takes one primary need and at most one secondary need.",
         [f"need{i}_{p}" for i in (1, 2) for p in ("area", "need_type", "description")]),
        ("Sections A, C, D, G, H, J and K as received", "",
         [n for n in PlanSectionsForm.base_fields if n not in ("version", "token")]),
        ("Section E: outcomes as received", "Leave a row blank if the plan has fewer outcomes.",
         [f"outcome{i}_{p}" for i in range(1, OUTCOME_ROWS + 1) for p in ("area", "text", "by_when")]),
        ("Section F: provision as received", "Leave a row blank if the plan has fewer items.",
         [f"provision{i}_{p}" for i in range(1, PROVISION_ROWS + 1)
          for p in ("area", *PROVISION_PARTS, "needs", "outcomes")]),
        ("Allocation", "", ["coordinator", "notes"]),
    ]

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        if actor is not None:
            self.fields["coordinator"].queryset = User.objects.filter(
                la_id=actor.la_id, role=Role.COORDINATOR, is_active=True).order_by("last_name", "first_name")
            if actor.role == Role.COORDINATOR:
                self.fields["coordinator"].initial = actor.pk

    def groups(self) -> list[dict]:
        return [{"heading": h, "hint": hint, "fields": [self[n] for n in names]} for h, hint, names in self.GROUPS]

    def clean(self):
        data = super().clean()
        if not data.get("upn") and not data.get("uln") and not data.get("upn_unknown_reason"):
            self.add_error("upn_unknown_reason", "Give the UPN or ULN, or say why neither is known")
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        child = {name: d[name] for name in CHILD_FIELDS}
        child["ethnicity"] = child["ethnicity"] or ""
        carers = [{p: d[f"carer{i}_{p}"] for p in CARER_PARTS} for i in range(1, CARERS + 1)]
        needs = [{"area": d[f"need{i}_area"], "need_type": d[f"need{i}_need_type"], "rank": i,
                  "description": d[f"need{i}_description"]}
                 for i in (1, 2) if i == 1 or any(d[f"need{i}_{p}"] for p in ("area", "need_type", "description"))]
        outcomes = [{"area": d[f"outcome{i}_area"], "text": d[f"outcome{i}_text"], "by_when": d[f"outcome{i}_by_when"]}
                    for i in range(1, OUTCOME_ROWS + 1)
                    if any(d[f"outcome{i}_{p}"] for p in ("area", "text", "by_when"))]
        provisions = [{"area": d[f"provision{i}_area"], **{p: d[f"provision{i}_{p}"] for p in PROVISION_PARTS},
                       "needs": d[f"provision{i}_needs"], "outcomes": d[f"provision{i}_outcomes"]}
                      for i in range(1, PROVISION_ROWS + 1)
                      if any(d[f"provision{i}_{p}"] for p in ("area", *PROVISION_PARTS, "needs", "outcomes"))]
        return {"child_details": child, "carers": carers, "needs": needs, "outcomes": outcomes,
                "provisions": provisions,
                "sections": {n: d[n] for n in PlanSectionsForm.base_fields if n not in ("version", "token")},
                **{k: d[k] for k in ("other_la_code", "other_la_name", "plan_issued_on", "plan_or_last_review_on",
                                     "transferred_on", "learnt_on", "coordinator", "notes", "named_setting",
                                     "setting_type")}}


MoveInForm.base_fields.update(_move_in_fields())
MoveInForm.declared_fields.update(MoveInForm.base_fields)
