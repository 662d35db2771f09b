"""A reminder about one deadline for one person, queued once and sent once.

The unique constraint makes queueing idempotent (two scans at once insert one row); `claimed_at` is
taken by compare-and-swap before sending, so two senders never send the same reminder; `sent_at`
records that it went. A claim older than `CLAIM_TIMEOUT` without `sent_at` is a killed run's and is
taken again.
"""

import datetime

from django.conf import settings
from django.db import models

from ehcflow.tenancy.models import TenantModel

CLAIM_TIMEOUT = datetime.timedelta(minutes=10)


class Reminder(TenantModel):
    KINDS = [("approaching", "Due soon"), ("overdue", "Overdue")]
    ROLES = [("coordinator", "Coordinator"), ("manager", "Manager")]

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="reminders")
    key = models.CharField(max_length=40)
    ref = models.CharField(max_length=40, blank=True)
    due_on = models.DateField()
    kind = models.CharField(max_length=12, choices=KINDS)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    role = models.CharField(max_length=12, choices=ROLES)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "key", "ref", "due_on", "kind", "recipient"],
                                               name="reminder_once")]
        indexes = [models.Index(fields=["sent_at", "recipient"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key} {self.due_on} for {self.recipient_id}"
