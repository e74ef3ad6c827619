"""URLs of the failures module (namespace "failures"; switched off → 404 on all of them)."""

from django.urls import path

from . import views

app_name = "failures"
urlpatterns = [
    path("awarie/", views.resident_index, name="resident_reports"),
    path("biuro/awarie/", views.staff_index, name="staff_queue"),
]
