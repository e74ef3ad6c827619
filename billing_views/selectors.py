"""Reads of the ledger. A unit's balance is the sum of its entries (see LedgerEntry)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Q, QuerySet, Sum

from iok.bank import nrb_format, nrb_is_valid
from tenants_portal.configuration.selectors import instance_settings_get
from tenants_portal.registry.models import Unit

from .models import ImportRun, LedgerEntry
from .payments import transfer_title

ZERO = Decimal("0.00")


def ledger_balance(*, unit: Unit, on: datetime.date | None = None) -> Decimal:
    entries = LedgerEntry.objects.filter(unit=unit)
    if on is not None:
        entries = entries.filter(booked_on__lte=on)
    return _total(entries)


def _total(entries: QuerySet[LedgerEntry]) -> Decimal:
    return entries.aggregate(total=Sum("amount"))["total"] or ZERO


def ledger_arrears(*, unit: Unit, on: datetime.date) -> Decimal:
    """What the unit owes past its due dates at the end of `on`: the balance without the charges of months
    whose payment day (the cooperative's, art. 4 ust. 6) is still to come. A month's fee booked on the 1st
    and paid on the 8th is never arrears; unpaid on the day after the payment day, it is. Positive: in
    arrears by that much; zero or negative: not in arrears."""
    payment_day = instance_settings_get().payment_day
    # A charge's period is the first day of its month, so it is due on period + (payment day - 1) days and
    # still on time while that is `on` or later: while its period is later than `on` less the payment day.
    not_yet_due = Q(kind=LedgerEntry.Kind.CHARGE, period__gt=on - datetime.timedelta(days=payment_day))
    return _total(LedgerEntry.objects.filter(unit=unit, booked_on__lte=on).exclude(not_yet_due))


def ledger_balances(*, units: list[Unit]) -> dict[int, Decimal]:
    """Each unit's balance by its id, in one query (the start page shows every unit of a resident)."""
    totals = dict(LedgerEntry.objects.filter(unit__in=units).values_list("unit").annotate(total=Sum("amount")))
    return {unit.pk: totals.get(unit.pk, ZERO) for unit in units}


def ledger_current_as_of() -> datetime.datetime | None:
    """When the ledger data last came from the accounting system (the date residents see)."""
    run = (ImportRun.objects.filter(kind__in=[ImportRun.Kind.CHARGES, ImportRun.Kind.PAYMENTS],
                                    status__in=[ImportRun.Status.SUCCEEDED, ImportRun.Status.UNCHANGED])
           .order_by("-finished_at").first())
    return run.finished_at if run else None


@dataclass(frozen=True)
class FeeLine:
    component: str
    amount: Decimal


def fee_current(*, unit: Unit, today: datetime.date) -> tuple[datetime.date | None, list[FeeLine]]:
    """The latest month charged, up to this month, broken down by component."""
    month = (LedgerEntry.objects.filter(unit=unit, kind=LedgerEntry.Kind.CHARGE, period__lte=today)
             .order_by("-period").values_list("period", flat=True).first())
    if month is None:
        return None, []
    lines = (LedgerEntry.objects.filter(unit=unit, kind=LedgerEntry.Kind.CHARGE, period=month)
             .values("component__name", "component__sort_order").annotate(total=Sum("amount"))
             .order_by("component__sort_order", "component__name"))
    return month, [FeeLine(line["component__name"] or "—", line["total"]) for line in lines]


def fee_history(*, unit: Unit, months: int = 24) -> list[tuple[datetime.date, Decimal]]:
    """Monthly charges (the fee) per period, oldest first, for the last `months` periods charged."""
    rows = list(LedgerEntry.objects.filter(unit=unit, kind=LedgerEntry.Kind.CHARGE, period__isnull=False)
                .values("period").annotate(total=Sum("amount")).order_by("-period")[:months])
    return [(row["period"], row["total"]) for row in reversed(rows)]


@dataclass(frozen=True)
class LedgerLine:
    id: int
    booked_on: datetime.date
    kind: str
    kind_label: str
    component: str
    period: datetime.date | None
    reference: str
    description: str
    amount: Decimal
    balance: Decimal

    @property
    def debit(self) -> Decimal | None:
        return self.amount if self.amount > 0 else None

    @property
    def credit(self) -> Decimal | None:
        return -self.amount if self.amount < 0 else None


def ledger_lines(*, unit: Unit, date_from: datetime.date | None = None, date_to: datetime.date | None = None,
                 kind: str = "", newest_first: bool = False) -> list[LedgerLine]:
    """The unit's entries in date order (`newest_first` for reading on screen, where the latest matter most)
    with the running balance after each, filtered afterwards so that the balance of a filtered view still
    counts everything before it."""
    labels = dict(LedgerEntry.Kind.choices)
    conditions: list[str] = ["TRUE"]
    params: list[int | str | datetime.date] = [unit.pk]
    if date_from:
        conditions.append("booked_on >= %s")
        params.append(date_from)
    if date_to:
        conditions.append("booked_on <= %s")
        params.append(date_to)
    if kind:
        conditions.append("kind = %s")
        params.append(kind)
    with connection.cursor() as cursor:
        query = ("SELECT id, booked_on, kind, component, period, reference, description, amount, balance FROM ("
                 " SELECT e.id, e.booked_on, e.kind, coalesce(c.name, '') AS component, e.period, e.reference,"
                 " e.description, e.amount, sum(e.amount) OVER (ORDER BY e.booked_on, e.id) AS balance"
                 " FROM ledger_ledgerentry e LEFT JOIN ledger_chargecomponent c ON c.id = e.component_id"
                 " WHERE e.unit_id = %s) x WHERE {conditions} ORDER BY booked_on {order}, id {order}")
        # Only constant fragments are joined into the text; every value is a parameter.
        cursor.execute(query.format(conditions=" AND ".join(conditions), order="DESC" if newest_first else "ASC"),
                       params)
        return [LedgerLine(id=row[0], booked_on=row[1], kind=row[2], kind_label=str(labels.get(row[2], row[2])),
                           component=row[3], period=row[4], reference=row[5], description=row[6], amount=row[7],
                           balance=row[8]) for row in cursor.fetchall()]


def ledger_years(*, unit: Unit) -> list[int]:
    """The years the unit has entries in, newest first: the resident's ledger is read one year at a time."""
    return [day.year for day in LedgerEntry.objects.filter(unit=unit).dates("booked_on", "year", order="DESC")]


@dataclass(frozen=True)
class LedgerPage:
    """What the resident's ledger page shows: one year (the latest by default) or the dates asked for."""

    lines: list[LedgerLine]
    years: list[int]
    year: int | None  # None when dates were asked for instead
    date_from: datetime.date | None
    date_to: datetime.date | None


def ledger_page(*, unit: Unit, year: int | None = None, date_from: datetime.date | None = None,
                date_to: datetime.date | None = None, kind: str = "") -> LedgerPage:
    """Newest first; a whole history on one page is thousands of rows on a phone, so without dates it is
    the year asked for or the latest year with entries."""
    years = ledger_years(unit=unit)
    if date_from is None and date_to is None:
        year = year if year in years else (years[0] if years else None)
        if year is not None:
            date_from, date_to = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    else:
        year = None
    lines = ledger_lines(unit=unit, date_from=date_from, date_to=date_to, kind=kind, newest_first=True)
    return LedgerPage(lines=lines, years=years, year=year, date_from=date_from, date_to=date_to)


def payments_last(*, unit: Unit, count: int = 3) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.filter(unit=unit, kind=LedgerEntry.Kind.PAYMENT).order_by("-booked_on", "-id")
                [:count])


