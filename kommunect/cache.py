"""The cache in production (Redis), kept from taking the site down with it.

Pages use the cache for small things: Wagtail's site root paths, rate limit
counters, who is online or editing. If Redis is unreachable, this backend
answers as an empty cache that stores nothing (and logs a warning), so HTTP
goes on working. Rate limits (``kommunect.ratelimit``) likewise let requests
through until Redis is back, and report it here.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)
LOG_EVERY_SECONDS = 10
_last_logged = 0.0


def report_unreachable(operation: str):
    """Log that Redis did not answer, at most once every ``LOG_EVERY_SECONDS``
    (a Redis that is down would otherwise log on every request)."""
    global _last_logged
    now = time.monotonic()
    if now - _last_logged > LOG_EVERY_SECONDS:
        _last_logged = now
        logger.warning(
            "Redis unreachable (%s): going on without it", operation, exc_info=True
        )


class ResilientRedisCache(RedisCache):
    def redis_client(self):
        """The Redis client itself, for what a cache cannot say (the presence
        lists' hashes); its callers handle ``FAILURES``."""
        return self._cache.get_client(write=True)

    def _failed(self, operation: str, default):
        report_unreachable(f"cache {operation}, answering as empty")
        return default

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except FAILURES:
            return self._failed("get", default)

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except FAILURES:
            return self._failed("get_many", {})

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except FAILURES:
            return self._failed("has_key", False)

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except FAILURES:
            return self._failed("add", False)

    def set(self, key, value, timeout=None, version=None):
        try:
            return super().set(key, value, timeout, version)
        except FAILURES:
            return self._failed("set", None)

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except FAILURES:
            return self._failed("set_many", list(data))

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except FAILURES:
            return self._failed("touch", False)

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except FAILURES:
            return self._failed("delete", False)

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except FAILURES:
            return self._failed("delete_many", None)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except FAILURES:
            return self._failed("incr", None)

    def clear(self):
        try:
            return super().clear()
        except FAILURES:
            return self._failed("clear", None)
