"""Reads for annual reviews, amendments and plan versions. Callers pass a case already checked for access."""

import datetime

from ehcflow.cases.models import Case
from ehcflow.deadlines.rules import UNDER5_REVIEW_MONTHS, preparing_for_adulthood, under5_review_due, year_group
from ehcflow.plans.models import Plan
from ehcflow.plans.versions import compare
from ehcflow.reviews.services import open_amendment, open_review


def step_target(case: Case, kind: str, pk: int | None):
    """The record of this case a step acts on (advice, consultation, plan, review, amendment), or None."""
    if kind == "advice":
        return case.advice_requests.filter(pk=pk).first()
    if kind == "consultation":
        return case.consultations.filter(pk=pk).first()
    try:
        plan = case.plan
    except Case.plan.RelatedObjectDoesNotExist:
        return None
    if kind == "plan":
        return plan if plan.pk == pk else None
    if kind == "review":
        return plan.reviews.select_related("plan__case").filter(pk=pk).first()
    if kind == "amendment":
        return plan.amendments.select_related("plan__case").filter(pk=pk).first()
    return None


def review_section(case: Case, today: datetime.date, under5_months: int = UNDER5_REVIEW_MONTHS) -> dict:
    """What the case page's "Annual reviews" section shows, from the prefetched reviews and amendments."""
    plan = case.plan
    reviews = list(plan.reviews.all())
    amendments = list(plan.amendments.all())
    dob = case.child.date_of_birth
    held = [r.held_on for r in reviews if r.held_on]
    since = max(held) if held else plan.issued_on
    return {
        "reviews": reviews,
        "amendments": amendments,
        "open_review": open_review(plan),
        "open_amendment": open_amendment(plan),
        "year_group": year_group(dob, today),
        "pfa": preparing_for_adulthood(dob, today),
        "under5_due": under5_review_due(dob, since, today, under5_months),
        "under5_months": under5_months,
    }


def _version_number(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def version_comparison(plan: Plan, from_number, to_number) -> dict:
    """The plan's versions and, when two are chosen (or by default the last two), the comparison."""
    versions = list(plan.versions.all())
    by_number = {v.number: v for v in versions}
    before, after = by_number.get(_version_number(from_number)), by_number.get(_version_number(to_number))
    if before is None and after is None and from_number is None and to_number is None and len(versions) >= 2:
        before, after = versions[-2], versions[-1]
    changes = compare(before.snapshot, after.snapshot) if before is not None and after is not None else None
    chosen_wrong = (from_number is not None or to_number is not None) and changes is None
    return {"versions": versions, "before": before, "after": after, "changes": changes, "chosen_wrong": chosen_wrong}
