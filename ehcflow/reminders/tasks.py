"""Background work through the `django.tasks` API (Django 6), or its backport on Django 5.2."""

try:
    from django.tasks import task
except ImportError:  # Django < 6: the django-tasks backport
    from django_tasks import task

from ehcflow.reminders import services


@task()
def send_reminder_batch(recipient_id: int) -> int:
    """Send one person's waiting reminders in one email; safe to run twice (claims are compare-and-swap)."""
    return services.reminders_send_for(recipient_id=recipient_id)
