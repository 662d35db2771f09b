"""Annual reviews of an EHC plan and the amendments that follow them.

A plan is reviewed within 12 months of being made and then within 12 months of each review decision
(CFA s.44(1)). The review meeting (reg 20) leads to the council's decision to maintain, amend or cease
the plan, notified within 4 weeks of the meeting (reg 20(10); Code 9.176). An amend decision is sent
with the proposed amendments (R (L, M & P) v Devon CC [2022] EWHC 493 (Admin)); the family has at least
15 days for representations (reg 22(2)) and the final amended plan, or a notice of not amending, follows
within 8 weeks of the proposals (reg 22(3)-(4)).
"""

from django.db import models
from simple_history.models import HistoricalRecords

from ehcflow.tenancy.models import TenantModel


class ReviewDecision(models.TextChoices):
    MAINTAIN = "maintain", "Maintain the plan as it is"
    AMEND = "amend", "Amend the plan"
    CEASE = "cease", "Cease to maintain the plan"


class AnnualReview(TenantModel):
    """One annual review: the meeting, the report and the council's decision."""

    ARRANGED_BY = [("la", "The council"), ("school", "The school or college (delegated)")]

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="reviews")
    arranged_by = models.CharField("who arranges the meeting", max_length=10, choices=ARRANGED_BY, default="la")
    meeting_on = models.DateField("date of the review meeting")
    invitations_sent_on = models.DateField("date invitations and advice were sent", null=True, blank=True)
    held_on = models.DateField("date the meeting was held", null=True, blank=True)
    report_received_on = models.DateField("date the review report was received", null=True, blank=True)
    decision = models.CharField(max_length=10, choices=ReviewDecision.choices, blank=True)
    decision_on = models.DateField("date the decision was notified", null=True, blank=True)
    pfa_discussed = models.BooleanField("preparation for adulthood discussed", default=False)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting_on", "id"]
        indexes = [models.Index(fields=["plan", "decision_on"])]

    def __str__(self) -> str:
        return f"Annual review of plan {self.plan_id} on {self.meeting_on}"

    @property
    def is_open(self) -> bool:
        return not self.decision


class AmendmentOutcome(models.TextChoices):
    AMENDED = "amended", "Final amended plan issued"
    NOT_AMENDING = "not_amending", "Notice that the plan will not be amended"


class Amendment(TenantModel):
    """Proposed amendments to the plan, the family's representations and the outcome (reg 22)."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="amendments")
    review = models.ForeignKey(AnnualReview, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="amendments")
    proposals_sent_on = models.DateField("date the proposed amendments were sent")
    proposals = models.TextField("what the council proposes to change", blank=True)
    representations_received_on = models.DateField("date the family's representations were received", null=True,
                                                   blank=True)
    representations = models.TextField(blank=True)
    outcome = models.CharField(max_length=15, choices=AmendmentOutcome.choices, blank=True)
    completed_on = models.DateField("date the amended plan or notice was issued", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["proposals_sent_on", "id"]

    def __str__(self) -> str:
        return f"Amendment of plan {self.plan_id} proposed {self.proposals_sent_on}"

    @property
    def is_open(self) -> bool:
        return not self.outcome
