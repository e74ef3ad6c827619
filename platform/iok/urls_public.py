"""URLs of the platform site (BASE_DOMAIN itself)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from operators import views as operators

urlpatterns = [
    path("", operators.landing, name="landing"),
    path("logowanie/", operators.LoginView.as_view(), name="login"),
    path("wyloguj/", auth_views.LogoutView.as_view(next_page="landing"), name="logout"),
    path("operator/", operators.console, name="home"),
]

handler404 = "iok.errors.not_found"
handler500 = "iok.errors.server_error"
handler403 = "iok.errors.forbidden"
handler400 = "iok.errors.bad_request"
