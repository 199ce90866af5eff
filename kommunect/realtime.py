"""The one websocket per browser tab: ``/ws/`` (contract: shared/API.md).

Only signed-in users connect. Frames are JSON objects with a ``type``; the
apps that speak over the socket (chat, discussions …) register a handler
for their frame types with ``register_frame_handler``. Every bad frame is
answered with an ``error`` frame in German, and the connection stays open.

Losing access closes the socket at once: each socket listens on its user's
group, the services call ``notify_access_changed`` after every membership
change commits, and the socket then re-checks each of its subscriptions
(kinds registered with ``register_subscription_kind``, checked through the
permission module). If one is no longer allowed, it closes with 4403; the
client reconnects and subscribes again to what it may still see.
"""

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from channels.utils import await_many_dispatch
from django.utils.translation import gettext as _

from .validation import parse_id

logger = logging.getLogger(__name__)

CLOSE_NOT_AUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_TRY_AGAIN_LATER = 1013
# The channel layer is asked this often, this far apart, before the socket
# reports it down.
LAYER_ATTEMPTS = 3
LAYER_RETRY_SECONDS = 0.2
MAX_FRAME_BYTES = 64 * 1024

FrameHandler = Callable[["RealtimeConsumer", dict], Awaitable[None]]
_frame_handlers: dict[str, FrameHandler] = {}


def register_frame_handler(frame_type: str, handler: FrameHandler) -> None:
    """Let an app answer frames of ``frame_type`` (called in ``AppConfig.ready``)."""
    _frame_handlers[frame_type] = handler


# kind → check(user, key) -> bool, run in a thread (it may query the database)
AccessCheck = Callable[[object, str], bool]
_subscription_kinds: dict[str, AccessCheck] = {}


def register_subscription_kind(kind: str, check: AccessCheck) -> None:
    """Let an app offer subscriptions of ``kind`` (a chat room, a thread …);
    ``check`` asks the permission module whether the user may still have it."""
    _subscription_kinds[kind] = check


DisconnectHandler = Callable[["RealtimeConsumer"], Awaitable[None]]
_disconnect_handlers: list[DisconnectHandler] = []


def register_disconnect_handler(handler: DisconnectHandler) -> None:
    """Let an app clean up when a socket closes (called in ``AppConfig.ready``);
    the handler still sees the consumer's ``subscriptions``."""
    if handler not in _disconnect_handlers:
        _disconnect_handlers.append(handler)


# (consumer, frame) -> bool: False drops a frame on its way to the client
OutgoingFilter = Callable[["RealtimeConsumer", dict], bool]
_outgoing_filters: list[OutgoingFilter] = []


def register_outgoing_filter(keep: OutgoingFilter) -> None:
    """Let an app drop group frames a socket has already had (called in
    ``AppConfig.ready``)."""
    if keep not in _outgoing_filters:
        _outgoing_filters.append(keep)


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def notify_access_changed(user_ids) -> None:
    """Tell every open socket of these users to re-check its subscriptions.

    Call it after the change has committed (``transaction.on_commit``)."""
    layer = get_channel_layer()
    for user_id in set(user_ids):
        async_to_sync(layer.group_send)(user_group(user_id), {"type": "access.changed"})


def send_to_group(group: str, frame: dict) -> None:
    """Send ``frame`` as it is to every socket in ``group`` (a subscription's
    group). Call it after the change has committed (``transaction.on_commit``)."""
    layer = get_channel_layer()
    async_to_sync(layer.group_send)(group, {"type": "client.frame", "frame": frame})


def id_field(frame: dict, field: str, *, minimum: int = 1) -> int | None:
    """The integer in ``frame[field]`` (a number or its digits 0–9), or None."""
    value = frame.get(field)
    # bool is an int in Python; ``true`` is not an id.
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    return parse_id(value, minimum=minimum)


class FrameError(Exception):
    """A client frame that cannot be handled; sent back as an ``error`` frame."""

    def __init__(self, code: str, detail: str, client_id: str | None = None):
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.client_id = client_id


