from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ApiKey


class ApiKeyScopesForm(forms.Form):
    scopes = forms.MultipleChoiceField(
        label=_("What the key may do"), choices=ApiKey.Scope.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one permission for the key.")})


class ApiKeyCreateForm(ApiKeyScopesForm):
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("Which system uses the key, e.g. “Accounting system (office)”."),
                           error_messages={"required": _("Give the key a name, e.g. the accounting system's name.")})
    field_order = ["name", "scopes"]
