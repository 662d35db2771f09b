"""The caseloads page and its CSV export: thin, reading through `ehcflow.teams.caseloads`.

Managers see their own teams, leaders and administrators every team of their council
(`ehcflow.teams.access.teams_managed_by`); coordinators and everyone else are refused.
"""

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ehcflow.teams import caseloads as c


def _team_param(request: HttpRequest) -> int | None:
    try:
        return int(request.GET.get("team", ""))
    except ValueError:
        return None


def _read(request: HttpRequest, *, with_forecast: bool) -> c.Caseloads:
    if not c.may_see_caseloads(request.user):
        raise PermissionDenied
    return c.caseloads_for(user=request.user, today=timezone.localdate(), team_id=_team_param(request),
                           with_forecast=with_forecast)


@require_GET
@login_required
def caseloads(request: HttpRequest) -> HttpResponse:
    """Caseloads against target per team and coordinator, the mix of work, and each team's forecast."""
    data = _read(request, with_forecast=True)
    all_teams = c.visible_teams(request.user)
    chosen = _team_param(request)
    query = f"?team={chosen}" if chosen in {t.pk for t in all_teams} else ""
    return render(request, "teams/caseloads/caseloads.html", {
        "data": data, "stages": c.STAGES, "all_teams": all_teams, "chosen": chosen, "csv_query": query,
        "nav": "teams", "title": "Caseloads", "rate_lag_months": c.RATE_LAG_MONTHS,
        "induction_weeks": c.INDUCTION_WEEKS, "undecided_cease_months": c.UNDECIDED_CEASE_MONTHS,
    })


@require_GET
@login_required
def caseloads_csv(request: HttpRequest) -> HttpResponse:
    """The same figures per coordinator, one row per coordinator per team, for a spreadsheet."""
    data = _read(request, with_forecast=False)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="caseloads-{data.today.isoformat()}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the names as UTF-8
    writer = csv.writer(response)
    writer.writerow(c.csv_header())
    writer.writerows(c.csv_rows(data))
    return response
