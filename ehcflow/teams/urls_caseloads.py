"""URLs of the delivery model: caseloads (ehcflow.teams)."""

from django.urls import path

from ehcflow.teams import views_caseloads

urlpatterns: list = [
    path("teams/caseloads/", views_caseloads.caseloads, name="caseloads"),
    path("teams/caseloads.csv", views_caseloads.caseloads_csv, name="caseloads_csv"),
]
