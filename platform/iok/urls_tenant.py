"""URLs of a cooperative's host (<slug>.<BASE_DOMAIN>)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from tenants_portal.portal import views as portal

urlpatterns = [
    path("", portal.start, name="start"),
    path("logowanie/", portal.LoginView.as_view(), name="login"),
    path("wyloguj/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/", portal.home, name="home"),
    path("kontakt/", portal.contact, name="contact"),
]

handler404 = "iok.errors.not_found"
handler500 = "iok.errors.server_error"
handler403 = "iok.errors.forbidden"
handler400 = "iok.errors.bad_request"
