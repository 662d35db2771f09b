from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect


def home(request: HttpRequest) -> HttpResponse:
    """Coordinators land on their work (what is due, overdue, waiting), managers and leaders on the cases they oversee; anyone else on the public timescale calculator or sign-in."""
    if request.user.is_authenticated and request.user.is_council_staff:
        return redirect("my_work" if request.user.role == "coordinator" else "team_caseload")
    if request.user.is_authenticated:
        return redirect("timescales")
    return redirect("login")


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
