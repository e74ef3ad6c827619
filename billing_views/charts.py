"""The fee chart on the resident's ledger page: server-rendered SVG (no script, no inline style), one row
per month, so that it reads on a 360 px phone as well as on a desktop: the month on the left, a bar
from the zero axis, the amount on the right, and a scale below."""

import datetime
from decimal import ROUND_CEILING, Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .statement import money_pl

WIDTH = 340
LABEL, VALUE = 58, 84  # the month column on the left, the amount column on the right
ROW, BAR, TOP, AXIS = 24, 14, 6, 30


def _scale_top(highest: Decimal) -> Decimal:
    """The scale's end: the highest fee rounded up to a round figure (1, 2 or 5 times a power of ten)."""
    if highest <= 0:
        return Decimal("1")
    power = Decimal(10) ** (len(str(int(highest))) - 1)
    for step in (1, 2, 5, 10):
        if highest <= step * power:
            return step * power
    return (highest / power).to_integral_value(ROUND_CEILING) * power


# A month announced but not yet charged (a fee change coming): its bar is drawn as a dashed outline.
_COMING = 'fill="none" stroke="currentColor" stroke-dasharray="3 2"'


def fee_chart_svg(*, history: list[tuple[datetime.date, Decimal]], title: str,
                  coming: list[tuple[datetime.date, Decimal]] | None = None) -> SafeString:
    """`history` the months charged, oldest first; `coming` the fee of months announced and not yet charged
    (billing_views.coming), drawn after them as outlines."""
    if not history:
        return SafeString("")
    months = [(period, total, False) for period, total in history] + [
        (period, total, True) for period, total in coming or []]
    top = _scale_top(max(total for _period, total, _coming in months))
    plot = WIDTH - LABEL - VALUE
    height = TOP + ROW * len(months) + AXIS
    base = TOP + ROW * len(months)
    rows = format_html_join("\n", (
        '<text x="{}" y="{}" text-anchor="end" font-size="12">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" {}/>'
        '<text x="{}" y="{}" text-anchor="end" font-size="12">{}</text>'), [
        (LABEL - 6, TOP + ROW * index + 16, period.strftime("%m.%Y"),
         LABEL, TOP + ROW * index + (ROW - BAR) // 2, f"{float(max(total, Decimal('0')) / top) * plot:.1f}", BAR,
         SafeString(_COMING if is_coming else 'fill="currentColor"'),
         WIDTH - 2, TOP + ROW * index + 16, money_pl(total))
        for index, (period, total, is_coming) in enumerate(months)])
    ticks = format_html_join("\n", (
        '<line x1="{x}" y1="{base}" x2="{x}" y2="{tick}" stroke="currentColor"/>'
        '<text x="{x}" y="{label}" text-anchor="{anchor}" font-size="11">{text}</text>'), [
        {"x": f"{LABEL + plot * share:.1f}", "base": base, "tick": base + 4, "label": base + 17,
         "anchor": "start" if share == 0 else "middle", "text": money_pl(top * Decimal(share)).replace(",00", "")}
        for share in (0, 0.5, 1)])
    return format_html(
        '<svg class="fee-chart" viewBox="0 0 {width} {height}" role="img" aria-label="{title}" '
        'xmlns="http://www.w3.org/2000/svg"><title>{title}</title>{rows}'
        '<line x1="{label}" y1="{top}" x2="{label}" y2="{base}" stroke="currentColor" stroke-width="1.5"/>'
        '<line x1="{label}" y1="{base}" x2="{end}" y2="{base}" stroke="currentColor" stroke-width="1.5"/>'
        '{ticks}</svg>',
        width=WIDTH, height=height, title=title, rows=rows, label=LABEL, top=TOP, base=base, end=LABEL + plot,
        ticks=ticks)
