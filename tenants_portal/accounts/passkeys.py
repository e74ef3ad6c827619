"""Passkeys (WebAuthn): residents' passwordless sign-in, and the second factor of staff and operators (after the
password, an assertion bound to that user: `passkey_second_factor_options` / `passkey_second_factor_check`).

The ceremonies are py_webauthn's (the `webauthn` package); this module keeps what is ours: the relying party is
the cooperative's host (the request's host without its port), each challenge is used once, and every addition
and removal is audited. A registration's challenge waits in the signed-in session; a sign-in's waits in the
cache (Redis, under the cooperative's schema) for the ceremony's time only, so that the sign-in page, which
asks for one on every load, leaves no session row behind for anyone who merely opens it.

Signing in goes through Django's authenticate() with backends.PasskeyBackend, so axes counts a failed passkey
sign-in like a failed password, and login() fires the same signals (audit row, session times) as a password
sign-in."""

import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.http.request import split_domain_port
from django.utils import timezone
from django_tenants.utils import get_public_schema_name
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    base64url_to_bytes,
    bytes_to_base64url,
    parse_authentication_credential_json,
    parse_client_data_json,
    parse_registration_credential_json,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from iok.db import connection
from iok.formats import local
from tenants_portal.audit.actions import AuditAction
from tenants_portal.audit.services import audit_record

from .models import Passkey, User
from .services import client_ip

REGISTRATION_PENDING = "_iok_passkey_registration"
SECOND_FACTOR_PENDING = "_iok_passkey_second_factor"
PLATFORM_NAME = "IOK"
# Plenty for a fingerprint or a phone's unlock; the browser gives up after it.
CEREMONY_TIMEOUT_MS = 120_000
# A resident rarely needs more than one per device; the bound keeps the exclude list and the page short.
PASSKEYS_PER_USER = 10
NAME_MAX_LENGTH = Passkey._meta.get_field("name").max_length or 60


class PasskeyRefused(Exception):
    """The browser's answer does not prove what it should (wrong challenge, host, signature, or a stale page)."""


@dataclass(frozen=True)
class RelyingParty:
    """Who the passkey is for: the cooperative's host (its id, without a port) and the page's origin."""

    id: str
    origin: str
    name: str


def relying_party_of(request: HttpRequest) -> RelyingParty:
    """A cooperative's host for its users; the platform's host (BASE_DOMAIN) for operators."""
    # get_host() is checked against ALLOWED_HOSTS and routing has matched it to this cooperative (or the platform).
    host = request.get_host()
    origin = f"{request.scheme}://{host}"
    if connection.schema_name == get_public_schema_name():
        return RelyingParty(id=settings.BASE_DOMAIN, origin=origin, name=PLATFORM_NAME)
    rp_id, _port = split_domain_port(host)
    tenant = getattr(connection, "tenant", None)
    return RelyingParty(id=rp_id, origin=origin, name=getattr(tenant, "name", rp_id))


def passkeys_of(*, user: User) -> list[Passkey]:
    return list(Passkey.objects.filter(user=user))


def own_data_passkeys(user: User) -> list[dict[str, Any]]:
    """The own-data page's rows: each passkey's name and dates (the keys themselves say nothing to a person)."""
    return [{"name": passkey.name, "created_at": local(passkey.created_at), "last_used_at": local(passkey.last_used_at)}
            for passkey in passkeys_of(user=user)]


def _descriptor(passkey: Passkey) -> PublicKeyCredentialDescriptor:
    known = {transport.value for transport in AuthenticatorTransport}
    return PublicKeyCredentialDescriptor(
        id=bytes(passkey.credential_id),
        transports=[AuthenticatorTransport(t) for t in passkey.transports if t in known] or None)


