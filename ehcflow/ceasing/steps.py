"""The ceasing and move steps as the case pages offer them (registered in ehcflow.cases.views).

One place says which record each step acts on and when it is possible, so the case page, the step page
and the services agree.
"""

import datetime

from ehcflow.ceasing import forms as cf
from ehcflow.ceasing import services as cs
from ehcflow.ceasing.models import Cessation
from ehcflow.moves import forms as mf
from ehcflow.moves import services as ms
from ehcflow.moves.models import Direction, LaTransfer

# (slug, title, form, service, target, hint, success, button)
SPECS = [
    ("cease-propose", "Propose to cease the plan", cf.CeaseProposeForm, cs.cease_propose, "plan",
     "The council may cease a plan only if it is no longer necessary or it is no longer responsible for the young "
     "person (Children and Families Act 2014 s.45). It must consult first (SEND Regulations 2014 reg 29).",
     "Proposal to cease recorded", "Save"),
    ("cease-consult", "Record the consultation about ceasing", cf.CeaseConsultForm, cs.cease_consultation_record,
     "cessation", "The child's parent or the young person and the school or college must be consulted (reg 29).",
     "Consultation recorded", "Save"),
    ("cease-decide", "Record the decision and the notice with appeal rights", cf.CeaseDecideForm,
     cs.cease_decision_record, "cessation",
     "A decision to cease is sent to the family with their right to appeal to the SEND Tribunal "
     "(Children and Families Act 2014 s.45; SEND Regulations 2014 reg 30). The plan is maintained while an "
     "appeal is pending.", "Decision recorded", "Save"),
    ("cease-appeal", "Record an appeal against ceasing", cf.CeaseAppealForm, cs.cease_appeal_record, "cessation",
     "While the appeal is pending the plan must be maintained.", "Appeal recorded", "Save"),
    ("cease-appeal-outcome", "Record the outcome of the appeal", cf.CeaseAppealOutcomeForm,
     cs.cease_appeal_outcome_record, "cessation", "", "Outcome recorded", "Save"),
    ("cease", "Record the plan as ceased", cf.CeaseForm, cs.cease_plan, "cessation",
     "Only when no appeal is pending. A plan ceasing at its age limit ends at the end of the academic year in "
     "which the young person turns 25 (Children and Families Act 2014 s.46).", "Plan ceased", "Cease plan"),
    ("move-out", "Record a move to another council", mf.MoveOutForm, ms.move_out_record, "plan",
     "The plan is sent to the new council on the day of the move, or within 15 working days beginning with the "
     "day this council learnt of the move if it learnt less than 15 working days before (SEND Regulations 2014 "
     "reg 15(2)).", "Move recorded", "Save"),
    ("move-out-sent", "Record the plan sent to the new council", mf.MoveOutSentForm, ms.move_out_sent_record,
     "la_transfer", "The plan then ceases here with SEN2 cease reason 5 (transferred to another council).",
     "Plan sent and ceased here", "Save"),
    ("move-in-notified", "Record the family told about the transfer", mf.MoveInNotifiedForm,
     ms.move_in_notified_record, "la_transfer",
     "Within 6 weeks of the transfer: that the plan has transferred, whether this council will assess, and when "
     "it will review the plan (SEND Regulations 2014 reg 15(4)).", "Family's notice recorded", "Save"),
]
SLUGS = frozenset(s[0] for s in SPECS)
TARGETS = frozenset({"cessation", "la_transfer"})


def step_kwargs() -> list[dict]:
    """Keyword arguments for `ehcflow.cases.views.Step`, one dict per step."""
    return [{"slug": slug, "title": title, "form_class": form, "service": service, "target": target, "hint": hint,
             "success": success, "button": button}
            for slug, title, form, service, target, hint, success, button in SPECS]


def refusal(slug: str, case, target=None) -> str | None:
    if slug.startswith("cease"):
        return cs.step_refusal(slug, case, target)
    return ms.step_refusal(slug, case, target)


def target_of(case, kind: str, pk: int):
    """The cessation or transfer of this case's plan with this id, or None."""
    try:
        plan = case.plan
    except case.__class__.plan.RelatedObjectDoesNotExist:
        return None
    model = Cessation if kind == "cessation" else LaTransfer
    return model.objects.select_related("plan__case__child").filter(plan=plan, pk=pk).first()


def default_target(case, slug: str, kind: str):
    """The record a step offered on the case page acts on (from the prefetched rows)."""
    plan = case.plan
    if kind == "plan":
        return plan
    if kind == "cessation":
        return cs.open_cessation(plan)
    if slug == "move-out-sent":
        return ms.open_transfer(plan, Direction.OUT)
    return ms.open_transfer(plan, Direction.IN)


def age_limit_flag(date_of_birth: datetime.date, today: datetime.date) -> dict:
    from ehcflow.deadlines.calendar import add_months
    from ehcflow.deadlines.rules import age_limit_due

    limit = age_limit_due(date_of_birth)
    return {"age_limit": limit, "age_limit_soon": limit <= add_months(today, cs.AGE_LIMIT_WARNING_MONTHS),
            "age_limit_passed": limit < today}
