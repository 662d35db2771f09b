"""The engine's open deadlines, stored one row each, so reminders and work queues are one query.

The engine (`ehcflow.deadlines.engine`) stays the only source of truth: these rows are a copy of
its not-done deadlines (open, missed or exception_applies), rewritten by
`ehcflow.cases.services.case_refresh_deadlines` after every step and for every case by
`manage.py refresh_deadlines` (nightly, as statuses change with the date).
"""

from django.db import models

from ehcflow.tenancy.models import TenantModel


class CaseDeadline(TenantModel):
    """One deadline of a case still needing action."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="open_deadlines")
    key = models.CharField(max_length=40)
    ref = models.CharField(max_length=40, blank=True, help_text="The advice request (or other record) it belongs to")
    label = models.CharField(max_length=200)
    source = models.CharField(max_length=250)
    due_on = models.DateField()
    status = models.CharField(max_length=20)

    class Meta:
        ordering = ["due_on", "key", "ref"]
        constraints = [models.UniqueConstraint(fields=["case", "key", "ref"], name="case_deadline_unique")]
        indexes = [models.Index(fields=["la", "due_on"])]

    def __str__(self) -> str:
        return f"{self.label} due {self.due_on} (case {self.case_id})"
