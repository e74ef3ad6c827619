"""One error shape for the whole API (drf-standardized-errors), in the person's language:

    {"type": "client_error", "errors": [{"code": "not_found", "detail": "Nie znaleziono.", "attr": null}]}

`type` is validation_error (400, one item per problem, `attr` names the field), client_error (other
4xx) or server_error (500). Errors that happen before a view runs (an unknown address, a switched-off
module, a lockout, an ended session) are answered in the same shape by iok.errors.api_error_response.
"""

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_standardized_errors.handler import ExceptionHandler
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings

from iok.ratelimits import RateLimited, rate_limited_message

from .exceptions import PaymentGatewayUnavailable

logger = logging.getLogger(__name__)


def validation_error_from_django(error: DjangoValidationError, *,
                                 field: str | None = None) -> exceptions.ValidationError:
    """A service's refusal (a Django ValidationError with codes) as the API's validation error."""
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError({
            name if name != "__all__" else api_settings.NON_FIELD_ERRORS_KEY: [
                exceptions.ErrorDetail(message, code=item.code or "invalid")
                for item in items for message in item.messages]
            for name, items in error.error_dict.items()})
    details = [exceptions.ErrorDetail(message, code=item.code or "invalid")
               for item in error.error_list for message in item.messages]
    return exceptions.ValidationError({field or api_settings.NON_FIELD_ERRORS_KEY: details})


class RateLimitedError(exceptions.Throttled):
    """A limit of iok.ratelimits, as DRF's 429 (with Retry-After) but with our own sentence only."""

    def __init__(self, exc: RateLimited):
        exceptions.APIException.__init__(self, rate_limited_message(exc.limit), code="throttled")
        self.wait = exc.limit.seconds


class ApiExceptionHandler(ExceptionHandler):
    def convert_known_exceptions(self, exc: Exception) -> Exception:
        if isinstance(exc, DjangoValidationError):
            return validation_error_from_django(exc)
        if isinstance(exc, RateLimited):
            return RateLimitedError(exc)
        return super().convert_known_exceptions(exc)

    def convert_unhandled_exceptions(self, exc: Exception) -> exceptions.APIException:
        if not isinstance(exc, exceptions.APIException):
            # The generic, translated sentence; the traceback goes to the log, never to the client.
            return exceptions.APIException()
        return exc

    def set_rollback(self) -> None:
        # The payment the gateway could not take is kept (under ATOMIC_REQUESTS too): it can be sent again.
        if not isinstance(self.exc, PaymentGatewayUnavailable):
            super().set_rollback()

    def get_headers(self, exc: exceptions.APIException) -> dict:
        headers = super().get_headers(exc)
        if isinstance(exc, PaymentGatewayUnavailable):
            headers["Location"] = exc.location
        return headers

    def report_exception(self, exc: exceptions.APIException, response: Response) -> None:
        if isinstance(exc, PaymentGatewayUnavailable):
            # The gateway's outage, not the platform's fault: a warning with its cause, no error report.
            logger.warning("online payment not sent, the gateway did not answer: %s", exc.__cause__)
            return
        super().report_exception(exc, response)
