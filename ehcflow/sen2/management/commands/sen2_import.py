"""`manage.py sen2_import sen2.xml [--dry-run]`: load a council's SEN2 return (moving onto ehcflow)."""

from django.core.management.base import BaseCommand, CommandError

from ehcflow.accounts.models import User
from ehcflow.sen2.management.commands._common import council
from ehcflow.sen2.services import counted, sen2_import


class Command(BaseCommand):
    help = "Load a SEN2 return into the council's record; all or nothing. --dry-run reports and changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="report what would happen; change nothing")
        parser.add_argument("--la", help="the council's 3-digit LA code (default: the return's own LEA)")
        parser.add_argument("--user", help="username recorded as having made the changes (audit)")

    def handle(self, *args, file, dry_run=False, la=None, user=None, **options):
        actor = None
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"There is no user {user}.")
        authority = council(la or _lea_of(file))
        report = sen2_import(la=authority, source=file, actor=actor, dry_run=dry_run, via="command")
        if report.refused:
            for p in report.refused_persons:
                self.stderr.write(f"  person {p.person} {p.person_label}: {p.path}: {p.message}")
            raise CommandError(report.refused)
        mode = "Dry run: nothing was changed. Would have" if dry_run else "Imported:"
        self.stdout.write(f"{mode} created {counted(report.created)}; updated {counted(report.updated)}; "
                          f"unchanged {counted(report.unchanged)} ({report.persons} people in the {report.year} return).")
        if report.deadlines_refreshed:
            self.stdout.write(f"Deadlines worked out for {report.deadlines_refreshed} requests "
                              f"({report.refresh_seconds} s).")
        for p in report.refused_persons:
            self.stdout.write(f"  not loaded: person {p.person} {p.person_label}: {p.path}")
        errors = sum(1 for p in report.problems if p.is_error)
        self.stdout.write(f"The validator found {errors} errors and {len(report.problems) - errors} queries in the file"
                          + (" (manage.py sen2_validate lists them)." if report.problems else "."))


def _lea_of(path: str) -> str | None:
    """The return's own LEA, so a single-council deployment needs no --la and a wrong council is caught."""
    from ehcflow.sen2 import tree

    try:
        for item in tree.read(path, strict=False):
            return item[1].header.get("Source", {}).get("LEA")
    except tree.Refused as e:
        raise CommandError(str(e)) from None
    return None
