"""Check a SEN2 return, ours or anyone's, before it goes to the DfE: every problem, nothing changed.

The file is streamed (tree.read: one Person in memory at a time, no DTDs or entities), checked against the
product's own schema for its year, then against the business rules (rules.py). A file that cannot be read
as a SEN2 return at all is refused with the reason, and that is the whole report.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from ehcflow.sen2 import rules, tree
from ehcflow.sen2.problems import Problem
from ehcflow.sen2.services import ValidationReport


def check_persons(trees: Iterable[dict], spec, *, start: int = 1) -> list[Problem]:
    """The business rules over persons built without a file (the data-quality page), duplicates included.

    `trees` may be a generator: one person is held at a time, plus the set of identifiers seen.
    """
    duplicates = rules.Duplicates()
    out: list[Problem] = []
    for index, person in enumerate(trees, start=start):
        out += rules.check_person(person, spec, index=index)
        out += duplicates.check(person, index)
    return out


def _la(la) -> tuple[str, str]:
    """The council's code and name, from a LocalAuthority or a bare code (the command's --la)."""
    if la is None:
        return "", ""
    if isinstance(la, str):
        return la, ""
    return la.code, getattr(la, "name", "")


def validate_file(source, *, la=None, expected_year: int | None = None) -> ValidationReport:
    """Every problem in the return `source` (a path, bytes or a binary file object).

    With `la`, the return must be that council's; with `expected_year`, that year's return.
    """
    if isinstance(source, os.PathLike):
        source = os.fspath(source)  # tree.read opens str paths only
    report = ValidationReport(year=None, la_code="", reference_date="", persons=0, problems=[])
    la_code, la_name = _la(la)
    duplicates = rules.Duplicates()
    spec = None
    try:
        for item in tree.read(source, expected_year=expected_year, strict=True):
            if item[0] == "header":
                if spec is not None:  # tree.read would switch to the second Header's year
                    raise tree.Refused("The file has more than one Header; a SEN2 return has one.")
                result = item[1]
                spec = result.spec
                report.year = result.year
                report.la_code = (result.header.get("Source") or {}).get("LEA", "")
                report.reference_date = (result.header.get("CollectionDetails") or {}).get("ReferenceDate", "")
                report.problems += result.problems
                report.problems += rules.check_header(result.header, spec)
                report.problems += rules.check_la(result.header, la_code, la_name)
                continue
            _, person, index, found = item
            report.persons = index
            report.problems += found
            report.problems += rules.check_person(person, spec, index=index)
            report.problems += duplicates.check(person, index)
    except tree.Refused as e:
        report.problems, report.persons, report.refused = [], 0, str(e)
        return report
    if spec is not None and not report.persons:
        report.problems.append(rules.problem("SEN2-F01", "The return has no persons: it needs a Person for each "
                                             "child or young person, inside <Persons>.", "Persons"))
    return report
