"""The REST API for residents' apps (v1). Thin: every view checks access through the areas' access_*
helpers and selectors, and writes through their services — the same rules as the pages."""

from typing import TYPE_CHECKING, cast

from django.contrib.auth import authenticate, user_logged_in
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import exceptions, generics, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from billing_views import selectors as ledger
from iok.http import file_generated_response
from iok.ratelimits import rate_limit_hit
from iok.uploads import file_response
from tenants_portal.access import services as account_services
from tenants_portal.access.notifications import email_verification_send
from tenants_portal.accounts.models import User
from tenants_portal.accounts.passwords import one_time_password_expired
from tenants_portal.accounts.second_factor import second_factor_required
from tenants_portal.accounts.services import client_ip, password_change
from tenants_portal.announcements import selectors as announcements
from tenants_portal.announcements.services import announcement_mark_read
from tenants_portal.documents import selectors as documents
from tenants_portal.failures import selectors as failures
from tenants_portal.failures import services as failure_services
from tenants_portal.failures.models import FailureEvent, FailureReport
from tenants_portal.meters import selectors as meters
from tenants_portal.meters import services as meter_services
from tenants_portal.notices.selectors import notice_preferences_get
from tenants_portal.notices.services import notice_preferences_set
from tenants_portal.registry.selectors import person_of
from tenants_portal.regulation.middleware import first_login_step_pending

from . import serializers as s
from .authentication import BearerTokenAuthentication, BrowserSessionAuthentication
from .errors import validation_error_from_django
from .exceptions import FirstSignInPending, OneTimePasswordExpired, SecondFactorRequired
from .models import ApiToken
from .permissions import FirstSignInFinished, ResidentOnly
from .schema import (
    IMAGES,
    PDF,
    ErrorResponse403Serializer,
    ErrorResponse429Serializer,
    FirstRendererNegotiation,
    file_responses,
    query_parameters,
)
from .selectors import access_resident_unit, resident_units_current
from .services import api_token_issue, api_token_revoke

if TYPE_CHECKING:
    from django.db.models import QuerySet

    class FailureReportWithEvents(FailureReport):
        """A report with the history its resident may see (set by _report_detail), which
        FailureReportDetailSerializer shows as its events. For the type checker only: not a model."""

        events_visible: QuerySet[FailureEvent]


RATE_LIMITED = "Too many requests of this kind from this account or address in a short time (code throttled); " \
    "Retry-After says when to try again. The limits are in the README."


def validated(serializer_class, data, **kwargs) -> dict:
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def validated_query(serializer_class, query: QueryDict) -> dict:
    """Query parameters read as plain values: DRF would skip an empty `?date_to=` as if it were absent,
    where the contract says a date (each filter here takes one value)."""
    return validated(serializer_class, query.dict())


def _client_ip(request) -> str | None:
    return client_ip(request._request)


# Residents' endpoints: signed in, first sign-in finished, and a resident (404 for anyone else). The
# base classes carry comments, not docstrings: a docstring would become every endpoint's description.
class ResidentView(generics.GenericAPIView):

    permission_classes = [IsAuthenticated, FirstSignInFinished, ResidentOnly]


# Sends a stored file; an error comes as JSON whatever the Accept header asked for.
class FileView(ResidentView):

    renderer_classes = [JSONRenderer]
    content_negotiation_class = FirstRendererNegotiation


# ---- signing in -----------------------------------------------------------------------------------

