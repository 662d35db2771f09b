"""Compare two versions of a plan section by section: what was added, removed and changed.

Pure functions over `PlanVersion.snapshot` dictionaries, so the same comparison can serve staff pages,
a family portal and the API.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from ehcflow.core.codes import AreaOfNeed

SECTIONS: list[tuple[str, str]] = [
    ("A", "Section A: views, interests and aspirations"),
    ("B", "Section B: special educational needs"),
    ("C", "Section C: health needs"),
    ("D", "Section D: social care needs"),
    ("E", "Section E: outcomes"),
    ("F", "Section F: special educational provision"),
    ("G", "Section G: health provision"),
    ("H", "Section H: social care provision"),
    ("I", "Section I: placement"),
    ("J", "Section J: personal budget"),
    ("K", "Section K: advice and information"),
]
_TEXT = {"A": [("section_a_history", "A1"), ("section_a_views", "A2")], "C": [("section_c", "")],
         "D": [("section_d", "")], "G": [("section_g", "")], "H": [("section_h1", "H1"), ("section_h2", "H2")],
         "J": [("section_j", "")], "K": [("section_k", "")]}
_AREAS = dict(AreaOfNeed.choices)
_RANKS = {1: "Primary", 2: "Secondary", 3: "Other"}


def section_lines(snapshot: dict, letter: str) -> list[str]:
    """One section of a snapshot as lines of text, in a stable order."""
    if letter in _TEXT:
        lines = []
        for name, prefix in _TEXT[letter]:
            text = snapshot.get("sections", {}).get(name, "")
            for line in text.splitlines():
                if line.strip():
                    lines.append(f"{prefix}: {line.strip()}" if prefix else line.strip())
        return lines
    if letter == "B":
        return [f"{_AREAS.get(n['area'], n['area'])}, {_RANKS.get(n['rank'], '')} need "
                f"({n.get('need_type_label') or n['need_type']}): {n['description']}" for n in snapshot.get("needs", [])]
    if letter == "E":
        return [f"{_AREAS.get(o['area'], o['area'])}: {o['text']}" + (f" (by {o['by_when']})" if o["by_when"] else "")
                + (" [preparing for adulthood]" if o.get("preparing_for_adulthood") else "")
                for o in snapshot.get("outcomes", [])]
    if letter == "F":
        return [f"{_AREAS.get(p['area'], p['area'])}: {p['support']}; provided by {p['provider']}"
                + (f" ({p['qualification']})" if p.get("qualification") else "")
                + (f"; ratio {p['ratio']}" if p.get("ratio") else "")
                + f"; {p['frequency']}; {p['duration']}" for p in snapshot.get("provisions", [])]
    if letter == "I":
        parts = []
        if snapshot.get("named_setting"):
            parts.append(f"Named setting: {snapshot['named_setting']}")
        if snapshot.get("setting_type"):
            parts.append(f"Type of setting: {snapshot['setting_type']}")
        return parts
    raise ValueError(f"no section {letter!r}")


@dataclass
class SectionChange:
    letter: str
    title: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, str]] = field(default_factory=list)  # (before, after)

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def compare(before: dict, after: dict) -> list[SectionChange]:
    """Every section A-K with the lines added, removed and changed from `before` to `after`."""
    out = []
    for letter, title in SECTIONS:
        old, new = section_lines(before, letter), section_lines(after, letter)
        change = SectionChange(letter, title)
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
            if op == "delete":
                change.removed.extend(old[i1:i2])
            elif op == "insert":
                change.added.extend(new[j1:j2])
            elif op == "replace":
                pairs = min(i2 - i1, j2 - j1)
                change.changed.extend(zip(old[i1:i1 + pairs], new[j1:j1 + pairs], strict=True))
                change.removed.extend(old[i1 + pairs:i2])
                change.added.extend(new[j1 + pairs:j2])
        out.append(change)
    return out
