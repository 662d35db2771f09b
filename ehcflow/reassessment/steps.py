"""The re-assessment steps as the case pages offer them (registered in ehcflow.cases.views)."""

from ehcflow.reassessment import forms as f
from ehcflow.reassessment import services as s
from ehcflow.reassessment.models import Reassessment

# (slug, title, form, service, target, hint, success, button)
SPECS = [
    ("reassess-request", "Record a request for a re-assessment", f.ReassessRequestForm, s.reassessment_request,
     "plan", "From the child's parent or the young person, or the school or college, or on the council's own "
             "initiative. The council decides within 15 days (SEND Regulations 2014 regs 24-25).",
     "Request for a re-assessment recorded", "Save"),
    ("reassess-decide", "Record the decision whether to re-assess", f.ReassessDecideForm,
     s.reassessment_decision_record, "reassessment",
     "A refusal is sent with the family's right to appeal to the SEND Tribunal (Children and Families Act 2014 "
     "s.51(2)). After a decision to re-assess the plan is due within 14 weeks (reg 27(2)).",
     "Decision recorded", "Save"),
    ("reassess-exception", "Record an exception to the 14 weeks", f.ReassessExceptionForm,
     s.reassessment_exception_record, "reassessment",
     "An exception changes the deadline's status, never its date (SEND Regulations 2014 reg 27(3)).",
     "Exception recorded", "Save"),
    ("reassess-plan", "Record the plan issued after re-assessment", f.ReassessPlanForm, s.reassessment_plan_issue,
     "reassessment", "Change the plan's content with the plan steps first; the plan as issued is kept as its next "
                     "version. Within 14 weeks of notifying the decision to re-assess (reg 27(2)). The next annual "
                     "review is then due within 12 months of this plan (Children and Families Act 2014 s.44(1)).",
     "Plan after re-assessment recorded", "Issue plan"),
]
SLUGS = frozenset(x[0] for x in SPECS)
TARGETS = frozenset({"reassessment"})


def step_kwargs() -> list[dict]:
    """Keyword arguments for `ehcflow.cases.views.Step`, one dict per step."""
    return [{"slug": slug, "title": title, "form_class": form, "service": service, "target": target, "hint": hint,
             "success": success, "button": button}
            for slug, title, form, service, target, hint, success, button in SPECS]


def refusal(slug: str, case, target=None) -> str | None:
    return s.step_refusal(slug, case, target)


def target_of(case, kind: str, pk: int):
    """The re-assessment of this case's plan with this id, or None."""
    try:
        plan = case.plan
    except case.__class__.plan.RelatedObjectDoesNotExist:
        return None
    return Reassessment.objects.select_related("plan__case__child").filter(plan=plan, pk=pk).first()


def default_target(case, slug: str, kind: str):
    """The record a step offered on the case page acts on (from the prefetched rows)."""
    plan = case.plan
    return plan if kind == "plan" else s.open_reassessment(plan)
