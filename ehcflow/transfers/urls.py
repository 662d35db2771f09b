from django.urls import path

from ehcflow.transfers import views

urlpatterns = [
    path("transfers/", views.transfer_work_list, name="transfer_work_list"),
]
