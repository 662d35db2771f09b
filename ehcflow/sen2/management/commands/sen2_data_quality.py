"""`manage.py sen2_data_quality [--year 2027]`: check the record for the coming SEN2 return (run nightly by cron)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ehcflow.sen2 import spec as sen2_spec
from ehcflow.sen2.services import sen2_quality_check
from ehcflow.tenancy.models import LocalAuthority


class Command(BaseCommand):
    help = "Check every council's record (or one's, with --la) for a SEN2 return and store the problems found."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="collection year (default: the coming return)")
        parser.add_argument("--la", help="one council's 3-digit LA code (default: every council)")

    def handle(self, *args, year=None, la=None, **options):
        year = year or sen2_spec.year_for_reference(timezone.localdate())
        if year not in sen2_spec.SUPPORTED_YEARS:
            raise CommandError(f"ehcflow holds the SEN2 return for {', '.join(map(str, sen2_spec.SUPPORTED_YEARS))}; "
                               f"{year} is not one of them.")
        councils = LocalAuthority.objects.all()
        if la:
            councils = councils.filter(code=la)
            if not councils.exists():
                raise CommandError(f"There is no council with LA code {la}.")
        for council in councils:
            started = time.monotonic()
            check = sen2_quality_check(la=council, year=year, via="command")
            self.stdout.write(f"{council.name}: the {year} return has {check.errors} errors and {check.queries} queries "
                              f"for {check.persons} people ({time.monotonic() - started:.1f} s).")
