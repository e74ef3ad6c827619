"""Developer machine: `make run`. Like production (no debug pages) unless the developer asks for them
with `make run DEBUG=1`; mail to the console unless EMAIL_URL says otherwise."""

from .base import *  # noqa: F403
from .base import env

# make run serves plain HTTP on port 8000.
SITE_SCHEME = env.str("SITE_SCHEME", default="http")
SITE_PORT = env.str("SITE_PORT", default="8000")
