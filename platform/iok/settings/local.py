"""Developer machine: `make run`. Debug pages on, mail to the console unless EMAIL_URL says otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
