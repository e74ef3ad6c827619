"""Developer machine: `make run`. Debug pages on, mail to the console unless EMAIL_URL says otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# make run serves plain HTTP on port 8000.
SITE_SCHEME = env.str("SITE_SCHEME", default="http")
SITE_PORT = env.str("SITE_PORT", default="8000")
