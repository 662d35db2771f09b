"""The demo council: every active plan due a phase transfer has its deadline, and the coordinator has some
transfers started that agree with what the engine finds."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from ehcflow.cases.models import Case
from ehcflow.cases.selectors import case_facts
from ehcflow.deadlines.models import CaseDeadline
from ehcflow.transfers.models import PhaseTransfer
from ehcflow.transfers.selectors import transfer_list


@pytest.mark.django_db
def test_demo_plans_have_their_phase_transfer_deadlines():
    call_command("load_demo", scale=0.02, stdout=io.StringIO())
    today = timezone.localdate()
    cases = (Case.objects.filter(stage="plan_issued").select_related("decision", "plan", "child__setting")
             .prefetch_related("plan__phase_transfers__new_setting"))
    due = [c for c in cases if case_facts(c).phase_transfer is not None]
    assert due, "some demo children are due to move phase"
    open_due = {c.pk for c in due if case_facts(c).phase_transfer.completed_on is None}
    stored = set(CaseDeadline.objects.filter(key="phase_transfer_amendment").values_list("case_id", flat=True))
    assert open_due <= stored
    started = PhaseTransfer.objects.select_related("plan__case__child__coordinator")
    assert started.count() >= 1
    # Transfers are under way across the council, the demo coordinator's caseload among them.
    assert "coordinator" in {t.plan.case.child.coordinator.username for t in started
                             if t.plan.case.child.coordinator is not None}
    from ehcflow.accounts.models import User

    leader = User.objects.get(username="leader")
    listed = {c.pk for c in transfer_list(user=leader, today=today)}
    # The work list shows every transfer still to come this school year (last year's are done).
    assert {t.plan.case_id for t in started if t.transfer_on >= today and t.plan.case.stage == "plan_issued"} <= listed
