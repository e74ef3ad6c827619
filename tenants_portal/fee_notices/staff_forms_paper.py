"""The office's form of the paper delivery register: when and how one letter was delivered."""

from django import forms
from django.utils.translation import gettext_lazy as _

from iok.forms import DateInput

from .models import FeeNotice


class PaperDeliveryForm(forms.Form):
    notice = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    delivered_on = forms.DateField(label=_("Delivered on"), widget=DateInput(),
                                   help_text=_("For registered mail: the date on the return receipt."))
    method = forms.ChoiceField(label=_("How"), widget=forms.RadioSelect, choices=[
        (FeeNotice.DeliveryMethod.IN_PERSON, _("in person, against a signature in the register")),
        (FeeNotice.DeliveryMethod.REGISTERED_MAIL, _("by registered mail")),
    ])
    registered_mail_number = forms.CharField(
        label=_("Registered mail number"), required=False, max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Required for registered mail: the number on the posting receipt."))

    def clean(self):
        data = super().clean()
        if (data.get("method") == FeeNotice.DeliveryMethod.REGISTERED_MAIL
                and not data.get("registered_mail_number", "").strip()):
            self.add_error("registered_mail_number",
                           _("Enter the registered mail number (from the posting receipt)."))
        return data
