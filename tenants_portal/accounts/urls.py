"""The second factor's pages, the same on the platform site (operators) and on every cooperative's host."""

from django.urls import path

from . import second_factor_views as views

urlpatterns = [
    path("logowanie/drugi-krok/", views.second_factor_sign_in_view, name="second_factor_sign_in"),
    path("logowanie/aplikacja-uwierzytelniajaca/", views.second_factor_enrol_view, name="second_factor_enrol"),
    path("konto/drugi-skladnik/", views.second_factor_view, name="second_factor"),
    path("konto/drugi-skladnik/kody/", views.second_factor_recovery_codes_view, name="second_factor_recovery_codes"),
    path("konto/drugi-skladnik/nowe-kody/", views.recovery_codes_regenerate_view, name="recovery_codes_regenerate"),
    path("konto/potwierdz-kodem/", views.second_factor_step_up_view, name="second_factor_step_up"),
    # Passkeys as the second factor: checking one (the second step, the step-up), adding one, removing one.
    path("logowanie/drugi-krok/klucz/wyzwanie/", views.second_factor_passkey_options_view,
         name="second_factor_passkey_options"),
    path("logowanie/drugi-krok/klucz/", views.second_factor_passkey_view, name="second_factor_passkey"),
    path("logowanie/drugi-krok/nowy-klucz/wyzwanie/", views.second_factor_passkey_add_options_view,
         name="second_factor_passkey_add_options"),
    path("logowanie/drugi-krok/nowy-klucz/", views.second_factor_passkey_add_view, name="second_factor_passkey_add"),
    path("konto/drugi-skladnik/klucze/<int:passkey_id>/usun/", views.second_factor_passkey_remove_view,
         name="second_factor_passkey_remove"),
]
