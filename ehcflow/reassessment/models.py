"""Re-assessment of an issued EHC plan (CFA 2014 s.44(2); SEND Regulations 2014 regs 24-27).

A request for a re-assessment (from the child's parent or the young person, or the school or college), or
the council's own initiative, is decided within 15 days [U] (regs 24-25, configurable). A refusal is
appealable (CFA s.51(2)). After a decision to re-assess, the plan after re-assessment is issued within
14 weeks of notifying that decision (reg 27(2)); the Set A exceptions of reg 27(3) may disapply the limit,
never moving the date. While the re-assessment is open, the plan's content changes through the plan steps.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from ehcflow.tenancy.models import TenantModel


class RequestedBy(models.TextChoices):
    FAMILY = "family", "The child's parent or the young person"
    SCHOOL = "school", "The school or college"
    LA = "la", "The council's own initiative"


class ReassessDecision(models.TextChoices):
    REASSESS = "reassess", "Re-assess"
    REFUSE = "refuse", "Refuse to re-assess"


class Reassessment(TenantModel):
    """One request (or the council's initiative) to re-assess a plan, and what became of it."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="reassessments")
    requested_on = models.DateField("date of the request")
    requested_by = models.CharField(max_length=10, choices=RequestedBy.choices)
    decision = models.CharField(max_length=10, choices=ReassessDecision.choices, blank=True)
    decision_on = models.DateField("date the decision was notified", null=True, blank=True)
    reasons = models.TextField(blank=True)
    plan_issued_on = models.DateField("date the plan after re-assessment was issued", null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["requested_on", "id"]

    def __str__(self) -> str:
        return f"Re-assessment of plan {self.plan_id} requested {self.requested_on}"

    @property
    def is_open(self) -> bool:
        """Awaiting a decision, or re-assessing with no plan issued yet."""
        return self.completed_on is None


class ReassessmentException(TenantModel):
    """A Set A exception to the 14-week plan after re-assessment (reg 27(3)): status changes, never the date."""

    reassessment = models.ForeignKey(Reassessment, on_delete=models.CASCADE, related_name="exceptions")
    reason = models.CharField(max_length=8)
    evidence = models.TextField()
    recorded_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_on", "id"]
