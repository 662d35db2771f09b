"""`manage.py load_demo`: a synthetic council (Hartshire, LA 919) with fixed demo sign-ins.

Refused under production settings. Re-running reuses an existing demo council unless --force.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from ehcflow.accounts.models import User
from ehcflow.deadlines.materialise import refresh_all
from ehcflow.deadlines.models import CaseDeadline
from ehcflow.demo import generator
from ehcflow.sen2 import spec as sen2_spec
from ehcflow.sen2.services import sen2_quality_check


class Command(BaseCommand):
    help = "Load a synthetic council with about 14,000 EHC plans and demo sign-ins (never in production)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0,
                            help="Size relative to a large county (1.0 = about 14,000 plans in force)")
        parser.add_argument("--seed", type=int, default=2025, help="Random seed: the same seed gives the same council")
        parser.add_argument("--force", action="store_true", help="Delete the demo council and load it again")

    def handle(self, *args, scale=1.0, seed=2025, force=False, **options):
        if not generator.demo_allowed():
            raise CommandError("Demo accounts can never be created under production settings.")
        if scale <= 0:
            raise CommandError("--scale must be more than 0.")
        started = time.monotonic()
        la, created = generator.load(scale=scale, seed=seed, force=force, log=self.stdout.write)
        if created:
            # Fresh planner statistics after a bulk load, or PostgreSQL plans as if the tables were empty.
            analysed_at = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.stdout.write(f"  planner statistics refreshed (ANALYZE) in {time.monotonic() - analysed_at:.1f} s")
            # The coming SEN2 return's data-quality check, as the nightly job would leave it (ehcflow.sen2).
            checked_at = time.monotonic()
            year = sen2_spec.year_for_reference(timezone.localdate())
            check = sen2_quality_check(la=la, year=year, via="command")
            self.stdout.write(f"  SEN2 {year} data quality checked: {check.errors} errors, {check.queries} queries "
                              f"({time.monotonic() - checked_at:.1f} s)")
        if not created and not CaseDeadline.objects.filter(la=la).exists():
            # A council loaded before the generator stored its open deadlines: compute them in bulk. A new load
            # writes them itself, from the same engine run that gave each case its next deadline.
            refreshed_at = time.monotonic()
            cases = refresh_all(la=la)
            self.stdout.write(f"  open deadlines stored for {cases} cases in {time.monotonic() - refreshed_at:.1f} s")
        plans = generator.active_plans(la)
        if created:
            self.stdout.write(self.style.SUCCESS(
                f"Loaded {la.name} (LA {la.code}): {plans} active plans in {time.monotonic() - started:.1f} s."))
        else:
            self.stdout.write(f"Demo council already loaded ({plans} active plans); reusing it.")
        self.print_sign_ins(la)

    def print_sign_ins(self, la) -> None:
        users = {u.username: u for u in User.objects.filter(la=la, username__in=[s[0] for s in generator.SIGN_INS])}
        w = self.stdout.write
        w("")
        w("Sign in at http://127.0.0.1:8000/ with:")
        w(f"  {'username':<12} {'role':<16} what they see")
        for username, role, sees in generator.SIGN_INS:
            if username not in users:
                continue
            if username == "coordinator":
                sees += f" ({users[username].caseload.count()} children)"
            w(f"  {username:<12} {role.label:<16} {sees}")
        w(f"  password for all of them: {generator.DEMO_PASSWORD}")
        w("  (Demo data only: every child, family, school and member of staff is invented.)")
