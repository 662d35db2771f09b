from django.urls import path

from ehcflow.moves import views

urlpatterns = [
    path("moves/in/", views.move_in, name="move_in"),
]
