"""Pages for caseworkers. Thin: they read through selectors and write through services."""


from dataclasses import dataclass, field
from typing import Any, Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ehcflow.accounts.models import Role, User
from ehcflow.appeals import steps as appeal_steps  # ehcflow.appeals
from ehcflow.appeals.selectors import case_section as appeals_section  # ehcflow.appeals
from ehcflow.cases import forms as f
from ehcflow.cases import services
from ehcflow.cases.access import can_view_case, can_change_case, children_visible_to, has_change_role, user_team_ids
from ehcflow.cases.models import Case, Stage
from ehcflow.cases.selectors import case_deadline_rows, case_get, case_list, rag_for, submission_seen
from ehcflow.ceasing import steps as lifecycle_steps  # ehcflow.ceasing, ehcflow.moves
from ehcflow.ceasing.selectors import case_section as ceasing_section  # ehcflow.ceasing, ehcflow.moves
from ehcflow.core.errors import DuplicateSubmission, NotAllowed, StaleForm, StepRefused
from ehcflow.core.models import RecordView
from ehcflow.moves import steps as moves_steps  # ehcflow.moves: steps added after the ceasing slice
from ehcflow.plans import services as plan_services
from ehcflow.reassessment import steps as reassessment_steps  # ehcflow.reassessment
from ehcflow.reassessment.selectors import case_section as reassessment_section  # ehcflow.reassessment
from ehcflow.reviews import forms as rf
from ehcflow.reviews import services as review_services
from ehcflow.reviews.selectors import review_section, step_target, version_comparison
from ehcflow.teams.models import Team
from ehcflow.transfers import forms as tf  # ehcflow.transfers
from ehcflow.transfers import services as transfer_services  # ehcflow.transfers

PAGE_SIZE = 50


def staff_required(view):
    """Signed-in council staff only; anyone else signed in is refused."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.is_council_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _record_view(request: HttpRequest, case: Case, what: str) -> None:
    RecordView.objects.create(la_id=case.la_id, user=request.user, child_id=case.child_id, what=what)


def _caseload_context(request: HttpRequest, *, mine: bool) -> dict[str, Any]:
    g = request.GET
    sort = g.get("sort", "deadline")
    filters = {
        "stage": g.get("stage", "") if g.get("stage", "") in Stage.values else "",
        "rag": g.get("rag", "") if g.get("rag", "") in ("red", "amber", "green") else "",
        "q": g.get("q", "").strip()[:80],
    }
    team = _int(g.get("team"))
    coordinator = _int(g.get("coordinator"))
    qs = case_list(user=request.user, mine=mine, sort=sort, team=team, coordinator=coordinator, **filters)
    page = Paginator(qs, PAGE_SIZE).get_page(g.get("page"))
    today = timezone.localdate()
    rows = [
        {"case": c, "days_left": (c.next_deadline_due - today).days if c.next_deadline_due else None,
         "rag": rag_for(c.next_deadline_due, today)}
        for c in page.object_list
    ]
    params = g.copy()
    params.pop("page", None)
    sort_params = params.copy()
    sort_params.pop("sort", None)
    return {
        "rows": rows, "page": page, "sort": sort, "filters": filters, "team": team, "coordinator": coordinator,
        "stages": Stage.choices, "query": params.urlencode(), "sort_query": sort_params.urlencode(), "today": today,
    }


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@staff_required
def caseload(request: HttpRequest) -> HttpResponse:
    """My caseload: the children I hold, with what is due next."""
    context = _caseload_context(request, mine=True)
    context.update(nav="caseload", title="My caseload", mine=True)
    return render(request, "cases/caseload.html", context)


@staff_required
def team_caseload(request: HttpRequest) -> HttpResponse:
    """Every case the user can see: a manager's team(s), or the whole council for leaders."""
    user = request.user
    context = _caseload_context(request, mine=False)
    teams = Team.objects.filter(la_id=user.la_id)
    if not user.sees_whole_council:
        teams = teams.filter(id__in=user_team_ids(user))
    coordinators = User.objects.filter(la_id=user.la_id, role=Role.COORDINATOR, is_active=True)
    if not user.sees_whole_council:
        coordinators = coordinators.filter(teams__in=user_team_ids(user)).distinct()
    context.update(
        nav="team", title="All cases" if user.sees_whole_council else "Team cases", mine=False,
        teams=list(teams.order_by("name")), coordinators=list(coordinators.order_by("last_name", "first_name")),
    )
    return render(request, "cases/caseload.html", context)


