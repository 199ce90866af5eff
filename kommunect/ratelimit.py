"""Rate limits over a sliding window, counted in Redis in production.

A limit such as ``10/10s`` allows ten uses in any ten seconds, not ten per
fixed ten-second slot: with fixed slots, a burst that crossed a slot's end
was counted half in each, so up to twice the rate got through. The window is
the `limits` library's moving window (a list of timestamps per key, trimmed
and checked atomically by a Lua script in Redis; in memory for the embedded
default, where one process serves everything).

``check_rate`` raises ``RateLimited``; pages turn it into a German message,
the API into a 429 with ``Retry-After`` (the seconds until the oldest use in
the window leaves it). If Redis is unreachable, limits let requests through
rather than refuse everyone (logged, see ``kommunect.cache``).
"""

import hashlib
import ipaddress
import math
import re
import time
from functools import cache
from types import SimpleNamespace

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from limits import RateLimitItemPerSecond
from limits.errors import StorageError
from limits.storage import MemoryStorage, RedisStorage
from limits.strategies import MovingWindowRateLimiter

from kommunect.cache import report_unreachable

RATE = re.compile(r"^(?P<count>\d+)/(?P<multiple>\d*)(?P<unit>[smhd])$")
SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# Seconds to reach or wait for Redis before a limit gives up and lets through.
REDIS_TIMEOUT = 2


class RateLimited(Exception):
    def __init__(self, detail: str, retry_after: int):
        super().__init__(detail)
        self.detail = detail
        self.retry_after = max(1, retry_after)


def parse_rate(rate: str) -> RateLimitItemPerSecond:
    """``"10/10s"``, ``"120/m"``, ``"30/h"``, ``"5/d"``: uses per period."""
    match = RATE.match(rate.strip())
    if not match or not int(match["count"]):
        raise ImproperlyConfigured(
            f"Rate {rate!r}: expected uses/period, as 10/10s, 120/m, 30/h or 5/d"
        )
    seconds = SECONDS[match["unit"]] * int(match["multiple"] or 1)
    return RateLimitItemPerSecond(int(match["count"]), seconds)


def check_rate_setting(name: str) -> None:
    """Have ``manage.py check`` (and so ``migrate`` and CI) refuse a rate in
    the setting ``name`` that cannot be read, instead of every request that
    counts by it failing."""

    def readable_rate(app_configs=None, **kwargs):
        try:
            parse_rate(getattr(settings, name))
        except ImproperlyConfigured as error:
            return [checks.Error(f"{name}: {error}", id="kommunect.E101")]
        return []

    checks.register(readable_rate)


@cache
def _limiter(redis_url: str) -> MovingWindowRateLimiter:
    if redis_url:
        storage = RedisStorage(
            redis_url,
            wrap_exceptions=True,
            socket_connect_timeout=REDIS_TIMEOUT,
            socket_timeout=REDIS_TIMEOUT,
        )
    else:
        storage = MemoryStorage()
    return MovingWindowRateLimiter(storage)


def limiter() -> MovingWindowRateLimiter:
    return _limiter(settings.REDIS_URL)


def reset() -> None:
    """Forget every use counted so far (tests start from none)."""
    try:
        limiter().storage.reset()
    except StorageError:
        report_unreachable("rate limit reset")


def _client(request) -> str:
    """The caller's address; IPv6 by its /64, which one household or office
    usually holds whole."""
    address = request.META.get("REMOTE_ADDR", "")
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def _caller(request, key: str) -> str:
    """Who is counted: the person (``user``), by address when signed out, or
    always by address (``ip``). Kept as a hash, so the store holds no
    addresses."""
    if key not in ("user", "ip"):
        raise ImproperlyConfigured(f"Unknown rate limit key {key!r}")
    user = getattr(request, "user", None)
    if key != "ip" and user is not None and user.is_authenticated:
        value = f"user:{user.pk}"
    else:
        value = "ip:" + _client(request)
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def check_rate(request, *, group: str, rate: str, key: str = "user", detail: str = ""):
    """Count one use of ``group`` by the caller; raise once ``rate`` is exceeded."""
    item = parse_rate(rate)
    caller = _caller(request, key)
    try:
        if limiter().hit(item, group, caller):
            return
        reset_at = limiter().get_window_stats(item, group, caller).reset_time
    except StorageError:
        report_unreachable("rate limit")
        return
    raise RateLimited(
        detail or _("Zu viele Anfragen. Bitte versuchen Sie es später erneut."),
        retry_after=math.ceil(reset_at - time.time()),
    )


def check_user_rate(user, *, group: str, rate: str, detail: str = ""):
    """``check_rate`` outside a request (a websocket frame): counted per user."""
    check_rate(
        SimpleNamespace(user=user, META={}), group=group, rate=rate, detail=detail
    )
