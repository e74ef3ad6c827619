"""Writes of the configuration: one audited transaction per change of the instance settings."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from cooperatives.selectors import cooperative_details
from cooperatives.services import cooperative_rename
from iok.uploads import file_delete_on_commit, file_store
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent
from tenants_portal.audit.services import audit_record

from .branding import LogoChecked
from .models import InstanceSettings
from .selectors import instance_settings_forget

LOGO_FOLDER = "branding"


def configuration_change_record(*, acting_user: AbstractBaseUser, changes: dict[str, list]) -> AuditEvent | None:
    """The one audit row of a configuration change: {setting: [before, after]} for what changed."""
    if not changes:
        return None
    return audit_record(acting_user=acting_user, action=AuditAction.CONFIGURATION_CHANGED, target="instance_settings",
                        details=changes)


def instance_settings_update(*, acting_user: AbstractBaseUser, changes: dict, cooperative_name: str | None = None,
                             logo: LogoChecked | None = None, logo_original_name: str = "",
                             logo_remove: bool = False) -> list[str]:
    """Apply an admin's changes to the configuration in one transaction, audited in one row with every
    changed setting's old and new value. `cooperative_name` renames the cooperative (kept in the
    public registry); `logo` (checked by configuration.branding.logo_validate) replaces the logo."""
    with transaction.atomic():
        # Stored in this transaction: the file goes if it rolls back (iok.uploads.file_store).
        stored = file_store(data=logo.data, folder=LOGO_FOLDER, extension=logo.extension,
                            content_type=logo.content_type, original_name=logo_original_name) if logo else None
        settings = InstanceSettings.objects.select_for_update().get_or_create(pk=1)[0]
        changed = {name: [getattr(settings, name), value] for name, value in changes.items()
                   if getattr(settings, name) != value}
        for name, (_, value) in changed.items():
            setattr(settings, name, value)
        old_logo = settings.logo_path
        if stored is not None or (logo_remove and old_logo):
            changed["logo"] = [settings.logo_name or None, stored.original_name if stored else None]
            settings.logo_path = stored.path if stored else ""
            settings.logo_content_type = stored.content_type if stored else ""
            settings.logo_name = stored.original_name if stored else ""
        if changed:
            settings.full_clean()
            settings.save()
        if cooperative_name is not None:
            cooperative = cooperative_details()
            previous = cooperative_rename(cooperative=cooperative, name=cooperative_name)
            if cooperative.name != previous:
                changed["name"] = [previous, cooperative.name]
        configuration_change_record(acting_user=acting_user, changes=changed)
        transaction.on_commit(instance_settings_forget)
        if "logo" in changed and old_logo:
            file_delete_on_commit(path=old_logo)
    instance_settings_forget()
    return list(changed)

