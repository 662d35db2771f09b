"""Proposals pages: ask for a rebalance, a cohort transfer or the team changes circumstances call for, see
exactly who would move to whom, then approve (all at once) or discard; and the letters to post to families.

Thin over `ehcflow.teams.proposals` and `ehcflow.teams.notices`; who may do what is `ehcflow.teams.access`
(through `proposals.can_decide` / `proposals_visible_to`). A proposal the user may not see is "not found".
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ehcflow.cases.views import _add_errors, staff_required
from ehcflow.core.errors import NotAllowed, StepRefused
from ehcflow.teams import notices, proposals
from ehcflow.teams.access import can_configure_teams, teams_managed_by
from ehcflow.teams.forms_proposals import CircumstancesForm, CohortForm, LettersForm, RebalanceForm
from ehcflow.teams.models import Proposal, ProposalKind, ProposalStatus
from ehcflow.teams.tasks import send_waiting_family_notices

PAGE_SIZE = 50
MOVES_PAGE_SIZE = 100
SHOWN_PER_GROUP = 50


def _managing(request: HttpRequest) -> None:
    """Managers of a team and council-wide roles; everyone else is refused."""
    if not (can_configure_teams(request.user) or teams_managed_by(request.user).exists()):
        raise PermissionDenied


def _leading(request: HttpRequest) -> None:
    if not can_configure_teams(request.user):
        raise PermissionDenied


def _proposal_or_404(request: HttpRequest, pk: int) -> Proposal:
    proposal = proposals.proposals_visible_to(request.user).select_related(
        "team", "created_by", "decided_by").filter(pk=pk).first()
    if proposal is None:
        raise Http404("No such proposal")
    return proposal


def _list_page(request: HttpRequest, form: RebalanceForm, status: int = 200) -> HttpResponse:
    user = request.user
    qs = proposals.proposals_visible_to(user).select_related("team", "created_by").annotate(n=Count("moves")).order_by(
        "-created_at", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "teams/proposals/proposal_list.html", {
        "form": form, "page": page, "leads": can_configure_teams(user), "nav": "teams",
        "letters": notices.letters_to_post(user=user).count()}, status=status)


@staff_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    """Proposals the user may decide, newest first, and the form to ask for a rebalance."""
    _managing(request)
    return _list_page(request, RebalanceForm(user=request.user))


@staff_required
@require_POST
def proposal_rebalance(request: HttpRequest) -> HttpResponse:
    _managing(request)
    form = RebalanceForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            proposal = proposals.proposal_rebalance(actor=request.user, team=form.chosen_team(),
                                                    reason=form.cleaned_data["reason"])
        except NotAllowed:
            raise PermissionDenied from None
        except StepRefused as exc:
            _add_errors(form, exc)
        else:
            return redirect("proposal_detail", proposal.pk)
    return _list_page(request, form, status=400)


@staff_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview: who moves from whom to whom and why, caseloads before and after, what the solver said."""
    proposal = _proposal_or_404(request, pk)
    page = Paginator(proposals.proposal_moves(proposal), MOVES_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    cases = proposals.active_case_ids(m.child_id for m in page.object_list)
    for m in page.object_list:
        m.case_id = cases.get(m.child_id)
    summary = proposal.summary or {}
    moves = summary.get("moves", 0)
    return render(request, "teams/proposals/proposal_detail.html", {
        "proposal": proposal, "page": page, "summary": summary, "moves": moves,
        "gap": (moves - proposal.lower_bound) if proposal.lower_bound is not None else None,
        "can_decide": proposal.status == ProposalStatus.PROPOSED and proposals.can_decide(request.user, proposal),
        "is_rebalance": proposal.kind == ProposalKind.REBALANCE, "nav": "teams"})


def _decide(request: HttpRequest, pk: int, approve: bool) -> HttpResponse:
    proposal = _proposal_or_404(request, pk)
    try:
        if approve:
            moved = proposals.proposal_approve(actor=request.user, proposal=proposal)
        else:
            proposals.proposal_discard(actor=request.user, proposal=proposal)
    except NotAllowed:
        raise PermissionDenied from None
    except StepRefused as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if approve:
            messages.success(request, f"{moved} {'child' if moved == 1 else 'children'} moved. Their families are "
                                      f"being told who their new coordinator is.")
        else:
            messages.success(request, "Proposal discarded. Nobody moved.")
    return redirect("proposal_detail", proposal.pk)


@staff_required
@require_POST
def proposal_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=True)


@staff_required
@require_POST
def proposal_discard(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=False)


@staff_required
@require_http_methods(["GET", "POST"])
def proposal_cohort(request: HttpRequest) -> HttpResponse:
    """Choose a cohort to transfer between teams; the preview is the proposal it makes."""
    _leading(request)
    form = CohortForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = proposals.proposal_cohort(actor=request.user, **form.service_args())
        except NotAllowed:
            raise PermissionDenied from None
        except StepRefused as exc:
            _add_errors(form, exc)
        else:
            return redirect("proposal_detail", proposal.pk)
    return render(request, "teams/proposals/cohort.html", {"form": form, "nav": "teams"},
                  status=400 if form.errors else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def proposal_circumstances(request: HttpRequest) -> HttpResponse:
    """Children whose circumstances now route them to another team, by from → to team; propose the changes."""
    _leading(request)
    changes = proposals.circumstance_changes(user=request.user, today=timezone.localdate())
    form = CircumstancesForm(request.POST if request.method == "POST" else None, groups=changes["groups"])
    if request.method == "POST" and form.is_valid():
        try:
            proposal = proposals.proposal_circumstances(actor=request.user, keys=form.cleaned_data["groups"])
        except StepRefused as exc:
            _add_errors(form, exc)
        else:
            return redirect("proposal_detail", proposal.pk)
    cases = proposals.active_case_ids(row.child_id for g in changes["groups"] for row, _ in g["rows"][:SHOWN_PER_GROUP])
    for g in changes["groups"]:
        g["shown"] = [(row, why, cases.get(row.child_id)) for row, why in g["rows"][:SHOWN_PER_GROUP]]
    return render(request, "teams/proposals/circumstances.html", {
        **changes, "form": form, "nav": "teams", "shown_per_group": SHOWN_PER_GROUP},
        status=400 if form.errors else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def family_letters(request: HttpRequest) -> HttpResponse:
    """Letters to post to families with no email address, to print; staff mark them posted."""
    _managing(request)
    letters = list(notices.letters_to_post(user=request.user))
    form = LettersForm(request.POST if request.method == "POST" else None, letters=letters)
    if request.method == "POST" and request.POST.get("action") == "resend":
        waiting = notices.emails_waiting(user=request.user).count()
        if waiting:
            send_waiting_family_notices.enqueue()
        messages.success(request, f"{waiting} waiting email{'s' if waiting != 1 else ''} handed to the sender.")
        return redirect("family_letters")
    if request.method == "POST" and form.is_valid():
        posted = notices.family_letters_mark_posted(actor=request.user, ids=[int(x) for x in
                                                                             form.cleaned_data["letters"]])
        messages.success(request, f"{posted} letter{'s' if posted != 1 else ''} recorded as posted.")
        return redirect("family_letters")
    return render(request, "teams/proposals/letters.html", {
        "form": form, "letters": letters, "emails_waiting": notices.emails_waiting(user=request.user).count(),
        "nav": "teams"}, status=400 if form.errors else 200)
