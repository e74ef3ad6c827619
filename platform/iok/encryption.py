"""Secrets kept in the database encrypted at rest (a payment gateway's credentials): Fernet tokens
(AES-128-CBC with HMAC-SHA256) under keys that come from the environment, never from the database.

SECRETS_ENCRYPTION_KEYS lists Fernet keys, newest first: the first encrypts, every one decrypts, so a
key is rotated by putting a new one in front and re-saving the secrets. Production refuses to start
without one (config.settings.production); elsewhere a key is derived from SECRET_KEY, so `make run`
and the tests need no extra setting."""

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.exceptions import ImproperlyConfigured


class SecretUnreadable(Exception):
    """The stored secret was encrypted under a key that is no longer configured (or was altered)."""


@cache
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if not keys:
        derived = hashlib.sha256(f"iok-secrets-encryption:{secret_key}".encode()).digest()
        keys = (base64.urlsafe_b64encode(derived).decode(),)
    return MultiFernet([Fernet(key) for key in keys])


def _current() -> MultiFernet:
    keys = tuple(getattr(settings, "SECRETS_ENCRYPTION_KEYS", ()))
    if not keys and getattr(settings, "SECRETS_ENCRYPTION_KEYS_REQUIRED", False):
        raise ImproperlyConfigured("Set SECRETS_ENCRYPTION_KEYS: secrets are never encrypted under a key derived "
                                   "from SECRET_KEY in production.")
    return _fernet(keys, settings.SECRET_KEY)


@register(Tags.security, deploy=True)
def encryption_keys_check(app_configs, **kwargs) -> list[CheckMessage]:
    """`manage.py check --deploy`: production without its own encryption keys is an error."""
    if getattr(settings, "SECRETS_ENCRYPTION_KEYS_REQUIRED", False) and not settings.SECRETS_ENCRYPTION_KEYS:
        return [Error("SECRETS_ENCRYPTION_KEYS is not set.", hint="See deploy/env.example.", id="iok.E001")]
    try:
        _fernet(tuple(settings.SECRETS_ENCRYPTION_KEYS), settings.SECRET_KEY)
    except (ValueError, TypeError):
        return [Error("SECRETS_ENCRYPTION_KEYS holds a value that is not a Fernet key.", id="iok.E002")]
    return []


def secret_encrypt(plain: str) -> str:
    return _current().encrypt(plain.encode()).decode()


def secret_decrypt(token: str) -> str:
    try:
        return _current().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise SecretUnreadable from error
