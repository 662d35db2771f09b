"""Forms for the phase transfer steps. They check shape; the services check the case."""

from django import forms

from ehcflow.core.forms import CaseStepForm, DateField
from ehcflow.deadlines.phase_transfer import KINDS
from ehcflow.people.models import Setting


def _settings():
    return Setting.objects.filter(is_open=True).order_by("name")


class TransferStartForm(CaseStepForm):
    kind = forms.ChoiceField(choices=[(k, v[0]) for k, v in KINDS.items()], widget=forms.RadioSelect,
                             label="Which move is this?")
    transfer_on = DateField(label="Date of the move", allow_future=True, required=False,
                            help_text="Needed only for a post-16 move at another time; otherwise the move is on "
                                      "1 September")
    preferred_setting = forms.ModelChoiceField(queryset=_settings(), required=False, empty_label="Not known yet",
                                               label="School or college the family prefers")
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["preferred_setting"].queryset = _settings()
        if case is not None and not self.is_bound:
            from django.utils import timezone

            from ehcflow.transfers.services import due_transfer

            due = due_transfer(case, timezone.localdate())
            if due is not None:
                self.fields["kind"].initial = due.kind


class TransferSettingForm(CaseStepForm):
    new_setting = forms.ModelChoiceField(queryset=_settings(), label="New school or college",
                                         empty_label="Choose a school or college")
    agreed_on = DateField(label="Date the new setting was agreed")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_setting"].queryset = _settings()


class TransferCompleteForm(CaseStepForm):
    completed_on = DateField(label="Date the amended plan was issued")
    new_setting = forms.ModelChoiceField(queryset=_settings(), required=False, label="School or college named in "
                                         "section I", empty_label="The setting agreed")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_setting"].queryset = _settings()
