"""The one websocket per browser tab: ``/ws/`` (contract: shared/API.md).

Only signed-in users connect. Frames are JSON objects with a ``type``; the
apps that speak over the socket (chat, discussions …) register a handler
for their frame types with ``register_frame_handler``. Every bad frame is
answered with an ``error`` frame in German, and the connection stays open.
"""

import json
import logging
from collections.abc import Awaitable, Callable

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

CLOSE_NOT_AUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
MAX_FRAME_BYTES = 64 * 1024

FrameHandler = Callable[["RealtimeConsumer", dict], Awaitable[None]]
_frame_handlers: dict[str, FrameHandler] = {}


def register_frame_handler(frame_type: str, handler: FrameHandler) -> None:
    """Let an app answer frames of ``frame_type`` (called in ``AppConfig.ready``)."""
    _frame_handlers[frame_type] = handler


class FrameError(Exception):
    """A client frame that cannot be handled; sent back as an ``error`` frame."""

    def __init__(self, code: str, detail: str, client_id: str | None = None):
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.client_id = client_id


class RealtimeConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_NOT_AUTHENTICATED)
            return
        self.user = user
        await self.accept()

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
