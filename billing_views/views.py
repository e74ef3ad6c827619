"""The resident's ledger: balance, this month's fee and its history, the ledger with a running
balance, a statement PDF, a CSV export, and how to pay (the unit's account and a ZBP 2D QR code)."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from iok.ratelimits import rate_limited
from tenants_portal.portal.selectors import person_of, resident_ensure, resident_units
from tenants_portal.registry.models import Unit

from . import selectors
from .exports import ledger_csv
from .forms import LedgerFilterForm
from .payments import zbp_2d_payload, zbp_2d_svg

# ZBP's 2D code carries at most 9 999,99 zł; above that the resident types the amount.
QR_MAX_AMOUNT = Decimal("9999.99")


def _current_unit(request: HttpRequest) -> tuple[list[Unit], Unit]:
    """The resident's unit being viewed; someone without a current unit has no ledger to see."""
    resident_ensure(request)
    units, unit = resident_units(request=request)
    if unit is None:
        raise Http404
    return units, unit


@login_required
def ledger_overview_view(request: HttpRequest) -> HttpResponse:
    units, unit = _current_unit(request)
    overview = selectors.ledger_overview(unit=unit, today=timezone.localdate())
    history = selectors.fee_history(unit=unit)
    highest = max((total for _period, total in history), default=Decimal("0"))
    instructions = overview.payment
    payment = None
    if instructions is not None:
        due, title = instructions.due, instructions.title
        payment = {"account": instructions.account, "due": due, "title": title, "recipient": instructions.recipient}
        if Decimal("0") < due <= QR_MAX_AMOUNT:
            # The code has room for 20 characters of the recipient: the usual abbreviation keeps the name.
            short_name = payment["recipient"].replace("Spółdzielnia Mieszkaniowa", "SM")
            payload = zbp_2d_payload(account=unit.bank_account, amount=due, recipient=short_name, title=title)
            payment["qr_svg"] = zbp_2d_svg(payload, title=_("QR code for a transfer of %(amount)s zł") % {
                "amount": f"{due:.2f}".replace(".", ",")})
            payment["qr_payload"] = payload
    return render(request, "ledger/overview.html", {
        "units": units, "unit": unit, "balance": overview.balance, "as_of": overview.as_of,
        "fee_month": overview.fee_month, "fee": overview.fee, "fee_total": overview.fee_total,
        "history": [(period, total, int(total * 100 / highest) if highest else 0) for period, total in history],
        "payment": payment, "recent_payments": overview.recent_payments,
    })


def _filtered_lines(*, unit: Unit, form: LedgerFilterForm) -> list:
    """The ledger's lines for the form's filters; an invalid form filters nothing (its errors are shown)."""
    filters = form.cleaned_data if form.is_valid() else {}
    return selectors.ledger_lines(unit=unit, date_from=filters.get("date_from"), date_to=filters.get("date_to"),
                                  kind=filters.get("kind") or "")


def _history_page(request: HttpRequest, *, units: list[Unit], unit: Unit, form: LedgerFilterForm,
                  status: int = 200) -> HttpResponse:
    lines = _filtered_lines(unit=unit, form=form)
    return render(request, "ledger/history.html", {
        "units": units, "unit": unit, "form": form, "lines": lines, "balance": selectors.ledger_balance(unit=unit),
        "query": request.GET.urlencode(),
    }, status=status)


@login_required
def ledger_history_view(request: HttpRequest) -> HttpResponse:
    units, unit = _current_unit(request)
    form = LedgerFilterForm(request.GET or None)
    if request.GET.get("format") == "csv":
        lines = _filtered_lines(unit=unit, form=form)
        body = ledger_csv(rows=[(line.booked_on, line.kind_label, line.component or line.reference,
                                 line.description, line.amount, line.balance) for line in lines])
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(
            True, f"rozrachunki-{unit.code or unit.pk}-{timezone.localdate():%Y-%m-%d}.csv")
        return response
    return _history_page(request, units=units, unit=unit, form=form)


@login_required
@rate_limited("statement_pdf")
def ledger_statement_view(request: HttpRequest) -> HttpResponse:
    units, unit = _current_unit(request)
    form = LedgerFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # The ledger page with the dates' errors, rather than a statement for dates nobody asked for.
        return _history_page(request, units=units, unit=unit, form=form, status=400)
    filters = form.cleaned_data if form.is_bound else {}
    date_from, date_to, pdf = selectors.statement_pdf_for_unit(
        unit=unit, holder_name=str(person_of(request.user) or request.user.get_full_name()),
        date_from=filters.get("date_from"), date_to=filters.get("date_to"), today=timezone.localdate())
    response = HttpResponse(pdf, content_type="application/pdf")
    file_name = selectors.statement_file_name(unit=unit, date_from=date_from, date_to=date_to)
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    return response
