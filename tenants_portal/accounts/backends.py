from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest
from django_tenants.utils import get_public_schema_name

from iok.db import connection

from .models import Passkey, User
from .passkeys import PasskeyRefused, passkey_assertion_check, passkey_challenge_take, relying_party_of


class AccountBackend(ModelBackend):
    """Model authentication that refuses closed accounts, and anyone but operators on the platform site."""

    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user) or user.closed_at is not None:
            return False
        if connection.schema_name == get_public_schema_name():
            return user.role == user.Role.OPERATOR
        return True


class PasskeyBackend(AccountBackend):
    """Passwordless sign-in of residents with a passkey (tenants_portal.accounts.passkeys). It runs after
    axes' backend like the password one, so a locked-out login or address is refused and a failure is
    counted; a closed account, a staff member or an operator is refused before the signature is looked at.
    `passkey` is the stored passkey the answer names (passkey_of_assertion), None when there is none."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     *, passkey: Passkey | None = None, passkey_credential: dict[str, Any] | None = None,
                     **kwargs: Any) -> User | None:
        # On the platform's site user_can_authenticate admits operators only, and operators are no residents.
        if request is None or passkey_credential is None:
            return None
        relying_party = relying_party_of(request)
        try:
            challenge = passkey_challenge_take(relying_party=relying_party, credential=passkey_credential)
        except PasskeyRefused:
            return None
        if passkey is None or not passkey.user.is_resident or not self.user_can_authenticate(passkey.user):
            return None
        try:
            passkey_assertion_check(passkey=passkey, challenge=challenge, relying_party=relying_party,
                                    credential=passkey_credential)
        except PasskeyRefused:
            return None
        return passkey.user
