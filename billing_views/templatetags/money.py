from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def pln(amount: Decimal | None) -> str:
    """1234.5 -> "1 234,50 zł" (Polish grouping with a non-breaking space, decimal comma)."""
    if amount is None:
        return ""
    from billing_views.statement import money_pl

    return money_pl(Decimal(amount))


@register.filter
def absolute(amount: Decimal) -> Decimal:
    return abs(amount)
