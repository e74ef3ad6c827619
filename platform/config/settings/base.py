"""Settings shared by every environment; the local, production and test layers adjust them.

Every value that differs between machines comes from the environment through django-environ,
whose helpers fail loudly on a malformed value instead of guessing.
"""

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

REPO_ROOT = Path(__file__).resolve().parents[3]
PLATFORM_ROOT = REPO_ROOT / "platform"

env = environ.Env()
environ.Env.read_env(REPO_ROOT / ".env", overwrite=False)

SECRET_KEY = env.str("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)

# Every cooperative lives at <slug>.<BASE_DOMAIN>; BASE_DOMAIN itself is the platform site.
BASE_DOMAIN = env.str("BASE_DOMAIN", default="localhost").lower()
# Hosts that serve the platform's own site (the public schema): BASE_DOMAIN, and e.g. the loopback name
# Caddy's on-demand TLS asks the platform through (deploy/caddy).
PLATFORM_HOSTS = [name.lower() for name in env.list("PLATFORM_HOSTS", default=[BASE_DOMAIN])]
# Which hosts are served follows the domains table (cooperatives' verified custom domains), which Django's
# fixed ALLOWED_HOSTS cannot: cooperatives.middleware.HostCheckMiddleware, first in MIDDLEWARE, answers any
# other host with 400 before anything reads the Host header, and the system check cooperatives.E001 refuses
# to start without it in that place. So Django's own list is left open here, and only here.
ALLOWED_HOSTS = ["*"]
# Custom domains (tenants_portal.configuration.domains): the DNS server the checks ask ("host:port", empty:
# the system's resolver), and the name a domain's CNAME must point to (empty: <slug>.<BASE_DOMAIN>).
DNS_RESOLVER = env.str("DNS_RESOLVER", default="")
DOMAINS_CNAME_TARGET = env.str("DOMAINS_CNAME_TARGET", default="").lower().rstrip(".")
# A pending domain is checked again in the background (every few minutes) for this many days after it was added.
DOMAINS_VERIFY_DAYS = env.int("DOMAINS_VERIFY_DAYS", default=7)
# Links in e-mails are <SITE_SCHEME>://<the cooperative's primary domain>[:<SITE_PORT>]/…, never built
# from a request's Host header (which a client chooses, port included).
SITE_SCHEME = env.str("SITE_SCHEME", default="https")
SITE_PORT = env.str("SITE_PORT", default="")  # empty: the scheme's own port
if SITE_PORT and not SITE_PORT.isdigit():
    raise environ.ImproperlyConfigured(f"SITE_PORT must be a port number or empty, not {SITE_PORT!r}")
# `manage.py load_demo` creates logins with published passwords: allowed on development and test databases,
# refused under production settings unless DEMO_ALLOWED=true (a throw-away installation, the e2e stack).
DEMO_ALLOWED = True

# Secrets kept in the database (payment gateways' credentials) are encrypted under these Fernet keys,
# newest first (iok.encryption); production requires them, elsewhere a key is derived from SECRET_KEY.
SECRETS_ENCRYPTION_KEYS = env.list("SECRETS_ENCRYPTION_KEYS", default=[])
# Online payments: the gateways notify <PAYMENTS_NOTIFY_BASE_URL>/platnosci/<cooperative>/powiadomienie/ on
# the platform's own host (stable whatever a cooperative's own domain; empty: SITE_SCHEME://BASE_DOMAIN).
PAYMENTS_NOTIFY_BASE_URL = env.str("PAYMENTS_NOTIFY_BASE_URL", default="")
# The gateway simulator's address (`make run`, tests): when set, an admin may point the cooperative's
# gateway at it; never set in production.
PAYMENTS_SIMULATOR_URL = env.str("PAYMENTS_SIMULATOR_URL", default="")
# A payment not finished at the gateway within this many minutes is checked with the gateway and, unpaid, expired.
PAYMENTS_EXPIRE_AFTER_MINUTES = env.int("PAYMENTS_EXPIRE_AFTER_MINUTES", default=60)

# --- applications -------------------------------------------------------------------------------
# Public schema: the cooperatives registry, the platform site and its operators.
SHARED_APPS = [
    "django_tenants",
    "cooperatives",
    "operators",
    # For its load_demo command only.
    "demo",
    "tenants_portal.accounts",
    "tenants_portal.audit",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Operators' second factor (TOTP and recovery codes): their devices live beside them in public.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Django's form templates, for FORM_RENDERER below.
    "django.forms",
    "axes",
]
# Cooperative schemas: everything a cooperative's staff and residents touch. Accounts, sessions and
# auth tables exist in both: operators live in public, each cooperative's users in its own schema,
# so the same login in two cooperatives is two unrelated rows and a session of A means nothing on B.
TENANT_APPS = [
    "tenants_portal.accounts",
    "tenants_portal.audit",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Lockout counters live in each schema: the same login in two cooperatives never shares one.
    "axes",
    # Staff members' second factor, in the schema of the user it belongs to.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "tenants_portal.configuration",
    "tenants_portal.registry",
    "tenants_portal.regulation",
    "tenants_portal.access",
    "tenants_portal.portal",
    "tenants_portal.notices",
    "tenants_portal.meters",
    "tenants_portal.failures",
    "tenants_portal.announcements",
    "tenants_portal.documents",
    "tenants_portal.online_payments",
    "tenants_portal.fee_notices",
    "tenants_portal.matters",
    "billing_views",
    "tasks",
    "tenants_portal.console",
    # The REST API (/api/v1/); listed before rest_framework so that its catalogue's Polish wins.
    "tenants_portal.api",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
]
INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "cooperatives.Cooperative"
TENANT_DOMAIN_MODEL = "cooperatives.Domain"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
# The page of a suspended cooperative lists its offices; routing (core) reads them through this name.
IOK_SUSPENDED_PAGE_OFFICES = "tenants_portal.registry.selectors.offices_list"
ROOT_URLCONF = "config.urls_tenant"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
# New cooperatives are copied from this schema, which migrate_schemas keeps migrated; it has no
# cooperative and no domain, so nothing routes to it (cooperatives.schema_template).
COOPERATIVE_TEMPLATE_SCHEMA = "cooperative_template"
# migrate_schemas skips schemas with nothing to apply and migrates the template too.
GET_EXECUTOR_FUNCTION = "cooperatives.migration_executor.executor_for"

AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

MIDDLEWARE = [
    # First: the Host header is checked against the platform's hosts and the domains table (see ALLOWED_HOSTS).
    "cooperatives.middleware.HostCheckMiddleware",
    "iok.memo.RequestMemoMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before routing: the unknown-host and suspended-cooperative pages that routing answers carry them too.
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Static assets are answered before any tenant lookup: they are the same for every host.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cooperatives.middleware.CooperativeRoutingMiddleware",
    # The cooperative's old links: an address it has no page for may be redirected (before the 404 page).
    "tenants_portal.configuration.middleware.OldLinksMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "iok.http.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cooperatives.middleware.SessionBoundToCooperativeMiddleware",
    "tenants_portal.accounts.middleware.SessionTimeoutMiddleware",
    "tenants_portal.accounts.middleware.SecondFactorMiddleware",
    "tenants_portal.regulation.middleware.FirstLoginMiddleware",
    "axes.middleware.AxesMiddleware",
    "tenants_portal.modules.ModuleGateMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "iok.http.NoStoreMiddleware",
]

# Forms render through the project's templates, so that platform/iok/templates/django/forms/ can adjust them.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PLATFORM_ROOT / "iok" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "iok.context.platform",
                "tenants_portal.modules.modules_context",
                "tenants_portal.console.context.console",
                "tenants_portal.portal.context.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# --- data stores --------------------------------------------------------------------------------
DATABASES = {"default": env.db_url("DATABASE_URL")}
DATABASES["default"]["ENGINE"] = "iok.postgresql_backend"  # django-tenants', pooler-safe (iok.postgresql_backend)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {})
# Each process holds at most this many PostgreSQL connections, whatever happens to its requests: a
# connection leaked by a request is not replaced, so PostgreSQL's limit is workers × this, never more
# (issue 16). psycopg's pool through Django; a returned connection keeps its search path, which
# django-tenants sets again on the first query after every close (it forgets the path on close).
# One suits gunicorn's sync workers and Celery's prefork children: a single thread each.
# 0: no pool, a persistent connection per thread (DB_CONN_MAX_AGE) as before.
DB_POOL_MAX_SIZE = env.int("DB_POOL_MAX_SIZE", default=1)
if DB_POOL_MAX_SIZE:
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections instead
    DATABASES["default"]["OPTIONS"]["pool"] = {
        "min_size": 1, "max_size": DB_POOL_MAX_SIZE, "max_idle": 600,
        # A request waits this long for a free connection, then fails alone instead of adding one.
        "timeout": env.float("DB_POOL_TIMEOUT", default=10.0),
    }
# django-tenants issues `SET search_path` when a cursor opens unless told to remember what the
# connection is already set to; it forgets on set_tenant, close, rollback and savepoint rollback,
# so remembering is exact on a connection of our own. Behind a transaction-mode pooler (PgBouncer,
# DB_BEHIND_TRANSACTION_POOLER=1) the server connection can change between any two transactions:
# there every statement carries its own `SET LOCAL search_path` in the same message
# (iok.postgresql_backend), and nothing that lives beyond a transaction is used — no server-side
# prepared statements, no server-side cursors. migrate_schemas connects directly (deploy/OPERATIONS.md).
DB_BEHIND_TRANSACTION_POOLER = env.bool("DB_BEHIND_TRANSACTION_POOLER", default=False)
TENANT_LIMIT_SET_CALLS = True
if DB_BEHIND_TRANSACTION_POOLER:
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = None
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    # Each request is one transaction too: its statements see one snapshot, as on a direct connection.
    DATABASES["default"]["ATOMIC_REQUESTS"] = True

# A connection that serves many cooperatives keeps the catalog entries of every schema it has
# touched (make bench ONLY=schemas, 3,500 schemas: at most 130 MiB of private memory per backend with
# this cap at 100, 523 MiB without it): after this many distinct schemas it is closed at the end of
# a request and the next request opens a fresh one (iok.db). 0 turns the cap off.
DB_MAX_SCHEMAS_PER_CONNECTION = env.int("DB_MAX_SCHEMAS_PER_CONNECTION", default=100)

# migrate_schemas' fast path (cooperatives.migration_fast): schema-only migrations go to every schema
# over this many parallel connections, one transaction each; a schema waiting longer than the lock
# timeout for a table (a long query of the web holding it) is rolled back and reported, not waited for;
# the statement timeout bounds one schema's whole migration.
MIGRATE_SCHEMAS_CONNECTIONS = env.int("MIGRATE_SCHEMAS_CONNECTIONS", default=4)
MIGRATE_SCHEMAS_LOCK_TIMEOUT_MS = env.int("MIGRATE_SCHEMAS_LOCK_TIMEOUT_MS", default=5000)
MIGRATE_SCHEMAS_STATEMENT_TIMEOUT_MS = env.int("MIGRATE_SCHEMAS_STATEMENT_TIMEOUT_MS", default=120000)



def redis_url_authenticated(name: str, url: str) -> str:
    """Redis answers only with a password, in every environment (make run's embedded Redis too): whoever
    can write to it decides what every web and worker process reads. A URL without one is refused."""
    parts = urlsplit(url)
    if not (parts.password or "password" in parse_qs(parts.query)):
        raise ImproperlyConfigured(f"{name} has no password: Redis must require one (requirepass), and the URL "
                                   "must carry it, e.g. redis://:password@127.0.0.1:6379/0 (deploy/OPERATIONS.md).")
    return url


REDIS_URL = redis_url_authenticated("REDIS_URL", env.str("REDIS_URL"))
# Lets installations share one Redis database (staging beside production, the end-to-end test
# beside the test suite): every cache key and every Celery broker key starts with it.
REDIS_KEY_PREFIX = env.str("REDIS_KEY_PREFIX", default="")
# JSON, never pickle: a value someone wrote into Redis is data, not code the web and worker processes
# would run on reading it. Values that steer requests are signed as well (iok.cache.cache_seal).
_CACHE_SERIALIZER = "iok.cache.JsonSerializer"
CACHES = {
    # Tenant data: every key is prefixed with the schema the connection is on.
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_FUNCTION": "iok.cache.schema_key",
        "KEY_PREFIX": REDIS_KEY_PREFIX,
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient", "SERIALIZER": _CACHE_SERIALIZER},
    },
    # Platform-wide data (the host -> cooperative routing table): keys never depend on the schema
    # the connection happens to be on when a request starts.
    "platform": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_FUNCTION": "iok.cache.platform_key",
        "KEY_PREFIX": REDIS_KEY_PREFIX,
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient", "SERIALIZER": _CACHE_SERIALIZER},
    },
}
ROUTING_CACHE_SECONDS = env.int("ROUTING_CACHE_SECONDS", default=3600)
# Requests of one cooperative in progress at once across every web process (iok.fairness); more are
# answered 429 at once, so one cooperative's burst leaves workers for the others. Keep it below the
# web workers of all machines together; 0 switches the cap off.
COOPERATIVE_MAX_CONCURRENT_REQUESTS = env.int("COOPERATIVE_MAX_CONCURRENT_REQUESTS", default=2)
# A place is freed when its request ends, or after this many seconds (a worker killed mid-request).
COOPERATIVE_REQUEST_SLOT_SECONDS = env.int("GUNICORN_TIMEOUT", default=60) + 5
# How long a web process trusts its own copy of a route (see cooperatives.routing).
ROUTING_LOCAL_SECONDS = env.float("ROUTING_LOCAL_SECONDS", default=5.0)

