"""URLs of the platform site (BASE_DOMAIN itself)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from operators import views as operators
from tenants_portal.online_payments import views as online_payments

urlpatterns = [
    # The payment gateways' notifications: on the platform's host, whatever a cooperative's own domain.
    path("platnosci/<slug:cooperative>/powiadomienie/", online_payments.notification_view,
         name="payment_notification"),
    # Caddy's on-demand TLS asks which hosts may get a certificate (deploy/caddy).
    path("tls/ask/", operators.tls_ask_view, name="tls_ask"),
    path("", operators.landing, name="landing"),
    path("logowanie/", operators.LoginView.as_view(), name="login"),
    path("", include("tenants_portal.accounts.urls")),
    path("wyloguj/", auth_views.LogoutView.as_view(next_page="landing"), name="logout"),
    path("operator/", operators.console, name="home"),
    path("operator/nowa/", operators.onboard_view, name="operator_onboard"),
    path("operator/operatorzy/", operators.operators_view, name="operators"),
    path("operator/operatorzy/<int:operator_id>/drugi-skladnik/", operators.operator_second_factor_reset_view,
         name="operator_second_factor_reset"),
    path("operator/spoldzielnie/<slug:slug>/", operators.cooperative_view, name="operator_cooperative"),
    path("operator/spoldzielnie/<slug:slug>/zawies/", operators.suspend_view, name="operator_suspend"),
    path("operator/spoldzielnie/<slug:slug>/adresy/", operators.domain_add_view, name="operator_domain_add"),
    path("operator/spoldzielnie/<slug:slug>/adresy/<int:domain_id>/sprawdz/", operators.domain_check_view,
         name="operator_domain_check"),
    path("operator/spoldzielnie/<slug:slug>/wznow/", operators.reactivate_view, name="operator_reactivate"),
    path("operator/spoldzielnie/<slug:slug>/wsparcie/mieszkancy/", operators.support_people_view,
         name="operator_support_people"),
    path("operator/spoldzielnie/<slug:slug>/wsparcie/mieszkancy/<int:person_id>/", operators.support_person_view,
         name="operator_support_person"),
]

handler404 = "iok.errors.not_found"
handler500 = "iok.errors.server_error"
handler403 = "iok.errors.forbidden"
handler400 = "iok.errors.bad_request"
