"""Forms for the annual review and amendment steps. They check shape; the services check the case."""

from django import forms

from ehcflow.core.forms import CaseStepForm, DateField
from ehcflow.people.models import Setting
from ehcflow.reviews.models import AmendmentOutcome, AnnualReview, ReviewDecision


def _radio(choices, label, **kwargs):
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, label=label, **kwargs)


class ReviewArrangeForm(CaseStepForm):
    meeting_on = DateField(label="Date of the review meeting", allow_future=True,
                           help_text="Invitations and advice must go out at least 2 weeks before it")
    arranged_by = _radio(AnnualReview.ARRANGED_BY, "Who arranges the meeting?")
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)


class ReviewInvitationsForm(CaseStepForm):
    sent_on = DateField(label="Date the invitations and advice were sent")


class ReviewMeetingForm(CaseStepForm):
    held_on = DateField(label="Date the meeting was held")
    pfa_discussed = forms.BooleanField(label="Preparation for adulthood was discussed", required=False,
                                       help_text="Required from Year 9")
    notes = forms.CharField(label="Notes of the meeting", widget=forms.Textarea, required=False)


class ReviewReportForm(CaseStepForm):
    received_on = DateField(label="Date the review report was received")


class ReviewDecisionForm(CaseStepForm):
    decision = _radio(ReviewDecision.choices, "The council's decision")
    decision_on = DateField(label="Date the decision was sent to the family")
    proposals = forms.CharField(label="Proposed amendments", widget=forms.Textarea, required=False,
                                help_text="Needed if the decision is to amend: they are sent with the decision")
    reasons = forms.CharField(label="Reasons", widget=forms.Textarea, required=False)


class AmendmentRepresentationsForm(CaseStepForm):
    received_on = DateField(label="Date the family's views were received")
    representations = forms.CharField(label="What the family said", widget=forms.Textarea)


class AmendmentFinaliseForm(CaseStepForm):
    outcome = _radio(AmendmentOutcome.choices, "Outcome")
    completed_on = DateField(label="Date issued")
    named_setting = forms.ModelChoiceField(
        queryset=Setting.objects.filter(is_open=True).order_by("name"), required=False,
        label="New school or setting named in section I, if it changes", empty_label="No change")
    setting_type = forms.CharField(label="Type of setting, if it changes", max_length=120, required=False)
