"""The gateway simulator's merchant keys (python-getpaid's getpaid-simulator, started by `make run` and the
tests: devstack.simulator). Both sides need the same ones — the simulator signs its notifications with
them, the cooperative's gateway settings hold them (encrypted) as a real merchant account's would — and
the two sides are in layers that may not import each other (devstack, demo), so they live here, below both.

They are published development values: they work only with the environment "simulator", which needs
PAYMENTS_SIMULATOR_URL, never set in production. Plain constants: devstack imports this before Django
is set up."""

PAYU_POS_ID = "300746"
PAYU_SECOND_KEY = "iok-simulator-payu-second-key-00"
PAYU_OAUTH_ID = "300746"
PAYU_OAUTH_SECRET = "iok-simulator-payu-oauth-secret"  # noqa: S105 - published, simulator only
PAYNOW_API_KEY = "iok-simulator-paynow-api-key"
PAYNOW_SIGNATURE_KEY = "iok-simulator-paynow-signature-key"

PAYU_CREDENTIALS = {"pos_id": PAYU_POS_ID, "second_key": PAYU_SECOND_KEY, "oauth_id": PAYU_OAUTH_ID,
                    "oauth_secret": PAYU_OAUTH_SECRET}
PAYNOW_CREDENTIALS = {"api_key": PAYNOW_API_KEY, "signature_key": PAYNOW_SIGNATURE_KEY}
