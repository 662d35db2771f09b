"""Reads for the SEN2 pages: the coming return's problems, found in the record through the year."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from ehcflow.sen2.problems import Problem, counts


@dataclass
class DataQualityReport:
    year: int
    reference_date: str
    persons: int
    problems: list[Problem] = field(default_factory=list)
    checked_at: datetime.datetime | None = None

    @property
    def errors(self) -> int:
        return counts(self.problems)["error"]

    @property
    def queries(self) -> int:
        return counts(self.problems)["query"]


def sen2_data_quality(*, la, year: int) -> DataQualityReport:
    """The stored check of the `year` return (see `services.sen2_quality_check`): two queries, however large the
    council. `checked_at` is None when the return has not been checked yet."""
    from ehcflow.sen2.models import QualityCheck, QualityProblem
    from ehcflow.sen2.spec import CENSUS_DATES

    check = QualityCheck.objects.filter(la=la, year=year).first()
    report = DataQualityReport(year=year, reference_date=CENSUS_DATES[year].isoformat(), persons=0)
    if check is None:
        return report
    report.persons, report.checked_at = check.persons, check.checked_at
    report.problems = [Problem(rule=p.rule, severity=p.severity, message=p.message, path=p.path, person=p.person,
                               person_label=p.person_label, upn=p.upn, child_id=p.child_id, case_id=p.case_id)
                       for p in QualityProblem.objects.filter(run=check).order_by("id")]
    return report


def sen2_quality_summary(*, la, year: int):
    """The stored check's counts (one query), or None if the return has not been checked yet."""
    from ehcflow.sen2.models import QualityCheck

    return QualityCheck.objects.filter(la=la, year=year).first()


def sen2_return_events(*, la, limit: int = 10) -> list:
    """The council's latest uses of the return: who downloaded, checked or loaded it, and when."""
    from ehcflow.sen2.models import ReturnEvent

    return list(ReturnEvent.objects.filter(la=la).select_related("user")[:limit])
