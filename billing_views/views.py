"""The resident's ledger: balance, this month's fee and its history, the ledger with a running
balance, a statement PDF, a CSV export, and how to pay (the unit's account and a ZBP 2D QR code)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from iok.access import access_get
from iok.http import file_generated_response
from iok.ratelimits import rate_limited
from tenants_portal.accounts.http import AuthenticatedRequest
from tenants_portal.accounts.roles import resident_ensure
from tenants_portal.registry.models import Unit
from tenants_portal.registry.selectors import SESSION_CURRENT_UNIT, person_of, resident_units

from . import selectors
from .charts import fee_chart_svg
from .coming import coming_fees, fee_months_coming
from .exports import ledger_csv
from .forms import LedgerFilterForm
from .payments import ZBP_AMOUNT_MAX, zbp_2d_payload, zbp_2d_svg, zbp_recipient


def payment_box(*, unit: Unit, instructions: selectors.PaymentInstructions | None) -> dict | None:
    """What "How to pay" shows: the transfer's details and a ZBP 2D code for banking apps. Above the
    9 999,99 zł the code can carry, the code leaves the amount out and the page says so."""
    if instructions is None:
        return None
    due, title = instructions.due, instructions.title
    payment = {"account": instructions.account, "account_digits": instructions.account_digits, "due": due,
               "due_plain": f"{due:.2f}".replace(".", ","), "title": title, "recipient": instructions.recipient}
    if due <= 0:
        return payment
    with_amount = due <= ZBP_AMOUNT_MAX
    payload = zbp_2d_payload(account=unit.bank_account, amount=due if with_amount else None,
                             recipient=zbp_recipient(instructions.recipient), title=title, nip=instructions.nip)
    if with_amount:
        label = _("QR code for a transfer of %(amount)s zł") % {"amount": payment["due_plain"]}
    else:
        label = _("QR code for a transfer without the amount")
    payment.update(qr_svg=zbp_2d_svg(payload, title=label), qr_payload=payload, qr_with_amount=with_amount)
    return payment


def _current_unit(request: HttpRequest) -> tuple[list[Unit], Unit]:
    """The resident's unit being viewed; someone without a current unit has no ledger to see. A link
    from the start page names the unit (`?unit=`), which then stays the one viewed."""
    resident_ensure(request)
    units, unit = resident_units(request=request)
    named = request.GET.get("unit", "")
    if named:
        if not named.isdigit():
            raise Http404
        unit = access_get(units, pk=int(named))
        request.session[SESSION_CURRENT_UNIT] = unit.pk
    if unit is None:
        raise Http404
    return units, unit


@login_required
def ledger_overview_view(request: AuthenticatedRequest) -> HttpResponse:
    units, unit = _current_unit(request)
    today = timezone.localdate()
    overview = selectors.ledger_overview(unit=unit, today=today)
    history = selectors.fee_history(unit=unit, months=12)
    payment = payment_box(unit=unit, instructions=overview.payment)
    # Fee changes announced to the resident and not yet in effect (a module registers them: billing_views.coming).
    coming = coming_fees(user=request.user, unit=unit, today=today)
    months_coming = fee_months_coming(current_total=overview.fee_total, coming=coming) if overview.fee else []
    title = _("The monthly fee over the last %(count)d months") % {"count": len(history)}
    if months_coming:
        title += " " + _("and the fee announced from %(month)s") % {"month": f"{months_coming[0][0]:%m.%Y}"}
    return render(request, "ledger/overview.html", {
        "units": units, "unit": unit, "balance": overview.balance, "as_of": overview.as_of,
        "fee_month": overview.fee_month, "fee": overview.fee, "fee_total": overview.fee_total,
        "history": history, "coming": coming, "months_coming": months_coming,
        "fee_chart": fee_chart_svg(history=history, title=title, coming=months_coming),
        "payment": payment, "recent_payments": overview.recent_payments,
    })


def _history_page(request: HttpRequest, *, units: list[Unit], unit: Unit, form: LedgerFilterForm,
                  status: int = 200) -> HttpResponse:
    """The ledger one year at a time, newest first (or the form's dates and kind); an invalid form
    filters nothing and shows its errors."""
    filters = form.cleaned_data if form.is_valid() else {}
    ledger = selectors.ledger_page(unit=unit, year=filters.get("year"), date_from=filters.get("date_from"),
                                   date_to=filters.get("date_to"), kind=filters.get("kind") or "")
    if request.GET.get("format") == "csv" and status == 200:
        body = ledger_csv(rows=[(line.booked_on, line.kind_label, line.component or line.reference,
                                 line.description, line.amount, line.balance) for line in reversed(ledger.lines)])
        return file_generated_response(
            body, content_type="text/csv; charset=utf-8",
            file_name=f"rozrachunki-{unit.code or unit.pk}-{timezone.localdate():%Y-%m-%d}.csv")
    shown = QueryDict(mutable=True)
    for name in ("date_from", "date_to"):
        if getattr(ledger, name):
            shown[name] = getattr(ledger, name).isoformat()
    if filters.get("kind"):
        shown["kind"] = filters["kind"]
    return render(request, "ledger/history.html", {
        "units": units, "unit": unit, "form": form, "ledger": ledger, "lines": ledger.lines,
        "balance": selectors.ledger_balance(unit=unit), "query": shown.urlencode(),
        "kind": filters.get("kind") or "",
    }, status=status)


@login_required
def ledger_history_view(request: AuthenticatedRequest) -> HttpResponse:
    units, unit = _current_unit(request)
    return _history_page(request, units=units, unit=unit, form=LedgerFilterForm(request.GET or None))


@login_required
@rate_limited("statement_pdf")
def ledger_statement_view(request: AuthenticatedRequest) -> HttpResponse:
    units, unit = _current_unit(request)
    form = LedgerFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # The ledger page with the dates' errors, rather than a statement for dates nobody asked for.
        return _history_page(request, units=units, unit=unit, form=form, status=400)
    filters = form.cleaned_data if form.is_bound else {}
    date_from, date_to, pdf = selectors.statement_pdf_for_unit(
        unit=unit, holder_name=str(person_of(request.user) or request.user.get_full_name()),
        date_from=filters.get("date_from"), date_to=filters.get("date_to"), today=timezone.localdate())
    return file_generated_response(pdf, content_type="application/pdf",
                                   file_name=selectors.statement_file_name(unit=unit, date_from=date_from,
                                                                           date_to=date_to))
