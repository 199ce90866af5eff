"""Chat over the websocket: delivery, acks, catching up after a reconnect,
re-sent messages stored once, typing, read markers, presence, rate limits,
losing access, and German error frames for bad input with the connection
kept open. Real consumers (channels' WebsocketCommunicator) against the
test database; the channel layer is the in-memory one, or Redis when
REDIS_URL is set."""

import asyncio
import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from factories import UserFactory
from factories.websocket import (
    FORBIDDEN,
    ORIGIN,
    no_persistent_connections,  # noqa: F401 - autouse
    open_socket,
    private_community_with,
    session_cookie_for,
)

from chat import realtime as chat_realtime
from chat import services
from chat.models import Message, Room
from communities import services as community_services
from kommunect.asgi import application

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.asyncio,
]


async def next_of(socket, frame_type, timeout=3):
    """The next frame of ``frame_type`` (presence and typing frames of the
    room may come in between)."""
    while True:
        frame = await socket.receive_json_from(timeout=timeout)
        if frame["type"] == frame_type:
            return frame


async def subscribe(socket, room_id, after=None):
    frame = {"type": "subscribe", "room": room_id}
    if after is not None:
        frame["after"] = after
    await socket.send_json_to(frame)
    frames = []
    while True:
        frame = await socket.receive_json_from(timeout=3)
        if frame["type"] == "subscribed":
            return frames
        if frame["type"] == "error":
            return frame
        if frame["type"] == "message":
            frames.append(frame)


@sync_to_async
def private_room():
    """A private community's room "Allgemein" with two members, and an
    outsider."""
    community, owner, anna, bernd = private_community_with(
        "Anna Schmidt", "Bernd Becker"
    )
    outsider = UserFactory(display_name="Otto Außen")
    room = Room.objects.get(community=community, name="Allgemein")
    return community, owner, anna, bernd, outsider, room


async def send(socket, room_id, body, client_id=None):
    client_id = client_id or str(uuid.uuid4())
    await socket.send_json_to(
        {"type": "send", "room": room_id, "body": body, "client_id": client_id}
    )
    return client_id


stored = sync_to_async(lambda **kw: list(Message.objects.filter(**kw).order_by("pk")))


async def test_a_message_is_acked_after_it_is_stored_and_reaches_the_other():
    _c, _o, anna, bernd, _x, room = await private_room()
    annas_tab, bernds_tab = await open_socket(anna), await open_socket(bernd)
    assert await subscribe(annas_tab, room.pk) == []
    assert await subscribe(bernds_tab, room.pk) == []

    client_id = await send(annas_tab, room.pk, "Hat jemand eine **Vorlage**?")

    ack = await next_of(annas_tab, "ack")
    (message,) = await stored(room=room)
    assert ack == {
        "type": "ack",
        "client_id": client_id,
        "id": message.pk,
        "room": room.pk,
    }
    event = await next_of(bernds_tab, "message")
    assert event["id"] == message.pk and event["client_id"] == client_id
    assert event["body_html"] == "<p>Hat jemand eine <strong>Vorlage</strong>?</p>\n"
    assert event["author"]["display_name"] == "Anna Schmidt"
    await annas_tab.disconnect()
    await bernds_tab.disconnect()


async def test_the_same_client_id_is_stored_once_and_acked_again():
    _c, _o, anna, _b, _x, room = await private_room()
    tab = await open_socket(anna)
    client_id = await send(tab, room.pk, "Einmal, bitte.")
    first = await next_of(tab, "ack")
    await send(tab, room.pk, "Einmal, bitte.", client_id=client_id)
    second = await next_of(tab, "ack")

    assert first == second
    assert len(await stored(room=room)) == 1
    await tab.disconnect()


async def test_a_reconnecting_client_gets_every_message_after_its_last_id_in_order():
    _c, _o, anna, bernd, _x, room = await private_room()
    bernds_tab = await open_socket(bernd)
    await subscribe(bernds_tab, room.pk)
    first = await sync_to_async(services.message_send)(
        author=anna, room=room, body="Erste", client_id=uuid.uuid4()
    )
    seen = await next_of(bernds_tab, "message")
    assert seen["id"] == first[0].pk
    await bernds_tab.disconnect()

    # Offline: three more messages.
    for text in ["Zweite", "Dritte", "Vierte"]:
        await sync_to_async(services.message_send)(
            author=anna, room=room, body=text, client_id=uuid.uuid4()
        )
    back = await open_socket(bernd)
    caught_up = await subscribe(back, room.pk, after=seen["id"])

    assert [frame["body"] for frame in caught_up] == ["Zweite", "Dritte", "Vierte"]
    ids = [frame["id"] for frame in caught_up]
    assert ids == sorted(ids)
    # And then the new ones, live.
    await sync_to_async(services.message_send)(
        author=anna, room=room, body="Fünfte", client_id=uuid.uuid4()
    )
    assert (await next_of(back, "message"))["body"] == "Fünfte"
    await back.disconnect()


