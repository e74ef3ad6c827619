from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "tenants_portal.access"
    label = "access"
    verbose_name = "Dostęp do IOK"

    def ready(self) -> None:
        from tenants_portal.accounts.passkeys import own_data_passkeys
        from tenants_portal.audit.actions import AuditAction
        from tenants_portal.audit.labels import audit_values_register
        from tenants_portal.notices import selectors as notices

        from .export import OwnDataSection, own_data_register
        from .models import AccessApplication

        audit_values_register(
            actions=[AuditAction.GRANT_APPLICATION_RECORDED, AuditAction.WITHDRAWAL_APPLICATION_RECORDED],
            values={"identity_document": AccessApplication.IdentityDocument})
        # The notices sit below access, so they cannot register their sections themselves; registered here,
        # before any module's (access is installed before the modules), they keep their place on the page.
        own_data_register(OwnDataSection(
            key="notice_choices", title=_("E-mail notices chosen"), collect=notices.own_data_notice_choices,
            columns={"notice": _("Notice"), "send": _("Sent by e-mail")}))
        own_data_register(OwnDataSection(
            key="emails", title=_("E-mails sent to you"), collect=notices.own_data_emails,
            columns={"created_at": _("Created"), "notice": _("Notice"), "to_address": _("Address"),
                     "status": _("Status"), "sent_at": _("Sent")}))
        own_data_register(OwnDataSection(
            key="passkeys", title=_("Passkeys"), collect=own_data_passkeys,
            columns={"name": _("Name"), "created_at": _("Added"), "last_used_at": _("Last used")}))
