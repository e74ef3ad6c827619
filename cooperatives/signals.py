"""Drop cached routes whenever what they were built from changes.

The cache is cleared at once and again after commit: a request that read the old row between the
save and the commit could otherwise put the stale route back.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .models import Cooperative, Domain
from .routing import routes_forget


def _forget(hostnames: list[str]) -> None:
    if not hostnames:
        return
    routes_forget(hostnames=hostnames)
    transaction.on_commit(lambda: routes_forget(hostnames=hostnames))


@receiver(pre_save, sender=Domain)
def _remember_previous_domain(sender, instance: Domain, **kwargs) -> None:
    instance._previous_domain = (
        Domain.objects.filter(pk=instance.pk).values_list("domain", flat=True).first() if instance.pk else None
    )


@receiver([post_save, post_delete], sender=Domain)
def _domain_changed(sender, instance: Domain, **kwargs) -> None:
    # Every name of the cooperative: each route carries the cooperative's primary address, and making one
    # name primary unsets the others with an UPDATE (DomainMixin.save) that sends no signal.
    names = set(Domain.objects.filter(tenant_id=instance.tenant_id).values_list("domain", flat=True))
    _forget(sorted(name for name in names | {instance.domain, getattr(instance, "_previous_domain", None)} if name))


@receiver([post_save, post_delete], sender=Cooperative)
def _cooperative_changed(sender, instance: Cooperative, **kwargs) -> None:
    if instance.pk is None:
        return
    _forget(list(Domain.objects.filter(tenant_id=instance.pk).values_list("domain", flat=True)))
