"""The public verification page of certificates of no arrears: no sign-in, and not gated by the module's switch,
so a certificate already handed out stays verifiable (the look-ups are rate-limited)."""

from django.urls import path

from . import views

app_name = "certificate_verification"
urlpatterns = [
    path("zaswiadczenia/weryfikacja/", views.verification_form, name="form"),
    path("zaswiadczenia/weryfikacja/<str:code>/", views.verification_code, name="code"),
]
