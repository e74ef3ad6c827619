from django.contrib.auth.backends import ModelBackend
from django_tenants.utils import get_public_schema_name

from iok.db import connection


class AccountBackend(ModelBackend):
    """Model authentication that refuses closed accounts, and anyone but operators on the platform site."""

    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user) or user.closed_at is not None:
            return False
        if connection.schema_name == get_public_schema_name():
            return user.role == user.Role.OPERATOR
        return True
