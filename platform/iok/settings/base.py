"""Settings shared by every environment; the local, production and test layers adjust them.

Every value that differs between machines comes from the environment through django-environ,
whose helpers fail loudly on a malformed value instead of guessing.
"""

from pathlib import Path

import environ

REPO_ROOT = Path(__file__).resolve().parents[3]
PLATFORM_ROOT = REPO_ROOT / "platform"

env = environ.Env()
environ.Env.read_env(REPO_ROOT / ".env", overwrite=False)

SECRET_KEY = env.str("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)

# Every cooperative lives at <slug>.<BASE_DOMAIN>; BASE_DOMAIN itself is the platform site.
BASE_DOMAIN = env.str("BASE_DOMAIN", default="localhost").lower()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[BASE_DOMAIN, f".{BASE_DOMAIN}"])

# --- applications -------------------------------------------------------------------------------
# Public schema: the cooperatives registry, the platform site and its operators.
SHARED_APPS = [
    "django_tenants",
    "cooperatives",
    "operators",
    "tenants_portal.accounts",
    "tenants_portal.audit",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
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
    "billing_views",
]
INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "cooperatives.Cooperative"
TENANT_DOMAIN_MODEL = "cooperatives.Domain"
PUBLIC_SCHEMA_URLCONF = "iok.urls_public"
ROOT_URLCONF = "iok.urls_tenant"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
# New cooperatives are copied from this schema, which migrate_schemas keeps migrated; it has no
# cooperative and no domain, so nothing routes to it (cooperatives.schema_template).
COOPERATIVE_TEMPLATE_SCHEMA = "cooperative_template"
# migrate_schemas skips schemas with nothing to apply and migrates the template too.
GET_EXECUTOR_FUNCTION = "cooperatives.migration_executor.executor_for"

AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static assets are answered before any tenant lookup: they are the same for every host.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "iok.routing.CooperativeRoutingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "iok.http.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "iok.routing.SessionBoundToCooperativeMiddleware",
    "tenants_portal.accounts.middleware.SessionTimeoutMiddleware",
    "tenants_portal.accounts.middleware.FirstLoginMiddleware",
    "axes.middleware.AxesMiddleware",
    "tenants_portal.modules.ModuleGateMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "iok.http.NoStoreMiddleware",
]

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
            ],
        },
    },
]

WSGI_APPLICATION = "iok.wsgi.application"

# --- data stores --------------------------------------------------------------------------------
DATABASES = {"default": env.db_url("DATABASE_URL")}
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {})
# django-tenants issues `SET search_path` before every query unless told to remember what the
# connection is already set to; it forgets on set_tenant, close, rollback and savepoint rollback,
# so remembering is exact on a connection of our own. Behind a transaction-mode pooler (PgBouncer)
# the server connection can change between transactions: there the path is set before every query
# and each request is one transaction, and server-side prepared statements are off (DESIGN.md §7).
DB_BEHIND_TRANSACTION_POOLER = env.bool("DB_BEHIND_TRANSACTION_POOLER", default=False)
TENANT_LIMIT_SET_CALLS = not DB_BEHIND_TRANSACTION_POOLER
if DB_BEHIND_TRANSACTION_POOLER:
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = None
    DATABASES["default"]["ATOMIC_REQUESTS"] = True

REDIS_URL = env.str("REDIS_URL")
CACHES = {
    # Tenant data: every key is prefixed with the schema the connection is on.
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_FUNCTION": "iok.cache.schema_key",
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
    },
    # Platform-wide data (the host -> cooperative routing table): keys never depend on the schema
    # the connection happens to be on when a request starts.
    "platform": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_FUNCTION": "iok.cache.platform_key",
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
    },
}
ROUTING_CACHE_SECONDS = env.int("ROUTING_CACHE_SECONDS", default=3600)
# How long a web process trusts its own copy of a route (see cooperatives.routing).
ROUTING_LOCAL_SECONDS = env.float("ROUTING_LOCAL_SECONDS", default=5.0)

# --- authentication -----------------------------------------------------------------------------
# Argon2id at OWASP's minimum (m=19 MiB, t=2, p=1); see iok.hashers.
PASSWORD_HASHERS = ["iok.hashers.Argon2idOwaspHasher"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "tenants_portal.accounts.backends.AccountBackend",
]
# One validator carries each cooperative's own policy; Django's validate_password runs it on every
# path that sets a password (forms, API serializers, changepassword and createsuperuser).
AUTH_PASSWORD_VALIDATORS = [{"NAME": "tenants_portal.accounts.passwords.CooperativePasswordPolicyValidator"}]

# django-axes: lock a login, and separately an IP address, after the cooperative's number of
# failures, for its cool-off; the office can unlock earlier. Counters are per schema.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = "tenants_portal.configuration.lockout.failure_limit"
AXES_COOLOFF_TIME = "tenants_portal.configuration.lockout.cool_off"
AXES_LOCKOUT_CALLABLE = "tenants_portal.configuration.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "new_password1", "new_password2", "old_password"]
AXES_ENABLE_ADMIN = False
# Number of reverse proxies (nginx: 1) in front of the web server, to find the client address.
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=None)
PASSWORD_RESET_TIMEOUT = 3600  # an e-mailed reset link works for one hour
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- sessions and cookies -----------------------------------------------------------------------
# No *_COOKIE_DOMAIN: cookies are host-only, so hutnik.<base> never receives zakatek.<base>'s.
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
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- mail ---------------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"IOK <no-reply@{BASE_DOMAIN}>")

# --- Celery -------------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_TENANT_CACHE_SECONDS = 60

# --- security headers common to every environment -----------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

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
        # fpdf2's font subsetting logs every glyph table at INFO.
        "fontTools": {"level": "WARNING"},
    },
}
