"""Children and young people, their parents and carers, and the education settings they attend."""

from django.core.validators import RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

from ehcflow.core.codes import (
    Ethnicity,
    ResidentialWeeks,
    SettingKind,
    SettingPhase,
    SettingType,
    Sex,
    UPNUnknown,
    WorkBasedLearning,
)
from ehcflow.tenancy.models import TenantModel

upn_validator = RegexValidator(
    r"^[A-Z]\d{11}[0-9A-Z]$", "A UPN is 13 characters: a letter, 11 digits, then a digit or letter."
)
uln_validator = RegexValidator(r"^\d{10}$", "A ULN is 10 digits.")


class Setting(models.Model):
    """An education setting from the DfE register (GIAS) or a provider with a UKPRN.

    Settings are national reference data, shared by every council on a deployment.
    """

    name = models.CharField(max_length=200)
    urn = models.CharField("URN", max_length=8, blank=True, db_index=True)
    ukprn = models.CharField("UKPRN", max_length=8, blank=True)
    phase = models.CharField(max_length=20, choices=SettingPhase.choices)
    kind = models.CharField("type", max_length=20, choices=SettingType.choices)
    la_code = models.CharField("LA code", max_length=3, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    is_open = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} (URN {self.urn})" if self.urn else self.name


class Child(TenantModel):
    """A child or young person (0–25) known to the SEND service."""

    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    # Wider than a UPN so a malformed one loaded from a council's old return is kept, flagged on the
    # data-quality page and corrected here, rather than lost on import; forms still insist on 13.
    upn = models.CharField("UPN", max_length=20, blank=True, validators=[upn_validator])
    uln = models.CharField("ULN", max_length=10, blank=True, validators=[uln_validator])
    upn_unknown_reason = models.CharField(
        "reason UPN and ULN are unknown", max_length=4, choices=UPNUnknown.choices, blank=True
    )
    looked_after = models.BooleanField("looked after", default=False)
    setting = models.ForeignKey(
        Setting, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="current setting",
    )
    team = models.ForeignKey("teams.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    coordinator = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="caseload",
        verbose_name="EHC coordinator",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "children"
        indexes = [models.Index(fields=["la", "last_name", "first_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Carer(TenantModel):
    """A parent or carer. Linked to each child they care for, so siblings share one record."""

    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    user = models.OneToOneField(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="carer",
        help_text="The portal account, when the parent or carer signs in.",
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class CarerLink(TenantModel):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="carer_links")
    carer = models.ForeignKey(Carer, on_delete=models.CASCADE, related_name="child_links")
    relationship = models.CharField(max_length=40, default="Parent")
    parental_responsibility = models.BooleanField(default=True)
    main_contact = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["child", "carer"], name="carer_link_unique")]


RANKS = [(1, "Primary"), (2, "Secondary")]


class SettingRef(TenantModel):
    """Where a child is, in SEN2 terms: exactly one of a URN, a UKPRN or a kind of setting (items 4.7, 5.7).

    The URN and UKPRN are kept as written even when the register (`Setting`) does not hold them, so a
    council's history loads whole; `setting` links the register's row when it does.
    """

    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    urn = models.CharField("URN", max_length=8, blank=True)
    ukprn = models.CharField("UKPRN", max_length=8, blank=True)
    setting_kind = models.CharField("type of setting (no URN or UKPRN)", max_length=4, choices=SettingKind.choices,
                                    blank=True)
    setting_kind_other = models.CharField("further details", max_length=100, blank=True)
    rank = models.PositiveSmallIntegerField(choices=RANKS, default=1)
    sen_unit = models.BooleanField("a place in an SEN unit", null=True, blank=True)
    resourced_provision = models.BooleanField("a place in resourced provision", null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def where(self) -> str:
        if self.setting_id:
            return str(self.setting)
        if self.urn or self.ukprn:
            return f"URN {self.urn}" if self.urn else f"UKPRN {self.ukprn}"
        return self.get_setting_kind_display() or "Not recorded"


class Placement(SettingRef):
    """A setting the child attends (or NEET etc.), with its dates: SEN2 PlacementDetail (item 5.7)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="placements")
    entry_on = models.DateField("date started", null=True, blank=True)
    leaving_on = models.DateField("date left", null=True, blank=True)
    residential = models.CharField("residential", max_length=1, choices=ResidentialWeeks.choices, blank=True)
    work_based = models.CharField("work-based learning", max_length=1, choices=WorkBasedLearning.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "rank", "entry_on", "id"]
        indexes = [models.Index(fields=["la", "child"])]

    def __str__(self) -> str:
        return f"{self.where} ({self.get_rank_display().lower()})"
