"""The paper delivery register of a fee change printed for signatures (rejestr doręczeń): one row per letter
that goes on paper, in print order, with what is already recorded and room for the recipient's signature.
A tagged PDF/UA-1 on the platform's one PDF base, like the letters; Polish, not translated (a document the
cooperative keeps as proof)."""

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from django.utils import translation

from iok.pdf import pdf_render, warsaw_date

from . import letters
from .models import FeeChange, FeeNotice

TEMPLATE = Path(__file__).with_name("register.typ")

_METHODS = {
    FeeNotice.DeliveryMethod.IN_PERSON: "osobiście, za podpisem",
    FeeNotice.DeliveryMethod.REGISTERED_MAIL: "list polecony",
}


def _delivery(notice: FeeNotice) -> str:
    if not notice.delivered_on:
        return ""
    method = _METHODS.get(FeeNotice.DeliveryMethod(notice.delivery_method), notice.delivery_method)
    number = f" nr {notice.registered_mail_number}" if notice.registered_mail_number else ""
    return f"{notice.delivered_on:%d.%m.%Y}, {method}{number}"


def paper_register_pdf(*, fee_change: FeeChange, notices: Sequence[FeeNotice], generated_at: datetime) -> bytes:
    """`notices` are the change's paper notices in print order (selectors.fee_change_paper_notices), their
    addressees prefetched."""
    from cooperatives.selectors import cooperative_details

    cooperative = cooperative_details()
    effective = letters.month_pl(fee_change.effective_month)
    with translation.override("pl"):  # a Polish document whatever the office's language
        units = [str(notice.unit) for notice in notices]
    return pdf_render(template=TEMPLATE, created_at=generated_at, data={
        "title": f"Rejestr doręczeń – zmiana opłat od {effective} r.",
        "author": cooperative.name,
        "cooperative_name": cooperative.name,
        "cooperative_address": cooperative.address,
        "generated": warsaw_date(generated_at, what="generated_at", with_time=True),
        "sent": warsaw_date(fee_change.sent_at, what="sent_at") if fee_change.sent_at else "",
        "rows": [(str(number), units[number - 1],
                  ", ".join(str(person) for person in sorted(notice.addressees.all(),
                                                             key=lambda person: (person.last_name, person.first_name,
                                                                                 person.pk))) or "—",
                  _delivery(notice)) for number, notice in enumerate(notices, start=1)],
    })
