"""When a notice of a fee change must reach the resident: the one place of the counting rules.

Pure functions on calendar dates (the cooperative's dates, Europe/Warsaw: callers pass
`timezone.localdate()`, never a UTC date). Two bases of the act on housing cooperatives (ustawa z dnia
15 grudnia 2000 r. o spółdzielniach mieszkaniowych):

- art. 4 ust. 7 (`art_4_ust_7`): the cooperative notifies of a change "co najmniej na 3 miesiące naprzód,
  na koniec miesiąca kalendarzowego", with a written justification. A change effective from the 1st of
  month M takes effect at the end of month M-1, so the three months end there and start at the end of
  month M-4: the notice must be delivered by the last day of M-4 (from 1 April 2027: by 31 December 2026).
- art. 4 ust. 7¹ (`art_4_ust_7_1`, energy, gas, water, sewage and waste, in the part outside the
  cooperative's control): "co najmniej na 14 dni przed upływem terminu do wnoszenia opłat, nie później niż
  ostatniego dnia miesiąca poprzedzającego ten termin". The fees are due "do 10 dnia miesiąca" (art. 4
  ust. 6) unless the statute sets another day: the cooperative's payment day D. For month M the deadline is
  the earlier of the D-th of M minus 14 days and the last day of M-1. Delivered on the D-th minus 14 days,
  the 14 days counted from the next day (Kodeks cywilny art. 111 § 2) end on the D-th itself, before the
  payment term runs out at the end of that day.

Why calendar days and months only, with no working days and no holidays: the act counts its periods in
months and days and says nothing of working days, so Kodeks cywilny art. 110–114 apply (art. 110: to every
period a statute sets without its own way of counting): days and months by the calendar (art. 111, 112),
"the end of a month" being its last day (art. 114).
Art. 115 KC moves the end of a period for performing an act that falls on a public holiday or a Saturday to
the next working day. Here the period is counted backwards from the effective date (or the payment day):
moving the last day of delivery forward would shorten the notice the resident gets below what the act
guarantees, while art. 115 only gives the one who must act the working day a holiday took away. Our reading
is therefore that the deadline is not moved: a notice of a change from 1 February 2027 is due by Saturday
31 October 2026 and must be delivered by then (the office sends it earlier). This is our reading of the
sources above, not a court's; it is the cautious one, since the earlier deadline never accepts a notice that
the other reading would find late.
"""

import calendar
import datetime

from tenants_portal.configuration.models import PAYMENT_DAY_DEFAULT, PAYMENT_DAY_MAX

ART_4_UST_7 = "art_4_ust_7"
ART_4_UST_7_1 = "art_4_ust_7_1"
BASES = (ART_4_UST_7, ART_4_UST_7_1)
NOTICE_MONTHS = 3
NOTICE_DAYS = 14


def _month_shift(month: datetime.date, months: int) -> datetime.date:
    """The 1st of the month `months` after (or before, if negative) the month of `month`."""
    index = month.year * 12 + month.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _month_last_day(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _check(*, effective_month: datetime.date | None = None, basis: str, payment_day: int) -> None:
    if basis not in BASES:
        raise ValueError(f"unknown basis {basis!r}")
    if not 1 <= payment_day <= PAYMENT_DAY_MAX:
        raise ValueError(f"payment day {payment_day} is not within 1–{PAYMENT_DAY_MAX}")
    if effective_month is not None and effective_month.day != 1:
        # A change takes effect from the first day of a month (art. 4 ust. 7: "na koniec miesiąca").
        raise ValueError(f"{effective_month} is not the first day of a month")


def delivery_deadline(*, effective_month: datetime.date, basis: str,
                      payment_day: int = PAYMENT_DAY_DEFAULT) -> datetime.date:
    """The last day on which a notice of a change effective from `effective_month` (a month's 1st) can
    still be delivered on `basis`. `payment_day` matters for art. 4 ust. 7¹ only."""
    _check(effective_month=effective_month, basis=basis, payment_day=payment_day)
    if basis == ART_4_UST_7:
        return _month_last_day(_month_shift(effective_month, -(NOTICE_MONTHS + 1)))
    fourteen_days_before = effective_month.replace(day=payment_day) - datetime.timedelta(days=NOTICE_DAYS)
    previous_month_end = effective_month - datetime.timedelta(days=1)
    return min(fourteen_days_before, previous_month_end)


def is_on_time(*, effective_month: datetime.date, basis: str, on: datetime.date,
               payment_day: int = PAYMENT_DAY_DEFAULT) -> bool:
    """Whether a notice delivered on `on` reaches a change effective from `effective_month` in time."""
    return on <= delivery_deadline(effective_month=effective_month, basis=basis, payment_day=payment_day)


def earliest_effective_month(*, basis: str, on: datetime.date,
                             payment_day: int = PAYMENT_DAY_DEFAULT) -> datetime.date:
    """The 1st of the earliest month from which a change can take effect when its notice is delivered on `on`."""
    _check(basis=basis, payment_day=payment_day)
    # The deadline grows with the month, so the first month whose deadline is not past is the answer; it is
    # at most NOTICE_MONTHS + 1 months after `on`'s month (art. 4 ust. 7), and one or two for ust. 7¹.
    month = _month_shift(on, 1)
    while not is_on_time(effective_month=month, basis=basis, on=on, payment_day=payment_day):
        month = _month_shift(month, 1)
    return month
