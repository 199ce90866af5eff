"""Chat across server processes: two daphne processes on different ports,
against the same PostgreSQL (the test database) and a Redis of their own
(a redis-server started here on a free port), with real websocket clients
(the ``websockets`` library).

- Messages, presence and typing flow both ways between a client on each
  process; losing access closes a socket on the other process (4403).
- Redis stops mid-conversation: HTTP keeps working, clients are told that
  the chat is degraded, messages sent meanwhile are stored (over HTTP) or
  kept by the client; after Redis is back every acknowledged message reaches
  every client, none missing and none twice.

Needs PostgreSQL: the processes share the database, which SQLite's
in-memory test database cannot be. CI runs it in its PostgreSQL + Redis run.
"""

import asyncio
import json
import os
import shutil
import time
import urllib.request
import uuid

import pytest
import websockets
from asgiref.sync import sync_to_async
from django.db import connection
from factories import UserFactory
from factories.communities import make_community, make_member

from chat.models import Message, Room
from communities import services as community_services
from kommunect.localservers import free_port, start_daphne, start_redis, stop
from members.tokens import api_token_create

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="server processes share the database: PostgreSQL (DATABASE_URL)",
    ),
    pytest.mark.skipif(
        shutil.which("redis-server") is None, reason="needs redis-server"
    ),
]


