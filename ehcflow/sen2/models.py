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
