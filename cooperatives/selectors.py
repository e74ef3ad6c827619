"""Reads of the cooperatives' own rows: the current cooperative, its address and host, the active schemas.
The operators' overview of every cooperative (figures read from each schema) is operators.selectors."""

from django.conf import settings
from django_tenants.utils import get_public_schema_name

from iok.db import connection

from .models import Cooperative, Domain


def cooperative_details() -> Cooperative:
    """The whole row of the current cooperative (address included): the routed tenant object carries
    only what routing needs, so documents that print the address read it here."""
    return Cooperative.objects.get(schema_name=connection.schema_name)


def cooperative_current() -> Cooperative:
    """The cooperative whose schema the connection is on (request, task or schema_context alike)."""
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Cooperative) and tenant.slug:
        return tenant
    return Cooperative.objects.get(schema_name=connection.schema_name)


def cooperative_url(*, path: str) -> str:
    """`path` as an absolute address on the current cooperative's primary host, for e-mails: never from a
    request's Host header, which the client chooses; the bare path when the cooperative has no domain."""
    host = cooperative_primary_host(cooperative=cooperative_current())
    if not host:
        return path
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{settings.SITE_SCHEME}://{host}{port}{path}"


def cooperative_primary_host(*, cooperative: Cooperative) -> str:
    """The cooperative's primary address: its verified custom domain chosen as primary, else the platform's
    subdomain for it ("" for a cooperative without any domain). The one place links take their host from."""
    primary = (Domain.objects.filter(tenant_id=cooperative.pk, state=Domain.State.VERIFIED)
               .order_by("-is_primary", "id").values_list("domain", flat=True).first())
    return primary or ""


def cooperative_schemas_active() -> list[str]:
    """The schemas of the active cooperatives: where periodic jobs run (never public, never a suspended one)."""
    return list(Cooperative.objects.filter(status=Cooperative.Status.ACTIVE)
                .exclude(schema_name=get_public_schema_name()).values_list("schema_name", flat=True))