class Redis:
    """A redis-server of this test, without persistence."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process, _port = start_redis(self.port)

    def stop(self):
        stop(self.process)


def database_url() -> str:
    settings = connection.settings_dict
    return (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
        f"{settings['PORT']}/{settings['NAME']}"
    )


class Daphne:
    def __init__(self, redis: Redis):
        self.redis = redis
        self.process = None
        self.port = None

    def start(self):
        self.process, self.port = start_daphne(
            "kommunect.asgi:application",
            {
                "DJANGO_SETTINGS_MODULE": "kommunect.settings.test",
                "DATABASE_URL": database_url(),
                "REDIS_URL": self.redis.url,
            },
        )

    def stop(self):
        stop(self.process)

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/"

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def servers(settings):
    from channels.layers import channel_layers

    redis = Redis()
    redis.start()
    # This process (the services of the test) speaks through the same Redis.
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [redis.url]},
        }
    }
    channel_layers.backends.clear()
    first, second = Daphne(redis), Daphne(redis)
    first.start()
    second.start()
    yield redis, first, second
    for server in (first, second):
        server.stop()
    redis.stop()


class Client:
    """A websocket client that keeps every frame it gets."""

    def __init__(self, server: Daphne, token: str):
        self.server = server
        self.token = token
        self.socket = None
        self.frames: list[dict] = []
        self.closed_with = None
        self.reader = None
        self.since = 0  # frames of the current connection start here

    async def connect(self):
        self.socket = await websockets.connect(
            self.server.ws,
            additional_headers=[("Authorization", f"Bearer {self.token}")],
            open_timeout=5,
        )
        self.closed_with = None
        self.since = len(self.frames)
        self.reader = asyncio.ensure_future(self._read())

    async def _read(self):
        try:
            async for text in self.socket:
                self.frames.append(json.loads(text))
        except websockets.ConnectionClosed:
            pass
        self.closed_with = self.socket.close_code

    async def send(self, frame: dict):
        await self.socket.send(json.dumps(frame))

    async def wait_for(self, check, seconds: float = 5):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for frame in self.frames[self.since :]:
                if check(frame):
                    return frame
            if self.closed_with is not None:
                break
            await asyncio.sleep(0.02)
        raise AssertionError(
            f"no such frame (closed: {self.closed_with}) in {self.frames[-10:]}"
        )

    async def subscribe(self, room_id: int, after: int | None = None):
        frame = {"type": "subscribe", "room": room_id}
        if after is not None:
            frame["after"] = after
        await self.send(frame)
        await self.wait_for(
            lambda f: f["type"] == "subscribed" and f["room"] == room_id
        )

    def message_ids(self, room_id: int) -> list[int]:
        return [
            f["id"]
            for f in self.frames
            if f["type"] == "message" and f["room"] == room_id
        ]

    async def close(self):
        if self.socket is not None:
            await self.socket.close()
        if self.reader is not None:
            await self.reader


@sync_to_async
def chat_world():
    community = make_community(visibility="private", join_policy="invite")
    owner = make_member(community, role="owner").user
    anna = make_member(community, UserFactory(display_name="Anna Schmidt")).user
    bernd = make_member(community, UserFactory(display_name="Bernd Becker")).user
    tokens = {
        person: api_token_create(user=person, name="Test")[1]
        for person in (anna, bernd)
    }
    room = Room.objects.get(community=community, name="Allgemein")
    return community, owner, anna, bernd, tokens, room


@pytest.mark.asyncio
async def test_messages_presence_and_typing_flow_between_two_processes(servers):
    _redis, first, second = servers
    community, owner, anna, bernd, tokens, room = await chat_world()
    annas = Client(first, tokens[anna])
    bernds = Client(second, tokens[bernd])
    await annas.connect()
    await bernds.connect()
    await annas.subscribe(room.pk)
    await bernds.subscribe(room.pk)

    # Presence: each sees both, whichever process the other is on.
    await annas.wait_for(
        lambda f: (
            f["type"] == "presence"
            and sorted(f["online"]) == sorted([anna.pk, bernd.pk])
        )
    )
    await bernds.send({"type": "typing", "room": room.pk})
    typing = await annas.wait_for(lambda f: f["type"] == "typing")
    assert typing["user"]["id"] == bernd.pk

    sent = {}
    for client, author in ((annas, "Anna"), (bernds, "Bernd"), (annas, "Anna")):
        client_id = str(uuid.uuid4())
        await client.send(
            {
                "type": "send",
                "room": room.pk,
                "body": f"Von {author}",
                "client_id": client_id,
            }
        )
        ack = await client.wait_for(
            lambda f, c=client_id: f["type"] == "ack" and f["client_id"] == c
        )
        sent[ack["id"]] = f"Von {author}"
    for client in (annas, bernds):
        for message_id in sent:
            await client.wait_for(
                lambda f, i=message_id: f["type"] == "message" and f["id"] == i
            )
        assert sorted(client.message_ids(room.pk)) == sorted(sent)

    # Losing access closes the socket on its own process.
    await sync_to_async(community_services.membership_remove)(
        actor=owner, community=community, user_id=anna.pk, ban=True, reason="Spam"
    )
    deadline = time.monotonic() + 5
    while annas.closed_with is None and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert annas.closed_with == 4403
    await bernds.close()


def http_json(url: str, method="GET", token=None, data=None) -> tuple[int, dict]:
    request = urllib.request.Request(
        url,
        method=method,
        data=json.dumps(data).encode() if data is not None else None,
        headers={"Content-Type": "application/json"}
        | ({"Authorization": f"Bearer {token}"} if token else {}),
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


@pytest.mark.asyncio
async def test_redis_stops_mid_conversation_and_no_acknowledged_message_is_lost(
    servers,
):
    redis, first, second = servers
    _community, _owner, anna, bernd, tokens, room = await chat_world()
    annas = Client(first, tokens[anna])
    bernds = Client(second, tokens[bernd])
    await annas.connect()
    await bernds.connect()
    await annas.subscribe(room.pk)
    await bernds.subscribe(room.pk)

    acked: set[int] = set()

    async def say(client, text):
        client_id = str(uuid.uuid4())
        await client.send(
            {"type": "send", "room": room.pk, "body": text, "client_id": client_id}
        )
        ack = await client.wait_for(
            lambda f: f["type"] == "ack" and f["client_id"] == client_id
        )
        acked.add(ack["id"])

    await say(annas, "Vor der Störung 1")
    await say(bernds, "Vor der Störung 2")

    redis.stop()
    # The sockets are told, and closed: the chat is degraded.
    for client in (annas, bernds):
        await client.wait_for(
            lambda f: f["type"] == "error" and f.get("code") == "degraded", seconds=10
        )
    # HTTP keeps working: pages, the API, and sending over it (stored).
    status, _ = http_json(first.http + "/api/v1/chat/rooms", token=tokens[anna])
    assert status == 200
    for text in ("Während der Störung 1", "Während der Störung 2"):
        status, body = http_json(
            second.http + f"/api/v1/chat/rooms/{room.pk}/messages",
            "POST",
            tokens[bernd],
            {"body": text, "client_id": str(uuid.uuid4())},
        )
        assert status == 201, body
        acked.add(body["id"])
    status, health = http_json(first.http + "/healthz")
    assert health["database"] == "ok" and health["channel_layer"] != "ok"

    redis.start()
    # The clients come back and catch up from the last id they have.
    for client in (annas, bernds):
        last = max(client.message_ids(room.pk), default=0)
        await client.close()
        deadline = time.monotonic() + 10
        while True:
            try:
                await client.connect()
                await client.subscribe(room.pk, after=last)
                break
            except (OSError, websockets.InvalidStatus, AssertionError):
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.2)
    await say(annas, "Nach der Störung 1")
    await say(bernds, "Nach der Störung 2")
    for client in (annas, bernds):
        deadline = time.monotonic() + 5
        while not acked <= set(client.message_ids(room.pk)):
            assert time.monotonic() < deadline, "acknowledged messages missing"
            await asyncio.sleep(0.05)
        ids = client.message_ids(room.pk)
        assert sorted(ids) == sorted(acked), "missing or extra messages"
        assert len(ids) == len(set(ids)), "a message arrived twice"
    stored = await sync_to_async(
        lambda: set(Message.objects.filter(room=room).values_list("pk", flat=True))
    )()
    assert stored == acked
    for client in (annas, bernds):
        await client.close()
