"""Chat over the websocket ``/ws/`` (frames: shared/API.md).

``subscribe`` joins a room: the socket enters the room's group first, then
gets every stored message after ``after`` in order, then ``subscribed``;
frames of the group that arrived meanwhile follow (the consumer handles one
event at a time), and a message already sent from the store is not sent
twice. ``send`` stores through ``services.message_send`` and answers
``ack`` after the commit; the same ``client_id`` again is acked again and
stored once. Presence is the list of sockets subscribed to a room
(``kommunect.presence``), renewed by the socket itself every
``HEARTBEAT_SECONDS``; ``typing`` goes to the others in the room.

Every refusal is an ``error`` frame with a German ``detail`` (and the
``client_id`` it answers); only losing access closes the socket (4403).
"""

import asyncio
import logging
import weakref

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from communities import permissions as perms
from kommunect.presence import PresenceList
from kommunect.ratelimit import RateLimited
from kommunect.realtime import (
    FrameError,
    id_field,
    register_disconnect_handler,
    register_frame_handler,
    register_outgoing_filter,
    register_subscription_kind,
)

from . import services
from .models import Message, Room

logger = logging.getLogger(__name__)

KIND = "room"
BACKLOG_BATCH = 200
HEARTBEAT_SECONDS = 20
PRESENCE_EVERY_SECONDS = 0.5
# A big room hears at most this many names (and how many are online in
# all), and its list less often: a frame of a thousand names to a thousand
# sockets twice a second would be 100 MB a second through the layer.
PRESENCE_LISTED = 50
PRESENCE_BIG_ROOM_EVERY_SECONDS = 5
TYPING_EVERY_SECONDS = 3
PRESENCE = PresenceList("chat_presence", heartbeat=HEARTBEAT_SECONDS, expiry=60)


def may_subscribe(user, key: str) -> bool:
    """The subscription check (also after every membership change)."""
    room = Room.objects.select_related("community").filter(pk=int(key)).first()
    return room is not None and perms.can_subscribe_room(user, room)


# --- frame fields --------------------------------------------------------------


def _room_id(frame: dict) -> int:
    room_id = id_field(frame, "room")
    if room_id is None:
        raise FrameError(
            "invalid_room",
            _("Bitte geben Sie im Feld „room“ die Nummer eines Raums an."),
            _client_id_of(frame),
        )
    return room_id


def _client_id_of(frame: dict) -> str | None:
    value = frame.get("client_id")
    return value[:100] if isinstance(value, str) else None


def _text(frame: dict, field: str) -> str:
    value = frame.get(field)
    if not isinstance(value, str):
        raise FrameError(
            "invalid_body",
            _("Bitte schreiben Sie im Feld „%(field)s“ einen Text.") % {"field": field},
            _client_id_of(frame),
        )
    return value


