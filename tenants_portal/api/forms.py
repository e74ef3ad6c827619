from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ApiKey

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ApiKeyScopesForm(forms.Form):
    scopes = forms.MultipleChoiceField(
        label=_("What the key may do"), choices=ApiKey.Scope.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one permission for the key.")})


class ApiKeyCreateForm(ApiKeyScopesForm):
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("Which system uses the key, e.g. “Accounting system (office)”."),
                           error_messages={"required": _("Give the key a name, e.g. the accounting system's name.")})
    field_order = ["name", "scopes"]


class ApiKeyConfirmForm(forms.Form):
    """An irreversible action on a key (a new secret, revoking it) needs a tick as well as the button."""

    confirm = forms.BooleanField(error_messages={"required": _("Tick the box to confirm; nothing has changed.")})

    def __init__(self, *args, label: "StrOrPromise", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = label


def api_key_rotate_form(data=None) -> ApiKeyConfirmForm:
    return ApiKeyConfirmForm(data, prefix="rotate", label=_(
        "I understand that the system using this key stops working until it gets the new secret."))


def api_key_revoke_form(data=None) -> ApiKeyConfirmForm:
    return ApiKeyConfirmForm(data, prefix="revoke", label=_(
        "I understand that the key stops working at once and cannot be brought back."))
