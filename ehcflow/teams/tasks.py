"""Background work for the delivery model through the `django.tasks` API (database backend, as reminders)."""

try:
    from django.tasks import task
except ImportError:  # Django < 6: the django-tasks backport
    from django_tasks import task

from ehcflow.teams import notices


@task()
def send_family_notice(notice_id: int) -> bool:
    """Send one family's notice of their new coordinator; safe to run twice (the claim is compare-and-swap)."""
    return notices.family_notice_send(notice_id=notice_id)


@task()
def send_waiting_family_notices() -> int:
    """Hand every waiting or failed email back to the queue (stale claims of a killed run taken back)."""
    return notices.family_notices_send_waiting()
