from django.urls import path

from ehcflow.cases import views

urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("caseload/team/", views.team_caseload, name="team_caseload"),
    path("cases/new/", views.request_new, name="request_new"),
    path("cases/<int:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<int:case_id>/plan/", views.plan_detail, name="plan_detail"),
    path("cases/<int:case_id>/plan/versions/", views.plan_versions, name="plan_versions"),
    path("cases/<int:case_id>/<slug:step>/", views.case_step, name="case_step"),
    path("cases/<int:case_id>/<slug:step>/<int:target_id>/", views.case_step, name="case_step_target"),
]
