"""`manage.py sen2_validate FILE [--year YYYY] [--la CODE]`: check a SEN2 return before submitting it.

Prints a summary, then one line per problem. Exits with status 1 when the return has errors or cannot be
read at all, so a script or CI step can stop on it; queries alone exit 0 (they are explained at submission).
"""

from django.core.management.base import BaseCommand, CommandError

from ehcflow.sen2 import services


class Command(BaseCommand):
    help = "Check a SEN2 return (XML) against the product's schema and the business rules; exit 1 on errors."
    requires_system_checks = ()  # reads one file and no database: it should run while the site is misconfigured

    def add_arguments(self, parser):
        parser.add_argument("file", help="The SEN2 return (XML) to check")
        parser.add_argument("--year", type=int, default=None, help="Refuse the file unless it is this year's return")
        parser.add_argument("--la", default=None, help="Report an error unless the return is for this LA code")

    def handle(self, *args, file, year=None, la=None, **options):
        report = services.sen2_validate(source=file, la=la, expected_year=year)
        if report.refused:
            raise CommandError(f"The file was refused: {report.refused}")
        self.stdout.write(f"SEN2 {report.year} return for LA {report.la_code or '?'}, reference date "
                          f"{report.reference_date or '?'}: {report.persons} "
                          f"{'person' if report.persons == 1 else 'persons'}, {report.errors} "
                          f"{'error' if report.errors == 1 else 'errors'}, {report.queries} "
                          f"{'query' if report.queries == 1 else 'queries'}.")
        for p in report.problems:
            who = f"person {p.person} {p.person_label}" if p.person else "file"
            line = f"line {p.line}" if p.line else "line ?"
            self.stdout.write(f"{p.severity:5}  {p.rule}  {who}  {p.path or '-'}  {line}  {p.message}")
        if report.errors:
            raise CommandError(f"The return has {report.errors} {'error' if report.errors == 1 else 'errors'}: "
                               "the DfE would not accept it.")
