"""The registry pages under /biuro/rejestr/."""

from django.urls import path

from . import views

urlpatterns = [
    path("biuro/rejestr/", views.estates_view, name="registry_estates"),
    path("biuro/rejestr/osiedla/nowe/", views.estate_edit_view, name="registry_estate_new"),
    path("biuro/rejestr/osiedla/<int:record_id>/", views.estate_edit_view, name="registry_estate"),
    path("biuro/rejestr/osiedla/<int:record_id>/usun/", views.estate_delete_view, name="registry_estate_delete"),
    path("biuro/rejestr/budynki/", views.buildings_view, name="registry_buildings"),
    path("biuro/rejestr/budynki/nowy/", views.building_edit_view, name="registry_building_new"),
    path("biuro/rejestr/budynki/<int:record_id>/", views.building_edit_view, name="registry_building"),
    path("biuro/rejestr/budynki/<int:record_id>/usun/", views.building_delete_view, name="registry_building_delete"),
    path("biuro/rejestr/lokale/", views.units_view, name="registry_units"),
    path("biuro/rejestr/lokale/nowy/", views.unit_edit_view, name="registry_unit_new"),
    path("biuro/rejestr/lokale/<int:record_id>/", views.unit_edit_view, name="registry_unit"),
    path("biuro/rejestr/lokale/<int:record_id>/usun/", views.unit_delete_view, name="registry_unit_delete"),
    path("biuro/rejestr/administracje/", views.offices_view, name="registry_offices"),
    path("biuro/rejestr/administracje/nowa/", views.office_edit_view, name="registry_office_new"),
    path("biuro/rejestr/administracje/<int:record_id>/", views.office_edit_view, name="registry_office"),
    path("biuro/rejestr/administracje/<int:record_id>/usun/", views.office_delete_view,
         name="registry_office_delete"),
]
