"""Settings of the servers that bench/chat.py starts: the test settings
(DEBUG off, 127.0.0.1 allowed), but database connections kept open between
requests as in production (``CONN_MAX_AGE`` 60 in kommunect/settings/base.py);
the tests close them after each request so that PostgreSQL can drop the test
database, which would make every database call of a server open a new
connection. Not a benchmark itself."""

from kommunect.settings.test import *  # noqa: F403
from kommunect.settings.test import DATABASES

DATABASES["default"]["CONN_MAX_AGE"] = 60
