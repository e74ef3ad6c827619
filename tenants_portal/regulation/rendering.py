"""Regulation text is Markdown written by cooperative admins; it is rendered and then sanitised,
so that no script or foreign markup reaches residents' browsers."""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

_ALLOWED_TAGS = {"h1", "h2", "h3", "h4", "p", "ul", "ol", "li", "strong", "em", "a", "br", "blockquote", "hr",
                 "table", "thead", "tbody", "tr", "th", "td"}


def markdown_render(text: str) -> SafeString:
    html = markdown.markdown(text, extensions=["sane_lists", "tables"], output_format="html")
    clean = nh3.clean(html, tags=_ALLOWED_TAGS, attributes={"a": {"href"}, "ol": {"start"}},
                      url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow")
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
