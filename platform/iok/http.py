"""Response headers every page gets, and generated files (PDF, CSV) as responses."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.http import content_disposition_header


class NoStoreMiddleware:
    """Nothing the application renders may be kept by a browser or a proxy: pages carry personal data
    and a shared computer's back button must not show them (tests/test_cookies_and_headers.py).

    Static assets never reach this middleware (WhiteNoise answers them first); a view that is
    genuinely public and cacheable sets its own Cache-Control, which is left alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response


class LanguageMiddleware(LocaleMiddleware):
    """Polish unless the person chose English with the language switch (a cookie).

    The browser's Accept-Language is ignored on purpose: many residents' computers are set to
    English by whoever installed them, yet they read Polish and expect their cooperative's site in it.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def file_generated_response(content: bytes | str, *, content_type: str, file_name: str,
                            as_attachment: bool = True) -> HttpResponse:
    """A file made for this request (a PDF, a CSV), saved under `file_name` (shown inline when not
    `as_attachment`); the name may hold Polish letters (RFC 6266 filename*)."""
    response = HttpResponse(content, content_type=content_type)
    disposition = content_disposition_header(as_attachment, file_name)
    if disposition:  # None only for an inline file without a name, which needs no header
        response["Content-Disposition"] = disposition
    return response
