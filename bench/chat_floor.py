"""The floor of ``bench/chat.py``: a bare Channels consumer that broadcasts
every frame it gets to one group, on the project's channel layer: no
authentication, no permission checks, no storage. Served by daphne as
``bench.chat_floor:application``; not a benchmark itself."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from channels.generic.websocket import AsyncJsonWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

GROUP = "bench.floor"


class FloorConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        await self.channel_layer.group_add(GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(GROUP, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "message":
            await self.channel_layer.group_send(
                GROUP, {"type": "floor.frame", "frame": content}
            )
            # Acknowledged like the project's messages, so that senders go
            # at the pace of the server in both measurements.
            await self.send_json({"type": "ack", "client_id": content["client_id"]})

    async def floor_frame(self, event):
        await self.send_json(event["frame"])


application = ProtocolTypeRouter(
    {"websocket": URLRouter([path("ws/", FloorConsumer.as_asgi())])}
)
