"""Settings for pytest: the embedded default, or PostgreSQL and Redis when
``DATABASE_URL`` and ``REDIS_URL`` are set (as ``.ci/run`` does)."""

import os
import tempfile

from .base import *  # noqa: F403
from .base import DATABASES, STORAGES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
KOMMUNECT_DEMO_LOGINS = True

# Threads of the live server and of websocket consumers open their own
# connections; closing them after each request lets PostgreSQL drop the test
# database at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not Django's shared in-memory database: threads of the live
    # server and of websocket consumers write concurrently, and a
    # shared-cache in-memory database answers "database table is locked" at
    # once where a file in WAL mode waits out the busy timeout, as the
    # embedded default does in production.
    DATABASES["default"].setdefault("TEST", {})
    DATABASES["default"]["TEST"].setdefault(
        "NAME",
        os.path.join(tempfile.gettempdir(), f"kommunect-test-{os.getpid()}.sqlite3"),
    )
