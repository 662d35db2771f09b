from django import template
from django.utils import timezone

from ehcflow.transfers.selectors import transfer_section

register = template.Library()


@register.simple_tag
def phase_transfer_section(case):
    """The case page's phase-transfer section (from the records the case page already loaded)."""
    return transfer_section(case, timezone.localdate())
