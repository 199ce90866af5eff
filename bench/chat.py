"""Chat over websockets under load, against a bare broadcast floor.

    python bench/chat.py [--clients 100,500,1000] [--messages 20] [--seconds 10]

Starts the project with daphne (``kommunect.asgi``: authentication, the
permission checks, every message stored before it is acknowledged and
broadcast) and, in the same run, a *floor*: a bare Channels consumer that
only broadcasts what it gets to one group (no authentication, no storage,
``bench/chat_floor.py``) in a second daphne, on the same channel layer.
Clients on this machine (the ``websockets`` library, one asyncio process)
connect to each:

- **fan-out**: N clients in one room (100, 500, 1,000); one more sends
  ``--messages`` messages one after another; for each, the time from
  sending to its arrival at every client. Printed: p50 and p99 over all
  arrivals, and their ratio to the floor's.
- **throughput**: 10 senders (different people) send as fast as their acks
  come (5 in flight each) for ``--seconds`` into a room that 100 clients
  read; printed: stored messages per second (and the floor's broadcasts per
  second) and whether every reader got every acknowledged message once.
  Readers do what the browser does when a live message shows a gap
  (``prev_id``): fetch the missing ones from the store; printed is how often.
  The floor has no store, so what it drops stays missing.

With ``DATABASE_URL`` (PostgreSQL) and ``REDIS_URL`` set, both servers use
Redis as channel layer (a redis-server that the run starts for itself) and
PostgreSQL (a bench database of its own, as the other scripts); without
them SQLite and the in-memory layer (then each server has its own layer,
which is still the same kind). The servers keep their database connections
open as in production (``bench/settings.py``), and the chat's per-person
rate limit is lifted for the run (``CHAT_SEND_RATE``).
It prints figures and asserts nothing.
"""

import asyncio
import json
import os
import resource
import shutil
import statistics
import sys
import time
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path[0:0] = [str(BASE_DIR)]

from bench.common import bench_database, out  # noqa: E402
from kommunect.localservers import start_daphne, start_redis, stop  # noqa: E402

SLUG = "bench-chat"
SENDERS = 10
IN_FLIGHT = 5
THROUGHPUT_READERS = 100
CONNECT_AT_ONCE = 20
PRESENCE_SETTLES_SECONDS = 6


def start_server(application: str, database_url: str):
    try:
        return start_daphne(
            application,
            {
                "DJANGO_SETTINGS_MODULE": "bench.settings",
                "DATABASE_URL": database_url,
                "CHAT_SEND_RATE": "1000000/1s",
            },
        )
    except RuntimeError as error:
        sys.exit(f"daphne ({application}): {error}")


# --- the data ---------------------------------------------------------------------


def generate(people: int) -> tuple[int, list[str]]:
    """A community with ``people`` members and their session cookies; returns
    the room id and the cookies."""
    from django.conf import settings
    from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from bench.common import bench_people, internal_community
    from chat.models import Room
    from communities.models import Membership
    from members.models import Organisation

    organisations = [
        Organisation.objects.create(
            name=f"Benchkommune {n}", kind="gemeinde", bundesland="NW"
        )
        for n in range(10)
    ]
    users = bench_people(organisations, people)
    community = internal_community(
        SLUG, "Bench: Chat", "Viele Leute in einem Raum.", users[0]
    )
    Membership.objects.bulk_create(
        Membership(
            community=community,
            user=user,
            role=Membership.Role.MEMBER,
            state=Membership.State.ACTIVE,
        )
        for user in users[1:]
    )
    cookies = []
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
    room = Room.objects.get(community=community, name="Allgemein")
    return room.pk, cookies


# --- clients ----------------------------------------------------------------------


