"""URLs of a cooperative's host (<slug>.<BASE_DOMAIN>)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from billing_views import views as ledger
from billing_views.imports import views as imports
from operators import tenant_views as support
from tasks import views as jobs
from tenants_portal.access import account_views as own_account
from tenants_portal.access import passkey_views as passkeys
from tenants_portal.access import views as access
from tenants_portal.accounts import views as accounts
from tenants_portal.configuration import branding_views as branding
from tenants_portal.notices import views as notices
from tenants_portal.portal import views as portal
from tenants_portal.regulation import views as regulation

urlpatterns = [
    path("", portal.start, name="start"),
    path("logowanie/", accounts.LoginView.as_view(), name="login"),
    path("logowanie/klucz/wyzwanie/", accounts.passkey_sign_in_options_view, name="passkey_sign_in_options"),
    path("logowanie/klucz/", accounts.passkey_sign_in_view, name="passkey_sign_in"),
    path("", include("tenants_portal.accounts.urls")),
    path("wyloguj/", auth_views.LogoutView.as_view(), name="logout"),
    path("regulamin/", own_account.regulation_public_view, name="regulation_public"),
    path("wniosek-o-dostep.pdf", access.application_form_pdf_view, name="application_form_pdf"),
    path("kontakt/", portal.contact, name="contact"),
    path("haslo/nie-pamietam/", own_account.PasswordResetRequestView.as_view(), name="password_reset"),
    path("haslo/nie-pamietam/wyslano/", own_account.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("haslo/nowe/<uidb64>/<token>/", own_account.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("haslo/nowe/gotowe/", own_account.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("i18n/", include("django.conf.urls.i18n")),
    # First sign-in steps (FirstLoginMiddleware sends every other page here until done).
    path("pierwsze-logowanie/regulamin/", own_account.regulation_accept_view, name="regulation_accept"),
    path("konto/haslo/", accounts.password_change_view, name="password_change"),
    # The resident's account.
    path("konto/", portal.home, name="home"),
    path("konto/lokal/", portal.unit_switch, name="unit_switch"),
    path("konto/ustawienia/", portal.account_settings, name="account_settings"),
    path("konto/dane-kontaktowe/", own_account.contact_view, name="contact_data"),
    path("konto/dane-kontaktowe/potwierdz-ponownie/", own_account.email_verification_resend_view,
         name="email_verification_resend"),
    path("potwierdz-email/<str:token>/", own_account.email_verify_view, name="email_verify"),
    path("konto/zgody/", own_account.consents_view, name="consents"),
    path("konto/powiadomienia/", notices.notice_preferences_view, name="notice_preferences"),
    path("konto/zgody/<slug:code>/", own_account.consent_change_view, name="consent_change"),
    path("konto/moje-dane/", own_account.own_data_view, name="own_data"),
    path("konto/klucze-dostepu/", passkeys.passkeys_view, name="passkeys"),
    path("konto/klucze-dostepu/wyzwanie/", passkeys.passkey_options_view, name="passkey_options"),
    path("konto/klucze-dostepu/dodaj/", passkeys.passkey_add_view, name="passkey_add"),
    path("konto/klucze-dostepu/<int:passkey_id>/usun/", passkeys.passkey_remove_view, name="passkey_remove"),
    path("rozrachunki/", ledger.ledger_overview_view, name="ledger"),
    path("rozrachunki/historia/", ledger.ledger_history_view, name="ledger_history"),
    path("rozrachunki/wyciag.pdf", ledger.ledger_statement_view, name="ledger_statement"),
    # The office.
    path("biuro/osoby/", access.people_view, name="staff_people"),
    path("biuro/osoby/<int:person_id>/", access.person_view, name="staff_person"),
    path("biuro/osoby/<int:person_id>/wniosek/", access.application_new_view, name="staff_application_new"),
    path("biuro/dane-dostepowe/", access.credentials_view, name="staff_credentials"),
    path("biuro/dane-dostepowe/list.pdf", access.credentials_letter_view, name="staff_credentials_letter"),
    path("biuro/konta/<int:account_id>/", access.account_view, name="staff_account"),
    path("biuro/konta/<int:account_id>/<slug:action>/", access.account_action_view, name="staff_account_action"),
    path("biuro/dziennik/", access.audit_log_view, name="staff_audit_log"),
    path("biuro/zadania/", jobs.job_runs_view, name="job_runs"),
    path("biuro/zadania/ponow/", jobs.job_runs_retry_view, name="job_runs_retry"),
    path("biuro/powiadomienia/", notices.outbox_view, name="notices_outbox"),
    path("biuro/powiadomienia/ponow/", notices.outbox_retry_view, name="notices_outbox_retry"),
    path("biuro/importy/", imports.imports_view, name="staff_imports"),
    path("biuro/importy/folder/", imports.imports_inbox_now_view, name="staff_imports_inbox"),
    path("biuro/importy/<int:run_id>/", imports.import_view, name="staff_import"),
    path("biuro/importy/<int:run_id>/stan/", imports.import_status_view, name="staff_import_status"),
    path("biuro/importy/<int:run_id>/ponow/", imports.import_retry_view, name="staff_import_retry"),
    path("biuro/importy/<int:run_id>/zatwierdz/", imports.import_confirm_view, name="staff_import_confirm"),
    # Switchable modules: each under its own namespace, gated by tenants_portal.modules.
    path("", include("tenants_portal.meters.urls")),
    path("", include("tenants_portal.failures.urls")),
    path("", include("tenants_portal.announcements.urls")),
    path("", include("tenants_portal.documents.urls")),
    path("", include("tenants_portal.online_payments.urls")),
    path("", include("tenants_portal.fee_notices.urls")),
    path("", include("tenants_portal.matters.urls")),
    path("", include("tenants_portal.matters.verification_urls")),
    # The staff console: start page, staff accounts, the instance's configuration; the registry.
    path("", include("tenants_portal.console.urls")),
    path("", include("tenants_portal.registry.urls")),
    path("biuro/konfiguracja/importy/", imports.import_schedule_view, name="configuration_imports"),
    path("wyglad/logo", branding.logo_view, name="brand_logo"),
    path("wyglad/kolory.css", branding.brand_css_view, name="brand_css"),
    path("biuro/konfiguracja/regulamin/", regulation.regulation_versions_view, name="configuration_regulation"),
    # The REST API and the admin's page of its keys.
    path("api/v1/", include("tenants_portal.api.urls")),
    path("", include("tenants_portal.api.staff_urls")),
    path("biuro/konfiguracja/wsparcie/", support.support_grants_view, name="support_grants"),
]

handler404 = "iok.errors.not_found"
handler500 = "iok.errors.server_error"
handler403 = "iok.errors.forbidden"
handler400 = "iok.errors.bad_request"
