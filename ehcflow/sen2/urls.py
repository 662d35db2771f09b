from django.urls import path

from ehcflow.sen2 import views

urlpatterns = [
    path("sen2/", views.hub, name="sen2_hub"),
    path("sen2/export/", views.export, name="sen2_export"),
    path("sen2/validate/", views.validate, name="sen2_validate"),
    path("sen2/import/", views.import_upload, name="sen2_import"),
    path("sen2/import/confirm/", views.import_confirm, name="sen2_import_confirm"),
    path("sen2/data-quality/", views.data_quality, name="sen2_data_quality"),
    path("sen2/data-quality/check/", views.quality_check_now, name="sen2_quality_check"),
    path("sen2/council/", views.council_officers, name="sen2_council_officers"),
    path("sen2/children/<int:child_id>/", views.child_details, name="sen2_child"),
    path("sen2/children/<int:child_id>/placements/", views.placement_add, name="sen2_placement_add"),
    path("sen2/children/<int:child_id>/placements/<int:placement_id>/left/", views.placement_leave,
         name="sen2_placement_leave"),
]
