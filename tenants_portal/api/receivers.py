"""App tokens end with the password that issued them and with the account."""

from django.dispatch import receiver
from django_tenants.utils import get_public_schema_name

from iok.db import connection
from tenants_portal.accounts.signals_account import account_closed, password_changed

from .models import ApiToken
from .services import api_tokens_revoke_all


@receiver(password_changed)
def _password_changed(sender, user, **kwargs) -> None:
    if connection.schema_name == get_public_schema_name():
        return  # operators sign in on the platform site only; tokens exist in cooperatives' schemas
    api_tokens_revoke_all(user=user, reason=ApiToken.Revocation.PASSWORD_CHANGED)


@receiver(account_closed)
def _account_closed(sender, account, **kwargs) -> None:
    api_tokens_revoke_all(user=account, reason=ApiToken.Revocation.ACCOUNT_CLOSED)
