from django import forms
from django.utils.translation import gettext_lazy as _

from iok.forms import DateInput

from .validators import period_date_validators


class LedgerFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput(),
                                validators=period_date_validators())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput(), validators=period_date_validators())
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    # Chosen by the year links above the ledger, not typed.
    year = forms.IntegerField(required=False, min_value=1900, max_value=2999, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import LedgerEntry

        self.fields["kind"].choices = [("", _("all")), *LedgerEntry.Kind.choices]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return cleaned
