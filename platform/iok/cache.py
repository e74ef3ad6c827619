"""Cache key functions: tenant data is namespaced by schema, platform data by a fixed prefix."""

from django.db import connection


def schema_key(key: str, key_prefix: str, version: int) -> str:
    # The schema comes from the live connection, so code in cooperative A can never read or
    # overwrite a value cached by cooperative B even when both use the same logical key.
    return f"{key_prefix}:{connection.schema_name}:{version}:{key}"


def platform_key(key: str, key_prefix: str, version: int) -> str:
    return f"{key_prefix}:platform:{version}:{key}"
