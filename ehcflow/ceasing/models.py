"""Ceasing to maintain an EHC plan (CFA 2014 s.45; SEND Regulations 2014 regs 29-31).

The council proposes to cease with a SEN2 cease reason, consults the child's parent or the young person
and the setting, decides, and notifies the decision with the right to appeal. A plan under appeal stays
maintained; it ceases only when no appeal is pending. The case then moves to the stage "Plan ceased"
through its django-fsm transition, so no review or amendment step is possible afterwards.
"""

from django.db import models
from simple_history.models import HistoricalRecords

from ehcflow.core.codes import CeaseReason
from ehcflow.tenancy.models import TenantModel


class CeaseDecision(models.TextChoices):
    CEASE = "cease", "Cease to maintain the plan"
    MAINTAIN = "maintain", "Keep the plan (do not cease)"


class AppealOutcome(models.TextChoices):
    DISMISSED = "dismissed", "Appeal dismissed or withdrawn: the council may cease the plan"
    UPHELD = "upheld", "Appeal upheld: the plan is maintained"


class Cessation(TenantModel):
    """One proposal to cease a plan and what became of it."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="cessations")
    reason = models.CharField("reason (SEN2 CeaseReason)", max_length=1, choices=CeaseReason.choices)
    reason_details = models.TextField("details of the reason", blank=True)
    adult_estate = models.BooleanField("entering the adult estate (custody)", default=False)
    proposed_on = models.DateField("date ceasing was proposed")
    consulted_on = models.DateField("date the family and setting were consulted", null=True, blank=True)
    views = models.TextField("views of the family, young person and setting", blank=True)
    decision = models.CharField(max_length=10, choices=CeaseDecision.choices, blank=True)
    decision_on = models.DateField("date of the decision", null=True, blank=True)
    notice_sent_on = models.DateField("date the notice with appeal rights was sent", null=True, blank=True)
    appeal_registered_on = models.DateField("date an appeal was registered", null=True, blank=True)
    appeal_concluded_on = models.DateField("date the appeal concluded", null=True, blank=True)
    appeal_outcome = models.CharField(max_length=10, choices=AppealOutcome.choices, blank=True)
    ceased_on = models.DateField("date the plan ceased", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["proposed_on", "id"]

    def __str__(self) -> str:
        return f"Ceasing of plan {self.plan_id} proposed {self.proposed_on}"

    @property
    def is_open(self) -> bool:
        return (self.ceased_on is None and self.decision != CeaseDecision.MAINTAIN
                and self.appeal_outcome != AppealOutcome.UPHELD)

    @property
    def appeal_pending(self) -> bool:
        return self.appeal_registered_on is not None and self.appeal_concluded_on is None
