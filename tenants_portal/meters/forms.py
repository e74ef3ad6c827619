from decimal import Decimal
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from iok.forms import DateInput
from iok.uploads import image_validate

from .models import Meter, MeterSettings, Reading


class ReadingSubmitForm(forms.Form):
    value = forms.DecimalField(label=_("Reading"), min_value=Decimal("0"), max_digits=12, decimal_places=3,
                               localize=True, widget=forms.TextInput(attrs={"inputmode": "decimal",
                                                                           "autocomplete": "off"}))
    photo = forms.FileField(label=_("Photo of the meter (optional)"), required=False,
                            help_text=_("JPEG, PNG or WebP. The office sees it when checking the reading."),
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
    confirm_unusual = forms.BooleanField(label=_("I have checked the reading and confirm that it is correct"),
                                         required=False)

    def __init__(self, *args, meter: Meter, **kwargs):
        super().__init__(*args, **kwargs)
        self.meter = meter
        self.fields["value"].label = _("Reading (%(measure)s)") % {"measure": meter.measure}
        if meter.decimals == 0:
            cast(forms.DecimalField, self.fields["value"]).decimal_places = 0

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:
            image_validate(photo)
            photo.seek(0)
        return photo or None


class ReadingRejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for rejection"), max_length=300,
                             help_text=_("The resident sees this reason."))


class ReadingRecordForm(forms.Form):
    read_on = forms.DateField(label=_("Reading date"), widget=DateInput())
    value = forms.DecimalField(label=_("Reading"), min_value=Decimal("0"), max_digits=12, decimal_places=3,
                               localize=True, widget=forms.TextInput(attrs={"inputmode": "decimal"}))


class ReadingFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("any")), *Reading.Status.choices])
    kind = forms.ChoiceField(label=_("Meter kind"), required=False, choices=[("", _("any")), *Meter.Kind.choices])
    source = forms.ChoiceField(label=_("Source"), required=False,
                               choices=[("", _("any")), *Reading.Source.choices])
    address = forms.CharField(label=_("Address, unit or serial number"), required=False, max_length=100)
    date_from = forms.DateField(label=_("Read from"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Read until"), required=False, widget=DateInput())


class ReadingWindowForm(forms.Form):
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    note = forms.CharField(label=_("Note for residents"), required=False, max_length=200)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            raise ValidationError(_("The window cannot end before it starts."))
        return data


class MeterSettingsForm(forms.ModelForm):
    class Meta:
        model = MeterSettings
        fields = ["plausibility_factor"]
        localized_fields = ["plausibility_factor"]


class ReadingsImportForm(forms.Form):
    file = forms.FileField(label=_("File with readings (CSV)"),
                           help_text=_("The header numer_licznika;data;odczyt, then one reading a line: serial "
                                       "number; date (DD.MM.YYYY); reading. UTF-8 or Windows-1250."))
