"""Old links (configuration.old_links): an address a cooperative's host has no page for, found in its table of
old links, is answered with a permanent redirect instead of the 404 page."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from .old_links import old_link_target


class OldLinksMiddleware:
    """Right after routing: it sees the final 404 of whatever inside answered it. Costs a query only on 404s."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (response.status_code != 404 or getattr(request, "cooperative", None) is None
                or request.method not in ("GET", "HEAD")):
            return response
        target = old_link_target(path=request.path)
        if target is None:
            return response
        query = request.META.get("QUERY_STRING", "")
        if query:
            target = f"{target}{'&' if '?' in target else '?'}{query}"
        return HttpResponsePermanentRedirect(target)
