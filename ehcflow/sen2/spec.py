"""The SEN2 return's shape for one collection year, read from the product's own item table.

Per-year differences (items added, removed or moved, code sets that grew) live in
`schema/items.csv` and `schema/codes.csv`, never in branches of code: a new year is new rows.
Sources: DfE SEN2 guide and technical specification (items 1.1-5.8), CBDS code sets; the choices
where those are unclear are recorded in docs/adr/0007-sen2-return-from-the-record.md.
"""

from __future__ import annotations

import csv
import datetime
import functools
from dataclasses import dataclass, field
from pathlib import Path

SCHEMA_DIR = Path(__file__).parent / "schema"

# Census (reference) dates: active plans are counted on this day; requests, assessments, new and ceased
# plans over the previous calendar year (SEN2 guide, "Collection period").
CENSUS_DATES = {
    2023: datetime.date(2023, 1, 19),
    2024: datetime.date(2024, 1, 18),
    2025: datetime.date(2025, 1, 16),
    2026: datetime.date(2026, 1, 15),
    2027: datetime.date(2027, 1, 21),
}
SUPPORTED_YEARS = tuple(sorted(CENSUS_DATES))

# Element spellings accepted when reading: the community XSDs write SENSetting where the DfE guide
# writes SENsetting. We write the guide's spelling and read both (configurable here, per the ADR).
READ_ALIASES = {"SENSetting": "SENsetting", "SENSettingOther": "SENsettingOther"}


class UnsupportedYear(ValueError):
    pass


def _in_years(spec: str, year: int) -> bool:
    start, _, end = spec.partition("-")
    return int(start) <= year and (not end or year <= int(end))


@dataclass
class Element:
    """One element of the return in one year: its place, type, code set and how often it may occur."""

    name: str
    path: str
    type: str
    codeset: str = ""
    min: int = 0
    max: int | None = 1  # None: unbounded
    item: str = ""
    children: list[Element] = field(default_factory=list)

    @property
    def is_group(self) -> bool:
        return self.type == "group"

    def child(self, name: str) -> Element | None:
        for c in self.children:
            if c.name == name:
                return c
        return None

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass
class Spec:
    year: int
    reference_date: datetime.date
    root: Element
    codes: dict[str, dict[str, str]]  # code set -> code -> label

    @property
    def period_start(self) -> datetime.date:
        """The collection period: the calendar year before the census (1 January to 31 December)."""
        return datetime.date(self.year - 1, 1, 1)

    @property
    def period_end(self) -> datetime.date:
        return datetime.date(self.year - 1, 12, 31)

    def element(self, path: str) -> Element | None:
        node = self.root
        parts = path.split("/")
        if parts[0] != node.name:
            return None
        for part in parts[1:]:
            node = node.child(part)
            if node is None:
                return None
        return node

    def label(self, codeset: str, code: str) -> str:
        return self.codes.get(codeset, {}).get(code, code)


@functools.cache
def _rows(name: str) -> tuple[dict, ...]:
    with open(SCHEMA_DIR / name, newline="", encoding="utf-8") as f:
        return tuple(csv.DictReader(f))


def codes(year: int) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for r in _rows("codes.csv"):
        if _in_years(r["years"], year):
            out.setdefault(r["codeset"], {})[r["code"]] = r["label"]
    return out


@functools.cache
def load(year: int) -> Spec:
    """The return's element tree for `year`, children in document order."""
    if year not in CENSUS_DATES:
        raise UnsupportedYear(
            f"ehcflow holds the SEN2 return for {', '.join(map(str, SUPPORTED_YEARS))}; {year} is not one of them."
        )
    by_path: dict[str, Element] = {}
    root = None
    for r in _rows("items.csv"):
        if not _in_years(r["years"], year):
            continue
        path = r["path"]
        parent_path, _, name = path.rpartition("/")
        el = Element(name=name, path=path, type=r["type"], codeset=r["codeset"], min=int(r["min"]),
                     max=None if r["max"] == "n" else int(r["max"]), item=r["item"])
        by_path[path] = el
        if not parent_path:
            root = el
        else:
            by_path[parent_path].children.append(el)
    return Spec(year=year, reference_date=CENSUS_DATES[year], root=root, codes=codes(year))


def year_for_reference(on: datetime.date) -> int:
    """The collection year whose census falls next on or after `on` (the coming return)."""
    for year in SUPPORTED_YEARS:
        if CENSUS_DATES[year] >= on:
            return year
    return SUPPORTED_YEARS[-1]