def _visible_case(request: HttpRequest, case_id: int) -> Case:
    case = case_get(user=request.user, case_id=case_id)
    if case is None:
        raise Http404("No such case")
    return case


ACTIONS_BY_STAGE = {
    Stage.RECEIVED: ["decision", "exception", "withdraw"],
    Stage.ASSESSING: ["advice", "outcome", "exception", "withdraw"],
    Stage.DRAFTING: ["plan-sections", "need", "plan-outcome", "provision", "consultation", "draft", "advice",
                     "exception", "withdraw"],
    Stage.DRAFT_SERVED: ["comments", "consultation", "final", "plan-sections", "need", "plan-outcome", "provision",
                         "exception", "withdraw"],
    # After the plan: each step is offered only while valid (ehcflow.reviews.services.step_refusal).
    Stage.PLAN_ISSUED: ["review-arrange", "review-invitations", "review-meeting", "review-report", "review-decision",
                        "amendment-representations", "plan-sections", "need", "plan-outcome", "provision",
                        "amendment-finalise"],
}
# Steps whose validity depends on more than the stage: the reason they are refused now, or None.
REVIEW_STEPS = {"review-arrange", "review-invitations", "review-meeting", "review-report", "review-decision",
                "amendment-representations", "amendment-finalise"}
# Phase transfers (ehcflow.transfers): offered while valid (ehcflow.transfers.services.step_refusal).
TRANSFER_STEPS = set(transfer_services.TRANSFER_STEPS)
ACTIONS_BY_STAGE[Stage.PLAN_ISSUED] = ACTIONS_BY_STAGE[Stage.PLAN_ISSUED] + sorted(TRANSFER_STEPS, key=[
    "transfer-start", "transfer-setting", "transfer-complete"].index)


# Ceasing and moves between councils (ehcflow.ceasing, ehcflow.moves): offered while valid
# (ehcflow.ceasing.steps.refusal). A ceased plan has no further steps.
LIFECYCLE_STEPS = lifecycle_steps.SLUGS
ACTIONS_BY_STAGE[Stage.PLAN_ISSUED] = ACTIONS_BY_STAGE[Stage.PLAN_ISSUED] + [s[0] for s in lifecycle_steps.SPECS]
ACTIONS_BY_STAGE[Stage.CEASED] = []

# Re-assessment (ehcflow.reassessment): offered while valid (ehcflow.reassessment.services.step_refusal).
REASSESSMENT_STEPS = reassessment_steps.SLUGS
ACTIONS_BY_STAGE[Stage.PLAN_ISSUED] = ACTIONS_BY_STAGE[Stage.PLAN_ISSUED] + [s[0] for s in reassessment_steps.SPECS]


# Steps on a row of the case (advice, consultations) are reached from the case page's tables.
STEPS_ALLOWED = {
    stage: set(actions) | ({"advice-returned"} if "advice" in actions or stage == Stage.DRAFT_SERVED else set())
    | ({"consultation-response"} if "consultation" in actions else set())
    for stage, actions in ACTIONS_BY_STAGE.items()
}
# Mediation and appeals (ehcflow.appeals): also on the closed stages a refusal leads to; offered from the
# section "Mediation and appeals" while valid (ehcflow.appeals.services.step_refusal).
for _stage in appeal_steps.s.STAGES:
    STEPS_ALLOWED.setdefault(_stage, set()).update(appeal_steps.SLUGS)


