"""Cross-cutting records: who looked at which child's record (views of special-category data)."""

from django.conf import settings
from django.db import models

from ehcflow.tenancy.models import LocalAuthority


class RecordView(models.Model):
    """A view of a child's record. Changes are audited by django-simple-history; views here."""

    la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="+")
    what = models.CharField(max_length=80)
    via = models.CharField(max_length=10, default="web")
    viewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["child", "viewed_at"])]
