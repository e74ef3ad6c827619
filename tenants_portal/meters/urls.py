"""URLs of the meters module (namespace "meters"; switched off → 404 on all of them)."""

from django.urls import path

from . import views

app_name = "meters"
urlpatterns = [
    path("liczniki/", views.resident_index, name="resident_meters"),
    path("biuro/odczyty/", views.staff_index, name="staff_readings"),
]