@dataclass(frozen=True)
class PaymentInstructions:
    """How to pay the unit's charges: its own account, the amount due and the transfer title."""

    recipient: str
    account: str  # grouped as on bank documents
    account_digits: str
    due: Decimal
    title: str
    nip: str  # the cooperative's, for the QR code; empty when not configured


def payment_instructions(*, unit: Unit, balance: Decimal, month: datetime.date | None,
                         today: datetime.date) -> PaymentInstructions | None:
    """None when the unit has no valid account number to pay to."""
    from cooperatives.selectors import cooperative_current
    from tenants_portal.configuration.selectors import instance_settings_get

    if not unit.bank_account or not nrb_is_valid(unit.bank_account):
        return None
    return PaymentInstructions(
        recipient=cooperative_current().name, account=nrb_format(unit.bank_account), account_digits=unit.bank_account,
        due=balance if balance > 0 else ZERO, nip=instance_settings_get().payment_nip,
        title=transfer_title(unit_label=str(unit), period_label=(month or today).strftime("%m.%Y")))


@dataclass(frozen=True)
class LedgerOverview:
    """What a unit's account shows first: balance, this month's fee, how to pay, the latest payments."""

    balance: Decimal
    as_of: datetime.datetime | None
    fee_month: datetime.date | None
    fee: list[FeeLine]
    fee_total: Decimal
    payment: PaymentInstructions | None
    recent_payments: list[LedgerEntry]


def ledger_overview(*, unit: Unit, today: datetime.date) -> LedgerOverview:
    """The same overview for the resident's page and the API."""
    balance = ledger_balance(unit=unit)
    month, fee = fee_current(unit=unit, today=today)
    return LedgerOverview(
        balance=balance, as_of=ledger_current_as_of(), fee_month=month, fee=fee,
        fee_total=sum((line.amount for line in fee), Decimal("0.00")),
        payment=payment_instructions(unit=unit, balance=balance, month=month, today=today),
        recent_payments=payments_last(unit=unit))


def statement_file_name(*, unit: Unit, date_from: datetime.date, date_to: datetime.date) -> str:
    return f"wyciag-{unit.code or unit.pk}-{date_from:%Y%m%d}-{date_to:%Y%m%d}.pdf"


def statement_pdf_for_unit(*, unit: Unit, holder_name: str, date_from: datetime.date | None,
                           date_to: datetime.date | None, today: datetime.date) -> tuple[datetime.date, datetime.date,
                                                                                         bytes]:
    """The statement of account for a period as a PDF: by default from 1 January to today; a start in
    the future without an end gives that one day."""
    from django.utils import timezone

    from cooperatives.selectors import cooperative_details

    from .statement import StatementLine, statement_pdf

    date_to = date_to or max(today, date_from or today)
    date_from = date_from or date_to.replace(month=1, day=1)
    opening = ledger_balance(unit=unit, on=date_from - datetime.timedelta(days=1))
    lines = ledger_lines(unit=unit, date_from=date_from, date_to=date_to)
    cooperative = cooperative_details()
    pdf = statement_pdf(
        cooperative_name=cooperative.name, cooperative_address=cooperative.address, unit_label=str(unit),
        holder_name=holder_name, account_nrb=unit.bank_account, period_from=date_from, period_to=date_to,
        opening_balance=opening,
        lines=[StatementLine(booked_on=line.booked_on, kind_label=line.kind_label,
                             description=" — ".join(part for part in (line.component, line.description, line.reference)
                                                    if part),
                             debit=line.debit, credit=line.credit, balance=line.balance) for line in lines],
        closing_balance=lines[-1].balance if lines else opening, generated_at=timezone.now())
    return date_from, date_to, pdf