@staff_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case page: the child, family, deadlines with their legal sources, plan, timeline and next steps."""
    case = _visible_case(request, case_id)
    _record_view(request, case, "case")
    can_change = can_change_case(request.user, case)
    plan = getattr(case, "plan", None) if hasattr(case, "plan") else None
    reviews = review_section(case, timezone.localdate()) if plan is not None and plan.issued_on else None
    actions = _actions(case, reviews) if can_change else []
    review_actions = []
    if case.stage == Stage.PLAN_ISSUED:  # after the plan, the steps sit with the annual reviews they belong to
        review_actions, actions = actions, []
    ceasing_actions = [a for a in review_actions if a.slug in LIFECYCLE_STEPS]  # ehcflow.ceasing, ehcflow.moves
    review_actions = [a for a in review_actions if a.slug not in LIFECYCLE_STEPS]
    reassessment_actions = [a for a in review_actions if a.slug in REASSESSMENT_STEPS]  # ehcflow.reassessment
    review_actions = [a for a in review_actions if a.slug not in REASSESSMENT_STEPS]  # ehcflow.reassessment
    return render(request, "cases/case_detail.html", {
        "case": case, "child": case.child, "deadlines": case_deadline_rows(case), "actions": actions,
        "review_actions": review_actions,
        "can_change": can_change, "plan": plan, "timeline": list(case.timeline.all()),
        "carer_links": list(case.child.carer_links.all()), "today": timezone.localdate(),
        "exceptions": list(case.exceptions.all()), "reviews": reviews,
        "ceasing": ceasing_section(case, timezone.localdate()), "ceasing_actions": ceasing_actions,  # ehcflow.ceasing
        "appeals": appeals_section(case, can_change),  # ehcflow.appeals
        "reassessment": reassessment_section(case, timezone.localdate()),  # ehcflow.reassessment
        "reassessment_actions": reassessment_actions,  # ehcflow.reassessment
    })


@dataclass(frozen=True)
class Action:
    title: str
    url: str
    slug: str


def _actions(case: Case, reviews: dict | None) -> list[Action]:
    """The steps valid now, with their links (review steps act on the plan, the open review or amendment)."""
    out = []
    for slug in ACTIONS_BY_STAGE.get(case.stage, []):
        spec = STEPS[slug]
        target = None
        if case.stage == Stage.PLAN_ISSUED:
            target = {"plan": case.plan, "review": reviews and reviews["open_review"],
                      "amendment": reviews and reviews["open_amendment"]}.get(spec.target)
            if slug in TRANSFER_STEPS:  # ehcflow.transfers
                target = transfer_services.open_transfer(case.plan) if spec.target == "transfer" else target
                if transfer_services.step_refusal(slug, case, target) or (spec.target and target is None):
                    continue
            if slug in LIFECYCLE_STEPS:  # ehcflow.ceasing, ehcflow.moves
                target = lifecycle_steps.default_target(case, slug, spec.target)
                if target is None or lifecycle_steps.refusal(slug, case, target):
                    continue
            if slug in REASSESSMENT_STEPS:  # ehcflow.reassessment
                target = reassessment_steps.default_target(case, slug, spec.target)
                if target is None or reassessment_steps.refusal(slug, case, target):
                    continue
            if review_services.step_refusal(slug, case, target) or (spec.target and target is None):
                continue
        url = (reverse("case_step_target", args=[case.pk, slug, target.pk]) if spec.target
               else reverse("case_step", args=[case.pk, slug]))
        out.append(Action(spec.title, url, slug))
    return out


@staff_required
def plan_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """The EHC plan rendered as a readable document, B, E and F grouped by area of need."""
    case = _visible_case(request, case_id)
    try:
        plan = case.plan
    except Case.plan.RelatedObjectDoesNotExist:
        raise Http404("This case has no plan yet") from None
    _record_view(request, case, "plan")
    from ehcflow.core.codes import AreaOfNeed

    needs, outcomes, provisions = list(plan.needs.all()), list(plan.outcomes.all()), list(plan.provisions.all())
    areas = [
        {"label": label, "needs": [n for n in needs if n.area == value],
         "outcomes": [o for o in outcomes if o.area == value],
         "provisions": [p for p in provisions if p.area == value]}
        for value, label in AreaOfNeed.choices
    ]
    return render(request, "plans/plan_detail.html", {"case": case, "plan": plan, "child": case.child, "areas": areas,
                                                      "version_count": len(plan.versions.all())})


@staff_required
def plan_versions(request: HttpRequest, case_id: int) -> HttpResponse:
    """The plan's issued versions, and what changed between any two, section by section."""
    case = _visible_case(request, case_id)
    try:
        plan = case.plan
    except Case.plan.RelatedObjectDoesNotExist:
        raise Http404("This case has no plan yet") from None
    _record_view(request, case, "plan versions")
    context = version_comparison(plan, request.GET.get("from"), request.GET.get("to"))
    return render(request, "plans/plan_versions.html", {"case": case, "plan": plan, "child": case.child, **context})