async def test_each_live_message_names_the_one_before_it_in_the_room():
    _c, _o, anna, bernd, _x, room = await private_room()
    bernds_tab = await open_socket(bernd)
    await subscribe(bernds_tab, room.pk)
    annas_tab = await open_socket(anna)
    live = []
    for text in ["Eins", "Zwei", "Drei"]:
        await send(annas_tab, room.pk, text)
        live.append(await next_of(bernds_tab, "message"))
    # Another room's message does not count in this room's chain.
    other, _created = await sync_to_async(services.direct_open)(
        actor=anna, user_ids=[bernd.pk]
    )
    await sync_to_async(services.message_send)(
        author=anna, room=other, body="Nebenbei", client_id=uuid.uuid4()
    )
    await send(annas_tab, room.pk, "Vier")
    live.append(await next_of(bernds_tab, "message"))

    ids = [frame["id"] for frame in live]
    assert [frame["prev_id"] for frame in live] == [0, *ids[:-1]]
    # A socket that lost "Zwei" and "Drei" sees the gap at "Vier" and gets
    # them from the store by subscribing after "Eins"; stored messages carry
    # no prev_id (they come in order).
    again = await subscribe(bernds_tab, room.pk, after=ids[0])
    assert [frame["body"] for frame in again] == ["Zwei", "Drei", "Vier"]
    assert all("prev_id" not in frame for frame in again)
    await annas_tab.disconnect()
    await bernds_tab.disconnect()


async def test_an_outsider_cannot_subscribe_and_keeps_the_connection():
    _c, _o, _a, _b, outsider, room = await private_room()
    tab = await open_socket(outsider)
    refused = await subscribe(tab, room.pk)
    assert refused["type"] == "error" and refused["code"] == "not_found"
    assert refused["detail"] == "Diesen Chatraum gibt es nicht."
    # An unknown room answers the same.
    unknown = await subscribe(tab, room.pk + 1000)
    assert unknown["detail"] == refused["detail"]
    await send(tab, room.pk, "Hallo?")
    assert (await next_of(tab, "error"))["code"] == "not_found"
    assert await stored(room=room) == []
    await tab.send_json_to({"type": "typing", "room": 1})
    assert (await next_of(tab, "error"))["code"] == "not_subscribed"
    await tab.disconnect()


@pytest.mark.parametrize(
    ("frame", "code", "detail"),
    [
        (
            {"type": "send", "room": "x", "body": "a", "client_id": "c"},
            "invalid_room",
            "Bitte geben Sie im Feld „room“ die Nummer eines Raums an.",
        ),
        (
            {"type": "send", "body": "a", "client_id": str(uuid.uuid4())},
            "invalid_room",
            "Bitte geben Sie im Feld „room“ die Nummer eines Raums an.",
        ),
        (
            {"type": "send", "room": "ROOM", "body": "a"},
            "invalid_client_id",
            "Bitte geben Sie als „client_id“ eine UUID an.",
        ),
        (
            {"type": "send", "room": "ROOM", "body": "a", "client_id": "kein-uuid"},
            "invalid_client_id",
            "Bitte geben Sie als „client_id“ eine UUID an.",
        ),
        (
            {"type": "send", "room": "ROOM", "body": "   ", "client_id": "UUID"},
            "required",
            "Bitte schreiben Sie einen Text.",
        ),
        (
            {"type": "send", "room": "ROOM", "body": "x" * 4001, "client_id": "UUID"},
            "max_length",
            "Der Text darf höchstens 4000 Zeichen lang sein.",
        ),
        (
            {"type": "send", "room": "ROOM", "body": 5, "client_id": "UUID"},
            "invalid_body",
            "Bitte schreiben Sie im Feld „body“ einen Text.",
        ),
        (
            {"type": "edit", "id": "MESSAGE", "body": "Übernommen"},
            "forbidden",
            "Diese Nachricht können Sie nicht bearbeiten.",
        ),
        (
            {"type": "delete", "id": "MESSAGE"},
            "forbidden",
            "Diese Nachricht können Sie nicht löschen.",
        ),
        (
            {"type": "edit", "id": True, "body": "x"},
            "invalid_id",
            "Bitte geben Sie im Feld „id“ die Nummer einer Nachricht an.",
        ),
        (
            {"type": "read", "room": "ROOM"},
            "invalid_last_id",
            "Bitte geben Sie im Feld „last_id“ die Nummer einer Nachricht an.",
        ),
        (
            {"type": "subscribe", "room": "ROOM", "after": -1},
            "invalid_after",
            "Im Feld „after“ erwarten wir die Nummer einer Nachricht.",
        ),
        ({"type": "tanzen"}, "unknown_type", "Unbekannter Nachrichtentyp: tanzen"),
        ({"room": 1}, "invalid_frame", "Jede Nachricht braucht ein Feld „type“."),
    ],
)
async def test_bad_frames_get_a_german_error_and_the_room_stays_subscribed(
    frame, code, detail
):
    _c, _o, anna, bernd, _x, room = await private_room()
    bernds = await sync_to_async(services.message_send)(
        author=bernd, room=room, body="Von Bernd", client_id=uuid.uuid4()
    )
    tab = await open_socket(anna)
    await subscribe(tab, room.pk)
    replace = {"ROOM": room.pk, "MESSAGE": bernds[0].pk, "UUID": str(uuid.uuid4())}
    frame = {
        key: replace.get(value, value) if isinstance(value, str) else value
        for key, value in frame.items()
    }

    await tab.send_json_to(frame)

    error = await next_of(tab, "error")
    assert (error["code"], error["detail"]) == (code, detail)
    # Still connected, still in the room.
    await sync_to_async(services.message_send)(
        author=bernd, room=room, body="Noch da?", client_id=uuid.uuid4()
    )
    assert (await next_of(tab, "message"))["body"] == "Noch da?"
    await tab.disconnect()


