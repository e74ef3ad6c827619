from django.db import transaction

from tenants_portal.accounts.models import User
from tenants_portal.audit.services import audit_record

from .models import InstanceSettings
from .selectors import instance_settings_forget


def instance_settings_update(*, acting_user: User, changes: dict) -> list[str]:
    """Apply an admin's changes; every changed setting is audited with its old and new value."""
    with transaction.atomic():
        settings = InstanceSettings.objects.select_for_update().get_or_create(pk=1)[0]
        changed = {name: [getattr(settings, name), value] for name, value in changes.items()
                   if getattr(settings, name) != value}
        for name, (_, value) in changed.items():
            setattr(settings, name, value)
        if changed:
            settings.full_clean()
            settings.save(update_fields=list(changed))
            audit_record(acting_user=acting_user, action="configuration.changed", target="instance_settings",
                         details=changed)
        transaction.on_commit(instance_settings_forget)
    instance_settings_forget()
    return list(changed)
