"""The database connection as django-tenants extends it (typed), and recycling a connection that has
served too many cooperatives' schemas.

A PostgreSQL backend caches the catalog entries (tables, indexes, columns) of every relation it
has touched and never gives that memory back while it lives: about 1.2 MiB per cooperative schema
for a resident's ledger page (make bench ONLY=schemas: 130 MiB at most with a cap of 100, 523 MiB
without one, over 3,500 schemas). A persistent connection (CONN_MAX_AGE) that a web worker carries from cooperative to
cooperative would grow with every schema it visits, past a gigabyte with 3,500 cooperatives.
So each connection counts the distinct schemas it has served; once that reaches
DB_MAX_SCHEMAS_PER_CONNECTION it is closed after the request, and the next request opens a fresh
backend (a few milliseconds, at most once every few hundred requests). `make bench ONLY=schemas`
measures the result.
"""

from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.db import connection as django_connection

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from psycopg_pool import ConnectionPool

    class TenantDatabaseWrapper(BaseDatabaseWrapper):
        """What django-tenants' backend (ENGINE django_tenants.postgresql_backend) and Django's PostgreSQL
        backend add to a connection. Declared here for the type checker only: django-tenants ships no types."""

        schema_name: str
        tenant: Any  # the Cooperative (cooperatives sits above iok) or django-tenants' FakeTenant
        pool: ConnectionPool | None
        _iok_schemas_served: tuple[Any, set[str]]

        def set_schema(self, schema_name: str, include_public: bool = True, tenant_type: str | None = None) -> None:
            ...

        def set_schema_to_public(self) -> None: ...

        def set_tenant(self, tenant: Any, include_public: bool = True) -> None: ...


# Django's own `connection` (the same per-thread proxy), typed with django-tenants' additions: code that
# reads the schema or switches it imports this one.
connection = cast("TenantDatabaseWrapper", django_connection)


def connection_schemas_served(*, schema_name: str) -> int:
    """Note that the open connection served `schema_name`; returns how many distinct schemas it has.

    The count belongs to the physical connection: a reconnect starts it again.
    """
    raw = connection.connection
    if raw is None:
        return 0
    held: tuple[Any, set[str]] | None = getattr(connection, "_iok_schemas_served", None)
    if held is None or held[0] is not raw:
        held = (raw, set())
        connection._iok_schemas_served = held
    held[1].add(schema_name)
    return len(held[1])


def connection_recycle_if_spread(*, schema_name: str) -> bool:
    """Close the connection when it has served too many schemas; True when it was closed.

    Called after a response (never inside a transaction the request still needs).
    """
    limit = settings.DB_MAX_SCHEMAS_PER_CONNECTION
    served = connection_schemas_served(schema_name=schema_name)
    if not limit or served < limit or connection.in_atomic_block:
        return False
    if connection.pool is not None:
        # Closed first, so that the pool discards the backend instead of keeping it for the next request.
        connection.connection.close()
    connection.close()
    return True
