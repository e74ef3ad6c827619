from django import forms
from django.utils.translation import gettext_lazy as _

from tenants_portal.accounts.models import User

STAFF_ROLE_CHOICES = [
    (User.Role.CLERK, _("Clerk — residents, accounts, announcements, readings, documents, imports")),
    (User.Role.TECHNICIAN, _("Technician — failure reports only")),
    (User.Role.ADMIN, _("Cooperative admin — everything, including configuration and staff")),
]


class StaffMemberForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    login = forms.CharField(label=_("Login"), max_length=30,
                            help_text=_("3–30 lower-case letters, digits, dots, hyphens or underscores, e.g. "
                                        "a.nowak."))
    email = forms.EmailField(label=_("E-mail address (optional)"), required=False,
                             help_text=_("For the office's notices, e.g. about a refused import."))
    role = forms.ChoiceField(label=_("Role"), choices=STAFF_ROLE_CHOICES, widget=forms.RadioSelect,
                             initial=User.Role.CLERK)


class StaffRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=STAFF_ROLE_CHOICES, widget=forms.RadioSelect)


class StaffCloseForm(forms.Form):
    note = forms.CharField(label=_("Reason (optional)"), required=False, max_length=500,
                           widget=forms.TextInput, help_text=_("E.g. “no longer works in the office”."))

