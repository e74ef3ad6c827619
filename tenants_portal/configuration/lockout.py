"""django-axes reads the lockout policy of the cooperative whose schema the request is on."""

from datetime import timedelta

from axes.attempts import get_cool_off_threshold
from axes.conf import settings as axes_settings
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.db import connection
from django.db.models import Q
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


class LockoutDatabaseHandler(AxesDatabaseHandler):
    """axes' database handler, with a successful sign-in's bookkeeping in two statements.

    Stock axes clears expired attempts and then the signing-in user's attempts with Django's
    delete(): a SELECT and a transaction for each of three querysets, nine round trips on every
    sign-in even when there is nothing to delete. AccessAttempt has no rows pointing at it (attempt
    expiration records are off), so a plain DELETE does the same.
    """

    def clean_expired_user_attempts(self, request: HttpRequest | None = None, credentials: dict | None = None) -> int:
        if axes_settings.AXES_COOLOFF_TIME is None or axes_settings.AXES_USE_ATTEMPT_EXPIRATION:
            return super().clean_expired_user_attempts(request, credentials)
        expired = AccessAttempt.objects.filter(attempt_time__lte=get_cool_off_threshold(request))
        return expired._raw_delete(expired.db)

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        if axes_settings.AXES_USE_ATTEMPT_EXPIRATION:
            return super().reset_user_attempts(request, credentials)
        matching = Q()
        for attempts in self.filter_user_attempts(request, credentials):
            matching |= Q(pk__in=attempts.values("pk"))
        attempts = AccessAttempt.objects.filter(matching)
        return attempts._raw_delete(attempts.db)
