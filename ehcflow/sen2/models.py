"""What a council's earlier SEN2 return said that ehcflow's own steps do not record.

When a council moves onto ehcflow it loads its last return (`manage.py sen2_import`). Most items become
ordinary records: the child, the request (a `Case`), the panel decision, the plan with its named settings,
placements, needs and reviews. A few items describe events the council's old system recorded only as a
flag (mediation or an appeal about a decision, with no dates), or a state ehcflow's workflow cannot reach
(an assessment still "awaiting decision" under a refused request). Those are kept here, as loaded, so the
return can be produced again with every item the council submitted, and so nothing read is lost. ehcflow's
own records always win: a value here is used only where the record itself says nothing.
"""

from django.db import models
from simple_history.models import HistoricalRecords

from ehcflow.tenancy.models import TenantModel

FLAG = {"null": True, "blank": True}


class LoadedRequest(TenantModel):
    """The items of one request (SEN2 `Requests`) as loaded, where the record does not derive them."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="loaded_return")
    year = models.PositiveSmallIntegerField("collection year of the return it was loaded from")
    position = models.PositiveIntegerField("position of the person in that return", default=0)
    request_outcome = models.CharField("RequestOutcome as loaded", max_length=1, blank=True)
    request_mediation = models.BooleanField(**FLAG)
    request_tribunal = models.BooleanField(**FLAG)
    exported_la = models.CharField("moved to (LA code) before the assessment was completed", max_length=3,
                                   blank=True)
    assessment_outcome = models.CharField("AssessmentOutcome as loaded", max_length=1, blank=True)
    assessment_outcome_on = models.DateField(null=True, blank=True)
    assessment_mediation = models.BooleanField(**FLAG)
    assessment_tribunal = models.BooleanField(**FLAG)
    other_mediation = models.BooleanField(**FLAG)
    other_tribunal = models.BooleanField(**FLAG)
    week20 = models.BooleanField("20-week exceptions applied", **FLAG)
    cease_on = models.DateField(null=True, blank=True)
    cease_reason = models.CharField(max_length=1, blank=True)
    active_plans = models.BooleanField("the request had an ActivePlans module", default=False)
    transfer_la = models.CharField("transferred in from (LA code)", max_length=3, blank=True)
    review_meeting_on = models.DateField(null=True, blank=True)
    review_outcome = models.CharField(max_length=1, blank=True)
    review_draft_on = models.DateField(null=True, blank=True)
    last_review_on = models.DateField(null=True, blank=True)
    phase_transfer_due_on = models.DateField(null=True, blank=True)
    phase_transfer_final_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(fields=["la", "year"])]

    def __str__(self) -> str:
        return f"SEN2 {self.year} items of case {self.case_id}"


class QualityCheck(TenantModel):
    """The last data-quality check of one year's return: the coming return's problems, found in the record.

    Checking a county takes seconds (the whole return is built), so it is stored and pages read it: nightly
    (`manage.py sen2_data_quality`), on demand from the data-quality page, and again for one child when their
    details are corrected.
    """

    year = models.PositiveSmallIntegerField()
    checked_at = models.DateTimeField()
    persons = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    queries = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["la", "year"], name="sen2_quality_check_one_per_year")]


class QualityProblem(models.Model):
    """One problem of a stored check (see `ehcflow.sen2.problems.Problem`)."""

    run = models.ForeignKey(QualityCheck, on_delete=models.CASCADE, related_name="problems")
    rule = models.CharField(max_length=20)
    severity = models.CharField(max_length=5)
    message = models.TextField()
    path = models.CharField(max_length=200, blank=True)
    person = models.PositiveIntegerField(null=True, blank=True)
    person_label = models.CharField(max_length=250, blank=True)
    upn = models.CharField(max_length=20, blank=True)
    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["run", "child"])]


class ReturnEvent(TenantModel):
    """Who made, checked or loaded a return, when, and what came of it: the audit of each bulk use of the record.

    A return holds every child's special-category data; its download is recorded here as one event rather than a
    record view per child.
    """

    ACTIONS = [("export", "Return downloaded or written"), ("validate", "File validated"),
               ("import_dry_run", "Import tried (dry run)"), ("import", "Return imported"),
               ("quality_check", "Data quality checked")]

    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    action = models.CharField(max_length=20, choices=ACTIONS)
    via = models.CharField(max_length=10, default="web")  # web or command
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    persons = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    queries = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=300, blank=True)  # e.g. "created 3 children, 4 requests" or a refusal

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["la", "created_at"])]
