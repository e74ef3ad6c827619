"""The cooperative's gateway through python-getpaid's own processors and clients (PayU, Paynow).

The processors read their credentials from a config dict, so each cooperative's own (decrypted from
GatewaySettings) are passed per call — never Django settings, which are one for the whole platform. The
gateway's address is the processor's production or sandbox URL, or the platform's simulator. Calls are
async in the library; each runs here to completion (async_to_sync) with no database work inside it.
"""

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from asgiref.sync import async_to_sync
from django.conf import settings
from getpaid_core.exceptions import GetPaidException, InvalidCallbackError
from getpaid_core.processor import BaseProcessor
from getpaid_core.types import BuyerInfo, ItemInfo, PaymentUpdate, TransactionResult
from getpaid_paynow.processor import PaynowProcessor
from getpaid_payu.processor import PayUProcessor

from iok.encryption import SecretUnreadable, secret_decrypt

from .models import Gateway, GatewayEnvironment, GatewaySettings

logger = logging.getLogger(__name__)

# The credentials each gateway needs, in the order the settings form shows them.
CREDENTIAL_FIELDS: dict[str, tuple[str, ...]] = {
    Gateway.PAYU: ("pos_id", "second_key", "oauth_id", "oauth_secret"),
    Gateway.PAYNOW: ("api_key", "signature_key"),
}
# Where the simulator serves each gateway's API (its plug-ins' routes).
_SIMULATOR_PREFIX: dict[str, str] = {Gateway.PAYU: "/payu/", Gateway.PAYNOW: "/paynow"}
_TIMEOUT_SECONDS = 10.0


class GatewayUnavailable(Exception):
    """The gateway cannot be used now: not configured, refused the credentials, or did not answer."""


class NotificationRefused(Exception):
    """A notification that is not the gateway's (bad or missing signature) or not about this payment."""


@dataclass
class _Order:
    """What the processors read of the order (getpaid_core.protocols.Order), from memory only."""

    description: str
    total: Decimal
    buyer: BuyerInfo
    items: list[ItemInfo]
    return_url: str

    def get_total_amount(self) -> Decimal:
        return self.total

    def get_buyer_info(self) -> BuyerInfo:
        return self.buyer

    def get_description(self) -> str:
        return self.description

    def get_currency(self) -> str:
        return "PLN"

    def get_items(self) -> list[ItemInfo]:
        return self.items

    def get_return_url(self, success: bool | None = None) -> str:
        return self.return_url


@dataclass
class GatewayPayment:
    """A payment as the processors see it (getpaid_core.protocols.Payment): plain values copied from the
    model, so nothing in the library's async code can touch the database."""

    id: str
    order: _Order
    amount_required: Decimal
    currency: str
    status: str
    backend: str
    external_id: str | None
    description: str
    amount_paid: Decimal
    amount_locked: Decimal
    amount_refunded: Decimal
    fraud_status: str
    fraud_message: str
    provider_data: dict[str, Any] = field(default_factory=dict)


def _with_base_url(processor_class: type[BaseProcessor]) -> type[BaseProcessor]:
    """The library's processor whose gateway address is the one this cooperative's settings choose."""

    class Processor(processor_class):  # type: ignore[valid-type, misc]
        def get_paywall_baseurl(self) -> str:
            return str(self.get_setting("api_url"))

    Processor.__name__ = processor_class.__name__
    return Processor


_PROCESSORS: dict[str, type[BaseProcessor]] = {
    Gateway.PAYU: _with_base_url(PayUProcessor),
    Gateway.PAYNOW: _with_base_url(PaynowProcessor),
}


def gateway_api_url(*, gateway: str, environment: str) -> str:
    processor = _PROCESSORS[gateway]
    if environment == GatewayEnvironment.SIMULATOR:
        if not settings.PAYMENTS_SIMULATOR_URL:
            raise GatewayUnavailable("the simulator is not available on this platform")
        return settings.PAYMENTS_SIMULATOR_URL.rstrip("/") + _SIMULATOR_PREFIX[gateway]
    return processor.sandbox_url if environment == GatewayEnvironment.SANDBOX else processor.production_url


def credentials_of(gateway_settings: GatewaySettings) -> dict[str, str]:
    if not gateway_settings.credentials_encrypted:
        return {}
    try:
        return json.loads(secret_decrypt(gateway_settings.credentials_encrypted))
    except SecretUnreadable:
        logger.error("the payment gateway's credentials cannot be decrypted with the configured keys")
        return {}


