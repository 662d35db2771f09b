"""The demo council: proportional, deterministic, consistent with the deadline engine, never in production."""

import datetime
import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Q
from django.utils import timezone

from ehcflow.accounts.models import Role, User
from ehcflow.cases.models import OPEN_STAGES, Case, TimelineEvent
from ehcflow.cases.selectors import case_facts
from ehcflow.deadlines import engine
from ehcflow.demo import generator
from ehcflow.people.models import Child
from ehcflow.plans.models import Need, Plan
from ehcflow.tenancy.models import LocalAuthority

SCALE = 0.02


def load(**options) -> str:
    out = io.StringIO()
    call_command("load_demo", scale=SCALE, stdout=out, **options)
    return out.getvalue()


def digest() -> str:
    """Everything that identifies the generated data, without database ids."""
    h = hashlib.sha256()
    for row in Child.objects.order_by("id").values_list(
            "first_name", "last_name", "date_of_birth", "postcode", "upn", "team__name", "coordinator__username"):
        h.update(repr(row).encode())
    for row in Case.objects.order_by("id").values_list(
            "stage", "received_on", "source", "outcome_on", "next_deadline_key", "next_deadline_due"):
        h.update(repr(row).encode())
    h.update(repr(TimelineEvent.objects.count()).encode())
    return h.hexdigest()


@pytest.mark.django_db
def test_loads_a_proportional_council_consistent_with_the_engine():
    output = load(seed=1)
    la = LocalAuthority.objects.get(code="919")
    assert generator.DEMO_PASSWORD in output and "http://127.0.0.1:8000/" in output

    active = Plan.objects.filter(la=la, status="final", case__stage="plan_issued").count()
    assert abs(active - 14_000 * SCALE) <= 0.1 * 14_000 * SCALE
    five_years_ago = timezone.localdate() - datetime.timedelta(days=5 * 365)
    requests_in_window = Case.objects.filter(la=la, received_on__gte=five_years_ago).count()
    assert abs(requests_in_window - 5 * 3_300 * SCALE) <= 0.15 * 5 * 3_300 * SCALE

    stages = set(Case.objects.filter(la=la).values_list("stage", flat=True))
    assert set(OPEN_STAGES) <= stages
    assert {"plan_issued", "not_assessed"} <= stages

    # A draft never names a school; every plan with needs has exactly one primary need.
    assert not Plan.objects.exclude(status="final").exclude(named_setting=None).exists()
    assert Plan.objects.filter(status="final", named_setting=None).count() < active * 0.2
    per_plan = Need.objects.values("plan").annotate(primaries=Count("id", filter=Q(rank=1)))
    assert per_plan and all(row["primaries"] == 1 for row in per_plan)
    assert not Plan.objects.filter(status="final").annotate(n=Count("needs")).filter(n=0).exists()

    # The stored next deadline is what the engine computes from the case's records.
    today = timezone.localdate()
    cases = Case.objects.filter(la=la).select_related("decision", "plan").prefetch_related(
        "advice_requests", "comments", "exceptions").order_by("id")[:: max(1, Case.objects.count() // 150)]
    for case in cases:
        expected = engine.next_deadline(engine.case_deadlines(case_facts(case), today))
        assert (case.next_deadline_key, case.next_deadline_due) == (
            (expected.key, expected.due) if expected else ("", None)), case.pk

    # Timeline events are in date order for each case, and the final-plan step matches the plan.
    plan = Plan.objects.filter(status="final").select_related("case").first()
    final = TimelineEvent.objects.get(case=plan.case, kind="final_plan_issued")
    assert final.occurred_on == plan.issued_on

    # The fixed sign-ins.
    roles = dict(User.objects.filter(username__in=["leader", "manager", "coordinator", "admin"])
                 .values_list("username", "role"))
    assert roles == {"leader": Role.SERVICE_LEADER, "manager": Role.TEAM_MANAGER,
                     "coordinator": Role.COORDINATOR, "admin": Role.ADMINISTRATOR}
    coordinator = User.objects.get(username="coordinator")
    assert coordinator.check_password(generator.DEMO_PASSWORD)
    assert list(coordinator.teams.values_list("name", flat=True)) == ["North area team"]
    assert User.objects.get(username="manager").teams.get().name == "North area team"
    assert coordinator.caseload.count() > 0
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert not User.objects.filter(role=Role.COORDINATOR).exclude(username="coordinator").first().has_usable_password()


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_council_and_force_reloads_it():
    load(seed=1)
    first = digest()
    counts = (Child.objects.count(), Case.objects.count(), User.objects.count())
    output = load(seed=1, force=True)
    assert "Deleting the existing demo council" in output
    assert digest() == first
    assert (Child.objects.count(), Case.objects.count(), User.objects.count()) == counts
    assert LocalAuthority.objects.filter(code="919").count() == 1
    load(seed=2, force=True)
    assert digest() != first


@pytest.mark.django_db
def test_a_second_run_reuses_the_council():
    load(seed=1)
    counts = (Child.objects.count(), Case.objects.count(), User.objects.count())
    output = load(seed=1)
    assert "Demo council already loaded" in output and "reusing it" in output
    assert (Child.objects.count(), Case.objects.count(), User.objects.count()) == counts


@pytest.mark.django_db
def test_refused_under_production_settings(settings):
    settings.DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="never be created under production settings"):
        load(seed=1)
    assert not User.objects.exists()
    assert not LocalAuthority.objects.exists()
