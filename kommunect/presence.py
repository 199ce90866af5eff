"""Who is here right now: lists of open sockets shared by every server
process through the Django cache (Redis in production).

A ``PresenceList`` keeps per subject (a chat room, a wiki page being
edited) the open sockets with their person and when their entry expires. A
socket joins, renews its entry at least every ``heartbeat`` seconds and
leaves; an entry not renewed for ``expiry`` seconds (its process crashed,
its socket never said goodbye) is dropped the next time anyone reads the
list or renews an entry.

On Redis each subject is a hash (socket → person) and a sorted set (socket
→ expiry): joining, renewing and leaving are single atomic commands, so a
room of a thousand sockets needs no lock, and a renewal does not read the
list. Other caches (the embedded default's local memory) keep one value per
subject; its writers take turns through a short lock in the cache: a writer
that waits longer than ``LOCK_WAIT_SECONDS`` writes anyway, and the next
heartbeat repairs an update lost that way. If Redis is unreachable, the
lists answer as empty (``kommunect.cache``).

The methods are synchronous (the cache client is); consumers call them
through ``sync_to_async``.
"""

import json
import logging
import math
import time
import uuid

from django.core.cache import cache

from kommunect.cache import FAILURES

logger = logging.getLogger(__name__)

LOCK_SECONDS = 2
LOCK_WAIT_SECONDS = 0.5
LOCK_POLL_SECONDS = 0.01


def now() -> float:
    # Wall-clock time: the entries are compared across server processes.
    return time.time()


