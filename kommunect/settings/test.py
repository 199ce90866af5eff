"""Settings for pytest: the embedded default, or PostgreSQL and Redis when
``DATABASE_URL`` and ``REDIS_URL`` are set (as ``.ci/run`` does)."""

from .base import *  # noqa: F403
from .base import STORAGES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
KOMMUNECT_DEMO_LOGINS = True
