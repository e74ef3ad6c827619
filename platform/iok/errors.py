"""Error pages: plain, in Polish, never a stack trace. Under /api/ the same errors come in the API's
JSON error shape (described in tenants_portal.api.errors), built here so that the layers below the API
(routing, sign-in lockout, session middleware) answer API clients in it too."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext
from rest_framework import exceptions

from iok.ratelimits import RateLimited, rate_limited_message

API_PATH_PREFIX = "/api/"


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PATH_PREFIX)


def api_error_response(*, status: int, code: str, detail: str, headers: dict | None = None) -> JsonResponse:
    kind = "server_error" if status >= 500 else "client_error"
    response = JsonResponse({"type": kind, "errors": [{"code": code, "detail": str(detail), "attr": None}]},
                            status=status, json_dumps_params={"ensure_ascii": False})
    # Some of these answer before NoStoreMiddleware could see them (AxesMiddleware's lockout, routing).
    response["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def not_found_response() -> JsonResponse:
    return api_error_response(status=404, code="not_found", detail=str(exceptions.NotFound.default_detail))


def permission_denied_response() -> JsonResponse:
    return api_error_response(status=403, code="permission_denied",
                              detail=str(exceptions.PermissionDenied.default_detail))


def bad_request_response() -> JsonResponse:
    return api_error_response(status=400, code="parse_error", detail=str(exceptions.ParseError.default_detail))


def server_error_response() -> JsonResponse:
    return api_error_response(status=500, code="error", detail=str(exceptions.APIException.default_detail))


def locked_out_response(*, minutes: int) -> JsonResponse:
    return api_error_response(status=429, code="locked_out", detail=ngettext(
        "Too many failed sign-in attempts. Signing in is blocked for %(minutes)d minute.",
        "Too many failed sign-in attempts. Signing in is blocked for %(minutes)d minutes.",
        minutes) % {"minutes": minutes}, headers={"Retry-After": str(minutes * 60)})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return not_found_response()
    return render(request, "errors/404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RateLimited):
        return too_many_requests(request, exception)
    if is_api_request(request):
        return permission_denied_response()
    return render(request, "errors/403.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return bad_request_response()
    return render(request, "errors/400.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return server_error_response()
    # No context processors beyond the request: the failure may be in one of them.
    return render(request, "errors/500.html", status=500)


def too_many_requests(request: HttpRequest, exception: RateLimited) -> HttpResponse:
    """A limit of iok.ratelimits was reached: 429 with when to try again, as a page or the API's JSON."""
    retry_after = {"Retry-After": str(exception.limit.seconds)}
    if is_api_request(request):
        return api_error_response(status=429, code="throttled", detail=rate_limited_message(exception.limit),
                                             headers=retry_after)
    response = render(request, "errors/429.html", {"message": rate_limited_message(exception.limit)}, status=429)
    response["Retry-After"] = retry_after["Retry-After"]
    return response
