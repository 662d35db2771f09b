from django.urls import path

from ehcflow.ceasing import views

urlpatterns = [
    path("ceasing/", views.age_limit_list, name="age_limit_list"),
]
