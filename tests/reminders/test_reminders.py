"""Reminders: the right people, once each, whatever happens to the runs."""

import datetime
import smtplib
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ehcflow.cases import services as case_services
from ehcflow.deadlines.models import CaseDeadline
from ehcflow.reminders import services
from ehcflow.reminders.models import Reminder
from tests.conftest import fresh, new_case, token

LONDON = ZoneInfo("Europe/London")
BEFORE = datetime.date(2025, 2, 12)  # the 6-week decision (due 17 February 2025) is 5 days away
AFTER = datetime.date(2025, 2, 20)  # ... and 3 days overdue


def at(day: datetime.date, hour: int = 9, minute: int = 0):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON),
                               tick=False)


def run(day: datetime.date, hour: int = 9, minute: int = 0) -> None:
    with at(day, hour, minute):
        call_command("send_reminders", verbosity=0)


@pytest.fixture
def two_cases(staff, case):
    """Alex (North team, `coordinator`) and Blake (South team, `other_team_coordinator`), both received 6 Jan."""
    blake = CaseDeadline.objects.exclude(case=case).first().case
    return case, blake


def addresses(inbox) -> list[str]:
    return sorted(a for m in inbox.messages for a in m["X-Envelope-To"].split(","))


def test_open_deadlines_are_stored_with_each_step(staff, case):
    rows = list(CaseDeadline.objects.filter(case=case).values_list("key", "due_on"))
    assert ("decision_to_assess", datetime.date(2025, 2, 17)) in rows
    c = fresh(case)
    case_services.decision_record(actor=staff["coordinator"], case=c, version=c.version, token=token(),
                                  decided_on=datetime.date(2025, 2, 10), outcome="assess", reasons="Needs")
    keys = set(CaseDeadline.objects.filter(case=case).values_list("key", flat=True))
    assert "decision_to_assess" not in keys  # done: no longer stored
    assert "final_plan" in keys


def test_approaching_goes_to_the_coordinator_only(two_cases, smtp, staff):
    alex, blake = two_cases
    run(BEFORE)
    assert addresses(smtp) == ["coordinator@example.gov.uk", "othercoord@example.gov.uk"]
    [message] = smtp.to("coordinator@example.gov.uk")
    body = smtp.body(message)
    assert message["Subject"] == "EHC deadline due soon: Alex Testerby"
    assert "Alex Testerby: Decision" in body
    assert "is due on 17 February 2025 (in 5 days)" in body
    assert "Law: " in body and "reg" in body
    assert f"https://ehc.example.gov.uk/cases/{alex.pk}/" in body
    assert "Blake" not in body
    assert set(Reminder.objects.values_list("role", flat=True)) == {"coordinator"}


def test_overdue_also_goes_to_the_managers_of_the_childs_team(two_cases, smtp, staff):
    alex, blake = two_cases
    run(AFTER)
    assert addresses(smtp) == ["coordinator@example.gov.uk", "manager@example.gov.uk",
                               "othercoord@example.gov.uk", "othermanager@example.gov.uk"]
    [to_manager] = smtp.to("manager@example.gov.uk")
    body = smtp.body(to_manager)
    assert "Overdue" in body and "was due on 17 February 2025 (3 days ago)" in body
    assert "Coordinator: Test Coordinator" in body
    assert "Alex Testerby" in body and "Blake" not in body
    assert "Alex" not in smtp.body(smtp.to("othermanager@example.gov.uk")[0])
    assert not smtp.to("leader@example.gov.uk") and not smtp.to("colleague@example.gov.uk")


def test_an_exception_is_not_escalated_to_the_manager(two_cases, smtp, staff):
    alex, _ = two_cases
    CaseDeadline.objects.filter(case=alex, key="decision_to_assess").update(status="exception_applies")
    run(AFTER)
    assert "Alex" not in "".join(smtp.body(m) for m in smtp.to("manager@example.gov.uk"))
    assert smtp.to("coordinator@example.gov.uk")


def test_never_sent_twice_across_runs(two_cases, smtp):
    run(AFTER)
    first = len(smtp.messages)
    run(AFTER, minute=5)
    run(AFTER + datetime.timedelta(days=1))
    assert len(smtp.messages) == first == 4
    assert Reminder.objects.filter(sent_at=None).count() == 0


def test_approaching_then_overdue_are_two_reminders(two_cases, smtp):
    run(BEFORE)
    run(AFTER)
    kinds = sorted(Reminder.objects.filter(recipient__username="coordinator").values_list("kind", flat=True))
    assert kinds == ["approaching", "overdue"]
    assert len(smtp.to("coordinator@example.gov.uk")) == 2


