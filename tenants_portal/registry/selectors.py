import datetime

from django.db.models import Count, Model, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from iok.access import access_get
from iok.memo import request_memo
from tenants_portal.accounts.models import User
from tenants_portal.accounts.roles import Section, may_use

from .models import Building, Estate, LegalTitle, Office, Person, Unit


def today() -> datetime.date:
    return timezone.localdate()


def _current(on: datetime.date) -> Q:
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))


def legal_titles_current(*, person: Person, on: datetime.date | None = None) -> QuerySet[LegalTitle]:
    return (LegalTitle.objects.filter(_current(on or today()), person=person)
            .select_related("unit__building__estate").order_by("unit__kind", "unit__building__street", "unit__number"))


def units_current_for_person(*, person: Person | None, on: datetime.date | None = None) -> list[Unit]:
    """The units a person holds a current legal title to, flats first; each unit once. Today's are read
    once per request: the menu's unread count, the page and its access checks all ask for them."""
    if person is None:
        return []
    if on is None:
        return list(request_memo(f"units-current:{person.pk}", lambda: _units_current(person=person, on=None)))
    return _units_current(person=person, on=on)


def _units_current(*, person: Person, on: datetime.date | None) -> list[Unit]:
    units: dict[int, Unit] = {}
    for title in legal_titles_current(person=person, on=on):
        units.setdefault(title.unit_id, title.unit)
    return list(units.values())


def people_with_every_title_ended(*, on: datetime.date | None = None) -> QuerySet[Person]:
    """People who have an open account but no current or future legal title any more."""
    on = on or today()
    still_holding = LegalTitle.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=on)).values("person_id")
    return Person.objects.filter(account__isnull=False, account__closed_at__isnull=True).exclude(pk__in=still_holding)


# Each word adds seven conditions over joined tables to one query, so the cost grows with the words (800
# words took 10 s); a name and an address never need more than this.
SEARCH_MAX_WORDS = 5
SEARCH_MAX_WORD_LENGTH = 100


def search_words(query: str) -> tuple[list[str], bool]:
    """The distinct words of a search (a "/" separates words too), at most SEARCH_MAX_WORDS of them, and
    whether any were left out."""
    words: list[str] = []
    for word in query.replace("/", " ").split():
        word = word[:SEARCH_MAX_WORD_LENGTH]
        if word.lower() not in (known.lower() for known in words):
            words.append(word)
    return words[:SEARCH_MAX_WORDS], len(words) > SEARCH_MAX_WORDS


def people_search(*, query: str, limit: int = 50) -> QuerySet[Person]:
    """Find people by name, login, unit address ("Wawel 5/12", "Wawel 5 12") or the unit's accounting
    code ("WAWEL-5-12"); each person comes with their current legal titles (`current_titles`).
    Only the first SEARCH_MAX_WORDS distinct words count."""
    words, _left_out = search_words(query)
    people = Person.objects.select_related("account").prefetch_related(Prefetch(
        "legal_titles", queryset=LegalTitle.objects.filter(_current(today())).select_related("unit__building")
        .order_by("unit__kind", "unit__number"), to_attr="current_titles"))
    if not words:
        return people.none()
    condition = Q()
    for word in words:
        condition &= (Q(first_name__icontains=word) | Q(last_name__icontains=word)
                      | Q(account__username__iexact=word)
                      | Q(legal_titles__unit__code__iexact=word)
                      | Q(legal_titles__unit__building__street__icontains=word)
                      | Q(legal_titles__unit__building__number__iexact=word)
                      | Q(legal_titles__unit__number__iexact=word))
    return people.filter(condition).distinct().order_by("last_name", "first_name")[:limit]


def registry_dependents(*, instance) -> dict[str, int]:
    """What refers to a registry record (rows of any table, many-to-many links included), by kind:
    a record is deleted only when this is empty, so no delete ever cascades or orphans anything."""
    found: dict[str, int] = {}
    for relation in instance._meta.related_objects:
        if relation.many_to_many:
            count = getattr(instance, relation.get_accessor_name()).count()
        else:
            count = relation.related_model._base_manager.filter(**{relation.field.name: instance}).count()
        if count:
            label = str(relation.related_model._meta.verbose_name_plural)
            found[label] = found.get(label, 0) + count
    for field in instance._meta.many_to_many:
        count = getattr(instance, field.name).count()
        if count:
            found[str(field.verbose_name)] = count
    return found


def access_registry_record[RecordT: Model](*, user: User, model: type[RecordT], id: int) -> RecordT:
    """A registry record for staff allowed in the registry; the same 404 for missing and forbidden."""
    return access_get(model._default_manager.all(), pk=id, allowed=may_use(user, Section.REGISTRY))


def estates_list() -> QuerySet[Estate]:
    return Estate.objects.annotate(building_count=Count("buildings", distinct=True),
                                   unit_count=Count("buildings__units", distinct=True)).order_by("name")


def buildings_filter(*, estate: Estate | None = None, query: str = "") -> QuerySet[Building]:
    buildings = Building.objects.select_related("estate", "office").annotate(unit_count=Count("units"))
    if estate is not None:
        buildings = buildings.filter(estate=estate)
    for word in query.split():
        buildings = buildings.filter(Q(street__icontains=word) | Q(number__iexact=word) | Q(city__icontains=word))
    return buildings.order_by("street", "number")


def units_filter(*, building: Building | None = None, kind: str = "", query: str = "") -> QuerySet[Unit]:
    """Units by building, kind, and words matching the accounting code, number or street."""
    units = Unit.objects.select_related("building__estate")
    if building is not None:
        units = units.filter(building=building)
    if kind:
        units = units.filter(kind=kind)
    for word in query.replace("/", " ").split():
        units = units.filter(Q(code__iexact=word) | Q(code__istartswith=word) | Q(number__iexact=word)
                             | Q(building__street__icontains=word) | Q(building__number__iexact=word))
    return units.order_by("building__street", "building__number", "kind", "number")


def offices_list() -> QuerySet[Office]:
    return Office.objects.annotate(building_count=Count("buildings")).order_by("name")


def unit_example() -> tuple[str, str] | None:
    """One of the cooperative's own units as the example in search hints: (its address, its accounting code)."""
    unit = (Unit.objects.select_related("building").exclude(Q(code="") | Q(code__isnull=True))
            .order_by("pk").first())
    if unit is None or unit.code is None:
        return None
    return str(unit).removeprefix("ul. "), unit.code


# The resident's side: whose units, which one they are looking at, their offices.
SESSION_CURRENT_UNIT = "_iok_unit"


def person_of(user) -> Person | None:
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def resident_units(*, request: HttpRequest) -> tuple[list[Unit], Unit | None]:
    """The signed-in resident's current units and the one they are looking at (kept in the session)."""
    units = units_current_for_person(person=person_of(request.user))
    chosen = request.session.get(SESSION_CURRENT_UNIT)
    current = next((unit for unit in units if unit.pk == chosen), units[0] if units else None)
    return units, current


def offices_own_first(*, unit: Unit | None, with_buildings: bool = False) -> list[Office]:
    """Every office, the one serving `unit` (the resident's current one) first (DESIGN: offices module);
    `with_buildings` loads the buildings each serves, for pages that list them."""
    offices = Office.objects.order_by("name")
    if with_buildings:
        offices = offices.prefetch_related("buildings")
    own = unit.building.office_id if unit is not None else None
    return sorted(offices, key=lambda office: office.pk != own)
