"""Rate limits, counted by django-ratelimit in the cache (Redis in production).

``check_rate`` raises ``RateLimited``; pages turn it into a German message,
the API into a 429 with ``Retry-After``.
"""

from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage


class RateLimited(Exception):
    def __init__(self, detail: str, retry_after: int):
        super().__init__(detail)
        self.detail = detail
        self.retry_after = max(1, retry_after)


def check_rate(request, *, group: str, rate: str, key: str = "user", detail: str = ""):
    """Count one use of ``group`` by the caller; raise once ``rate`` is exceeded."""
    usage = get_usage(request, group=group, key=key, rate=rate, increment=True)
    if usage and usage["should_limit"]:
        raise RateLimited(
            detail or _("Zu viele Anfragen. Bitte versuchen Sie es später erneut."),
            retry_after=usage["time_left"],
        )


def check_user_rate(user, *, group: str, rate: str, detail: str = ""):
    """``check_rate`` outside a request (a websocket frame): counted per user."""
    from types import SimpleNamespace

    check_rate(
        SimpleNamespace(user=user, method="POST", META={}),
        group=group,
        rate=rate,
        detail=detail,
    )
