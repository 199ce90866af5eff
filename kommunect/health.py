"""``/healthz``: is each backing service reachable? For load balancers and
operators; answers 200 when all are ok, 503 otherwise."""

import asyncio
import urllib.request

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return f"error: {type(exc).__name__}"
    return "ok"


def _check_channel_layer() -> str:
    layer = get_channel_layer()
    if layer is None:
        return "error: no channel layer configured"

    async def roundtrip():
        channel = await layer.new_channel("healthz.")
        await layer.send(channel, {"type": "healthz.ping"})
        await layer.receive(channel)

    try:
        async_to_sync(asyncio.wait_for)(roundtrip(), timeout=2)
    except Exception as exc:  # noqa: BLE001
        return f"error: {type(exc).__name__}"
    return "ok"


def _check_search() -> str:
    """The database backend is the database; an engine is asked over HTTP."""
    if not settings.SEARCH_URL:
        return _check_database()
    try:
        with urllib.request.urlopen(settings.SEARCH_URL, timeout=2) as response:
            response.read(1)
    except Exception as exc:  # noqa: BLE001
        return f"error: {type(exc).__name__}"
    return "ok"


@never_cache
@require_GET
def healthz(request):
    result = {
        "database": _check_database(),
        "channel_layer": _check_channel_layer(),
        "search": _check_search(),
    }
    healthy = all(value == "ok" for value in result.values())
    return JsonResponse(result, status=200 if healthy else 503)
