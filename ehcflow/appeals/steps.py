"""The mediation and appeal steps as the case pages offer them (registered in ehcflow.cases.views)."""

from ehcflow.appeals import forms as af
from ehcflow.appeals import services as s
from ehcflow.appeals.models import Disagreement

# (slug, title, form, service, target, hint, success)
SPECS = [
    ("appeal-notice", "Record the notice of an appealable decision", af.NoticeForm, s.appeal_notice_record, "",
     "Refusing to assess or to issue a plan, the contents of sections B, F and I, refusing to re-assess or to amend, "
     "and ceasing a plan can be appealed to the SEND Tribunal (Children and Families Act 2014 s.51). The family has "
     "2 months from the notice to contact a mediation adviser (SEND Regulations 2014 reg 33).", "Notice recorded"),
    ("appeal-mediation", "Record the family's contact with the mediation adviser", af.MediationContactForm,
     s.mediation_contact_record, "disagreement",
     "If the family does not want mediation, the certificate is due within 3 working days (reg 34). If they want "
     "it, mediation should be held within 30 days.",
     "Mediation contact recorded"),
    ("appeal-mediation-held", "Record mediation held", af.MediationHeldForm, s.mediation_held_record,
     "disagreement", "Mediation should be held within 30 days of the family asking for it; the mediator's certificate "
                     "is due within 3 working days after it (Children and Families Act 2014 s.55(5)).",
     "Mediation recorded"),
    ("appeal-certificate", "Record the mediation certificate issued", af.CertificateForm, s.certificate_record,
     "disagreement", "The family may appeal within 1 month of the certificate, or 2 months of the notice if later "
                     "(HESC Rules 2008 r.20(1)(c)).", "Certificate recorded"),
    ("appeal-register", "Record an appeal registered by the Tribunal", af.RegisterForm, s.appeal_register_record,
     "disagreement", "A mediation certificate is needed unless the appeal is only about section I "
                     "(Children and Families Act 2014 s.55).", "Appeal recorded"),
    ("appeal-outcome", "Record the outcome of the appeal", af.OutcomeForm, s.appeal_outcome_record, "disagreement",
     "", "Outcome recorded"),
    ("appeal-order", "Record the Tribunal's order", af.OrderForm, s.appeal_order_record, "disagreement",
     "Order to make a plan: draft within 5 weeks, final within 11; to assess: notify within 2 weeks, then a "
     "decision not to issue a plan within 10 weeks or the final plan within 14; to amend: within 5 weeks "
     "(SEND Regulations 2014 regs 44-45).", "Order recorded"),
    ("appeal-first-step", "Record the draft plan issued or the family told of the assessment", af.FirstStepForm,
     s.order_first_step_record, "disagreement", "Within 5 weeks of an order to make a plan, or 2 weeks of an order to "
                                               "assess (reg 44).", "Recorded"),
    ("appeal-complied", "Record the order complied with", af.CompliedForm, s.order_complied_record, "disagreement",
     "The final plan (within 11 weeks of an order to make a plan, 14 of an order to assess) or the amended plan "
     "(within 5 weeks of an order to amend).", "Order recorded as complied with"),
    ("appeal-no-plan", "Record a decision not to issue a plan after the ordered assessment", af.NoPlanForm,
     s.order_no_plan_record, "disagreement",
     "Within 10 weeks of an order to assess (SEND Regulations 2014 reg 44). The family may appeal this decision.",
     "Decision not to issue a plan recorded"),
]
SLUGS = frozenset(x[0] for x in SPECS)
TARGETS = frozenset({"disagreement"})


def step_kwargs() -> list[dict]:
    """Keyword arguments for `ehcflow.cases.views.Step`, one dict per step."""
    return [{"slug": slug, "title": title, "form_class": form, "service": service, "target": target, "hint": hint,
             "success": success} for slug, title, form, service, target, hint, success in SPECS]


def refusal(slug: str, case, target=None) -> str | None:
    return s.step_refusal(slug, case, target)


def target_of(case, pk: int) -> Disagreement | None:
    return Disagreement.objects.select_related("case__child").filter(case=case, pk=pk).first()
