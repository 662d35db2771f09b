"""Stored open deadlines: the engine's not-done deadlines, the same per step as in bulk."""

import datetime

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ehcflow.cases.models import Case
from ehcflow.deadlines.materialise import refresh_all
from ehcflow.deadlines.models import CaseDeadline
from tests.conftest import advance, new_case

TODAY = datetime.date(2025, 2, 12)


def snapshot():
    return sorted(CaseDeadline.objects.values_list("case_id", "key", "ref", "label", "due_on", "status", "la_id"))


def some_cases(personas, case, school, n=0):
    actor = personas["coordinator"]
    advance(case, actor, "plan_issued", school=school)
    for i in range(n):
        c = new_case(actor, first_name=f"Bulk{i}", upn=f"E{i:011d}X"[:13])
        if i % 2:
            advance(c, actor, "drafting")


def test_refresh_all_matches_the_step_by_step_rows(personas, case, school):
    some_cases(personas, case, school, n=4)
    for c in Case.objects.all():  # per case, as each step does
        from ehcflow.cases.services import case_refresh_deadlines

        case_refresh_deadlines(case=c, today=TODAY)
    expected = snapshot()
    next_expected = sorted(Case.objects.values_list("pk", "next_deadline_key", "next_deadline_due"))
    CaseDeadline.objects.all().delete()
    Case.objects.update(next_deadline_key="", next_deadline_due=None)
    assert refresh_all(today=TODAY, chunk=3) == Case.objects.count()
    assert snapshot() == expected
    assert sorted(Case.objects.values_list("pk", "next_deadline_key", "next_deadline_due")) == next_expected
    assert {k for _, k, *rest in expected} >= {"advice_due", "final_plan"}


def test_only_deadlines_still_needing_action_are_stored(personas, case, school):
    issued = advance(case, personas["coordinator"], "plan_issued", school=school)
    refresh_all(today=datetime.date(2025, 6, 2))
    keys = set(CaseDeadline.objects.filter(case=issued).values_list("key", flat=True))
    assert keys  # the plan's review
    assert not keys & {"decision_to_assess", "advice_due", "draft_comments_close", "final_plan"}  # all done


def test_statuses_follow_the_date(personas, case):
    refresh_all(today=datetime.date(2025, 2, 1))
    assert CaseDeadline.objects.get(case=case, key="decision_to_assess").status == "open"
    refresh_all(today=datetime.date(2025, 3, 1))
    assert CaseDeadline.objects.get(case=case, key="decision_to_assess").status == "missed"


def queries(**kwargs) -> int:
    Case.objects.update(next_deadline_key="")  # every case's next deadline is rewritten
    with CaptureQueriesContext(connection) as ctx:
        refresh_all(today=TODAY, **kwargs)
    return len(ctx.captured_queries)


def test_refresh_all_queries_depend_on_chunks_not_cases(personas, case, school):
    some_cases(personas, case, school, n=1)
    small = queries()
    some_cases_more = [new_case(personas["coordinator"], first_name=f"More{i}", upn=f"F{i:011d}X"[:13])
                       for i in range(10)]
    assert some_cases_more
    assert queries() == small


def test_refresh_deadlines_command(personas, case, la):
    CaseDeadline.objects.all().delete()
    call_command("refresh_deadlines", "--la", la.code, verbosity=0)
    assert CaseDeadline.objects.filter(case=case).exists()
