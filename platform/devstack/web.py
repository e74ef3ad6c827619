"""The web server of `make run`: gunicorn with deploy/gunicorn.conf.py, as in production.

Django's runserver started a thread per request, and each thread opened its own database connection
that stayed open (CONN_MAX_AGE) after the thread ended: a DatabaseWrapper sits in reference cycles
by construction, so only a full run of the garbage collector closed it. Cheap requests (a refused
Bearer token) allocate too little to trigger one, and 82 of them filled PostgreSQL (issue 16). A
fixed number of single-threaded workers holds a fixed number of connections whatever arrives.
"""

import http.client
import subprocess
import sys
import time

from .services import REPO_ROOT

# Enough for the demo and a developer's clicking on any machine; each holds at most DB_POOL_MAX_SIZE
# (one) database connection.
WEB_WORKERS = "3"


def web_start(*, environment: dict[str, str], port: int, **popen) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:`port` in its own process group (stopped with services.processes_stop)."""
    environment = {"WEB_CONCURRENCY": WEB_WORKERS, **environment, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    command = [sys.executable, "-m", "gunicorn", "--config", str(REPO_ROOT / "deploy" / "gunicorn.conf.py"),
               "config.wsgi:application"]
    return subprocess.Popen(command, env=environment, cwd=REPO_ROOT, start_new_session=True, **popen)


def web_wait(*, port: int, host: str, timeout: float = 60, process: subprocess.Popen | None = None) -> bool:
    """True once `host`'s start page answers without a server error on `port`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        # A generous timeout: a request given up on would still be served, and take a worker and a place
        # in the cooperative's cap (iok.fairness) from what comes next.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=max(1.0, deadline - time.monotonic()))
        try:
            connection.request("GET", "/", headers={"Host": f"{host}:{port}"})
            response = connection.getresponse()
            response.read()
            if response.status < 500:
                return True
        except ConnectionRefusedError:
            pass
        except OSError:
            return False
        finally:
            connection.close()
        time.sleep(0.3)
    return False
