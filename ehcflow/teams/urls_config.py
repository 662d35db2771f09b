"""URLs of the delivery model: team configuration, staff and a manager's change of who holds a child."""

from django.urls import path

from ehcflow.teams import views_config as views

urlpatterns = [
    path("teams/", views.team_list, name="team_list"),
    path("teams/new/", views.team_edit, name="team_new"),
    path("teams/<int:team_id>/", views.team_edit, name="team_edit"),
    path("teams/<int:team_id>/staff/", views.team_staff, name="team_staff"),
    path("teams/staff/<int:user_id>/", views.staff_edit, name="staff_edit"),
    path("teams/children/<int:child_id>/allocation/", views.allocation_override, name="allocation_override"),
]