# --- Steps ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    """A statutory step a caseworker records: its form, its service and how to call it."""

    slug: str
    title: str
    form_class: type[forms.Form]
    service: Callable[..., Any]
    button: str = "Save"
    hint: str = ""
    target: str = ""  # for steps on a row of the case: "advice" or "consultation"
    success: str = "Saved"
    form_kwargs: Callable[[Case], dict] = field(default=lambda case: {})


def _exception_deadlines(case: Case) -> dict:
    rows = case_deadline_rows(case)
    eligible = [r.deadline for r in rows if r.deadline.key in ("decision_to_assess", "decision_not_to_issue",
                                                                "final_plan", "advice_due")
                and not r.deadline.done and r.deadline.status != "not_applicable"]
    return {"deadlines": eligible}


STEPS: dict[str, Step] = {s.slug: s for s in [
    Step("decision", "Record the decision whether to assess", f.DecisionForm, services.decision_record,
         hint="The council must decide within 6 weeks of the request (SEND Regulations 2014 reg 5(1)).",
         success="Decision recorded"),
    Step("advice", "Send a request for advice", f.AdviceRequestForm, services.advice_request_send,
         hint="Each body has 6 weeks from receiving the request to give its advice (reg 8(1)).",
         success="Advice request recorded"),
    Step("advice-returned", "Record advice returned", f.AdviceReturnedForm, services.advice_return_record,
         target="advice", success="Advice recorded as returned"),
    Step("outcome", "Record the outcome of the assessment", f.OutcomeForm, services.outcome_record,
         hint="A decision not to issue a plan must be notified within 16 weeks of the request (reg 10(1)).",
         success="Outcome recorded"),
    Step("plan-sections", "Edit the plan's sections A, C, D, G, H, J and K", f.PlanSectionsForm,
         plan_services.plan_sections_update, success="Plan sections saved",
         form_kwargs=lambda case: {"initial": {n: getattr(case.plan, n) for n in plan_services.SECTION_FIELDS}}),
    Step("need", "Add a need (section B)", f.NeedForm, plan_services.need_add, success="Need added"),
    Step("plan-outcome", "Add an outcome (section E)", f.OutcomeItemForm, plan_services.outcome_add,
         success="Outcome added"),
    Step("provision", "Add provision (section F)", f.ProvisionForm, plan_services.provision_add,
         hint="Say what support, who provides it, the ratio, how often and for how long.", success="Provision added"),
    Step("draft", "Record the draft plan served", f.DraftForm, services.draft_serve,
         hint="The family then has at least 15 days to comment and ask for a school (reg 13(1)).",
         success="Draft plan recorded as served"),
    Step("comments", "Record the family's comments", f.CommentsForm, services.comments_record,
         success="Comments recorded"),
    Step("consultation", "Consult a school or college", f.ConsultationForm, services.consultation_send,
         hint="The school should respond within 15 days (Code of Practice 9.83).", success="Consultation recorded"),
    Step("consultation-response", "Record the school's response", f.ConsultationResponseForm,
         services.consultation_response_record, target="consultation", success="Response recorded"),
    Step("final", "Issue the final plan", f.FinalPlanForm, services.final_plan_issue,
         hint="The final plan is due within 20 weeks of the request (reg 13(2)).", button="Issue final plan",
         success="Final plan issued"),
    Step("exception", "Record an exception to a time limit", f.ExceptionForm, services.exception_record,
         hint="An exception changes the deadline's status, never its date (regs 8(2), 10(4), 13(3)).",
         success="Exception recorded", form_kwargs=_exception_deadlines),
    Step("withdraw", "Withdraw the request", f.WithdrawForm, services.case_withdraw, button="Withdraw request",
         success="Request withdrawn"),
    # After the plan: annual reviews (CFA s.44; reg 20) and amendments (reg 22).
    Step("review-arrange", "Arrange the annual review", rf.ReviewArrangeForm, review_services.review_arrange,
         target="plan", hint="The review decision is due within 12 months of the plan or the last review decision "
                             "(Children and Families Act 2014 s.44(1)). Invitations and advice go out at least 2 "
                             "weeks before the meeting (reg 20(3)-(4)).", success="Annual review arranged"),
    Step("review-invitations", "Record the review invitations and advice sent", rf.ReviewInvitationsForm,
         review_services.review_invitations_record, target="review",
         hint="At least 2 weeks before the meeting (SEND Regulations 2014 reg 20(3)-(4)).",
         success="Invitations recorded"),
    Step("review-meeting", "Record the review meeting held", rf.ReviewMeetingForm,
         review_services.review_meeting_record, target="review",
         hint="From Year 9 the review must consider preparation for adulthood (reg 20(6)).",
         success="Review meeting recorded"),
    Step("review-report", "Record the review report received", rf.ReviewReportForm,
         review_services.review_report_record, target="review",
         hint="The report is due within 2 weeks of the meeting (reg 20).", success="Review report recorded"),
    Step("review-decision", "Record the council's review decision", rf.ReviewDecisionForm,
         review_services.review_decision_record, target="review",
         hint="Maintain, amend or cease, notified within 4 weeks of the meeting (reg 20; Code of Practice 9.176). "
              "Proposed amendments are sent with the decision (R (L, M & P) v Devon CC [2022] EWHC 493 (Admin)). "
              "A decision to cease is recorded here; the plan then ceases through “Propose to cease the plan”.",
         success="Review decision recorded"),
    Step("amendment-representations", "Record the family's views on the proposed amendments",
         rf.AmendmentRepresentationsForm, review_services.amendment_representations_record, target="amendment",
         hint="The family has at least 15 days to give their views (SEND Regulations 2014 reg 22(2)).",
         success="Family's views recorded"),
    Step("amendment-finalise", "Issue the amended plan or a notice of not amending", rf.AmendmentFinaliseForm,
         review_services.amendment_finalise, target="amendment", button="Issue",
         hint="Within 8 weeks of sending the proposed amendments (SEND Regulations 2014 reg 22(3)-(4)). "
              "Change the plan's content with the plan steps first.", success="Amendment completed"),
]}
# Phase transfers (SEND Regulations 2014 regs 2 and 18; ehcflow.transfers).
STEPS.update({s.slug: s for s in [
    Step("transfer-start", "Start the phase transfer", tf.TransferStartForm, transfer_services.transfer_start,
         target="plan", hint="The plan must be reviewed and amended to name the new setting before 15 February of "
                             "the year of the move, or before 31 March for secondary school to post-16 (SEND "
                             "Regulations 2014 reg 18(1)); at least 5 months before a post-16 move at another time "
                             "(reg 18(2)).", success="Phase transfer started"),
    Step("transfer-setting", "Record the new school or college agreed", tf.TransferSettingForm,
         transfer_services.transfer_setting_record, target="transfer",
         hint="The setting must be of the right phase for the move.", success="New setting recorded"),
    Step("transfer-complete", "Issue the amended plan naming the new setting", tf.TransferCompleteForm,
         transfer_services.transfer_complete, target="transfer", button="Issue amended plan",
         hint="Before 15 February of the year of the move (31 March for secondary school to post-16), SEND "
              "Regulations 2014 reg 18(1).", success="Amended plan issued for the phase transfer"),
]})

