"""The cooperative's logo and colours, served to every visitor of its pages (the sign-in page included)."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from iok.uploads import file_response

from .selectors import branding_get, instance_settings_get


@require_GET
def logo_view(request: HttpRequest) -> FileResponse:
    """The cooperative's logo, for every visitor of its pages (the sign-in page shows it too)."""
    current = instance_settings_get()
    if not current.logo_path:
        raise Http404
    response = file_response(path=current.logo_path, content_type=current.logo_content_type)
    # The URL carries the logo's version: a new logo has a new URL, so this one may be kept.
    if request.GET.get("v") == branding_get().logo_version:
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@require_GET
def brand_css_view(request: HttpRequest) -> HttpResponse:
    """The cooperative's colours as CSS custom properties (a file, so a strict CSP can forbid inline styles)."""
    branding = branding_get()
    response = HttpResponse(branding.css(), content_type="text/css; charset=utf-8")
    if request.GET.get("v") == branding.version:
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
