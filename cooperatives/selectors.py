# ruff: noqa: S608 - the overview's SQL is assembled from model table names and quoted schema names
import datetime
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from django_tenants.utils import get_public_schema_name

from billing_views.models import ImportRun
from tenants_portal.accounts.models import User
from tenants_portal.notices.models import OutboxMessage
from tenants_portal.registry.models import Unit

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


def cooperative_url(*, path: str) -> str:
    """`path` as an absolute address on the current cooperative's primary host, for e-mails: never from a
    request's Host header, which the client chooses; the bare path when the cooperative has no domain."""
    domain = cooperative_current().get_primary_domain()
    if domain is None:
        return path
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{settings.SITE_SCHEME}://{domain.domain}{port}{path}"


def cooperative_schemas_active() -> list[str]:
    """The schemas of the active cooperatives: where periodic jobs run (never public, never a suspended one)."""
    return list(Cooperative.objects.filter(status=Cooperative.Status.ACTIVE)
                .exclude(schema_name=get_public_schema_name()).values_list("schema_name", flat=True))


# --- the operators' overview ---------------------------------------------------------------------------

@dataclass(frozen=True)
class CooperativeFigures:
    """Usage figures of one cooperative, read from its schema: counts only, never a person's data."""

    units: int
    active_accounts: int
    notices_failed: int  # e-mails of notices that could not be delivered (the office sees and resends them)
    last_import_at: datetime.datetime | None
    last_import_status: str
    last_import_kind: str

    @property
    def last_import_status_display(self) -> str:
        return str(dict(ImportRun.Status.choices).get(self.last_import_status, ""))

    @property
    def last_import_kind_display(self) -> str:
        return str(dict(ImportRun.Kind.choices).get(self.last_import_kind, ""))

    @property
    def last_import_failed(self) -> bool:
        return self.last_import_status == ImportRun.Status.FAILED


@dataclass(frozen=True)
class CooperativeOverview:
    cooperative: Cooperative
    domain: str
    figures: CooperativeFigures | None  # None when the cooperative's schema is missing


# Each figure is a scalar subquery over one schema ({schema} is its quoted name); a new one (e.g. notices
# that failed) is one more entry here and one more field of CooperativeFigures.
FIGURES_SQL = {
    "units": f"SELECT count(*) FROM {{schema}}.{Unit._meta.db_table}",
    "active_accounts": (f"SELECT count(*) FROM {{schema}}.{User._meta.db_table} "
                        f"WHERE is_active AND closed_at IS NULL AND role = '{User.Role.RESIDENT.value}'"),
    "notices_failed": (f"SELECT count(*) FROM {{schema}}.{OutboxMessage._meta.db_table} "
                       f"WHERE status = '{OutboxMessage.Status.FAILED.value}'"),
}
_LAST_IMPORT_SQL = (f"SELECT created_at, status, kind FROM {{schema}}.{ImportRun._meta.db_table} "
                    "ORDER BY created_at DESC, id DESC LIMIT 1")
FIGURES_CACHE_SECONDS = 120
# Schemas per query: each query locks the tables it reads until it ends (see schema_template).
FIGURES_SCHEMAS_PER_QUERY = 200


def _figures_key(schema_name: str) -> str:
    return f"cooperative-figures:{schema_name}"


def _figures_read(schema_names: list[str]) -> dict[str, CooperativeFigures]:
    """One UNION ALL query per FIGURES_SCHEMAS_PER_QUERY schemas instead of a few queries per schema."""
    figures: dict[str, CooperativeFigures] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)", [schema_names])
        existing = [row[0] for row in cursor.fetchall()]
        for start in range(0, len(existing), FIGURES_SCHEMAS_PER_QUERY):
            chunk = existing[start:start + FIGURES_SCHEMAS_PER_QUERY]
            parts = []
            for name in chunk:
                schema = connection.ops.quote_name(name)
                scalars = ", ".join(f"({sql.format(schema=schema)})" for sql in FIGURES_SQL.values())
                parts.append(f"SELECT %s, {scalars}, last.created_at, last.status, last.kind FROM (SELECT 1) one "
                             f"LEFT JOIN LATERAL ({_LAST_IMPORT_SQL.format(schema=schema)}) last ON true")
            cursor.execute(" UNION ALL ".join(parts), chunk)
            for name, *values in cursor.fetchall():
                counts = dict(zip(FIGURES_SQL, values[:len(FIGURES_SQL)], strict=True))
                at, status, kind = values[len(FIGURES_SQL):]
                figures[name] = CooperativeFigures(**counts, last_import_at=at, last_import_status=status or "",
                                                   last_import_kind=kind or "")
    return figures


def cooperative_figures(*, schema_names: list[str]) -> dict[str, CooperativeFigures]:
    """Figures per schema, from the platform cache where fresh (FIGURES_CACHE_SECONDS), else read."""
    cache = caches["platform"]
    cached = cache.get_many([_figures_key(name) for name in schema_names])
    # Cached as JSON (settings.CACHES): the time of the last import as ISO text.
    figures = {name: CooperativeFigures(**{
        **cached[_figures_key(name)],
        "last_import_at": parse_datetime(cached[_figures_key(name)]["last_import_at"] or "")})
        for name in schema_names if _figures_key(name) in cached}
    missing = [name for name in schema_names if name not in figures]
    if missing:
        read = _figures_read(missing)
        cache.set_many({_figures_key(name): asdict(value) for name, value in read.items()}, FIGURES_CACHE_SECONDS)
        figures.update(read)
    return figures


def cooperative_figures_forget(*, schema_names: list[str]) -> None:
    caches["platform"].delete_many([_figures_key(name) for name in schema_names])


def cooperatives_filter(*, query: str = "", status: str = "") -> QuerySet[Cooperative]:
    """Every cooperative (never the template, which has no row), by name or address name and status."""
    cooperatives = Cooperative.objects.exclude(schema_name=get_public_schema_name())
    query = query.strip()
    if query:
        cooperatives = cooperatives.filter(Q(name__icontains=query) | Q(slug__icontains=query.lower()))
    if status:
        cooperatives = cooperatives.filter(status=status)
    return cooperatives.prefetch_related("domains").order_by("name", "id")


def cooperatives_overview(*, cooperatives: Iterable[Cooperative]) -> list[CooperativeOverview]:
    """What the operators' list shows of each cooperative: its status and usage figures (units, active
    resident accounts, the last import and how it went), in a fixed number of queries."""
    cooperatives = list(cooperatives)
    figures = cooperative_figures(schema_names=[cooperative.schema_name for cooperative in cooperatives])
    overview = []
    for cooperative in cooperatives:
        domains = sorted(cooperative.domains.all(), key=lambda domain: (not domain.is_primary, domain.domain))
        overview.append(CooperativeOverview(cooperative=cooperative, domain=domains[0].domain if domains else "",
                                            figures=figures.get(cooperative.schema_name)))
    return overview