# Ceasing and moves between councils (CFA s.45; SEND Regulations 2014 regs 15 and 29-31).
STEPS.update({kw["slug"]: Step(**kw) for kw in lifecycle_steps.step_kwargs()})  # ehcflow.ceasing, ehcflow.moves
STEPS.update({kw["slug"]: Step(**kw) for kw in appeal_steps.step_kwargs()})  # ehcflow.appeals
STEPS.update({kw["slug"]: Step(**kw) for kw in reassessment_steps.step_kwargs()})  # ehcflow.reassessment

# ehcflow.moves: cancel a move that falls through; the reg 16 health commissioning body notice. They act on the
# plan, so the lifecycle rules above offer and refuse them (ehcflow.moves.services.step_refusal).
STEPS.update({kw["slug"]: Step(**kw) for kw in moves_steps.step_kwargs()})
ACTIONS_BY_STAGE[Stage.PLAN_ISSUED] = ACTIONS_BY_STAGE[Stage.PLAN_ISSUED] + [s[0] for s in moves_steps.SPECS]
STEPS_ALLOWED[Stage.PLAN_ISSUED] |= moves_steps.SLUGS
LIFECYCLE_STEPS = LIFECYCLE_STEPS | moves_steps.SLUGS
# end ehcflow.moves


@staff_required
@require_http_methods(["GET", "POST"])
def case_step(request: HttpRequest, case_id: int, step: str, target_id: int | None = None) -> HttpResponse:
    """One form for each statutory step; the service decides whether the step is valid now."""
    spec = STEPS.get(step)
    if spec is None or bool(spec.target) != (target_id is not None):
        raise Http404("No such step")
    case = _visible_case(request, case_id)
    if not can_change_case(request.user, case):
        raise PermissionDenied
    if request.method == "POST":
        # A resent form and a stale form are told so before anything else is said about them.
        if submission_seen(request.POST.get("token")):
            messages.info(request, DuplicateSubmission.message)
            return redirect("case_detail", case_id=case.pk)
        if request.POST.get("version") not in (None, str(case.version)):
            return render(request, "cases/step.html", {
                "case": case, "child": case.child, "step": spec, "refused": StaleForm.message}, status=409)
    if spec.slug not in STEPS_ALLOWED.get(case.stage, ()):
        return render(request, "cases/step.html", {
            "case": case, "child": case.child, "step": spec,
            "refused": f"This step is not possible while the case is at the stage “{case.get_stage_display()}”.",
        }, status=409)
    target = None
    if spec.target:
        target = _target_of(case, spec.target, target_id)
        if target is None:
            raise Http404("No such record on this case")
    refused = _refusal_of(case, spec.slug, target)
    if refused:
        return render(request, "cases/step.html", {
            "case": case, "child": case.child, "step": spec, "refused": f"This step is not possible now. {refused}"},
            status=409)
    if spec.slug in ("plan-sections", "need", "plan-outcome", "provision") and not hasattr(case, "plan"):
        raise Http404("This case has no plan yet")
    extra = spec.form_kwargs(case)
    form = spec.form_class(request.POST or None, case=case, **extra)
    stale = False
    if request.method == "POST" and form.is_valid():
        kwargs = form.payload()
        if spec.target:
            kwargs[spec.target] = target
        else:
            kwargs["case"] = case
        try:
            spec.service(actor=request.user, version=form.cleaned_data["version"], token=form.cleaned_data["token"],
                         **kwargs)
        except DuplicateSubmission as exc:
            messages.info(request, exc.message)
            return redirect("case_detail", case_id=case.pk)
        except StaleForm as exc:
            form.add_error(None, exc.message)
            stale = True
        except NotAllowed:
            raise PermissionDenied from None
        except StepRefused as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, spec.success)
            return redirect("case_detail", case_id=case.pk)
    return render(request, "cases/step.html", {
        "case": case, "child": case.child, "step": spec, "form": form, "target": target, "stale": stale,
    }, status=400 if request.method == "POST" else 200)


