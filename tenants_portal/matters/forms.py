from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from iok.forms import MultipleFileField
from iok.uploads import CheckedUpload
from tenants_portal.accounts.models import User
from tenants_portal.registry.models import Office

from .models import Matter, MatterTopic, TopicKind
from .selectors import MAX_ATTACHMENTS, matter_unit_choose, matter_units_for
from .services import matter_attachments_check

ATTACHMENTS_HELP = _("PDF documents or photos (JPEG, PNG, WebP), up to %(max)d files.") % {"max": MAX_ATTACHMENTS}


class AttachmentsMixin(forms.Form):
    attachments = MultipleFileField(label=_("Attachments (optional)"), required=False,
                                    accept="application/pdf,image/jpeg,image/png,image/webp",
                                    help_text=ATTACHMENTS_HELP)

    def clean_attachments(self) -> list[CheckedUpload]:
        return matter_attachments_check(uploads=self.cleaned_data["attachments"])


class MatterForm(AttachmentsMixin):
    """What every matter has; the topic's own fields come from its form (topics.py)."""

    unit = forms.ChoiceField(label=_("Unit"), help_text=_("The matter goes to the office serving this unit."))
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), max_length=10000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    field_order = ["unit", "subject", "description", "attachments"]

    def __init__(self, *args: Any, user: User, topic: MatterTopic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.topic = topic
        units = matter_units_for(user=user)
        cast(forms.ChoiceField, self.fields["unit"]).choices = [(str(unit.pk), str(unit)) for unit in units]
        if len(units) == 1:
            self.fields["unit"].initial = str(units[0].pk)
        if topic.kind == TopicKind.OTHER:
            self.fields["subject"].required = True
            self.fields["subject"].error_messages["required"] = _("Give the subject of your matter.")
            self.fields["description"].required = True
            self.fields["description"].error_messages["required"] = _("Describe your matter.")
        else:
            del self.fields["subject"]
            self.fields["description"].label = _("Anything to add (optional)")

    def clean_unit(self):
        return matter_unit_choose(user=self.user, id=self.cleaned_data["unit"])


class ReplyForm(AttachmentsMixin):
    text = forms.CharField(label=_("Reply"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": _("Write the reply.")})
    internal = forms.BooleanField(label=_("Internal note (staff only, the resident does not see it)"),
                                  required=False)
    field_order = ["text", "attachments", "internal"]

    def __init__(self, *args: Any, staff: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not staff:
            del self.fields["internal"]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=[
        (status, label) for status, label in Matter.Status.choices if status != Matter.Status.RECEIVED])
    outcome = forms.ChoiceField(label=_("Outcome (when closing)"), required=False,
                                choices=[("", _("— choose —")), *Matter.Outcome.choices])
    comment = forms.CharField(label=_("Comment for the resident"), required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Required when the office waits for the resident: say what for."))


class AssigneeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class AssignForm(forms.Form):
    assignee = AssigneeChoiceField(label=_("Assigned to"), queryset=None, required=False, empty_label=_("nobody"))

    def __init__(self, *args: Any, assignees: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(AssigneeChoiceField, self.fields["assignee"]).queryset = assignees


class BulkAssignForm(AssignForm):
    matters = forms.ModelMultipleChoiceField(queryset=Matter.objects.all(), widget=forms.MultipleHiddenInput,
                                             error_messages={"required": _("Tick the matters to assign.")})


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("all")), ("office", _("waiting for the office")), ("open", _("open (not closed)")),
        *Matter.Status.choices])
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.none(), required=False,
                                    empty_label=_("all"))
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=MatterTopic.objects.all(), required=False,
                                   empty_label=_("all"))
    assigned_to = forms.ChoiceField(label=_("Assigned to"), required=False)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)

    def __init__(self, *args: Any, offices: QuerySet[Office], assignees: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["office"]).queryset = offices
        cast(forms.ChoiceField, self.fields["assigned_to"]).choices = [
            ("", _("anyone")), ("me", _("me")), ("none", _("nobody")),
            *[(str(user.pk), user.get_full_name() or user.username) for user in assignees]]


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for revoking"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Give the reason for revoking the certificate.")})


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=40,
                           help_text=_("As printed on the certificate, e.g. ABCD-EFGH-JKMN-PQRS."),
                           error_messages={"required": _("Enter the code printed on the certificate.")})


class TopicForm(forms.ModelForm):
    class Meta:
        model = MatterTopic
        fields = ["name", "due_days", "is_active"]


class ReplyTemplateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    text = forms.CharField(label=_("Text"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4}))
