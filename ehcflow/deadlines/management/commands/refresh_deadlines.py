"""`manage.py refresh_deadlines`: recompute every case's stored deadlines (run nightly from cron).

Statuses change as days pass (open becomes missed) and rules change with the law; steps refresh their
own case, this refreshes all of them in bulk.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from ehcflow.deadlines.materialise import refresh_all
from ehcflow.tenancy.models import LocalAuthority


class Command(BaseCommand):
    help = "Recompute the stored open deadlines of every case (nightly)."

    def add_arguments(self, parser):
        parser.add_argument("--la", help="Only this council (DfE LA code)")
        parser.add_argument("--chunk", type=int, default=2000, help="Cases per transaction")

    def handle(self, *args, la=None, chunk=2000, **options):
        authority = None
        if la:
            authority = LocalAuthority.objects.filter(code=la).first()
            if authority is None:
                raise CommandError(f"There is no council with LA code {la}.")
        started = time.monotonic()
        n = refresh_all(la=authority, chunk=chunk, log=self.stdout.write if options["verbosity"] > 1 else None)
        self.stdout.write(f"Refreshed the deadlines of {n} cases in {time.monotonic() - started:.1f} s.")
