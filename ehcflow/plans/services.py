"""Writes to the content of a plan while it is being drafted.

Content changes only before the final plan is issued; afterwards a plan changes through an annual
review and amendment (a later issue), never by editing.
"""

import uuid

from ehcflow.cases.models import Case, Stage
from ehcflow.cases.services import audited_by, case_step
from ehcflow.core.errors import StepRefused
from ehcflow.plans.models import Need, Outcome, Plan, Provision

SECTION_FIELDS = [
    "section_a_history", "section_a_views", "section_c", "section_d", "section_g", "section_h1", "section_h2",
    "section_j", "section_k",
]


def _editable_plan(case: Case) -> Plan:
    if case.stage not in (Stage.DRAFTING, Stage.DRAFT_SERVED):
        raise StepRefused("The plan can be changed only while it is being drafted or is with the family as a draft.")
    return case.plan


def plan_sections_update(*, actor, case: Case, version: int | None, token: uuid.UUID | None, **sections: str) -> Plan:
    with case_step(actor=actor, case=case, version=version, token=token):
        plan = _editable_plan(case)
        changed = [f for f in SECTION_FIELDS if f in sections and getattr(plan, f) != sections[f]]
        for f in changed:
            setattr(plan, f, sections[f])
        audited_by(plan, actor).save()
    return plan


def need_add(*, actor, case: Case, version: int | None, token: uuid.UUID | None, area: str, need_type: str,
             rank: int, description: str) -> Need:
    """Add a section B need. SEN2 takes one primary and at most one secondary need type."""
    with case_step(actor=actor, case=case, version=version, token=token):
        plan = _editable_plan(case)
        if rank in (1, 2) and plan.needs.filter(rank=rank).exists():
            label = "primary" if rank == 1 else "secondary"
            raise StepRefused({"rank": f"The plan already has a {label} need. Choose another rank."})
        need = audited_by(Need(la_id=case.la_id, plan=plan, area=area, need_type=need_type, rank=rank,
                             description=description), actor)
        need.save()
    return need


def outcome_add(*, actor, case: Case, version: int | None, token: uuid.UUID | None, area: str, text: str,
                by_when: str = "", preparing_for_adulthood: bool = False) -> Outcome:
    with case_step(actor=actor, case=case, version=version, token=token):
        plan = _editable_plan(case)
        outcome = audited_by(Outcome(la_id=case.la_id, plan=plan, area=area, text=text, by_when=by_when,
                                   preparing_for_adulthood=preparing_for_adulthood), actor)
        outcome.save()
    return outcome


def provision_add(*, actor, case: Case, version: int | None, token: uuid.UUID | None, area: str, support: str,
                  provider: str, frequency: str, duration: str, qualification: str = "", ratio: str = "",
                  needs=(), outcomes=()) -> Provision:
    """Add a section F item answering the five prompts, linked to the needs and outcomes it serves."""
    with case_step(actor=actor, case=case, version=version, token=token):
        plan = _editable_plan(case)
        foreign = [n for n in needs if n.plan_id != plan.pk] + [o for o in outcomes if o.plan_id != plan.pk]
        if foreign:
            raise StepRefused("Provision can be linked only to needs and outcomes of this plan.")
        item = audited_by(Provision(la_id=case.la_id, plan=plan, area=area, support=support, provider=provider,
                                  qualification=qualification, ratio=ratio, frequency=frequency,
                                  duration=duration), actor)
        item.save()
        item.needs.set(needs)
        item.outcomes.set(outcomes)
    return item


