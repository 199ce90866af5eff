"""Websocket authentication: the session (AuthMiddlewareStack), or a bearer
token for non-browser clients."""

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from channels.security.websocket import OriginValidator
from django.conf import settings

from members.tokens import bearer_from_header, user_for_token


class BearerTokenMiddleware(BaseMiddleware):
    """Sets ``scope["user"]`` from ``Authorization: Bearer`` when the session
    did not sign anyone in."""

    async def __call__(self, scope, receive, send):
        user = scope.get("user")
        if user is None or not user.is_authenticated:
            headers = dict(scope.get("headers", []))
            token = bearer_from_header(headers.get(b"authorization"))
            if token:
                found = await database_sync_to_async(user_for_token)(token)
                if found is not None:
                    scope = dict(scope, user=found)
        return await super().__call__(scope, receive, send)


def TokenAuthMiddlewareStack(inner):  # noqa: N802 - named like Channels' stacks
    return AuthMiddlewareStack(BearerTokenMiddleware(inner))


class BrowserOriginValidator(OriginValidator):
    """A browser's Origin must be one of ALLOWED_HOSTS.

    Browsers always send Origin with a websocket handshake, which is what
    cross-site websocket hijacking needs; a client without Origin is not a
    browser, and is let through only with a bearer token (it has no cookie
    to abuse).
    """

    async def __call__(self, scope, receive, send):
        headers = dict(scope.get("headers", []))
        if b"origin" not in headers and bearer_from_header(
            headers.get(b"authorization")
        ):
            return await self.application(scope, receive, send)
        return await super().__call__(scope, receive, send)


def BrowserOriginValidatorFromSettings(application):  # noqa: N802
    """Like Channels' AllowedHostsOriginValidator, with the rule above."""
    allowed_hosts = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed_hosts:
        allowed_hosts = ["localhost", "127.0.0.1", "[::1]"]
    return BrowserOriginValidator(application, allowed_hosts)
