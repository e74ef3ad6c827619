"""URLs of the announcements module (namespace "announcements"; switched off → 404 on all of them)."""

from django.urls import path

from . import views

app_name = "announcements"
urlpatterns = [
    path("ogloszenia/", views.resident_index, name="resident_list"),
    path("biuro/ogloszenia/", views.staff_index, name="staff_list"),
]
