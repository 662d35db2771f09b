"""The delivery model's pages: team configuration and staff, allocation, proposals (rebalancing, cohort
transfers, circumstance changes) and caseloads."""

from django.urls import include, path

urlpatterns = [
    path("", include("ehcflow.teams.urls_config")),
    path("", include("ehcflow.teams.urls_proposals")),
    path("", include("ehcflow.teams.urls_caseloads")),
]
