from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iok.forms import MultipleFileField
from iok.uploads import CheckedUpload, document_validate, uploads_check
from tenants_portal.registry.models import Building, Estate

from .models import Announcement
from .services import announcement_rules_check

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
MAX_ATTACHMENTS = 10


def _datetime_field(label, help_text) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, required=False, help_text=help_text,
                               widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT))


class BuildingChoiceField(forms.ModelChoiceField):
    """Buildings listed with their estate, so the office sees which estate each one is on."""

    def label_from_instance(self, obj: Building) -> str:
        return f"{obj} ({obj.estate})"


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}),
                           help_text=_("Plain text; empty lines separate paragraphs, links become clickable."))
    scope = forms.ChoiceField(label=_("For"), choices=Announcement.Scope.choices, widget=forms.RadioSelect,
                              initial=Announcement.Scope.COOPERATIVE)
    estate = forms.ModelChoiceField(label=_("Estate"), queryset=Estate.objects.order_by("name"), required=False,
                                    help_text=_("When the announcement is for an estate."))
    building = BuildingChoiceField(label=_("Building"), required=False,
                                   queryset=Building.objects.select_related("estate").order_by("street", "number"),
                                   help_text=_("When the announcement is for a building."))
    publish_at = _datetime_field(_("Publish on"), _("Leave empty to publish now. Residents get an e-mail "
                                                    "when the announcement is published."))
    expires_at = _datetime_field(_("Expires on"), _("Optional: after this time residents no longer see it."))
    pinned = forms.BooleanField(label=_("Pinned (shown at the top)"), required=False)
    attachments = MultipleFileField(label=_("Attachments"), required=False,
                                    help_text=_("PDF documents or photos (JPEG, PNG, WebP)."))

    def __init__(self, *args, announcement: Announcement | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.announcement = announcement
        if announcement is not None:
            self.fields["remove_attachments"] = forms.ModelMultipleChoiceField(
                label=_("Remove attachments"), required=False, widget=forms.CheckboxSelectMultiple,
                queryset=announcement.attachments.all())

    def clean_attachments(self) -> list[CheckedUpload]:
        uploads = self.cleaned_data.get("attachments") or []
        if len(uploads) > MAX_ATTACHMENTS:
            raise ValidationError(_("Attach at most %(count)d files.") % {"count": MAX_ATTACHMENTS})
        return uploads_check(uploads, validate=document_validate)

    def clean(self):
        cleaned = super().clean()
        if "scope" in cleaned:
            errors = announcement_rules_check(
                scope=cleaned["scope"], estate=cleaned.get("estate"), building=cleaned.get("building"),
                publish_at=cleaned.get("publish_at"), expires_at=cleaned.get("expires_at"), now=timezone.now())
            for field, message in errors.items():
                if field not in self.errors:
                    self.add_error(field, message)
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {name: data[name] for name in ("title", "body", "scope", "estate", "building", "publish_at",
                                                   "expires_at", "pinned", "attachments")}
        if self.announcement is not None:
            arguments["attachments_remove"] = [attachment.pk for attachment in data.get("remove_attachments", [])]
        return arguments


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("all")), *Announcement.Status.choices])
