"""Reminders: queue them from the stored open deadlines, then send each exactly once.

`reminders_scan` is one set-based pass: a fixed number of queries however many plans there are (three
reads and at most one insert statement). The
unique constraint on `Reminder` makes a second scan, or two at once, queue nothing new.

`reminders_send_for` claims each unsent reminder of one person by compare-and-swap
(`filter(pk=x, claimed_at=None).update(...)`, portable to SQLite), sends them in one email and
marks them sent. A failed send releases its claims at once; a run killed outright leaves claims that
`reminders_release_stale` frees after `CLAIM_TIMEOUT`, so a restarted run sends what was left, once.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection
from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils import timezone

from ehcflow.accounts.models import Role, User
from ehcflow.cases.models import CLOSED_STAGES
from ehcflow.deadlines.engine import STATUS_EXCEPTION
from ehcflow.deadlines.models import CaseDeadline
from ehcflow.reminders.models import CLAIM_TIMEOUT, Reminder


def _closed() -> list[str]:
    return [s.value for s in CLOSED_STAGES]


def reminders_scan(*, today: datetime.date | None = None, days_ahead: int | None = None, la=None) -> int:
    """Queue a reminder for every deadline due within `days_ahead` days or overdue.

    The child's coordinator is reminded of both; the managers of the child's team only once it is
    overdue, and not when an exception disapplies the time limit (regs 8(2), 10(4), 13(3)).
    Returns the number of reminders newly queued.
    """
    today = today or timezone.localdate()
    days_ahead = settings.REMINDER_DAYS_AHEAD if days_ahead is None else days_ahead
    horizon = today + datetime.timedelta(days=days_ahead)

    deadlines = CaseDeadline.objects.filter(due_on__lte=horizon).exclude(case__stage__in=_closed())
    if la is not None:
        deadlines = deadlines.filter(la=la)
    candidates = deadlines.values_list(
        "la_id", "case_id", "key", "ref", "due_on", "status", "case__child__team_id",
        "case__child__coordinator_id", "case__child__coordinator__is_active", "case__child__coordinator__email",
    )

    managers: dict[int, list[int]] = defaultdict(list)
    links = User.teams.through.objects.filter(
        user__role=Role.TEAM_MANAGER, user__is_active=True, user__email__gt="").values_list("team_id", "user_id")
    for team_id, user_id in links:
        managers[team_id].append(user_id)

    queued = Reminder.objects.filter(due_on__lte=horizon).filter(Exists(CaseDeadline.objects.filter(
        case_id=OuterRef("case_id"), key=OuterRef("key"), ref=OuterRef("ref"), due_on=OuterRef("due_on"))))
    if la is not None:
        queued = queued.filter(la=la)
    seen = set(queued.values_list("case_id", "key", "ref", "due_on", "kind", "recipient_id"))

    new: list[Reminder] = []

    def add(la_id, case_id, key, ref, due_on, kind, recipient_id, role) -> None:
        ident = (case_id, key, ref, due_on, kind, recipient_id)
        if ident in seen:
            return
        seen.add(ident)
        new.append(Reminder(la_id=la_id, case_id=case_id, key=key, ref=ref, due_on=due_on, kind=kind,
                            recipient_id=recipient_id, role=role))

    for la_id, case_id, key, ref, due_on, status, team_id, coord_id, coord_active, coord_email in candidates:
        kind = "overdue" if due_on < today else "approaching"
        if coord_id is not None and coord_active and coord_email:
            add(la_id, case_id, key, ref, due_on, kind, coord_id, "coordinator")
        if kind == "overdue" and status != STATUS_EXCEPTION and team_id is not None:
            for manager_id in managers.get(team_id, ()):
                add(la_id, case_id, key, ref, due_on, kind, manager_id, "manager")
    _insert_ignoring_conflicts(new)
    return len(new)


def _insert_ignoring_conflicts(reminders: list[Reminder]) -> None:
    """`bulk_create(ignore_conflicts=True)` as ONE statement on both databases.

    A scan running at the same moment may have queued some of these first: the unique constraint
    drops them (ON CONFLICT DO NOTHING, SQLite >= 3.24 and PostgreSQL). Django 5.2's bulk_create
    splits SQLite inserts every 999 parameters (76 reminders), which would make the scan's query
    count grow with the number of plans; executemany is one statement, however many rows.
    """
    if not reminders:
        return
    now = timezone.now()
    fields = [f for f in Reminder._meta.concrete_fields if not f.primary_key]
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(Reminder._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))}) ON CONFLICT DO NOTHING")
    rows = []
    for r in reminders:
        r.created_at = r.updated_at = now
        rows.append([f.get_db_prep_save(getattr(r, f.attname), connection) for f in fields])
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def reminders_release_stale(*, now: datetime.datetime | None = None) -> int:
    """Free the claims of a run that was killed before it marked its reminders sent."""
    now = now or timezone.now()
    return Reminder.objects.filter(sent_at=None, claimed_at__lt=now - CLAIM_TIMEOUT).update(claimed_at=None)


def recipients_waiting() -> list[int]:
    """People with reminders queued and not claimed by a running sender."""
    return list(Reminder.objects.filter(sent_at=None, claimed_at=None)
                .values_list("recipient_id", flat=True).distinct().order_by("recipient_id"))


def reminders_send_for(*, recipient_id: int, now: datetime.datetime | None = None) -> int:
    """Claim, send (one email) and mark sent every waiting reminder of one person.

    Returns how many reminders the email carried.
    """
    now = now or timezone.now()
    return reminders_send_claimed(claimed=reminders_claim(ids=reminders_waiting_for(recipient_id=recipient_id),
                                                          now=now))


def reminders_waiting_for(*, recipient_id: int) -> list[int]:
    return list(Reminder.objects.filter(recipient_id=recipient_id, sent_at=None, claimed_at=None)
                .values_list("pk", flat=True))


def reminders_claim(*, ids: list[int], now: datetime.datetime | None = None) -> list[int]:
    """Compare-and-swap each reminder: only the run whose update changed the row owns it."""
    now = now or timezone.now()
    return [pk for pk in ids if Reminder.objects.filter(pk=pk, claimed_at=None, sent_at=None).update(claimed_at=now)]


def reminders_send_claimed(*, claimed: list[int]) -> int:
    """Send the claimed reminders (all one person's) in one email and mark them sent."""
    if not claimed:
        return 0
    reminders = list(Reminder.objects.filter(pk__in=claimed)
                     .select_related("recipient", "case__child", "case__child__coordinator"))
    current = {(d.case_id, d.key, d.ref, d.due_on): d for d in CaseDeadline.objects.filter(
        case_id__in={r.case_id for r in reminders})}
    items, gone = [], []
    for r in reminders:
        deadline = current.get((r.case_id, r.key, r.ref, r.due_on))
        if deadline is None or r.case.stage in _closed() or not (r.recipient.is_active and r.recipient.email):
            # Done, moved or closed since it was queued, or nobody to send it to: nothing to remind about.
            gone.append(r.pk)
        else:
            items.append((r, deadline))
    if gone:
        Reminder.objects.filter(pk__in=gone).delete()
    if not items:
        return 0
    sent_ids = [r.pk for r, _ in items]
    recipient = items[0][0].recipient
    subject, body = reminder_email(recipient=recipient, items=items, today=timezone.localdate())
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])
    except Exception:
        Reminder.objects.filter(pk__in=sent_ids).update(claimed_at=None, attempts=F("attempts") + 1)
        raise
    Reminder.objects.filter(pk__in=sent_ids).update(sent_at=timezone.now(), attempts=F("attempts") + 1)
    return len(sent_ids)


