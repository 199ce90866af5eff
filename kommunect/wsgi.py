"""WSGI entry point, for management tools; Kommunect is served by daphne (ASGI)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kommunect.settings.dev")

application = get_wsgi_application()
