"""URLs of the meters module (namespace "meters"; switched off → 404 on all of them)."""

from django.urls import path

from . import views

app_name = "meters"
urlpatterns = [
    path("liczniki/", views.resident_index, name="resident_meters"),
    path("liczniki/<int:meter_id>/", views.resident_meter, name="resident_meter"),
    path("liczniki/<int:meter_id>/odczyt/", views.resident_submit, name="resident_submit"),
    path("liczniki/odczyty/<int:reading_id>/zdjecie/", views.reading_photo, name="reading_photo"),
    path("biuro/odczyty/", views.staff_index, name="staff_readings"),
    path("biuro/odczyty/przyjmij/", views.staff_readings_accept, name="staff_readings_accept"),
    path("biuro/odczyty/<int:reading_id>/", views.staff_reading, name="staff_reading"),
    path("biuro/odczyty/<int:reading_id>/przyjmij/", views.staff_reading_accept, name="staff_reading_accept"),
    path("biuro/odczyty/<int:reading_id>/odrzuc/", views.staff_reading_reject, name="staff_reading_reject"),
    path("biuro/odczyty/okna/", views.staff_windows, name="staff_windows"),
    path("biuro/odczyty/ustawienia/", views.staff_settings, name="staff_settings"),
    path("biuro/odczyty/import/", views.staff_import, name="staff_import"),
    path("biuro/liczniki/", views.staff_units, name="staff_units"),
    path("biuro/liczniki/lokal/<int:unit_id>/", views.staff_unit, name="staff_unit"),
    path("biuro/liczniki/<int:meter_id>/", views.staff_meter, name="staff_meter"),
]
