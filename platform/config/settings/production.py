"""Production: HTTPS only, strict cookies, HSTS over every cooperative subdomain.

Passes `manage.py check --deploy` without warnings (tests/test_cookies_and_headers.py runs it).
"""

from .base import *  # noqa: F403
from .base import STORAGES, env

DEBUG = False
DEMO_ALLOWED = env.bool("DEMO_ALLOWED", default=False)
# The keys the payment gateways' credentials are encrypted under (deploy/env.example): required here, never
# derived from SECRET_KEY (iok.encryption refuses to encrypt or decrypt without them; `check --deploy` says so).
SECRETS_ENCRYPTION_KEYS = env.list("SECRETS_ENCRYPTION_KEYS", default=[])
SECRETS_ENCRYPTION_KEYS_REQUIRED = True

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Caddy asks over loopback HTTP which hosts may get a certificate (deploy/caddy/Caddyfile): no redirect there.
SECURE_REDIRECT_EXEMPT = [r"^tls/ask/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_NAME = "__Host-iok_session"
CSRF_COOKIE_NAME = "__Host-iok_csrf"

STATIC_ROOT = env.str("STATIC_ROOT")  # collectstatic's target, served by WhiteNoise or nginx
WHITENOISE_USE_FINDERS = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
