"""The office's registry pages: estates, buildings, units and offices. Clerks look things up; admins
add, change and delete (only what nothing depends on)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from iok.forms import form_add_errors, posted
from iok.pages import page_and_query
from tenants_portal.accounts.http import AuthenticatedRequest
from tenants_portal.accounts.roles import Section, may_use, section_required

from . import services
from .forms import BuildingFilterForm, BuildingForm, EstateForm, OfficeForm, UnitFilterForm, UnitForm
from .models import Building, Estate, Office, Unit
from .selectors import access_registry_record, buildings_filter, estates_list, offices_list, units_filter

# Per kind: model, form, list URL name, edit URL name (one edit page, registry/record_form.html, for all).
KINDS: dict[str, tuple[type[Estate | Building | Unit | Office],
                       type[EstateForm | BuildingForm | UnitForm | OfficeForm], str, str]] = {
    "estate": (Estate, EstateForm, "registry_estates", "registry_estate"),
    "building": (Building, BuildingForm, "registry_buildings", "registry_building"),
    "unit": (Unit, UnitForm, "registry_units", "registry_unit"),
    "office": (Office, OfficeForm, "registry_offices", "registry_office"),
}
ADD_TITLES = {"estate": _lazy("Add an estate"), "building": _lazy("Add a building"), "unit": _lazy("Add a unit"),
              "office": _lazy("Add an office")}


@section_required(Section.REGISTRY)
def estates_view(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "registry/estates.html", {"estates": estates_list(),
                                                      "can_edit": may_use(request.user, Section.REGISTRY_EDIT)})


@section_required(Section.REGISTRY)
def buildings_view(request: AuthenticatedRequest) -> HttpResponse:
    form = BuildingFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    buildings = buildings_filter(estate=filters.get("estate"), query=filters.get("q", ""))
    return render(request, "registry/buildings.html", {
        "form": form, **page_and_query(request, buildings),
        "can_edit": may_use(request.user, Section.REGISTRY_EDIT)})


@section_required(Section.REGISTRY)
def units_view(request: AuthenticatedRequest) -> HttpResponse:
    form = UnitFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    units = units_filter(building=filters.get("building"), kind=filters.get("kind", ""), query=filters.get("q", ""))
    return render(request, "registry/units.html", {
        "form": form, **page_and_query(request, units),
        "can_edit": may_use(request.user, Section.REGISTRY_EDIT)})


@section_required(Section.REGISTRY)
def offices_view(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "registry/offices.html", {"offices": offices_list(),
                                                      "can_edit": may_use(request.user, Section.REGISTRY_EDIT)})


def _edit(request: AuthenticatedRequest, kind: str, record_id: int | None) -> HttpResponse:
    model, form_class, list_url, edit_url = KINDS[kind]
    record = access_registry_record(user=request.user, model=model, id=record_id) if record_id else model()
    initial: dict[str, int] = {}
    if record.pk is None and kind == "unit" and request.GET.get("budynek", "").isdigit():
        initial["building"] = int(request.GET["budynek"])
    if record.pk is None and kind == "building" and request.GET.get("osiedle", "").isdigit():
        initial["estate"] = int(request.GET["osiedle"])
    # The form works on its own copy: the service compares the stored values with the new ones.
    form = form_class(posted(request), initial=initial,
                      instance=model._default_manager.get(pk=record.pk) if record.pk else model())
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                changed = services.registry_record_save(
                    acting_user=request.user, instance=record,
                    values={name: form.cleaned_data[name] for name in form.Meta.fields})
                if isinstance(record, Office) and services.office_buildings_set(
                        acting_user=request.user, office=record, buildings=list(form.cleaned_data["buildings"])):
                    changed.append("buildings")
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Saved.") if changed else _("Nothing has changed."))
            return redirect(edit_url, record.pk)
    return render(request, "registry/record_form.html", {
        "form": form, "record": record, "list_url": list_url, "delete_url": f"{edit_url}_delete",
        "add_title": ADD_TITLES[kind]})


@section_required(Section.REGISTRY_EDIT)
def estate_edit_view(request: AuthenticatedRequest, record_id: int | None = None) -> HttpResponse:
    return _edit(request, "estate", record_id)


@section_required(Section.REGISTRY_EDIT)
def building_edit_view(request: AuthenticatedRequest, record_id: int | None = None) -> HttpResponse:
    return _edit(request, "building", record_id)


@section_required(Section.REGISTRY_EDIT)
def unit_edit_view(request: AuthenticatedRequest, record_id: int | None = None) -> HttpResponse:
    return _edit(request, "unit", record_id)


@section_required(Section.REGISTRY_EDIT)
def office_edit_view(request: AuthenticatedRequest, record_id: int | None = None) -> HttpResponse:
    return _edit(request, "office", record_id)


def _delete(request: AuthenticatedRequest, kind: str, record_id: int) -> HttpResponse:
    model, _form, list_url, edit_url = KINDS[kind]
    record = access_registry_record(user=request.user, model=model, id=record_id)
    label = str(record)
    try:
        services.registry_record_delete(acting_user=request.user, instance=record)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(edit_url, record_id)
    messages.success(request, _("%(record)s has been deleted.") % {"record": label})
    return redirect(list_url)


@section_required(Section.REGISTRY_EDIT)
@require_POST
def estate_delete_view(request: AuthenticatedRequest, record_id: int) -> HttpResponse:
    return _delete(request, "estate", record_id)


@section_required(Section.REGISTRY_EDIT)
@require_POST
def building_delete_view(request: AuthenticatedRequest, record_id: int) -> HttpResponse:
    return _delete(request, "building", record_id)


@section_required(Section.REGISTRY_EDIT)
@require_POST
def unit_delete_view(request: AuthenticatedRequest, record_id: int) -> HttpResponse:
    return _delete(request, "unit", record_id)


@section_required(Section.REGISTRY_EDIT)
@require_POST
def office_delete_view(request: AuthenticatedRequest, record_id: int) -> HttpResponse:
    return _delete(request, "office", record_id)
