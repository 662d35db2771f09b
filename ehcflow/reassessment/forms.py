"""Forms for the re-assessment steps. They check shape; the services check the case and the dates."""

from django import forms

from ehcflow.core.forms import CaseStepForm, DateField
from ehcflow.deadlines.engine import SET_A_REASONS
from ehcflow.reassessment.models import ReassessDecision, RequestedBy


def _radio(choices, label, **kwargs):
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, label=label, **kwargs)


class ReassessRequestForm(CaseStepForm):
    requested_by = _radio(RequestedBy.choices, "Who asked for the re-assessment?")
    requested_on = DateField(label="Date of the request")
    reasons = forms.CharField(label="Why a re-assessment was asked for", widget=forms.Textarea, required=False)


class ReassessDecideForm(CaseStepForm):
    decision = _radio(ReassessDecision.choices, "The council's decision")
    decision_on = DateField(label="Date the decision was sent to the family")
    reasons = forms.CharField(label="Reasons", widget=forms.Textarea, required=False,
                              help_text="Needed for a refusal: the family is told them with their right to appeal")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        note = _recent_assessment_note(self.case)
        if note:
            self.fields["decision"].help_text = note


def _recent_assessment_note(case) -> str:
    """The 6-month guidance for the open request (ehcflow.reassessment.selectors.recent_assessment_note)."""
    from ehcflow.reassessment.selectors import recent_assessment_note
    from ehcflow.reassessment.services import open_reassessment

    plan = getattr(case, "plan", None) if case is not None else None
    item = open_reassessment(plan) if plan is not None and plan.issued_on else None
    return recent_assessment_note(plan, item.requested_on) if item is not None else ""


class ReassessExceptionForm(CaseStepForm):
    reason = _radio([(k, f"{k}: {v}") for k, v in SET_A_REASONS.items()], "Why the 14 weeks cannot be met")
    evidence = forms.CharField(label="Evidence", widget=forms.Textarea)
    recorded_on = DateField(label="Date recorded")


class ReassessPlanForm(CaseStepForm):
    plan_issued_on = DateField(label="Date the plan after re-assessment was issued")
