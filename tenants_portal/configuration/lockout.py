"""django-axes reads the lockout policy of the cooperative whose schema the request is on."""

from datetime import timedelta

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_tenants.utils import get_public_schema_name

# The platform site (operators) has no cooperative settings: a fixed, strict policy.
PLATFORM_FAILURE_LIMIT = 5
PLATFORM_COOL_OFF = timedelta(minutes=30)


def failure_limit(request: HttpRequest, credentials: dict | None = None) -> int:
    if connection.schema_name == get_public_schema_name():
        return PLATFORM_FAILURE_LIMIT
    from .selectors import instance_settings_get

    return instance_settings_get().lockout_failures


def cool_off(request: HttpRequest | None = None) -> timedelta:
    if connection.schema_name == get_public_schema_name():
        return PLATFORM_COOL_OFF
    from .selectors import instance_settings_get

    return timedelta(minutes=instance_settings_get().lockout_minutes)


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """The same page whether or not the login exists: it says nothing about the account."""
    minutes = max(1, int(cool_off(request).total_seconds() // 60))
    from tenants_portal.api.errors import is_api_request, locked_out_response

    if is_api_request(request):
        return locked_out_response(minutes=minutes)
    return render(request, "errors/locked_out.html", {"minutes": minutes}, status=429)