def _target_of(case: Case, kind: str, target_id: int):
    """The record of this case a step acts on, found by the app that owns that kind of record."""
    if kind == "transfer":  # ehcflow.transfers
        return transfer_services.transfer_target(case, target_id)
    if kind in lifecycle_steps.TARGETS:  # ehcflow.ceasing, ehcflow.moves
        return lifecycle_steps.target_of(case, kind, target_id)
    if kind in appeal_steps.TARGETS:  # ehcflow.appeals
        return appeal_steps.target_of(case, target_id)
    if kind in reassessment_steps.TARGETS:  # ehcflow.reassessment
        return reassessment_steps.target_of(case, kind, target_id)
    return step_target(case, kind, target_id)  # advice, consultation, plan, review, amendment


def _refusal_of(case: Case, slug: str, target) -> str | None:
    """Why a step is not possible now, asked of the one rule of the app that owns the step.

    Each app's rule is the same function its services apply, so a page never offers what a service refuses.
    """
    if slug in appeal_steps.SLUGS:  # ehcflow.appeals: also on refused requests and ceased plans
        return appeal_steps.refusal(slug, case, target)
    if case.stage != Stage.PLAN_ISSUED:
        return None
    if slug in REVIEW_STEPS or slug in review_services.PLAN_CONTENT_STEPS:
        return review_services.step_refusal(slug, case, target)
    if slug in TRANSFER_STEPS:  # ehcflow.transfers
        return transfer_services.step_refusal(slug, case, target)
    if slug in REASSESSMENT_STEPS:  # ehcflow.reassessment
        return reassessment_steps.refusal(slug, case, target)
    if slug in LIFECYCLE_STEPS:  # ehcflow.ceasing, ehcflow.moves
        return lifecycle_steps.refusal(slug, case, target)
    return None


