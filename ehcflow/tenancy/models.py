"""The local authority is the tenant: every council-owned row carries one."""

from django.core.validators import RegexValidator
from django.db import models


class LocalAuthority(models.Model):
    """An English local authority running its SEND service on ehcflow."""

    code = models.CharField(
        "DfE LA code",
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^\d{3}$", "The DfE LA code is three digits, for example 919.")],
    )
    name = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

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
