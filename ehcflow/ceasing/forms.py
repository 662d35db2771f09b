"""Forms for the ceasing steps. They check shape; the services check the case, the age and the dates."""

from django import forms

from ehcflow.ceasing.models import AppealOutcome, CeaseDecision
from ehcflow.core.codes import CeaseReason
from ehcflow.core.forms import CaseStepForm, DateField

PROPOSABLE_REASONS = [(v, f"{v}: {label}") for v, label in CeaseReason.choices if v != CeaseReason.TRANSFERRED_LA]


def _radio(choices, label, **kwargs):
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, label=label, **kwargs)


class CeaseProposeForm(CaseStepForm):
    reason = _radio(PROPOSABLE_REASONS, "Reason for ceasing (SEN2 cease reason)",
                    help_text="A move to another council in England is recorded as a move out, not here")
    adult_estate = forms.BooleanField(label="The young person is entering the adult estate (custody)",
                                      required=False, help_text="Only with reason 1, from age 19")
    reason_details = forms.CharField(label="Details", widget=forms.Textarea, required=False,
                                     help_text="Needed for reason 9 (other)")
    proposed_on = DateField(label="Date ceasing was proposed")


class CeaseConsultForm(CaseStepForm):
    consulted_on = DateField(label="Date the family, young person and setting were consulted")
    views = forms.CharField(label="What they said", widget=forms.Textarea)


class CeaseDecideForm(CaseStepForm):
    decision = _radio(CeaseDecision.choices, "The council's decision")
    decision_on = DateField(label="Date of the decision")
    notice_sent_on = DateField(label="Date the notice with the right to appeal was sent", required=False,
                               help_text="Needed if the decision is to cease")


class CeaseAppealForm(CaseStepForm):
    registered_on = DateField(label="Date the appeal was registered")


class CeaseAppealOutcomeForm(CaseStepForm):
    outcome = _radio(AppealOutcome.choices, "Outcome of the appeal")
    concluded_on = DateField(label="Date the appeal concluded")


class CeaseForm(CaseStepForm):
    ceased_on = DateField(label="Date the plan ceased")
