"""The office's forms for online payments: the list's filters, the export's dates, the manual booking."""

from django import forms
from django.utils.translation import gettext_lazy as _

from iok.forms import DateInput

from .selectors import STAGE_LABELS


class _DateRangeForm(forms.Form):
    od = forms.DateField(label=_("From"), required=False, widget=DateInput())
    do = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("od") and data.get("do") and data["do"] < data["od"]:
            raise forms.ValidationError(_("The end date is before the start date."))
        return data


class PaymentsFilterForm(_DateRangeForm):
    etap = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("all")), *STAGE_LABELS.items()])
    szukaj = forms.CharField(label=_("Reference, gateway's identifier or unit"), required=False, max_length=64)

    field_order = ["etap", "od", "do", "szukaj"]


class ExportForm(_DateRangeForm):
    """The days the payments were paid on (both included); empty: from the first or to the last."""


class BookByEntryForm(forms.Form):
    allocation = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    entry = forms.CharField(label=_("Entry id (id_zapisu) of the imported payment"), max_length=64,
                            widget=forms.TextInput(attrs={"autocomplete": "off"}))
