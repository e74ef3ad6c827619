"""Reads of the API: credentials by their secret, the resident's own units and online payments."""

import hashlib
import uuid

from django.db.models import F, QuerySet
from django.utils import timezone

from iok.access import access_get
from iok.formats import local
from tenants_portal.accounts.models import User
from tenants_portal.accounts.roles import Section, may_use
from tenants_portal.online_payments.models import OnlinePayment
from tenants_portal.online_payments.selectors import payments_of_payer
from tenants_portal.registry.models import Unit
from tenants_portal.registry.selectors import person_of, units_current_for_person

from .models import ApiKey, ApiToken

TOKEN_PREFIX = "iokt_"  # noqa: S105 - a label, not a secret
KEY_PREFIX = "iokk_"


def secret_hash(secret: str) -> str:
    # The secrets are 256 random bits: a plain SHA-256 is as good as a slow hash and costs nothing per request.
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_find(*, secret: str) -> ApiToken | None:
    """The live token with this secret, of an account that may still sign in; None otherwise."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = (ApiToken.objects.select_related("user")
             .filter(key_hash=secret_hash(secret), revoked_at__isnull=True, expires_at__gt=timezone.now()).first())
    if token is None or not token.user.is_active or token.user.closed_at is not None:
        return None
    return token


def api_key_find(*, secret: str) -> ApiKey | None:
    if not secret.startswith(KEY_PREFIX) or len(secret) > 100:
        return None
    return ApiKey.objects.filter(secret_hash=secret_hash(secret), revoked_at__isnull=True).first()


def api_keys_list() -> QuerySet[ApiKey]:
    return ApiKey.objects.order_by(F("revoked_at").asc(nulls_first=True), "name", "pk")


def access_api_key(*, user: User, id: int) -> ApiKey:
    # The key's page names who created and who revoked it.
    return access_get(ApiKey.objects.select_related("created_by", "revoked_by"), pk=id,
                      allowed=may_use(user, Section.CONFIGURATION))


def resident_units_current(*, user: User) -> list[Unit]:
    return units_current_for_person(person=person_of(user))


def access_resident_unit(*, user: User, id: int) -> Unit:
    """One of the resident's current units; the same 404 for a unit that is missing and one that is not theirs."""
    return access_get(resident_units_current(user=user), pk=id)


def access_resident_online_payment(*, user: User, id: uuid.UUID) -> OnlinePayment:
    """One of the payments the resident made; the same 404 for one that is missing and someone else's."""
    return access_get(payments_of_payer(payer_id=user.pk), pk=id)


def own_data_app_tokens(user: User) -> list[dict]:
    """The person's app sign-ins (never the tokens themselves)."""
    return [{"device": token.name, "issued_at": local(token.created_at), "last_used_at": local(token.last_used_at),
             "expires_at": local(token.expires_at), "revoked_at": local(token.revoked_at)}
            for token in ApiToken.objects.filter(user=user).order_by("created_at")]