def passkey_registration_options(*, user: User, session: SessionBase, relying_party: RelyingParty) -> str:
    """The options (JSON) for navigator.credentials.create(): a discoverable passkey with user verification
    (fingerprint, face or the device's PIN), none of the user's existing passkeys again."""
    existing = passkeys_of(user=user)
    handle = bytes(existing[0].user_handle) if existing else secrets.token_bytes(32)
    options = generate_registration_options(
        rp_id=relying_party.id, rp_name=relying_party.name, user_id=handle, user_name=user.get_username(),
        user_display_name=user.get_full_name() or user.get_username(), timeout=CEREMONY_TIMEOUT_MS,
        # A resident's passkey signs in without a login (it must live on the authenticator, to be offered on
        # the sign-in page); a staff member's is a second factor, asked for by its id after the password, so it
        # stays off the sign-in page's autofill, where it could only be refused.
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED if user.is_resident else ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.REQUIRED),
        exclude_credentials=[_descriptor(passkey) for passkey in existing])
    session[REGISTRATION_PENDING] = {"challenge": bytes_to_base64url(options.challenge), "rp_id": relying_party.id,
                                     "handle": bytes_to_base64url(handle)}
    return options_to_json(options)


def passkey_add(*, user: User, session: SessionBase, relying_party: RelyingParty, name: str,
                credential: str | dict[str, Any], request: HttpRequest | None = None) -> Passkey:
    """Checks the browser's answer to the registration options and keeps the new passkey under `name`."""
    # Used once: a second answer to the same challenge is refused.
    pending = session.pop(REGISTRATION_PENDING, None)
    if not isinstance(pending, dict) or pending.get("rp_id") != relying_party.id:
        raise PasskeyRefused("no registration under way on this host")
    name = name.strip()[:NAME_MAX_LENGTH]
    if not name:
        raise PasskeyRefused("a passkey needs a name")
    if Passkey.objects.filter(user=user).count() >= PASSKEYS_PER_USER:
        raise PasskeyRefused("too many passkeys")
    try:
        parsed = parse_registration_credential_json(credential)
        verified = verify_registration_response(
            credential=parsed, expected_challenge=base64url_to_bytes(pending["challenge"]),
            expected_rp_id=relying_party.id, expected_origin=relying_party.origin, require_user_verification=True)
    except WebAuthnException as error:
        raise PasskeyRefused(str(error)) from error
    transports = [str(getattr(t, "value", t)) for t in parsed.response.transports or []]
    try:
        with transaction.atomic():
            passkey = Passkey.objects.create(
                user=user, name=name, credential_id=verified.credential_id,
                public_key=verified.credential_public_key, sign_count=verified.sign_count,
                user_handle=base64url_to_bytes(pending["handle"]), transports=transports)
            audit_record(acting_user=user, action=AuditAction.PASSKEY_ADDED, target=user.get_username(),
                         details={"passkey": passkey.pk, "name": name}, ip_address=client_ip(request))
    except IntegrityError as error:  # the same credential twice: the browser ignored the exclude list
        raise PasskeyRefused("this passkey is already registered") from error
    return passkey


def passkey_remove(*, user: User, passkey: Passkey, request: HttpRequest | None = None) -> None:
    """The user's own removal; `passkey` comes from passkeys_of(user=user)."""
    with transaction.atomic():
        audit_record(acting_user=user, action=AuditAction.PASSKEY_REMOVED, target=user.get_username(),
                     details={"passkey": passkey.pk, "name": passkey.name}, ip_address=client_ip(request))
        passkey.delete()


def _sign_in_challenge_key(*, relying_party: RelyingParty, challenge: bytes) -> str:
    return f"passkey-sign-in:{relying_party.id}:{bytes_to_base64url(challenge)}"


