from django import forms
from django.utils.translation import gettext_lazy as _

from tenants_portal.configuration.models import InstanceSettings


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file from the accounting system"),
                           help_text=_("Registry, charges or payments — recognised by the header row. "
                                       "UTF-8 or Windows-1250, “;” as the separator."))


HOUR_CHOICES = [("", _("No nightly import")), *((str(hour), f"{hour:02d}:00") for hour in range(24))]


class ImportScheduleForm(forms.ModelForm):
    import_hour = forms.TypedChoiceField(
        label=_("Import the folder's files every night at"), choices=HOUR_CHOICES, coerce=int, empty_value=None,
        required=False,
        help_text=_("Choose an hour when nobody works with the accounting system, usually at night."))

    class Meta:
        model = InstanceSettings
        fields = ["import_hour"]
