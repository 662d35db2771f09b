"""The appeals work list: every open disagreement the user may see, where it is and the council's next deadline."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ehcflow.appeals.selectors import WHERE, open_disagreements, work_rows
from ehcflow.cases.views import staff_required
from ehcflow.teams.selectors import team_filter

PAGE_SIZE = 50


def _choice(value: str, allowed) -> str | None:
    return value if value in allowed else None


@staff_required
def appeals_work_list(request: HttpRequest) -> HttpResponse:
    """Open mediation and appeals, soonest council deadline first; filter by team and by where each one is."""
    user = request.user
    today = timezone.localdate()
    teams, team = team_filter(user=user, value=request.GET.get("team"))
    where = _choice(request.GET.get("where", ""), WHERE)
    rows = work_rows(open_disagreements(user=user, today=today, team=team), today)
    counts = {code: 0 for code in WHERE}
    for row in rows:
        counts[row.where] += 1
    if where:
        rows = [r for r in rows if r.where == where]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "appeals/work_list.html", {
        "nav": "appeals", "title": "Mediation and appeals", "today": today, "rows": page.object_list,
        "page": page, "teams": teams, "team": team, "where": where,
        "stages": [(code, label, counts[code]) for code, label in WHERE.items()], "query": params.urlencode(),
    })
