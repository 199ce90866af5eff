"""Who is editing a wiki page right now, over the websocket ``/ws/``.

The edit page sends ``edit_wiki`` with the page's id; once the permission
module allows the user to edit it, the socket joins the page's group and is
counted as an editor. Everyone in the group then gets
``{"type": "wiki_editors", "page": id, "editors": [{"id", "display_name"}]}``
(one entry per person, however many tabs they have open; each client leaves
itself out when it shows the list). ``stop_editing`` and a closed socket
take the editor off the list again.

Several server processes share the list, so it lives in the Django cache
(Redis in production), one key per page (``kommunect.presence``). The client
sends ``editing`` every ``HEARTBEAT_SECONDS``; an entry not refreshed for
``EXPIRY_SECONDS`` (its process crashed, its socket never said goodbye) is
dropped the next time anyone reads or writes the list, so there are no
ghosts for long.

Whether a socket may stay is re-checked by the consumer after every
membership change (kind ``wiki_edit``: the user may edit the page); a page
protected or deleted meanwhile is re-checked after
``notify_editors_of_pages``.
"""

import logging

from asgiref.sync import async_to_sync, sync_to_async
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.utils.translation import gettext as _

from kommunect.presence import PresenceList
from kommunect.realtime import (
    FrameError,
    id_field,
    register_disconnect_handler,
    register_frame_handler,
    register_subscription_kind,
)

from .. import permissions as perms
from .models import WikiPage

logger = logging.getLogger(__name__)

KIND = "wiki_edit"
# The client says "still editing" this often; an entry lives this long
# after its last sign of life.
HEARTBEAT_SECONDS = 20
EXPIRY_SECONDS = 60
EDITORS = PresenceList(
    "wiki_editors", heartbeat=HEARTBEAT_SECONDS, expiry=EXPIRY_SECONDS
)


def edit_group(page_id: int) -> str:
    return f"wiki.{page_id}"


def may_edit_wiki_page(user, key: str) -> bool:
    """The subscription check: the page exists and ``user`` may edit it."""
    page = WikiPage.objects.filter(pk=int(key)).first()
    return (
        page is not None
        and perms.can_view_wiki_page(user, page)
        and perms.can_edit_wiki_page(user, page)
    )


# --- the list of editors, in the cache (kommunect.presence) ------------------

_join = sync_to_async(EDITORS.join, thread_sensitive=False)
_refresh = sync_to_async(EDITORS.refresh, thread_sensitive=False)
_leave = sync_to_async(EDITORS.leave, thread_sensitive=False)


def current_editors(page_id: int) -> list[dict]:
    """Who is editing the page now (for a page rendered with the list)."""
    return EDITORS.people(page_id)


# --- frames ------------------------------------------------------------------


def _page_id(frame: dict) -> int:
    number = id_field(frame, "page")
    if number is None:
        raise FrameError(
            "invalid_page",
            _("Bitte geben Sie im Feld „page“ die Nummer einer Wiki-Seite an."),
        )
    return number


@database_sync_to_async
def _edit_access(user, page_id: int) -> str:
    """Either ``ok``, ``not_found`` (also for pages the user may not see) or
    ``forbidden``."""
    perms.forget_memberships(user)
    page = WikiPage.objects.filter(pk=page_id).first()
    if page is None or not perms.can_view_wiki_page(user, page):
        return "not_found"
    if not perms.can_edit_wiki_page(user, page):
        return "forbidden"
    return "ok"


def _not_found() -> FrameError:
    # Unknown and invisible pages answer alike: a private one does not leak.
    return FrameError("not_found", _("Diese Wiki-Seite gibt es nicht."))


def _editors_frame(page_id: int, editors: list[dict]) -> dict:
    return {"type": "wiki_editors", "page": page_id, "editors": editors}


async def _broadcast(consumer, page_id: int, editors: list[dict]) -> None:
    await consumer.channel_layer.group_send(
        edit_group(page_id),
        {"type": "client.frame", "frame": _editors_frame(page_id, editors)},
    )


async def edit_wiki(consumer, frame: dict) -> None:
    page_id = _page_id(frame)
    access = await _edit_access(consumer.user, page_id)
    if access == "not_found":
        raise _not_found()
    if access == "forbidden":
        raise FrameError("forbidden", _("Diese Seite dürfen Sie nicht bearbeiten."))
    try:
        await consumer.subscribe(KIND, str(page_id), edit_group(page_id))
    except FrameError as exc:
        raise _not_found() from exc
    editors = await _join(page_id, consumer.channel_name, consumer.user)
    # Everyone in the group, the new editor included, gets the new list.
    await _broadcast(consumer, page_id, editors)


async def editing(consumer, frame: dict) -> None:
    """The heartbeat: the socket still has the page open in the editor."""
    page_id = _page_id(frame)
    if (KIND, str(page_id)) not in consumer.subscriptions:
        raise FrameError(
            "not_editing",
            _(
                "Sie haben diese Seite nicht zum Bearbeiten geöffnet. "
                "Bitte senden Sie zuerst „edit_wiki“."
            ),
        )
    editors, changed = await _refresh(page_id, consumer.channel_name, consumer.user)
    if changed:
        await _broadcast(consumer, page_id, editors)
    else:
        # Nothing new; the sender gets the list all the same, which mends a
        # list that arrived out of order from another process.
        await consumer.send_json(_editors_frame(page_id, editors))


async def _stop(consumer, page_id: int) -> None:
    # Out of the group first: the list without this socket goes to the others.
    await consumer.unsubscribe(KIND, str(page_id))
    editors = await _leave(page_id, consumer.channel_name)
    await _broadcast(consumer, page_id, editors)


async def stop_editing(consumer, frame: dict) -> None:
    page_id = _page_id(frame)
    await _stop(consumer, page_id)
    await consumer.send_json({"type": "stopped_editing", "page": page_id})


async def forget_socket(consumer) -> None:
    """A closed socket edits nothing any more."""
    for kind, key in list(getattr(consumer, "subscriptions", {})):
        if kind == KIND:
            await _stop(consumer, int(key))


def register() -> None:
    """Called from ``CommunitiesConfig.ready``."""
    register_subscription_kind(KIND, may_edit_wiki_page)
    register_frame_handler("edit_wiki", edit_wiki)
    register_frame_handler("editing", editing)
    register_frame_handler("stop_editing", stop_editing)
    register_disconnect_handler(forget_socket)


def notify_editors_of_pages(page_ids) -> None:
    """After pages were protected or deleted: every socket editing one of them
    checks again whether it may (and closes with 4403 if not). Call it after
    the change has committed; it never breaks the request."""
    try:
        layer = get_channel_layer()
        for page_id in set(page_ids):
            async_to_sync(layer.group_send)(
                edit_group(page_id), {"type": "access.changed"}
            )
    except Exception:
        logger.exception("websocket access check for wiki pages %s not sent", page_ids)
