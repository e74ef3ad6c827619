"""Host-based routing: which cooperative (schema) a request belongs to, or the platform site.

Replaces django-tenants' TenantMainMiddleware, which costs a domain query plus a `SET search_path`
on every request. Here the host -> cooperative table comes from cache, and the search path is only
changed when the connection is not already on that cooperative's schema: at most one extra round
trip per request, usually none (`make bench ONLY=routing` measures it).
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponsePermanentRedirect
from django.http.request import split_domain_port
from django.shortcuts import render
from django.urls import set_urlconf
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from iok.db import connection, connection_recycle_if_spread
from iok.errors import api_error_response, is_api_request, not_found_response
from iok.fairness import cooperative_request_slot

from .models import Cooperative
from .routing import CooperativeRoute, route_for_host

BUSY_RETRY_SECONDS = 2


class RoutedRequest(HttpRequest):
    """A request as CooperativeRoutingMiddleware leaves it: its cooperative (None on the platform site;
    `tenant` is django-tenants' name for it, set on a cooperative's host only) and its URL conf."""

    cooperative: Cooperative | None
    tenant: Cooperative
    urlconf: str


def hostname_of(request: HttpRequest) -> str:
    """The request's host without port, lowercased; raises DisallowedHost for hosts not allowed."""
    host = request.get_host().lower()
    if host.startswith("["):  # IPv6 literal
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if ":" in host else host


def _use_public_schema() -> None:
    if connection.schema_name != get_public_schema_name():
        connection.set_schema_to_public()


def unknown_host_response(request: HttpRequest) -> HttpResponse:
    _use_public_schema()
    if is_api_request(request):
        return not_found_response()
    return render(request, "errors/unknown_host.html", status=404)


def suspended_response(request: HttpRequest, *, route: CooperativeRoute) -> HttpResponse:
    """Every path of a suspended cooperative, before any view: a notice page with its offices' addresses and
    phone numbers (its data is untouched), or for the API its JSON refusal."""

    _use_public_schema()
    if is_api_request(request):
        return api_error_response(status=403, code="cooperative_suspended", detail=_(
            "The online account of %(cooperative)s is suspended.") % {"cooperative": route.name})
    # The offices come from the registry, a layer above this one: settings name the function that lists them.
    with schema_context(route.schema_name):
        offices = list(import_string(settings.IOK_SUSPENDED_PAGE_OFFICES)())
    return render(request, "errors/cooperative_suspended.html", {"cooperative_name": route.name, "offices": offices},
                  status=403)


def busy_response(request: HttpRequest) -> HttpResponse:
    """The cooperative has as many requests in progress as it may (iok.fairness): try again in a moment."""
    detail = _("Too many requests to this cooperative's online account at the moment. "
               "Please try again in a few seconds.")
    headers = {"Retry-After": str(BUSY_RETRY_SECONDS)}
    if is_api_request(request):
        return api_error_response(status=429, code="cooperative_busy", detail=detail, headers=headers)
    response = render(request, "errors/busy.html", {"detail": detail}, status=429)
    # Answered before NoStoreMiddleware could see it.
    response["Retry-After"], response["Cache-Control"] = headers["Retry-After"], "no-store"
    return response


def host_is_served(hostname: str) -> bool:
    """Whether a host name is one the platform answers: its own (PLATFORM_HOSTS: BASE_DOMAIN, and what else
    the deployment lists), any name under BASE_DOMAIN (routing answers an unknown one with its 404 page),
    or a verified domain in the routing table. What Django's ALLOWED_HOSTS would check, from the table."""
    if not hostname:
        return False
    if hostname in settings.PLATFORM_HOSTS or hostname.endswith(f".{settings.BASE_DOMAIN}"):
        return True
    return route_for_host(hostname=hostname) is not None


class HostCheckMiddleware:
    """The Host header's check, first of all middleware: a host that is not the platform's and not a verified
    domain of a cooperative gets 400 before anything reads it.

    Django's ALLOWED_HOSTS is a fixed list and cannot follow the domains table, so settings leave it open
    (["*"]) and this middleware does its work; cooperatives.checks refuses to start when it is not first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            hostname, _port = split_domain_port(request.get_host().lower())
        except DisallowedHost:  # a malformed Host header (Django's own syntax check)
            hostname = ""
        if not host_is_served(hostname):
            response = HttpResponseBadRequest(_("This address is not served here."), content_type="text/plain")
            response["Content-Security-Policy"] = "default-src 'none'"
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)


def primary_redirect(request: HttpRequest, *, primary_host: str) -> HttpResponse:
    """The same path and query on the cooperative's primary address, permanently (301 for GET and HEAD, 308,
    which keeps the method and body, for the rest), through the same scheme and port the request came by."""
    _hostname, port = split_domain_port(request.get_host())
    location = f"{request.scheme}://{primary_host}{f':{port}' if port else ''}{request.get_full_path()}"
    response = HttpResponsePermanentRedirect(location)
    if request.method not in ("GET", "HEAD"):
        response.status_code = 308
    return response


class CooperativeRoutingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: RoutedRequest) -> HttpResponse:
        request.cooperative = None
        try:
            hostname = hostname_of(request)
        except DisallowedHost:
            return unknown_host_response(request)

        if hostname in settings.PLATFORM_HOSTS:
            _use_public_schema()
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
        else:
            route = route_for_host(hostname=hostname)
            if route is None:
                return unknown_host_response(request)
            if not route.is_active:
                return suspended_response(request, route=route)
            # Another name of a cooperative with a primary address: browsers and links move there for good.
            # The API stays on every verified name: clients drop their Authorization header when a redirect
            # changes the host, so a redirect would break existing integrations (its links use the primary).
            if route.primary_host and not is_api_request(request):
                return primary_redirect(request, primary_host=route.primary_host)
            tenant = route.as_tenant(hostname=hostname)
            if connection.schema_name == tenant.schema_name:
                # Same schema as this connection's previous request: the search path is already
                # right (django-tenants forgets it on close and rollback), so skip the SET.
                connection.tenant = tenant
            else:
                connection.set_tenant(tenant)
            request.tenant = tenant
            request.cooperative = tenant
            request.urlconf = settings.ROOT_URLCONF
            set_urlconf(request.urlconf)
            with cooperative_request_slot(schema_name=tenant.schema_name) as admitted:
                response = self.get_response(request) if admitted else busy_response(request)
            connection_recycle_if_spread(schema_name=tenant.schema_name)
            return response
        set_urlconf(request.urlconf)
        return self.get_response(request)


SESSION_SCHEMA_KEY = "_iok_schema"


class SessionBoundToCooperativeMiddleware:
    """A session belongs to the schema it was created on; anywhere else it is ended.

    Sessions are stored in each schema's own table, so a session id of cooperative A is unknown on
    B anyway; this check keeps that promise even if sessions move to a shared store.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        bound_to = session.get(SESSION_SCHEMA_KEY)
        if bound_to is not None and bound_to != connection.schema_name:
            logout(request)
        elif bound_to is None and request.user.is_authenticated:
            session[SESSION_SCHEMA_KEY] = connection.schema_name
        return self.get_response(request)