def _first_message(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        for messages in error.message_dict.values():
            return str(messages[0])
    return str(error.messages[0])


def _refusal(error: Exception, frame: dict) -> FrameError:
    client_id = _client_id_of(frame)
    if isinstance(error, Http404):
        return FrameError("not_found", _("Diesen Chatraum gibt es nicht."), client_id)
    if isinstance(error, PermissionDenied):
        return FrameError(
            "forbidden", str(error) or _("Das dürfen Sie nicht."), client_id
        )
    if isinstance(error, RateLimited):
        return FrameError("rate_limited", error.detail, client_id)
    code = getattr(error, "code", None)
    if hasattr(error, "error_dict"):
        code = next(iter(error.error_dict.values()))[0].code
    code = code or "invalid"
    return FrameError(code, _first_message(error), client_id)


async def _call(function, frame, **kwargs):
    """Run a service in a thread; its refusals become ``error`` frames."""
    try:
        return await database_sync_to_async(function)(**kwargs)
    except (Http404, PermissionDenied, ValidationError, RateLimited) as error:
        raise _refusal(error, frame) from error


# --- subscribe ------------------------------------------------------------------


def _chat_state(consumer) -> dict:
    """Per socket: ids already sent from the store per room, typing times,
    the presence heartbeat."""
    state = getattr(consumer, "chat", None)
    if state is None:
        state = consumer.chat = {"sent": {}, "typing": {}, "heartbeat": None}
    return state


def _open_room(user, room_id: int) -> Room:
    perms.forget_memberships(user)
    room = services.get_room(user, room_id)
    if not perms.can_subscribe_room(user, room):
        raise PermissionDenied(_("Dieser Raum ist archiviert."))
    return room


def _backlog(room_id: int, after: int, upto: int):
    """Stored messages of the room after ``after`` up to ``upto``, in batches."""
    while True:
        batch = list(
            Message.objects.filter(room_id=room_id, pk__gt=after, pk__lte=upto)
            .select_related("author__organisation")
            .prefetch_related("mentions")
            .order_by("pk")[:BACKLOG_BATCH]
        )
        for message in batch:
            message.mention_ids = [user.pk for user in message.mentions.all()]
        yield [services.message_frame(message) for message in batch]
        if len(batch) < BACKLOG_BATCH:
            return
        after = batch[-1].pk


def _newest_id(room_id: int) -> int:
    return (
        Room.objects.filter(pk=room_id)
        .values_list("last_message_id", flat=True)
        .first()
        or 0
    )


async def subscribe(consumer, frame: dict) -> None:
    room_id = _room_id(frame)
    after = None
    if frame.get("after") is not None:
        after = id_field(frame, "after", minimum=0)
        if after is None:
            raise FrameError(
                "invalid_after",
                _("Im Feld „after“ erwarten wir die Nummer einer Nachricht."),
            )
    await _call(_open_room, frame, user=consumer.user, room_id=room_id)
    try:
        await consumer.subscribe(KIND, str(room_id), services.room_group(room_id))
    except FrameError as error:
        raise FrameError("not_found", _("Diesen Chatraum gibt es nicht.")) from error
    state = _chat_state(consumer)
    sent = state["sent"][room_id] = set()
    # In the group first, then the store: nothing falls between the two.
    upto = await database_sync_to_async(_newest_id)(room_id)
    last_id = after or 0
    if after is not None:
        batches = _backlog(room_id, after, upto)
        while True:
            frames = await database_sync_to_async(next)(batches, None)
            if frames is None:
                break
            for message in frames:
                sent.add(message["id"])
                await consumer.send_json(message)
            if frames:
                last_id = frames[-1]["id"]
    await consumer.send_json(
        {"type": "subscribed", "room": room_id, "last_id": max(last_id, upto)}
    )
    online = await sync_to_async(PRESENCE.join, thread_sensitive=False)(
        room_id, consumer.channel_name, consumer.user
    )
    # The newcomer hears the list at once, the others a moment later.
    await consumer.send_json(_presence_frame(room_id, online))
    _announce_presence(consumer, room_id)
    if state["heartbeat"] is None:
        state["heartbeat"] = asyncio.ensure_future(_heartbeat(consumer))


def keep_frame(consumer, frame: dict) -> bool:
    """A message sent from the store on subscribe is not sent again live."""
    if frame.get("type") != "message":
        return True
    sent = getattr(consumer, "chat", {"sent": {}})["sent"].get(frame.get("room"))
    return not sent or frame.get("id") not in sent


def _presence_frame(room_id: int, online: list[dict]) -> dict:
    """``online`` and ``people``: the first ``PRESENCE_LISTED`` people by
    name; ``count``: everyone online."""
    listed = online[:PRESENCE_LISTED]
    return {
        "type": "presence",
        "room": room_id,
        "online": [person["id"] for person in listed],
        "people": listed,
        "count": len(online),
    }


# Rooms whose presence is about to be announced, per event loop (a server
# process has one; the tests start one per test).
_announcing: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, set]" = (
    weakref.WeakKeyDictionary()
)
# How many were online at a room's last announcement, per event loop.
_room_sizes: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict]" = (
    weakref.WeakKeyDictionary()
)


def _announce_presence(consumer, room_id: int) -> None:
    """Tell the room who is online, once per ``PRESENCE_EVERY_SECONDS`` at
    most (a big room: ``PRESENCE_BIG_ROOM_EVERY_SECONDS``): when hundreds
    join at once (a restart, a meeting), they get one list, not one per
    newcomer."""
    loop = asyncio.get_running_loop()
    pending = _announcing.setdefault(loop, set())
    if room_id in pending:
        return
    pending.add(room_id)
    layer = consumer.channel_layer
    sizes = _room_sizes.setdefault(loop, {})
    big = sizes.get(room_id, 0) > PRESENCE_LISTED

    async def announce():
        try:
            await asyncio.sleep(
                PRESENCE_BIG_ROOM_EVERY_SECONDS if big else PRESENCE_EVERY_SECONDS
            )
            pending.discard(room_id)
            online = await sync_to_async(PRESENCE.people, thread_sensitive=False)(
                room_id
            )
            sizes[room_id] = len(online)
            await layer.group_send(
                services.room_group(room_id),
                {"type": "client.frame", "frame": _presence_frame(room_id, online)},
            )
        except Exception:
            pending.discard(room_id)
            logger.warning("presence of room %s not announced", room_id, exc_info=True)

    asyncio.ensure_future(announce())


async def _heartbeat(consumer) -> None:
    """Renew this socket's presence in its rooms while it is open."""
    try:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            for kind, key in list(consumer.subscriptions):
                if kind != KIND:
                    continue
                changed = await sync_to_async(PRESENCE.renew, thread_sensitive=False)(
                    int(key), consumer.channel_name, consumer.user
                )
                if changed:
                    _announce_presence(consumer, int(key))
    except asyncio.CancelledError:
        pass
    except Exception:
        logger.exception("chat presence heartbeat stopped")


async def _leave(consumer, room_id: int) -> None:
    await consumer.unsubscribe(KIND, str(room_id))
    _chat_state(consumer)["sent"].pop(room_id, None)
    try:
        await sync_to_async(PRESENCE.leave, thread_sensitive=False)(
            room_id, consumer.channel_name
        )
        _announce_presence(consumer, room_id)
    except Exception:
        logger.exception("chat presence of room %s not updated", room_id)