class Client:
    def __init__(self, port: int, cookie: str | None):
        self.port = port
        self.cookie = cookie
        self.socket = None
        self.arrivals: dict[str, float] = {}  # key → perf_counter at arrival
        self.ids: list[int] = []
        self.acks: dict[str, int] = {}
        self.ack_events: dict[str, asyncio.Event] = {}
        self.subscribed = asyncio.Event()
        self.reader = None
        self.room_id = None
        self.last_id = None  # newest message id this client has in the room
        self.catching_up = False
        self.caught_up = 0  # how often a gap was fetched from the store

    async def connect(self):
        import websockets

        headers = [("Origin", f"http://127.0.0.1:{self.port}")]
        if self.cookie:
            headers.append(("Cookie", self.cookie))
        self.socket = await websockets.connect(
            f"ws://127.0.0.1:{self.port}/ws/",
            additional_headers=headers,
            open_timeout=60,
            max_queue=None,
        )
        self.reader = asyncio.ensure_future(self.read())

    async def read(self):
        import websockets

        try:
            async for text in self.socket:
                now = time.perf_counter()
                frame = json.loads(text)
                kind = frame.get("type")
                if kind == "message":
                    if self.gap(frame):
                        continue
                    self.arrivals.setdefault(frame["client_id"], now)
                    self.ids.append(frame["id"])
                    self.last_id = max(self.last_id or 0, frame["id"])
                elif kind == "ack":
                    self.acks[frame["client_id"]] = frame.get("id")
                    event = self.ack_events.pop(frame["client_id"], None)
                    if event:
                        event.set()
                elif kind == "subscribed":
                    self.catching_up = False
                    if self.last_id is None:
                        self.last_id = frame["last_id"]
                    self.subscribed.set()
        except websockets.ConnectionClosed:
            pass

    def gap(self, frame) -> bool:
        """As the browser does (static/js/chat.js): a live message whose
        predecessor never came here starts a catch-up from the store, and
        live messages wait for it. True if ``frame`` is left to the store."""
        prev_id = frame.get("prev_id")
        if prev_id is None or self.last_id is None:
            return False
        if self.catching_up:
            return True
        if prev_id > self.last_id:
            self.catching_up = True
            self.caught_up += 1
            asyncio.ensure_future(
                self.send(
                    {"type": "subscribe", "room": self.room_id, "after": self.last_id}
                )
            )
            return True
        return False

    async def send(self, frame: dict):
        await self.socket.send(json.dumps(frame))

    async def close(self):
        await self.socket.close()
        await self.reader


async def connect_all(clients, room_id: int | None):
    import websockets

    gate = asyncio.Semaphore(CONNECT_AT_ONCE)

    async def one(client):
        async with gate:
            # As the browser does: a refused handshake is tried again.
            for attempt in range(5):
                try:
                    await client.connect()
                    break
                except (OSError, websockets.InvalidMessage, websockets.InvalidStatus):
                    if attempt == 4:
                        raise
                    await asyncio.sleep(0.5 * 2**attempt)
            if room_id is not None:
                client.room_id = room_id
                await client.send({"type": "subscribe", "room": room_id})
                await asyncio.wait_for(client.subscribed.wait(), 60)
            else:
                await client.send({"type": "join"})

    await asyncio.gather(*(one(client) for client in clients))


def message(room_id, client_id: str, number: int) -> dict:
    """What a sender sends; the floor gets a frame of the same size as the
    ``message`` frame the project broadcasts."""
    body = f"Nachricht {number} aus dem Benchmark: Wer hat eine Vorlage für den Förderantrag?"
    if room_id is not None:
        return {"type": "send", "room": room_id, "body": body, "client_id": client_id}
    return {
        "type": "message",
        "id": number,
        "room": 1,
        "author": {
            "id": 1,
            "display_name": "Person 0",
            "organisation": {"id": 1, "name": "Benchkommune 0"},
        },
        "body": body,
        "body_html": f"<p>{body}</p>\n",
        "client_id": client_id,
        "created": "2026-11-28T10:00:00+00:00",
        "edited": None,
        "deleted": False,
        "mentions": [],
    }


async def fan_out(
    port, cookies, room_id, clients_count, messages
) -> tuple[list[float], int]:
    """Latencies (ms) of every arrival; and how many arrivals were missing."""
    receivers = [
        Client(port, cookies[n + 1] if cookies else None) for n in range(clients_count)
    ]
    sender = Client(port, cookies[0] if cookies else None)
    await connect_all([sender, *receivers], room_id)
    # The presence announcements of the joins pass (a big room hears its
    # list at most every 5 s: chat/realtime.py PRESENCE_BIG_ROOM_EVERY_SECONDS).
    await asyncio.sleep(PRESENCE_SETTLES_SECONDS)
    latencies, missing = [], 0
    for number in range(messages):
        client_id = str(uuid.uuid4())
        sent = time.perf_counter()
        await sender.send(message(room_id, client_id, number))
        deadline = sent + 10
        while time.perf_counter() < deadline:
            if all(client_id in r.arrivals for r in receivers):
                break
            await asyncio.sleep(0.001)
        for receiver in receivers:
            if client_id in receiver.arrivals:
                latencies.append((receiver.arrivals[client_id] - sent) * 1000)
            else:
                missing += 1
        await asyncio.sleep(0.05)
    for client in [sender, *receivers]:
        await client.close()
    return latencies, missing


