"""A database connection is closed once it has served DB_MAX_SCHEMAS_PER_CONNECTION schemas (iok.db),
so that no PostgreSQL backend keeps the catalog of every cooperative it ever touched."""

import contextlib

from django.db import connection

from cooperatives.models import Cooperative
from iok.db import connection_recycle_if_spread, connection_schemas_served


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_connection_is_closed_after_serving_the_limit_of_schemas(django_db_setup, django_db_blocker, settings):
    settings.DB_MAX_SCHEMAS_PER_CONNECTION = 2
    # Outside a test transaction, as in a web worker between requests; nothing here writes.
    with django_db_blocker.unblock():
        connection.close()
        first = _backend_pid()
        schemas = list(Cooperative.objects.filter(slug__in=["alfa", "beta"]).order_by("slug")
                       .values_list("schema_name", flat=True))
        assert schemas == ["coop_alfa", "coop_beta"]
        assert connection_recycle_if_spread(schema_name="coop_alfa") is False
        assert connection_recycle_if_spread(schema_name="coop_alfa") is False
        assert _backend_pid() == first
        assert connection_recycle_if_spread(schema_name="coop_beta") is True
        assert connection.connection is None

        # The next query opens a new backend, whose count starts again.
        second = _backend_pid()
        assert second != first
        assert connection_schemas_served(schema_name="coop_beta") == 1
        connection.close()


def test_no_limit_keeps_the_connection(django_db_setup, django_db_blocker, settings):
    settings.DB_MAX_SCHEMAS_PER_CONNECTION = 0
    with django_db_blocker.unblock():
        first = _backend_pid()
        for schema in ("coop_alfa", "coop_beta", "public"):
            assert connection_recycle_if_spread(schema_name=schema) is False
        assert _backend_pid() == first
        connection.close()


def test_a_connection_in_a_transaction_is_never_closed(db, settings):
    settings.DB_MAX_SCHEMAS_PER_CONNECTION = 1
    first = _backend_pid()
    assert connection_recycle_if_spread(schema_name="coop_alfa") is False
    assert _backend_pid() == first


def test_routed_requests_count_the_schemas_they_serve(coop_a, coop_b):
    # The test transaction keeps the connection that earlier tests in this worker used (and counted
    # their schemas on); start this connection's count afresh, as a new backend would.
    with contextlib.suppress(AttributeError):
        del connection._iok_schemas_served
    coop_a.client().get("/logowanie/")
    coop_b.client().get("/logowanie/")
    assert connection_schemas_served(schema_name="coop_alfa") == 2
