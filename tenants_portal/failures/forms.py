from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from iok.forms import MultipleFileField
from iok.uploads import CheckedUpload
from tenants_portal.accounts.models import User
from tenants_portal.registry.models import Building

from .models import FailureCategory, FailureReport
from .selectors import MAX_PHOTOS, TRANSITIONS, FailurePlace, failure_place_choose, failure_places_for
from .services import failure_photos_check, failure_place_detail_check


class FailureReportForm(forms.Form):
    category = forms.ModelChoiceField(label=_("What is broken"), queryset=FailureCategory.objects.none(),
                                      empty_label=_("— choose —"))
    place = forms.ChoiceField(label=_("Where"), help_text=_("One of your units or a common area of your building."))
    place_detail = forms.CharField(label=_("Where exactly"), required=False, max_length=200,
                                   help_text=_("E.g. staircase B, 3rd floor; or the room in your flat. "
                                               "Required for a common area."))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}),
                                  max_length=5000, error_messages={"required": _("Describe the failure.")})
    urgency = forms.ChoiceField(label=_("Urgency"), choices=FailureReport.Urgency.choices,
                                initial=FailureReport.Urgency.NORMAL, widget=forms.RadioSelect)
    # Each photo is checked by its content (failure_photos_check) in clean_photos.
    photos = MultipleFileField(label=_("Photos (optional)"), required=False, accept="image/jpeg,image/png,image/webp",
                                help_text=_("Up to %(max)d photos in JPEG, PNG or WebP format.") % {"max": MAX_PHOTOS})
    confirm_emergency = forms.BooleanField(
        label=_("I have called the emergency number, or the situation is not dangerous: file the report"),
        required=False)

    def __init__(self, *args: Any, user: User, categories: QuerySet[FailureCategory], pending_photos: int = 0,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.pending_photos = pending_photos
        cast(forms.ModelChoiceField, self.fields["category"]).queryset = categories
        cast(forms.ChoiceField, self.fields["place"]).choices = [
            ("", _("— choose —")), *((place.value, place.label) for place in failure_places_for(user=user))]
        if pending_photos:
            self.fields["photos"].help_text = _(
                "%(attached)d photo(s) already attached; you can add up to %(more)d more.") % {
                "attached": pending_photos, "more": max(MAX_PHOTOS - pending_photos, 0)}

    # The rules are the failures module's (the API applies the same ones): the place is the resident's own,
    # the photos are pictures and not too many, a common area says where exactly.
    def clean_place(self) -> FailurePlace:
        return failure_place_choose(user=self.user, value=self.cleaned_data["place"])

    def clean_photos(self) -> list[CheckedUpload]:
        return failure_photos_check(uploads=self.cleaned_data["photos"], pending=self.pending_photos)

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        place = self.cleaned_data.get("place")
        if place:
            try:
                failure_place_detail_check(place=place, place_detail=self.cleaned_data.get("place_detail", ""))
            except ValidationError as error:
                self.add_error("place_detail", error)
        return cleaned

    @property
    def needs_confirmation(self) -> bool:
        return (self.cleaned_data.get("urgency", FailureReport.Urgency.NORMAL) != FailureReport.Urgency.NORMAL
                and not self.cleaned_data.get("confirm_emergency"))


class FailureStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    comment = forms.CharField(label=_("Comment for the resident"), required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Required when the report is resolved or rejected."))

    def __init__(self, *args: Any, report: FailureReport, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            (status, FailureReport.Status(status).label) for status in TRANSITIONS[report.status]]


class AssigneeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.get_role_display()})"


class FailureAssignForm(forms.Form):
    assignee = AssigneeChoiceField(label=_("Assigned to"), queryset=None, required=False, empty_label=_("nobody"))

    def __init__(self, *args: Any, assignees: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(AssigneeChoiceField, self.fields["assignee"]).queryset = assignees


class FailureCommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("Write the comment.")})
    internal = forms.BooleanField(label=_("Internal note (staff only, the resident does not see it)"),
                                  required=False)

    def __init__(self, *args, staff: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not staff:
            del self.fields["internal"]


class FailureQueueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("all")), ("open", _("open (not resolved or rejected)")),
                                        *FailureReport.Status.choices])
    category = forms.ModelChoiceField(label=_("Category"), queryset=FailureCategory.objects.all(), required=False,
                                      empty_label=_("all"))
    urgency = forms.ChoiceField(label=_("Urgency"), required=False,
                                choices=[("", _("all")), *FailureReport.Urgency.choices])
    building = forms.ModelChoiceField(label=_("Building"), queryset=Building.objects.none(), required=False,
                                      empty_label=_("all"))
    assigned_to = forms.ChoiceField(label=_("Assigned to"), required=False)

    def __init__(self, *args, buildings, assignees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = buildings
        self.fields["assigned_to"].choices = [
            ("", _("anyone")), ("me", _("me")), ("none", _("nobody")),
            *[(str(user.pk), user.get_full_name() or user.username) for user in assignees]]
