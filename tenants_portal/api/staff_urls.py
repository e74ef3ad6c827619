from django.urls import path

from . import staff_views

urlpatterns = [
    path("biuro/klucze-api/", staff_views.api_keys_view, name="staff_api_keys"),
    path("biuro/klucze-api/<int:key_id>/", staff_views.api_key_view, name="staff_api_key"),
    path("biuro/klucze-api/<int:key_id>/nowy-sekret/", staff_views.api_key_rotate_view, name="staff_api_key_rotate"),
    path("biuro/klucze-api/<int:key_id>/odwolaj/", staff_views.api_key_revoke_view, name="staff_api_key_revoke"),
]
