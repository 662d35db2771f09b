"""The 20-week journey through the services, with the reference's worked example dates."""

import datetime

import time_machine

from ehcflow.cases.selectors import case_deadline_rows
from tests.conftest import advance, fresh

d = datetime.date


@time_machine.travel(d(2025, 6, 2), tick=False)
def test_case_reaches_final_plan_and_deadlines_are_met(personas, case, school):
    case = advance(case, personas["coordinator"], "plan_issued", school=school)
    assert case.stage == "plan_issued"
    rows = {r.deadline.key: r.deadline for r in case_deadline_rows(case, d(2025, 6, 2))}
    assert rows["decision_to_assess"].due == d(2025, 2, 17) and rows["decision_to_assess"].status == "met"
    assert rows["final_plan"].due == d(2025, 5, 26) and rows["final_plan"].status == "met"
    assert rows["decision_not_to_issue"].status == "not_applicable"
    assert rows["first_review_decision"].due == d(2026, 4, 27)
    assert case.next_deadline_key == "first_review_decision"
    assert case.plan.named_setting == school
    kinds = list(case.timeline.order_by("occurred_on", "id").values_list("kind", flat=True))
    assert kinds == ["request_received", "decision_to_assess", "advice_requested", "assessment_outcome",
                     "draft_served", "final_plan_issued"]
    assert fresh(case).history.count() >= 4
