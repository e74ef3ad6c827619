"""The cooperative's document library (ustawa o spółdzielniach mieszkaniowych, art. 8¹): statute,
regulations, resolutions and minutes of its bodies, audit reports, financial statements and forms."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Document(models.Model):
    class Category(models.TextChoices):
        # The order here is the order of the library's sections.
        STATUTE = "statute", _("Statute")
        REGULATIONS = "regulations", _("Regulations")
        GENERAL_ASSEMBLY = "general_assembly", _("General assembly: resolutions and minutes")
        SUPERVISORY_BOARD = "supervisory_board", _("Supervisory board: resolutions and minutes")
        MANAGEMENT_BOARD = "management_board", _("Management board: resolutions and minutes")
        AUDIT = "audit", _("Audit reports")
        FINANCIAL = "financial", _("Annual financial statements")
        FORMS = "forms", _("Forms and applications")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("public (anyone visiting the site)")
        RESIDENTS = "residents", _("residents only (signed in)")

    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    document_date = models.DateField(_("date"), help_text=_("The date of the document or resolution."))
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text=_("The year the document concerns; the year of its date when left empty."))
    visibility = models.CharField(_("who can see it"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.PUBLIC)
    # The stored file (iok.uploads.file_store): a random name in this cooperative's folder.
    file_path = models.CharField(max_length=300)
    content_type = models.CharField(max_length=100)
    file_size = models.PositiveIntegerField(_("size"))
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-document_date", "-id"]
        indexes = [models.Index(fields=["category", "-document_date"], name="document_category_date")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def extension(self) -> str:
        return self.file_path.rsplit(".", 1)[-1] if "." in self.file_path else ""
