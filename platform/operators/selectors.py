"""What operators read. Outside a live support grant only aggregate figures of a cooperative (counts,
statuses, dates): never a resident's name, contact data or ledger."""
# ruff: noqa: S608 - the overview's SQL is assembled from model table names and quoted schema names

import datetime
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.core.cache import caches
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_tenants.utils import get_public_schema_name, schema_context

from billing_views.models import ImportRun
from cooperatives.models import Cooperative
from iok.access import access_get
from tenants_portal.accounts.models import User
from tenants_portal.accounts.second_factor import second_factor_enrolled_of
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.models import AuditEvent
from tenants_portal.notices.models import OutboxMessage
from tenants_portal.registry.models import LegalTitle, Person, Unit

from .models import SupportGrant

SUPPORT_PEOPLE_PER_PAGE = 50


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


# --- support access ---------------------------------------------------------------------------------------


def _support_grants_live(*, now: datetime.datetime | None = None) -> QuerySet[SupportGrant]:
    """Grants not withdrawn and not ended, the longest-lasting first."""
    return (SupportGrant.objects.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())
            .order_by("-expires_at"))


def support_grant_live_of(*, cooperative_id: int, now: datetime.datetime | None = None) -> SupportGrant | None:
    return _support_grants_live(now=now).filter(cooperative_id=cooperative_id).first()


def support_grants_of(*, cooperative_id: int, limit: int = 20) -> list[SupportGrant]:
    return list(SupportGrant.objects.filter(cooperative_id=cooperative_id).order_by("-granted_at", "-id")[:limit])


def support_views_recorded(*, limit: int = 50) -> list[AuditEvent]:
    """The pages operators opened under support grants, from the log of the cooperative the connection is on."""
    return list(AuditEvent.objects.filter(action=AuditAction.SUPPORT_VIEWED).order_by("-at", "-id")[:limit])


def access_cooperative(*, user: User, slug: str) -> Cooperative:
    """A cooperative's record for an operator; the same 404 for an unknown slug and a non-operator."""
    return access_get(Cooperative.objects.exclude(schema_name=get_public_schema_name()).prefetch_related("domains"),
                      slug=slug, allowed=user.is_authenticated and user.role == User.Role.OPERATOR)


def access_support_cooperative(*, user: User, slug: str) -> tuple[Cooperative, SupportGrant]:
    """The cooperative and its live support grant; 404, with nothing of the cooperative shown, when the
    user is not an operator, the slug is unknown, or its admin has not granted access (or it ended)."""
    cooperative = access_cooperative(user=user, slug=slug)
    return cooperative, access_get(_support_grants_live(), cooperative_id=cooperative.pk)


def platform_events_of(*, cooperative: Cooperative, limit: int = 30) -> list[AuditEvent]:
    """The platform's audit rows about the cooperative (onboarding, status changes, support access)."""
    with schema_context(get_public_schema_name()):
        return list(AuditEvent.objects.filter(target=cooperative.slug)
                    .filter(Q(action__startswith="cooperative.") | Q(action__startswith="support."))
                    .order_by("-at", "-id")[:limit])


@dataclass(frozen=True)
class SupportPerson:
    person: Person
    units: list[str]
    login: str
    account_state: str  # "none", "active", "closed"


def _current_titles() -> Prefetch:
    today = timezone.localdate()
    return Prefetch("legal_titles", to_attr="current_titles", queryset=LegalTitle.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today), start_date__lte=today).select_related("unit__building"))


def _support_person(person: Person) -> SupportPerson:
    account = person.account
    state = "none" if account is None else "closed" if account.is_closed else "active"
    # Prefetched by _current_titles() (to_attr), an attribute the model's type cannot know.
    titles: list[LegalTitle] = getattr(person, "current_titles")  # noqa: B009
    return SupportPerson(person=person, units=[str(title.unit) for title in titles],
                         login=account.username if account else "", account_state=state)


def support_people_page(*, cooperative: Cooperative, query: str = "", page: int | str = 1) -> Page:
    """The cooperative's residents (name, current units, login, account state), for a support grant."""
    with schema_context(cooperative.schema_name):
        people = Person.objects.select_related("account").prefetch_related(_current_titles())
        for word in query.split():
            people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word)
                                   | Q(account__username__iexact=word))
        paginator = Paginator(people.order_by("last_name", "first_name", "id"), SUPPORT_PEOPLE_PER_PAGE)
        result: Page[Any] = paginator.get_page(page)  # its people become SupportPerson rows below
        result.object_list = [_support_person(person) for person in result.object_list]
        return result


@dataclass(frozen=True)
class SupportPersonDetails:
    person: Person
    units: list[str]
    login: str
    account_state: str
    email: str
    phone: str


def support_person(*, cooperative: Cooperative, person_id: int) -> SupportPersonDetails:
    with schema_context(cooperative.schema_name):
        # The support grant, checked by access_support_cooperative, is what lets the operator see people.
        person = access_get(Person.objects.select_related("account").prefetch_related(_current_titles()), pk=person_id)
        summary = _support_person(person)
        account = person.account
        return SupportPersonDetails(person=person, units=summary.units, login=summary.login,
                                    account_state=summary.account_state, email=account.email if account else "",
                                    phone=account.phone if account else "")


@dataclass(frozen=True)
class OperatorRow:
    operator: User
    second_factor: bool


def operators_list() -> list[OperatorRow]:
    """The platform's operators, each with whether an authenticator app is set up."""
    operators = list(User.objects.filter(role=User.Role.OPERATOR).order_by("username"))
    enrolled = second_factor_enrolled_of(users=operators)
    return [OperatorRow(operator=operator, second_factor=operator.pk in enrolled) for operator in operators]
