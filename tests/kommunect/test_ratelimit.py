"""Rate limits count over a sliding window (kommunect/ratelimit.py).

They run against the real window store of the pass: Redis when REDIS_URL is
set (the PostgreSQL + Redis pass of CI), memory in the embedded default. The
only stand-in is the clock: the store reads ``time.time()``, and the tests set
it, so that a burst lands exactly where a fixed window would have split it.
"""

import logging
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from factories import UserFactory

from kommunect import ratelimit
from kommunect.ratelimit import RateLimited, check_rate, check_user_rate, parse_rate

pytestmark = pytest.mark.django_db


class Clock:
    """``time.time()`` for the window store and ``kommunect.ratelimit``."""

    def __init__(self):
        self.now = float(int(time.time()))

    def time(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    for module in (
        "limits.storage.memory",
        "limits.storage.redis",
        "kommunect.ratelimit",
    ):
        monkeypatch.setattr(f"{module}.time", clock)
    return clock


def use(request, rate="10/10s", group="test"):
    """One use; the seconds to wait if it was refused, else None."""
    try:
        check_rate(request, group=group, rate=rate)
    except RateLimited as refused:
        return refused.retry_after
    return None


def signed_in(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def anonymous(address):
    request = RequestFactory().post("/", REMOTE_ADDR=address)
    request.user = AnonymousUser()
    return request


def test_a_burst_across_any_point_in_time_is_refused(clock):
    """Ten uses at 9.9 s and one at 10.1 s: eleven in 0.2 s. A fixed window
    ending at 10 s counted them as ten and one, and let the eleventh through."""
    request = signed_in(UserFactory())
    clock.now += 9.9
    assert [use(request) for _ in range(10)] == [None] * 10

    clock.now += 0.2
    assert use(request) == 10  # the ten leave the window at 19.9 s

    clock.now += 9.7  # 19.8 s
    assert use(request) == 1
    clock.now += 0.15  # 19.95 s
    assert use(request) is None


def test_the_window_slides_one_use_at_a_time(clock):
    """One use a second for ten seconds: from then on, one more each time the
    oldest leaves the window, never two."""
    start = clock.now
    request = signed_in(UserFactory())
    for second in range(10):
        clock.now = start + second
        assert use(request) is None

    clock.now = start + 9.5
    assert use(request) == 1
    clock.now = start + 10.01  # the use at 0 s has left
    assert use(request) is None
    assert use(request) == 1  # the use at 1 s has not
    clock.now = start + 11.01
    assert use(request) is None
    assert use(request) == 1


def test_refused_uses_are_not_counted(clock):
    request = signed_in(UserFactory())
    for _ in range(10):
        use(request)
    for _ in range(50):
        assert use(request) is not None
    clock.now += 10.01
    assert [use(request) for _ in range(10)] == [None] * 10


def test_each_person_group_and_rate_counts_apart(clock):
    anna, ben = signed_in(UserFactory()), signed_in(UserFactory())
    for _ in range(3):
        use(anna, rate="3/m")
    assert use(anna, rate="3/m") is not None

    assert use(ben, rate="3/m") is None
    assert use(anna, rate="3/m", group="other") is None


def test_signed_out_callers_count_by_address_and_ipv6_by_its_64(clock):
    for _ in range(3):
        use(anonymous("192.0.2.1"), rate="3/h")
    assert use(anonymous("192.0.2.1"), rate="3/h") == 3600
    assert use(anonymous("192.0.2.2"), rate="3/h") is None

    for _ in range(3):
        use(anonymous("2001:db8:1:2::1"), rate="3/h")
    assert use(anonymous("2001:db8:1:2:ffff::9"), rate="3/h") is not None
    assert use(anonymous("2001:db8:1:3::1"), rate="3/h") is None


def test_signed_out_callers_are_never_one_person(clock):
    """``key="user"`` counts the signed out by address, not all as one."""
    for address in ("192.0.2.1", "192.0.2.2"):
        request = anonymous(address)
        check_rate(request, group="per-person", rate="1/h")
    with pytest.raises(RateLimited):
        check_rate(anonymous("192.0.2.1"), group="per-person", rate="1/h")


def test_an_unknown_key_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured):
        check_rate(anonymous("192.0.2.1"), group="x", rate="1/h", key="session")


def test_a_websocket_frame_counts_for_its_person(clock):
    person = UserFactory()
    for _ in range(2):
        check_user_rate(person, group="frames", rate="2/m")
    with pytest.raises(RateLimited) as refused:
        check_user_rate(person, group="frames", rate="2/m", detail="Zu schnell.")
    assert refused.value.detail == "Zu schnell."
    assert refused.value.retry_after == 60


def test_the_store_keeps_no_address_or_user_id(clock, settings):
    person = UserFactory(pk=987654)
    use(anonymous("198.51.100.77"), group="privacy")
    use(signed_in(person), group="privacy")
    storage = ratelimit.limiter().storage
    if settings.REDIS_URL:
        keys = [key.decode() for key in storage.get_connection().keys("LIMITS:*")]
    else:
        keys = list(storage.events)
    keys = [key for key in keys if "privacy" in key]
    assert len(keys) == 2
    assert not any("198.51.100" in key or "987654" in key for key in keys)


@pytest.mark.parametrize(
    "rate,uses,seconds",
    [
        ("10/10s", 10, 10),
        ("120/m", 120, 60),
        ("30/h", 30, 3600),
        ("5/d", 5, 86400),
        ("3/s", 3, 1),
    ],
)
def test_rates_are_written_as_uses_per_period(rate, uses, seconds):
    item = parse_rate(rate)
    assert (item.amount, item.get_expiry()) == (uses, seconds)


@pytest.mark.parametrize("rate", ["", "10", "10/", "0/m", "10/w", "zehn/m", "10/-5s"])
def test_an_unreadable_rate_is_a_configuration_error(rate):
    with pytest.raises(ImproperlyConfigured):
        parse_rate(rate)


@pytest.mark.parametrize("name", ["CHAT_SEND_RATE", "SEARCH_RATE"])
def test_a_rate_setting_that_cannot_be_read_fails_the_system_check(settings, name):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    call_command("check")
    setattr(settings, name, "10 pro Minute")
    with pytest.raises(SystemCheckError, match=f"{name}: Rate '10 pro Minute'"):
        call_command("check")


def test_without_redis_requests_go_through_and_it_is_logged(
    settings, caplog, monkeypatch
):
    """A Redis that is down must not refuse everyone (the port is closed)."""
    monkeypatch.setattr("kommunect.cache._last_logged", 0.0)  # log it now
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    request = signed_in(UserFactory())
    with caplog.at_level(logging.WARNING, logger="kommunect.cache"):
        assert [use(request, rate="1/h") for _ in range(3)] == [None] * 3
    assert "Redis unreachable (rate limit)" in caplog.text
