"""Developer machine: `make run`. Like production (no debug pages) unless the developer asks for them
with `make run DEBUG=1`; mail to the console unless EMAIL_URL says otherwise."""

from .base import *  # noqa: F403
