from typing import cast

from django.core import serializers
from django.core.cache import cache

from iok.cache import cache_seal, cache_unseal
from iok.db import connection
from iok.memo import request_memo, request_memo_forget

from .models import InstanceSettings

_CACHE_KEY = "instance-settings"


def instance_settings_get() -> InstanceSettings:
    """The current cooperative's settings (the cache key carries the schema), created on first use; read
    once per request. Callers read it and do not change it: changes go through instance_settings_update."""
    return request_memo(_CACHE_KEY, _instance_settings_cached)


def _instance_settings_cached() -> InstanceSettings:
    # The row in Django's JSON serialisation, sealed for this schema (iok.cache.cache_seal): the password
    # policy and the lockout come from here, so a value planted in Redis or copied from another
    # cooperative's key is read again from the database instead.
    scope = f"instance-settings:{connection.schema_name}"
    sealed = cache_unseal(cache.get(_CACHE_KEY), scope=scope)
    if sealed is not None:
        return cast(InstanceSettings, next(serializers.deserialize("json", sealed)).object)
    settings, _ = InstanceSettings.objects.get_or_create(pk=1)
    cache.set(_CACHE_KEY, cache_seal(serializers.serialize("json", [settings]), scope=scope), 300)
    return settings


def instance_settings_forget() -> None:
    request_memo_forget(_CACHE_KEY)
    cache.delete(_CACHE_KEY)


def branding_get():
    """The cooperative's colours and logo for its pages (configuration.branding.Branding)."""
    from .branding import Branding

    settings = instance_settings_get()
    return Branding(primary=settings.brand_primary, accent=settings.brand_accent,
                    logo_version=settings.logo_path.rsplit("/", 1)[-1].split(".")[0] if settings.logo_path else "")
