"""The console's own pages under /biuro/: start page, staff accounts, the instance's configuration (the other
/biuro/ pages belong to their apps)."""

from django.urls import path

from . import configuration_views as configuration
from . import views

urlpatterns = [
    path("biuro/", views.home_view, name="staff_home"),
    path("biuro/pracownicy/", views.staff_members_view, name="staff_members"),
    path("biuro/pracownicy/haslo-jednorazowe/", views.staff_member_issued_view, name="staff_member_issued"),
    path("biuro/pracownicy/<int:member_id>/", views.staff_member_view, name="staff_member"),
    path("biuro/pracownicy/<int:member_id>/<slug:action>/", views.staff_member_action_view,
         name="staff_member_action"),
    path("biuro/konfiguracja/", configuration.configuration_index_view, name="configuration_index"),
    path("biuro/konfiguracja/wyglad/", configuration.appearance_view, name="configuration_appearance"),
    path("biuro/konfiguracja/e-mail/", configuration.email_sender_view, name="configuration_email"),
    path("biuro/konfiguracja/platnosci/", configuration.payments_view, name="configuration_payments"),
    path("biuro/konfiguracja/platnosci-online/", configuration.online_payments_view,
         name="configuration_online_payments"),
    path("biuro/konfiguracja/logowanie/", configuration.sign_in_policy_view, name="configuration_sign_in"),
    path("biuro/konfiguracja/moduly/", configuration.modules_view, name="configuration_modules"),
    path("biuro/konfiguracja/adresy/", configuration.domains_view, name="configuration_domains"),
    path("biuro/konfiguracja/adresy/<int:domain_id>/<slug:action>/", configuration.domain_action_view,
         name="configuration_domain_action"),
    path("biuro/konfiguracja/adresy/stare-linki/<int:link_id>/usun/", configuration.old_link_remove_view,
         name="configuration_old_link_remove"),
]
