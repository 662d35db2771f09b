from django.urls import path

from ehcflow.appeals import views

urlpatterns = [
    path("appeals/", views.appeals_work_list, name="appeals_work_list"),
]
