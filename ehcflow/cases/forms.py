"""Forms for each step. They check the shape of what was typed; services check it against the case."""

from django import forms

from ehcflow.accounts.models import Role, User
from ehcflow.cases.models import AdviceType, Consultation
from ehcflow.core.codes import AreaOfNeed, Ethnicity, NeedType, RequestSource, Sex, UPNUnknown
from ehcflow.core.forms import CaseStepForm, DateField
from ehcflow.deadlines.engine import SET_A_REASONS, SET_B_REASONS
from ehcflow.people.models import Setting, uln_validator, upn_validator

YES_NO = [(True, "Yes"), (False, "No")]


def _radio(choices, label, **kwargs):
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, label=label, **kwargs)


class SettingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


def _settings_field(label, required=True, help_text=""):
    return SettingChoiceField(
        queryset=Setting.objects.filter(is_open=True).order_by("name"), label=label, required=required,
        help_text=help_text, empty_label="Choose a school or setting",
    )


class _RequestFields(CaseStepForm):
    """What every request records (CFA s.36(1)); SEN2 RequestSource and relevant youth accommodation."""

    received_on = DateField(label="Date the request was received")
    source = _radio(RequestSource.choices, "Who made the request?")
    requester_name = forms.CharField(label="Name of the person or organisation making the request", required=False,
                                     max_length=120)
    youth_accommodation = forms.TypedChoiceField(label="Is the young person in relevant youth accommodation?",
                                                 choices=YES_NO, coerce=lambda v: v in (True, "True"),
                                                 widget=forms.RadioSelect, initial=False)
    request_summary = forms.CharField(label="Summary of the request", widget=forms.Textarea, required=False)


class RequestForm(_RequestFields):
    """Record a request for a child new to the service: the child, a parent or carer, the request."""

    first_name = forms.CharField(label="Child's first name", max_length=80)
    last_name = forms.CharField(label="Child's last name", max_length=80)
    date_of_birth = DateField(label="Date of birth", help_text="For example, 27 3 2018")
    sex = _radio(Sex.choices, "Sex")
    ethnicity = forms.ChoiceField(choices=[("", "Not recorded")] + Ethnicity.choices, required=False)
    postcode = forms.CharField(max_length=10, required=False)
    upn = forms.CharField(label="UPN (unique pupil number)", max_length=13, required=False, validators=[upn_validator],
                          help_text="13 characters, for example A123456789012")
    uln = forms.CharField(label="ULN (unique learner number)", max_length=10, required=False,
                          validators=[uln_validator])
    upn_unknown_reason = forms.ChoiceField(label="If there is no UPN or ULN, why", required=False,
                                           choices=[("", "Not applicable")] + UPNUnknown.choices)
    looked_after = forms.TypedChoiceField(label="Is the child looked after by a council?", choices=YES_NO,
                                          coerce=lambda v: v in (True, "True"), widget=forms.RadioSelect)
    carer_first_name = forms.CharField(label="Parent or carer's first name", max_length=80, required=False)
    carer_last_name = forms.CharField(label="Parent or carer's last name", max_length=80, required=False)
    carer_email = forms.EmailField(label="Parent or carer's email address", required=False)
    carer_phone = forms.CharField(label="Parent or carer's phone number", max_length=40, required=False)
    coordinator = forms.ModelChoiceField(queryset=User.objects.none(), label="EHC coordinator", required=False,
                                         empty_label="Allocate by the team rules",
                                         help_text="Leave this to route the child to the team their circumstances "
                                                   "fit and the coordinator with most room; choose a coordinator "
                                                   "only to override that.")

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        if actor is not None:
            self.fields["coordinator"].queryset = User.objects.filter(
                la_id=actor.la_id, role=Role.COORDINATOR, is_active=True).order_by("last_name", "first_name")

    def clean(self):
        data = super().clean()
        if data.get("carer_last_name") and not data.get("carer_first_name"):
            self.add_error("carer_first_name", "Enter the parent or carer's first name")
        if not data.get("upn") and not data.get("uln") and not data.get("upn_unknown_reason"):
            self.add_error("upn_unknown_reason", "Give the UPN or ULN, or say why neither is known")
        dob, received = data.get("date_of_birth"), data.get("received_on")
        if dob and received and received < dob:
            self.add_error("received_on", "The date the request was received must be after the child's date of birth")
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        child = {k: d[k] for k in ("first_name", "last_name", "date_of_birth", "sex", "ethnicity", "postcode",
                                   "upn", "uln", "upn_unknown_reason", "looked_after")}
        carer = {"first_name": d["carer_first_name"], "last_name": d["carer_last_name"],
                 "email": d["carer_email"], "phone": d["carer_phone"]}
        return {
            "received_on": d["received_on"], "source": d["source"], "requester_name": d["requester_name"],
            "youth_accommodation": d["youth_accommodation"], "request_summary": d["request_summary"],
            "child_details": child, "carer_details": carer, "coordinator": d["coordinator"],
        }


