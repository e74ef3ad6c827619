"""The host -> cooperative routing table, cached so that routing a request costs no database query.

Entries live in the `platform` cache (Redis, shared by every web process) and are dropped by
signals whenever a domain or a cooperative changes. Each process also keeps what it read for
ROUTING_LOCAL_SECONDS (a few seconds), which saves the Redis round trip on busy hosts: a change
takes effect at once in the process that made it and within those seconds everywhere else.
Unknown hosts are cached too, briefly, so a flood of random subdomains cannot turn into a flood
of queries.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches

from iok.cache import cache_seal, cache_unseal

from .models import Cooperative, Domain

UNKNOWN_HOST_SECONDS = 60
_UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class CooperativeRoute:
    id: int
    schema_name: str
    slug: str
    name: str
    status: str
    # The cooperative's primary address when it is not this host (this host then redirects to it), else "".
    primary_host: str = ""

    @property
    def is_active(self) -> bool:
        return self.status == Cooperative.Status.ACTIVE

    def as_tenant(self, *, hostname: str) -> Cooperative:
        """An in-memory Cooperative carrying what the request needs, without a query."""
        tenant = Cooperative(id=self.id, schema_name=self.schema_name, slug=self.slug, name=self.name,
                             status=self.status)
        tenant._state.adding = False
        tenant._state.db = "default"
        tenant.domain_url = hostname
        return tenant


def _cache_key(hostname: str) -> str:
    return f"route:{hostname}"


# hostname -> (monotonic expiry, route or None); bounded so random hosts cannot grow it forever.
_local: dict[str, tuple[float, "CooperativeRoute | None"]] = {}
_LOCAL_MAX_ENTRIES = 20_000


def route_for_host(*, hostname: str) -> CooperativeRoute | None:
    now = time.monotonic()
    held = _local.get(hostname)
    if held is not None and held[0] > now:
        return held[1]
    route = _route_from_shared_cache(hostname=hostname)
    if settings.ROUTING_LOCAL_SECONDS > 0:
        if len(_local) >= _LOCAL_MAX_ENTRIES:
            _local.clear()
        _local[hostname] = (now + settings.ROUTING_LOCAL_SECONDS, route)
    return route


def _route_from_shared_cache(*, hostname: str) -> CooperativeRoute | None:
    cache = caches["platform"]
    # Sealed for this host: a route planted in Redis, or copied from another host's key, is not taken.
    cached = cache_unseal(cache.get(_cache_key(hostname)), scope=f"route:{hostname}")
    if cached == _UNKNOWN:
        return None
    if cached is not None:
        return CooperativeRoute(**cached)

    # Domain and Cooperative are shared tables; with the connection on any schema, `public`
    # is on the search path, so no schema switch is needed for this rare miss.
    # Only verified names route: a custom domain waiting for its DNS check is an unknown host.
    domain = (
        Domain.objects.select_related("tenant")
        .only("is_primary", "tenant__id", "tenant__schema_name", "tenant__slug", "tenant__name", "tenant__status")
        .filter(domain=hostname, state=Domain.State.VERIFIED)
        .first()
    )
    if domain is None:
        cache.set(_cache_key(hostname), cache_seal(_UNKNOWN, scope=f"route:{hostname}"), UNKNOWN_HOST_SECONDS)
        return None
    tenant = domain.tenant
    primary_host = "" if domain.is_primary else (
        Domain.objects.filter(tenant_id=tenant.id, is_primary=True, state=Domain.State.VERIFIED)
        .values_list("domain", flat=True).first() or "")
    route = CooperativeRoute(id=tenant.id, schema_name=tenant.schema_name, slug=tenant.slug,
                             name=tenant.name, status=tenant.status, primary_host=primary_host)
    cache.set(_cache_key(hostname), cache_seal({
        "id": route.id, "schema_name": route.schema_name, "slug": route.slug,
        "name": route.name, "status": route.status, "primary_host": route.primary_host,
    }, scope=f"route:{hostname}"), settings.ROUTING_CACHE_SECONDS)
    return route


def routes_forget(*, hostnames: list[str]) -> None:
    for hostname in hostnames:
        _local.pop(hostname, None)
    caches["platform"].delete_many([_cache_key(hostname) for hostname in hostnames])


def routes_forget_local() -> None:
    _local.clear()
