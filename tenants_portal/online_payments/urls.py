"""URLs of the online payments module (namespace "online_payments"; switched off → 404 on all of them).
The gateways' notifications arrive on the platform's host (config.urls_public), not here. The gateway's
settings are the configuration's (console): they are set before the module can be switched on."""

from django.urls import path

from . import staff_views, views

app_name = "online_payments"
urlpatterns = [
    path("platnosci/", views.start_view, name="start"),
    path("platnosci/<uuid:payment_id>/", views.summary_view, name="summary"),
    path("platnosci/<uuid:payment_id>/zaplac/", views.checkout_view, name="checkout"),
    path("platnosci/<uuid:payment_id>/wynik/", views.result_view, name="result"),
    # The office.
    path("biuro/platnosci/", staff_views.staff_list_view, name="staff_list"),
    path("biuro/platnosci/niezaksiegowane/", staff_views.staff_unbooked_view, name="staff_unbooked"),
    path("biuro/platnosci/eksport.csv", staff_views.staff_export_view, name="staff_export"),
    path("biuro/platnosci/<uuid:payment_id>/", staff_views.staff_detail_view, name="staff_detail"),
]
