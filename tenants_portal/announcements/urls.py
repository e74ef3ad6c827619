"""URLs of the announcements module (namespace "announcements"; switched off → 404 on all of them)."""

from django.urls import path

from . import views

app_name = "announcements"
urlpatterns = [
    path("ogloszenia/", views.resident_index, name="resident_list"),
    path("ogloszenia/<int:announcement_id>/", views.resident_detail, name="resident_detail"),
    path("ogloszenia/<int:announcement_id>/zalaczniki/<int:attachment_id>/", views.attachment_view,
         name="attachment"),
    path("biuro/ogloszenia/", views.staff_index, name="staff_list"),
    path("biuro/ogloszenia/nowe/", views.staff_create, name="staff_create"),
    path("biuro/ogloszenia/<int:announcement_id>/", views.staff_detail, name="staff_detail"),
    path("biuro/ogloszenia/<int:announcement_id>/edycja/", views.staff_edit, name="staff_edit"),
    path("biuro/ogloszenia/<int:announcement_id>/wycofanie/", views.staff_withdraw, name="staff_withdraw"),
]
