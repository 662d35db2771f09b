"""The EHC needs assessment case: one request's journey from receipt to a final EHC plan.

The stage moves only through the named transitions below (django-fsm-2, protected field): there is
no other way to change it, so an invalid step is impossible rather than merely hidden. Services in
`ehcflow.cases.services` call the transitions; nothing else does.
"""

from django.conf import settings
from django.db import models
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from ehcflow.core.codes import RequestSource
from ehcflow.tenancy.models import TenantModel


class Stage(models.TextChoices):
    RECEIVED = "received", "Request received"
    ASSESSING = "assessing", "Assessing"
    DRAFTING = "drafting", "Drafting plan"
    DRAFT_SERVED = "draft_served", "Draft plan with family"
    PLAN_ISSUED = "plan_issued", "Plan issued"
    NOT_ASSESSED = "not_assessed", "Decided not to assess"
    NOT_ISSUED = "not_issued", "Decided not to issue a plan"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CEASED = "ceased", "Plan ceased"  # ehcflow.ceasing: CFA s.45; regs 29-31


OPEN_STAGES = [Stage.RECEIVED, Stage.ASSESSING, Stage.DRAFTING, Stage.DRAFT_SERVED]
CLOSED_STAGES = [Stage.NOT_ASSESSED, Stage.NOT_ISSUED, Stage.WITHDRAWN, Stage.CEASED]


class Case(FSMModelMixin, TenantModel):
    """A request for an EHC needs assessment and everything that follows from it."""

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="cases")
    stage = FSMField(max_length=20, choices=Stage.choices, default=Stage.RECEIVED, protected=True)
    # Bumped by every change made through a form: a form carries the version it was drawn from, so
    # a second person's stale form is refused instead of silently overwriting the first.
    version = models.PositiveIntegerField(default=1)

    # The request (CFA 2014 s.36(1)); received_on starts every clock.
    received_on = models.DateField("date request received")
    # Blank only for requests loaded from a return of a year before RequestSource was collected (2025).
    source = models.CharField("who made the request", max_length=1, choices=RequestSource.choices, blank=True)
    # A historical request loaded from a return may carry no received date (SEN2 item 2.1 is not required for
    # RequestOutcome H); received_on then holds the earliest date known and this flag keeps it off the return.
    received_on_unknown = models.BooleanField("date received not known", default=False)
    requester_name = models.CharField(max_length=120, blank=True)
    youth_accommodation = models.BooleanField("in relevant youth accommodation", default=False)
    request_summary = models.TextField(blank=True)

    # Outcome of the assessment (reg 10: decision whether to issue a plan).
    outcome = models.CharField(
        max_length=10, blank=True, choices=[("issue", "Issue a plan"), ("not_issue", "Do not issue a plan")]
    )
    outcome_on = models.DateField(null=True, blank=True)
    outcome_reasons = models.TextField(blank=True)

    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)

    # Denormalised from the deadline engine on every change, so a caseload of hundreds lists and
    # sorts in one query. Recomputed by ehcflow.cases.services.case_refresh_deadlines.
    next_deadline_key = models.CharField(max_length=40, blank=True)
    next_deadline_label = models.CharField(max_length=120, blank=True)
    next_deadline_due = models.DateField(null=True, blank=True, db_index=True)

    history = HistoricalRecords(excluded_fields=["next_deadline_key", "next_deadline_label", "next_deadline_due"])

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["la", "stage"]), models.Index(fields=["la", "received_on"])]

    def __str__(self) -> str:
        return f"EHC case {self.pk} for {self.child}"

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    # Transitions. Each is called only by its service, which has already checked the dates.
    @transition(field=stage, source=Stage.RECEIVED, target=Stage.ASSESSING)
    def agree_to_assess(self) -> None:
        """Decision to assess (reg 5(1))."""

    @transition(field=stage, source=Stage.RECEIVED, target=Stage.NOT_ASSESSED)
    def refuse_to_assess(self) -> None:
        """Decision not to assess (reg 4(1)); appealable under CFA s.51(2)(a)."""

    @transition(field=stage, source=Stage.ASSESSING, target=Stage.DRAFTING)
    def decide_to_issue(self) -> None:
        """Assessment outcome: a plan will be issued."""

    @transition(field=stage, source=Stage.ASSESSING, target=Stage.NOT_ISSUED)
    def decide_not_to_issue(self) -> None:
        """Assessment outcome: no plan (reg 10(1)); appealable under CFA s.51(2)(b)."""

    @transition(field=stage, source=Stage.DRAFTING, target=Stage.DRAFT_SERVED)
    def serve_draft(self) -> None:
        """Draft plan served on the family (reg 13(1))."""

    @transition(field=stage, source=Stage.DRAFT_SERVED, target=Stage.PLAN_ISSUED)
    def issue_final(self) -> None:
        """Final plan issued (reg 13(2))."""

    @transition(field=stage, source=Stage.PLAN_ISSUED, target=Stage.CEASED)
    def cease(self) -> None:
        """The council ceases to maintain the plan (CFA s.45; regs 29-31). Called only by ehcflow.ceasing."""

    @transition(field=stage, source=OPEN_STAGES, target=Stage.WITHDRAWN)
    def withdraw(self) -> None:
        """The request is withdrawn (SEN2 outcome W)."""


