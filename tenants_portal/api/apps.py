from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "tenants_portal.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from tenants_portal.access.export import OwnDataSection, own_data_register
        from tenants_portal.audit.actions import AuditAction
        from tenants_portal.audit.labels import audit_values_register

        from . import (
            receivers,  # noqa: F401 - tokens end with the password and with the account
            selectors,
        )
        from .models import ApiKey

        audit_values_register(actions=[AuditAction.API_KEY_CREATED, AuditAction.API_KEY_REVOKED,
                                       AuditAction.API_KEY_ROTATED, AuditAction.API_KEY_SCOPES_CHANGED,
                                       AuditAction.API_KEY_USED, AuditAction.API_TOKEN_ISSUED,
                                       AuditAction.API_TOKEN_REVOKED, AuditAction.API_TOKENS_REVOKED],
                              values={"scopes": ApiKey.Scope})
        own_data_register(OwnDataSection(
            key="app_sign_ins", title=_("Sign-ins in apps"), collect=selectors.own_data_app_tokens,
            columns={"device": _("Device"), "issued_at": _("Issued at"), "last_used_at": _("Last used"),
                     "expires_at": _("Expires at"), "revoked_at": _("Ended at")}))
