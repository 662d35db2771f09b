"""Families told of their new coordinator: the right people, once each, by email through a real SMTP server or by
a letter staff post; the child's timeline says so."""

import datetime
import smtplib
from unittest import mock

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from ehcflow.accounts.models import User
from ehcflow.cases.models import TimelineEvent
from ehcflow.people.models import Carer, CarerLink
from ehcflow.teams import notices
from ehcflow.teams.models import Allocation, FamilyNotice, MoveKind
from ehcflow.teams.tasks import send_family_notice, send_waiting_family_notices
from tests.conftest import make_user
from tests.reminders.conftest import smtp  # noqa: F401  (a real SMTP server on 127.0.0.1)

TOLD = "Family told of their new coordinator"


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def family(case, personas, teams):
    """Alex's carers: Sam (email, main contact), Robin (parental responsibility, no email: a letter) and Kim
    (a relative with neither: not told). The North team has contact details; Jo Newman will take Alex on."""
    teams["north"].email, teams["north"].phone = "north.send@testshire.gov.uk", "01422 100200"
    teams["north"].save()
    sam = Carer.objects.get(child_links__child=case.child)
    robin = Carer.objects.create(la=case.la, first_name="Robin", last_name="Testerby",
                                 address="1 Mill Lane\nHalifax\nHX1 1AA")
    CarerLink.objects.create(la=case.la, child=case.child, carer=robin, parental_responsibility=True)
    kim = Carer.objects.create(la=case.la, first_name="Kim", last_name="Aunt", email="kim@example.com")
    CarerLink.objects.create(la=case.la, child=case.child, carer=kim, relationship="Aunt",
                             parental_responsibility=False, main_contact=False)
    jo = make_user("jnewman", la=case.la, role="coordinator", teams=[teams["north"]], first="Jo", last="Newman")
    User.objects.filter(pk=jo.pk).update(email="jo.newman@testshire.gov.uk", phone="01422 100300")
    jo.refresh_from_db()
    return {"sam": sam, "robin": robin, "kim": kim, "jo": jo, "child": case.child, "case": case}


def change_coordinator(family, to, *, actor):
    """What a service does: change the holder and log it."""
    child = family["child"]
    child.refresh_from_db()
    allocation = Allocation.objects.create(la=child.la, child=child, kind=MoveKind.OVERRIDE, from_team=child.team,
                                           from_coordinator=child.coordinator, to_team=child.team, to_coordinator=to,
                                           made_on=timezone.localdate(), made_by=actor, reason="Caseload")
    child.coordinator = to
    child.save()
    return allocation


def notify(allocations, capture):
    with capture(execute=True):
        return notices.family_notify_coordinator_change(allocations=allocations)


def test_each_carer_with_responsibility_is_told_once_by_email_or_letter(family, personas, smtp,
                                                                         django_capture_on_commit_callbacks):
    allocation = change_coordinator(family, family["jo"], actor=personas["manager"])
    assert notify([allocation], django_capture_on_commit_callbacks) == 2
    [message] = smtp.messages
    assert message["X-Envelope-To"] == "sam@example.com"
    assert message["Subject"] == "Your EHC coordinator for Alex Testerby has changed"
    body = smtp.body(message)
    for text in ("Dear Sam Testerby", "Alex Testerby's EHC coordinator is Jo Newman in the North area team",
                 "Email: jo.newman@testshire.gov.uk", "Phone: 01422 100300", "Email: north.send@testshire.gov.uk",
                 "Phone: 01422 100200", "Testshire County Council SEND service"):
        assert text in body
    email, letter = FamilyNotice.objects.order_by("channel")
    assert (email.channel, email.carer, email.sent_at is not None) == ("email", family["sam"], True)
    assert email.body == body.replace("\r\n", "\n") and email.subject == message["Subject"]
    assert (letter.channel, letter.carer, letter.sent_at) == ("letter", family["robin"], None)
    assert letter.recipient == "Robin Testerby\n1 Mill Lane\nHalifax\nHX1 1AA"
    assert not FamilyNotice.objects.filter(carer=family["kim"]).exists()
    [told] = TimelineEvent.objects.filter(case=family["case"], kind=notices.TOLD_KIND)
    assert told.summary == f"{TOLD}, Jo Newman (by email to Sam Testerby)"


def test_asking_twice_queues_and_sends_nothing_new(family, personas, smtp, django_capture_on_commit_callbacks):
    allocation = change_coordinator(family, family["jo"], actor=personas["manager"])
    assert notify([allocation], django_capture_on_commit_callbacks) == 2
    assert notify([allocation], django_capture_on_commit_callbacks) == 0
    [email] = FamilyNotice.objects.filter(channel="email")
    assert send_family_notice.enqueue(email.pk).return_value is False  # a second send finds it sent
    send_waiting_family_notices.enqueue()
    assert len(smtp.messages) == 1 and FamilyNotice.objects.count() == 2


