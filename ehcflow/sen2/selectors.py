"""Reads for the SEN2 pages: the coming return's problems, found in the record through the year."""

from __future__ import annotations

from dataclasses import dataclass, field

from ehcflow.sen2.problems import Problem, counts


@dataclass
class DataQualityReport:
    year: int
    reference_date: str
    persons: int
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return counts(self.problems)["error"]

    @property
    def queries(self) -> int:
        return counts(self.problems)["query"]


def sen2_data_quality(*, la, year: int) -> DataQualityReport:
    """Every problem the return for `year` would have if it were made now, each with the child to fix it.

    Builds the same trees the export writes (no file), checks each Person against the product's schema
    and the business rules.
    """
    from ehcflow.sen2 import export

    return export.data_quality(la=la, year=year)