# --- authentication -----------------------------------------------------------------------------
# Argon2id at OWASP's minimum (m=19 MiB, t=2, p=1); see iok.hashers.
PASSWORD_HASHERS = ["iok.hashers.Argon2idOwaspHasher"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "tenants_portal.accounts.backends.AccountBackend",
    # Residents' passwordless sign-in with a passkey (WebAuthn), behind axes like the password.
    "tenants_portal.accounts.backends.PasskeyBackend",
]
# One validator carries each cooperative's own policy; Django's validate_password runs it on every
# path that sets a password (forms, API serializers, changepassword and createsuperuser).
AUTH_PASSWORD_VALIDATORS = [{"NAME": "tenants_portal.accounts.passwords.CooperativePasswordPolicyValidator"}]

# django-otp (tenants_portal.accounts.second_factor): a wrong code counts in django-axes' lockout like
# a wrong password, so django-otp's own growing delay between attempts is off (two throttles would
# refuse a right code after a typo for reasons the person cannot see).
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OTP_TOTP_ISSUER = "IOK"

# django-axes: lock a login, and separately an IP address, after the cooperative's number of
# failures, for its cool-off; the office can unlock earlier. Counters are per schema.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = "tenants_portal.configuration.lockout.failure_limit"
AXES_COOLOFF_TIME = "tenants_portal.configuration.lockout.cool_off"
AXES_HANDLER = "tenants_portal.configuration.lockout.LockoutDatabaseHandler"
AXES_LOCKOUT_CALLABLE = "tenants_portal.configuration.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "new_password1", "new_password2", "old_password"]
AXES_ENABLE_ADMIN = False
# Sign-ins are in our own audit log (with the address); axes' separate log of every success would
# be one more INSERT per sign-in for nothing (failures are still counted in its attempts table).
AXES_DISABLE_ACCESS_LOG = True
# The client's address (lockout per IP, audit log) is read by django-ipware. Behind deploy/nginx,
# which sets X-Forwarded-For to the address it saw (one entry, never appended), the count is 0:
# the last entry is the client. Unset, there is no proxy and only the socket's address counts, so a
# client can never choose its own address by sending the header itself.
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=None)
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT is None else ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
)
# The anti-automation limits (iok.ratelimits) count per client address read the same way as the lockout.
RATELIMIT_IP_META_KEY = "iok.ratelimits.client_address"
PASSWORD_RESET_TIMEOUT = 3600  # an e-mailed reset link works for one hour
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- the REST API (tenants_portal.api) -----------------------------------------------------------
REST_FRAMEWORK = {
    # An app's token first: a request without credentials is then answered 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tenants_portal.api.authentication.BearerTokenAuthentication",
        "tenants_portal.api.authentication.BrowserSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "tenants_portal.api.permissions.FirstSignInFinished",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "tenants_portal.api.pagination.PagePagination",
    "DEFAULT_METADATA_CLASS": "tenants_portal.api.metadata.EndpointMetadata",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_standardized_errors.openapi.AutoSchema",
    # One error shape for every error; tenants_portal.api.errors.ApiExceptionHandler adds Polish and services.
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
DRF_STANDARDIZED_ERRORS = {
    "EXCEPTION_HANDLER_CLASS": "tenants_portal.api.errors.ApiExceptionHandler",
    "ERROR_SCHEMAS": {
        "403": "tenants_portal.api.schema.ErrorResponse403Serializer",
        "429": "tenants_portal.api.schema.ErrorResponse429Serializer",
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "IOK API",
    "DESCRIPTION": (
        "The REST API of a cooperative's online account (IOK), on the cooperative's own address: "
        "`https://<cooperative>.<domain>/api/v1/`. Residents' apps sign in with POST /api/v1/auth/token/ and send "
        "`Authorization: Bearer <token>`; the cooperative's accounting system sends `X-API-Key: <key>` (keys are "
        "created by the cooperative's admin). Errors have one shape: {\"type\", \"errors\": [{\"code\", "
        "\"detail\", \"attr\"}]}, with `detail` in Polish (English with the django_language=en cookie). "
        "Lists come in pages: {\"count\", \"next\", \"previous\", \"results\"}."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ValidationErrorEnum": "drf_standardized_errors.openapi_serializers.ValidationErrorEnum.choices",
        "ClientErrorEnum": "drf_standardized_errors.openapi_serializers.ClientErrorEnum.choices",
        "ServerErrorEnum": "drf_standardized_errors.openapi_serializers.ServerErrorEnum.choices",
        "ErrorCode401Enum": "drf_standardized_errors.openapi_serializers.ErrorCode401Enum.choices",
        "ErrorCode404Enum": "drf_standardized_errors.openapi_serializers.ErrorCode404Enum.choices",
        "ErrorCode405Enum": "drf_standardized_errors.openapi_serializers.ErrorCode405Enum.choices",
        "ErrorCode406Enum": "drf_standardized_errors.openapi_serializers.ErrorCode406Enum.choices",
        "ErrorCode415Enum": "drf_standardized_errors.openapi_serializers.ErrorCode415Enum.choices",
        "ErrorCode500Enum": "drf_standardized_errors.openapi_serializers.ErrorCode500Enum.choices",
        "ReadingStatusEnum": "tenants_portal.meters.models.Reading.Status",
        "ReadingSourceEnum": "tenants_portal.meters.models.Reading.Source",
        "FailureStatusEnum": "tenants_portal.failures.models.FailureReport.Status",
        "ImportStatusEnum": "billing_views.models.ImportRun.Status",
        "ImportSourceEnum": "billing_views.models.ImportRun.Source",
        "ImportKindEnum": "billing_views.models.ImportRun.Kind",
        "LedgerEntryKindEnum": "billing_views.models.LedgerEntry.Kind",
        "MatterTopicKindEnum": "tenants_portal.matters.models.TopicKind",
        "MatterEntryKindEnum": "tenants_portal.matters.models.MatterEntry.Kind",
        "MatterStatusEnum": "tenants_portal.matters.models.Matter.Status",
    },
    "POSTPROCESSING_HOOKS": ["drf_standardized_errors.openapi_hooks.postprocess_schema_enums"],
}

# --- sessions and cookies -----------------------------------------------------------------------
# No *_COOKIE_DOMAIN: cookies are host-only, so hutnik.<base> never receives zakatek.<base>'s.
SESSION_ENGINE = "iok.sessions"
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The cookie's own lifetime is the longest a cooperative may configure; each cooperative's idle and
# absolute timeouts are enforced server-side (tenants_portal.accounts.middleware).
SESSION_COOKIE_AGE = 24 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", "Polski"), ("en", "English")]
LOCALE_PATHS = [PLATFORM_ROOT / "iok" / "locale"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

# --- static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
# Where collectstatic gathers assets for production; development and tests serve them from the apps.
STATIC_ROOT = env.str("STATIC_ROOT", default="") or None
WHITENOISE_USE_FINDERS = STATIC_ROOT is None
STATICFILES_DIRS = [PLATFORM_ROOT / "iok" / "static"]

# --- imports ------------------------------------------------------------------------------------
# Each cooperative has <IMPORT_ROOT>/<slug>/inbox/ for its accounting system's nightly files; files
# uploaded by staff or through the API are kept under <IMPORT_ROOT>/<slug>/received/.
IMPORT_ROOT = env.path("IMPORT_ROOT", default=REPO_ROOT / ".devdata" / "imports")
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=200 * 1024 * 1024)

# --- uploaded files (photos, attachments, documents) -----------------------------------------------
# Kept per cooperative under MEDIA_ROOT/<schema>/ and served only through views that check access;
# there is no public MEDIA_URL.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=REPO_ROOT / ".devdata" / "media")
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# Every stored file goes through these (iok.uploads.storage_save): uploads in the default storage at
# MEDIA_ROOT, received import files in "imports" at IMPORT_ROOT (both read when first used, so the test
# settings' roots apply).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "imports": {"BACKEND": "iok.uploads.ImportStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# An uploaded image with more pixels than this is refused before it is decoded (iok.uploads.image_reencode).
UPLOAD_IMAGE_MAX_PIXELS = env.int("UPLOAD_IMAGE_MAX_PIXELS", default=50_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- mail ---------------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"IOK <no-reply@{BASE_DOMAIN}>")
# A closed account's personal data is removed this long after closing (ledgers stay 5 years regardless).
ACCOUNT_RETENTION_DAYS = env.int("ACCOUNT_RETENTION_DAYS", default=365)
# Notices (tenants_portal.notices): e-mails go through an outbox, delivered by Celery in batches.
NOTICES_BATCH_SIZE = env.int("NOTICES_BATCH_SIZE", default=200)
NOTICES_MAX_ATTEMPTS = env.int("NOTICES_MAX_ATTEMPTS", default=5)
# First retry after this many seconds, then doubling (60 s, 2 min, 4 min, 8 min, ...).
NOTICES_RETRY_BASE_SECONDS = env.int("NOTICES_RETRY_BASE_SECONDS", default=60)
# A claim older than this belongs to a worker that died (a delivery task is killed after NOTICES_TASK_TIME_LIMIT).
NOTICES_TASK_TIME_LIMIT = env.int("NOTICES_TASK_TIME_LIMIT", default=300)
NOTICES_CLAIM_TIMEOUT_SECONDS = env.int("NOTICES_CLAIM_TIMEOUT_SECONDS", default=900)
# A waiting message whose task was enqueued this long ago and never ran (lost with a worker or Redis) is enqueued again.
NOTICES_REQUEUE_AFTER_SECONDS = env.int("NOTICES_REQUEUE_AFTER_SECONDS", default=600)

# A cooperative's nightly jobs are killed after this many seconds; a run still marked running after it
# belongs to a worker that died, counts as failed and runs again when the jobs are started again.
NIGHTLY_TASK_TIME_LIMIT = env.int("NIGHTLY_TASK_TIME_LIMIT", default=3 * 3600)

# --- Celery -------------------------------------------------------------------------------------
CELERY_BROKER_URL = redis_url_authenticated("CELERY_BROKER_URL", env.str("CELERY_BROKER_URL", default=REDIS_URL))
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, int | str] = {"visibility_timeout": 3600}
if REDIS_KEY_PREFIX:
    CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = f"{REDIS_KEY_PREFIX}:"
# Worker processes (default: one per core). Each is replaced after this many tasks, which also
# ends its database connection: a burst of per-cooperative jobs cannot grow one backend through
# every schema (see DB_MAX_SCHEMAS_PER_CONNECTION).
CELERY_WORKER_CONCURRENCY = env.int("CELERY_WORKER_CONCURRENCY", default=None)
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=200)
CELERY_TASK_TENANT_CACHE_SECONDS = 60

# --- security headers common to every environment -----------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A strict Content-Security-Policy on every page (django-csp): scripts and styles only from our own
# static files, never inline (no <script> bodies, on* attributes, style="" or <style> in a page), so an
# injected fragment of HTML cannot run or restyle anything. The cooperative's colours come from its own
# stylesheet (/wyglad/kolory.css), photos and logos from views on the same host; data: images only for
# the icons that Swagger UI's stylesheet embeds.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Powerful browser features none of our pages uses, switched off for the page and anything it embeds
# (WebAuthn is left at its default, our own origin only, for passkeys).
PERMISSIONS_POLICY: dict[str, list[str]] = {feature: [] for feature in (
    "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "fullscreen", "geolocation",
    "gyroscope", "magnetometer", "microphone", "midi", "payment", "picture-in-picture", "screen-wake-lock",
    "serial", "usb", "xr-spatial-tracking")}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Axes logs every success at INFO; failures and lockouts are in our audit log already.
        "axes": {"level": "WARNING"},
    },
}
