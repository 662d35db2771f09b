"""`manage.py sen2_xsd --year 2026`: print the product's own SEN2 schema for a council's own tools."""

import sys

from django.core.management.base import BaseCommand

from ehcflow.sen2 import xsd


class Command(BaseCommand):
    help = "Print ehcflow's XSD for the SEN2 return of a collection year."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args, year, **options):
        sys.stdout.buffer.write(xsd.text(year))
