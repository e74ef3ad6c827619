"""Fee-change notices' reads: the module's settings, a change's deadline and units, and to whom a unit's
notice is addressed."""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from billing_views.coming import ComingFee, ComingFeeLine, LinesTotals
from billing_views.models import ImportRun
from iok.access import access_get
from iok.memo import request_memo
from tenants_portal.accounts.models import User
from tenants_portal.configuration.selectors import instance_settings_get
from tenants_portal.modules import module_enabled
from tenants_portal.registry.models import LegalTitle, Person, Unit
from tenants_portal.regulation.models import ConsentPurpose

from . import deadlines, letters
from .models import E_DELIVERY_CONSENT, FeeChange, FeeChangeLine, FeeNotice, FeeNoticeSettings

SETTINGS_MEMO = "fee-notice-settings"


def _current(on: datetime.date) -> Q:
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))


def fee_notice_settings_get() -> FeeNoticeSettings:
    """The cooperative's settings of this module (one row, created on first use), read once per request."""
    return request_memo(SETTINGS_MEMO, lambda: FeeNoticeSettings.objects.get_or_create(pk=1)[0])


def fee_change_deadline(*, fee_change: FeeChange) -> datetime.date:
    """The last day its notice can be delivered (the same for every unit: the payment day is the
    cooperative's, one for all its units)."""
    return deadlines.delivery_deadline(effective_month=fee_change.effective_month, basis=fee_change.basis,
                                       payment_day=instance_settings_get().payment_day)


def fee_change_earliest_month(*, fee_change: FeeChange, on: datetime.date) -> datetime.date:
    """The earliest month a change on the same basis could take effect from if sent on `on`."""
    return deadlines.earliest_effective_month(basis=fee_change.basis, on=on,
                                              payment_day=instance_settings_get().payment_day)


def fee_change_units(*, fee_change: FeeChange) -> QuerySet[Unit]:
    """The units the change has lines for, in the order letters are printed: building, then unit."""
    return (Unit.objects.filter(fee_change_lines__fee_change=fee_change).distinct()
            .select_related("building").order_by("building__street", "building__number", "number", "pk"))


def unit_addressees(*, unit: Unit, on: datetime.date) -> QuerySet[Person]:
    """The people a unit's notice is addressed to: those holding a legal title to it on `on` (the registry)."""
    titles = LegalTitle.objects.filter(_current(on), unit=unit)
    return Person.objects.filter(pk__in=titles.values("person_id")).order_by("last_name", "first_name", "pk")


def units_title_holders(*, units: list[Unit], on: datetime.date) -> dict[int, list[int]]:
    """{unit id: ids of the people holding a legal title to it on `on`}, for many units in one query."""
    holders: dict[int, list[int]] = {}
    titles = (LegalTitle.objects.filter(_current(on), unit__in=units).order_by("unit_id", "person_id")
              .values_list("unit_id", "person_id").distinct())
    for unit_id, person_id in titles:
        holders.setdefault(unit_id, []).append(person_id)
    return holders


# The letters (letters.py draws them from plain data gathered here).


