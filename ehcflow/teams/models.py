"""The delivery model: specialist teams with cohort rules and caseload targets, and every change of who holds a child.

A council does not hold all statutory SEND work in one team: the Virtual School holds children looked after,
Access & Inclusion children not on a school roll, Early Years the under-5s, a post-16 team young people, and area
teams the rest. Each team's cohort rule is configuration (`ehcflow/teams/routing.py` applies it, pure); a child
belongs to the active team with the lowest priority number whose rule fits them.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from ehcflow.tenancy.models import TenantModel


class Team(TenantModel):
    """A team that holds children's cases, the cohort it holds and the caseload each coordinator should carry.

    An empty condition means "any": a team with no conditions at all takes every child no team of a lower
    priority number takes (a council's catch-all).
    """

    name = models.CharField(max_length=120)
    description = models.CharField(max_length=250, blank=True)
    email = models.EmailField("team email for families", blank=True)
    phone = models.CharField("team phone for families", max_length=40, blank=True)
    is_active = models.BooleanField("holds cases", default=True)
    priority = models.PositiveSmallIntegerField(
        default=50, help_text="Where rules overlap, the team with the lower number holds the child "
                              "(a looked-after 17-year-old goes to the Virtual School, not the post-16 team).")
    # The cohort rule: every condition given must hold.
    looked_after = models.BooleanField("looked after", null=True, blank=True,
                                       help_text="Yes: only children looked after; no: only children who are not.")
    off_roll = models.BooleanField("not on a school roll", null=True, blank=True,
                                   help_text="Yes: only children with no school place or in alternative provision; "
                                             "no: only children on a school roll.")
    min_age = models.PositiveSmallIntegerField("youngest age", null=True, blank=True,
                                               validators=[MaxValueValidator(25)])
    max_age = models.PositiveSmallIntegerField("oldest age", null=True, blank=True, validators=[MaxValueValidator(25)])
    postcode_districts = models.CharField("postcode districts", max_length=400, blank=True,
                                          help_text="Space-separated, e.g. “HX1 HX2 HX3”.")
    school_urns = models.CharField("schools (URNs)", max_length=2000, blank=True,
                                   help_text="Space-separated URNs of the schools and colleges this team holds.")
    # Caseloads, per full-time coordinator.
    caseload_target = models.PositiveSmallIntegerField("caseload target per full-time coordinator", default=170,
                                                       validators=[MinValueValidator(1)])
    caseload_maximum = models.PositiveSmallIntegerField("caseload maximum per full-time coordinator", default=200,
                                                        validators=[MinValueValidator(1)])
    induction_caseload_percent = models.PositiveSmallIntegerField(
        "caseload in induction (% of target)", default=0, validators=[MaxValueValidator(100)],
        help_text="Staff in their induction carry this share of the target; 0 means no cases until they finish.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["priority", "name"]
        constraints = [
            models.UniqueConstraint(fields=["la", "name"], name="team_name_unique_per_la"),
            models.CheckConstraint(condition=models.Q(caseload_maximum__gte=models.F("caseload_target")),
                                   name="team_maximum_at_least_target"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def district_list(self) -> list[str]:
        return [d for d in self.postcode_districts.upper().split() if d]

    @property
    def urn_list(self) -> list[str]:
        return [u for u in self.school_urns.split() if u]


class MoveKind(models.TextChoices):
    ROUTED = "routed", "Allocated when the request arrived"
    OVERRIDE = "override", "Changed by a manager"
    REBALANCE = "rebalance", "Caseloads rebalanced"
    COHORT = "cohort", "Cohort transferred to another team"
    CIRCUMSTANCES = "circumstances", "Circumstances changed"
    STAFF = "staff", "Coordinator left or is away"


class Allocation(TenantModel):
    """One change of the team or coordinator holding a child: who, from whom, to whom, why and who decided.

    Append-only. It answers "who is my officer, and since when" for families, and lets rebalancing prefer
    children who have not moved recently.
    """

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="allocations")
    kind = models.CharField(max_length=15, choices=MoveKind.choices)
    from_team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    from_coordinator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+")
    to_team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    to_coordinator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+")
    reason = models.TextField(blank=True)
    made_on = models.DateField()
    made_at = models.DateTimeField(auto_now_add=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    proposal = models.ForeignKey("teams.Proposal", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="allocations")

    class Meta:
        ordering = ["-made_at", "-id"]
        indexes = [models.Index(fields=["child", "-made_on"])]


class ProposalKind(models.TextChoices):
    REBALANCE = "rebalance", "Rebalance caseloads"
    COHORT = "cohort", "Transfer a cohort"
    CIRCUMSTANCES = "circumstances", "Team changes after circumstances changed"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "Waiting for approval"
    APPLIED = "applied", "Approved and applied"
    DISCARDED = "discarded", "Discarded"
    STALE = "stale", "Out of date: caseloads changed since it was proposed"


class Proposal(TenantModel):
    """A set of moves shown to a manager before anything changes; applied all at once or not at all."""

    kind = models.CharField(max_length=15, choices=ProposalKind.choices)
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    title = models.CharField(max_length=200)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="proposals")
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    # What the solver said: the number of moves, the fewest any plan could make, its cost and the time it took.
    lower_bound = models.PositiveIntegerField(null=True, blank=True)
    solver_cost = models.BigIntegerField(null=True, blank=True)
    solver_ms = models.PositiveIntegerField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ProposedMove(TenantModel):
    """One child's move in a proposal. `from_*` are what held when it was proposed: if they no longer hold, the
    proposal is out of date and is not applied."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="moves")
    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="+")
    from_team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    from_coordinator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+")
    to_team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    to_coordinator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    why = models.CharField(max_length=250, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "child"], name="one_move_per_child_per_proposal")]



# --- Telling families (ehcflow.teams.notices) -----------------------------------------------------------------


class NoticeChannel(models.TextChoices):
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter to post"


class FamilyNotice(TenantModel):
    """One parent or carer told of a child's new coordinator: queued once per change, sent once.

    Families' top complaint is not knowing who their officer is. An email is claimed by compare-and-swap
    (`claimed_at`) before it is sent; a carer with no email address gets a letter, listed for staff to print and
    marked posted. `subject` and `body` are kept as sent.
    """

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="family_notices")
    carer = models.ForeignKey("people.Carer", on_delete=models.CASCADE, related_name="family_notices")
    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="family_notices")
    channel = models.CharField(max_length=6, choices=NoticeChannel.choices)
    recipient = models.CharField(max_length=400, help_text="The email address, or the name and postal address.")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    queued_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField("sent or posted", null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", help_text="Who marked a letter as posted.")
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["queued_at", "id"]
        constraints = [models.UniqueConstraint(fields=["allocation", "carer"], name="family_notice_once")]
        indexes = [models.Index(fields=["channel", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.recipient.splitlines()[0] if self.recipient else '?'}"
