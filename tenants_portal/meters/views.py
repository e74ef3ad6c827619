"""Meter readings: the resident's meters, history and own readings; the office's review, windows, imports."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from billing_views.imports.services import import_receive
from billing_views.models import ImportRun
from iok.forms import form_add_errors, posted
from iok.pages import page_and_query
from iok.uploads import StoredFile, file_response
from tenants_portal.accounts.http import AuthenticatedRequest
from tenants_portal.accounts.models import User
from tenants_portal.accounts.roles import Section, resident_ensure, section_required
from tenants_portal.registry.selectors import resident_units

from . import selectors, services
from .charts import Bar, consumption_svg
from .forms import (
    MeterSettingsForm,
    ReadingFilterForm,
    ReadingRecordForm,
    ReadingRejectForm,
    ReadingsImportForm,
    ReadingSubmitForm,
    ReadingWindowForm,
)
from .models import Meter, MeterSettings, Reading

reading_staff = section_required(Section.READINGS)
CHART_PERIODS = 12
# A photo sent with a reading that needs the resident's confirmation, already checked and stored.
SESSION_KEPT_PHOTO = "_iok_reading_kept_photo"



def _submit_form(meter: Meter, data=None, files=None) -> ReadingSubmitForm:
    return ReadingSubmitForm(data, files, meter=meter, prefix=f"m{meter.pk}")


def _history(meter: Meter) -> dict:
    """The consumption per period as a chart and as a table (newest first), and the reading awaiting acceptance."""
    periods = selectors.consumption_periods(meter=meter)
    bars = [Bar(label=f"{period.ends_on:%m.%Y}", value=period.consumption,
                value_text=services.value_format(meter=meter, value=period.consumption))
            for period in periods[-CHART_PERIODS:]]
    last = selectors.reading_last_accepted(meter=meter)
    pending = selectors.reading_pending(meter=meter)
    if last is not None and pending is not None and pending.read_on >= last.read_on:
        consumption = pending.value - last.value
        bars.append(Bar(label=f"{pending.read_on:%m.%Y}", value=consumption, pending=True,
                        value_text=services.value_format(meter=meter, value=consumption)))
    chart = consumption_svg(
        bars=bars,
        title=_("Consumption per period: %(meter)s (%(measure)s)") % {"meter": meter, "measure": meter.measure},
        description=_("One bar per period between readings, labelled with the consumption; a dotted bar marked "
                      "with * comes from a reading awaiting acceptance. The same figures are in the table."))
    return {"chart": chart, "periods": list(reversed(periods)), "pending_in_chart": bool(bars and bars[-1].pending),
            "pending": pending}


# ---- resident -------------------------------------------------------------------------------------

@login_required
def resident_index(request: AuthenticatedRequest) -> HttpResponse:
    resident_ensure(request)
    units, unit = resident_units(request=request)
    today = timezone.localdate()
    summaries = selectors.meter_summaries(unit=unit, on=today) if unit is not None else []
    return render(request, "meters/resident_index.html", {
        "units": units, "unit": unit, "today": today,
        "window": selectors.reading_window_open(on=today), "next_window": selectors.reading_window_next(on=today),
        "items": [(summary, _submit_form(summary.meter)) for summary in summaries],
    })


@login_required
def resident_meter(request: AuthenticatedRequest, meter_id: int) -> HttpResponse:
    resident_ensure(request)
    meter = selectors.access_meter(user=request.user, id=meter_id)
    today = timezone.localdate()
    return render(request, "meters/resident_meter.html", {
        "meter": meter, "readings": selectors.readings_of_meter(meter=meter), "today": today,
        "window": selectors.reading_window_open(on=today), "form": _submit_form(meter),
        "verification_expired": meter.verified_until is not None and meter.verified_until < today,
        **_history(meter),
    })


@login_required
def resident_submit(request: AuthenticatedRequest, meter_id: int) -> HttpResponse:
    resident_ensure(request)
    meter = selectors.access_meter(user=request.user, id=meter_id)
    today = timezone.localdate()
    form = _submit_form(meter, posted(request), request.FILES or None)
    kept = _kept_photo(request, meter)
    warning = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.reading_submit(acting_user=request.user, meter=meter, value=data["value"], photo=data["photo"],
                                    kept_photo=kept, confirmed=data["confirm_unusual"], today=today)
        except services.ReadingNeedsConfirmation as unusual:
            warning = unusual.message
            if data["photo"] is not None:
                kept = services.reading_photo_keep(photo=data["photo"])
                request.session[SESSION_KEPT_PHOTO] = {"meter": meter.pk, **kept.__dict__}
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            request.session.pop(SESSION_KEPT_PHOTO, None)
            messages.success(request, _("Thank you. The reading has been saved and is awaiting acceptance "
                                        "by the office."))
            return redirect("meters:resident_meters")
    return render(request, "meters/resident_submit.html", {
        "meter": meter, "form": form, "warning": warning, "window": selectors.reading_window_open(on=today),
        "previous": selectors.reading_previous(meter=meter), "kept_photo": kept if warning else None,
    })


def _kept_photo(request: HttpRequest, meter: Meter) -> StoredFile | None:
    """The photo kept from this meter's reading that awaits confirmation (only while confirming)."""
    if request.method != "POST":
        request.session.pop(SESSION_KEPT_PHOTO, None)
        return None
    kept = dict(request.session.get(SESSION_KEPT_PHOTO) or {})
    return StoredFile(**kept) if kept.pop("meter", None) == meter.pk else None