def _natural(text: str) -> tuple:
    """"2" before "10", "1A" after "1": house and flat numbers as people count them."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
                 for part in re.findall(r"\d+|\D+", text.strip()))


def unit_print_order(unit: Unit) -> tuple:
    """Where a unit's letter goes in a print batch: by building (street, number), then staircase (when the
    registry has it; units without one first), then unit number, so that a batch is handed out building by
    building and staircase by staircase."""
    building = unit.building
    return (building.street.casefold(), _natural(building.number), building.city.casefold(),
            _natural(unit.staircase), _natural(unit.number), unit.pk)


def _unit_address_lines(unit: Unit) -> list[str]:
    building = unit.building
    street = f"{building.street} {building.number}"
    street += f"/{unit.number}" if unit.kind == Unit.Kind.FLAT else f", {unit.get_kind_display()} {unit.number}"
    return [street, f"{building.postal_code} {building.city}".strip()]


def _office(unit: Unit) -> letters.LetterOffice | None:
    office = unit.building.office
    if office is None:
        return None
    return letters.LetterOffice(name=office.name, address=f"{office.street}, {office.postal_code} {office.city}",
                                phone=office.phone, email=office.email,
                                opening_hours=" ".join(office.opening_hours.split()))


def _unit_letter(*, fee_change: FeeChange, unit: Unit, addressees: list[str], dated: datetime.date
                 ) -> letters.UnitLetter:
    from cooperatives.selectors import cooperative_details

    cooperative = cooperative_details()
    with translation.override("pl"):  # the letter is Polish whatever the office's language ("garaż G1")
        unit_label, address_lines = str(unit), _unit_address_lines(unit)
    lines = (FeeChangeLine.objects.filter(fee_change=fee_change, unit=unit).select_related("component")
             .order_by("component__sort_order", "component__name"))
    return letters.UnitLetter(
        cooperative_name=cooperative.name, cooperative_address=cooperative.address,
        cooperative_city=cooperative.city, dated=dated, addressees=addressees, unit_label=unit_label,
        address_lines=address_lines, effective_month=fee_change.effective_month, basis=fee_change.basis,
        lines=[letters.LetterLine(component=line.component.name, current_amount=line.current_amount,
                                  new_amount=line.new_amount) for line in lines],
        justification=fee_change.justification, justification_pdf_name=fee_change.justification_pdf_name,
        account_nrb=unit.bank_account, payment_day=instance_settings_get().payment_day, office=_office(unit))


def _sent_on(fee_change: FeeChange) -> datetime.date:
    return timezone.localdate(fee_change.sent_at) if fee_change.sent_at else timezone.localdate()


def fee_notice_letter(*, notice: FeeNotice) -> letters.UnitLetter:
    """The letter of a sent notice: addressed to the people recorded on it, dated the day it was sent."""
    addressees = [str(person) for person in notice.addressees.order_by("last_name", "first_name", "pk")]
    return _unit_letter(fee_change=notice.fee_change, unit=notice.unit, addressees=addressees,
                        dated=_sent_on(notice.fee_change))


def fee_notice_letter_pdf(*, notice: FeeNotice) -> bytes:
    """The PDF of one notice's letter, the same bytes every time (dated by the change's sending). Reading it
    records nothing: what counts as the resident's receipt is recorded by the view that serves it."""
    return letters.letters_pdf(letters=[fee_notice_letter(notice=notice)], title="",
                               generated_at=notice.fee_change.sent_at or timezone.now())


def fee_change_preview_pdf(*, fee_change: FeeChange, unit: Unit, today: datetime.date) -> bytes:
    """The office's preview of one unit's letter before sending (no notice exists yet): addressed to the
    unit's title holders on `today`, dated `today`; the caller picks a unit the change has lines for."""
    addressees = [str(person) for person in unit_addressees(unit=unit, on=today)]
    letter = _unit_letter(fee_change=fee_change, unit=unit, addressees=addressees, dated=today)
    return letters.letters_pdf(letters=[letter], title="", generated_at=timezone.now())


def fee_change_paper_notices(*, fee_change: FeeChange) -> list[FeeNotice]:
    """The change's notices that go on paper, in print order (unit_print_order)."""
    notices = (FeeNotice.objects.filter(fee_change=fee_change, channel=FeeNotice.Channel.PAPER)
               .select_related("unit__building__office", "fee_change").prefetch_related("addressees"))
    return sorted(notices, key=lambda notice: unit_print_order(notice.unit))


# Letters in one print batch PDF: about 20 ms of rendering a page, so a part is drawn in about 4 s, well
# within a web request (and the renderer's 60 s); a cooperative printing thousands downloads it in parts.
PRINT_BATCH_MAX = 200


def print_batch_parts(*, notices: list[FeeNotice]) -> list[list[FeeNotice]]:
    """The paper notices (in print order) cut into print batches of at most PRINT_BATCH_MAX letters."""
    return [notices[start:start + PRINT_BATCH_MAX] for start in range(0, len(notices), PRINT_BATCH_MAX)]