class PresenceList:
    def __init__(self, prefix: str, *, heartbeat: float = 20, expiry: float = 60):
        self.prefix = prefix
        self.heartbeat = heartbeat
        self.expiry = expiry

    def key(self, subject) -> str:
        return f"{self.prefix}:{subject}"

    def _change(self, subject, change):
        """Apply ``change(entries) -> result`` to the subject's live entries
        and store them; returns (result, people, whether expired entries went)."""
        key = self.key(subject)
        lock_key = f"{key}:lock"
        token = uuid.uuid4().hex
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        locked = cache.add(lock_key, token, timeout=LOCK_SECONDS)
        while not locked and time.monotonic() < deadline:
            time.sleep(LOCK_POLL_SECONDS)
            locked = cache.add(lock_key, token, timeout=LOCK_SECONDS)
        try:
            stored = cache.get(key) or {}
            current = now()
            entries = {
                channel: entry
                for channel, entry in stored.items()
                if entry[2] > current
            }
            pruned = len(entries) != len(stored)
            result = change(entries)
            if entries:
                # The key outlives its newest entry a little, then goes by itself.
                timeout = math.ceil(self.expiry + self.heartbeat)
                cache.set(key, entries, timeout=timeout)
            else:
                cache.delete(key)
            return result, people_of(entries), pruned
        finally:
            if locked and cache.get(lock_key) == token:
                cache.delete(lock_key)

    def _entry(self, user) -> tuple:
        return (user.pk, user.display_name, now() + self.expiry)

    def join(self, subject, channel: str, user) -> list[dict]:
        client = _redis()
        if client is not None:
            return self._guarded(list, self._redis_join, client, subject, channel, user)

        def change(entries):
            entries[channel] = self._entry(user)

        return self._change(subject, change)[1]

    def renew(self, subject, channel: str, user) -> bool:
        """Renew the socket's entry; True if the list changed (the entry was
        gone, or expired entries were dropped)."""
        client = _redis()
        if client is not None:
            return self._guarded(
                bool, self._redis_renew, client, subject, channel, user
            )

        def change(entries):
            missing = channel not in entries
            entries[channel] = self._entry(user)
            return missing

        missing, _people, pruned = self._change(subject, change)
        return missing or pruned

    def refresh(self, subject, channel: str, user) -> tuple[list[dict], bool]:
        """``renew``, and the list after it."""
        changed = self.renew(subject, channel, user)
        return self.people(subject), changed

    def leave(self, subject, channel: str) -> list[dict]:
        client = _redis()
        if client is not None:
            return self._guarded(list, self._redis_leave, client, subject, channel)

        def change(entries):
            entries.pop(channel, None)

        return self._change(subject, change)[1]

    def people(self, subject) -> list[dict]:
        """Who is here now."""
        client = _redis()
        if client is not None:
            return self._guarded(list, self._redis_people, client, subject)
        current = now()
        entries = cache.get(self.key(subject)) or {}
        return people_of({c: e for c, e in entries.items() if e[2] > current})

    def channels(self, subject) -> set[str]:
        """The sockets on the list now (for the tests)."""
        client = _redis()
        if client is not None:
            self._redis_prune(client, subject)
            who, _until = self._redis_keys(subject)
            return {channel.decode() for channel in client.hkeys(who)}
        current = now()
        entries = cache.get(self.key(subject)) or {}
        return {channel for channel, entry in entries.items() if entry[2] > current}

    # --- on Redis ---------------------------------------------------------------

    @staticmethod
    def _guarded(empty, operation, *args):
        try:
            return operation(*args)
        except FAILURES:
            logger.warning(
                "presence list unreachable: answering as empty", exc_info=True
            )
            return empty()

    def _redis_keys(self, subject) -> tuple[str, str]:
        base = cache.make_and_validate_key(self.key(subject))
        return f"{base}:who", f"{base}:until"

    def _redis_write(self, client, subject, channel: str, user) -> bool:
        """Put the socket's entry; True if it was not there."""
        who, until = self._redis_keys(subject)
        # The keys outlive their newest entry a little, then go by themselves.
        ttl = math.ceil(self.expiry + self.heartbeat)
        pipe = client.pipeline()
        pipe.hset(who, channel, json.dumps([user.pk, user.display_name]))
        pipe.zadd(until, {channel: now() + self.expiry})
        pipe.expire(who, ttl)
        pipe.expire(until, ttl)
        added = pipe.execute()[0]
        return bool(added)

    def _redis_prune(self, client, subject) -> bool:
        """Drop expired entries; True if there were any."""
        who, until = self._redis_keys(subject)
        gone = client.zrangebyscore(until, "-inf", now())
        if gone:
            pipe = client.pipeline()
            pipe.zrem(until, *gone)
            pipe.hdel(who, *gone)
            pipe.execute()
        return bool(gone)

    def _redis_people(self, client, subject) -> list[dict]:
        self._redis_prune(client, subject)
        who, _until = self._redis_keys(subject)
        return people_of(
            {
                channel: (*json.loads(value), None)
                for channel, value in client.hgetall(who).items()
            }
        )

    def _redis_join(self, client, subject, channel, user) -> list[dict]:
        self._redis_write(client, subject, channel, user)
        return self._redis_people(client, subject)

    def _redis_renew(self, client, subject, channel, user) -> bool:
        added = self._redis_write(client, subject, channel, user)
        pruned = self._redis_prune(client, subject)
        return added or pruned

    def _redis_leave(self, client, subject, channel) -> list[dict]:
        who, until = self._redis_keys(subject)
        pipe = client.pipeline()
        pipe.hdel(who, channel)
        pipe.zrem(until, channel)
        pipe.execute()
        return self._redis_people(client, subject)


def _redis():
    """The Redis client of the cache, if the cache is Redis."""
    client = getattr(cache, "redis_client", None)
    return client() if client is not None else None


def people_of(entries: dict) -> list[dict]:
    """One entry per person, however many sockets, in the order of names."""
    people = {user_id: name for user_id, name, _expires in entries.values()}
    return [
        {"id": user_id, "display_name": name}
        for user_id, name in sorted(
            people.items(), key=lambda person: (person[1].casefold(), person[0])
        )
    ]