def _date(d: datetime.date) -> str:
    return f"{d.day} {d:%B %Y}"


def _when(due: datetime.date, today: datetime.date) -> str:
    days = (due - today).days
    if days < 0:
        return f"was due on {_date(due)} ({-days} day{'s' if days != -1 else ''} ago)"
    if days == 0:
        return f"is due today, {_date(due)}"
    return f"is due on {_date(due)} (in {days} day{'s' if days != 1 else ''})"


def reminder_email(*, recipient, items, today: datetime.date) -> tuple[str, str]:
    """Plain-English subject and body: each child, deadline, date, legal source and case link."""
    overdue = [(r, d) for r, d in items if r.kind == "overdue"]
    soon = [(r, d) for r, d in items if r.kind != "overdue"]
    parts = []
    if overdue:
        parts.append(f"{len(overdue)} overdue")
    if soon:
        parts.append(f"{len(soon)} due soon")
    n = len(items)
    subject = f"EHC deadlines: {' and '.join(parts)}" if n > 1 else (
        f"EHC deadline {'overdue' if overdue else 'due soon'}: {items[0][0].case.child.full_name}")
    lines = [f"Dear {recipient.first_name or recipient.get_full_name() or recipient.username},", ""]
    lines.append(f"{n} statutory deadline{'s' if n != 1 else ''} on EHC cases "
                 f"{'need' if n != 1 else 'needs'} your attention.")

    def block(title: str, rows) -> None:
        if not rows:
            return
        lines.extend(["", title, ""])
        for r, d in sorted(rows, key=lambda x: (x[1].due_on, x[0].case.child.last_name)):
            child = r.case.child
            lines.append(f"{child.full_name}: {d.label} {_when(d.due_on, today)}.")
            lines.append(f"  Law: {d.source}")
            if r.role == "manager":
                coordinator = child.coordinator.get_full_name() if child.coordinator else "no coordinator allocated"
                lines.append(f"  Coordinator: {coordinator}")
            lines.append(f"  Case: {settings.SITE_URL}{reverse('case_detail', args=[r.case_id])}")
            lines.append("")

    block("Overdue", overdue)
    block("Due soon", soon)
    roles = {r.role for r, _ in items}
    why = []
    if "coordinator" in roles:
        why.append("you are the child's EHC coordinator")
    if "manager" in roles:
        why.append("you manage the team holding the child's case and the deadline has passed")
    lines.append(f"You are getting this email because {' or '.join(why)}. "
                 f"Your work list: {settings.SITE_URL}{reverse('my_work')}")
    return subject, "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"
