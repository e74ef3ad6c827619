"""Writes of the API: app tokens and the systems' keys. Each runs in one transaction and is audited."""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing_views.models import ImportRun
from tenants_portal.accounts.models import User
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.services import audit_record

from .models import ApiKey, ApiToken
from .selectors import KEY_PREFIX, TOKEN_PREFIX, secret_hash

# An app signs in again after this long; an idle token dies earlier (TOKEN_IDLE).
TOKEN_LIFETIME = datetime.timedelta(days=90)
TOKEN_IDLE = datetime.timedelta(days=30)
# Writing last_used_at on every request would cost a write per call; an hour of imprecision does not matter.
LAST_USED_RESOLUTION = datetime.timedelta(hours=1)


def _secret(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def api_token_issue(*, user: User, name: str = "", ip_address: str | None = None) -> tuple[ApiToken, str]:
    """A new token for an account that has just signed in; returns the row and the secret (shown once)."""
    secret = _secret(TOKEN_PREFIX)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, key_hash=secret_hash(secret), name=name.strip()[:100],
                                        expires_at=timezone.now() + TOKEN_IDLE, ip_address=ip_address)
        audit_record(acting_user=user, action=AuditAction.API_TOKEN_ISSUED, target=user.get_username(),
                     details={"token": token.pk, "device": token.name}, ip_address=ip_address)
    return token, secret


def api_token_revoke(*, token: ApiToken, acting_user: User, ip_address: str | None = None) -> None:
    """Sign out of an app: this token stops working at once."""
    with transaction.atomic():
        revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revocation=ApiToken.Revocation.SIGNED_OUT)
        if revoked:
            audit_record(acting_user=acting_user, action=AuditAction.API_TOKEN_REVOKED,
                         target=token.user.get_username(), details={"token": token.pk, "device": token.name},
                         ip_address=ip_address)


def api_tokens_revoke_all(*, user: User, reason: str) -> int:
    """Every live token of the account stops working (password changed, account closed)."""
    with transaction.atomic():
        count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revocation=reason)
        if count:
            audit_record(acting_user=None, action=AuditAction.API_TOKENS_REVOKED, target=user.get_username(),
                         details={"count": count, "reason": reason})
    return count


def api_token_touch(*, token: ApiToken) -> None:
    """Note the use of a token (at most once an hour) and end a token idle for too long."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, expires_at=min(
            token.created_at + TOKEN_LIFETIME, now + TOKEN_IDLE))


def _scopes_check(scopes: list[str]) -> list[str]:
    chosen = [scope for scope in ApiKey.Scope.values if scope in scopes]
    if not chosen or len(chosen) != len(set(scopes)):
        raise ValidationError(_("Choose at least one permission for the key."), code="scopes")
    return chosen


def api_key_create(*, acting_user: User, name: str, scopes: list[str]) -> tuple[ApiKey, str]:
    """A new key for a system of the cooperative; returns the row and the secret (shown once)."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the key a name, e.g. the accounting system's name."), code="name")
    chosen = _scopes_check(scopes)
    secret = _secret(KEY_PREFIX)
    with transaction.atomic():
        key = ApiKey.objects.create(name=name[:100], prefix=secret[:13], secret_hash=secret_hash(secret),
                                    scopes=chosen, created_by=acting_user)
        audit_record(acting_user=acting_user, action=AuditAction.API_KEY_CREATED, target=key.name,
                     details={"key": key.pk, "prefix": key.prefix, "scopes": chosen})
    return key, secret


def api_key_rotate(*, acting_user: User, key: ApiKey) -> tuple[ApiKey, str]:
    """A new secret for the key; the old one stops working at once."""
    secret = _secret(KEY_PREFIX)
    with transaction.atomic():
        key = ApiKey.objects.select_for_update().get(pk=key.pk)
        if key.is_revoked:
            raise ValidationError(_("A revoked key cannot get a new secret; create a new key."), code="revoked")
        previous = key.prefix
        key.prefix, key.secret_hash, key.rotated_at = secret[:13], secret_hash(secret), timezone.now()
        key.save(update_fields=["prefix", "secret_hash", "rotated_at"])
        audit_record(acting_user=acting_user, action=AuditAction.API_KEY_ROTATED, target=key.name,
                     details={"key": key.pk, "previous_prefix": previous, "prefix": key.prefix})
    return key, secret


def api_key_scopes_update(*, acting_user: User, key: ApiKey, scopes: list[str]) -> ApiKey:
    chosen = _scopes_check(scopes)
    with transaction.atomic():
        key = ApiKey.objects.select_for_update().get(pk=key.pk)
        if key.is_revoked:
            raise ValidationError(_("A revoked key cannot be changed."), code="revoked")
        before = list(key.scopes)
        if before != chosen:
            key.scopes = chosen
            key.save(update_fields=["scopes"])
            audit_record(acting_user=acting_user, action=AuditAction.API_KEY_SCOPES_CHANGED, target=key.name,
                         details={"key": key.pk, "scopes": [before, chosen]})
    return key


def api_key_revoke(*, acting_user: User, key: ApiKey) -> ApiKey:
    with transaction.atomic():
        key = ApiKey.objects.select_for_update().get(pk=key.pk)
        if not key.is_revoked:
            key.revoked_at, key.revoked_by = timezone.now(), acting_user
            key.save(update_fields=["revoked_at", "revoked_by"])
            audit_record(acting_user=acting_user, action=AuditAction.API_KEY_REVOKED, target=key.name,
                         details={"key": key.pk, "prefix": key.prefix})
    return key


def api_key_touch(*, key: ApiKey) -> None:
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)


def api_import_receive(*, key: ApiKey | None, acting_user: User | None, data: bytes, filename: str) -> ImportRun:
    """A file sent by the accounting system through the API; processed after commit like an upload."""
    from billing_views.imports.services import import_receive

    with transaction.atomic():
        run = import_receive(data=data, filename=filename, source=ImportRun.Source.API, acting_user=acting_user)
        if key is not None:
            audit_record(acting_user=None, action=AuditAction.API_KEY_USED, target=key.name,
                         details={"key": key.pk, "prefix": key.prefix, "import": run.pk})
    return run
