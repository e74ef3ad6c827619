"""Staff forms for the registry: what the model checks (constraints, NRB check digits) plus clear
messages for the mistakes people make (a postal code without the dash, a taken number)."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from iok.bank import NRB_INVALID_MESSAGE, nrb_is_valid, nrb_normalize

from .models import Building, Estate, Office, Unit

postal_code_validator = RegexValidator(r"^\d{2}-\d{3}$", _("Write the postal code as 00-000, e.g. 41-200."),
                                       code="postal_code")


class EstateForm(forms.ModelForm):
    class Meta:
        model = Estate
        fields = ["name"]
        error_messages = {"name": {"unique": _("There is already an estate with this name.")}}


class BuildingForm(forms.ModelForm):
    class Meta:
        model = Building
        fields = ["estate", "street", "number", "postal_code", "city", "office"]
        help_texts = {"street": _("With the prefix, as on letters, e.g. “ul. Wawel”."),
                      "office": _("The office that serves the building's residents.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["postal_code"].validators.append(postal_code_validator)
        self.fields["office"].empty_label = _("— none —")

    def clean(self):
        # Checked here, before the model's constraints, so that the message names the address (a field
        # with an error is left out of the model's own, less readable, uniqueness check).
        data = super().clean()
        if data.get("street") and data.get("number") and data.get("city"):
            taken = Building.objects.filter(street=data["street"], number=data["number"], city=data["city"])
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error("number", _("%(street)s %(number)s in %(city)s is already in the registry.") % {
                    "street": data["street"], "number": data["number"], "city": data["city"]})
        return data


class UnitForm(forms.ModelForm):
    # Longer than the 26 digits it keeps: people type the number with spaces or as an IBAN ("PL…").
    bank_account = forms.CharField(label=capfirst(Unit._meta.get_field("bank_account").verbose_name),
                                   required=False, max_length=40)

    class Meta:
        model = Unit
        fields = ["building", "number", "staircase", "kind", "code", "bank_account", "area_m2"]
        localized_fields = ["area_m2"]  # "51,30", as people write it in Poland
        help_texts = {
            "code": _("The unit's identifier in the accounting system, e.g. WAWEL-1-12: imports find the unit by "
                      "it. Leave empty if the accounting system does not know the unit yet."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank_account"].help_text = _("The unit's own account for payments: 26 digits (spaces allowed).")
        self.fields["building"].queryset = Building.objects.select_related("estate").order_by("street", "number")

    def clean_code(self) -> str | None:
        code = self.cleaned_data["code"].strip().upper() if self.cleaned_data["code"] else ""
        if not code:
            return None
        taken = Unit.objects.filter(code__iexact=code)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        other = taken.select_related("building").first()
        if other is not None:
            raise forms.ValidationError(_("The accounting code %(code)s already belongs to the unit %(unit)s.") % {
                "code": code, "unit": other})
        return code

    def clean_bank_account(self) -> str:
        value = self.cleaned_data["bank_account"].strip()
        if not value:
            return ""
        if not nrb_is_valid(value):
            raise forms.ValidationError(NRB_INVALID_MESSAGE)
        return nrb_normalize(value)

    def clean(self):
        data = super().clean()
        if data.get("building") and data.get("number"):
            taken = Unit.objects.filter(building=data["building"], number=data["number"])
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error("number", _("%(building)s already has a unit number %(number)s.") % {
                    "building": data["building"], "number": data["number"]})
        return data


class OfficeForm(forms.ModelForm):
    buildings = forms.ModelMultipleChoiceField(
        label=_("Buildings it serves"), queryset=Building.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A building chosen here stops being served by the office that served it before."))

    class Meta:
        model = Office
        fields = ["name", "street", "postal_code", "city", "phone", "email", "opening_hours"]
        widgets = {"opening_hours": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"opening_hours": _("One line per day or group of days, e.g. “pon.–pt. 7:00–15:00”.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["postal_code"].validators.append(postal_code_validator)
        self.fields["buildings"].queryset = Building.objects.select_related("office").order_by("street", "number")
        office = self.instance

        def label(building: Building) -> str:
            if building.office_id and building.office_id != office.pk:
                return f"{building} — {building.office}"
            return str(building)

        self.fields["buildings"].label_from_instance = label
        if office.pk:
            self.fields["buildings"].initial = list(office.buildings.values_list("pk", flat=True))


class BuildingFilterForm(forms.Form):
    estate = forms.ModelChoiceField(label=_("Estate"), queryset=Estate.objects.order_by("name"), required=False,
                                    empty_label=_("all"))
    q = forms.CharField(label=_("Street or number"), required=False)


class UnitFilterForm(forms.Form):
    q = forms.CharField(label=_("Accounting code, street or number"), required=False,
                        help_text=_("E.g. WAWEL-1-12 or Wawel 1/12"))
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("all")), *Unit.Kind.choices], required=False)
    building = forms.ModelChoiceField(label=_("Building"), queryset=Building.objects.order_by("street", "number"),
                                      required=False, empty_label=_("all"))
