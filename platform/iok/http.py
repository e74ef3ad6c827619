"""Response headers every page gets."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class NoStoreMiddleware:
    """Nothing the application renders may be kept by a browser or a proxy (DESIGN.md §5.12).

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
