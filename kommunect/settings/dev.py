"""The embedded default: runs with nothing but Python (``make run``)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
INTERNAL_IPS = ["127.0.0.1"]
# Demo logins are created only with these settings (see seed_demo).
KOMMUNECT_DEMO_LOGINS = True
