"""The SEN2 return's writes and file work: export, validation, import. Views and commands call these.

- `sen2_export` writes the council's return for a collection year from the record (streamed).
- `sen2_validate` reads a return (ours or anyone's) and reports every problem: structure, formats and code
  sets by the product's own schema, then the business rules (`ehcflow.sen2.rules`).
- `sen2_import` loads a council's return into ehcflow, all or nothing; `dry_run` reports and changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from ehcflow.sen2.problems import Problem, counts


@dataclass
class ExportResult:
    year: int
    persons: int
    problems: list[Problem] = field(default_factory=list)  # the record's problems found while exporting


@dataclass
class ValidationReport:
    year: int | None
    la_code: str
    reference_date: str
    persons: int
    problems: list[Problem]
    refused: str = ""  # set when the file could not be read as a SEN2 return at all

    @property
    def errors(self) -> int:
        return counts(self.problems)["error"] + (1 if self.refused else 0)

    @property
    def queries(self) -> int:
        return counts(self.problems)["query"]


@dataclass
class ImportReport:
    year: int | None
    persons: int
    dry_run: bool
    created: dict[str, int] = field(default_factory=dict)  # e.g. {"children": 3, "requests": 4, "plans": 2}
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    refused_persons: list[Problem] = field(default_factory=list)  # a Person that could not be loaded, and why
    problems: list[Problem] = field(default_factory=list)  # everything the validator says of the file
    refused: str = ""  # the whole file was refused: nothing imported
    deadlines_refreshed: int = 0  # requests whose stored deadlines were worked out after the import committed
    refresh_seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())


def sen2_export(*, la, year: int, out, now: datetime.datetime | None = None, actor=None,
                via: str = "web") -> ExportResult:
    from ehcflow.sen2 import export

    result = export.write_return(la=la, year=year, out=out, now=now)
    return_event_record(la=la, actor=actor, action="export", via=via, year=year, persons=result.persons,
                        file_name=out if isinstance(out, str) else f"sen2_{la.code}_{year}.xml")
    return result


def sen2_validate(*, source, la=None, expected_year: int | None = None, actor=None, via: str = "web",
                  file_name: str = "") -> ValidationReport:
    from ehcflow.sen2 import validate

    report = validate.validate_file(source, la=la, expected_year=expected_year)
    if getattr(la, "pk", None):  # a council (not just an LA code): its log records the check
        return_event_record(la=la, actor=actor, action="validate", via=via, year=report.year, persons=report.persons,
                            errors=report.errors, queries=report.queries, outcome=report.refused,
                            file_name=file_name or (source if isinstance(source, str) else ""))
    return report


def sen2_import(*, la, source, actor=None, dry_run: bool = False, via: str = "web",
                file_name: str = "") -> ImportReport:
    from ehcflow.sen2 import importer

    report = importer.import_file(la=la, source=source, actor=actor, dry_run=dry_run)
    found = counts(report.problems)
    return_event_record(
        la=la, actor=actor, action="import_dry_run" if dry_run else "import", via=via, year=report.year,
        persons=report.persons, errors=found["error"], queries=found["query"],
        file_name=file_name or (source if isinstance(source, str) else ""),
        outcome=report.refused or f"created {counted(report.created)}; updated {counted(report.updated)}")
    return report


def sen2_quality_check(*, la, year: int, actor=None, via: str = "web"):
    """Check the record for the `year` return now and store what is found (replacing the last check)."""
    from ehcflow.sen2 import export
    from ehcflow.sen2.models import QualityCheck, QualityProblem

    report = export.data_quality(la=la, year=year)
    with transaction.atomic():
        check, _ = QualityCheck.objects.update_or_create(la=la, year=year, defaults={
            "checked_at": timezone.now(), "persons": report.persons, "errors": report.errors,
            "queries": report.queries})
        QualityProblem.objects.filter(run=check).delete()
        QualityProblem.objects.bulk_create([_stored(check, p) for p in report.problems], batch_size=1000)
        return_event_record(la=la, actor=actor, action="quality_check", via=via, year=year, persons=report.persons,
                            errors=report.errors, queries=report.queries)
    return check


def sen2_quality_recheck_child(*, child) -> None:
    """After a child's details change: their problems in each stored check are worked out again, so the
    data-quality list is right at once rather than after the next full check."""
    from ehcflow.sen2 import export
    from ehcflow.sen2.models import QualityCheck, QualityProblem

    for check in QualityCheck.objects.filter(la_id=child.la_id):
        found = export.person_problems(child, check.year)
        with transaction.atomic():
            old_rows = QualityProblem.objects.filter(run=check, child=child)
            old = list(old_rows.values_list("severity", "person"))
            position = old[0][1] if old else None  # the child keeps their place in the return
            old = [severity for severity, _ in old]
            old_rows.delete()
            QualityProblem.objects.bulk_create([_stored(check, p, person=position) for p in found])
            new = [p.severity for p in found]
            QualityCheck.objects.filter(pk=check.pk).update(
                errors=max(check.errors - old.count("error") + new.count("error"), 0),
                queries=max(check.queries - old.count("query") + new.count("query"), 0))


def _stored(check, p: Problem, person: int | None = None):
    from ehcflow.sen2.models import QualityProblem

    return QualityProblem(run=check, rule=p.rule, severity=p.severity, message=p.message, path=p.path[:200],
                          person=person if person is not None else p.person, person_label=p.person_label[:250],
                          upn=p.upn[:20], child_id=p.child_id, case_id=p.case_id)


def return_event_record(*, la, actor, action: str, via: str = "web", year: int | None = None, file_name: str = "",
                        persons: int = 0, errors: int = 0, queries: int = 0, outcome: str = ""):
    """One line in the council's log of returns made, checked and loaded (who, when, what came of it)."""
    from ehcflow.sen2.models import ReturnEvent

    user = actor if getattr(actor, "pk", None) else None
    return ReturnEvent.objects.create(la=la, user=user, action=action, via=via, year=year, file_name=file_name[:200],
                                      persons=persons, errors=errors, queries=queries, outcome=outcome[:300])


def counted(d: dict) -> str:
    return ", ".join(f"{n} {k}" for k, n in sorted(d.items()) if n) or "nothing"


def council_officers_update(*, actor, la, dmo: str, dco: str, dsco: str):
    """The council's designated officers for the SEN2 header; the change is kept in the council's history."""
    from ehcflow.cases.services import audited_by

    changed = {k: v for k, v in {"dmo": dmo, "dco": dco, "dsco": dsco}.items() if getattr(la, k) != v}
    if changed:
        for k, v in changed.items():
            setattr(la, k, v)
        audited_by(la, actor).save(update_fields=list(changed))
    return la
