"""Forms for moves between councils. They check shape; the services check the case and the dates."""

from django import forms

from ehcflow.accounts.models import Role, User
from ehcflow.cases.forms import RequestForm
from ehcflow.core.forms import CaseStepForm, DateField


class _OtherLaFields(forms.Form):
    other_la_code = forms.CharField(label="Other council's LA code", min_length=3, max_length=3,
                                    help_text="3 digits, for example 919")
    other_la_name = forms.CharField(label="Other council's name", max_length=120)


class MoveOutForm(CaseStepForm, _OtherLaFields):
    learnt_on = DateField(label="Date the council learnt of the move")
    move_on = DateField(label="Date of the move", allow_future=True, required=False,
                        help_text="If known. The plan is sent on the day of the move, or within 15 working days of "
                                  "learning of it if that is later (reg 15(2))")
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)


class MoveOutSentForm(CaseStepForm):
    transferred_on = DateField(label="Date the plan was sent to the new council")


class MoveInNotifiedForm(CaseStepForm):
    notified_on = DateField(label="Date the family was told")


CHILD_FIELDS = ("first_name", "last_name", "date_of_birth", "sex", "ethnicity", "postcode", "upn", "uln",
                "upn_unknown_reason", "looked_after")


class MoveInForm(CaseStepForm, _OtherLaFields):
    """A plan received from another council: the child, the plan's dates and the transfer."""

    first_name = RequestForm.base_fields["first_name"]
    last_name = RequestForm.base_fields["last_name"]
    date_of_birth = RequestForm.base_fields["date_of_birth"]
    sex = RequestForm.base_fields["sex"]
    ethnicity = RequestForm.base_fields["ethnicity"]
    postcode = RequestForm.base_fields["postcode"]
    upn = RequestForm.base_fields["upn"]
    uln = RequestForm.base_fields["uln"]
    upn_unknown_reason = RequestForm.base_fields["upn_unknown_reason"]
    looked_after = RequestForm.base_fields["looked_after"]
    plan_issued_on = DateField(label="Date of the plan received")
    plan_or_last_review_on = DateField(label="Date of the plan's last annual review decision", required=False,
                                       help_text="Leave blank if it has not been reviewed")
    transferred_on = DateField(label="Date the plan transferred to this council")
    learnt_on = DateField(label="Date this council learnt of the move", required=False)
    coordinator = forms.ModelChoiceField(queryset=User.objects.none(), label="EHC coordinator", required=False,
                                         empty_label="Not yet allocated")
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        if actor is not None:
            self.fields["coordinator"].queryset = User.objects.filter(
                la_id=actor.la_id, role=Role.COORDINATOR, is_active=True).order_by("last_name", "first_name")
            if actor.role == Role.COORDINATOR:
                self.fields["coordinator"].initial = actor.pk

    def clean(self):
        data = super().clean()
        if not data.get("upn") and not data.get("uln") and not data.get("upn_unknown_reason"):
            self.add_error("upn_unknown_reason", "Give the UPN or ULN, or say why neither is known")
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        child = {name: data[name] for name in CHILD_FIELDS}
        child["ethnicity"] = child["ethnicity"] or ""
        return {"child_details": child, **{k: data[k] for k in (
            "other_la_code", "other_la_name", "plan_issued_on", "plan_or_last_review_on", "transferred_on",
            "learnt_on", "coordinator", "notes")}}
