"""Writes to the content of a plan while it is being drafted or amended.

Content changes before the final plan is issued, and afterwards only while an amendment proposed at an
annual review is open (reg 22); each issued plan is kept as a numbered version (`plan_version_record`).
"""

import datetime
import uuid

from ehcflow.cases.models import Case, Stage
from ehcflow.cases.services import audited_by, case_step
from ehcflow.core.errors import StepRefused
from ehcflow.plans.models import Need, Outcome, Plan, PlanVersion, Provision

SECTION_FIELDS = [
    "section_a_history", "section_a_views", "section_c", "section_d", "section_g", "section_h1", "section_h2",
    "section_j", "section_k",
]


def _editable_plan(case: Case) -> Plan:
    if case.stage in (Stage.DRAFTING, Stage.DRAFT_SERVED):
        return case.plan
    if case.stage == Stage.PLAN_ISSUED and plan_is_being_amended(case.plan):
        return case.plan
    if case.stage == Stage.PLAN_ISSUED and _plan_is_being_reassessed(case.plan):  # ehcflow.reassessment
        return case.plan
    raise StepRefused("The plan can be changed only while it is being drafted, is with the family as a draft, "
                      "or while amendments proposed at an annual review are open, "
                      "or during a re-assessment (before the plan after re-assessment is issued).")


def _plan_is_being_reassessed(plan: Plan) -> bool:
    """A decision to re-assess is recorded and the plan after re-assessment is not issued (reg 27)."""
    from ehcflow.reassessment.services import plan_is_being_reassessed

    return hasattr(plan, "reassessments") and plan_is_being_reassessed(plan)


def plan_is_being_amended(plan: Plan) -> bool:
    """An amendment is open: proposed, and no final amended plan or notice of not amending yet."""
    return any(a.is_open for a in plan.amendments.all())


# --- Versions -------------------------------------------------------------------------------------

def plan_snapshot(plan: Plan) -> dict:
    """The plan's content as plain data: sections A-K, needs, outcomes, provision and the named setting."""
    needs = list(plan.needs.all())
    need_labels = {n.pk: n.get_need_type_display() for n in needs}
    outcomes = list(plan.outcomes.all())
    outcome_labels = {o.pk: o.text for o in outcomes}
    return {
        "sections": {f: getattr(plan, f) for f in SECTION_FIELDS},
        "needs": [{"area": n.area, "need_type": n.need_type, "need_type_label": n.get_need_type_display(),
                   "rank": n.rank, "description": n.description} for n in needs],
        "outcomes": [{"area": o.area, "text": o.text, "by_when": o.by_when,
                      "preparing_for_adulthood": o.preparing_for_adulthood} for o in outcomes],
        "provisions": [{"area": p.area, "support": p.support, "provider": p.provider,
                        "qualification": p.qualification, "ratio": p.ratio, "frequency": p.frequency,
                        "duration": p.duration,
                        "needs": [need_labels.get(n.pk, "") for n in p.needs.all()],
                        "outcomes": [outcome_labels.get(o.pk, "") for o in p.outcomes.all()]}
                       for p in plan.provisions.prefetch_related("needs", "outcomes")],
        "named_setting": plan.named_setting.name if plan.named_setting_id else "",
        "named_setting_urn": plan.named_setting.urn if plan.named_setting_id else "",
        "setting_type": plan.setting_type,
    }


def plan_version_record(*, actor, plan: Plan, kind: str, issued_on: datetime.date) -> PlanVersion:
    """Keep the plan as issued as its next version. Called inside the issuing step's transaction."""
    last = plan.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return PlanVersion.objects.create(la_id=plan.la_id, plan=plan, number=last + 1, kind=kind, issued_on=issued_on,
                                      snapshot=plan_snapshot(plan))


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


