"""The API's own refusals (imported by permissions, so nothing here imports DRF's views)."""

from django.utils.translation import gettext as _
from rest_framework import exceptions


class OneTimePasswordExpired(exceptions.PermissionDenied):
    default_code = "one_time_password_expired"

    def __init__(self):
        from tenants_portal.accounts.passwords import ONE_TIME_PASSWORD_EXPIRED

        super().__init__(str(ONE_TIME_PASSWORD_EXPIRED))


class FirstSignInPending(exceptions.PermissionDenied):
    default_code = "first_sign_in_pending"

    def __init__(self):
        # The same sentence the pages' middleware used to give; its translation is in the platform's catalogue.
        super().__init__(_("Finish your first sign-in on the website: accept the regulation and set your own "
                           "password. Then the app will work."))


class SecondFactorRequired(exceptions.PermissionDenied):
    default_code = "second_factor_required"

    def __init__(self):
        super().__init__(_("Your cooperative requires staff to sign in with a second factor, which app tokens do not "
                           "have. Use the website, or an API key for a system."))


class PaymentGatewayUnavailable(exceptions.APIException):
    """The gateway did not answer: nothing was charged, and the payment (at `location`) stays waiting, to be
    sent to the gateway again. Its refusal does not undo the payment (ApiExceptionHandler)."""

    status_code = 503
    default_code = "gateway_unavailable"
    wait = 60  # Retry-After

    def __init__(self, *, location: str):
        # The payment pages' own sentence (translated in the online payments module's catalogue).
        super().__init__(_("The payment gateway is not answering right now. Nothing was charged; please try "
                           "again in a few minutes."))
        self.location = location