async def unsubscribe(consumer, frame: dict) -> None:
    room_id = _room_id(frame)
    await _leave(consumer, room_id)
    await consumer.send_json({"type": "unsubscribed", "room": room_id})


async def forget_socket(consumer) -> None:
    state = getattr(consumer, "chat", None)
    if state and state["heartbeat"] is not None:
        state["heartbeat"].cancel()
    for kind, key in list(getattr(consumer, "subscriptions", {})):
        if kind == KIND:
            await _leave(consumer, int(key))


# --- messages -------------------------------------------------------------------


def _send(user, room_id: int, body: str, client_id) -> tuple[dict, dict | None]:
    """Store the message; its ``ack`` and, if it is new, its ``message`` frame."""
    room = services.get_room(user, room_id)
    message, created = services.message_send(
        author=user,
        room=room,
        body=body,
        client_id=client_id,
        broadcast=False,
        limit_rate=True,
    )
    ack = {
        "type": "ack",
        "client_id": str(message.client_id),
        "id": message.pk,
        "room": room_id,
    }
    return ack, services.message_frame(message) if created else None


async def send(consumer, frame: dict) -> None:
    room_id = _room_id(frame)
    client_id = _client_id_of(frame)
    if client_id is None:
        raise FrameError(
            "invalid_client_id", _("Bitte geben Sie als „client_id“ eine UUID an.")
        )
    body = _text(frame, "body")
    ack, message = await _call(
        _send,
        frame,
        user=consumer.user,
        room_id=room_id,
        body=body,
        client_id=client_id,
    )
    # The service returned: the message is committed. The sender hears
    # first, then the room (the sender's own tabs included).
    await consumer.send_json(ack)
    if message is not None:
        try:
            await consumer.channel_layer.group_send(
                services.room_group(room_id), {"type": "client.frame", "frame": message}
            )
        except Exception:
            # Stored and acknowledged; the others get it when they subscribe
            # again with their last id (the socket reports the layer down).
            logger.warning("chat message %s not broadcast", ack["id"], exc_info=True)


def _message_id(frame: dict) -> int:
    message_id = id_field(frame, "id")
    if message_id is None:
        raise FrameError(
            "invalid_id",
            _("Bitte geben Sie im Feld „id“ die Nummer einer Nachricht an."),
        )
    return message_id


def _edit(user, message_id: int, body: str) -> None:
    message = services.get_message(user, message_id)
    services.message_edit(editor=user, message=message, body=body)


def _delete(user, message_id: int) -> None:
    message = services.get_message(user, message_id)
    services.message_delete(actor=user, message=message)


async def edit(consumer, frame: dict) -> None:
    message_id = _message_id(frame)
    body = _text(frame, "body")
    await _call(_edit, frame, user=consumer.user, message_id=message_id, body=body)


async def delete(consumer, frame: dict) -> None:
    await _call(_delete, frame, user=consumer.user, message_id=_message_id(frame))


# --- typing and read markers ------------------------------------------------------


async def typing(consumer, frame: dict) -> None:
    room_id = _room_id(frame)
    if (KIND, str(room_id)) not in consumer.subscriptions:
        raise FrameError(
            "not_subscribed",
            _("Bitte abonnieren Sie den Raum zuerst („subscribe“)."),
        )
    state = _chat_state(consumer)
    now = asyncio.get_running_loop().time()
    if now - state["typing"].get(room_id, -TYPING_EVERY_SECONDS) < TYPING_EVERY_SECONDS:
        return  # said recently: the others still show it
    state["typing"][room_id] = now
    await consumer.channel_layer.group_send(
        services.room_group(room_id),
        {
            "type": "client.frame",
            "frame": {
                "type": "typing",
                "room": room_id,
                "user": {
                    "id": consumer.user.pk,
                    "display_name": consumer.user.display_name,
                },
            },
        },
    )


def _read(user, room_id: int, last_id) -> None:
    room = services.get_room(user, room_id)
    services.room_mark_read(user=user, room=room, last_id=last_id)


async def read(consumer, frame: dict) -> None:
    room_id = _room_id(frame)
    last_id = id_field(frame, "last_id", minimum=0)
    if last_id is None:
        raise FrameError(
            "invalid_last_id",
            _("Bitte geben Sie im Feld „last_id“ die Nummer einer Nachricht an."),
        )
    await _call(_read, frame, user=consumer.user, room_id=room_id, last_id=last_id)


def register() -> None:
    """Called from ``ChatConfig.ready``."""
    register_subscription_kind(KIND, may_subscribe)
    register_frame_handler("subscribe", subscribe)
    register_frame_handler("unsubscribe", unsubscribe)
    register_frame_handler("send", send)
    register_frame_handler("edit", edit)
    register_frame_handler("delete", delete)
    register_frame_handler("typing", typing)
    register_frame_handler("read", read)
    register_disconnect_handler(forget_socket)
    register_outgoing_filter(keep_frame)
