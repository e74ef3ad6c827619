"""Online payments, the office's side (Section.PAYMENTS: admins and clerks): every payment with filters,
one payment's details, those the accounting system has not booked in time with the manual booking, and
the export of paid payments in the accounting system's payments format. Under the module's namespace,
so a cooperative that has switched the module off answers 404 here too."""

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from iok.access import access_get
from iok.http import file_generated_response
from iok.pages import page_and_query
from iok.ratelimits import client_address
from tenants_portal.accounts.http import AuthenticatedRequest
from tenants_portal.accounts.roles import Section, section_required

from . import selectors, services
from .staff_forms import BookByEntryForm, ExportForm, PaymentsFilterForm


def _stage_label(payment) -> str:
    return str(selectors.STAGE_LABELS[selectors.payment_stage(payment)])


@section_required(Section.PAYMENTS)
def staff_list_view(request: AuthenticatedRequest) -> HttpResponse:
    form = PaymentsFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    payments = selectors.payments_for_office(stage=filters.get("etap", ""), date_from=filters.get("od"),
                                             date_to=filters.get("do"), search=filters.get("szukaj", ""))
    listing = page_and_query(request, payments)
    rows = [(payment, _stage_label(payment)) for payment in listing["page"]]
    gateway_settings = selectors.gateway_settings_get()
    return render(request, "online_payments/staff_list.html", {
        # Its own ids: the filters on the same page have fields of the same names.
        "form": form, "rows": rows, **listing, "export_form": ExportForm(auto_id="id_export_%s"),
        "unbooked": selectors.allocations_unbooked(days=gateway_settings.unbooked_after_days).count(),
    }, status=200 if not form.is_bound or form.is_valid() else 400)


@section_required(Section.PAYMENTS)
def staff_detail_view(request: AuthenticatedRequest, payment_id: uuid.UUID) -> HttpResponse:
    payment = access_get(selectors.payments_for_office(), pk=payment_id)
    allocations = payment.allocations.select_related("unit", "settled_entry", "provisional_entry")
    return render(request, "online_payments/staff_detail.html", {
        "payment": payment, "stage": _stage_label(payment), "allocations": allocations,
        "amount": payment.amount_required - payment.fee})


@section_required(Section.PAYMENTS)
def staff_unbooked_view(request: AuthenticatedRequest) -> HttpResponse:
    """The paid payments the accounting system's import has not booked in the cooperative's days, with what
    to do; a clerk may book one by the imported entry whose reference does not name it."""
    gateway_settings = selectors.gateway_settings_get()
    posted_allocation = request.POST.get("allocation", "") if request.method == "POST" else ""
    # One form per row: each row's fields get ids of their own.
    form = BookByEntryForm(request.POST if request.method == "POST" else None,
                           auto_id=f"id_%s_{posted_allocation}" if posted_allocation.isdigit() else "id_%s")
    failed_allocation = None
    if request.method == "POST":
        if form.is_valid():
            try:
                allocation = services.allocation_book_by_entry(
                    acting_user=request.user, allocation_id=form.cleaned_data["allocation"],
                    entry_source_id=form.cleaned_data["entry"], ip_address=client_address(request))
            except services.BookingRefused as refused:
                form.add_error("entry", refused.message)
            else:
                messages.success(request, _booked_message(allocation))
                return redirect("online_payments:staff_unbooked")
        failed_allocation = posted_allocation
    allocations = list(selectors.allocations_unbooked(days=gateway_settings.unbooked_after_days))
    rows = [(allocation, form if str(allocation.pk) == failed_allocation
             else BookByEntryForm(initial={"allocation": allocation.pk}, auto_id=f"id_%s_{allocation.pk}"))
            for allocation in allocations]
    return render(request, "online_payments/staff_unbooked.html", {
        "rows": rows, "days": gateway_settings.unbooked_after_days,
        # A refusal for a payment no longer on the list (booked meanwhile) is shown above it.
        "form_errors": form.errors if form.is_bound and failed_allocation not in {str(a.pk) for a in allocations}
        else None,
    }, status=400 if request.method == "POST" else 200)


def _booked_message(allocation) -> str:
    return _("Online payment %(reference)s for unit %(unit)s is booked by the entry %(entry)s.") % {
        "reference": allocation.payment.reference, "unit": allocation.unit.code or allocation.unit,
        "entry": allocation.settled_entry.source_id if allocation.settled_entry else ""}


@section_required(Section.PAYMENTS)
def staff_export_view(request: AuthenticatedRequest) -> HttpResponse:
    """The CSV of paid payments not yet booked (?od=&do=, the days they were paid), or the form again with
    what is wrong in the dates."""
    form = ExportForm(request.GET)
    if not form.is_valid():
        return render(request, "online_payments/staff_export.html", {"form": form}, status=400)
    date_from, date_to = form.cleaned_data["od"], form.cleaned_data["do"]
    content, _count = services.payments_export(acting_user=request.user, date_from=date_from, date_to=date_to,
                                               ip_address=client_address(request))
    period = "-".join(day.strftime("%Y%m%d") for day in (date_from, date_to) if day) or \
        timezone.localdate().strftime("%Y%m%d")
    return file_generated_response(content.encode("utf-8"), content_type="text/csv; charset=utf-8",
                                   file_name=f"platnosci-online-{period}.csv")