@login_required
def reading_photo(request: AuthenticatedRequest, reading_id: int) -> FileResponse:
    reading = selectors.access_reading(user=request.user, id=reading_id)
    if not reading.photo_path:
        raise Http404
    return file_response(path=reading.photo_path, content_type=reading.photo_content_type,
                         download_name=f"odczyt-{reading.pk}")


# ---- office ---------------------------------------------------------------------------------------

@reading_staff
def staff_index(request: AuthenticatedRequest) -> HttpResponse:
    filtered = any(key != "page" for key in request.GET)
    form = ReadingFilterForm(request.GET if filtered else None, initial={"status": Reading.Status.SUBMITTED})
    filters: dict[str, Any] = {"status": Reading.Status.SUBMITTED}  # the office's work list by default
    if form.is_bound:
        filters = form.cleaned_data if form.is_valid() else {}
    readings = selectors.readings_filter(**{key: value for key, value in filters.items() if value})
    return render(request, "meters/staff_readings.html", {
        "form": form, **page_and_query(request, readings), "window": selectors.reading_window_open(),
        "plausible_windows": selectors.windows_with_plausible_readings(),
        "choosing": filters.get("status") == Reading.Status.SUBMITTED})


@reading_staff
@require_POST
def staff_readings_accept(request: AuthenticatedRequest) -> HttpResponse:
    """Accept the readings ticked on the list, or every reading of a window that raises no warning."""
    window_id = request.POST.get("window", "")
    if window_id.isdigit():
        window = selectors.access_reading_window(user=request.user, id=int(window_id))
        readings = selectors.readings_plausible(window=window)
    else:
        ids = [int(value) for value in request.POST.getlist("reading") if value.isdigit()]
        readings = selectors.readings_awaiting_of_staff(user=request.user, ids=ids)
        if not ids:
            messages.error(request, _("Please tick the readings to accept."))
    if readings.exists():
        count = services.readings_accept(acting_user=request.user, readings=readings)
        messages.success(request, ngettext("%(count)d reading has been accepted.",
                                           "%(count)d readings have been accepted.", count) % {"count": count})
    elif window_id.isdigit() or ids:
        messages.error(request, _("None of these readings awaits acceptance any more; nothing has changed."))
    return redirect(_back_to_list(request))


def _back_to_list(request: HttpRequest) -> str:
    """The readings list with the filters the clerk was using (only ever a query string of the list)."""
    query = request.POST.get("query", "")
    url = reverse("meters:staff_readings")
    return f"{url}?{QueryDict(query).urlencode()}" if query else url


def _after_decision(reading: Reading) -> HttpResponse:
    """On to the next reading awaiting acceptance, or back to the list when none is left."""
    following = selectors.reading_next_awaiting(after=reading)
    if following is None:
        return redirect("meters:staff_readings")
    return redirect("meters:staff_reading", reading_id=following.pk)


@reading_staff
def staff_reading(request: AuthenticatedRequest, reading_id: int) -> HttpResponse:
    reading = selectors.access_reading(user=request.user, id=reading_id)
    return _staff_reading_page(request, reading, ReadingRejectForm())


def _staff_reading_page(request: HttpRequest, reading: Reading, reject_form: ReadingRejectForm) -> HttpResponse:
    earlier = selectors.reading_last_accepted(meter=reading.meter, on=reading.read_on, exclude=reading)
    return render(request, "meters/staff_reading.html", {
        "reading": reading, "meter": reading.meter, "earlier": earlier,
        "consumption": reading.value - earlier.value if earlier else None, "reject_form": reject_form,
        "recent": selectors.readings_of_meter(meter=reading.meter)[:8],
    })


