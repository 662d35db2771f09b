"""Teams hold children's cases; cohort rules and targets arrive with the delivery model."""

from django.db import models
from simple_history.models import HistoricalRecords

from ehcflow.tenancy.models import TenantModel


class Team(TenantModel):
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=250, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["la", "name"], name="team_name_unique_per_la")]

    def __str__(self) -> str:
        return self.name