@extend_validation_errors(["invalid_credentials"], field_name="non_field_errors", methods=["post"])
class TokenView(APIView):
    """Sign in as the login page does (the cooperative's lockout counts every failure), get an app token."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="auth_token_create", request=s.TokenRequestSerializer, tags=["auth"], responses={
            201: s.TokenSerializer,
            403: OpenApiResponse(ErrorResponse403Serializer, description=(
                "The account must first finish its first sign-in on the website (code first_sign_in_pending), or "
                "its one-time password has expired and the office must issue a new one (code "
                "one_time_password_expired), or it is a staff account of a cooperative that requires a second "
                "factor, which app tokens do not carry (code second_factor_required).")),
            429: OpenApiResponse(ErrorResponse429Serializer, description=(
                "Too many failed attempts: this login or address is locked for the cooperative's cool-off time "
                "(code locked_out).")),
        })
    def post(self, request):
        data = validated(s.TokenRequestSerializer, request.data)
        django_request = request._request
        had_session = django_request.session.session_key is not None
        # Through django-axes like the login page: a locked login or address is refused (AxesMiddleware
        # answers 429), and a failure counts towards the lockout in this cooperative only.
        user = authenticate(django_request, username=data["username"], password=data["password"])
        if user is None:
            raise exceptions.ValidationError({"non_field_errors": [exceptions.ErrorDetail(
                _("The login or password is incorrect."), code="invalid_credentials")]})
        if one_time_password_expired(user=user):
            raise OneTimePasswordExpired
        if first_login_step_pending(user=user) is not None:
            raise FirstSignInPending
        # A token obtained with a password alone is not for whoever must show a second factor.
        if second_factor_required(user=user):
            raise SecondFactorRequired
        token, secret = api_token_issue(user=user, name=data["device"], ip_address=_client_ip(request))
        # The same success as the login page's: audited, and the login's failure counter reset.
        user_logged_in.send(sender=type(user), request=django_request, user=user)
        if not had_session:
            django_request.session.flush()  # an app has no use for the session django-axes opened
        return Response({"token": secret, "token_type": "Bearer", "expires_at": token.expires_at},
                        status=status.HTTP_201_CREATED)


class SignOutView(APIView):
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None}, tags=["auth"],
                   description="Sign out of the app: the token of this request stops working at once.")
    def post(self, request):
        api_token_revoke(token=request.auth, acting_user=request.user, ip_address=_client_ip(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


# ---- the account ----------------------------------------------------------------------------------

@extend_validation_errors(["required", "wrong_password"], field_name="current_password", methods=["patch"])
class AccountView(ResidentView):
    serializer_class = s.AccountSerializer

    @extend_schema(responses=s.AccountSerializer, tags=["account"],
                   description="The signed-in resident's account and contact data.")
    def get(self, request):
        return Response(s.AccountSerializer(request.user).data)

    @extend_schema(request=s.ContactUpdateSerializer, tags=["account"], responses={
        200: s.AccountSerializer,
        429: OpenApiResponse(ErrorResponse429Serializer, description=RATE_LIMITED)},
        description="Change the contact data; a new e-mail address needs the current password, gets a "
                    "confirmation link, and the old address is told of the change.")
    def patch(self, request):
        data = validated(s.ContactUpdateSerializer, request.data)
        user = request.user
        email = data.get("email", user.email)
        if data.get("current_password"):
            rate_limit_hit(request._request, "password_check")
        try:
            account_services.email_change_check(user=user, email=email,
                                                current_password=data.get("current_password", ""))
        except DjangoValidationError as error:
            raise validation_error_from_django(error, field="current_password") from None
        if account_services.email_change_needs_password(user=user, email=email):
            rate_limit_hit(request._request, "email_verification")
        needs_verification = account_services.contact_update(
            user=user, email=email, phone=data.get("phone", user.phone), request=request._request)
        if needs_verification:
            email_verification_send(user=user)
        return Response(s.AccountSerializer(user).data)


@extend_validation_errors(["password_policy", "invalid"], field_name="new_password", methods=["post"])
@extend_validation_errors(["wrong_password"], field_name="current_password", methods=["post"])
class PasswordChangeView(ResidentView):
    @extend_schema(request=s.PasswordChangeSerializer, tags=["account"], responses={
        200: s.PasswordChangedSerializer,
        429: OpenApiResponse(ErrorResponse429Serializer, description=RATE_LIMITED)},
        description="The cooperative's password policy applies, as on the website. Other sessions and "
                    "every app token end.")
    def post(self, request):
        rate_limit_hit(request._request, "password_check")
        data = validated(s.PasswordChangeSerializer, request.data)
        user = request.user
        if not user.check_password(data["current_password"]):
            raise exceptions.ValidationError({"current_password": [exceptions.ErrorDetail(
                _("The current password is incorrect."), code="wrong_password")]})
        by_session = isinstance(request.successful_authenticator, BrowserSessionAuthentication)
        try:
            password_change(user=user, new_password=data["new_password"],
                            request=request._request if by_session else None)
        except DjangoValidationError as error:
            raise validation_error_from_django(error, field="new_password") from None
        successor = None
        if isinstance(request.auth, ApiToken):
            token, secret = api_token_issue(user=user, name=request.auth.name, ip_address=_client_ip(request))
            successor = {"token": secret, "token_type": "Bearer", "expires_at": token.expires_at}
        return Response({"token": successor})


class NoticePreferencesView(ResidentView):
    @extend_schema(responses=s.NoticePreferencesSerializer, tags=["account"],
                   description="Which kinds of e-mail notice the resident gets (security notices always go).")
    def get(self, request):
        return Response(notice_preferences_get(user=request.user))

    @extend_schema(request=s.NoticePreferencesSerializer, responses=s.NoticePreferencesSerializer, tags=["account"],
                   description="Switch kinds of e-mail notice on or off; kinds left out keep their setting.")
    def patch(self, request):
        data = validated(s.NoticePreferencesSerializer, request.data)
        notice_preferences_set(user=request.user, choices=dict(data))
        return Response(notice_preferences_get(user=request.user))


# ---- units and the ledger -------------------------------------------------------------------------

def _with_balance(unit):
    unit.balance = ledger.ledger_balance(unit=unit)
    return unit


@extend_schema_view(get=extend_schema(
    tags=["units"], description="The units the resident holds a current legal title to, with each one's balance."))
class UnitListView(ResidentView, generics.ListAPIView):
    serializer_class = s.UnitSerializer

    def get_queryset(self):
        return [_with_balance(unit) for unit in resident_units_current(user=self.request.user)]


query_parameters(paginated=True)(UnitListView)


class UnitDetailView(ResidentView):
    @extend_schema(responses=s.UnitSerializer, tags=["units"], description="One of the resident's units.")
    def get(self, request, unit_id: int):
        unit = access_resident_unit(user=request.user, id=unit_id)
        return Response(s.UnitSerializer(_with_balance(unit)).data)


class BalanceView(ResidentView):
    @extend_schema(responses=s.BalanceSerializer, tags=["units"],
                   description="The balance, this month's fee by component and how to pay.")
    def get(self, request, unit_id: int):
        unit = access_resident_unit(user=request.user, id=unit_id)
        overview = ledger.ledger_overview(unit=unit, today=timezone.localdate())
        return Response(s.BalanceSerializer({
            "unit": unit.pk, "balance": overview.balance, "as_of": overview.as_of, "fee_month": overview.fee_month,
            "fee": overview.fee, "fee_total": overview.fee_total,
            "payment": overview.payment.__dict__ if overview.payment else None,
            "recent_payments": overview.recent_payments}).data)


@query_parameters(s.LedgerQuerySerializer, paginated=True)
@extend_schema_view(get=extend_schema(
    tags=["units"], description="The ledger, newest entry first, with the balance after each."))
class LedgerView(ResidentView, generics.ListAPIView):
    serializer_class = s.LedgerLineSerializer

    def get_queryset(self):
        unit = access_resident_unit(user=self.request.user, id=self.kwargs["unit_id"])
        query = validated_query(s.LedgerQuerySerializer, self.request.query_params)
        lines = ledger.ledger_lines(unit=unit, date_from=query.get("date_from"), date_to=query.get("date_to"),
                                    kind=query.get("kind", ""))
        return lines[::-1]


@query_parameters(s.PeriodQuerySerializer)
class StatementView(FileView):
    @extend_schema(responses={**file_responses(PDF, description="The statement of account (PDF)."),
                              (429, "application/json"): OpenApiResponse(ErrorResponse429Serializer,
                                                                         description=RATE_LIMITED)},
                   tags=["units"], description="The statement for a period: by default from 1 January to today.")
    def get(self, request, unit_id: int):
        unit = access_resident_unit(user=request.user, id=unit_id)
        rate_limit_hit(request._request, "statement_pdf")
        query = validated_query(s.PeriodQuerySerializer, request.query_params)
        date_from, date_to, pdf = ledger.statement_pdf_for_unit(
            unit=unit, holder_name=str(person_of(request.user) or request.user.get_full_name()),
            date_from=query.get("date_from"), date_to=query.get("date_to"), today=timezone.localdate())
        return file_generated_response(pdf, content_type=PDF, file_name=ledger.statement_file_name(
            unit=unit, date_from=date_from, date_to=date_to))


# ---- meters (module "meters") ---------------------------------------------------------------------

@query_parameters(paginated=True)
@extend_schema_view(get=extend_schema(
    tags=["meters"], description="The meters in use in the unit: water first, then heat and gas."))
class UnitMetersView(ResidentView, generics.ListAPIView):
    serializer_class = s.MeterSerializer

    def get_queryset(self):
        unit = access_resident_unit(user=self.request.user, id=self.kwargs["unit_id"])
        return meters.meter_summaries(unit=unit)


class ReadingWindowsView(ResidentView):
    @extend_schema(responses=s.ReadingWindowsSerializer, tags=["meters"],
                   description="Residents send readings only while a window set by the cooperative is open.")
    def get(self, request):
        today = timezone.localdate()
        return Response(s.ReadingWindowsSerializer({"open": meters.reading_window_open(on=today),
                                                    "next": meters.reading_window_next(on=today)}).data)


def _summary(meter):
    return next(summary for summary in meters.meter_summaries(unit=meter.unit) if summary.meter.pk == meter.pk)


class MeterView(ResidentView):
    @extend_schema(responses=s.MeterSerializer, tags=["meters"],
                   description="A meter of one of the resident's units, with its last readings.")
    def get(self, request, meter_id: int):
        meter = meters.access_meter(user=request.user, id=meter_id)
        return Response(s.MeterSerializer(_summary(meter), context={"request": request}).data)


@query_parameters(paginated=True)
@extend_validation_errors(["outside_window", "removed", "verification_expired", "pending", "lower_than_previous"],
                          field_name="non_field_errors", methods=["post"])
@extend_validation_errors(["unusual"], field_name="confirm_unusual", methods=["post"])
@extend_validation_errors(["not_image", "too_large", "too_many_pixels"], field_name="photo", methods=["post"])
@extend_schema_view(get=extend_schema(tags=["meters"], description="The meter's readings, newest first."))
class MeterReadingsView(ResidentView, generics.ListAPIView):
    serializer_class = s.ReadingSerializer
    parser_classes = [JSONParser, MultiPartParser]

    def get_queryset(self):
        meter = meters.access_meter(user=self.request.user, id=self.kwargs["meter_id"])
        return meters.readings_of_meter(meter=meter)

    @extend_schema(request=s.ReadingSubmitSerializer,
                   responses={201: s.ReadingSerializer}, tags=["meters"],
                   description="Send the resident's own reading (in an open reading window). An unusually high "
                               "consumption is refused with the code `unusual` until sent again with "
                               "`confirm_unusual: true`.")
    def post(self, request, meter_id: int):
        meter = meters.access_meter(user=request.user, id=meter_id)
        data = validated(s.ReadingSubmitSerializer, request.data)
        try:
            reading = meter_services.reading_submit(acting_user=request.user, meter=meter, value=data["value"],
                                                    photo=data.get("photo"), confirmed=data["confirm_unusual"])
        except meter_services.ReadingNeedsConfirmation as unusual:
            raise exceptions.ValidationError({"confirm_unusual": [
                exceptions.ErrorDetail(unusual.message, code="unusual")]}) from None
        except DjangoValidationError as error:
            field = "photo" if error.code in ("not_image", "too_large") else None
            raise validation_error_from_django(error, field=field) from None
        return Response(s.ReadingSerializer(reading, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class ReadingPhotoView(FileView):
    @extend_schema(responses=file_responses(*IMAGES, description="The photo sent with the reading."),
                   tags=["meters"])
    def get(self, request, reading_id: int):
        reading = meters.access_reading(user=request.user, id=reading_id)
        if not reading.photo_path:
            raise exceptions.NotFound
        return file_response(path=reading.photo_path, content_type=reading.photo_content_type,
                             download_name=f"odczyt-{reading.pk}")


# ---- failure reports (module "failures") ----------------------------------------------------------

class FailureOptionsView(ResidentView):
    @extend_schema(responses=s.FailureOptionsSerializer, tags=["failures"],
                   description="What a new report can name: categories, places, urgencies, and the emergency "
                               "numbers to show before an urgent report.")
    def get(self, request):
        return Response(s.FailureOptionsSerializer({
            "categories": failures.failure_categories_active(),
            "places": [{"value": place.value, "label": place.label}
                       for place in failures.failure_places_for(user=request.user)],
            "urgencies": [{"value": value, "label": label} for value, label in FailureReport.Urgency.choices],
            "emergency_contacts": failures.emergency_contacts_list(),
            "max_photos": failures.MAX_PHOTOS}).data)


FAILURE_CREATE_CODES = ["no_units", "invalid", "no_description", "too_many", "not_image", "too_large"]


@query_parameters(paginated=True)
@extend_validation_errors(FAILURE_CREATE_CODES, field_name="non_field_errors", methods=["post"])
@extend_validation_errors(["invalid", "required", "max_length"], field_name="place_detail", methods=["post"])
@extend_validation_errors(["invalid_choice", "required"], field_name="category", methods=["post"])
@extend_validation_errors(["invalid_place", "invalid_choice", "required"], field_name="place", methods=["post"])
@extend_validation_errors(["invalid", "too_many", "empty", "no_name", "max_length", "not_image", "too_large",
                           "too_many_pixels"], field_name="photos", methods=["post"])
@extend_validation_errors(["not_confirmed"], field_name="emergency_numbers_confirmed", methods=["post"])
@extend_schema_view(get=extend_schema(tags=["failures"], description="The resident's own reports, newest first."))
class FailureReportsView(ResidentView, generics.ListAPIView):
    serializer_class = s.FailureReportSerializer
    parser_classes = [JSONParser, MultiPartParser]

    def get_queryset(self):
        return failures.failure_reports_of_resident(user=self.request.user)

    @extend_schema(request=s.FailureReportCreateSerializer,
                   responses={201: s.FailureReportDetailSerializer}, tags=["failures"],
                   description="File a report about one of the resident's units or a common area of their "
                               "building; photos need a multipart/form-data request.")
    def post(self, request):
        data = validated(s.FailureReportCreateSerializer, request.data, context={"user": request.user})
        place = data["place"]
        report = failure_services.failure_report_create(
            acting_user=request.user, category=data["category"], description=data["description"],
            urgency=data["urgency"], unit=place.unit, building=place.building, common_area=place.common_area,
            place_detail=data["place_detail"], photos=data["photos"],
            emergency_numbers_confirmed=data["emergency_numbers_confirmed"])
        return Response(_report_detail(request, report, resident=request.user), status=status.HTTP_201_CREATED)


def _report_detail(request: Request, report: FailureReport, *, resident: User) -> dict:
    # The history the resident may see (no internal notes), not every event of the report.
    detail = cast("FailureReportWithEvents", report)
    detail.events_visible = failures.failure_events_visible(report=report, user=resident)
    return s.FailureReportDetailSerializer(detail, context={"request": request}).data


class FailureReportView(ResidentView):
    @extend_schema(responses=s.FailureReportDetailSerializer, tags=["failures"],
                   description="One of the resident's reports with its history and photos.")
    def get(self, request, report_id: int):
        report = failures.access_failure_report(user=request.user, id=report_id)
        return Response(_report_detail(request, report, resident=request.user))


@extend_validation_errors(["empty_comment", "not_allowed"], field_name="non_field_errors", methods=["post"])
class FailureCommentView(ResidentView):
    @extend_schema(request=s.FailureCommentSerializer, responses={201: s.FailureEventSerializer},
                   tags=["failures"], description="The resident's comment on their own report.")
    def post(self, request, report_id: int):
        report = failures.access_failure_report(user=request.user, id=report_id)
        data = validated(s.FailureCommentSerializer, request.data)
        event = failure_services.failure_comment_add(acting_user=request.user, report=report, text=data["text"])
        return Response(s.FailureEventSerializer(event).data, status=status.HTTP_201_CREATED)


class FailurePhotoView(FileView):
    @extend_schema(responses=file_responses(*IMAGES, description="A photo of the report."), tags=["failures"])
    def get(self, request, report_id: int, photo_id: int):
        photo = failures.access_failure_photo(user=request.user, report_id=report_id, id=photo_id)
        return file_response(path=photo.path, content_type=photo.content_type, download_name=photo.original_name)


# ---- announcements (module "announcements") -------------------------------------------------------

@query_parameters(paginated=True)
@extend_schema_view(get=extend_schema(
    tags=["announcements"], description="Announcements for the resident's buildings, pinned first."))
class AnnouncementsView(ResidentView, generics.ListAPIView):
    serializer_class = s.AnnouncementSerializer

    def get_queryset(self):
        return announcements.announcements_for_resident(user=self.request.user)


class AnnouncementView(ResidentView):
    @extend_schema(responses=s.AnnouncementDetailSerializer, tags=["announcements"],
                   description="One announcement; reading it marks it read.")
    def get(self, request, announcement_id: int):
        announcement = announcements.access_announcement_for_resident(user=request.user, id=announcement_id)
        announcement_mark_read(user=request.user, announcement=announcement)
        announcement.is_read = True
        return Response(s.AnnouncementDetailSerializer(announcement, context={"request": request}).data)


class AnnouncementAttachmentView(FileView):
    @extend_schema(responses=file_responses(PDF, *IMAGES, description="An attachment of the announcement."),
                   tags=["announcements"])
    def get(self, request, announcement_id: int, attachment_id: int):
        attachment = announcements.access_announcement_attachment(user=request.user, announcement_id=announcement_id,
                                                                  id=attachment_id)
        return file_response(path=attachment.path, content_type=attachment.content_type,
                             download_name=attachment.original_name)


# ---- documents (module "documents") ---------------------------------------------------------------

@query_parameters(s.DocumentQuerySerializer, paginated=True)
@extend_schema_view(get=extend_schema(
    tags=["documents"], description="The cooperative's document library, newest first."))
class DocumentsView(ResidentView, generics.ListAPIView):
    serializer_class = s.DocumentSerializer

    def get_queryset(self):
        query = validated_query(s.DocumentQuerySerializer, self.request.query_params)
        return documents.documents_filter(documents=documents.documents_visible(user=self.request.user),
                                          category=query.get("category", ""), year=query.get("year"),
                                          query=query.get("q", ""))


class DocumentFileView(FileView):
    @extend_schema(responses=file_responses(PDF, *IMAGES, description="The document's file."), tags=["documents"])
    def get(self, request, document_id: int):
        document = documents.access_document(user=request.user, id=document_id)
        return file_response(path=document.file_path, content_type=document.content_type,
                             download_name=documents.document_download_name(document=document))


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, generated on every request (costly): limited per client address. Counted before
    DRF takes over, so that a refusal is the API's JSON (iok.errors), not a YAML rendering of it."""

    def dispatch(self, request, *args, **kwargs):
        rate_limit_hit(request, "api_schema")
        return super().dispatch(request, *args, **kwargs)
