"""URLs of the documents module (namespace "documents"; switched off → 404 on all of them)."""

from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("dokumenty/", views.resident_index, name="library"),
    path("biuro/dokumenty/", views.staff_index, name="staff_list"),
]
