"""Serializers of the matters module's API: the resident's matters with the office, their correspondence and
attachments; the topics' own fields are checked by the module's forms (tenants_portal.matters.topics), with the
page's words and codes."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tenants_portal.matters.models import Matter, MatterEntry, TopicKind
from tenants_portal.matters.selectors import MAX_ATTACHMENTS, matter_topic_choose, matter_unit_choose, today
from tenants_portal.matters.services import matter_attachments_check
from tenants_portal.matters.topics import FIELD_FORMS, topic_fields_form

from .serializers import FileListField, StrictSerializer, UploadSerializer, _checked

# Every topic field's refusals, for the schema: "topic_fields.<name>" with the codes its form may give.
TOPIC_FIELD_CODES: dict[str, set[str]] = {}
for _form_class in FIELD_FORMS.values():
    for _name, _field in _form_class.base_fields.items():
        TOPIC_FIELD_CODES.setdefault(f"topic_fields.{_name}", set()).update(_field.error_messages)
TOPIC_FIELD_CODES["topic_fields.effective_from"] |= {"not_month_start", "past_month", "too_far"}
TOPIC_FIELD_CODES["topic_fields.account"] |= {"account_format", "account_checksum"}
TOPIC_FIELD_CODES["topic_fields.date_from"] |= {"past_start"}
TOPIC_FIELD_CODES["topic_fields.date_to"] |= {"end_before_start"}


class MatterTopicSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=TopicKind.choices, help_text=(
        "Which fields the topic asks for in `topic_fields`: people (people, effective_from), refund (account, "
        "account_holder), renovation (scope, date_from, date_to), certificate (purpose), access_withdrawal "
        "(confirm), other (none; subject and description required)."))
    name = serializers.CharField()
    due_days = serializers.IntegerField(help_text="Days the office has to answer.")


class MatterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    register_number = serializers.CharField(help_text="The number in the correspondence register, KOR/<year>/<n>.")
    topic = serializers.CharField(source="topic.name")
    kind = serializers.ChoiceField(choices=TopicKind.choices)
    subject = serializers.CharField()
    unit_id = serializers.IntegerField()
    unit = serializers.CharField()
    status = serializers.ChoiceField(choices=Matter.Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    outcome = serializers.ChoiceField(choices=[("", ""), *Matter.Outcome.choices])
    received_at = serializers.DateTimeField()
    due_on = serializers.DateField()
    updated_at = serializers.DateTimeField()


class MatterAttachmentSerializer(UploadSerializer):
    route, parent_id = "api:matters:attachment", "matter_id"


class MatterEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=MatterEntry.Kind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    author = serializers.CharField(source="author_name", allow_blank=True)
    status_from = serializers.CharField(allow_blank=True)
    status_to = serializers.CharField(allow_blank=True)
    text = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    attachments = MatterAttachmentSerializer(source="attachments.all", many=True)


class CertificateSerializer(serializers.Serializer):
    number = serializers.CharField()
    as_of = serializers.DateField(help_text="No arrears as of this day.")
    issued_at = serializers.DateTimeField()
    revoked = serializers.BooleanField(source="is_revoked")


class MatterDetailSerializer(MatterSerializer):
    description = serializers.CharField(allow_blank=True)
    topic_fields = serializers.DictField(source="fields", help_text="The topic's own fields as the office received "
                                                                    "them.")
    entries = MatterEntrySerializer(source="entries_visible", many=True)
    certificates = CertificateSerializer(source="certificates.all", many=True)


class ObjectOrJSONTextField(serializers.JSONField):
    """An object in a JSON request, or its JSON text in a multipart one (a form field carries only text)."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            self.binary = True
        try:
            return super().to_internal_value(data)
        finally:
            self.binary = False


class MatterCreateSerializer(StrictSerializer):
    topic = serializers.IntegerField(label=_("Topic"), help_text="An id from /matters/topics/.")
    unit = serializers.IntegerField(label=_("Unit"), help_text="One of the resident's units (/units/).")
    subject = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                    label=_("Subject"), help_text="Required for the topic kind `other`.")
    description = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="",
                                        label=_("Description"), help_text="Required for the topic kind `other`.")
    topic_fields = ObjectOrJSONTextField(required=False, default=dict, help_text=(
        "The topic's own fields (see /matters/topics/), an object; in a multipart request its JSON text."))
    attachments = FileListField(required=False, max_length=MAX_ATTACHMENTS, help_text=(
        "PDF documents or photos (JPEG, PNG, WebP); only in a multipart/form-data request."))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The page's rules with its words and codes: an active topic, one of the resident's units, files that
        are documents or photos, then the topic's own fields."""
        user = self.context["user"]
        errors: dict[str, list[DjangoValidationError]] = {}
        topic = _checked(errors, "topic", matter_topic_choose, id=attrs["topic"])
        unit = _checked(errors, "unit", matter_unit_choose, user=user, id=attrs["unit"])
        attachments = _checked(errors, "attachments", matter_attachments_check,
                               uploads=attrs.get("attachments") or [])
        if not isinstance(attrs.get("topic_fields"), dict):
            errors["topic_fields"] = [DjangoValidationError(_("Give the topic's fields as an object."), code="invalid")]
        if errors:
            raise DjangoValidationError(errors)
        assert topic is not None
        form = topic_fields_form(topic.kind, attrs["topic_fields"], today=today())
        if not form.is_valid():
            raise DjangoValidationError({f"topic_fields.{name}": [DjangoValidationError(message, code=error.code)
                                                             for error in form.errors.as_data()[name]
                                                             for message in error.messages]
                                         for name in form.errors})
        return {**attrs, "topic": topic, "unit": unit, "attachments": attachments,
                "topic_fields": form.as_json()}


class MatterReplySerializer(StrictSerializer):
    text = serializers.CharField(max_length=10000, label=_("Reply"))
    attachments = FileListField(required=False, max_length=MAX_ATTACHMENTS, help_text=(
        "PDF documents or photos (JPEG, PNG, WebP); only in a multipart/form-data request."))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, list[DjangoValidationError]] = {}
        attachments = _checked(errors, "attachments", matter_attachments_check, uploads=attrs.get("attachments") or [])
        if errors:
            raise DjangoValidationError(errors)
        return {**attrs, "attachments": attachments}
