from django.db import models
from django.utils.translation import gettext_lazy as _


class Office(models.Model):
    """Administracja: a local office of the cooperative serving some of its buildings."""

    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=6)
    city = models.CharField(_("city"), max_length=100)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    opening_hours = models.TextField(_("opening hours"), blank=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Estate(models.Model):
    """Osiedle."""

    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("estate")
        verbose_name_plural = _("estates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Building(models.Model):
    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, related_name="buildings",
                               verbose_name=_("estate"))
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="buildings",
                               verbose_name=_("office"), null=True, blank=True)
    street = models.CharField(_("street"), max_length=200)
    number = models.CharField(_("number"), max_length=20)
    postal_code = models.CharField(_("postal code"), max_length=6)
    city = models.CharField(_("city"), max_length=100)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["street", "number"]
        constraints = [
            models.UniqueConstraint(fields=["street", "number", "city"], name="building_unique_address"),
        ]

    def __str__(self) -> str:
        return f"{self.street} {self.number}"


class Unit(models.Model):
    """Lokal: a flat, a garage or commercial premises."""

    class Kind(models.TextChoices):
        FLAT = "flat", _("flat")
        GARAGE = "garage", _("garage")
        COMMERCIAL = "commercial", _("commercial premises")

    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="units",
                                 verbose_name=_("building"))
    number = models.CharField(_("unit number"), max_length=20)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.FLAT)
    area_m2 = models.DecimalField(_("usable area (m²)"), max_digits=7, decimal_places=2,
                                  null=True, blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["building", "number"]
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="unit_unique_number_in_building"),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.FLAT:
            return f"{self.building}/{self.number}"
        return f"{self.building}, {self.get_kind_display()} {self.number}"
