"""Disagreements with an appealable decision: mediation, appeal to the SEND Tribunal, outcome and order.

Appealable decisions (Children and Families Act 2014 s.51(2)): refusing to assess, refusing to issue a plan,
the contents of sections B, F and I of a plan, refusing to re-assess, refusing to amend after a review or
re-assessment, and ceasing to maintain a plan. Mediation: SEND Regulations 2014 regs 32-42; orders: regs 44-45;
the appeal: Tribunal Procedure (First-tier Tribunal) (HESC) Rules 2008 r.20.
"""

from django.db import models
from simple_history.models import HistoricalRecords

from ehcflow.tenancy.models import TenantModel


class DecisionKind(models.TextChoices):
    REFUSE_ASSESS = "refuse_assess", "Refusal to assess"
    REFUSE_ISSUE = "refuse_issue", "Refusal to issue a plan"
    PLAN_CONTENTS = "plan_contents", "Contents of the plan (sections B, F or I)"
    REFUSE_AMEND = "refuse_amend", "Refusal to amend the plan"
    REFUSE_REASSESS = "refuse_reassess", "Refusal to re-assess"
    CEASE = "cease", "Decision to cease the plan"


class Outcome(models.TextChoices):
    UPHELD = "upheld", "Appeal upheld (allowed)"
    DISMISSED = "dismissed", "Appeal dismissed"
    WITHDRAWN = "withdrawn", "Appeal withdrawn"
    CONCEDED = "conceded", "Conceded: the council did not oppose the appeal (reg 45)"


class Order(models.TextChoices):
    MAKE_PLAN = "make_plan", "Make and maintain a plan"
    ASSESS = "assess", "Carry out an assessment"
    AMEND = "amend", "Amend the plan"
    NONE = "none", "No order for the council to act"


class Compliance(models.TextChoices):
    """How an order was complied with: an order to assess ends in a plan or a decision not to issue one (reg 44)."""

    FINAL_PLAN = "final_plan", "Final plan issued"
    AMENDED_PLAN = "amended_plan", "Amended plan issued"
    NO_PLAN = "no_plan", "Decision not to issue a plan, after the assessment"


SECTIONS = ("B", "F", "I")


class Disagreement(TenantModel):
    """One appealable decision sent to the family, and the mediation and appeal that followed."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="disagreements")
    kind = models.CharField("decision", max_length=20, choices=DecisionKind.choices)
    notice_sent_on = models.DateField("date the written notice of the decision was sent")
    mediation_contacted_on = models.DateField("date the family contacted the mediation adviser", null=True,
                                              blank=True)
    mediation_wanted = models.BooleanField("the family wants mediation", null=True, blank=True)
    mediation_held_on = models.DateField("date mediation was held", null=True, blank=True)
    certificate_issued_on = models.DateField("date the mediation certificate was issued", null=True, blank=True)
    appeal_registered_on = models.DateField("date the appeal was registered", null=True, blank=True)
    sections = models.CharField("sections appealed (B, F, I)", max_length=10, blank=True)  # e.g. "BF"
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField("date of the outcome", null=True, blank=True)
    order = models.CharField(max_length=10, choices=Order.choices, blank=True)
    order_on = models.DateField("date of the order", null=True, blank=True)
    first_step_on = models.DateField("date of the draft plan or notice of the assessment", null=True, blank=True)
    complied_on = models.DateField("date the order was complied with", null=True, blank=True)
    compliance = models.CharField("how the order was complied with", max_length=12, choices=Compliance.choices,
                                  blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["notice_sent_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} sent {self.notice_sent_on}"

    @property
    def section_list(self) -> list[str]:
        return [s for s in SECTIONS if s in self.sections]

    @property
    def certificate_needed(self) -> bool:
        """No mediation certificate is needed for an appeal only about section I (CFA s.55(2); reg 33)."""
        return self.section_list != ["I"]

    @property
    def is_finished(self) -> bool:
        if self.outcome in (Outcome.DISMISSED, Outcome.WITHDRAWN):
            return True
        if self.order == Order.NONE:
            return True
        return self.complied_on is not None
