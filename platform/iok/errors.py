"""Error pages: plain, in Polish, never a stack trace. Under /api/ the same errors come as the API's
JSON error shape (tenants_portal.api.errors)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenants_portal.api import errors as api_errors


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if api_errors.is_api_request(request):
        return api_errors.not_found_response()
    return render(request, "errors/404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
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
