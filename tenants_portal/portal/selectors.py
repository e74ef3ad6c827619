from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from tenants_portal.registry.models import Office, Person, Unit
from tenants_portal.registry.selectors import units_current_for_person

SESSION_CURRENT_UNIT = "_iok_unit"


def resident_ensure(request: HttpRequest) -> None:
    """Resident-only pages: staff and operators get the same 404 as for a page that does not exist."""
    if not request.user.is_resident:
        raise Http404


def offices_list() -> QuerySet[Office]:
    return Office.objects.order_by("name")


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
    offices = offices_list()
    if with_buildings:
        offices = offices.prefetch_related("buildings")
    own = unit.building.office_id if unit is not None else None
    return sorted(offices, key=lambda office: office.pk != own)