def print_batch_pdf(*, fee_change: FeeChange, notices: Iterable[FeeNotice], part: tuple[int, int] = (1, 1)
                    ) -> bytes:
    """One PDF of the letters of `notices` (the change's paper notices: anything else is a bug upstream,
    ValueError), each from a new page, sorted in print order whatever order they come in. `part` (number,
    of how many) names a part of a batch cut by print_batch_parts in the document's title."""
    chosen = sorted(notices, key=lambda notice: unit_print_order(notice.unit))
    strays = [notice.pk for notice in chosen
              if notice.fee_change_id != fee_change.pk or notice.channel != FeeNotice.Channel.PAPER]
    if strays:
        raise ValueError(f"Only the paper notices of fee change #{fee_change.pk} are printed, not {strays}.")
    if not chosen:
        raise ValueError(f"Fee change #{fee_change.pk} has no notices to print.")
    return letters.letters_pdf(
        letters=[fee_notice_letter(notice=notice) for notice in chosen],
        title=f"Zawiadomienia o zmianie opłat od {letters.month_pl(fee_change.effective_month)} r. – "
              f"wydruk{f', część {part[0]} z {part[1]}' if part[1] > 1 else ''} ({len(chosen)})",
        generated_at=fee_change.sent_at or timezone.now())
# ---- delivery (i21-delivery): the channel, the resident's notices, receipt --------------------------------

# One component of the unit's fees in a notice: now, from the change's month, and the difference — the
# same line the ledger's fee page shows of a coming change.
NoticeLine = ComingFeeLine


@dataclass(frozen=True)
class NoticeContent(LinesTotals):
    """What a unit's notice says, component by component, with the totals."""

    notice: FeeNotice
    lines: list[NoticeLine]


def e_delivery_purpose() -> ConsentPurpose | None:
    """The consent to electronic delivery of fee-change notices (created in every cooperative by migration)."""
    return ConsentPurpose.objects.filter(code=E_DELIVERY_CONSENT).first()


def e_delivery_recipients(*, notices: list[FeeNotice]) -> dict[int, list[User]]:
    """{notice id: the accounts its notice may be delivered to electronically}: addressees' open accounts with
    a live consent to electronic delivery and a confirmed e-mail address; a notice with none goes on paper."""
    through = FeeNotice.addressees.through
    links = list(through.objects.filter(
        feenotice_id__in=[notice.pk for notice in notices], person__account__isnull=False,
        person__account__is_active=True, person__account__closed_at__isnull=True,
        person__account__email_verified_at__isnull=False,
        person__account__consents__purpose__code=E_DELIVERY_CONSENT,
        person__account__consents__withdrawn_at__isnull=True,
    ).exclude(person__account__email="").values_list("feenotice_id", "person__account_id").distinct())
    users = User.objects.in_bulk({user_id for _notice_id, user_id in links})
    recipients: dict[int, list[User]] = {}
    for notice_id, user_id in sorted(links):
        recipients.setdefault(notice_id, []).append(users[user_id])
    return recipients


def fee_notices_of_resident(*, user: User) -> QuerySet[FeeNotice]:
    """The sent notices addressed to the resident (their person among a notice's addressees: never anyone
    else's, never a staff member's), the latest change first."""
    addressed = FeeNotice.addressees.through.objects.filter(person__account=user).values("feenotice_id")
    return (FeeNotice.objects.filter(pk__in=addressed, fee_change__status=FeeChange.Status.SENT)
            .select_related("fee_change", "unit", "unit__building")
            .order_by("-fee_change__effective_month", "fee_change__basis", "unit__building__street",
                      "unit__building__number", "unit__number", "pk"))


def fee_notices_coming(*, user: User, today: datetime.date) -> list[FeeNotice]:
    """The resident's notices of changes not yet in effect on `today`, the nearest first."""
    return sorted(fee_notices_of_resident(user=user).filter(fee_change__effective_month__gt=today),
                  key=lambda notice: (notice.fee_change.effective_month, notice.unit.pk, notice.pk))


def access_resident_fee_notice(*, user: User, id: int) -> FeeNotice:
    """One of the resident's notices; the same 404 for a notice that is missing and someone else's."""
    return access_get(fee_notices_of_resident(user=user), pk=id)


def fee_notice_content(*, notice: FeeNotice) -> NoticeContent:
    lines = (FeeChangeLine.objects.filter(fee_change_id=notice.fee_change_id, unit_id=notice.unit_id)
             .select_related("component").order_by("component__sort_order", "component__name"))
    return NoticeContent(notice=notice, lines=[
        NoticeLine(component=line.component.name, current_amount=line.current_amount, new_amount=line.new_amount)
        for line in lines])


