"""The consumption chart: server-rendered SVG, readable without colour (patterns, a label on every bar)."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Bar:
    label: str  # the period, e.g. "03.2026"
    value: Decimal
    value_text: str  # formatted for the reader
    pending: bool = False  # from a reading that still awaits acceptance


WIDTH, HEIGHT = 720, 260
TOP, BOTTOM, LEFT, RIGHT = 28, 44, 8, 8


def consumption_svg(*, bars: list[Bar], title: str, description: str) -> SafeString:
    if not bars:
        return SafeString("")
    highest = max((bar.value for bar in bars), default=Decimal("0")) or Decimal("1")
    slot = (WIDTH - LEFT - RIGHT) / len(bars)
    bar_width = max(slot * 0.7, 4)
    plot_height = HEIGHT - TOP - BOTTOM
    parts = []
    for index, bar in enumerate(bars):
        height = float(max(bar.value, Decimal("0")) / highest) * plot_height
        x = LEFT + index * slot + (slot - bar_width) / 2
        y = TOP + plot_height - height
        centre = x + bar_width / 2
        parts.append((
            f"{x:.1f}", f"{y:.1f}", f"{bar_width:.1f}", f"{max(height, 1):.1f}",
            "url(#meters-dots)" if bar.pending else "url(#meters-hatch)",
            "4 3" if bar.pending else "none",
            f"{bar.label}: {bar.value_text}" + (f" ({_('awaiting acceptance')})" if bar.pending else ""),
            f"{centre:.1f}", f"{y - 6:.1f}", bar.value_text + ("*" if bar.pending else ""),
            f"{HEIGHT - BOTTOM + 18:.1f}", bar.label,
        ))
    body = format_html_join(
        "\n", '<g><rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="currentColor" stroke-width="1.5" '
              'stroke-dasharray="{}"><title>{}</title></rect>'
              '<text x="{}" y="{}" text-anchor="middle" font-size="12">{}</text>'
              '<text x="{}" y="{}" text-anchor="middle" font-size="12">{}</text></g>',
        [(x, y, w, h, fill, dash, tip, cx, ty, text, cx, ly, label)
         for x, y, w, h, fill, dash, tip, cx, ty, text, ly, label in parts])
    return format_html(
        '<svg class="meters-chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="meters-chart-title '
        'meters-chart-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="meters-chart-title">{title}</title><desc id="meters-chart-desc">{desc}</desc>'
        '<defs><pattern id="meters-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="currentColor" stroke-width="3"/></pattern>'
        '<pattern id="meters-dots" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="#fff"/><circle cx="3" cy="3" r="1.2" fill="currentColor"/></pattern></defs>'
        '<line x1="{left}" y1="{base}" x2="{right}" y2="{base}" stroke="currentColor" stroke-width="2"/>'
        '{body}</svg>',
        w=WIDTH, h=HEIGHT, title=title, desc=description, left=LEFT, right=WIDTH - RIGHT, base=TOP + plot_height,
        body=body)
