"""The phase-transfer work list: every child with a plan due to move phase this school year, per team."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ehcflow.cases.access import user_team_ids
from ehcflow.deadlines.phase_transfer import next_september
from ehcflow.reminders.views import staff_required
from ehcflow.teams.models import Team
from ehcflow.transfers.selectors import transfer_list, transfer_rows

PAGE_SIZE = 50


@staff_required
def transfer_work_list(request: HttpRequest) -> HttpResponse:
    """Children moving phase on the coming 1 September (and recorded post-16 moves before it)."""
    user = request.user
    today = timezone.localdate()
    teams = Team.objects.filter(la_id=user.la_id)
    if not user.sees_whole_council:
        teams = teams.filter(id__in=user_team_ids(user))
    teams = list(teams.order_by("name"))
    try:
        team = int(request.GET.get("team", ""))
    except ValueError:
        team = None
    if team not in {t.pk for t in teams}:
        team = None
    page = Paginator(transfer_list(user=user, today=today, team=team), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "transfers/work_list.html", {
        "nav": "transfers", "title": "Phase transfers", "today": today, "september": next_september(today),
        "rows": transfer_rows(page.object_list, today), "page": page, "teams": teams, "team": team,
        "query": params.urlencode(),
    })
