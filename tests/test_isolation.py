"""Nobody in cooperative A reaches anything of cooperative B."""

from django.core.cache import cache
from django.db import connection
from django_tenants.utils import schema_context

from tenants_portal.registry.models import Office


def test_a_request_on_a_host_reads_only_that_cooperatives_rows(coop_a, coop_b):
    page_a = coop_a.client().get("/kontakt/").content.decode()
    page_b = coop_b.client().get("/kontakt/").content.decode()
    assert "Administracja Alfa" in page_a and "Administracja Beta" not in page_a
    assert "Administracja Beta" in page_b and "Administracja Alfa" not in page_b


def test_same_login_in_two_cooperatives_is_two_separate_accounts(coop_a, coop_b):
    assert coop_a.resident.username == coop_b.resident.username == "lokator"
    home_a = coop_a.client_logged_in_as(coop_a.resident).get("/konto/")
    home_b = coop_b.client_logged_in_as(coop_b.resident).get("/konto/")
    assert home_a.context["user"].get_full_name() == "Jan Janska"
    assert home_b.context["user"].get_full_name() == "Maria Mariaska"
    assert "Maria" not in home_a.content.decode()
    assert home_a.context["user"].pk is not None and home_a.context["user"].check_password("correct-horse-42")


def test_session_of_a_replayed_on_b_is_refused(coop_a, coop_b):
    client_a = coop_a.client_logged_in_as(coop_a.resident)
    session_id = client_a.cookies["sessionid"].value
    assert client_a.get("/konto/").status_code == 200

    client_b = coop_b.client()
    client_b.cookies["sessionid"] = session_id  # replayed by hand on the other host
    response = client_b.get("/konto/")
    assert response.status_code == 302
    assert response["Location"] == "/logowanie/?next=/konto/"
    # and the session on A is untouched
    assert client_a.get("/konto/").status_code == 200


def test_cache_keys_carry_the_schema(coop_a, coop_b):
    with schema_context(coop_a.schema_name):
        cache.set("greeting", "alfa")
    with schema_context(coop_b.schema_name):
        assert cache.get("greeting") is None
        cache.set("greeting", "beta")
    with schema_context(coop_a.schema_name):
        assert cache.get("greeting") == "alfa"
        cache.delete("greeting")
    with schema_context(coop_b.schema_name):
        cache.delete("greeting")


def _tables(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s", [schema])
        return {row[0] for row in cursor.fetchall()}


def test_tenant_tables_only_in_cooperative_schemas_and_shared_only_in_public(coop_a):
    public, tenant = _tables("public"), _tables(coop_a.schema_name)
    assert {"registry_unit", "registry_building", "registry_estate", "registry_office"} <= tenant
    assert not {"registry_unit", "registry_building", "registry_estate", "registry_office"} & public
    assert {"cooperatives_cooperative", "cooperatives_domain"} <= public
    assert not {"cooperatives_cooperative", "cooperatives_domain"} & tenant


def test_orm_in_one_schema_does_not_see_the_other(coop_a, coop_b):
    with schema_context(coop_a.schema_name):
        assert list(Office.objects.values_list("name", flat=True)) == ["Administracja Alfa"]
    with schema_context(coop_b.schema_name):
        assert list(Office.objects.values_list("name", flat=True)) == ["Administracja Beta"]
