"""Phase transfers of children with an EHC plan (SEND Regulations 2014 regs 2 and 18).

A transfer is found automatically from the child's date of birth and current setting
(`ehcflow.deadlines.phase_transfer`); a `PhaseTransfer` row records the work on it: started with the
family's preferred setting, the new setting agreed, and completed when the amended plan naming the new
setting is issued (before 15 February, or 31 March for secondary -> post-16; 5 months ahead for a post-16
move at another time).
"""

from django.db import models
from simple_history.models import HistoricalRecords

from ehcflow.deadlines.phase_transfer import KINDS
from ehcflow.tenancy.models import TenantModel


class PhaseTransfer(TenantModel):
    STATUSES = [("open", "Open"), ("completed", "Completed")]

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="phase_transfers")
    kind = models.CharField(max_length=30, choices=[(k, v[0]) for k, v in KINDS.items()])
    transfer_on = models.DateField("date of the move")
    due_on = models.DateField("amended plan due by")
    started_on = models.DateField("date started")
    preferred_setting = models.ForeignKey("people.Setting", on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="+", verbose_name="setting the family prefers")
    new_setting = models.ForeignKey("people.Setting", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="new setting")
    agreed_on = models.DateField("date the new setting was agreed", null=True, blank=True)
    status = models.CharField(max_length=10, choices=STATUSES, default="open")
    completed_on = models.DateField("date the amended plan was issued", null=True, blank=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["transfer_on", "id"]
        indexes = [models.Index(fields=["plan", "transfer_on"]), models.Index(fields=["la", "transfer_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.transfer_on} (plan {self.plan_id})"

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def progress(self) -> str:
        if self.status == "completed":
            return "completed"
        return "agreed" if self.agreed_on else "started"