class RepeatRequestForm(_RequestFields):
    """A new request for a child already known to the service (e.g. after an earlier refusal)."""


    def __init__(self, *args, child=None, **kwargs):
        self.child = child
        super().__init__(*args, **kwargs)

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if self.child is not None and value and value < self.child.date_of_birth:
            raise forms.ValidationError("The date the request was received must be after the child's date of birth")
        return value

    def service_kwargs(self) -> dict:
        return {**self.payload(), "child": self.child}


class DecisionForm(CaseStepForm):
    outcome = _radio([("assess", "Assess: carry out an EHC needs assessment"),
                      ("not_assess", "Do not assess")], "The panel's decision")
    decided_on = DateField(label="Date of the decision")
    panel = forms.CharField(label="Panel", max_length=120, required=False,
                            help_text="For example, North multi-agency panel, 14 March")
    reasons = forms.CharField(label="The panel's reasons", widget=forms.Textarea)


class AdviceRequestForm(CaseStepForm):
    advice_type = _radio(AdviceType.choices, "Type of advice")
    advisor = forms.CharField(label="Who the request is sent to", max_length=160,
                              help_text="Name and organisation, for example Dr A Okafor, Educational Psychology Service")
    question = forms.CharField(label="What is asked", widget=forms.Textarea, required=False)
    sent_on = DateField(label="Date sent")
    received_on = DateField(label="Date they received it", required=False,
                            help_text="Their 6 weeks run from this date. Leave blank if it is the date sent.")


class AdviceReturnedForm(CaseStepForm):
    returned_on = DateField(label="Date the advice was returned")


class OutcomeForm(CaseStepForm):
    outcome = _radio([("issue", "Issue an EHC plan"), ("not_issue", "Do not issue an EHC plan")],
                     "Outcome of the assessment")
    outcome_on = DateField(label="Date of the decision")
    reasons = forms.CharField(label="Reasons", widget=forms.Textarea, required=False)


class DraftForm(CaseStepForm):
    served_on = DateField(label="Date the draft plan was served on the family")


class CommentsForm(CaseStepForm):
    received_on = DateField(label="Date the comments were received")
    comments = forms.CharField(label="The family's comments", widget=forms.Textarea)
    requested_setting = _settings_field("School or setting the family asks for", required=False)
    meeting_requested = forms.BooleanField(label="The family asked for a meeting", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_setting"].empty_label = "None requested"


class ConsultationForm(CaseStepForm):
    setting = _settings_field("School or college consulted")
    sent_on = DateField(label="Date the consultation was sent")


class ConsultationResponseForm(CaseStepForm):
    response = _radio([c for c in Consultation.RESPONSES if c[0]], "The school's response")
    responded_on = DateField(label="Date of the response")
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)


