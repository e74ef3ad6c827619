from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tenants_portal.accounts"
    label = "accounts"
    verbose_name = "Konta"
