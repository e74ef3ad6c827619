"""URLs of the fee-change notices module (namespace "fee_notices"; switched off → 404 on all of them)."""

from django.urls import path

from . import staff_views

app_name = "fee_notices"
urlpatterns = [
    # The office.
    path("biuro/zmiany-oplat/", staff_views.staff_list_view, name="staff_list"),
    path("biuro/zmiany-oplat/ustawienia/", staff_views.staff_settings_view, name="staff_settings"),
    path("biuro/zmiany-oplat/<int:change_id>/", staff_views.staff_detail_view, name="staff_detail"),
    path("biuro/zmiany-oplat/<int:change_id>/uzasadnienie/", staff_views.staff_justify_view, name="staff_justify"),
    path("biuro/zmiany-oplat/<int:change_id>/uzasadnienie.pdf", staff_views.staff_justification_pdf_view,
         name="staff_justification_pdf"),
    path("biuro/zmiany-oplat/<int:change_id>/wyslij/", staff_views.staff_send_view, name="staff_send"),
    path("biuro/zmiany-oplat/<int:change_id>/doreczenia/", staff_views.staff_delivery_view, name="staff_delivery"),
    path("biuro/zmiany-oplat/<int:change_id>/doreczenia.csv", staff_views.staff_delivery_export_view,
         name="staff_delivery_export"),
]
