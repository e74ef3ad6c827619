"""Online payments for a residents' app (module "online_payments"): start a payment for a unit and get the
gateway's address to open in a browser, then read how it went. The same services as the payment pages:
the amount is checked and stored here, the gateway's word alone makes a payment paid."""

import contextlib
import uuid
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import exceptions, generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from cooperatives.selectors import cooperative_url
from iok.ratelimits import client_address, rate_limit_hit
from tenants_portal.online_payments import gateway, services
from tenants_portal.online_payments import selectors as payments
from tenants_portal.online_payments.models import OnlinePayment

from . import serializers as s
from .exceptions import PaymentGatewayUnavailable
from .schema import ErrorResponse429Serializer, ErrorResponse503Serializer, query_parameters
from .selectors import access_resident_online_payment, access_resident_unit
from .views import RATE_LIMITED, ResidentView, _client_ip, validated

TAGS = ["online payments"]
GATEWAY_UNAVAILABLE = (
    "The gateway did not answer (code gateway_unavailable). Nothing was charged: the payment, named by the "
    "Location header, stays waiting and can be sent to the gateway again with its checkout endpoint (or a "
    "new one started).")
RESPONSES = {
    429: OpenApiResponse(ErrorResponse429Serializer, description=RATE_LIMITED),
    503: OpenApiResponse(ErrorResponse503Serializer, description=GATEWAY_UNAVAILABLE),
}


def _detail(payment: OnlinePayment) -> dict:
    # Read again through the payer's selector, as the list reads it: the allocations and their units prefetched.
    return s.OnlinePaymentSerializer(payments.payments_of_payer(payer_id=payment.payer_id).get(pk=payment.pk)).data


def _checkout(request: Request, payment: OnlinePayment, *, created: bool) -> Response:
    """The payment sent to the gateway (or, when it already was, its address there again)."""
    try:
        services.payment_checkout(payment=payment, customer_ip=client_address(request._request))
    except services.PaymentRefused as refused:
        raise exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [
            exceptions.ErrorDetail(refused.message, code=refused.code)]}) from None
    except gateway.GatewayUnavailable as unavailable:
        raise PaymentGatewayUnavailable(location=cooperative_url(
            path=reverse("api:online_payments:detail", args=[payment.pk]))) from unavailable
    return Response(_detail(payment), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


@extend_validation_errors(["nothing_due"], field_name="amount", methods=["post"])
@extend_validation_errors(["refused"], field_name="non_field_errors", methods=["post"])
class UnitOnlinePaymentsView(ResidentView):
    @extend_schema(
        request=s.OnlinePaymentStartSerializer, tags=TAGS, responses={201: s.OnlinePaymentSerializer, **RESPONSES},
        description=(
            "Start an online payment for one of the resident's units and send it to the cooperative's gateway: "
            "open `redirect_url` in a browser, where the payer pays (BLIK, pay-by-link, card, as the gateway "
            "offers); the gateway then returns the payer to the cooperative's result page, and the app reads the "
            "payment again. The amount (by default what the unit owes now) must be at least the cooperative's "
            "smallest online payment; when the resident pays the gateway's fee, `fee` and `total` say how much. A "
            "refusal is a 400 with the code `refused` (e.g. below the smallest payment, or payments not available) "
            "or `nothing_due` (no amount given and nothing owed)."))
    def post(self, request, unit_id: int):
        unit = access_resident_unit(user=request.user, id=unit_id)
        rate_limit_hit(request._request, "online_payment_start")
        data = validated(s.OnlinePaymentStartSerializer, request.data)
        amount: Decimal | None = data.get("amount")
        if amount is None:
            amount = payments.amounts_due(units=[unit]).get(unit.pk) or Decimal("0.00")
            if not amount:
                raise exceptions.ValidationError({"amount": [exceptions.ErrorDetail(_(
                    "This unit owes nothing at the moment. Enter the amount you want to pay."), code="nothing_due")]})
        try:
            payment = services.payment_create(acting_user=request.user, amounts={unit: amount}, via_api=True,
                                              ip_address=_client_ip(request))
        except services.PaymentRefused as refused:
            raise exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [
                exceptions.ErrorDetail(refused.message, code="refused")]}) from None
        return _checkout(request, payment, created=True)


@query_parameters(paginated=True)
@extend_schema_view(get=extend_schema(tags=TAGS, description=(
    "The resident's online payments, newest first, as last known (reading one payment checks a waiting one "
    "with the gateway).")))
class OnlinePaymentsView(ResidentView, generics.ListAPIView):
    serializer_class = s.OnlinePaymentSerializer

    def get_queryset(self):
        return payments.payments_of_payer(payer_id=self.request.user.pk).order_by("-created_at", "pk")


class OnlinePaymentView(ResidentView):
    @extend_schema(responses=s.OnlinePaymentSerializer, tags=TAGS, description=(
        "One of the resident's online payments. One still waiting at the gateway is checked with the gateway "
        "first, so that the answer after the payer's return is the gateway's (when it answers)."))
    def get(self, request, payment_id: uuid.UUID):
        payment = access_resident_online_payment(user=request.user, id=payment_id)
        if payments.payment_stage(payment) == payments.Stage.WAITING and payment.external_id:
            with contextlib.suppress(gateway.GatewayUnavailable):
                services.payment_verify(payment=payment, source="api")
        return Response(_detail(payment))


@extend_validation_errors(["not_waiting", "refused"], field_name="non_field_errors", methods=["post"])
class OnlinePaymentCheckoutView(ResidentView):
    @extend_schema(request=None, tags=TAGS, responses={200: s.OnlinePaymentSerializer, **RESPONSES}, description=(
        "Send a waiting payment to the gateway again (after the gateway did not answer), or get its address "
        "there again to continue paying. A payment no longer waiting is refused with the code `not_waiting`; one "
        "the cooperative's gateway cannot take now (payments switched off at the gateway, or the gateway "
        "changed) with the code `refused`."))
    def post(self, request, payment_id: uuid.UUID):
        payment = access_resident_online_payment(user=request.user, id=payment_id)
        rate_limit_hit(request._request, "online_payment_start")
        return _checkout(request, payment, created=False)
