"""URLs of the failures module (namespace "failures"; switched off → 404 on all of them)."""

from django.urls import path

from . import views

app_name = "failures"
urlpatterns = [
    path("awarie/", views.resident_index, name="resident_reports"),
    path("awarie/nowe/", views.report_new, name="report_new"),
    path("awarie/<int:report_id>/", views.resident_report, name="resident_report"),
    path("awarie/<int:report_id>/zdjecia/<int:photo_id>/", views.report_photo, name="report_photo"),
    path("biuro/awarie/", views.staff_index, name="staff_queue"),
    path("biuro/awarie/<int:report_id>/", views.staff_report, name="staff_report"),
    path("biuro/awarie/<int:report_id>/status/", views.staff_status, name="staff_status"),
    path("biuro/awarie/<int:report_id>/przydzial/", views.staff_assign, name="staff_assign"),
    path("biuro/awarie/<int:report_id>/komentarz/", views.staff_comment, name="staff_comment"),
]
