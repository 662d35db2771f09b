from django.contrib import admin
from django.urls import include, path

from config.api import api

urlpatterns = [
    path("", include("ehcflow.core.urls")),
    path("", include("ehcflow.accounts.urls")),
    path("", include("ehcflow.deadlines.urls")),
    path("", include("ehcflow.cases.urls")),
    path("", include("ehcflow.reminders.urls")),
    path("", include("ehcflow.ceasing.urls")),
    path("", include("ehcflow.moves.urls")),
    path("", include("ehcflow.transfers.urls")),
    path("", include("ehcflow.appeals.urls")),  # ehcflow.appeals: the appeals work list
    path("", include("ehcflow.teams.urls")),  # ehcflow.teams: the delivery model
    path("", include("ehcflow.sen2.urls")),  # ehcflow.sen2: the SEN2 return
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]
