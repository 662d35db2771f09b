"""URLs of the delivery model: proposals (rebalancing, cohort transfers, circumstance changes) and the letters
to post to families (ehcflow.teams)."""

from django.urls import path

from ehcflow.teams import views_proposals as views

urlpatterns: list = [
    path("teams/proposals/", views.proposal_list, name="proposal_list"),
    path("teams/proposals/rebalance/", views.proposal_rebalance, name="proposal_rebalance"),
    path("teams/proposals/cohort/", views.proposal_cohort, name="proposal_cohort"),
    path("teams/proposals/circumstances/", views.proposal_circumstances, name="proposal_circumstances"),
    path("teams/proposals/letters/", views.family_letters, name="family_letters"),
    path("teams/proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("teams/proposals/<int:pk>/approve/", views.proposal_approve, name="proposal_approve"),
    path("teams/proposals/<int:pk>/discard/", views.proposal_discard, name="proposal_discard"),
]
