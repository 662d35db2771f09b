"""Forms for the mediation and appeal steps. They check shape; the services check the case and the dates."""

from django import forms

from ehcflow.appeals.models import SECTIONS, DecisionKind, Order, Outcome
from ehcflow.core.forms import CaseStepForm, DateField


def _radio(choices, label, **kwargs):
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, label=label, **kwargs)


class NoticeForm(CaseStepForm):
    kind = _radio(DecisionKind.choices, "Which appealable decision")
    notice_sent_on = DateField(label="Date the written notice of the decision was sent")


class MediationContactForm(CaseStepForm):
    contacted_on = DateField(label="Date the family contacted the mediation adviser")
    wanted = forms.TypedChoiceField(choices=[("yes", "Yes, they want mediation"),
                                             ("no", "No, they want a certificate to appeal")],
                                    coerce=lambda v: v == "yes", widget=forms.RadioSelect,
                                    label="Does the family want mediation?")


class MediationHeldForm(CaseStepForm):
    held_on = DateField(label="Date mediation was held")


class CertificateForm(CaseStepForm):
    issued_on = DateField(label="Date the mediation certificate was issued")


class RegisterForm(CaseStepForm):
    registered_on = DateField(label="Date the appeal was registered by the Tribunal")
    sections = forms.MultipleChoiceField(
        choices=[(s, f"Section {s}") for s in SECTIONS], widget=forms.CheckboxSelectMultiple, required=False,
        label="Sections appealed", help_text="For an appeal about a plan's contents. An appeal only about section I "
                                             "(the school or college) needs no mediation certificate.")


class OutcomeForm(CaseStepForm):
    outcome = _radio(Outcome.choices, "Outcome")
    outcome_on = DateField(label="Date of the decision or withdrawal")


class OrderForm(CaseStepForm):
    order = _radio(Order.choices, "What the council must do")
    order_on = DateField(label="Date of the order (or of telling the Tribunal the council will not oppose)")


class FirstStepForm(CaseStepForm):
    done_on = DateField(label="Date the draft plan was issued, or the family was told of the assessment")


class CompliedForm(CaseStepForm):
    complied_on = DateField(label="Date the final or amended plan was issued")


class NoPlanForm(CaseStepForm):
    decided_on = DateField(label="Date the family was told no plan will be issued")
