"""How API callers are identified: a personal access token
(``Authorization: Bearer``) or the browser session (with CSRF)."""

from django.contrib.auth.models import AnonymousUser
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth
from ninja.security.http import HttpAuthBase

from members.tokens import user_for_token


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` with a personal access token."""

    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class BrowserSessionAuth(SessionAuth):
    """The signed-in browser session; ninja enforces CSRF for unsafe methods."""


class AnonymousAllowed(HttpAuthBase):
    """Last resort of endpoints that anonymous visitors may read (public
    communities): the caller is anonymous, and permissions decide."""

    openapi_type = "http"

    def __call__(self, request):
        if request.headers.get("Authorization"):
            # A caller that sent a token whose check failed is told so, rather
            # than quietly getting the public view.
            raise AuthenticationError()
        request.user = AnonymousUser()
        return request.user


# For endpoints that anonymous visitors may read: a token or session still
# identifies the caller when there is one.
OPTIONAL_AUTH = [BearerTokenAuth(), BrowserSessionAuth(), AnonymousAllowed()]
