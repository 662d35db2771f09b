"""`manage.py send_reminders`: queue reminders for deadlines approaching and overdue, then send them.

Safe to run every few minutes from cron and safe to run twice at once: queueing is idempotent (a
unique constraint) and each reminder is claimed by compare-and-swap before it is sent. With the
database task backend the emails go out when `manage.py db_worker` picks the tasks up.
"""

from django.core.management.base import BaseCommand

from ehcflow.reminders import services
from ehcflow.reminders.tasks import send_reminder_batch


class Command(BaseCommand):
    help = "Queue and send reminders of approaching and overdue statutory deadlines (safe to run from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help="Remind this many days before a deadline (default REMINDER_DAYS_AHEAD, 7)")
        parser.add_argument("--scan-only", action="store_true", help="Queue reminders but send nothing")

    def handle(self, *args, days=None, scan_only=False, **options):
        queued = services.reminders_scan(days_ahead=days)
        self.stdout.write(f"Queued {queued} new reminder{'s' if queued != 1 else ''}.")
        if scan_only:
            return
        released = services.reminders_release_stale()
        if released:
            self.stdout.write(f"Took back {released} reminder{'s' if released != 1 else ''} from a stopped run.")
        recipients = services.recipients_waiting()
        for recipient_id in recipients:
            send_reminder_batch.enqueue(recipient_id)
        self.stdout.write(f"Sending to {len(recipients)} {'person' if len(recipients) == 1 else 'people'}.")