class RealtimeConsumer(AsyncJsonWebsocketConsumer):
    """The socket. If the channel layer (Redis) fails, the socket says so
    with an ``error`` frame of code ``degraded`` and closes with 1013 (try
    again later): what was stored is sent again when the client subscribes
    with its last id, and HTTP goes on working meanwhile."""

    layer_down = False

    async def __call__(self, scope, receive, send):
        # AsyncConsumer.__call__ (channels 4), with the channel layer's
        # receive guarded: an error there would end the consumer without a
        # word to the client.
        self.scope = scope
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        self.base_send = send
        sources = [receive]
        if self.channel_layer is not None:
            self.channel_name = await self.channel_layer.new_channel()
            self.channel_receive = self._guarded_channel_receive
            sources.append(self.channel_receive)
        with contextlib.suppress(StopConsumer):
            await await_many_dispatch(sources, self.dispatch)

    async def _guarded_channel_receive(self):
        if self.layer_down:
            await asyncio.Event().wait()  # the socket is closing: nothing more
        for attempt in range(LAYER_ATTEMPTS):
            try:
                return await self.channel_layer.receive(self.channel_name)
            except Exception:
                # A connection of the pool that went stale when Redis
                # restarted fails once; a Redis that is down fails each time.
                logger.warning("channel layer receive failed", exc_info=True)
                if attempt + 1 < LAYER_ATTEMPTS:
                    await asyncio.sleep(LAYER_RETRY_SECONDS)
        self.layer_down = True
        return {"type": "layer.failed"}

    async def _layer_call(self, method, *args):
        """A call to the channel layer, tried again like ``receive``."""
        for attempt in range(LAYER_ATTEMPTS):
            try:
                return await method(*args)
            except Exception:
                if attempt + 1 == LAYER_ATTEMPTS:
                    raise
                await asyncio.sleep(LAYER_RETRY_SECONDS)

    async def report_layer_down(self):
        if getattr(self, "_reported_down", False):
            return
        self._reported_down = True
        await self.send_error(
            "degraded",
            _(
                "Die Live-Verbindung ist gestört. Es geht nichts verloren: "
                "Die Seite verbindet sich gleich neu und holt nach, was fehlt."
            ),
        )
        await self.close(code=CLOSE_TRY_AGAIN_LATER)

    async def layer_failed(self, event):  # dispatched for {"type": "layer.failed"}
        await self.report_layer_down()

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_NOT_AUTHENTICATED)
            return
        self.user = user
        self.subscriptions: dict[tuple[str, str], str] = {}
        try:
            await self._layer_call(
                self.channel_layer.group_add, user_group(user.pk), self.channel_name
            )
        except Exception:
            logger.warning("channel layer group_add failed", exc_info=True)
            self.layer_down = True
            await self.accept()
            await self.report_layer_down()
            return
        await self.accept()

    async def disconnect(self, code):
        user = getattr(self, "user", None)
        if user is None:
            return
        for handler in list(_disconnect_handlers):
            try:
                await handler(self)
            except Exception:
                logger.exception("websocket disconnect handler %r failed", handler)
        groups = {user_group(user.pk), *self.subscriptions.values()}
        for group in groups:
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except Exception:
                # The layer is down; its groups expire on their own.
                logger.warning("channel layer group_discard failed", exc_info=True)
                break

    async def subscribe(self, kind: str, key: str, group: str) -> None:
        """Join ``group`` for a subscription the user may have, or raise."""
        check = _subscription_kinds[kind]
        if not await database_sync_to_async(check)(self.user, key):
            raise FrameError("not_found", _("Nicht gefunden oder kein Zugriff."))
        try:
            await self._layer_call(
                self.channel_layer.group_add, group, self.channel_name
            )
        except Exception as error:
            logger.warning("channel layer group_add failed", exc_info=True)
            self.layer_down = True
            await self.report_layer_down()
            raise FrameError(
                "degraded", _("Die Live-Verbindung ist gestört.")
            ) from error
        self.subscriptions[(kind, key)] = group

    async def unsubscribe(self, kind: str, key: str) -> None:
        group = self.subscriptions.pop((kind, key), None)
        if group and group not in self.subscriptions.values():
            await self.channel_layer.group_discard(group, self.channel_name)

    async def client_frame(self, event):
        frame = event["frame"]
        if all(keep(self, frame) for keep in _outgoing_filters):
            await self.send_json(frame)

    async def access_changed(self, event):
        if not await database_sync_to_async(self._keeps_access)():
            await self.close(code=CLOSE_FORBIDDEN)

    def _keeps_access(self) -> bool:
        from communities.permissions import forget_memberships

        forget_memberships(self.user)
        self.user.refresh_from_db(fields=["is_active"])
        if not self.user.is_active:
            return False
        return all(
            _subscription_kinds[kind](self.user, key)
            for kind, key in list(self.subscriptions)
        )

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if bytes_data is not None:
            await self.send_error(
                "binary_not_supported",
                _("Binäre Nachrichten werden nicht unterstützt."),
            )
            return
        if text_data is None or len(text_data.encode()) > MAX_FRAME_BYTES:
            await self.send_error("frame_too_large", _("Die Nachricht ist zu groß."))
            return
        try:
            frame = json.loads(text_data)
        except ValueError:
            await self.send_error(
                "invalid_json", _("Die Nachricht ist kein gültiges JSON.")
            )
            return
        await self.receive_json(frame)

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self.send_error(
                "invalid_frame", _("Jede Nachricht braucht ein Feld „type“.")
            )
            return
        handler = _frame_handlers.get(content["type"])
        if handler is None:
            await self.send_error(
                "unknown_type",
                _("Unbekannter Nachrichtentyp: %(type)s")
                % {"type": content["type"][:50]},
            )
            return
        try:
            await handler(self, content)
        except FrameError as exc:
            await self.send_error(exc.code, exc.detail, exc.client_id)
        except Exception:
            logger.exception("websocket frame %s failed", content["type"])
            await self.send_error(
                "server_error",
                _(
                    "Die Nachricht konnte nicht verarbeitet werden. Bitte später erneut versuchen."
                ),
                content.get("client_id")
                if isinstance(content.get("client_id"), str)
                else None,
            )

    async def send_error(self, code: str, detail: str, client_id: str | None = None):
        frame = {"type": "error", "code": code, "detail": str(detail)}
        if client_id:
            frame["client_id"] = client_id
        await self.send_json(frame)
