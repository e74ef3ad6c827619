"""A notice's template context as JSON: model instances become references that are loaded again in the worker."""

import datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models

_MODEL, _DATETIME, _DATE, _DECIMAL = "$model", "$datetime", "$date", "$decimal"


def context_pack(value: Any) -> Any:
    if isinstance(value, models.Model):
        return {_MODEL: value._meta.label, "pk": value.pk}
    if isinstance(value, dict):
        return {str(key): context_pack(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [context_pack(item) for item in value]
    if isinstance(value, datetime.datetime):
        return {_DATETIME: value.isoformat()}
    if isinstance(value, datetime.date):
        return {_DATE: value.isoformat()}
    if isinstance(value, Decimal):
        return {_DECIMAL: str(value)}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    # Lazy translations and other printable values are kept as the text they show.
    return str(value)


def context_unpack(value: Any) -> Any:
    """The context again; a referenced row that no longer exists becomes None."""
    if isinstance(value, list):
        return [context_unpack(item) for item in value]
    if not isinstance(value, dict):
        return value
    if _MODEL in value:
        return apps.get_model(value[_MODEL])._default_manager.filter(pk=value["pk"]).first()
    if _DATETIME in value:
        return datetime.datetime.fromisoformat(value[_DATETIME])
    if _DATE in value:
        return datetime.date.fromisoformat(value[_DATE])
    if _DECIMAL in value:
        return Decimal(value[_DECIMAL])
    return {key: context_unpack(item) for key, item in value.items()}