def _add_errors(form: forms.Form, exc: StepRefused) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@staff_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    """Record a request for an EHC needs assessment for a child new to the service."""
    if not has_change_role(request.user):
        raise PermissionDenied
    child = None
    if "child" in request.GET:
        child = children_visible_to(request.user).filter(pk=_int(request.GET["child"])).first()
        if child is None:
            raise Http404("No such child")
        form = f.RepeatRequestForm(request.POST or None, child=child)
    else:
        form = f.RequestForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.request_record(actor=request.user, token=form.cleaned_data["token"],
                                           **form.service_kwargs())
        except DuplicateSubmission as exc:
            messages.info(request, exc.message)
            return redirect("caseload")
        except NotAllowed:
            raise PermissionDenied from None
        except StepRefused as exc:
            _add_errors(form, exc)
        else:
            child = case.child
            held = (f"{child.team.name}, EHC coordinator {child.coordinator.get_full_name()}"
                    if child.team and child.coordinator else child.team.name if child.team
                    else "not yet allocated to a team: a manager will allocate it")
            messages.success(request, f"Request recorded for {child.full_name}: {held}")
            if can_view_case(request.user, case):
                return redirect("case_detail", case_id=case.pk)
            return redirect("caseload")  # routed to a team this user does not hold
    return render(request, "cases/request_new.html", {"form": form, "nav": "new", "child": child},
                  status=400 if request.method == "POST" else 200)