def fee_notices_unopened_due(*, today: datetime.date) -> QuerySet[FeeNotice]:
    """Electronic notices nobody has opened whose days to open them (the cooperative's setting) have passed
    on `today`: sent more than `paper_after_days` days ago."""
    days = fee_notice_settings_get().paper_after_days
    start = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time()))
    return FeeNotice.objects.filter(channel=FeeNotice.Channel.ELECTRONIC, opened_at__isnull=True,
                                    created_at__lt=start).order_by("pk")


def coming_fees_of_unit(*, user: User, unit: Unit, today: datetime.date) -> list[ComingFee]:
    """The ledger page's coming fees (billing_views.coming, registered in apps.py): the resident's notices of
    the unit's changes not yet in effect, while the module is on."""
    if not module_enabled("fee_notices"):
        return []
    coming = []
    for notice in fee_notices_coming(user=user, today=today):
        if notice.unit_id == unit.pk:
            content = fee_notice_content(notice=notice)
            coming.append(ComingFee(
                effective_month=notice.fee_change.effective_month, heading=notice.fee_change.heading,
                lines=[ComingFeeLine(component=line.component, current_amount=line.current_amount,
                                     new_amount=line.new_amount) for line in content.lines],
                url=reverse("fee_notices:resident_notice", args=[notice.pk])))
    return coming


def fee_notice_letter_file_name(*, notice: FeeNotice) -> str:
    unit = notice.unit.code or notice.unit.pk
    return f"zawiadomienie-zmiana-oplat-{notice.fee_change.effective_month:%Y-%m}-{unit}.pdf"
# The office's pages (staff_views): the list of changes, a change's lines and the delivery of its notices.


def fee_changes_for_office() -> QuerySet[FeeChange]:
    """Every change, the latest month first, with the number of units it has lines for."""
    return (FeeChange.objects.select_related("import_run", "sent_by")
            .annotate(unit_count=Count("lines__unit", distinct=True))
            .order_by("-effective_month", "basis", "-pk"))


def fee_changes_of_import(*, run: ImportRun) -> list[FeeChange]:
    """The changes whose lines `run` set last; for a file that changed nothing, those of the file it repeats."""
    runs = [run.pk, run.same_as_id] if run.same_as_id else [run.pk]
    changes = list(FeeChange.objects.filter(import_run_id=runs[0]).order_by("effective_month", "basis", "pk"))
    if not changes and len(runs) > 1:
        changes = list(FeeChange.objects.filter(import_run_id=runs[1]).order_by("effective_month", "basis", "pk"))
    return changes


def fee_change_lines(*, fee_change: FeeChange, search: str = "") -> QuerySet[FeeChangeLine]:
    """The change's lines in the order letters are printed (building, unit, component); `search` narrows them to
    the units whose code or address contains it."""
    lines = (FeeChangeLine.objects.filter(fee_change=fee_change).select_related("unit__building", "component")
             .order_by("unit__building__street", "unit__building__number", "unit__number", "unit_id",
                       "component__sort_order", "component__name"))
    search = search.strip()
    if search:
        lines = lines.filter(Q(unit__code__icontains=search) | Q(unit__building__street__icontains=search)
                             | Q(unit__number__iexact=search))
    return lines


def fee_change_totals(*, fee_change: FeeChange) -> dict[str, Decimal | int]:
    """The change's sums over all lines: current, new and their difference, and the number of units."""
    totals = FeeChangeLine.objects.filter(fee_change=fee_change).aggregate(
        current=Sum("current_amount"), new=Sum("new_amount"), units=Count("unit", distinct=True))
    current, new = totals["current"] or Decimal("0.00"), totals["new"] or Decimal("0.00")
    return {"current": current, "new": new, "difference": new - current, "units": totals["units"]}


class DeliveryState(StrEnum):
    """Where a unit's notice is on its way to the resident, each notice in exactly one state."""

    OPENED = "opened"              # delivered electronically: the resident opened it (the time is the proof)
    PAPER_DELIVERED = "paper"      # delivered on paper: in person against a signature, or by registered mail
    NOT_OPENED = "not_opened"      # sent electronically, not opened yet
    TO_PRINT = "to_print"          # goes (or went) on paper, not delivered yet
    UNDECIDED = "undecided"        # its channel is not decided yet


