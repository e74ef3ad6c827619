"""Changes to the registry made by staff (estates, buildings, units, offices); every one audited with
its before and after values. The accounting system's registry import keeps its own path."""

import datetime
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from tenants_portal.accounts.models import User
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.services import audit_record

from .models import Building, Estate, Office, Unit
from .selectors import registry_dependents

REGISTRY_MODELS = (Estate, Building, Unit, Office)


class RegistryAuditActions(NamedTuple):
    created: AuditAction
    changed: AuditAction
    deleted: AuditAction


REGISTRY_AUDIT_ACTIONS: dict[type[models.Model], RegistryAuditActions] = {
    Estate: RegistryAuditActions(AuditAction.ESTATE_CREATED, AuditAction.ESTATE_CHANGED, AuditAction.ESTATE_DELETED),
    Building: RegistryAuditActions(AuditAction.BUILDING_CREATED, AuditAction.BUILDING_CHANGED,
                                   AuditAction.BUILDING_DELETED),
    Unit: RegistryAuditActions(AuditAction.UNIT_CREATED, AuditAction.UNIT_CHANGED, AuditAction.UNIT_DELETED),
    Office: RegistryAuditActions(AuditAction.OFFICE_CREATED, AuditAction.OFFICE_CHANGED, AuditAction.OFFICE_DELETED),
}


def _plain(value):
    """A value as the audit row keeps it (JSON)."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Decimal | datetime.date):
        return str(value)
    return value


def registry_record_save(*, acting_user: User, instance: Estate | Building | Unit | Office,
                         values: dict) -> list[str]:
    """Create (instance without pk) or change a registry record; validated by the model (constraints,
    NRB check digits), audited as <kind>.created/changed with {field: [before, after]}."""
    if not isinstance(instance, REGISTRY_MODELS):
        raise TypeError(type(instance))
    creating = instance.pk is None
    changed = {}
    for name, value in values.items():
        before = None if creating else getattr(instance, name)
        if creating or before != value:
            changed[name] = [_plain(before), _plain(value)]
            setattr(instance, name, value)
    if not changed:
        return []
    instance.full_clean()
    with transaction.atomic():
        instance.save()
        actions = REGISTRY_AUDIT_ACTIONS[type(instance)]
        audit_record(acting_user=acting_user, target=str(instance), details=changed,
                     action=actions.created if creating else actions.changed)
    return list(changed)


def office_buildings_set(*, acting_user: User, office: Office, buildings: list[Building]) -> bool:
    """Which buildings the office serves; a building chosen here moves from the office that served it."""
    with transaction.atomic():
        before = sorted(str(building) for building in office.buildings.all())
        after = sorted(str(building) for building in buildings)
        if before == after:
            return False
        Building.objects.filter(office=office).exclude(pk__in=[building.pk for building in buildings]).update(
            office=None)
        Building.objects.filter(pk__in=[building.pk for building in buildings]).update(office=office)
        audit_record(acting_user=acting_user, action=AuditAction.OFFICE_BUILDINGS_CHANGED, target=str(office),
                     details={"buildings": [before, after]})
    return True


def registry_record_delete(*, acting_user: User, instance: Estate | Building | Unit | Office) -> None:
    """Delete a record nothing refers to; otherwise refuse, saying what depends on it."""
    if not isinstance(instance, REGISTRY_MODELS):
        raise TypeError(type(instance))
    with transaction.atomic():
        dependents = registry_dependents(instance=instance)
        if dependents:
            raise ValidationError(
                _("%(record)s cannot be deleted, because records depend on it: %(dependents)s. It stays as it "
                  "is.") % {"record": str(instance), "dependents": ", ".join(
                      f"{label} ({count})" for label, count in dependents.items())}, code="has_dependents")
        label = str(instance)
        instance.delete()
        audit_record(acting_user=acting_user, action=REGISTRY_AUDIT_ACTIONS[type(instance)].deleted,
                     target=label)
