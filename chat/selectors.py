"""Reads of the chat: the room list with unread counts and the history of a
room, each in a fixed number of queries."""

from django.db.models import Prefetch
from django.urls import reverse

from communities import permissions as perms

from . import services
from .models import Message, Room, RoomMember


def rooms_for(user):
    """The rooms in ``user``'s list: open ones first by newest message, then
    archived ones."""
    return list(
        perms.filter_chat_rooms(user, Room.objects.all())
        .select_related("community")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=RoomMember.objects.select_related("user").order_by("pk"),
            )
        )
        .order_by("archived_at", "-last_message_id", "name")
    )


def room_rows(user, rooms) -> list[dict]:
    """Rooms as the API and the pages show them: the viewer's title for a
    direct conversation, unread messages and mentions."""
    rooms = list(rooms)
    services.ensure_read_markers(user, rooms)
    counts = services.unread_counts(user, [room.pk for room in rooms])
    rows = []
    for room in rooms:
        unread, mentions = counts.get(room.pk, (0, 0))
        people = (
            [
                {"id": member.user_id, "display_name": member.user.display_name}
                for member in room.members.all()
                if member.user_id != user.pk
            ]
            if room.is_direct
            else []
        )
        rows.append(
            {
                "id": room.pk,
                "name": services.room_title(room, user),
                "kind": room.kind,
                "community": room.community.slug if room.community_id else None,
                "community_title": room.community.title if room.community_id else "",
                "description": room.description,
                "unread": unread,
                "mentions": mentions,
                "archived": room.archived,
                "last_message_id": room.last_message_id,
                "last_message_at": room.last_message_at,
                "people": people,
                "url": reverse("chat:room", args=[room.pk]),
            }
        )
    return rows


def _messages(room):
    return Message.objects.filter(room=room).select_related("author__organisation")


def _frames(batch) -> list[dict]:
    mentions = {}
    for message_id, user_id in Message.mentions.through.objects.filter(
        message__in=batch
    ).values_list("message_id", "user_id"):
        mentions.setdefault(message_id, []).append(user_id)
    for message in batch:
        message.mention_ids = mentions.get(message.pk, [])
    return [services.message_frame(message) for message in batch]


def history(room, *, before=None, after=None, limit=50) -> tuple[list[dict], bool]:
    """Up to ``limit`` messages of ``room`` in id order: the newest ones, those
    before ``before`` or those after ``after``; and whether there are more in
    that direction."""
    messages = _messages(room)
    if after is not None:
        batch = list(messages.filter(pk__gt=after).order_by("pk")[: limit + 1])
        has_more = len(batch) > limit
        batch = batch[:limit]
    else:
        if before is not None:
            messages = messages.filter(pk__lt=before)
        batch = list(messages.order_by("-pk")[: limit + 1])
        has_more = len(batch) > limit
        batch = batch[:limit][::-1]
    return _frames(batch), has_more


def history_around(room, message_id, *, limit=50) -> tuple[list[dict], bool, bool]:
    """Up to ``limit`` messages of ``room`` in id order around ``message_id``
    (a search hit opens the room there): it and up to half a page after it,
    the rest before it; and whether there are older and newer ones."""
    messages = _messages(room)
    newer = list(messages.filter(pk__gte=message_id).order_by("pk")[: limit // 2 + 1])
    has_newer = len(newer) > limit // 2
    newer = newer[: limit // 2]
    room_for = limit - len(newer)
    older = list(messages.filter(pk__lt=message_id).order_by("-pk")[: room_for + 1])
    has_older = len(older) > room_for
    return _frames(older[:room_for][::-1] + newer), has_older, has_newer
