"""The resident's ledger: balance, this month's fee and its history, the ledger with a running
balance, a statement PDF, a CSV export, and how to pay (the unit's account and a ZBP 2D QR code)."""

import datetime
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.selectors import cooperative_current, cooperative_details
from tenants_portal.portal.selectors import person_of, resident_ensure, resident_units
from tenants_portal.registry.models import Unit

from . import selectors
from .exports import ledger_csv
from .forms import LedgerFilterForm
from .payments import nrb_format, nrb_is_valid, transfer_title, zbp_2d_payload, zbp_2d_svg
from .statement import StatementLine, statement_pdf

# ZBP's 2D code carries at most 9 999,99 zł; above that the resident types the amount.
QR_MAX_AMOUNT = Decimal("9999.99")


def _current_unit(request: HttpRequest) -> tuple[list[Unit], Unit]:
    """The resident's unit being viewed; someone without a current unit has no ledger to see."""
    resident_ensure(request)
    units, unit = resident_units(request=request)
    if unit is None:
        raise Http404
    return units, unit


def _recipient_name() -> str:
    return cooperative_current().name


@login_required
def ledger_overview_view(request: HttpRequest) -> HttpResponse:
    units, unit = _current_unit(request)
    today = timezone.localdate()
    balance = selectors.ledger_balance(unit=unit)
    month, fee = selectors.fee_current(unit=unit, today=today)
    history = selectors.fee_history(unit=unit)
    highest = max((total for _period, total in history), default=Decimal("0"))
    payment = None
    if unit.bank_account and nrb_is_valid(unit.bank_account):
        due = balance if balance > 0 else Decimal("0.00")
        title = transfer_title(unit_label=str(unit), period_label=(month or today).strftime("%m.%Y"))
        payment = {"account": nrb_format(unit.bank_account), "due": due, "title": title,
                   "recipient": _recipient_name()}
        if Decimal("0") < due <= QR_MAX_AMOUNT:
            # The code has room for 20 characters of the recipient: the usual abbreviation keeps the name.
            short_name = payment["recipient"].replace("Spółdzielnia Mieszkaniowa", "SM")
            payload = zbp_2d_payload(account=unit.bank_account, amount=due, recipient=short_name, title=title)
            payment["qr_svg"] = zbp_2d_svg(payload, title=_("QR code for a transfer of %(amount)s zł") % {
                "amount": f"{due:.2f}".replace(".", ",")})
            payment["qr_payload"] = payload
    return render(request, "ledger/overview.html", {
        "units": units, "unit": unit, "balance": balance, "as_of": selectors.ledger_current_as_of(),
        "fee_month": month, "fee": fee, "fee_total": sum((line.amount for line in fee), Decimal("0.00")),
        "history": [(period, total, int(total * 100 / highest) if highest else 0) for period, total in history],
        "payment": payment, "recent_payments": selectors.payments_last(unit=unit),
    })


@login_required
def ledger_history_view(request: HttpRequest) -> HttpResponse:
    units, unit = _current_unit(request)
    form = LedgerFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    lines = selectors.ledger_lines(unit=unit, date_from=filters.get("date_from"), date_to=filters.get("date_to"),
                                   kind=filters.get("kind") or "")
    if request.GET.get("format") == "csv":
        body = ledger_csv(rows=[(line.booked_on, line.kind_label, line.component or line.reference,
                                 line.description, line.amount, line.balance) for line in lines])
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (f'attachment; filename="rozrachunki-{unit.code or unit.pk}-'
                                           f'{timezone.localdate():%Y-%m-%d}.csv"')
        return response
    return render(request, "ledger/history.html", {
        "units": units, "unit": unit, "form": form, "lines": lines, "balance": selectors.ledger_balance(unit=unit),
        "query": request.GET.urlencode(),
    })


@login_required
def ledger_statement_view(request: HttpRequest) -> HttpResponse:
    _units, unit = _current_unit(request)
    form = LedgerFilterForm(request.GET or None)
    today = timezone.localdate()
    filters = form.cleaned_data if form.is_valid() else {}
    date_to = filters.get("date_to") or today
    date_from = filters.get("date_from") or date_to.replace(month=1, day=1)
    opening = selectors.ledger_balance(unit=unit, on=date_from - datetime.timedelta(days=1))
    lines = selectors.ledger_lines(unit=unit, date_from=date_from, date_to=date_to)
    cooperative = cooperative_details()
    pdf = statement_pdf(
        cooperative_name=cooperative.name, cooperative_address=cooperative.address, unit_label=str(unit),
        holder_name=str(person_of(request.user) or request.user.get_full_name()),
        account_nrb=unit.bank_account, period_from=date_from, period_to=date_to, opening_balance=opening,
        lines=[StatementLine(booked_on=line.booked_on, kind_label=line.kind_label,
                             description=" — ".join(part for part in (line.component, line.description, line.reference)
                                                    if part),
                             debit=line.debit, credit=line.credit, balance=line.balance) for line in lines],
        closing_balance=lines[-1].balance if lines else opening, generated_at=timezone.now())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (f'attachment; filename="wyciag-{unit.code or unit.pk}-'
                                       f'{date_from:%Y%m%d}-{date_to:%Y%m%d}.pdf"')
    return response
