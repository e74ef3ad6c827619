"""The payment gateways' simulator that python-getpaid's maintainers ship (getpaid-simulator, with the PayU
and Paynow plug-ins), on loopback: `make run` points Hutnik's gateway at it, the tests drive the real
clients against it. It keeps its orders in memory and sends the gateways' signed notifications.

Its keys are published development values (tenants_portal.online_payments.simulator_keys): the simulator
signs with them, and the cooperative's gateway settings hold the same ones (encrypted), as a real merchant
account would."""

import http.client
import os
import subprocess
import sys
import time

# The keys the simulator signs with; the demo's Hutnik and the tests' cooperative hold the same ones.
from tenants_portal.online_payments.simulator_keys import (
    PAYNOW_API_KEY,
    PAYNOW_CREDENTIALS,
    PAYNOW_SIGNATURE_KEY,
    PAYU_CREDENTIALS,
    PAYU_SECOND_KEY,
)

from .services import REPO_ROOT

__all__ = ["PAYNOW_API_KEY", "PAYNOW_CREDENTIALS", "PAYNOW_SIGNATURE_KEY", "PAYU_CREDENTIALS", "PAYU_SECOND_KEY",
           "simulator_start", "simulator_wait"]


def simulator_start(*, port: int, paynow_notify_url: str = "", **popen) -> subprocess.Popen:
    """The simulator on 127.0.0.1:`port`, in its own process group (stopped with services.processes_stop).
    Paynow's notification address is one per merchant (set in its panel, here for the simulator)."""
    # The caller's environment first: `make test-calendar`'s fixed clock (libfaketime) must reach the
    # simulator too, or its certificates' and tokens' times disagree with everyone else's.
    environment = {
        **os.environ, "SIMULATOR_HOST": "127.0.0.1", "SIMULATOR_PORT": str(port),
        "SIMULATOR_LOG_LEVEL": "WARNING", "SIMULATOR_PLUGIN_FAILURE_MODE": "strict",
        "SIMULATOR_PAYU_SECOND_KEY": PAYU_SECOND_KEY, "SIMULATOR_PAYNOW_API_KEY": PAYNOW_API_KEY,
        "SIMULATOR_PAYNOW_SIGNATURE_KEY": PAYNOW_SIGNATURE_KEY, "SIMULATOR_PAYNOW_NOTIFY_URL": paynow_notify_url,
        # A notification is sent once, then (failed) twice more: as the gateways retry.
        "SIMULATOR_WEBHOOK_MAX_RETRIES": "2",
    }
    extra = popen.pop("env", None) or {}
    return subprocess.Popen([sys.executable, "-m", "getpaid_simulator"], env={**environment, **extra},
                            cwd=REPO_ROOT, start_new_session=True, **popen)


def simulator_wait(*, port: int, timeout: float = 30, process: subprocess.Popen | None = None) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            connection.request("GET", "/")
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                return True
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    return False
