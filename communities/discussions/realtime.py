"""Live posts in a forum thread over the websocket ``/ws/`` (shared/API.md).

A client sends ``watch_thread`` with the thread's id and, once the permission
module allows it, joins the thread's group; the services call the
``broadcast_*`` functions after a post is written, edited or deleted has
committed, and everyone in the group gets the frame. Who may stay in the
group is re-checked by the consumer after every membership change (kind
``thread``), so ``body_html`` goes only to people who may read the thread.

A client that reconnects sends ``after`` (the highest post id it has) and
first gets a ``post`` frame for every reply it missed, as chat rooms do.

A broadcast never breaks the request that caused it: if the channel layer is
unreachable the post is saved all the same and readers see it on reload.
"""

import logging

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.urls import reverse
from django.utils.translation import gettext as _

from kommunect.realtime import (
    FrameError,
    id_field,
    register_frame_handler,
    register_subscription_kind,
    send_to_group,
)

from .. import permissions as perms
from .models import Post, Thread

logger = logging.getLogger(__name__)

KIND = "thread"
# A reconnecting client catches up on at most this many posts; past that the
# ``watching`` frame says ``"more": true`` and the client offers a reload.
MAX_CATCH_UP = 100


def thread_group(thread_id: int) -> str:
    return f"thread.{thread_id}"


def may_watch_thread(user, key: str) -> bool:
    """The subscription check: the thread exists and ``user`` may read it."""
    thread = Thread.objects.select_related("community").filter(pk=int(key)).first()
    return thread is not None and perms.can_view_thread(user, thread)


def post_permalink(post: Post) -> str:
    """The page of the thread that shows the post, scrolled to it."""
    return reverse("communities:post", args=[post.pk])


def post_frame(post: Post) -> dict:
    """A new post as watchers receive it (``author`` is loaded with it)."""
    author = post.author
    return {
        "type": "post",
        "thread": post.thread_id,
        "id": post.pk,
        "author": author and {"id": author.pk, "display_name": author.display_name},
        "body_html": post.body_html,
        "created": post.created.isoformat(),
        "url": post_permalink(post),
    }


def _thread_id(frame: dict) -> int:
    thread_id = id_field(frame, "thread", minimum=1)
    if thread_id is None:
        raise FrameError(
            "invalid_thread",
            _("Bitte geben Sie im Feld „thread“ die Nummer einer Diskussion an."),
        )
    return thread_id


def _after(frame: dict) -> int | None:
    if frame.get("after") is None:
        return None
    after = id_field(frame, "after", minimum=0)
    if after is None:
        raise FrameError(
            "invalid_after",
            _("Im Feld „after“ erwarten wir die Nummer eines Beitrags."),
        )
    return after


@database_sync_to_async
def _posts_after(thread_id: int, after: int) -> tuple[list[dict], bool]:
    posts = list(
        Post.objects.filter(thread_id=thread_id, pk__gt=after, deleted__isnull=True)
        .select_related("author")
        .order_by("pk")[: MAX_CATCH_UP + 1]
    )
    more = len(posts) > MAX_CATCH_UP
    return [post_frame(post) for post in posts[:MAX_CATCH_UP]], more


async def watch_thread(consumer, frame: dict) -> None:
    thread_id, after = _thread_id(frame), _after(frame)
    # The socket may be older than a membership: ask with what is true now.
    perms.forget_memberships(consumer.user)
    try:
        await consumer.subscribe(KIND, str(thread_id), thread_group(thread_id))
    except FrameError as exc:
        # Unknown and invisible threads answer alike: a private one does not leak.
        raise FrameError("not_found", _("Diese Diskussion gibt es nicht.")) from exc
    answer = {"type": "watching", "thread": thread_id}
    if after is not None:
        # Joined first, read second: a post in between arrives twice, never
        # not at all (clients skip ids they have).
        missed, more = await _posts_after(thread_id, after)
        for post in missed:
            await consumer.send_json(post)
        answer["more"] = more
    await consumer.send_json(answer)


async def unwatch_thread(consumer, frame: dict) -> None:
    thread_id = _thread_id(frame)
    await consumer.unsubscribe(KIND, str(thread_id))
    await consumer.send_json({"type": "unwatched", "thread": thread_id})


def register() -> None:
    """Called from ``CommunitiesConfig.ready``."""
    register_subscription_kind(KIND, may_watch_thread)
    register_frame_handler("watch_thread", watch_thread)
    register_frame_handler("unwatch_thread", unwatch_thread)


def notify_watchers_of_community(community_id: int) -> None:
    """After a community's visibility changed: every socket watching one of
    its threads checks again whether it may (and closes with 4403 if not).
    Outsiders are in no membership list, so their sockets are reached through
    the threads' groups. Call it after the change has committed."""
    layer = get_channel_layer()
    thread_ids = Thread.objects.filter(community_id=community_id).values_list(
        "pk", flat=True
    )
    for thread_id in thread_ids.iterator():
        async_to_sync(layer.group_send)(
            thread_group(thread_id), {"type": "access.changed"}
        )


# --- broadcasts (after commit, from the services) -------------------------


def _broadcast(post_id: int, event_type: str, build) -> None:
    try:
        post = Post.objects.select_related("author").filter(pk=post_id).first()
        frame = build(post) if post is not None else None
        if frame is not None:
            send_to_group(thread_group(post.thread_id), frame)
    except Exception:
        # Redis down or the like: the post is saved, readers see it on reload.
        logger.exception("websocket %s for post %s not sent", event_type, post_id)


def broadcast_post(post_id: int) -> None:
    """Tell the watchers of the thread about a new post."""
    _broadcast(post_id, "post", lambda post: None if post.deleted else post_frame(post))


def broadcast_post_edited(post_id: int) -> None:
    """Tell the watchers of the thread that a post has a new text."""

    def build(post):
        return {
            **post_frame(post),
            "type": "post_edited",
            "edited": post.edited and post.edited.isoformat(),
        }

    _broadcast(post_id, "post_edited", build)


def broadcast_post_deleted(post_id: int) -> None:
    """Tell the watchers of the thread that a post was deleted."""
    _broadcast(
        post_id,
        "post_deleted",
        lambda post: {"type": "post_deleted", "thread": post.thread_id, "id": post.pk},
    )
