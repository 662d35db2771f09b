"""The SEN2 return's writes and file work: export, validation, import. Views and commands call these.

- `sen2_export` writes the council's return for a collection year from the record (streamed).
- `sen2_validate` reads a return (ours or anyone's) and reports every problem: structure, formats and code
  sets by the product's own schema, then the business rules (`ehcflow.sen2.rules`).
- `sen2_import` loads a council's return into ehcflow, all or nothing; `dry_run` reports and changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

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


def sen2_export(*, la, year: int, out, now: datetime.datetime | None = None) -> ExportResult:
    from ehcflow.sen2 import export

    return export.write_return(la=la, year=year, out=out, now=now)


def sen2_validate(*, source, la=None, expected_year: int | None = None) -> ValidationReport:
    from ehcflow.sen2 import validate

    return validate.validate_file(source, la=la, expected_year=expected_year)


def sen2_import(*, la, source, actor=None, dry_run: bool = False) -> ImportReport:
    from ehcflow.sen2 import importer

    return importer.import_file(la=la, source=source, actor=actor, dry_run=dry_run)