class FinalPlanForm(CaseStepForm):
    issued_on = DateField(label="Date the final plan was issued")
    named_setting = _settings_field("School or setting named in section I", required=False)
    setting_type = forms.CharField(label="Type of setting, if none is named", max_length=120, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        case = self.case
        if case is not None:
            agreed = [c.setting_id for c in case.consultations.all() if c.response == "agreed"]
            if len(agreed) == 1:
                self.fields["named_setting"].initial = agreed[0]


class ExceptionForm(CaseStepForm):
    deadline = forms.ChoiceField(label="Which deadline", widget=forms.RadioSelect)
    reason = _radio([(k, f"{k}: {v}") for k, v in {**SET_A_REASONS, **SET_B_REASONS}.items()], "Reason",
                    help_text="A reasons (regs 10(4), 13(3)) apply to the 6-week decision, the 16-week decision and the "
                              "20-week plan; B reasons (reg 8(2)) apply only to a request for advice")
    evidence = forms.CharField(label="Evidence", widget=forms.Textarea,
                               help_text="What shows the exception applies, for example the school's closure dates")
    recorded_on = DateField(label="Date recorded")

    def __init__(self, *args, deadlines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].choices = [
            (f"{d.key}:{d.ref or ''}", f"{d.label} (due {d.due:%-d %B %Y})") for d in deadlines
        ]

    def payload(self) -> dict:
        key, _, ref = self.cleaned_data["deadline"].partition(":")
        advice = self.case.advice_requests.filter(pk=ref).first() if ref else None
        return {"deadline_key": key, "advice_request": advice, "reason": self.cleaned_data["reason"],
                "evidence": self.cleaned_data["evidence"], "recorded_on": self.cleaned_data["recorded_on"]}


class WithdrawForm(CaseStepForm):
    withdrawn_on = DateField(label="Date withdrawn")
    reason = forms.CharField(label="Reason", widget=forms.Textarea)


class PlanSectionsForm(CaseStepForm):
    section_a_history = forms.CharField(label="A1: history", widget=forms.Textarea, required=False)
    section_a_views = forms.CharField(label="A2: views, interests, strengths and aspirations", widget=forms.Textarea,
                                      required=False)
    section_c = forms.CharField(label="C: health needs related to SEN", widget=forms.Textarea, required=False)
    section_d = forms.CharField(label="D: social care needs", widget=forms.Textarea, required=False)
    section_g = forms.CharField(label="G: health provision", widget=forms.Textarea, required=False)
    section_h1 = forms.CharField(label="H1: social care provision under CSDPA 1970 s.2", widget=forms.Textarea,
                                 required=False)
    section_h2 = forms.CharField(label="H2: other social care provision", widget=forms.Textarea, required=False)
    section_j = forms.CharField(label="J: personal budget", widget=forms.Textarea, required=False)
    section_k = forms.CharField(label="K: advice and information", widget=forms.Textarea, required=False)


class NeedForm(CaseStepForm):
    area = _radio(AreaOfNeed.choices, "Area of need")
    need_type = forms.ChoiceField(label="SEN2 need type", choices=NeedType.choices)
    rank = forms.TypedChoiceField(label="Rank", coerce=int, widget=forms.RadioSelect,
                                  choices=[(1, "Primary need"), (2, "Secondary need"), (3, "Other need")])
    description = forms.CharField(label="Description of the need (section B)", widget=forms.Textarea)


class OutcomeItemForm(CaseStepForm):
    area = _radio(AreaOfNeed.choices, "Area of need")
    text = forms.CharField(label="Outcome (section E)", widget=forms.Textarea,
                           help_text="Personal, specific and measurable: what the child will be able to do")
    by_when = forms.CharField(label="By when", max_length=80, help_text="For example, by the end of Key Stage 2")
    preparing_for_adulthood = forms.BooleanField(label="Prepares for adulthood", required=False)


class ProvisionForm(CaseStepForm):
    area = _radio(AreaOfNeed.choices, "Area of need")
    support = forms.CharField(label="What support", widget=forms.Textarea)
    provider = forms.CharField(label="Who provides it", max_length=160)
    qualification = forms.CharField(label="Their qualification", max_length=160, required=False)
    ratio = forms.CharField(label="Staff to child ratio", max_length=20, required=False, help_text="For example, 1:1")
    frequency = forms.CharField(label="How often", max_length=80, help_text="For example, 3 times a week")
    duration = forms.CharField(label="For how long", max_length=80, help_text="For example, 30 minutes each time")
    needs = forms.ModelMultipleChoiceField(queryset=None, label="Needs it meets", widget=forms.CheckboxSelectMultiple,
                                           required=False)
    outcomes = forms.ModelMultipleChoiceField(queryset=None, label="Outcomes it works towards",
                                              widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan = self.case.plan
        self.fields["needs"].queryset = plan.needs.all()
        self.fields["needs"].label_from_instance = lambda n: f"{n.get_need_type_display()}: {n.description[:80]}"
        self.fields["outcomes"].queryset = plan.outcomes.all()
        self.fields["outcomes"].label_from_instance = lambda o: o.text[:100]

    def clean(self):
        data = super().clean()
        if not data.get("needs"):
            self.add_error("needs", "Choose at least one need this provision meets")
        return data
