from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iok.forms import DateInput
from tenants_portal.accounts.models import User
from tenants_portal.audit.labels import ACTION_GROUPS
from tenants_portal.registry.models import Unit

from .models import AccessApplication


class UnitsChoiceField(forms.ModelMultipleChoiceField):
    """Units listed with their kind (a flat, a garage), so the office ticks the right ones."""

    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj} ({obj.get_kind_display()})"


class StaffChoiceField(forms.ModelChoiceField):
    """Staff members by name, or by login when they have none."""

    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class AccessApplicationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Application"), choices=AccessApplication.Kind.choices,
                             widget=forms.RadioSelect, initial=AccessApplication.Kind.GRANT)
    submitted_on = forms.DateField(label=_("Submitted on"), widget=DateInput())
    units = UnitsChoiceField(label=_("Units"), queryset=Unit.objects.none(), widget=forms.CheckboxSelectMultiple)
    identity_document = forms.ChoiceField(
        label=_("Identity document shown"), choices=AccessApplication.IdentityDocument.choices,
        help_text=_("Only the type. Do not write down the number and do not copy the document."))
    document_seen_by = StaffChoiceField(label=_("Document seen by"), queryset=User.objects.none())
    login = forms.CharField(label=_("Login to be issued"), required=False, max_length=30,
                            help_text=_("Leave empty to use the suggested one."))
    email = forms.EmailField(label=_("E-mail address (optional)"), required=False)

    def __init__(self, *args, units, staff, suggested_login: str, **kwargs):
        super().__init__(*args, **kwargs)
        cast(UnitsChoiceField, self.fields["units"]).queryset = units
        cast(StaffChoiceField, self.fields["document_seen_by"]).queryset = staff
        self.fields["login"].widget.attrs["placeholder"] = suggested_login
        self.fields["submitted_on"].initial = timezone.localdate()


class AccountCloseForm(forms.Form):
    closure = forms.ChoiceField(label=_("Reason"), choices=[
        (User.Closure.RESIDENT_REQUEST, User.Closure.RESIDENT_REQUEST.label),
        (User.Closure.MISUSE, User.Closure.MISUSE.label),
    ], widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Required when closing for misuse: what happened."))


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Kind of event"), required=False,
                               choices=[("", _("all")), *ACTION_GROUPS])
    login = forms.CharField(label=_("Login"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
