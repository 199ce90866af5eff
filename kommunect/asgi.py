"""ASGI entry point: HTTP through Django, ``/ws/`` through Channels.

Websockets accept the session cookie or ``Authorization: Bearer <token>``,
and a browser's Origin must be one of ALLOWED_HOSTS.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kommunect.settings.dev")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

from kommunect.realtime import RealtimeConsumer  # noqa: E402
from kommunect.ws_auth import (  # noqa: E402
    BrowserOriginValidatorFromSettings,
    TokenAuthMiddlewareStack,
)

websocket_urlpatterns = [path("ws/", RealtimeConsumer.as_asgi())]

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": BrowserOriginValidatorFromSettings(
            TokenAuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
