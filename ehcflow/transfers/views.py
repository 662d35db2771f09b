"""The phase-transfer work list: every child with a plan due to move phase this school year, per team."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ehcflow.deadlines.phase_transfer import next_september
from ehcflow.reminders.views import staff_required
from ehcflow.teams.selectors import team_filter
from ehcflow.transfers.selectors import transfer_list, transfer_rows

PAGE_SIZE = 50


@staff_required
def transfer_work_list(request: HttpRequest) -> HttpResponse:
    """Children moving phase on the coming 1 September (and recorded post-16 moves before it)."""
    user = request.user
    today = timezone.localdate()
    teams, team = team_filter(user=user, value=request.GET.get("team"))
    page = Paginator(transfer_list(user=user, today=today, team=team), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "transfers/work_list.html", {
        "nav": "transfers", "title": "Phase transfers", "today": today, "september": next_september(today),
        "rows": transfer_rows(page.object_list, today), "page": page, "teams": teams, "team": team,
        "query": params.urlencode(),
    })