def test_no_notice_when_the_coordinator_did_not_change(family, personas, smtp, django_capture_on_commit_callbacks):
    allocation = change_coordinator(family, personas["coordinator"], actor=personas["manager"])
    assert notify([allocation], django_capture_on_commit_callbacks) == 0
    assert smtp.messages == [] and not FamilyNotice.objects.exists()


def test_nothing_is_sent_when_the_change_is_rolled_back(family, personas, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            allocation = change_coordinator(family, family["jo"], actor=personas["manager"])
            notices.family_notify_coordinator_change(allocations=[allocation])
            raise RuntimeError("the change failed")
    assert smtp.messages == [] and not FamilyNotice.objects.exists()
    family["child"].refresh_from_db()
    assert family["child"].coordinator == personas["coordinator"]


def test_two_senders_at_once_send_once(family, personas, smtp, django_capture_on_commit_callbacks):
    allocation = change_coordinator(family, family["jo"], actor=personas["manager"])
    with django_capture_on_commit_callbacks(execute=False):  # queued, the worker has not run yet
        notices.family_notify_coordinator_change(allocations=[allocation])
    [pk] = notices.family_notices_waiting()
    results = [notices.family_notice_send(notice_id=pk), notices.family_notice_send(notice_id=pk)]
    assert results == [True, False] and len(smtp.messages) == 1


def test_a_failed_send_is_retried_and_sent_once(family, personas, smtp, django_capture_on_commit_callbacks):
    allocation = change_coordinator(family, family["jo"], actor=personas["manager"])
    with mock.patch.object(notices, "send_mail", side_effect=smtplib.SMTPServerDisconnected("dropped")):
        notify([allocation], django_capture_on_commit_callbacks)  # the task fails; the worker records it
    assert smtp.messages == []
    email = FamilyNotice.objects.get(channel="email")
    assert (email.sent_at, email.claimed_at, email.attempts) == (None, None, 1)
    assert not TimelineEvent.objects.filter(kind=notices.TOLD_KIND).exists()
    assert send_waiting_family_notices.enqueue().return_value == 1
    send_waiting_family_notices.enqueue()
    assert len(smtp.messages) == 1
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 2


def test_a_killed_runs_claim_is_taken_back_after_the_timeout(family, personas, smtp,
                                                             django_capture_on_commit_callbacks):
    allocation = change_coordinator(family, family["jo"], actor=personas["manager"])
    with django_capture_on_commit_callbacks(execute=False):
        notices.family_notify_coordinator_change(allocations=[allocation])
    [pk] = notices.family_notices_waiting()
    FamilyNotice.objects.filter(pk=pk).update(claimed_at=timezone.now())  # claimed, then the process died
    assert notices.family_notices_send_waiting() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11)):
        assert notices.family_notices_send_waiting() == 1
    assert len(smtp.messages) == 1


def test_a_notice_overtaken_by_another_move_is_dropped(family, personas, smtp, django_capture_on_commit_callbacks):
    first = change_coordinator(family, family["jo"], actor=personas["manager"])
    with django_capture_on_commit_callbacks(execute=False):
        notices.family_notify_coordinator_change(allocations=[first])
    second = change_coordinator(family, personas["team_colleague"], actor=personas["manager"])
    notify([second], django_capture_on_commit_callbacks)
    assert [smtp.body(m).count("Test Colleague") > 0 for m in smtp.messages] == [True]
    notices.family_notices_send_waiting()  # the notice about Jo is dropped, not sent
    assert len(smtp.messages) == 1
    assert not FamilyNotice.objects.filter(allocation=first, channel="email").exists()
    assert [n.allocation for n in notices.letters_to_post(user=personas["manager"])] == [second]


def test_letters_are_listed_for_the_teams_managers_and_marked_posted_once(family, personas, smtp,
                                                                          django_capture_on_commit_callbacks):
    allocation = change_coordinator(family, family["jo"], actor=personas["manager"])
    notify([allocation], django_capture_on_commit_callbacks)
    [letter] = notices.letters_to_post(user=personas["manager"])
    assert list(notices.letters_to_post(user=personas["leader"])) == [letter]
    for other in ("other_manager", "coordinator", "other_council_leader"):
        assert not notices.letters_to_post(user=personas[other]).exists()
    assert notices.family_letters_mark_posted(actor=personas["other_manager"], ids=[letter.pk]) == 0
    assert notices.family_letters_mark_posted(actor=personas["manager"], ids=[letter.pk]) == 1
    assert notices.family_letters_mark_posted(actor=personas["manager"], ids=[letter.pk]) == 0
    letter.refresh_from_db()
    assert letter.sent_by == personas["manager"] and letter.sent_at is not None
    summaries = sorted(TimelineEvent.objects.filter(kind=notices.TOLD_KIND).values_list("summary", flat=True))
    assert summaries == [f"{TOLD}, Jo Newman (by email to Sam Testerby)",
                         f"{TOLD}, Jo Newman (by letter to Robin Testerby)"]
