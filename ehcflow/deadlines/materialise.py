"""Store the engine's open deadlines as `CaseDeadline` rows: for one case, or for every case in bulk.

The engine's output is treated generically (any key, any ref), so new rules (annual reviews, phase
transfers, ...) are stored without changes here.
"""

import datetime
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.utils import timezone

from ehcflow.deadlines import engine
from ehcflow.deadlines.models import CaseDeadline

NOT_DONE = frozenset({engine.STATUS_OPEN, engine.STATUS_MISSED, engine.STATUS_EXCEPTION})
LABEL_MAX = CaseDeadline._meta.get_field("label").max_length
SOURCE_MAX = CaseDeadline._meta.get_field("source").max_length


def open_deadlines(facts: engine.CaseFacts, deadlines: Iterable[engine.Deadline]) -> list[engine.Deadline]:
    """The deadlines still needing action, in the engine's order."""
    return [d for d in deadlines if not d.done and d.status in NOT_DONE
            and not getattr(d, "family", False)]  # ehcflow.appeals: the family's own time limits are not work


def page_labels(case, today: datetime.date) -> dict[tuple[str, str], str]:
    """Each deadline's label as the case page shows it ("Advice from Dr A Okafor ...", which review)."""
    from ehcflow.cases.selectors import case_deadline_rows

    return {(r.deadline.key, r.deadline.ref or ""): r.deadline.label for r in case_deadline_rows(case, today)}


def rows_for(case, facts: engine.CaseFacts, deadlines: Iterable[engine.Deadline],
             labels: dict[tuple[str, str], str] | None = None) -> list[CaseDeadline]:
    """Unsaved `CaseDeadline` rows for a case's open deadlines, labelled as on the case page."""
    labels = labels or {}
    rows = []
    for d in open_deadlines(facts, deadlines):
        label = labels.get((d.key, d.ref or ""), d.label)
        rows.append(CaseDeadline(
            la_id=case.la_id, case_id=case.pk, key=d.key, ref=d.ref or "", label=label[:LABEL_MAX],
            source=d.source[:SOURCE_MAX], due_on=d.due, status=d.status,
        ))
    return rows


def replace_case_rows(case, facts: engine.CaseFacts, deadlines: Iterable[engine.Deadline],
                      today: datetime.date) -> None:
    """Replace one case's rows (call inside the step's transaction)."""
    CaseDeadline.objects.filter(case_id=case.pk).delete()
    CaseDeadline.objects.bulk_create(rows_for(case, facts, deadlines, page_labels(case, today)))


# What `case_facts` reads. Relations a model does not have (yet) are skipped, so this list can name
# the records of later parts of the lifecycle before they exist.
FACTS_PREFETCH = ("advice_requests", "comments", "exceptions", "plan__reviews", "plan__amendments")
FACTS_PREFETCH += ("plan__cessations", "plan__la_transfers")  # ehcflow.ceasing, ehcflow.moves
FACTS_PREFETCH += ("plan__phase_transfers__new_setting",)  # ehcflow.transfers (child__setting is joined)
FACTS_PREFETCH += ("plan__reassessments__exceptions",)  # ehcflow.reassessment
FACTS_PREFETCH += ("disagreements",)  # ehcflow.appeals


def facts_prefetch() -> list[str]:
    from ehcflow.cases.models import Case

    names = []
    for path in FACTS_PREFETCH:
        model, ok = Case, True
        for part in path.split("__"):
            try:
                field = model._meta.get_field(part)
            except Exception:
                ok = False
                break
            model = field.related_model
        if ok:
            names.append(path)
    return names


def _cases_queryset(la):
    """Cases with everything `case_facts` reads, prefetched."""
    from ehcflow.cases.models import Case

    # The child and its setting are joined, not prefetched: prefetching a forward key of 2,000 cases builds
    # an expression SQLite refuses ("Expression tree is too large").
    qs = Case.objects.select_related("decision", "plan", "child__setting").prefetch_related(*facts_prefetch())
    if la is not None:
        qs = qs.filter(la=la)
    return qs.order_by("pk")


def refresh_all(*, la=None, chunk: int = 2000, today: datetime.date | None = None,
                log: Callable[[str], None] | None = None, case_ids: list[int] | None = None) -> int:
    """Recompute every case's open deadlines (and its stored next deadline) in bulk.

    Per chunk of cases a fixed number of queries: the cases, their prefetches, one delete, one insert
    and one bulk update of the next deadline. Each chunk is its own transaction, so a long run never
    holds the whole table; pages keep working meanwhile. Returns the number of cases.
    """
    from ehcflow.cases.models import Case
    from ehcflow.cases.selectors import case_facts

    today = today or timezone.localdate()
    ids = case_ids if case_ids is not None else list(_cases_queryset(la).values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), chunk):
        batch_ids = ids[start:start + chunk]
        cases = list(_cases_queryset(None).filter(pk__in=batch_ids))
        rows: list[CaseDeadline] = []
        changed: list[Case] = []
        for case in cases:
            facts = case_facts(case)
            deadlines = engine.case_deadlines(facts, today)
            rows.extend(rows_for(case, facts, deadlines, page_labels(case, today)))
            nxt = engine.next_deadline(deadlines)
            key, label, due = (nxt.key, nxt.label, nxt.due) if nxt else ("", "", None)
            if (case.next_deadline_key, case.next_deadline_label, case.next_deadline_due) != (key, label, due):
                case.next_deadline_key, case.next_deadline_label, case.next_deadline_due = key, label, due
                changed.append(case)
        with transaction.atomic():
            CaseDeadline.objects.filter(case_id__in=batch_ids).delete()
            CaseDeadline.objects.bulk_create(rows, batch_size=5000)
            if changed:
                _store_next_deadlines(changed)
        done += len(cases)
        if log:
            log(f"  deadlines refreshed for {done}/{len(ids)} cases")
    return done


def _store_next_deadlines(cases) -> None:
    """Each case's stored next deadline, one prepared UPDATE run for all (bulk_update's CASE expressions cost
    more than the work itself at county scale)."""
    from ehcflow.cases.models import Case

    qn, meta, ops = connection.ops.quote_name, Case._meta, connection.ops
    cols = [qn(meta.get_field(f).column) for f in ("next_deadline_key", "next_deadline_label", "next_deadline_due")]
    sql = f"UPDATE {qn(meta.db_table)} SET {', '.join(f'{c} = %s' for c in cols)} WHERE {qn(meta.pk.column)} = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(c.next_deadline_key, c.next_deadline_label,
                                  ops.adapt_datefield_value(c.next_deadline_due), c.pk) for c in cases])
