from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants_portal.registry.models import Unit


class AmountsForm(forms.Form):
    """One amount per unit the resident pays for now, starting from what each owes; any may be changed."""

    def __init__(self, *args, units: list[Unit], due: dict[int, Decimal], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.units = units
        for unit in units:
            self.fields[f"unit_{unit.pk}"] = forms.DecimalField(
                label=_("Amount for %(unit)s (zł)") % {"unit": unit}, required=False, localize=True,
                min_value=Decimal("0"), max_value=Decimal("99999.99"), max_digits=7, decimal_places=2,
                initial=due.get(unit.pk) or None,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 10}))

    def amounts(self) -> dict[Unit, Decimal]:
        return {unit: self.cleaned_data.get(f"unit_{unit.pk}") or Decimal("0") for unit in self.units}
