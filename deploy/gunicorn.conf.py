"""gunicorn for the IOK web process: `gunicorn -c deploy/gunicorn.conf.py config.wsgi:application`.

Every value comes from the environment (deploy/env.example lists them); the defaults suit a
machine behind nginx on the same host (systemd) or in the same compose project.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {value!r}") from None


# systemd: a Unix socket in /run/iok that only nginx (group iok) can reach; compose: 0.0.0.0:8000.
bind = [os.environ.get("GUNICORN_BIND", "unix:/run/iok/gunicorn.sock")]
umask = 0o007

# Sync workers: requests are short and CPU-bound (templates, Argon2 at sign-in); nginx buffers
# slow clients, so a worker is never held by a slow upload or download.
worker_class = "sync"
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5

# Each worker is replaced after about this many requests (jittered so they do not all restart at
# once), which also hands PostgreSQL a fresh backend: see DB_MAX_SCHEMAS_PER_CONNECTION.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = max(1, max_requests // 10) if max_requests else 0

# Load Django once in the master and fork: workers share its memory and start in milliseconds.
# No database connection is opened at import time, so none is shared across the fork.
preload_app = True
# The heartbeat file on a RAM disk: a busy overlay or network disk cannot stall workers.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

proc_name = "iok-web"
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# nginx adds X-Forwarded-Proto; Django reads it (SECURE_PROXY_SSL_HEADER), and gunicorn trusts it
# only from these addresses (a Unix socket is always trusted).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
