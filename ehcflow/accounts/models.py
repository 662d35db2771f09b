"""Staff accounts, their roles and personal API tokens.

Parents, young people and professionals will sign in through the portal later; they get accounts
with no staff role, so every staff page and endpoint already refuses them.
"""

import datetime
import hashlib
import secrets
from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ehcflow.tenancy.models import LocalAuthority


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "EHC coordinator"
    TEAM_MANAGER = "team_manager", "Team manager"
    SERVICE_LEADER = "service_leader", "Service leader"
    ADMINISTRATOR = "administrator", "Administrator"
    # Prepares and submits the council's statutory returns (SEN2): reads every record, changes none of the
    # casework; loads a council's previous return when it moves onto ehcflow.
    DATA_OFFICER = "data_officer", "Data officer"


STAFF_ROLES = {r.value for r in Role}
COUNCIL_WIDE_ROLES = {Role.SERVICE_LEADER.value, Role.ADMINISTRATOR.value, Role.DATA_OFFICER.value}


class User(AbstractUser):
    """A person who signs in. Staff have a role and work within one local authority."""

    la = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, null=True, blank=True, related_name="users",
        verbose_name="local authority",
    )
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    teams = models.ManyToManyField("teams.Team", blank=True, related_name="members")
    job_title = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    # Staff details for the delivery model (ehcflow.teams): caseload capacity follows hours and induction.
    fte = models.DecimalField("working hours (full-time equivalent)", max_digits=3, decimal_places=2,
                              default=Decimal("1.00"), validators=[MinValueValidator(Decimal("0.10")),
                                                                   MaxValueValidator(Decimal("1.00"))])
    induction_started_on = models.DateField("induction started", null=True, blank=True)
    induction_completed_on = models.DateField("induction completed", null=True, blank=True)
    qualifications = models.CharField(max_length=250, blank=True,
                                      help_text="For example “BTEC Level 4 in SEND casework”.")
    left_on = models.DateField("left the service", null=True, blank=True)
    absent_from = models.DateField("long absence from", null=True, blank=True)
    absent_until = models.DateField("long absence until", null=True, blank=True,
                                    help_text="Leave empty while the return date is not known.")
    history = HistoricalRecords(excluded_fields=["last_login", "password"])

    @property
    def is_council_staff(self) -> bool:
        return self.is_active and self.la_id is not None and self.role in STAFF_ROLES

    @property
    def sees_whole_council(self) -> bool:
        return self.is_council_staff and self.role in COUNCIL_WIDE_ROLES

    def in_induction(self, on: datetime.date) -> bool:
        """Started the six-week induction and not yet completed it on this day."""
        return (self.induction_started_on is not None and self.induction_started_on <= on
                and (self.induction_completed_on is None or self.induction_completed_on > on))

    def away(self, on: datetime.date) -> bool:
        """Left the service, or on a long absence, on this day: holds no new cases."""
        if self.left_on is not None and self.left_on <= on:
            return True
        return (self.absent_from is not None and self.absent_from <= on
                and (self.absent_until is None or self.absent_until >= on))

    def __str__(self) -> str:
        return self.get_full_name() or self.username


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token. Only its hash is stored; the token is shown once, when made."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    @classmethod
    def issue(cls, *, user: User) -> tuple["ApiToken", str]:
        token = "ehc_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, prefix=token[4:12], key_hash=_hash(token)), token

    @classmethod
    def user_for(cls, token: str) -> User | None:
        row = (
            cls.objects.select_related("user", "user__la")
            .filter(key_hash=_hash(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if row is None:
            return None
        cls.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        return row.user
