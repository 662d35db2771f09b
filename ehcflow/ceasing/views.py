"""The list of plans reaching their age limit (CFA s.46) within 12 months."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ehcflow.cases.views import staff_required
from ehcflow.ceasing.selectors import plans_reaching_age_limit
from ehcflow.deadlines.rules import age_limit_due


@staff_required
def age_limit_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    page = Paginator(plans_reaching_age_limit(user=request.user, today=today), 50).get_page(request.GET.get("page"))
    rows = [{"case": c, "limit": age_limit_due(c.child.date_of_birth)} for c in page.object_list]
    for row in rows:
        row["passed"] = row["limit"] < today
    return render(request, "ceasing/age_limit.html", {"rows": rows, "page": page, "today": today,
                                                       "nav": "ceasing"})