def gateway_ready(gateway_settings: GatewaySettings) -> bool:
    """Whether residents can pay: a gateway chosen and every one of its credentials entered."""
    if not gateway_settings.gateway:
        return False
    if (gateway_settings.environment == GatewayEnvironment.SIMULATOR and not settings.PAYMENTS_SIMULATOR_URL):
        return False
    credentials = credentials_of(gateway_settings)
    return all(credentials.get(name) for name in CREDENTIAL_FIELDS[gateway_settings.gateway])


def _processor(*, gateway_settings: GatewaySettings, payment: GatewayPayment, notify_url: str,
               continue_url: str) -> BaseProcessor:
    gateway = gateway_settings.gateway
    if not gateway_ready(gateway_settings) or gateway != payment.backend:
        raise GatewayUnavailable("the gateway is not configured")
    config: dict[str, Any] = {
        **credentials_of(gateway_settings),
        "api_url": gateway_api_url(gateway=gateway, environment=gateway_settings.environment),
        "notify_url": notify_url, "continue_url": continue_url,
        "timeout": _TIMEOUT_SECONDS, "retries": 1,
    }
    try:
        return _PROCESSORS[gateway](payment, config=config)  # type: ignore[arg-type]
    except GetPaidException as error:
        raise GatewayUnavailable(str(error)) from error


def _call[T](processor: BaseProcessor, call: Callable[[BaseProcessor], Awaitable[T]]) -> T:
    async def run() -> T:
        try:
            return await call(processor)
        finally:
            close = getattr(processor, "aclose", None)
            if close is not None:
                await close()

    try:
        return async_to_sync(run)()
    except InvalidCallbackError:
        raise
    except (GetPaidException, OSError) as error:
        raise GatewayUnavailable(str(error)) from error
    except Exception as error:
        # httpx's errors and a gateway's unexpected answer alike: the payment stays as it was, retryable.
        if type(error).__module__.startswith(("httpx", "httpcore", "json")):
            raise GatewayUnavailable(str(error)) from error
        raise


def transaction_prepare(*, gateway_settings: GatewaySettings, payment: GatewayPayment, notify_url: str,
                        continue_url: str, customer_ip: str) -> TransactionResult:
    """Register the payment at the gateway: its identifier there and where the payer continues."""
    processor = _processor(gateway_settings=gateway_settings, payment=payment, notify_url=notify_url,
                           continue_url=continue_url)
    result = _call(processor, lambda p: p.prepare_transaction(customer_ip=customer_ip))
    if not result.redirect_url:
        raise GatewayUnavailable("the gateway gave no address to continue at")
    return result


def status_fetch(*, gateway_settings: GatewaySettings, payment: GatewayPayment) -> PaymentUpdate | None:
    """The gateway's own word on the payment (its verification call); None while it has nothing to say."""
    if not payment.external_id:
        return None
    processor = _processor(gateway_settings=gateway_settings, payment=payment, notify_url="", continue_url="")
    return _call(processor, lambda p: p.fetch_payment_status())


def notification_read(*, gateway_settings: GatewaySettings, payment: GatewayPayment, body: bytes,
                      headers: dict[str, str]) -> PaymentUpdate | None:
    """A notification's update, once its signature proves it is the gateway's and it names this payment."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise NotificationRefused("not JSON") from error
    if not isinstance(data, dict):
        raise NotificationRefused("not a JSON object")
    processor = _processor(gateway_settings=gateway_settings, payment=payment, notify_url="", continue_url="")

    async def read(p: BaseProcessor) -> PaymentUpdate | None:
        await p.verify_callback(data, headers, raw_body=body)
        return await p.handle_callback(data, headers, raw_body=body)

    try:
        return _call(processor, read)
    except InvalidCallbackError as error:
        raise NotificationRefused(str(error)) from error


def payment_id_in_notification(*, gateway: str, body: bytes) -> str:
    """Our payment's identifier as a notification names it (PayU: order.extOrderId; Paynow: externalId);
    empty when it names none. The notification is not trusted yet: the payment's own check follows."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return ""
    if not isinstance(data, dict):
        return ""
    if gateway == Gateway.PAYU:
        order = data.get("order") or {}
        if not order and isinstance(data.get("refund"), dict):
            return str(data.get("extOrderId") or "")
        return str(order.get("extOrderId") or "") if isinstance(order, dict) else ""
    return str(data.get("externalId") or "")
