from django.db import connection

from .models import Cooperative


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
