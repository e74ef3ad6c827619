from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from iok.bank import nrb_validator


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
    # The accounting system's unit identifier: how imports name the unit.
    code = models.CharField(_("accounting code"), max_length=40, unique=True, null=True, blank=True)
    number = models.CharField(_("unit number"), max_length=20)
    # Each unit has its own account to pay to (indywidualny rachunek), checked by its check digits.
    bank_account = models.CharField(_("bank account (NRB)"), max_length=26, blank=True,
                                    validators=[nrb_validator])
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.FLAT)
    area_m2 = models.DecimalField(_("usable area (m²)"), max_digits=7, decimal_places=2,
                                  null=True, blank=True)
    # Klatka schodowa: the fee letters' print batch is sorted by it within a building, so that a batch
    # is handed out staircase by staircase. Set by the office; the registry import does not carry it yet.
    # db_default: the registry import inserts units with SQL of its own, without this column.
    staircase = models.CharField(_("staircase"), max_length=20, blank=True, default="", db_default="")

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


class Person(models.Model):
    """A resident: someone who holds, or held, a legal title to a unit. Has at most one account."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=150)
    # Identifier from the cooperative's accounting system, so that registry imports match people.
    external_id = models.CharField(_("accounting system identifier"), max_length=50, unique=True, null=True,
                                   blank=True)
    account = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="person", verbose_name=_("account"))

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class LegalTitle(models.Model):
    """Tytuł prawny: a person's right to a unit for a period."""

    class Kind(models.TextChoices):
        OWNERSHIP = "ownership", _("separate ownership")
        COOPERATIVE_OWNERSHIP = "coop_ownership", _("cooperative ownership right")
        MEMBERSHIP_TENANCY = "membership_tenancy", _("cooperative tenancy right")
        LEASE = "lease", _("lease")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="legal_titles", verbose_name=_("person"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="legal_titles", verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("legal title")
        verbose_name_plural = _("legal titles")
        ordering = ["unit", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="legal_title_ends_after_start"),
            models.UniqueConstraint(fields=["person", "unit", "kind", "start_date"], name="legal_title_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.unit} ({self.get_kind_display()})"
