"""``/healthz``: is each backing service reachable? For load balancers and
operators; answers 200 when all are ok, 503 otherwise."""

import asyncio

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
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
    """The configured search backend answers (the database backend is the
    database; an engine is asked)."""
    from search.backends import get_backend

    try:
        get_backend().check()
    except Exception as exc:  # noqa: BLE001
        return f"error: {type(exc).__name__}"
    return "ok"


def _search_backend_name() -> str:
    from search.backends import get_backend

    try:
        return get_backend().name
    except Exception as exc:  # noqa: BLE001 - a wrong SEARCH_URL, reported
        return f"error: {type(exc).__name__}"


def _search_lag() -> float | None:
    """Seconds the oldest change not yet in the index has waited."""
    from search.indexing import lag

    try:
        return round(lag().total_seconds(), 1)
    except Exception:  # noqa: BLE001 - the database is reported above
        return None


@never_cache
@require_GET
def healthz(request):
    result = {
        "database": _check_database(),
        "channel_layer": _check_channel_layer(),
        "search": _check_search(),
    }
    healthy = all(value == "ok" for value in result.values())
    result["search_backend"] = _search_backend_name()
    result["search_index_lag_seconds"] = _search_lag()
    return JsonResponse(result, status=200 if healthy else 503)
