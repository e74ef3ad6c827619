"""URLs of the documents module (namespace "documents"; switched off → 404 on all of them)."""

from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("dokumenty/", views.library_view, name="library"),
    path("dokumenty/<int:document_id>/plik/", views.download_view, name="download"),
    path("biuro/dokumenty/", views.staff_list_view, name="staff_list"),
    path("biuro/dokumenty/nowy/", views.upload_view, name="upload"),
    path("biuro/dokumenty/<int:document_id>/", views.edit_view, name="edit"),
    path("biuro/dokumenty/<int:document_id>/plik/", views.replace_view, name="replace"),
    path("biuro/dokumenty/<int:document_id>/archiwizuj/", views.archive_view, name="archive"),
    path("biuro/dokumenty/<int:document_id>/przywroc/", views.unarchive_view, name="unarchive"),
]
