"""Telling families who their new EHC coordinator is, once, by email or by a letter staff post.

Families' top complaint is not knowing who their officer is (issue 4), so every change of a child's coordinator
queues one notice per parent or carer with parental responsibility or marked as main contact: the coordinator's
name, email and phone and the team's contact details.

The pattern is the reminders' (ADR 0004): a notice is a row, unique per (allocation, carer), so asking twice
queues nothing new; each email is claimed by compare-and-swap (`filter(pk, claimed_at=None).update(...)`) before
it is sent, sent by a `django.tasks` task (database backend), and marked sent; a failed send releases its claim,
and a killed run's claim is taken back after `CLAIM_TIMEOUT`. Carers with no email address get a letter, listed
for staff to print and mark posted. A notice whose child has since moved again is dropped: the later change has
its own notice, and telling a family about a coordinator they no longer have would mislead them.

Sending writes one timeline event on each of the child's active cases: "Family told of their new coordinator".
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from ehcflow.cases.models import Case
from ehcflow.cases.services import timeline_record
from ehcflow.people.models import CarerLink
from ehcflow.reminders.models import CLAIM_TIMEOUT
from ehcflow.teams.access import teams_managed_by
from ehcflow.teams.models import Allocation, FamilyNotice, NoticeChannel
from ehcflow.teams.selectors import ACTIVE_STAGES

TOLD_KIND = "family_told_coordinator"


def family_notify_coordinator_change(*, allocations: list[Allocation]) -> int:
    """Queue a notice to each parent or carer of each child whose coordinator changed; returns how many were new.

    Call it inside the transaction that makes the change: the rows commit (or roll back) with it, and the emails
    are handed to the task queue only once it has committed.
    """
    ids = [a.pk for a in allocations if a.to_coordinator_id and a.to_coordinator_id != a.from_coordinator_id]
    if not ids:
        return 0
    rows = list(Allocation.objects.filter(pk__in=ids).select_related("child", "to_coordinator", "to_team", "la"))
    links: dict[int, list] = defaultdict(list)
    for link in (CarerLink.objects.filter(child_id__in={a.child_id for a in rows})
                 .filter(Q(parental_responsibility=True) | Q(main_contact=True))
                 .select_related("carer").order_by("-main_contact", "id")):
        links[link.child_id].append(link.carer)
    done = set(FamilyNotice.objects.filter(allocation_id__in=ids).values_list("allocation_id", "carer_id"))
    new = []
    for allocation in rows:
        for carer in links.get(allocation.child_id, []):
            if (allocation.pk, carer.pk) in done:
                continue
            done.add((allocation.pk, carer.pk))
            channel = NoticeChannel.EMAIL if carer.email else NoticeChannel.LETTER
            subject, body = notice_text(allocation=allocation, carer=carer)
            recipient = carer.email if carer.email else _postal(carer)
            new.append(FamilyNotice(la_id=allocation.la_id, child_id=allocation.child_id, carer=carer,
                                    allocation=allocation, channel=channel, recipient=recipient, subject=subject,
                                    body=body))
    # Two callers at once: the unique constraint keeps one row per (allocation, carer).
    FamilyNotice.objects.bulk_create(new, ignore_conflicts=True)
    waiting = list(FamilyNotice.objects.filter(allocation_id__in=ids, channel=NoticeChannel.EMAIL, sent_at=None,
                                               claimed_at=None).values_list("pk", flat=True))
    if waiting:
        transaction.on_commit(partial(_enqueue, waiting))
    return len(new)


def _enqueue(ids: list[int]) -> None:
    from ehcflow.teams.tasks import send_family_notice

    for pk in ids:
        send_family_notice.enqueue(pk)


def _postal(carer) -> str:
    return "\n".join([f"{carer.first_name} {carer.last_name}", *(carer.address or "").strip().splitlines()])


def _date(d: datetime.date) -> str:
    return f"{d.day} {d:%B %Y}"


def notice_text(*, allocation: Allocation, carer) -> tuple[str, str]:
    """Plain English: who the coordinator is from when, how to reach them and their team."""
    child = allocation.child
    coordinator = allocation.to_coordinator
    team = allocation.to_team
    name = coordinator.get_full_name() or coordinator.username
    first = coordinator.first_name or name
    subject = f"Your EHC coordinator for {child.full_name} has changed"
    lines = [f"Dear {carer.first_name} {carer.last_name},", "",
             f"From {_date(allocation.made_on)}, {child.full_name}'s EHC coordinator is {name}"
             + (f" in the {team.name}." if team else "."),
             f"{first} is now the person to contact about {child.first_name}'s education, health and care (EHC) "
             f"needs assessment or plan.", "", name]
    if coordinator.email:
        lines.append(f"Email: {coordinator.email}")
    if coordinator.phone:
        lines.append(f"Phone: {coordinator.phone}")
    if team is not None:
        lines.extend(["", f"{team.name}" + (" (if you cannot reach " + first + ")" if coordinator.email
                                             or coordinator.phone else "")])
        if team.email:
            lines.append(f"Email: {team.email}")
        if team.phone:
            lines.append(f"Phone: {team.phone}")
    lines.extend(["", f"You do not need to do anything. The dates by which the council must act on "
                      f"{child.first_name}'s assessment or plan have not changed.", "",
                  "Yours sincerely,", f"{allocation.la.name} SEND service"])
    return subject, "\n".join(lines) + "\n"


def _superseded(notice: FamilyNotice) -> bool:
    """The child has moved again (or lost their coordinator) since this notice was queued."""
    return notice.child.coordinator_id != notice.allocation.to_coordinator_id


def _record_told(notices: Iterable[FamilyNotice], *, actor) -> None:
    """One timeline event on each active case of each child told."""
    notices = list(notices)
    cases = defaultdict(list)
    for case in Case.objects.filter(child_id__in={n.child_id for n in notices}, stage__in=ACTIVE_STAGES):
        cases[case.child_id].append(case)
    today = timezone.localdate()
    for n in notices:
        how = "by email" if n.channel == NoticeChannel.EMAIL else "by letter"
        coordinator = n.allocation.to_coordinator
        for case in cases.get(n.child_id, []):
            timeline_record(case=case, actor=actor, kind=TOLD_KIND, occurred_on=today,
                            summary=f"Family told of their new coordinator, "
                                    f"{coordinator.get_full_name() or coordinator.username} "
                                    f"({how} to {n.carer.first_name} {n.carer.last_name})")


def family_notice_send(*, notice_id: int, now: datetime.datetime | None = None) -> bool:
    """Claim one email notice, send it and mark it sent. False when another run has it or it was sent already."""
    now = now or timezone.now()
    claimed = FamilyNotice.objects.filter(pk=notice_id, channel=NoticeChannel.EMAIL, claimed_at=None,
                                          sent_at=None).update(claimed_at=now)
    if not claimed:
        return False
    notice = FamilyNotice.objects.select_related("child", "carer", "allocation__to_coordinator").get(pk=notice_id)
    if _superseded(notice):
        notice.delete()
        return False
    try:
        send_mail(notice.subject, notice.body, settings.DEFAULT_FROM_EMAIL, [notice.recipient])
    except Exception:
        FamilyNotice.objects.filter(pk=notice_id).update(claimed_at=None, attempts=F("attempts") + 1)
        raise
    with transaction.atomic():
        FamilyNotice.objects.filter(pk=notice_id).update(sent_at=timezone.now(), attempts=F("attempts") + 1)
        _record_told([notice], actor=None)
    return True


def family_notices_release_stale(*, now: datetime.datetime | None = None) -> int:
    """Free the claims of a run killed before it marked its email sent."""
    now = now or timezone.now()
    return FamilyNotice.objects.filter(channel=NoticeChannel.EMAIL, sent_at=None,
                                       claimed_at__lt=now - CLAIM_TIMEOUT).update(claimed_at=None)


def family_notices_waiting() -> list[int]:
    return list(FamilyNotice.objects.filter(channel=NoticeChannel.EMAIL, sent_at=None, claimed_at=None)
                .values_list("pk", flat=True))


def family_notices_send_waiting() -> int:
    """Take back stale claims and hand every waiting email to the task queue (a failed send is retried here)."""
    family_notices_release_stale()
    waiting = family_notices_waiting()
    _enqueue(waiting)
    return len(waiting)


# --- Letters staff post --------------------------------------------------------------------------------------


def notices_visible_to(user) -> QuerySet[FamilyNotice]:
    """Notices about children moved into a team the user manages (every team, for leaders)."""
    teams = teams_managed_by(user)
    return FamilyNotice.objects.filter(la_id=user.la_id, allocation__to_team__in=teams)


def letters_to_post(*, user) -> QuerySet[FamilyNotice]:
    """Letters not yet posted whose news is still true (the child has not moved again)."""
    return (notices_visible_to(user).filter(channel=NoticeChannel.LETTER, sent_at=None)
            .filter(child__coordinator_id=F("allocation__to_coordinator_id"))
            .select_related("child", "carer", "allocation__to_coordinator", "allocation__to_team")
            .order_by("queued_at", "id"))


def emails_waiting(*, user) -> QuerySet[FamilyNotice]:
    return notices_visible_to(user).filter(channel=NoticeChannel.EMAIL, sent_at=None)


@transaction.atomic
def family_letters_mark_posted(*, actor, ids: Iterable[int]) -> int:
    """Record letters as posted (each once, by compare-and-swap) and tell each child's timeline."""
    visible = set(letters_to_post(user=actor).filter(pk__in=list(ids)).values_list("pk", flat=True))
    now = timezone.now()
    posted = [pk for pk in sorted(visible)
              if FamilyNotice.objects.filter(pk=pk, sent_at=None).update(sent_at=now, claimed_at=now, sent_by=actor,
                                                                         attempts=F("attempts") + 1)]
    _record_told(FamilyNotice.objects.filter(pk__in=posted).select_related("carer", "allocation__to_coordinator"),
                 actor=actor)
    return len(posted)
