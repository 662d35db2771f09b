"""What the validator, the import and the data-quality page report: one problem with one item.

Every problem has a rule id (stable: councils and the team refer to it), a severity (an `error` stops the
return being accepted by the DfE; a `query` must be explained at submission), the person and the item it
concerns, and a plain-English message. Where the person is a child on ehcflow, `child_id` (and `case_id`
for a request's items) say where it can be fixed.
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
QUERY = "query"


@dataclass(frozen=True)
class Problem:
    rule: str
    severity: str
    message: str
    path: str = ""  # the item, e.g. "Person/Requests[2]/Assessment/AssessmentOutcomeDate"; "" for the file
    person: int | None = None  # 1-based position of the Person in the file (or in the return being built)
    person_label: str = ""  # "Surname, Forename (born 2002-01-01)"
    upn: str = ""
    child_id: int | None = None
    case_id: int | None = None
    line: int | None = None  # line in the file, when read from one

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def item(self) -> str:
        """The item's element name, for a short column on a page."""
        last = self.path.rsplit("/", 1)[-1]
        return last.split("[", 1)[0]


def person_label(person: dict) -> str:
    """How a person is named in a report: surname, forename and date of birth, as the return holds them."""
    name = ", ".join(p for p in (person.get("Surname", ""), person.get("Forename", "")) if p)
    born = person.get("PersonBirthDate", "")
    return f"{name} (born {born})" if born else name or "(no name)"


def counts(problems) -> dict[str, int]:
    out = {ERROR: 0, QUERY: 0}
    for p in problems:
        out[p.severity] = out.get(p.severity, 0) + 1
    return out