def passkey_authentication_options(*, relying_party: RelyingParty) -> str:
    """The options (JSON) for navigator.credentials.get(): any passkey of this host (the browser offers the
    ones it has, also in the login field's autofill), with user verification."""
    options = generate_authentication_options(rp_id=relying_party.id, timeout=CEREMONY_TIMEOUT_MS,
                                              user_verification=UserVerificationRequirement.REQUIRED)
    cache.set(_sign_in_challenge_key(relying_party=relying_party, challenge=options.challenge), True,
              timeout=CEREMONY_TIMEOUT_MS // 1000 + 30)
    return options_to_json(options)


def passkey_challenge_take(*, relying_party: RelyingParty, credential: dict[str, Any]) -> bytes:
    """The challenge the answer signed, if this host gave it out and nobody has used it yet; taken before
    anything else is looked at, so that every answer, good or bad, uses it up."""
    try:
        client_data = parse_client_data_json(base64url_to_bytes(credential["response"]["clientDataJSON"]))
    except (WebAuthnException, ValueError, TypeError, KeyError) as error:
        raise PasskeyRefused("no readable client data") from error
    if not cache.delete(_sign_in_challenge_key(relying_party=relying_party, challenge=client_data.challenge)):
        raise PasskeyRefused("a challenge this host did not give out, or gave out and saw used")
    return client_data.challenge


def passkey_of_assertion(*, credential: str | dict[str, Any]) -> Passkey | None:
    """The stored passkey a sign-in answer names (its credential id and user handle), or None."""
    try:
        parsed = parse_authentication_credential_json(credential)
    except (WebAuthnException, ValueError, TypeError, KeyError):
        return None
    passkey = Passkey.objects.select_related("user").filter(credential_id=parsed.raw_id).first()
    handle = parsed.response.user_handle
    if passkey is None or (handle is not None and bytes(handle) != bytes(passkey.user_handle)):
        return None
    return passkey


def passkey_assertion_check(*, passkey: Passkey, challenge: bytes, relying_party: RelyingParty,
                            credential: str | dict[str, Any]) -> None:
    """Checks the signature over the challenge, host and origin; records the use."""
    try:
        verified = verify_authentication_response(
            credential=credential, expected_challenge=challenge,
            expected_rp_id=relying_party.id, expected_origin=relying_party.origin,
            credential_public_key=bytes(passkey.public_key), credential_current_sign_count=passkey.sign_count,
            require_user_verification=True)
    except WebAuthnException as error:
        raise PasskeyRefused(str(error)) from error
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = timezone.now()
    passkey.save(update_fields=["sign_count", "last_used_at"])


def passkey_second_factor_options(*, user: User, session: SessionBase, relying_party: RelyingParty) -> str:
    """The options (JSON) for navigator.credentials.get() as a second factor: only `user`'s passkeys are allowed
    (the password, or the signed-in session, has said who it is). The challenge waits in the session, bound to
    the user and host, until the answer or the next request for options."""
    options = generate_authentication_options(
        rp_id=relying_party.id, timeout=CEREMONY_TIMEOUT_MS, user_verification=UserVerificationRequirement.REQUIRED,
        allow_credentials=[_descriptor(passkey) for passkey in passkeys_of(user=user)])
    session[SECOND_FACTOR_PENDING] = {"challenge": bytes_to_base64url(options.challenge), "rp_id": relying_party.id,
                                      "user": user.pk}
    return options_to_json(options)


def passkey_second_factor_check(*, user: User, session: SessionBase, relying_party: RelyingParty,
                                credential: str | dict[str, Any]) -> Passkey:
    """The passkey of `user` that signed the pending challenge (used once, good or bad), or PasskeyRefused."""
    pending = session.pop(SECOND_FACTOR_PENDING, None)
    if not isinstance(pending, dict) or pending.get("rp_id") != relying_party.id or pending.get("user") != user.pk:
        raise PasskeyRefused("no second-factor check under way for this user on this host")
    passkey = passkey_of_assertion(credential=credential)
    if passkey is None or passkey.user_id != user.pk:
        raise PasskeyRefused("not a passkey of this user")
    passkey_assertion_check(passkey=passkey, challenge=base64url_to_bytes(pending["challenge"]),
                            relying_party=relying_party, credential=credential)
    return passkey
