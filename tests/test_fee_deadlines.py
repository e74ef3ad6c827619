"""The deadlines of fee-change notices (art. 4 ust. 7 and ust. 7¹ of the act on housing cooperatives):
calendar days and months, month ends, February in leap and common years, across a year's end."""

import datetime

import pytest

from tenants_portal.fee_notices.deadlines import (
    ART_4_UST_7,
    ART_4_UST_7_1,
    delivery_deadline,
    earliest_effective_month,
    is_on_time,
)

D = datetime.date

# (effective month, basis, payment day, the last day of delivery)
DEADLINES = [
    # Art. 4 ust. 7: three months ahead, to the end of a calendar month — the last day of month M-4.
    (D(2027, 4, 1), ART_4_UST_7, 10, D(2026, 12, 31)),   # the example, across a year's end
    (D(2027, 1, 1), ART_4_UST_7, 10, D(2026, 9, 30)),    # December→January: a 30-day month
    (D(2027, 2, 1), ART_4_UST_7, 10, D(2026, 10, 31)),   # a Saturday: not moved (art. 115 KC does not apply)
    (D(2027, 5, 1), ART_4_UST_7, 10, D(2027, 1, 31)),
    (D(2027, 6, 1), ART_4_UST_7, 10, D(2027, 2, 28)),    # February of a common year
    (D(2028, 6, 1), ART_4_UST_7, 10, D(2028, 2, 29)),    # February of the leap year 2028
    (D(2028, 6, 1), ART_4_UST_7, 25, D(2028, 2, 29)),    # the payment day plays no part here
    (D(2028, 1, 1), ART_4_UST_7, 10, D(2027, 9, 30)),
    (D(2027, 11, 1), ART_4_UST_7, 10, D(2027, 7, 31)),
    # Art. 4 ust. 7¹: 14 days before the payment day D of month M, and no later than the last day of M-1.
    (D(2027, 4, 1), ART_4_UST_7_1, 10, D(2027, 3, 27)),   # 10 April − 14 days
    (D(2027, 1, 1), ART_4_UST_7_1, 10, D(2026, 12, 27)),  # across a year's end
    (D(2027, 3, 1), ART_4_UST_7_1, 10, D(2027, 2, 24)),   # 10 March − 14 days in a common year
    (D(2028, 3, 1), ART_4_UST_7_1, 10, D(2028, 2, 25)),   # … and in the leap year 2028
    (D(2028, 3, 1), ART_4_UST_7_1, 14, D(2028, 2, 29)),   # 14 March − 14 days = 29 February
    (D(2027, 3, 1), ART_4_UST_7_1, 14, D(2027, 2, 28)),   # 14 March − 14 days = 28 February
    (D(2027, 3, 1), ART_4_UST_7_1, 15, D(2027, 2, 28)),   # 1 March would be later: the month's end wins
    (D(2027, 5, 1), ART_4_UST_7_1, 20, D(2027, 4, 30)),   # 6 May: the end of April wins
    (D(2027, 5, 1), ART_4_UST_7_1, 14, D(2027, 4, 30)),   # 30 April both ways
    (D(2027, 5, 1), ART_4_UST_7_1, 1, D(2027, 4, 17)),    # paid by the 1st
    (D(2027, 8, 1), ART_4_UST_7_1, 28, D(2027, 7, 31)),
]


@pytest.mark.parametrize(("effective_month", "basis", "payment_day", "deadline"), DEADLINES)
def test_the_last_day_of_delivery(effective_month, basis, payment_day, deadline):
    assert delivery_deadline(effective_month=effective_month, basis=basis, payment_day=payment_day) == deadline
    assert is_on_time(effective_month=effective_month, basis=basis, on=deadline, payment_day=payment_day)
    assert not is_on_time(effective_month=effective_month, basis=basis, on=deadline + datetime.timedelta(days=1),
                          payment_day=payment_day)


def test_the_default_payment_day_is_the_tenth():
    assert delivery_deadline(effective_month=D(2027, 4, 1), basis=ART_4_UST_7_1) == D(2027, 3, 27)


# (delivered on, basis, payment day, the earliest month a change can take effect from)
EARLIEST = [
    (D(2026, 12, 31), ART_4_UST_7, 10, D(2027, 4, 1)),    # on the deadline itself
    (D(2027, 1, 1), ART_4_UST_7, 10, D(2027, 5, 1)),      # the day after: one month later
    (D(2026, 12, 2), ART_4_UST_7, 10, D(2027, 4, 1)),
    (D(2027, 9, 30), ART_4_UST_7, 10, D(2028, 1, 1)),     # into the next year
    (D(2027, 10, 1), ART_4_UST_7, 10, D(2028, 2, 1)),
    (D(2028, 2, 29), ART_4_UST_7, 10, D(2028, 6, 1)),
    (D(2027, 3, 27), ART_4_UST_7_1, 10, D(2027, 4, 1)),   # on the deadline
    (D(2027, 3, 28), ART_4_UST_7_1, 10, D(2027, 5, 1)),   # just after it
    (D(2027, 3, 31), ART_4_UST_7_1, 10, D(2027, 5, 1)),
    (D(2027, 4, 1), ART_4_UST_7_1, 10, D(2027, 5, 1)),
    (D(2027, 4, 17), ART_4_UST_7_1, 1, D(2027, 5, 1)),
    (D(2027, 4, 18), ART_4_UST_7_1, 1, D(2027, 6, 1)),
    (D(2026, 12, 28), ART_4_UST_7_1, 10, D(2027, 2, 1)),  # across a year's end
    (D(2028, 2, 26), ART_4_UST_7_1, 10, D(2028, 4, 1)),   # after 25 February 2028
    (D(2028, 2, 26), ART_4_UST_7_1, 14, D(2028, 3, 1)),   # with the 14th: by 29 February
]


@pytest.mark.parametrize(("on", "basis", "payment_day", "earliest"), EARLIEST)
def test_the_earliest_month_a_notice_delivered_on_a_day_still_reaches(on, basis, payment_day, earliest):
    assert earliest_effective_month(basis=basis, on=on, payment_day=payment_day) == earliest
    assert is_on_time(effective_month=earliest, basis=basis, on=on, payment_day=payment_day)
    previous = (earliest - datetime.timedelta(days=1)).replace(day=1)
    assert not is_on_time(effective_month=previous, basis=basis, on=on, payment_day=payment_day)


@pytest.mark.parametrize("call", [
    lambda: delivery_deadline(effective_month=D(2027, 4, 2), basis=ART_4_UST_7),
    lambda: delivery_deadline(effective_month=D(2027, 4, 1), basis="art_4"),
    lambda: delivery_deadline(effective_month=D(2027, 4, 1), basis=ART_4_UST_7_1, payment_day=29),
    lambda: delivery_deadline(effective_month=D(2027, 4, 1), basis=ART_4_UST_7_1, payment_day=0),
    lambda: earliest_effective_month(basis="art_4", on=D(2027, 1, 1)),
])
def test_what_is_not_a_month_a_basis_or_a_payment_day_is_refused(call):
    with pytest.raises(ValueError):
        call()
