"""STAND-IN of i21-delivery, to be replaced at merge by i21-letters' letters.py (the tagged letter of a
fee change to one unit, letter.typ): only `fee_notice_letter_pdf(*, notice)`, the one function the resident's
notice page and the API call, with the same signature, drawn here as a plain tagged PDF so that the views and
their tests work before the real letter exists. Nothing else may import from this file."""

from decimal import Decimal

from billing_views.statement import money_pl
from cooperatives.selectors import cooperative_current
from iok.pdf import plain_pdf

from .models import BASIS_SHORT, FeeNotice

_MONTHS_GENITIVE = ("stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia",
                    "września", "października", "listopada", "grudnia")


def fee_notice_letter_pdf(*, notice: FeeNotice) -> bytes:
    """The letter of a sent notice as a PDF (stand-in: the components, the total, the basis, the justification)."""
    change = notice.fee_change
    month = f"{change.effective_month.day} {_MONTHS_GENITIVE[change.effective_month.month - 1]} " \
            f"{change.effective_month.year}"
    lines = list(change.lines.filter(unit=notice.unit).select_related("component")
                 .order_by("component__sort_order", "component__name"))
    paragraphs = [f"Lokal: {notice.unit}."]
    paragraphs += [f"{line.component.name}: {money_pl(line.current_amount)} → {money_pl(line.new_amount)}"
                   for line in lines]
    total = sum((line.new_amount for line in lines), Decimal("0.00"))
    paragraphs += [f"Razem od {month}: {money_pl(total)}.", f"Podstawa prawna: {BASIS_SHORT[change.basis]} "
                   "ustawy o spółdzielniach mieszkaniowych.", change.justification or "Uzasadnienie w załączniku."]
    return plain_pdf(title=f"Zawiadomienie o zmianie opłat od {month}", author=cooperative_current().name,
                     paragraphs=paragraphs, created_at=change.sent_at)