async def test_malformed_and_binary_frames_keep_the_connection():
    _c, _o, anna, _b, _x, room = await private_room()
    tab = await open_socket(anna)
    await tab.send_to(text_data="{kein json")
    assert (await next_of(tab, "error"))["code"] == "invalid_json"
    await tab.send_to(bytes_data=b"\x00\x01")
    assert (await next_of(tab, "error"))["code"] == "binary_not_supported"
    assert await subscribe(tab, room.pk) == []
    await tab.disconnect()


async def test_more_than_ten_messages_in_ten_seconds_are_refused_with_the_socket_open():
    _c, _o, anna, _b, _x, room = await private_room()
    tab = await open_socket(anna)
    await subscribe(tab, room.pk)
    for number in range(10):
        await send(tab, room.pk, f"Nachricht {number}")
        assert (await next_of(tab, "ack"))["type"] == "ack"
    client_id = await send(tab, room.pk, "Eine zu viel")
    refused = await next_of(tab, "error")
    assert refused["code"] == "rate_limited"
    assert refused["client_id"] == client_id
    assert "zu viele Nachrichten" in refused["detail"]
    assert len(await stored(room=room)) == 10
    await tab.disconnect()


async def test_typing_and_presence_reach_the_others_in_the_room():
    _c, _o, anna, bernd, _x, room = await private_room()
    annas_tab, bernds_tab = await open_socket(anna), await open_socket(bernd)
    await subscribe(annas_tab, room.pk)
    presence = await next_of(annas_tab, "presence")
    assert presence["online"] == [anna.pk]
    await subscribe(bernds_tab, room.pk)
    presence = await next_of(annas_tab, "presence")
    assert sorted(presence["online"]) == sorted([anna.pk, bernd.pk])

    await bernds_tab.send_json_to({"type": "typing", "room": room.pk})
    typing = await next_of(annas_tab, "typing")
    assert typing["user"] == {"id": bernd.pk, "display_name": "Bernd Becker"}

    await bernds_tab.disconnect()
    presence = await next_of(annas_tab, "presence")
    assert presence["online"] == [anna.pk]
    await annas_tab.disconnect()


async def test_a_big_room_lists_the_first_names_and_counts_everyone(monkeypatch):
    monkeypatch.setattr(chat_realtime, "PRESENCE_LISTED", 1)
    monkeypatch.setattr(chat_realtime, "PRESENCE_BIG_ROOM_EVERY_SECONDS", 1.5)
    _c, owner, anna, bernd, _x, room = await private_room()
    annas_tab, bernds_tab = await open_socket(anna), await open_socket(bernd)
    await subscribe(annas_tab, room.pk)
    await subscribe(bernds_tab, room.pk)
    presence = await next_of(annas_tab, "presence")
    while presence["count"] < 2:
        presence = await next_of(annas_tab, "presence")
    # By name: Anna Schmidt before Bernd Becker; both are counted.
    assert presence["online"] == [anna.pk]
    assert presence["people"] == [{"id": anna.pk, "display_name": "Anna Schmidt"}]
    assert presence["count"] == 2

    # Now a big room: the next list comes after the longer pause.
    owners_tab = await open_socket(owner)
    started = asyncio.get_running_loop().time()
    await subscribe(owners_tab, room.pk)
    presence = await next_of(annas_tab, "presence", timeout=5)
    assert presence["count"] == 3
    assert asyncio.get_running_loop().time() - started >= 1.4
    for tab in (annas_tab, bernds_tab, owners_tab):
        await tab.disconnect()


