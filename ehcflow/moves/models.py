"""Moves between councils in England (SEND Regulations 2014 regs 15-16).

Out: the old council sends the plan to the new one on the day of the move, or within 15 working days
beginning with the day it learnt of the move if it learnt less than 15 working days before (reg 15(2));
its own plan then ceases (SEN2 CeaseReason 5). In: the new council tells the family within 6 weeks of the
transfer (reg 15(4)) and reviews the plan by the later of 12 months from the plan or last review and 3
months from the transfer (reg 15(5)). The family's notice says whether the new council proposes to make an
EHC needs assessment and when it proposes to review the plan (reg 15(4)(b)-(c)).

A move out that falls through (the family does not move) is cancelled with a reason; the record stays, so
nothing is lost. Where the move also changes the health commissioning body (the ICB), the old body tells the
new one on the day of the move, or within 15 working days of learning of it (reg 16, [S]); the council
records whether that applies and when it was done, because section G depends on it.
"""

from django.core.validators import RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

from ehcflow.tenancy.models import TenantModel

la_code_validator = RegexValidator(r"^\d{3}$", "Enter the council's 3-digit local authority code, like 919")


class Direction(models.TextChoices):
    OUT = "out", "Moving out to another council"
    IN = "in", "Moved in from another council"


class LaTransfer(TenantModel):
    """One plan moving between councils."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="la_transfers")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    other_la_code = models.CharField("other council's LA code", max_length=3, validators=[la_code_validator])
    other_la_name = models.CharField("other council", max_length=120)
    learnt_on = models.DateField("date the council learnt of the move", null=True, blank=True)
    move_on = models.DateField("date of the move", null=True, blank=True)
    # Out: the day the plan was sent to the new council. In: the day the plan transferred here.
    transferred_on = models.DateField("date the plan transferred", null=True, blank=True)
    family_notified_on = models.DateField("date the family was told (reg 15(4))", null=True, blank=True)
    plan_or_last_review_on = models.DateField("date of the plan or its last review", null=True, blank=True)
    # In: what the reg 15(4) notice said. None until the notice is recorded.
    will_assess = models.BooleanField("proposes to make an EHC needs assessment (reg 15(4)(b))", null=True,
                                      blank=True)
    review_proposed_on = models.DateField("date the council proposes to review the plan (reg 15(4)(c))", null=True,
                                          blank=True)
    # Out: a move that fell through.
    cancelled_on = models.DateField("date the move was cancelled", null=True, blank=True)
    cancel_reason = models.TextField("why the move was cancelled", blank=True)
    # Out: reg 16. None = not known yet (the deadline is still shown), False = the body does not change.
    health_body_changes = models.BooleanField("the move changes the health commissioning body", null=True,
                                              blank=True)
    health_notified_on = models.DateField("date the new health commissioning body was told (reg 16)", null=True,
                                          blank=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Transfer {self.direction} of plan {self.plan_id} ({self.other_la_code})"

    @property
    def is_open(self) -> bool:
        if self.direction == Direction.OUT:
            return self.transferred_on is None and self.cancelled_on is None
        return self.family_notified_on is None

    @property
    def health_notice_due(self) -> bool:
        """A reg 16 notice is still awaited: a pending move out that changes (or may change) the health body."""
        return (self.direction == Direction.OUT and self.is_open and self.health_body_changes is not False
                and self.health_notified_on is None)
