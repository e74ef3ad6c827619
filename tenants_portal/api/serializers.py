"""Shapes of the API's requests and responses. Money and meter readings travel as decimal strings
("123.45"), dates as ISO 8601 ("2026-03-01"), times with their offset."""

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.forms import RegexField
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.settings import api_settings

from billing_views.models import ImportRun, LedgerEntry
from billing_views.validators import period_date_validators
from cooperatives.selectors import cooperative_url
from tenants_portal.access.account_forms import ContactForm
from tenants_portal.accounts.passwords import MAX_LENGTH as PASSWORD_MAX_LENGTH
from tenants_portal.documents.models import Document
from tenants_portal.failures.models import FailureEvent, FailureReport
from tenants_portal.failures.selectors import (
    MAX_PHOTOS,
    failure_category_choose,
    failure_place_choose,
    failure_places_for,
)
from tenants_portal.failures.services import failure_photos_check, failure_place_detail_check
from tenants_portal.fee_notices.models import Basis as FeeBasis
from tenants_portal.meters.models import Meter, Reading
from tenants_portal.notices.models import NoticeKind
from tenants_portal.online_payments.models import Allocation, OnlinePayment
from tenants_portal.online_payments.selectors import Stage, payment_stage
from tenants_portal.registry.models import Unit

# ---- strict JSON -----------------------------------------------------------------------------------
# DRF reads "5" as an integer, 5 as a string and "yes" as true. A JSON body is taken at its word
# instead: what the schema says is a string must be a string (multipart forms carry only strings and
# are read the usual way).
_JSON_TYPES: tuple[tuple[type, tuple[type, ...], str], ...] = (
    (serializers.BooleanField, (bool,), "invalid"),
    (serializers.IntegerField, (int,), "invalid"),
    (serializers.DecimalField, (str,), "invalid"),
    (serializers.DateField, (str,), "invalid"),
    (serializers.MultipleChoiceField, (list,), "not_a_list"),
    (serializers.ChoiceField, (str,), "invalid_choice"),
    (serializers.CharField, (str,), "invalid"),
    (serializers.ListField, (list,), "not_a_list"),
)


def _type_error(field_class: type[serializers.Field], key: str, value) -> ErrorDetail:
    # The class's own wording (not a field's custom one, which may speak of a pattern, not the type).
    class_messages = (getattr(klass, "default_error_messages", {}) for klass in field_class.__mro__)
    message = next(messages[key] for messages in class_messages if key in messages)
    message = message.format(format="YYYY-MM-DD", input=value, input_type=type(value).__name__)
    return ErrorDetail(message, code=key)


class StrictSerializer(serializers.Serializer):
    def to_internal_value(self, data):
        if isinstance(data, Mapping) and not isinstance(data, QueryDict):
            errors = {}
            for name, field in self.fields.items():
                if field.read_only or name not in data or data[name] is None:
                    continue
                value = data[name]
                for field_class, types, key in _JSON_TYPES:
                    if isinstance(field, field_class):
                        if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
                            errors[name] = [_type_error(field_class, key, value)]
                        break
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


def _absolute(request, name: str, *args) -> str:
    # On the cooperative's primary address (cooperatives.selectors.cooperative_url), whichever host was asked.
    return cooperative_url(path=reverse(name, args=args))


# ---- signing in and the account -------------------------------------------------------------------

class TokenRequestSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150, label=_("Login"))
    password = serializers.CharField(max_length=PASSWORD_MAX_LENGTH, trim_whitespace=False, label=_("Password"))
    device = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                                   help_text="A name for the app or device, shown in the audit log.")


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Bearer <token>`. Shown only now.")
    token_type = serializers.CharField(default="Bearer")
    expires_at = serializers.DateTimeField(help_text="Without use for 30 days a token expires; at the latest "
                                                     "90 days after it was issued.")


class AccountSerializer(serializers.Serializer):
    username = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    role = serializers.CharField()
    email = serializers.EmailField(allow_blank=True)
    email_verified = serializers.BooleanField(source="has_verified_email")
    phone = serializers.CharField(allow_blank=True)


PHONE_PATTERN = cast(RegexField, ContactForm.base_fields["phone"]).regex.pattern


class ContactUpdateSerializer(StrictSerializer):
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True, label=_("E-mail address"))
    phone = serializers.RegexField(PHONE_PATTERN, max_length=20, required=False,
                                   allow_blank=True, label=_("Phone"), error_messages={
                                       "invalid": _("Enter a phone number of 9 digits, e.g. 600 123 456.")})
    current_password = serializers.CharField(
        max_length=1024, trim_whitespace=False, required=False, allow_blank=True, label=_("Current password"),
        help_text="Required to change the e-mail address (the old address is told of the change).")


class PasswordChangeSerializer(StrictSerializer):
    current_password = serializers.CharField(max_length=1024, trim_whitespace=False, label=_("Current password"))
    new_password = serializers.CharField(max_length=1024, trim_whitespace=False, label=_("New password"))


class PasswordChangedSerializer(serializers.Serializer):
    token = TokenSerializer(allow_null=True, help_text="Every app token ended with the old password; when the "
                                                        "change was made with a token, here is its successor.")


def notice_preferences_serializer() -> type[StrictSerializer]:
    # The lazy label: a str() here would freeze whichever language was active when the module was imported.
    fields = {kind: serializers.BooleanField(required=False, help_text=label)
              for kind, label in NoticeKind.choices}
    return type("NoticePreferencesSerializer", (StrictSerializer,), fields)


NoticePreferencesSerializer = notice_preferences_serializer()


# ---- units and the ledger -------------------------------------------------------------------------

class UnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    # A declared field: DRF's metaclass takes it out of the class, so it shadows no attribute (the stubs differ).
    label = serializers.CharField(source="__str__")  # type: ignore[assignment]
    kind = serializers.ChoiceField(choices=Unit.Kind.choices)
    number = serializers.CharField()
    code = serializers.CharField(allow_null=True)
    building = serializers.CharField(source="building.__str__")
    estate = serializers.CharField(source="building.estate.name")
    area_m2 = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    balance = serializers.DecimalField(max_digits=14, decimal_places=2, help_text=(
        "The sum of the ledger: positive is owed (arrears), negative an overpayment."))


class FeeLineSerializer(serializers.Serializer):
    component = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class PaymentInstructionsSerializer(serializers.Serializer):
    recipient = serializers.CharField()
    account = serializers.CharField(help_text="The unit's own account number (NRB), grouped for reading.")
    account_digits = serializers.CharField()
    due = serializers.DecimalField(max_digits=14, decimal_places=2)
    title = serializers.CharField(help_text="The transfer title.")


class RecentPaymentSerializer(serializers.Serializer):
    booked_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="Negative: it lowers the balance.")
    reference = serializers.CharField(allow_blank=True)


class BalanceSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    balance = serializers.DecimalField(max_digits=14, decimal_places=2)
    as_of = serializers.DateTimeField(allow_null=True, help_text="When the data last came from the accounting "
                                                                 "system.")
    fee_month = serializers.DateField(allow_null=True, help_text="The latest month charged (its first day).")
    fee = FeeLineSerializer(many=True)
    fee_total = serializers.DecimalField(max_digits=14, decimal_places=2)
    payment = PaymentInstructionsSerializer(allow_null=True)
    recent_payments = RecentPaymentSerializer(many=True)


class LedgerLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    booked_on = serializers.DateField()
    kind = serializers.ChoiceField(choices=LedgerEntry.Kind.choices)
    kind_label = serializers.CharField()
    component = serializers.CharField(allow_blank=True)
    period = serializers.DateField(allow_null=True)
    reference = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    balance = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="The balance after this entry.")


class PeriodQuerySerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False, label=_("From"), validators=period_date_validators())
    date_to = serializers.DateField(required=False, label=_("To"), validators=period_date_validators())

    def validate(self, data):
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise serializers.ValidationError(_("The start date is after the end date."), code="invalid")
        return data


class LedgerQuerySerializer(PeriodQuerySerializer):
    kind = serializers.ChoiceField(choices=LedgerEntry.Kind.choices, required=False, label=_("Kind"))


# ---- meters ---------------------------------------------------------------------------------------

class ReadingWindowSerializer(serializers.Serializer):
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    note = serializers.CharField(allow_blank=True)


class ReadingWindowsSerializer(serializers.Serializer):
    open = ReadingWindowSerializer(allow_null=True, help_text="The window open today: readings can be sent.")
    next = ReadingWindowSerializer(allow_null=True)


class ReadingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    read_on = serializers.DateField()
    value = serializers.DecimalField(max_digits=12, decimal_places=3)
    # A declared field: DRF's metaclass takes it out of the class, so it shadows no attribute (the stubs differ).
    source = serializers.ChoiceField(choices=Reading.Source.choices)  # type: ignore[assignment]
    status = serializers.ChoiceField(choices=Reading.Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    rejection_reason = serializers.CharField(allow_blank=True)
    unusual_confirmed = serializers.BooleanField()
    submitted_at = serializers.DateTimeField()
    photo_url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_photo_url(self, reading: Reading) -> str | None:
        if not reading.photo_path:
            return None
        return _absolute(self.context["request"], "api:meters:reading_photo", reading.pk)


class MeterSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="meter.id")
    unit = serializers.IntegerField(source="meter.unit_id")
    kind = serializers.ChoiceField(source="meter.kind", choices=Meter.Kind.choices)
    kind_label = serializers.CharField(source="meter.get_kind_display")
    serial_number = serializers.CharField(source="meter.serial_number")
    location = serializers.CharField(source="meter.location", allow_blank=True)
    measure = serializers.CharField(source="meter.measure", help_text="m³, or units of a heat-cost allocator.")
    decimals = serializers.IntegerField(source="meter.decimals")
    installed_on = serializers.DateField(source="meter.installed_on", allow_null=True)
    verified_until = serializers.DateField(source="meter.verified_until", allow_null=True)
    verification_expired = serializers.BooleanField()
    last_accepted = ReadingSerializer(allow_null=True)
    pending = ReadingSerializer(allow_null=True, help_text="The resident's reading awaiting the office's acceptance.")


class ReadingSubmitSerializer(StrictSerializer):
    value = serializers.DecimalField(max_digits=12, decimal_places=3, min_value=0, label=_("Reading"),
                                     help_text='A decimal string, e.g. "123.456".')
    confirm_unusual = serializers.BooleanField(required=False, default=False, help_text=(
        "Send true after the API answered that the consumption looks unusual and the resident checked the meter."))
    photo = serializers.FileField(required=False, help_text=(
        "A photo of the meter (JPEG, PNG or WebP); only in a multipart/form-data request."))


# ---- failure reports ------------------------------------------------------------------------------

class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    # A declared field: DRF's metaclass takes it out of the class, so it shadows no attribute (the stubs differ).
    label = serializers.CharField()  # type: ignore[assignment]


class CategorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class EmergencyContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()
    description = serializers.CharField(allow_blank=True)


class FailureOptionsSerializer(serializers.Serializer):
    categories = CategorySerializer(many=True)
    places = ChoiceSerializer(many=True, help_text="Where a failure can be: the resident's units and the common "
                                                   "areas of their buildings.")
    urgencies = ChoiceSerializer(many=True)
    emergency_contacts = EmergencyContactSerializer(many=True, help_text=(
        "Shown before an urgent report is filed; the resident confirms having seen them."))
    max_photos = serializers.IntegerField()


# A stored upload (a failure's photo, a matter's attachment) with the address that serves it through its access
# check: subclasses name that route and the attribute holding its parent's id. (A comment, not a docstring: the
# OpenAPI file would give the subclasses its text.)
class UploadSerializer(serializers.Serializer):
    route: str
    parent_id: str
    id = serializers.IntegerField()
    original_name = serializers.CharField(allow_blank=True)
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, upload) -> str:
        return _absolute(self.context["request"], self.route, getattr(upload, self.parent_id), upload.pk)


class FailurePhotoSerializer(UploadSerializer):
    route, parent_id = "api:failures:photo", "report_id"


class FailureEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=FailureEvent.Kind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    author = serializers.CharField(source="author_name", allow_blank=True)
    status_from = serializers.CharField(allow_blank=True)
    status_to = serializers.CharField(allow_blank=True)
    text = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()


class FailureReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    category = serializers.CharField(source="category.name")
    place = serializers.CharField(source="place_label")
    urgency = serializers.ChoiceField(choices=FailureReport.Urgency.choices)
    status = serializers.ChoiceField(choices=FailureReport.Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class FailureReportDetailSerializer(FailureReportSerializer):
    description = serializers.CharField()
    place_detail = serializers.CharField(allow_blank=True)
    events = FailureEventSerializer(source="events_visible", many=True)
    photos = FailurePhotoSerializer(source="photos.all", many=True)


class FileListField(serializers.ListField):
    """Several files in one field; a bad one is reported on the field itself (not as "photos.0")."""

    child = serializers.FileField()

    def run_child_validation(self, data):
        try:
            return super().run_child_validation(data)
        except serializers.ValidationError as error:
            raise serializers.ValidationError([detail for details in error.detail.values()
                                               for detail in details]) from None


class FailureReportCreateSerializer(StrictSerializer):
    category = serializers.IntegerField(label=_("What is broken"), help_text="An id from /failures/options/.")
    place = serializers.CharField(max_length=100, label=_("Where"), help_text="A value from /failures/options/.")
    place_detail = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                         label=_("Where exactly"))
    description = serializers.CharField(max_length=5000, label=_("Description"))
    urgency = serializers.ChoiceField(choices=FailureReport.Urgency.choices, required=False,
                                      default=FailureReport.Urgency.NORMAL, label=_("Urgency"))
    emergency_numbers_confirmed = serializers.BooleanField(required=False, default=False, help_text=(
        "Required (true) for an urgent report: the resident has seen the emergency numbers."))
    photos = FileListField(required=False, max_length=MAX_PHOTOS,
                                   help_text="Photos (JPEG, PNG or WebP); only in a multipart/form-data request.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The failures module's rules, the ones the page's form applies, with the same words and codes: a
        resident holding a unit; an active category, a place of their own, photos that are pictures (each
        refusal by its field, in the page's order); then the emergency numbers seen for an urgent report."""
        user = self.context["user"]
        if not failure_places_for(user=user):
            raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [ErrorDetail(gettext(
                "You hold no unit at the moment, so you cannot report a failure here. Please contact the office."),
                code="no_units")]})
        errors: dict[str, list[DjangoValidationError]] = {}
        category = _checked(errors, "category", failure_category_choose, id=attrs["category"])
        place = _checked(errors, "place", failure_place_choose, user=user, value=attrs["place"])
        photos = _checked(errors, "photos", failure_photos_check, uploads=attrs.get("photos") or [])
        if place is not None:
            _checked(errors, "place_detail", failure_place_detail_check, place=place,
                     place_detail=attrs["place_detail"])
        if errors:
            raise DjangoValidationError(errors)
        if attrs["urgency"] != FailureReport.Urgency.NORMAL and not attrs["emergency_numbers_confirmed"]:
            # Nothing is stored until the resident has seen the emergency numbers (as on the page).
            raise serializers.ValidationError({"emergency_numbers_confirmed": [ErrorDetail(
                gettext("Confirm that you have seen the emergency numbers."), code="not_confirmed")]})
        return {**attrs, "category": category, "place": place, "photos": photos}



def _checked[CheckedT](errors: dict[str, list[DjangoValidationError]], field: str, check: Callable[..., CheckedT],
             **arguments: Any) -> CheckedT | None:
    """check(**arguments), or None with its refusal kept under `field`: every field's refusal is answered at
    once, as a form does."""
    try:
        return check(**arguments)
    except DjangoValidationError as error:
        errors[field] = error.error_list
        return None


class FailureCommentSerializer(StrictSerializer):
    text = serializers.CharField(max_length=5000, label=_("Comment"))


# ---- announcements and documents ------------------------------------------------------------------

class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, attachment) -> str:
        return _absolute(self.context["request"], "api:announcements:attachment", attachment.announcement_id,
                         attachment.pk)


class AnnouncementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    audience = serializers.CharField(source="audience_label")
    pinned = serializers.BooleanField()
    publish_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(allow_null=True)
    is_read = serializers.BooleanField()
    attachment_count = serializers.IntegerField()


class AnnouncementDetailSerializer(AnnouncementSerializer):
    body = serializers.CharField(help_text="Plain text; line breaks separate paragraphs.")
    attachments = AttachmentSerializer(source="attachments.all", many=True)


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    category = serializers.ChoiceField(choices=Document.Category.choices)
    category_label = serializers.CharField(source="get_category_display")
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    document_date = serializers.DateField()
    year = serializers.IntegerField()
    residents_only = serializers.SerializerMethodField()
    content_type = serializers.CharField()
    size = serializers.IntegerField(source="file_size")
    url = serializers.SerializerMethodField()

    def get_residents_only(self, document: Document) -> bool:
        return document.visibility == Document.Visibility.RESIDENTS

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, document: Document) -> str:
        return _absolute(self.context["request"], "api:documents:file", document.pk)


class DocumentQuerySerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Document.Category.choices, required=False, label=_("Category"))
    year = serializers.IntegerField(required=False, min_value=1900, max_value=2100, label=_("Year"))
    q = serializers.CharField(required=False, max_length=100, label=_("Title contains"))


# ---- imports --------------------------------------------------------------------------------------

class ImportRowErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_blank=True)
    value = serializers.CharField(allow_blank=True)
    reason = serializers.CharField()


class ImportRunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(allow_blank=True, help_text="registry, charges or payments; empty until read.")
    # A declared field: DRF's metaclass takes it out of the class, so it shadows no attribute (the stubs differ).
    source = serializers.ChoiceField(choices=ImportRun.Source.choices)  # type: ignore[assignment]
    filename = serializers.CharField()
    status = serializers.ChoiceField(choices=ImportRun.Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    checksum = serializers.CharField()
    size_bytes = serializers.IntegerField()
    rows_total = serializers.IntegerField()
    rows_added = serializers.IntegerField()
    rows_updated = serializers.IntegerField()
    rows_unchanged = serializers.IntegerField()
    error_count = serializers.IntegerField()
    message = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    same_as = serializers.IntegerField(source="same_as_id", allow_null=True,
                                       help_text="The earlier import of the same file (status unchanged).")


class ImportRunDetailSerializer(ImportRunSerializer):
    # A declared field: DRF's metaclass takes it out of the class, so it shadows no attribute (the stubs differ).
    errors = ImportRowErrorSerializer(source="row_errors.all", many=True, help_text=(  # type: ignore[assignment]
        "Why the file was refused: line, column, value and reason of each bad row (at most 1000)."))


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(label=_("CSV file from the accounting system"))


class ImportQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ImportRun.Status.choices, required=False, label=_("Status"))
    kind = serializers.ChoiceField(choices=ImportRun.Kind.choices, required=False, label=_("Kind"))


# ---- online payments ------------------------------------------------------------------------------

# What a payment's state means to the payer (tenants_portal.online_payments.selectors.Stage).
PAYMENT_STAGES = [
    (Stage.WAITING, "waiting: not paid yet (at the gateway, or not sent there)"),
    (Stage.PAID, "paid: on the ledger at once, awaiting the accounting system's booking"),
    (Stage.BOOKED, "booked: the bank's copy came with the payments import"),
    (Stage.CANCELLED, "cancelled at the gateway"),
    (Stage.EXPIRED, "expired: left unpaid"),
    (Stage.REFUNDED, "refunded, in whole or in part"),
]
_MONEY = serializers.DecimalField(max_digits=10, decimal_places=2)


_TOO_LARGE = _("One online payment can be at most 99 999,99 zł; please pay in parts.")
_AMOUNT_ERRORS: dict[str, Any] = {  # lazy sentences (the stubs want a wider dict)
    "invalid": _('Enter the amount in złoty as a decimal string with a dot, e.g. "512.40".'),
    "min_value": _("The amount must be more than zero."),
    "max_value": _TOO_LARGE, "max_digits": _TOO_LARGE, "max_whole_digits": _TOO_LARGE,
    "max_decimal_places": _("The amount can have at most two decimal places (grosze)."),
}


class OnlinePaymentStartSerializer(StrictSerializer):
    amount = serializers.DecimalField(
        max_digits=7, decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal("99999.99"), required=False,
        allow_null=True, label=_("Amount"), error_messages=_AMOUNT_ERRORS,
        help_text='In złoty, a decimal string, e.g. "512.40". Left out: what the unit owes now (its balance, '
                  "when positive).")


class OnlinePaymentAllocationSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit_id")
    unit_code = serializers.CharField(source="unit.code", allow_null=True)
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    booked = serializers.SerializerMethodField(help_text=(
        "The accounting system has booked this part (the bank's copy came with its payments import); until "
        "then a paid payment is on the unit's ledger as an online payment awaiting booking."))

    def get_booked(self, allocation: Allocation) -> bool:
        return allocation.settled_entry_id is not None


class OnlinePaymentSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    reference = serializers.CharField(help_text="The payment's reference, in the gateway's transfer title and on "
                                                "the ledger.")
    status = serializers.SerializerMethodField()
    amount = serializers.SerializerMethodField()
    fee = serializers.DecimalField(max_digits=8, decimal_places=2, help_text=(
        "The gateway's fee the resident pays on top of the amount (0.00 when the cooperative pays it)."))
    total = serializers.DecimalField(source="amount_required", max_digits=10, decimal_places=2,
                                     help_text="What the gateway charges: the amount and the fee.")
    redirect_url = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField(allow_null=True)
    allocations = OnlinePaymentAllocationSerializer(source="allocations.all", many=True,
                                                    help_text="The amount for each unit.")

    @extend_schema_field(serializers.ChoiceField(choices=PAYMENT_STAGES))
    def get_status(self, payment: OnlinePayment) -> str:
        return payment_stage(payment)

    @extend_schema_field(serializers.DecimalField(max_digits=10, decimal_places=2,
                                                  help_text="The sum for the units, without the fee."))
    def get_amount(self, payment: OnlinePayment) -> str:
        return _MONEY.to_representation(payment.amount_required - payment.fee)

    @extend_schema_field(serializers.URLField(allow_null=True, help_text=(
        "Where the payer pays, at the gateway: open it in a browser. Afterwards the gateway sends the payer to the "
        "cooperative's result page. Null unless the payment is waiting there.")))
    def get_redirect_url(self, payment: OnlinePayment) -> str | None:
        if payment_stage(payment) != Stage.WAITING:
            return None
        return payment.redirect_url or None


# ---- fee-change notices (module "fee_notices") ----------------------------------------------------

class FeeNoticeLineSerializer(serializers.Serializer):
    component = serializers.CharField()
    current_amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    new_amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    difference = serializers.DecimalField(max_digits=12, decimal_places=2)


class FeeNoticeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    heading = serializers.CharField(source="fee_change.heading", help_text='E.g. "Zmiana opłat od 1 kwietnia 2027".')
    effective_month = serializers.DateField(source="fee_change.effective_month",
                                            help_text="The first day of the month the new fees apply from.")
    basis = serializers.ChoiceField(source="fee_change.basis", choices=FeeBasis.choices)
    unit = serializers.IntegerField(source="unit_id")
    unit_label = serializers.CharField(source="unit.__str__")
    sent_at = serializers.DateTimeField(source="fee_change.sent_at")
    opened_at = serializers.DateTimeField(allow_null=True, help_text=(
        "When one of the notice's addressees first opened it (the confirmation of receipt); null until then."))


class FeeNoticeDetailSerializer(FeeNoticeSerializer):
    lines = FeeNoticeLineSerializer(many=True, help_text="The components that change, monthly amounts.")
    current_total = serializers.DecimalField(max_digits=12, decimal_places=2)
    new_total = serializers.DecimalField(max_digits=12, decimal_places=2)
    difference = serializers.DecimalField(max_digits=12, decimal_places=2)
    justification = serializers.CharField(allow_blank=True, help_text="The written justification (plain text).")
    justification_pdf_name = serializers.CharField(
        allow_blank=True, help_text="The name of the justification's PDF (e.g. the board's resolution), if any.")
    legal_basis = serializers.CharField(help_text='E.g. "art. 4 ust. 7 ustawy o spółdzielniach mieszkaniowych".')
    letter_url = serializers.CharField(help_text="The notice as a letter (PDF); fetching it counts as receipt too.")