DELIVERY_STATE_LABELS = {
    DeliveryState.OPENED: gettext_lazy("delivered electronically, opened"),
    DeliveryState.PAPER_DELIVERED: gettext_lazy("delivered on paper"),
    DeliveryState.NOT_OPENED: gettext_lazy("sent electronically, not opened"),
    DeliveryState.TO_PRINT: gettext_lazy("to print, not delivered"),
    DeliveryState.UNDECIDED: gettext_lazy("delivery channel not decided"),
}
DELIVERED_STATES = (DeliveryState.OPENED, DeliveryState.PAPER_DELIVERED)
PAPER_METHODS = (FeeNotice.DeliveryMethod.IN_PERSON, FeeNotice.DeliveryMethod.REGISTERED_MAIL)


def notice_delivery_state(notice: FeeNotice) -> DeliveryState:
    """The notice's state. Delivered both ways, the earlier proof counts (the day of the opening against the
    day of the paper delivery; on the same day, the opening)."""
    paper_on = notice.delivered_on if notice.delivery_method in PAPER_METHODS else None
    opened_on = timezone.localdate(notice.opened_at) if notice.opened_at else None
    if opened_on is not None and (paper_on is None or opened_on <= paper_on):
        return DeliveryState.OPENED
    if paper_on is not None:
        return DeliveryState.PAPER_DELIVERED
    if notice.channel == FeeNotice.Channel.ELECTRONIC:
        return DeliveryState.NOT_OPENED
    if notice.channel == FeeNotice.Channel.PAPER:
        return DeliveryState.TO_PRINT
    return DeliveryState.UNDECIDED


@dataclass(frozen=True)
class NoticeRow:
    notice: FeeNotice
    state: DeliveryState
    delivered_on: datetime.date | None  # the day of the proof (the opening's or the paper delivery's)
    late: bool                          # delivered after the deadline, or not delivered and the deadline passed


@dataclass(frozen=True)
class DeliveryDashboard:
    """A change's notices by their state, for the office and the board's export."""

    fee_change: FeeChange
    deadline: datetime.date
    today: datetime.date
    units: int                  # the units the change has lines for
    rows: list[NoticeRow]       # every notice, in the order letters are printed

    @property
    def days_left(self) -> int:
        """Days from `today` to the deadline (0: the deadline is today; negative: it passed)."""
        return (self.deadline - self.today).days

    def of(self, *states: DeliveryState) -> list[NoticeRow]:
        return [row for row in self.rows if row.state in states]

    @property
    def counts(self) -> dict[str, int]:
        counts = {state.value: 0 for state in DeliveryState}
        for row in self.rows:
            counts[row.state.value] += 1
        counts["delivered"] = counts[DeliveryState.OPENED] + counts[DeliveryState.PAPER_DELIVERED]
        counts["undelivered"] = len(self.rows) - counts["delivered"]
        counts["late"] = sum(1 for row in self.rows if row.late)
        return counts


def fee_change_dashboard(*, fee_change: FeeChange, today: datetime.date) -> DeliveryDashboard:
    """The delivery of a change's notices on `today` (the cooperative's date): one row per notice (none until it
    is sent), with the unit, its addressees and its state."""
    deadline = fee_change_deadline(fee_change=fee_change)
    notices = (FeeNotice.objects.filter(fee_change=fee_change).select_related("unit__building", "opened_by")
               .prefetch_related(Prefetch("addressees", queryset=Person.objects.order_by("last_name", "first_name",
                                                                                         "pk")))
               .order_by("unit__building__street", "unit__building__number", "unit__number", "unit_id"))
    rows = []
    for notice in notices:
        state = notice_delivery_state(notice)
        if state == DeliveryState.OPENED:
            delivered_on: datetime.date | None = timezone.localdate(notice.opened_at)
        elif state == DeliveryState.PAPER_DELIVERED:
            delivered_on = notice.delivered_on
        else:
            delivered_on = None
        late = delivered_on > deadline if delivered_on is not None else today > deadline
        rows.append(NoticeRow(notice=notice, state=state, delivered_on=delivered_on, late=late))
    units = fee_change_units(fee_change=fee_change).count()
    return DeliveryDashboard(fee_change=fee_change, deadline=deadline, today=today, units=units, rows=rows)
