"""URLs of the online payments module (namespace "online_payments"; switched off → 404 on all of them).
The gateways' notifications arrive on the platform's host (config.urls_public), not here."""

from django.urls import path

from . import views

app_name = "online_payments"
urlpatterns = [
    path("platnosci/", views.start_view, name="start"),
    path("platnosci/<uuid:payment_id>/", views.summary_view, name="summary"),
    path("platnosci/<uuid:payment_id>/zaplac/", views.checkout_view, name="checkout"),
    path("platnosci/<uuid:payment_id>/wynik/", views.result_view, name="result"),
]
