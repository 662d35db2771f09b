"""The local authority is the tenant: every council-owned row carries one."""

from django.core.validators import RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

from ehcflow.core.codes import DesignatedOfficer


class LocalAuthority(models.Model):
    """An English local authority running its SEND service on ehcflow."""

    code = models.CharField(
        "DfE LA code",
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^\d{3}$", "The DfE LA code is three digits, for example 919.")],
    )
    name = models.CharField(max_length=120)
    # SEN2 header items: designated medical, clinical and social care officers (Code of Practice 3.45-3.52).
    dmo = models.CharField("designated medical officer", max_length=1, choices=DesignatedOfficer.choices, blank=True)
    dco = models.CharField("designated clinical officer", max_length=1, choices=DesignatedOfficer.choices, blank=True)
    dsco = models.CharField("designated social care officer", max_length=1, choices=DesignatedOfficer.choices,
                            blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "local authority"
        verbose_name_plural = "local authorities"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class TenantModel(models.Model):
    """Base for council-owned records: the authority is set once and every query scopes by it."""

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+", verbose_name="local authority")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