class PanelDecision(TenantModel):
    """The decision whether to assess, taken by a multi-agency panel, with its reasons."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="decision")
    decided_on = models.DateField("date of decision")
    outcome = models.CharField(max_length=12, choices=[("assess", "Assess"), ("not_assess", "Do not assess")])
    panel = models.CharField("panel", max_length=120, blank=True)
    reasons = models.TextField()
    history = HistoricalRecords()


class AdviceType(models.TextChoices):
    """The advice the LA must seek (reg 6(1))."""

    PARENT = "parent", "Parent or young person"
    EDUCATION = "education", "School or setting"
    EP = "ep", "Educational psychologist"
    HEALTH = "health", "Health"
    SOCIAL_CARE = "social_care", "Social care"
    OTHER = "other", "Other"


class AdviceRequest(TenantModel):
    """A request for advice; its own 6-week clock runs from the day the body received it (reg 8(1))."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="advice_requests")
    advice_type = models.CharField(max_length=20, choices=AdviceType.choices)
    advisor = models.CharField("to whom", max_length=160)
    question = models.TextField("what is asked", blank=True)
    sent_on = models.DateField()
    received_on = models.DateField("date the body received the request")
    returned_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sent_on", "id"]


class ParentComments(TenantModel):
    """The family's response to the draft plan (reg 13(1)), including the school they ask for."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="comments")
    received_on = models.DateField()
    comments = models.TextField()
    requested_setting = models.ForeignKey(
        "people.Setting", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    meeting_requested = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["received_on", "id"]


class Consultation(TenantModel):
    """The LA asks a school or college whether it can meet the child's needs (CFA s.39; Code 9.83)."""

    RESPONSES = [("", "Awaiting response"), ("agreed", "Can meet needs"), ("declined", "Cannot meet needs")]

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consultations")
    setting = models.ForeignKey("people.Setting", on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField()
    responded_on = models.DateField(null=True, blank=True)
    response = models.CharField(max_length=10, choices=RESPONSES, blank=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sent_on", "id"]


class DeadlineException(TenantModel):
    """An exception to one time limit, with its reason and evidence (regs 8(2), 10(4), 13(3)).

    It changes the deadline's status, never its date.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="exceptions")
    deadline_key = models.CharField(max_length=40)
    advice_request = models.ForeignKey(AdviceRequest, on_delete=models.CASCADE, null=True, blank=True)
    reason = models.CharField(max_length=8)
    evidence = models.TextField()
    recorded_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    history = HistoricalRecords()

    def get_deadline_label(self) -> str:
        from ehcflow.deadlines.rules import RULES

        return RULES[self.deadline_key].label if self.deadline_key in RULES else self.deadline_key


class TimelineEvent(TenantModel):
    """One statutory step on the child's timeline: what staff and, later, families see."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=40)
    occurred_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    summary = models.CharField(max_length=250)
    from_stage = models.CharField(max_length=20, blank=True)
    to_stage = models.CharField(max_length=20, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["case", "occurred_on"])]


class SubmissionToken(models.Model):
    """One row per submitted form: a double-click or a resent POST finds its token used."""

    token = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
