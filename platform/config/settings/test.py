"""Test runs: real PostgreSQL and Redis; a fast password hasher except where a test opts in to Argon2."""

from .base import *  # noqa: F403
from .base import CACHES, REPO_ROOT, env

DEBUG = False
BASE_DOMAIN = "localhost"
PLATFORM_HOSTS = [BASE_DOMAIN]
# Each xdist worker has its own test database, so it gets its own cache namespace too.
_worker = env.str("PYTEST_XDIST_WORKER", default="main")
for _alias in CACHES.values():
    _alias["KEY_PREFIX"] = f"test-{_worker}"
DATABASES = {"default": env.db_url("DATABASE_URL")}
DATABASES["default"]["ENGINE"] = "iok.postgresql_backend"  # django-tenants', pooler-safe (iok.postgresql_backend)
DATABASES["default"]["CONN_MAX_AGE"] = 0
# Under this checkout's build/ (ignored by git): two checkouts testing on one machine have the same
# worker and schema names, and would otherwise see each other's stored files.
IMPORT_ROOT = REPO_ROOT / "build" / "test" / f"iok-test-imports-{_worker}"
MEDIA_ROOT = REPO_ROOT / "build" / "test" / f"iok-test-media-{_worker}"
CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Each xdist worker's tasks go to its own queue: a test's Celery worker takes only that test run's tasks.
CELERY_TASK_DEFAULT_QUEUE = f"iok-test-{_worker}"
# The tests that run a real worker against a loopback SMTP server set EMAIL_URL for it.
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
# Argon2 at OWASP's minimum costs ~8 ms of CPU per hash and the suite hashes thousands of passwords;
# what it checks of passwords is the cooperatives' rules, not the hash. Tests of Argon2 itself and of
# the lockout opt in with @pytest.mark.argon2 (tests/conftest.py); Argon2 stays in the list so hashes
# made under it (a reused test database, the demo) still verify.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", "iok.hashers.Argon2idOwaspHasher"]
