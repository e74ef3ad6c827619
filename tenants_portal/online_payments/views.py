"""Online payments, the resident's side: how much for which units, the summary with the fee, off to the
gateway, and the result on coming back. The gateway's notifications arrive at notification_view."""

import contextlib
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_tenants.utils import schema_context

from cooperatives.models import Cooperative
from iok.access import access_get
from iok.ratelimits import client_address, rate_limited
from tenants_portal.accounts.http import AuthenticatedRequest
from tenants_portal.accounts.roles import resident_ensure
from tenants_portal.modules import module_enabled
from tenants_portal.registry.selectors import resident_units

from . import gateway, selectors, services
from .forms import AmountsForm
from .models import GatewayEnvironment, OnlinePayment


def _payment_of(request: AuthenticatedRequest, payment_id: uuid.UUID) -> OnlinePayment:
    """The signed-in payer's own payment; the same 404 for someone else's and for none."""
    resident_ensure(request)
    return access_get(selectors.payments_of_payer(payer_id=request.user.pk), pk=payment_id)


@login_required
def start_view(request: AuthenticatedRequest) -> HttpResponse:
    """The amounts: one unit's (`?unit=`, from its ledger) or every unit's at once (one payment for all)."""
    resident_ensure(request)
    units, current = resident_units(request=request)
    if not units:
        raise Http404
    named = request.GET.get("unit", "")
    if named:
        if not named.isdigit():
            raise Http404
        chosen = [access_get(units, pk=int(named))]
    elif request.GET.get("wszystkie") or len(units) == 1 or current is None:
        chosen = units
    else:
        chosen = [current]
    gateway_settings = selectors.gateway_settings_get()
    ready = gateway.gateway_ready(gateway_settings)
    due = selectors.amounts_due(units=chosen)
    form = AmountsForm(request.POST if request.method == "POST" else None, units=chosen, due=due)
    if request.method == "POST" and ready and form.is_valid():
        try:
            payment = services.payment_create(acting_user=request.user, amounts=form.amounts(),
                                              ip_address=client_address(request))
        except services.PaymentRefused as refused:
            form.add_error(None, refused.message)
        else:
            return redirect("online_payments:summary", payment.pk)
    return render(request, "online_payments/start.html", {
        "form": form, "units": units, "chosen": chosen, "ready": ready, "settings": gateway_settings,
        "fields": [(unit, form[f"unit_{unit.pk}"], due.get(unit.pk)) for unit in chosen],
        "all_units": len(chosen) == len(units), "recent": selectors.payments_of_payer(payer_id=request.user.pk)[:5],
    }, status=400 if request.method == "POST" else 200)


@login_required
def summary_view(request: AuthenticatedRequest, payment_id: uuid.UUID) -> HttpResponse:
    payment = _payment_of(request, payment_id)
    if payment.status != services.PaymentStatus.NEW and request.method == "GET":
        return redirect("online_payments:result", payment.pk)
    return _summary(request, payment)


def _gateway_form_action() -> list[str]:
    """Where the summary's form may lead besides 'self': the checkout answers with a redirect to the gateway's
    payment page, and browsers hold that redirect to the page's form-action too (Chromium blocks it). The
    gateways' payment pages are on hosts of their own, not their APIs' and different in the sandbox, so any
    HTTPS address; and the simulator's loopback address (plain HTTP) when the cooperative uses it."""
    sources = ["https:"]
    if (settings.PAYMENTS_SIMULATOR_URL
            and selectors.gateway_settings_get().environment == GatewayEnvironment.SIMULATOR):
        simulator = urlsplit(settings.PAYMENTS_SIMULATOR_URL)
        sources.append(f"{simulator.scheme}://{simulator.netloc}")
    return sources


def _summary(request: HttpRequest, payment: OnlinePayment, *, error: str = "", status: int = 200) -> HttpResponse:
    response = render(request, "online_payments/summary.html", {
        "payment": payment, "allocations": payment.allocations.all(), "amount": payment.amount_required - payment.fee,
        "gateway_name": payment.get_backend_display(), "error": error}, status=status)
    # django-csp adds these to the policy's form-action for this page only.
    response._csp_update = {"form-action": _gateway_form_action()}  # type: ignore[attr-defined]
    return response


@login_required
@require_POST
@rate_limited("online_payment_start", methods=("POST",))
def checkout_view(request: AuthenticatedRequest, payment_id: uuid.UUID) -> HttpResponse:
    """Off to the gateway with the amounts stored with the payment (whatever else the form may carry)."""
    payment = _payment_of(request, payment_id)
    try:
        address = services.payment_checkout(payment=payment, customer_ip=client_address(request))
    except services.PaymentRefused as refused:
        if refused.code == "not_waiting":
            return redirect("online_payments:result", payment.pk)
        return _summary(request, payment, status=400, error=refused.message)
    except gateway.GatewayUnavailable:
        return _summary(request, payment, status=503, error=_(
            "The payment gateway is not answering right now. Nothing was charged; please try again in a few "
            "minutes."))
    return redirect(address)


@login_required
def result_view(request: AuthenticatedRequest, payment_id: uuid.UUID) -> HttpResponse:
    """Back from the gateway: paid, still waiting for the bank, or cancelled. A payment still waiting is
    checked with the gateway once more (its notification may not have come yet)."""
    payment = _payment_of(request, payment_id)
    if selectors.payment_stage(payment) == selectors.Stage.WAITING and payment.external_id:
        with contextlib.suppress(gateway.GatewayUnavailable):
            payment = services.payment_verify(payment=payment, source="return")
        payment = _payment_of(request, payment_id)
    stage = selectors.payment_stage(payment)
    if stage == selectors.Stage.CANCELLED and request.GET.get("error"):
        messages.warning(request, _("The gateway reported that the payment was not completed."))
    return render(request, "online_payments/result.html", {
        "payment": payment, "stage": stage, "allocations": payment.allocations.all(),
        "amount": payment.amount_required - payment.fee})


@csrf_exempt
@require_POST
def notification_view(request: HttpRequest, cooperative: str) -> HttpResponse:
    """A gateway's notification, on the platform's own host with the cooperative in the path. Only a
    notification the gateway signed, about a payment of this cooperative, is taken: it starts the
    verification call that decides. Anything else: 400 and nothing changes."""
    found = Cooperative.objects.filter(slug=cooperative, status=Cooperative.Status.ACTIVE).first()
    if found is None:
        raise Http404
    with schema_context(found.schema_name):
        if not module_enabled("online_payments"):
            raise Http404
        headers = {name: value for name, value in request.headers.items()}
        try:
            taken = services.notification_receive(body=request.body, headers=headers)
        except gateway.GatewayUnavailable:
            # The verification call failed: 503 makes the gateway send the notification again later.
            return HttpResponse(b"RETRY", status=503, content_type="text/plain")
    if not taken:
        return HttpResponse(b"REFUSED", status=400, content_type="text/plain")
    return HttpResponse(b"OK", content_type="text/plain")
