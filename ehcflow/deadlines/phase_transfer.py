"""Which phase transfer a child is due next, and its deadline. Pure Python: no Django.

A phase transfer (SEND Regulations 2014 reg 2) is a transfer from relevant early years education to
school, infant school to junior school, primary school to middle school, primary school to secondary
school, middle school to secondary school, or secondary school to a post-16 institution. The plan must
be reviewed and amended to name the new setting before 15 February of the calendar year of the transfer
(last compliant day 14 February), or before 31 March for secondary school -> post-16 (30 March) [L]
reg 18(1); a young person moving between post-16 institutions at another time: at least 5 months before
the transfer [L] reg 18(2). No exceptions apply (statutory-timescales §0.4).

The transfer is found from the child's date of birth (the 31 August cut-off: `rules.year_group`) and the
phase of the current setting. Both tables below are data, so a council with a different pattern (for
example a middle-school system entering at Year 6) changes a row, not the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ehcflow.deadlines.rules import SCHOOL_YEAR_STARTS, phase_transfer_amendment_due, year_group

EARLY_YEARS_TO_SCHOOL = "early_years_to_school"
INFANT_TO_JUNIOR = "infant_to_junior"
PRIMARY_TO_MIDDLE = "primary_to_middle"
PRIMARY_TO_SECONDARY = "primary_to_secondary"
MIDDLE_TO_SECONDARY = "middle_to_secondary"
SECONDARY_TO_POST16 = "secondary_to_post16"
POST16_TO_POST16 = "post16_to_post16"

# kind -> (label, the rule's kind in rules.phase_transfer_amendment_due)
KINDS: dict[str, tuple[str, str]] = {
    EARLY_YEARS_TO_SCHOOL: ("Early years to school (Reception)", "school"),
    INFANT_TO_JUNIOR: ("Infant school to junior school (Year 3)", "school"),
    PRIMARY_TO_MIDDLE: ("Primary or first school to middle school (Year 5)", "school"),
    PRIMARY_TO_SECONDARY: ("Primary school to secondary school (Year 7)", "school"),
    MIDDLE_TO_SECONDARY: ("Middle school to secondary school (Year 9)", "school"),
    SECONDARY_TO_POST16: ("Secondary school to post-16 (Year 12)", "post16"),
    POST16_TO_POST16: ("Post-16 to another post-16 institution at another time", "post16_other"),
}

# The phase of the current setting -> the moves out of it: (national curriculum year the child enters
# at the new setting, kind). Transfers happen at the start of that school year (1 September).
# [U] "first" (first schools of a three-tier middle-school system) enter middle school at Year 5; where a
# council's middle schools start at Year 6, change 5 to 6. [U] All-through schools: no automatic move
# (the child stays in the one school); a coordinator starts a transfer by hand where a child leaves.
TRANSFERS_FROM: dict[str, tuple[tuple[int, str], ...]] = {
    "early_years": ((0, EARLY_YEARS_TO_SCHOOL),),
    "infant": ((3, INFANT_TO_JUNIOR),),
    "first": ((5, PRIMARY_TO_MIDDLE),),
    "junior": ((7, PRIMARY_TO_SECONDARY),),
    "primary": ((7, PRIMARY_TO_SECONDARY),),
    "middle": ((9, MIDDLE_TO_SECONDARY),),
    "secondary": ((12, SECONDARY_TO_POST16),),
}

# The phases of setting a move may name (wrong-phase settings are refused).
ALLOWED_NEW_PHASES: dict[str, frozenset[str]] = {
    EARLY_YEARS_TO_SCHOOL: frozenset({"primary", "infant", "first", "all_through"}),
    INFANT_TO_JUNIOR: frozenset({"junior", "primary"}),
    PRIMARY_TO_MIDDLE: frozenset({"middle"}),
    PRIMARY_TO_SECONDARY: frozenset({"secondary", "all_through"}),
    MIDDLE_TO_SECONDARY: frozenset({"secondary", "all_through"}),
    SECONDARY_TO_POST16: frozenset({"post16", "secondary", "all_through"}),  # a college or a school sixth form
    POST16_TO_POST16: frozenset({"post16", "secondary", "all_through"}),
}

PHASE_LABELS = {
    "early_years": "early years", "infant": "infant school", "first": "first school", "junior": "junior school",
    "primary": "primary school", "middle": "middle school", "secondary": "secondary school",
    "all_through": "all-through school", "post16": "post-16 setting",
}

# GIAS gives infant, junior and first schools the phase "primary"; their names tell them apart.
# (keyword in the name, transfer phase), first match wins; a "Junior and Infant" school is a primary.
PRIMARY_NAME_HINTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("infant", "junior"), "primary"),
    (("infant",), "infant"),
    (("junior",), "junior"),
    (("first school",), "first"),
)
SETTING_PHASES = frozenset({"early_years", "primary", "middle", "secondary", "all_through", "post16"})


def transfer_phase(phase: str | None, name: str = "") -> str | None:
    """The phase used for transfers, from a setting's recorded phase (SettingPhase) and its name.

    None when the setting has no phase for transfers (not applicable, e.g. alternative provision).
    """
    if not phase or phase not in SETTING_PHASES:
        return None
    if phase == "primary":
        lowered = name.lower()
        for keywords, result in PRIMARY_NAME_HINTS:
            if all(k in lowered for k in keywords):
                return result
    return phase


@dataclass(frozen=True)
class PhaseTransferClock:
    """The next phase transfer of a child with a plan (reg 18). `ref` names a recorded transfer, if any."""

    kind: str
    transfer_on: date
    due_on: date
    completed_on: date | None = None  # the amended plan naming the new setting issued
    ref: str | None = None

    @property
    def label(self) -> str:
        return KINDS[self.kind][0]


def kind_label(kind: str) -> str:
    return KINDS[kind][0] if kind in KINDS else kind


def transfer_due(kind: str, transfer_on: date) -> date:
    """Last compliant day for the amended plan naming the new setting. [L] reg 18(1)-(2)."""
    return phase_transfer_amendment_due(transfer_on, KINDS[kind][1])


def next_september(today: date) -> date:
    """The start of the next school year, on or after today."""
    month, day = SCHOOL_YEAR_STARTS
    start = date(today.year, month, day)
    return start if start >= today else date(today.year + 1, month, day)


def next_transfer(date_of_birth: date, phase: str | None, today: date) -> PhaseTransferClock | None:
    """The next phase transfer due from the setting of this phase, or None.

    The move happens on 1 September of the school year in which the child enters the new phase's first
    year; a child already past that year at the setting (held back, or the record is out of date) has none.
    """
    moves = TRANSFERS_FROM.get(phase or "", ())
    september = next_september(today)
    current = year_group(date_of_birth, september)
    for entry_year, kind in moves:
        if entry_year >= current:
            transfer_on = date(september.year + entry_year - current, september.month, september.day)
            return PhaseTransferClock(kind=kind, transfer_on=transfer_on, due_on=transfer_due(kind, transfer_on))
    return None


def cohort_for(entry_year: int, transfer_on: date) -> tuple[date, date]:
    """The dates of birth (inclusive) of the children entering `entry_year` on `transfer_on`.

    Used to find a year's transfers in the database with one range per phase.
    """
    month, day = SCHOOL_YEAR_STARTS
    school_year = transfer_on.year if (transfer_on.month, transfer_on.day) >= SCHOOL_YEAR_STARTS else (
        transfer_on.year - 1)
    cohort = school_year - 5 - entry_year  # born 1 September cohort .. 31 August cohort+1
    return date(cohort, month, day), date(cohort + 1, month, day) - timedelta(days=1)


def new_setting_refusal(kind: str, new_phase: str | None) -> str | None:
    """Why a setting of this phase cannot be named for this move, or None when it can."""
    allowed = ALLOWED_NEW_PHASES.get(kind, frozenset())
    if new_phase in allowed:
        return None
    what = PHASE_LABELS.get(new_phase or "", "a setting with no school phase")
    wanted = " or ".join(sorted(PHASE_LABELS[p] for p in allowed))
    return f"That is {'an' if what[0] in 'aeiou' else 'a'} {what}: a move from {kind_label(kind).lower()} " \
           f"must name {'an' if wanted[0] in 'aeiou' else 'a'} {wanted}."


def current_clock(*, date_of_birth: date, phase: str | None, today: date,
                  recorded: PhaseTransferClock | None = None, recorded_open: bool = False) -> PhaseTransferClock | None:
    """The clock the engine shows: the recorded transfer when it is open or not older than the derived one,
    otherwise the transfer derived from the date of birth and the current setting."""
    derived = next_transfer(date_of_birth, phase, today)
    if recorded is not None and (recorded_open or derived is None or recorded.transfer_on >= derived.transfer_on):
        return recorded
    return derived