async def throughput(port, cookies, room_id, seconds) -> tuple[float, int, int, int]:
    """Messages per second stored (or broadcast, for the floor); readers'
    missing and doubled arrivals."""
    senders = [Client(port, cookies[n] if cookies else None) for n in range(SENDERS)]
    readers = [
        Client(port, cookies[SENDERS + n] if cookies else None)
        for n in range(THROUGHPUT_READERS)
    ]
    await connect_all([*senders, *readers], room_id)
    await asyncio.sleep(2)
    stop = time.perf_counter() + seconds
    started = time.perf_counter()

    async def keep_sending(sender, index):
        number = 0
        in_flight: list[asyncio.Event] = []
        while time.perf_counter() < stop:
            client_id = str(uuid.uuid4())
            event = asyncio.Event()
            sender.ack_events[client_id] = event
            in_flight.append(event)
            await sender.send(message(room_id, client_id, index * 1_000_000 + number))
            number += 1
            if len(in_flight) >= IN_FLIGHT:
                await in_flight.pop(0).wait()
            else:
                await asyncio.sleep(0)
        for event in in_flight:
            await asyncio.wait_for(event.wait(), 30)

    await asyncio.gather(*(keep_sending(s, i) for i, s in enumerate(senders)))
    elapsed = time.perf_counter() - started
    done = {key for s in senders for key in s.acks}
    # Everything sent is on its way: wait for the readers to have it.
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline and not all(
        done <= set(r.arrivals) for r in readers
    ):
        await asyncio.sleep(0.05)
    missing = sum(len(done - set(r.arrivals)) for r in readers)
    doubled = sum(len(r.ids) - len(set(r.ids)) for r in readers)
    caught_up = sum(r.caught_up for r in readers)
    for client in [*senders, *readers]:
        await client.close()
    return len(done) / elapsed, len(done), missing, doubled, caught_up


def pct(values, fraction) -> float:
    ordered = sorted(values)
    return (
        ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0
    )


async def measure(real_port, floor_port, cookies, room_id, sizes, messages, seconds):
    header = (
        f"{'clients':>8} {'p50 ms':>8} {'p99 ms':>8} {'floor p50':>10} {'floor p99':>10} "
        f"{'p99 ratio':>10} {'missing':>8}"
    )
    out("Fan-out of one message to every client in a room")
    out(header)
    out("-" * len(header))
    for size in sizes:
        real, real_missing = await fan_out(real_port, cookies, room_id, size, messages)
        floor, floor_missing = await fan_out(floor_port, None, None, size, messages)
        out(
            f"{size:>8} {statistics.median(real):>8.1f} {pct(real, 0.99):>8.1f} "
            f"{statistics.median(floor):>10.1f} {pct(floor, 0.99):>10.1f} "
            f"{pct(real, 0.99) / pct(floor, 0.99):>9.1f}× {real_missing:>4}/{floor_missing}"
        )
    out()
    out(
        f"Sustained: {SENDERS} senders ({IN_FLIGHT} in flight each) into a room "
        f"that {THROUGHPUT_READERS} clients read, {seconds} s"
    )
    rate, stored, missing, doubled, caught_up = await throughput(
        real_port, cookies, room_id, seconds
    )
    floor_rate, floor_sent, floor_missing, floor_doubled, _ = await throughput(
        floor_port, None, None, seconds
    )
    out(
        f"  project: {rate:,.0f} messages/s stored and acknowledged ({stored:,}); "
        f"missing at readers: {missing}, twice: {doubled}; gaps that readers "
        f"fetched from the store: {caught_up}"
    )
    out(
        f"  floor:   {floor_rate:,.0f} broadcasts/s ({floor_sent:,}); "
        f"missing at readers: {floor_missing}, twice: {floor_doubled}"
    )
    out(f"  ratio:   {floor_rate / rate:.1f}× (floor / project)")


def main(argv=None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", default="100,500,1000")
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.clients.split(",")]

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    needed = max(sizes) + 1 + SENDERS + THROUGHPUT_READERS
    # A Redis of the run's own (as the scale-out tests): nothing else on the
    # server's Redis (another run, the tests) can slow or flush it.
    redis = None
    if os.environ.get("REDIS_URL"):
        if shutil.which("redis-server") is None:
            sys.exit("REDIS_URL is set, but redis-server is not installed here")
        redis, redis_port = start_redis()
        os.environ["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        layer = f"Redis (a redis-server of this run on port {redis_port})"
    else:
        layer = "in-memory (one per server)"
    with bench_database("chat", keep=False) as database_url:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        room_id, cookies = generate(needed)
        out(
            f"{needed:,} people with sessions in one room in "
            f"{time.perf_counter() - started:.0f} s ({database_url.split('://')[0]}, "
            f"channel layer: {layer})"
        )
        real, real_port = start_server("kommunect.asgi:application", database_url)
        floor, floor_port = start_server("bench.chat_floor:application", database_url)
        try:
            asyncio.run(
                measure(
                    real_port,
                    floor_port,
                    cookies,
                    room_id,
                    sizes,
                    args.messages,
                    args.seconds,
                )
            )
        finally:
            for process in (real, floor, redis):
                stop(process)


if __name__ == "__main__":
    main()
