"""Team configuration, staff and a manager's change of who holds a child: thin pages over the services.

Who may do what is `ehcflow.teams.access` (configuration and staff: council-wide roles; reading a team and its
staff: its managers too) and `ehcflow.teams.allocation.may_override`. A team or person of another council, or
one the user may not see, is "not found"; one they may see but not change is "forbidden".
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ehcflow.accounts.models import Role, User
from ehcflow.cases.access import children_visible_to
from ehcflow.cases.views import _add_errors, _int, staff_required
from ehcflow.core.errors import NotAllowed, StepRefused
from ehcflow.core.models import RecordView
from ehcflow.people.models import Child
from ehcflow.teams import allocation, configuration
from ehcflow.teams.access import can_configure_teams, teams_managed_by
from ehcflow.teams.forms_config import OverrideForm, StaffForm, TeamForm
from ehcflow.teams.models import Team

UNALLOCATED_SHOWN = 50


def _team_or_404(request: HttpRequest, team_id: int) -> Team:
    """The team if the user may see it (every team of their council for those who configure, else the teams
    they manage)."""
    team = teams_managed_by(request.user).filter(pk=team_id).first()
    if team is None:
        raise Http404("No such team")
    return team


@staff_required
def team_list(request: HttpRequest) -> HttpResponse:
    """Every team with its rule in words, priority, targets, children and coordinators; gaps; unallocated."""
    user = request.user
    configures = can_configure_teams(user)
    if not configures and user.role not in {Role.TEAM_MANAGER}:
        raise PermissionDenied
    today = timezone.localdate()
    rows = configuration.team_rows(user=user)
    problems = configuration.configuration_check(la_id=user.la_id, today=today, with_children=False)
    unallocated = allocation.unallocated_children(user=user)
    shown = list(unallocated[:UNALLOCATED_SHOWN])
    return render(request, "teams/config/team_list.html", {
        "rows": rows, "configures": configures, "problems": problems, "unallocated": shown,
        "unallocated_count": unallocated.count() if len(shown) == UNALLOCATED_SHOWN else len(shown),
        "nav": "teams", "today": today})


@staff_required
@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, team_id: int | None = None) -> HttpResponse:
    """Create or change a team; refused with the children affected when the rules would not give each child
    exactly one team."""
    team = _team_or_404(request, team_id) if team_id is not None else None
    if not can_configure_teams(request.user):
        raise PermissionDenied
    version = configuration.team_version(team) if team is not None else ""
    form = TeamForm(request.POST or None, team=team, version=version)
    if request.method == "POST" and form.is_valid():
        try:
            saved = configuration.team_save(actor=request.user, team=team, data=form.team_data(),
                                            today=timezone.localdate(),
                                            version=form.cleaned_data["version"] if team is not None else None)
        except NotAllowed:
            raise PermissionDenied from None
        except StepRefused as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"{saved.name} saved. No child has changed team.")
            return redirect("team_list")
    return render(request, "teams/config/team_form.html", {
        "form": form, "team": team, "nav": "teams",
        "rule": team and configuration.rule_of(team).describe()},
        status=400 if request.method == "POST" else 200)


@staff_required
def team_staff(request: HttpRequest, team_id: int) -> HttpResponse:
    """The team's coordinators and managers: hours, induction, qualifications, absences, target and caseload."""
    team = _team_or_404(request, team_id)
    today = timezone.localdate()
    return render(request, "teams/config/team_staff.html", {
        "team": team, "rows": configuration.staff_rows(team=team, today=today), "today": today,
        "configures": can_configure_teams(request.user), "nav": "teams"})


@staff_required
@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    """A coordinator's teams, hours, induction, qualifications, leaving date and long absence."""
    if not can_configure_teams(request.user):
        raise PermissionDenied
    person = User.objects.filter(la_id=request.user.la_id, role=Role.COORDINATOR, pk=user_id).first()
    if person is None:
        raise Http404("No such coordinator")
    back = _int(request.GET.get("team"))
    form = StaffForm(request.POST or None, user=person, la_id=request.user.la_id,
                     version=configuration.staff_version(person))
    if request.method == "POST" and form.is_valid():
        try:
            configuration.staff_update(actor=request.user, user=person, data=form.staff_data(),
                                       today=timezone.localdate(), version=form.cleaned_data["version"])
        except NotAllowed:
            raise PermissionDenied from None
        except StepRefused as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"{person.get_full_name()}'s details saved")
            if back and Team.objects.filter(la_id=request.user.la_id, pk=back).exists():
                return redirect("team_staff", team_id=back)
            return redirect("team_list")
    return render(request, "teams/config/staff_form.html", {"form": form, "person": person, "back": back,
                                                            "nav": "teams"},
                  status=400 if request.method == "POST" else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def allocation_override(request: HttpRequest, child_id: int) -> HttpResponse:
    """A manager changes the team and/or coordinator holding a child, with a reason."""
    user = request.user
    child = Child.objects.filter(la_id=user.la_id, pk=child_id).select_related("team", "coordinator").first()
    if child is None:
        raise Http404("No such child")
    if not allocation.may_override(user, child):
        if children_visible_to(user).filter(pk=child.pk).exists():
            raise PermissionDenied
        raise Http404("No such child")
    today = timezone.localdate()
    RecordView.objects.create(la_id=child.la_id, user=user, child=child, what="allocation")
    destinations = allocation.override_destinations(user)
    options = allocation.coordinator_options(teams=destinations, today=today)
    form = OverrideForm(request.POST or None, child=child, destinations=destinations, options=options)
    if request.method == "POST" and form.is_valid():
        try:
            allocation.allocation_override(
                actor=user, child=child, to_team=form.cleaned_data["team"],
                to_coordinator=form.cleaned_data["coordinator"], reason=form.cleaned_data["reason"], today=today,
                held=form.held_pair())
        except NotAllowed:
            raise PermissionDenied from None
        except StepRefused as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"{child.full_name} is now held by "
                                      f"{child.coordinator.get_full_name() if child.coordinator else 'no coordinator'}"
                                      f" in the {child.team.name}")
            case = child.cases.filter(stage__in=allocation.ACTIVE_STAGES).order_by("-received_on").first()
            if case is not None and children_visible_to(user).filter(pk=child.pk).exists():
                return redirect("case_detail", case_id=case.pk)
            return redirect("team_list")
    cases = list(child.cases.order_by("-received_on")[:1])
    return render(request, "teams/config/allocation_override.html", {
        "form": form, "child": child, "case": cases[0] if cases else None,
        "can_open_case": children_visible_to(user).filter(pk=child.pk).exists(), "nav": "teams"},
        status=400 if request.method == "POST" else 200)