def test_two_runs_at_once_send_each_reminder_exactly_once(two_cases, smtp, staff):
    """Both runs scan, both list the waiting reminders, then both claim: each is sent by one run."""
    with at(AFTER):
        first = services.reminders_scan()
        second = services.reminders_scan()
        assert first == 4 and second == 0
        assert Reminder.objects.count() == 4
        coordinator = staff["coordinator"].pk
        seen_by_a = services.reminders_waiting_for(recipient_id=coordinator)
        seen_by_b = services.reminders_waiting_for(recipient_id=coordinator)
        assert seen_by_a == seen_by_b != []
        claimed_a = services.reminders_claim(ids=seen_by_a)
        claimed_b = services.reminders_claim(ids=seen_by_b)
        assert claimed_a == seen_by_a and claimed_b == []
        assert services.reminders_send_claimed(claimed=claimed_b) == 0
        assert services.reminders_send_claimed(claimed=claimed_a) == 1
        call_command("send_reminders", verbosity=0)
        call_command("send_reminders", verbosity=0)
    assert len(smtp.to("coordinator@example.gov.uk")) == 1
    assert len(smtp.messages) == 4


def test_a_run_killed_half_way_and_restarted_sends_each_exactly_once(two_cases, smtp):
    real_send = services.send_mail
    calls = {"n": 0}

    def dies_on_the_third(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # the process is killed: nothing of ours runs after this
        return real_send(*args, **kwargs)

    with mock.patch.object(services, "send_mail", dies_on_the_third), pytest.raises(KeyboardInterrupt):
        run(AFTER)
    assert len(smtp.messages) == 2
    stuck = Reminder.objects.filter(sent_at=None).exclude(claimed_at=None)
    assert stuck.count() == 1  # claimed by the dead run, not sent
    run(AFTER, minute=1)  # restarted at once: the fourth person gets theirs; the claim is still fresh
    assert len(smtp.messages) == 3
    run(AFTER, minute=12)  # after the claim timeout the killed run's reminder is taken back and sent
    assert len(smtp.messages) == 4
    run(AFTER, minute=30)
    assert len(smtp.messages) == 4
    assert sorted(set(addresses(smtp))) == addresses(smtp)  # each person once
    assert Reminder.objects.filter(sent_at=None).count() == 0


def test_a_failed_send_is_retried_on_the_next_run(two_cases, smtp):
    real_send = services.send_mail
    calls = {"n": 0}

    def fails_once(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise smtplib.SMTPServerDisconnected("connection dropped")
        return real_send(*args, **kwargs)

    with mock.patch.object(services, "send_mail", fails_once):
        run(AFTER)  # the task fails for one person; the others are sent
    assert len(smtp.messages) == 3
    assert Reminder.objects.filter(sent_at=None, claimed_at=None, attempts=1).count() == 1
    run(AFTER, minute=1)
    assert len(smtp.messages) == 4
    assert sorted(set(addresses(smtp))) == addresses(smtp)


def test_nothing_for_closed_cases_or_done_deadlines(two_cases, smtp, staff):
    alex, blake = two_cases
    c = fresh(alex)
    case_services.decision_record(actor=staff["coordinator"], case=c, version=c.version, token=token(),
                                  decided_on=datetime.date(2025, 2, 10), outcome="not_assess", reasons="Not needed")
    b = fresh(blake)
    case_services.case_withdraw(actor=staff["other_team_coordinator"], case=b, version=b.version, token=token(),
                                withdrawn_on=datetime.date(2025, 2, 11), reason="Family moved away")
    run(AFTER)
    assert smtp.messages == []
    assert Reminder.objects.count() == 0


def test_a_deadline_done_after_queueing_is_not_sent(two_cases, smtp, staff):
    alex, _ = two_cases
    with at(BEFORE):
        services.reminders_scan()
    c = fresh(alex)
    case_services.decision_record(actor=staff["coordinator"], case=c, version=c.version, token=token(),
                                  decided_on=datetime.date(2025, 2, 12), outcome="assess", reasons="Needs")
    run(BEFORE)
    assert not smtp.to("coordinator@example.gov.uk")
    assert len(smtp.to("othercoord@example.gov.uk")) == 1


def test_no_reminder_for_someone_without_an_email_or_inactive(two_cases, smtp, staff):
    staff["coordinator"].__class__.objects.filter(pk=staff["coordinator"].pk).update(email="")
    staff["other_team_coordinator"].__class__.objects.filter(pk=staff["other_team_coordinator"].pk).update(
        is_active=False)
    run(BEFORE)
    assert smtp.messages == []


def scan_queries(today) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        queued = services.reminders_scan(today=today)
    return len(ctx.captured_queries), queued


def test_the_scan_query_count_does_not_grow_with_plans(staff):
    coordinator = staff["coordinator"]
    for i in range(5):
        new_case(coordinator, first_name=f"Child{i}", upn=f"C{i:011d}X"[:13])
    small, queued_small = scan_queries(AFTER)
    steady_small, _ = scan_queries(AFTER)
    for i in range(5, 50):
        new_case(coordinator, first_name=f"Child{i}", upn=f"C{i:011d}X"[:13])
    Reminder.objects.all().delete()
    large, queued_large = scan_queries(AFTER)
    steady_large, _ = scan_queries(AFTER)
    assert queued_large > queued_small > 0
    assert large == small
    assert steady_large == steady_small == small - 1 == 3  # nothing new: three reads, no insert


def test_the_command_with_the_database_backend_queues_tasks(two_cases, settings):
    """Under the default (database) backend the command only enqueues; `db_worker` sends."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    run(AFTER)
    assert DBTaskResult.objects.count() == 4
    assert Reminder.objects.filter(sent_at=None).count() == 4
