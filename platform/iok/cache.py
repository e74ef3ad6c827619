"""Cache key functions: tenant data is namespaced by schema, platform data by a fixed prefix."""

import logging
from typing import Any

from django.core import signing
from django_redis.serializers.json import JSONSerializer

from .db import connection

logger = logging.getLogger(__name__)


def schema_key(key: str, key_prefix: str, version: int) -> str:
    # The schema comes from the live connection, so code in cooperative A can never read or
    # overwrite a value cached by cooperative B even when both use the same logical key.
    return f"{key_prefix}:{connection.schema_name}:{version}:{key}"


def platform_key(key: str, key_prefix: str, version: int) -> str:
    return f"{key_prefix}:platform:{version}:{key}"


# Values that decide where a request goes or what SQL runs (the host -> schema route, the schema clone
# script, a cooperative's settings) are sealed: signed with SECRET_KEY under a salt naming what they
# are for (the host, the schema), so a value planted in Redis, or copied from another key, is refused
# and read again from the database. Every value is JSON (settings.CACHES' serializer): nothing read from
# Redis is ever unpickled.
def cache_seal(value: Any, *, scope: str) -> str:
    return signing.dumps(value, salt=f"iok.cache:{scope}", compress=True)


def cache_unseal(sealed: Any, *, scope: str) -> Any | None:
    """The value cache_seal sealed for `scope`, or None (a miss) for anything else."""
    if not isinstance(sealed, str):
        return None
    try:
        return signing.loads(sealed, salt=f"iok.cache:{scope}")
    except signing.BadSignature:
        logger.warning("a cached value for %s failed its signature check; read from the database", scope)
        return None


class JsonSerializer(JSONSerializer):
    """django-redis' JSON serializer that takes anything else in Redis (a pickle left by an older release,
    something planted) as a miss rather than failing every request that reads it."""

    def loads(self, value: bytes) -> Any:
        try:
            return super().loads(value)
        except (ValueError, UnicodeDecodeError):
            logger.warning("a cached value is not JSON; ignored")
            return None
