"""The engine's phase-transfer clock for one case, from records already loaded (no queries of its own when
the caller prefetched `child__setting` and `plan__phase_transfers__new_setting`)."""

import datetime

from django.utils import timezone

from ehcflow.deadlines.phase_transfer import PhaseTransferClock, current_clock, transfer_phase


def latest_transfer(plan):
    """The plan's most recent recorded transfer (prefetched), or None."""
    rows = list(plan.phase_transfers.all()) if hasattr(plan, "phase_transfers") else []
    return max(rows, key=lambda r: (r.transfer_on, r.pk)) if rows else None


def phase_transfer_clock(case, plan, today: datetime.date | None = None) -> PhaseTransferClock | None:
    """The next phase transfer of a child whose plan is issued: the recorded one, or the one due from the
    child's date of birth and current setting. After a completed move's date, the new setting counts as
    the current one even if the child's record was not updated."""
    if plan is None or not plan.issued_on:
        return None
    today = today or timezone.localdate()
    child = case.child
    latest = latest_transfer(plan)
    setting = child.setting
    if latest is not None and latest.status == "completed" and latest.new_setting_id and today >= latest.transfer_on:
        setting = latest.new_setting
    phase = transfer_phase(setting.phase, setting.name) if setting is not None else None
    recorded = None
    if latest is not None:
        recorded = PhaseTransferClock(kind=latest.kind, transfer_on=latest.transfer_on, due_on=latest.due_on,
                                      completed_on=latest.completed_on)
    return current_clock(date_of_birth=child.date_of_birth, phase=phase, today=today, recorded=recorded,
                         recorded_open=latest is not None and latest.is_open)
