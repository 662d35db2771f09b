from django.urls import path

from ehcflow.reminders import views

urlpatterns = [
    path("work/", views.my_work, name="my_work"),
    path("work/team/", views.team_work, name="team_work"),
]
