"""Who is here right now: lists of open sockets shared by every server
process through the Django cache (Redis in production).

A ``PresenceList`` keeps one cache key per subject (a chat room, a wiki page
being edited): ``{channel_name: (user_id, display_name, expires)}``. A socket
joins, renews its entry at least every ``heartbeat`` seconds and leaves; an
entry not renewed for ``expiry`` seconds (its process crashed, its socket
never said goodbye) is dropped the next time anyone reads or writes the
list. Writers of one list take turns through a short lock in the cache; a
writer that waits longer than ``LOCK_WAIT_SECONDS`` writes anyway, and the
next heartbeat repairs an update lost that way.

The methods are synchronous (the cache client is); consumers call them
through ``sync_to_async``.
"""

import math
import time
import uuid

from django.core.cache import cache

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
        def change(entries):
            entries[channel] = self._entry(user)

        return self._change(subject, change)[1]

    def refresh(self, subject, channel: str, user) -> tuple[list[dict], bool]:
        """Renew the socket's entry; True if the list changed (the entry was
        gone, or expired entries were dropped)."""

        def change(entries):
            missing = channel not in entries
            entries[channel] = self._entry(user)
            return missing

        missing, people, pruned = self._change(subject, change)
        return people, missing or pruned

    def leave(self, subject, channel: str) -> list[dict]:
        def change(entries):
            entries.pop(channel, None)

        return self._change(subject, change)[1]

    def people(self, subject) -> list[dict]:
        """Who is here now, read without writing."""
        current = now()
        entries = cache.get(self.key(subject)) or {}
        return people_of({c: e for c, e in entries.items() if e[2] > current})


def people_of(entries: dict) -> list[dict]:
    """One entry per person, however many sockets, in the order of names."""
    people = {user_id: name for user_id, name, _expires in entries.values()}
    return [
        {"id": user_id, "display_name": name}
        for user_id, name in sorted(
            people.items(), key=lambda person: (person[1].casefold(), person[0])
        )
    ]
