from django.urls import path

from ehcflow.deadlines import views

urlpatterns = [path("timescales/", views.timescales, name="timescales")]
