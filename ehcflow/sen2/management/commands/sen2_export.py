"""`manage.py sen2_export --year 2026 --output sen2.xml`: the council's SEN2 return from the record."""

import time

from django.core.management.base import BaseCommand, CommandError

from ehcflow.sen2 import spec as sen2_spec
from ehcflow.sen2.management.commands._common import council
from ehcflow.sen2.services import sen2_export


class Command(BaseCommand):
    help = "Write the council's SEN2 return for a collection year (XML), built from the case record."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="collection year, e.g. 2026")
        parser.add_argument("--output", required=True, help="file to write, e.g. sen2.xml")
        parser.add_argument("--la", help="the council's 3-digit LA code (needed when a deployment holds several)")

    def handle(self, *args, year, output, la=None, **options):
        if year not in sen2_spec.SUPPORTED_YEARS:
            raise CommandError(f"ehcflow holds the SEN2 return for {', '.join(map(str, sen2_spec.SUPPORTED_YEARS))}; "
                               f"{year} is not one of them.")
        authority = council(la)
        started = time.monotonic()
        result = sen2_export(la=authority, year=year, out=output, via="command")
        self.stdout.write(f"Wrote the {year} SEN2 return of {authority.name} to {output}: {result.persons} people "
                          f"({time.monotonic() - started:.1f} s). Check it with: manage.py sen2_validate {output}")