@reading_staff
@require_POST
def staff_reading_accept(request: AuthenticatedRequest, reading_id: int) -> HttpResponse:
    reading = selectors.access_reading(user=request.user, id=reading_id)
    try:
        services.reading_accept(acting_user=request.user, reading=reading)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("meters:staff_reading", reading_id=reading.pk)
    messages.success(request, _("The reading %(value)s %(measure)s of %(meter)s has been accepted.") % {
        "value": services.value_format(meter=reading.meter, value=reading.value), "measure": reading.meter.measure,
        "meter": reading.meter})
    return _after_decision(reading)


@reading_staff
@require_POST
def staff_reading_reject(request: AuthenticatedRequest, reading_id: int) -> HttpResponse:
    reading = selectors.access_reading(user=request.user, id=reading_id)
    form = ReadingRejectForm(posted(request))
    if form.is_valid():
        try:
            services.reading_reject(acting_user=request.user, reading=reading, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The reading has been rejected; the resident sees the reason."))
            return _after_decision(reading)
    return _staff_reading_page(request, reading, form)


@reading_staff
def staff_windows(request: AuthenticatedRequest) -> HttpResponse:
    form = ReadingWindowForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            window = services.reading_window_create(acting_user=request.user, starts_on=data["starts_on"],
                                                    ends_on=data["ends_on"], note=data["note"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The reading window %(window)s has been created.") % {"window": window})
            return redirect("meters:staff_windows")
    meter_settings = selectors.meter_settings_get()
    settings_form = MeterSettingsForm(instance=meter_settings) if request.user.role == User.Role.ADMIN else None
    return _windows_page(request, form=form, settings_form=settings_form, meter_settings=meter_settings)


@section_required(Section.CONFIGURATION)
@require_POST
def staff_settings(request: AuthenticatedRequest) -> HttpResponse:
    meter_settings = selectors.meter_settings_get()
    form = MeterSettingsForm(posted(request), instance=meter_settings)
    if form.is_valid():
        services.meter_settings_update(acting_user=request.user,
                                       plausibility_factor=form.cleaned_data["plausibility_factor"])
        messages.success(request, _("The settings have been saved."))
        return redirect("meters:staff_windows")
    # The saved settings, not the refused values the form has put on its instance.
    return _windows_page(request, form=ReadingWindowForm(), settings_form=form,
                         meter_settings=selectors.meter_settings_get())


def _windows_page(request: HttpRequest, *, form: ReadingWindowForm, settings_form: MeterSettingsForm | None,
                  meter_settings: MeterSettings) -> HttpResponse:
    return render(request, "meters/staff_windows.html", {
        "form": form, "windows": selectors.reading_windows_list(), "today": timezone.localdate(),
        "settings_form": settings_form, "meter_settings": meter_settings})


@reading_staff
def staff_import(request: AuthenticatedRequest) -> HttpResponse:
    """Upload a readings file to the import engine, then read its run's outcome and report here."""
    form = ReadingsImportForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            received = import_receive(data=upload.read(), filename=upload.name, source=ImportRun.Source.UPLOAD,
                                 acting_user=request.user, kind=ImportRun.Kind.READINGS)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("The file has been received; the import runs in a moment."))
            return redirect(f"{reverse('meters:staff_import')}?run={received.pk}")
    run = selectors.readings_import_run(run_id=request.GET.get("run", ""))
    return render(request, "meters/staff_import.html", {
        "form": form, "run": run, "runs": selectors.readings_import_runs(), "run_query": f"run={run.pk}" if run else "",
        "errors": Paginator(run.row_errors.all(), 50).get_page(request.GET.get("page")) if run else None,
        "in_progress": run is not None and run.status in (ImportRun.Status.PENDING, ImportRun.Status.RUNNING)})


@reading_staff
def staff_units(request: AuthenticatedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    return render(request, "meters/staff_units.html", {
        "query": query, "units": selectors.units_with_meters_search(query=query)})


@reading_staff
def staff_unit(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    unit = selectors.access_unit(user=request.user, id=unit_id)
    return render(request, "meters/staff_unit.html", {
        "unit": unit, "summaries": selectors.meter_summaries(unit=unit),
        "removed": [meter for meter in selectors.meters_of_unit(unit=unit, include_removed=True) if meter.removed_on]})


@reading_staff
def staff_meter(request: AuthenticatedRequest, meter_id: int) -> HttpResponse:
    meter = selectors.access_meter(user=request.user, id=meter_id)
    form = ReadingRecordForm(posted(request), initial={"read_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.reading_record(acting_user=request.user, meter=meter, value=form.cleaned_data["value"],
                                    read_on=form.cleaned_data["read_on"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The reading has been recorded."))
            return redirect("meters:staff_meter", meter_id=meter.pk)
    return render(request, "meters/staff_meter.html", {
        "meter": meter, "form": form, "readings": selectors.readings_of_meter(meter=meter), **_history(meter)})
