"""The EHC plan as structured data (reg 12; Code 9.61–9.69; the national template).

Sections B, E and F are rows grouped by area of need, and each provision item records the five
prompts and the need(s) and outcome(s) it serves, so the golden thread can be checked by a machine.
Narrative sections are text. Versions come from the audit history (`history.as_of`).
"""

from django.db import models
from simple_history.models import HistoricalRecords

from ehcflow.core.codes import AreaOfNeed, DirectPayments, NeedType, ResidentialWeeks, WorkBasedLearning
from ehcflow.people.models import SettingRef
from ehcflow.tenancy.models import TenantModel


class PlanStatus(models.TextChoices):
    PREPARING = "preparing", "Being prepared"
    DRAFT = "draft", "Draft"
    FINAL = "final", "Final"


class Plan(TenantModel):
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="plan")
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.PREPARING)
    draft_served_on = models.DateField(null=True, blank=True)
    issued_on = models.DateField("date final plan issued", null=True, blank=True)
    # The date of the last annual review decision; recorded by the annual review service (a later
    # issue) and loaded with a council's history. It restarts the 12-month clock (CFA s.44(1)).
    last_review_decision_on = models.DateField(null=True, blank=True)

    section_a_history = models.TextField("A1: history", blank=True)
    section_a_views = models.TextField("A2: views, interests, strengths and aspirations", blank=True)
    section_c = models.TextField("C: health needs related to SEN", blank=True)
    section_d = models.TextField("D: social care needs", blank=True)
    section_g = models.TextField("G: health provision", blank=True)
    section_h1 = models.TextField("H1: social care provision (CSDPA 1970 s.2)", blank=True)
    section_h2 = models.TextField("H2: other social care provision", blank=True)
    section_j = models.TextField("J: personal budget", blank=True)
    section_k = models.TextField("K: advice and information", blank=True)

    # Section I. Never named on a draft (CFA s.38(5)): enforced below and in the service.
    named_setting = models.ForeignKey(
        "people.Setting", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="named setting",
    )
    setting_type = models.CharField("type of setting", max_length=120, blank=True)
    # SEN2 plan details (items 4.1-4.4). start_on is the plan's start when it differs from the issue date.
    start_on = models.DateField("plan start date", null=True, blank=True)
    residential = models.CharField("residential placement named", max_length=1, choices=ResidentialWeeks.choices,
                                   blank=True)
    work_based = models.CharField("work-based learning named", max_length=1, choices=WorkBasedLearning.choices,
                                  blank=True)
    personal_budget = models.BooleanField("personal budget taken up", null=True, blank=True)
    organised_arrangements = models.BooleanField("personal budget: organised arrangements", null=True, blank=True)
    direct_payments = models.CharField("personal budget: direct payments", max_length=1,
                                       choices=DirectPayments.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="final") | models.Q(named_setting__isnull=True),
                name="plan_no_named_setting_before_final",
                violation_error_message="A draft plan must not name a school or setting (CFA s.38(5)).",
            )
        ]

    def __str__(self) -> str:
        return f"EHC plan for case {self.case_id}"


class NamedSetting(SettingRef):
    """A setting named in section I, as SEN2 PlanDetail (item 4.7): at most a primary and a secondary."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="named_settings")
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "rank", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "rank"], name="named_setting_one_per_rank")]

    def __str__(self) -> str:
        return f"{self.where} ({self.get_rank_display().lower()})"


class Need(TenantModel):
    """Section B: one special educational need, with its SEN2 need type and rank."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="needs")
    area = models.CharField(max_length=20, choices=AreaOfNeed.choices)
    need_type = models.CharField("SEN2 need type", max_length=4, choices=NeedType.choices)
    rank = models.PositiveSmallIntegerField(choices=[(1, "Primary"), (2, "Secondary"), (3, "Other")], default=3)
    description = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["rank", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"], condition=models.Q(rank=1), name="need_one_primary_per_plan"
            ),
            models.UniqueConstraint(
                fields=["plan"], condition=models.Q(rank=2), name="need_one_secondary_per_plan"
            ),
        ]


class Outcome(TenantModel):
    """Section E: a SMART outcome the child's provision is working towards (Code 9.66)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="outcomes")
    area = models.CharField(max_length=20, choices=AreaOfNeed.choices)
    text = models.TextField("outcome")
    by_when = models.CharField("by when", max_length=80, blank=True)
    preparing_for_adulthood = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]


class Provision(TenantModel):
    """Section F: one item answering the five prompts of the national template (Code 9.69)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="provisions")
    area = models.CharField(max_length=20, choices=AreaOfNeed.choices)
    support = models.TextField("what support")
    provider = models.CharField("who provides it", max_length=160)
    qualification = models.CharField("their qualification", max_length=160, blank=True)
    ratio = models.CharField("staff to child ratio", max_length=20, blank=True)
    frequency = models.CharField("how often", max_length=80)
    duration = models.CharField("for how long", max_length=80)
    needs = models.ManyToManyField(Need, blank=True, related_name="provisions")
    outcomes = models.ManyToManyField(Outcome, blank=True, related_name="provisions")
    history = HistoricalRecords(m2m_fields=[needs, outcomes])

    class Meta:
        ordering = ["id"]


class PlanVersion(TenantModel):
    """A snapshot of the plan as issued: version 1 is the final plan, later ones each amended plan.

    The snapshot holds sections A-K, the needs (B), outcomes (E), provision (F) and the named setting (I)
    as plain data, so versions can be compared section by section whatever happens to the live rows.
    """

    KINDS = [("final", "Final plan"), ("amended", "Amended plan")]
    KINDS += [("moved_in", "Plan as transferred in from another council")]  # ehcflow.moves (reg 15(3))
    KINDS += [("reassessed", "Plan after re-assessment")]  # ehcflow.reassessment (reg 27)

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=KINDS)
    issued_on = models.DateField()
    snapshot = models.JSONField()

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique_number")]

    def __str__(self) -> str:
        return f"Version {self.number} of plan {self.plan_id}"
