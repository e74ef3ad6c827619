"""Error pages: plain, in Polish, never a stack trace. Under /api/ the same errors come as the API's
JSON error shape (tenants_portal.api.errors)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from iok.ratelimits import RateLimited, rate_limited_message
from tenants_portal.api import errors as api_errors


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if api_errors.is_api_request(request):
        return api_errors.not_found_response()
    return render(request, "errors/404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RateLimited):
        return too_many_requests(request, exception)
    if api_errors.is_api_request(request):
        return api_errors.permission_denied_response()
    return render(request, "errors/403.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if api_errors.is_api_request(request):
        return api_errors.bad_request_response()
    return render(request, "errors/400.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    if api_errors.is_api_request(request):
        return api_errors.server_error_response()
    # No context processors beyond the request: the failure may be in one of them.
    return render(request, "errors/500.html", status=500)


def too_many_requests(request: HttpRequest, exception: RateLimited) -> HttpResponse:
    """A limit of iok.ratelimits was reached: 429 with when to try again, as a page or the API's JSON."""
    retry_after = {"Retry-After": str(exception.limit.seconds)}
    if api_errors.is_api_request(request):
        return api_errors.api_error_response(status=429, code="throttled", detail=rate_limited_message(exception.limit),
                                             headers=retry_after)
    response = render(request, "errors/429.html", {"message": rate_limited_message(exception.limit)}, status=429)
    response["Retry-After"] = retry_after["Retry-After"]
    return response