async def test_reading_in_one_tab_updates_the_unread_count_in_the_other():
    _c, _o, anna, bernd, _x, room = await private_room()
    await sync_to_async(services.ensure_read_markers)(anna, [room])
    for text in ["Eins", "Zwei"]:
        last, _ = await sync_to_async(services.message_send)(
            author=bernd, room=room, body=text, client_id=uuid.uuid4()
        )
    first_tab, second_tab = await open_socket(anna), await open_socket(anna)
    assert await sync_to_async(services.unread_counts)(anna, [room.pk]) == {
        room.pk: (2, 0)
    }

    await first_tab.send_json_to({"type": "read", "room": room.pk, "last_id": last.pk})

    unread = await next_of(second_tab, "unread")
    assert unread == {"type": "unread", "room": room.pk, "count": 0, "mentions": 0}
    await first_tab.disconnect()
    await second_tab.disconnect()


async def test_edits_and_deletions_reach_the_room():
    _c, owner, anna, bernd, _x, room = await private_room()
    annas_tab, bernds_tab = await open_socket(anna), await open_socket(bernd)
    await subscribe(annas_tab, room.pk)
    await subscribe(bernds_tab, room.pk)
    await send(annas_tab, room.pk, "Tippfeler")
    message_id = (await next_of(annas_tab, "ack"))["id"]

    await annas_tab.send_json_to(
        {"type": "edit", "id": message_id, "body": "Tippfehler"}
    )
    edited = await next_of(bernds_tab, "edited")
    assert edited["id"] == message_id and edited["body_html"] == "<p>Tippfehler</p>\n"
    assert edited["edited"]

    # The moderation deletes any message of its community's rooms.
    owners_tab = await open_socket(owner)
    await owners_tab.send_json_to({"type": "delete", "id": message_id})
    deleted = await next_of(bernds_tab, "deleted")
    assert deleted == {"type": "deleted", "id": message_id, "room": room.pk}
    (message,) = await stored(room=room)
    assert message.deleted_at and message.body == "" and message.body_html == ""
    for tab in (annas_tab, bernds_tab, owners_tab):
        await tab.disconnect()


async def test_losing_access_closes_the_socket_with_4403():
    community, owner, anna, bernd, _x, room = await private_room()
    annas_tab, bernds_tab = await open_socket(anna), await open_socket(bernd)
    await subscribe(annas_tab, room.pk)
    await subscribe(bernds_tab, room.pk)

    await sync_to_async(community_services.membership_remove)(
        actor=owner, community=community, user_id=anna.pk, ban=True, reason="Spam"
    )
    closed = await annas_tab.receive_output(timeout=3)
    while closed["type"] != "websocket.close":
        closed = await annas_tab.receive_output(timeout=3)
    assert closed["code"] == FORBIDDEN

    # Archiving the room closes the others' subscriptions too.
    await sync_to_async(services.room_update)(actor=owner, room=room, archived=True)
    closed = await bernds_tab.receive_output(timeout=3)
    while closed["type"] != "websocket.close":
        closed = await bernds_tab.receive_output(timeout=3)
    assert closed["code"] == FORBIDDEN
    again = await open_socket(bernd)
    refused = await subscribe(again, room.pk)
    assert refused["code"] == "forbidden"
    assert refused["detail"] == "Dieser Raum ist archiviert."
    await again.disconnect()


async def test_anonymous_and_foreign_origin_sockets_are_refused():
    _c, _o, anna, _b, _x, _room = await private_room()
    anonymous = WebsocketCommunicator(application, "/ws/", headers=[ORIGIN])
    connected, _code = await anonymous.connect(timeout=3)
    assert not connected
    cookie = await sync_to_async(session_cookie_for)(anna)
    foreign = WebsocketCommunicator(
        application, "/ws/", headers=[(b"origin", b"https://evil.example"), cookie]
    )
    connected, _code = await foreign.connect(timeout=3)
    assert not connected
    await asyncio.sleep(0)
