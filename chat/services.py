"""Writes of the chat, each atomic; the websocket hears of them after commit.

``message_send`` is the heart: the message is stored, then (on commit) it
goes out to the room and the sender gets its ``ack``. A ``client_id`` that
was stored before answers with the stored message, so a re-sent message
(the ack was lost) lands once.
"""

import logging
import re
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import permissions as perms
from kommunect.markdown import render_chat_markdown
from kommunect.ratelimit import check_user_rate
from kommunect.realtime import send_to_group, user_group
from kommunect.validation import clean_text, field_error, limit_length, parse_id
from members.models import User

from .models import (
    MAX_GROUP,
    MAX_MESSAGE,
    MAX_ROOM_NAME,
    Block,
    Message,
    MessageFlag,
    Room,
    RoomMember,
)

logger = logging.getLogger(__name__)

DEFAULT_ROOM = "Allgemein"
MAX_FLAG_REASON = 500
# "[@Name](/mitglieder/42/)": what the editor's @-autocomplete inserts.
MENTION = re.compile(r"\[@[^\]\n]{1,120}\]\(/mitglieder/(\d{1,19})/\)")


def room_group(room_id: int) -> str:
    return f"chat.{room_id}"


# --- frames ---------------------------------------------------------------------


def author_of(user) -> dict | None:
    if user is None:
        return None
    organisation = user.organisation
    return {
        "id": user.pk,
        "display_name": user.display_name,
        "organisation": {"id": organisation.pk, "name": organisation.name}
        if organisation
        else None,
    }


def message_frame(message: Message) -> dict:
    """A message as the websocket and the API send it; a deleted one keeps
    its place without its text."""
    deleted = message.deleted_at is not None
    return {
        "type": "message",
        "id": message.pk,
        "room": message.room_id,
        "author": author_of(message.author),
        "body": "" if deleted else message.body,
        "body_html": "" if deleted else message.body_html,
        "client_id": str(message.client_id),
        "created": message.created.isoformat(),
        "edited": message.edited.isoformat() if message.edited else None,
        "deleted": deleted,
        "mentions": sorted(getattr(message, "mention_ids", None) or []),
        # A new message names the one before it in the room: a socket that
        # missed frames (a layer that dropped them) sees the gap and fetches.
        **({"prev_id": message.prev_id} if hasattr(message, "prev_id") else {}),
    }


def _send_after_commit(room_id: int, frame: dict) -> None:
    def send():
        try:
            send_to_group(room_group(room_id), frame)
        except Exception:
            # The channel layer is down: the message is stored; clients get it
            # when they subscribe again with the last id they have.
            logger.exception(
                "chat frame %s for room %s not sent", frame["type"], room_id
            )

    transaction.on_commit(send)


# --- checks -----------------------------------------------------------------------


def parse_client_id(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise field_error(
            "client_id",
            _("Bitte geben Sie als „client_id“ eine UUID an."),
            "invalid_client_id",
        ) from None


def _check_post(user, room: Room) -> None:
    perms.check_view_room(user, room)
    if room.archived_at is not None:
        raise PermissionDenied(_("Dieser Raum ist archiviert."))
    if not perms.can_post_in_room(user, room):
        raise PermissionDenied(
            _("Sie können in dieser Unterhaltung keine Nachrichten senden.")
        )


def _mentioned(body: str, room: Room) -> list[int]:
    """People mentioned in ``body`` who may read the room."""
    ids = {int(match) for match in MENTION.findall(body)}
    if not ids:
        return []
    return [
        user.pk
        for user in User.objects.filter(pk__in=ids, is_active=True)
        if perms.can_view_room(user, room)
    ]


# --- messages ------------------------------------------------------------------


def message_send(
    *,
    author,
    room: Room,
    body: str,
    client_id,
    broadcast: bool = True,
    limit_rate: bool = False,
) -> tuple[Message, bool]:
    """Store a message, or find the one stored under the same ``client_id``.

    Returns ``(message, created)``. The room's row is held while the message
    is written, so ids in a room grow in commit order. The room hears of a
    new message on commit; a websocket handler passes ``broadcast=False``
    and sends ``message_frame`` itself once this returned (committed),
    without holding the database thread for it.

    With ``limit_rate`` (the entry points for people: websocket, API, page)
    a new message counts against ``CHAT_SEND_RATE`` (10 in 10 seconds a
    person, however it is sent); a message sent again under a stored
    ``client_id`` (its ack was lost) is not counted: a retry must always get
    its ack."""
    client_uuid = parse_client_id(client_id)
    earlier = (
        Message.objects.select_related("author__organisation")
        .filter(author=author, client_id=client_uuid)
        .first()
    )
    if earlier is not None:
        return _same_message(earlier, room)
    _check_post(author, room)
    if limit_rate:
        check_user_rate(
            author,
            group="chat.send",
            rate=settings.CHAT_SEND_RATE,
            detail=_("Sie senden zu viele Nachrichten. Bitte warten Sie einen Moment."),
        )
    body = clean_text(body, limit=MAX_MESSAGE)
    mention_ids = _mentioned(body, room)
    try:
        with transaction.atomic():
            locked = Room.objects.select_for_update().get(pk=room.pk)
            if locked.archived_at is not None:
                raise PermissionDenied(_("Dieser Raum ist archiviert."))
            previous = locked.last_message_id or 0
            message = Message.objects.create(
                room=locked,
                author=author,
                body=body,
                body_html=render_chat_markdown(body),
                client_id=client_uuid,
            )
            if mention_ids:
                message.mentions.set(mention_ids)
            Room.objects.filter(pk=room.pk).update(
                last_message_id=message.pk, last_message_at=message.created
            )
            # The writer has read what they wrote.
            RoomMember.objects.filter(room=room, user=author).update(
                last_read_id=message.pk
            )
            message.mention_ids = mention_ids
            message.prev_id = previous
            if broadcast:
                _send_after_commit(room.pk, message_frame(message))
    except IntegrityError:
        # The same client_id in a concurrent request won the race.
        earlier = Message.objects.filter(author=author, client_id=client_uuid).first()
        if earlier is None:
            raise
        return _same_message(earlier, room)
    room.last_message_id = message.pk
    return message, True


def _same_message(earlier: Message, room: Room) -> tuple[Message, bool]:
    if earlier.room_id != room.pk:
        raise field_error(
            "client_id",
            _(
                "Diese „client_id“ gehört schon zu einer Nachricht in einem "
                "anderen Raum."
            ),
            "client_id_reused",
        )
    earlier.mention_ids = list(earlier.mentions.values_list("pk", flat=True))
    return earlier, False


def message_edit(*, editor, message: Message, body: str) -> Message:
    perms.check_view_room(editor, message.room)
    if not perms.can_edit_message(editor, message):
        raise PermissionDenied(_("Diese Nachricht können Sie nicht bearbeiten."))
    body = clean_text(body, limit=MAX_MESSAGE)
    mention_ids = _mentioned(body, message.room)
    with transaction.atomic():
        message.body = body
        message.body_html = render_chat_markdown(body)
        message.edited = timezone.now()
        message.save(update_fields=["body", "body_html", "edited"])
        message.mentions.set(mention_ids)
        message.mention_ids = mention_ids
        frame = message_frame(message)
        frame["type"] = "edited"
        _send_after_commit(message.room_id, frame)
    return message


def message_delete(*, actor, message: Message) -> Message:
    """Delete a message: its text is gone, its place in the history stays."""
    perms.check_view_room(actor, message.room)
    if not perms.can_delete_message(actor, message):
        raise PermissionDenied(_("Diese Nachricht können Sie nicht löschen."))
    with transaction.atomic():
        message.deleted_at = timezone.now()
        message.deleted_by = actor
        message.body = ""
        message.body_html = ""
        message.save(update_fields=["deleted_at", "deleted_by", "body", "body_html"])
        message.mentions.clear()
        _send_after_commit(
            message.room_id,
            {"type": "deleted", "id": message.pk, "room": message.room_id},
        )
    return message


def message_flag(*, reporter, message: Message, reason: str = "") -> MessageFlag:
    perms.check_view_room(reporter, message.room)
    if not perms.can_flag_message(reporter, message):
        raise PermissionDenied(_("Diese Nachricht können Sie nicht melden."))
    reason = limit_length(
        " ".join((reason or "").split()),
        field="reason",
        limit=MAX_FLAG_REASON,
        message=_("Die Begründung darf höchstens %(n)d Zeichen lang sein."),
    )
    flag, created = MessageFlag.objects.get_or_create(
        message=message, reporter=reporter, defaults={"reason": reason}
    )
    if not created:
        raise ValidationError(
            _("Sie haben diese Nachricht bereits gemeldet."), code="already_flagged"
        )
    return flag


def get_message(user, message_id) -> Message:
    """A message of a room ``user`` may read, or 404 (unknown and foreign
    messages answer alike)."""
    number = parse_id(message_id)
    message = (
        Message.objects.select_related("room__community", "author__organisation")
        .filter(pk=number or 0)
        .first()
    )
    if message is None or not perms.can_view_room(user, message.room):
        raise Http404(_("Diese Nachricht gibt es nicht."))
    return message


# --- rooms ------------------------------------------------------------------------


def get_room(user, room_id) -> Room:
    """A room ``user`` may read, or 404."""
    number = parse_id(room_id)
    room = (
        Room.objects.select_related("community").filter(pk=number).first()
        if number
        else None
    )
    perms.check_view_room(user, room)
    return room


def _clean_room_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise field_error("name", _("Bitte geben Sie einen Namen ein."), "required")
    return limit_length(
        name,
        field="name",
        limit=MAX_ROOM_NAME,
        message=_("Der Name darf höchstens %(n)d Zeichen lang sein."),
    )


def _clean_description(description: str) -> str:
    return limit_length(
        " ".join((description or "").split()),
        field="description",
        limit=200,
        message=_("Die Beschreibung darf höchstens %(n)d Zeichen lang sein."),
    )


def _check_name_free(community, name: str, room: Room | None = None) -> None:
    taken = Room.objects.filter(kind=Room.Kind.COMMUNITY, community=community).exclude(
        pk=getattr(room, "pk", None)
    )
    if any(
        other.casefold() == name.casefold()
        for other in taken.values_list("name", flat=True)
    ):
        raise field_error(
            "name",
            _("Einen Raum mit diesem Namen gibt es hier schon."),
            "duplicate_name",
        )


@transaction.atomic
def room_create(*, actor, community, name: str, description: str = "") -> Room:
    perms.check_view_community(actor, community)
    if not perms.can_manage_rooms(actor, community):
        raise PermissionDenied(_("Räume legt die Moderation an."))
    name, description = _clean_room_name(name), _clean_description(description)
    _check_name_free(community, name)
    return Room.objects.create(
        kind=Room.Kind.COMMUNITY,
        community=community,
        name=name,
        description=description,
        created_by=actor,
    )


@transaction.atomic
def room_update(
    *, actor, room: Room, name=None, description=None, archived=None
) -> Room:
    """Rename, describe, archive or bring back a community's room. Archiving
    ends every live subscription to it (close code 4403)."""
    perms.check_view_room(actor, room)
    if room.is_direct or not perms.can_manage_rooms(actor, room.community):
        raise PermissionDenied(_("Räume verwaltet die Moderation."))
    fields = []
    if name is not None:
        room.name = _clean_room_name(name)
        _check_name_free(room.community, room.name, room)
        fields.append("name")
    if description is not None:
        room.description = _clean_description(description)
        fields.append("description")
    if archived is not None and archived != room.archived:
        room.archived_at = timezone.now() if archived else None
        fields.append("archived_at")
        if archived:
            transaction.on_commit(lambda: _recheck_subscribers(room.pk), robust=True)
    if fields:
        room.save(update_fields=fields)
    return room


def _recheck_subscribers(room_id: int) -> None:
    async_to_sync(get_channel_layer().group_send)(
        room_group(room_id), {"type": "access.changed"}
    )


def ensure_default_room(community) -> Room:
    room = Room.objects.filter(
        kind=Room.Kind.COMMUNITY, community=community, name=DEFAULT_ROOM
    ).first()
    if room is None:
        room = Room.objects.create(
            kind=Room.Kind.COMMUNITY, community=community, name=DEFAULT_ROOM
        )
    return room


def direct_open(*, actor, user_ids) -> tuple[Room, bool]:
    """The direct conversation of ``actor`` with ``user_ids`` (one person, or
    a group of up to ``MAX_GROUP`` people in all): the existing one, or a new
    one. Returns ``(room, created)``."""
    if not isinstance(user_ids, list | tuple | set) or not user_ids:
        raise field_error(
            "user_ids", _("Bitte wählen Sie mindestens eine Person aus."), "required"
        )
    ids = {parse_id(value) for value in user_ids}
    if None in ids:
        raise field_error(
            "user_ids", _("Bitte geben Sie Personen mit ihrer Nummer an."), "invalid"
        )
    ids.discard(actor.pk)
    if not ids:
        raise field_error(
            "user_ids",
            _("Bitte wählen Sie eine andere Person als sich selbst."),
            "only_self",
        )
    if len(ids) + 1 > MAX_GROUP:
        raise field_error(
            "user_ids",
            _("Eine Gruppe hat höchstens %(n)d Personen.") % {"n": MAX_GROUP},
            "too_many",
        )
    people = {user.pk: user for user in User.objects.filter(pk__in=ids, is_active=True)}
    if set(people) != ids:
        raise field_error("user_ids", _("Diese Person gibt es nicht."), "unknown_user")
    for person in people.values():
        if not perms.can_message_user(actor, person):
            raise PermissionDenied(
                _("%(name)s möchte keine Nachrichten von Ihnen erhalten.")
                % {"name": person.display_name}
            )
        if perms.has_blocked(actor, person):
            raise field_error(
                "user_ids",
                _("Sie haben %(name)s blockiert. Heben Sie die Blockierung zuerst auf.")
                % {"name": person.display_name},
                "blocked_by_you",
            )
    key = "-".join(str(pk) for pk in sorted({*ids, actor.pk}))
    room = Room.objects.filter(direct_key=key).first()
    if room is not None:
        return room, False
    try:
        with transaction.atomic():
            room = Room.objects.create(
                kind=Room.Kind.DIRECT, direct_key=key, created_by=actor
            )
            RoomMember.objects.bulk_create(
                RoomMember(room=room, user_id=pk) for pk in sorted({*ids, actor.pk})
            )
    except IntegrityError:
        return Room.objects.get(direct_key=key), False
    return room, True


def room_title(room: Room, viewer) -> str:
    """A community room's name; a direct conversation is named after the
    other people in it."""
    if not room.is_direct:
        return room.name
    names = sorted(
        (
            member.user.display_name
            for member in room.members.all()
            if member.user_id != getattr(viewer, "pk", None)
        ),
        key=str.casefold,
    )
    return ", ".join(names) or _("Nur Sie")


# --- read markers and unread counts -----------------------------------------------


def ensure_read_markers(user, rooms) -> None:
    """A room seen for the first time starts read up to its newest message:
    what was said before someone joined is history, not news."""
    rooms = list(rooms)
    have = set(
        RoomMember.objects.filter(user=user, room__in=rooms).values_list(
            "room_id", flat=True
        )
    )
    missing = [room for room in rooms if room.pk not in have]
    if missing:
        RoomMember.objects.bulk_create(
            [
                RoomMember(room=room, user=user, last_read_id=room.last_message_id)
                for room in missing
            ],
            ignore_conflicts=True,
        )


def unread_counts(user, room_ids) -> dict[int, tuple[int, int]]:
    """``{room_id: (unread, mentions)}`` for ``user``: messages of others
    after their read marker, in one query."""
    marker = RoomMember.objects.filter(room=OuterRef("room_id"), user=user).values(
        "last_read_id"
    )[:1]
    rows = (
        Message.objects.filter(room_id__in=list(room_ids), deleted_at__isnull=True)
        .exclude(author=user)
        .annotate(marker=Subquery(marker))
        .filter(id__gt=F("marker"))
        .values("room_id")
        .annotate(
            unread=Count("id", distinct=True),
            mentioned=Count("id", filter=Q(mentions=user), distinct=True),
        )
    )
    return {row["room_id"]: (row["unread"], row["mentioned"]) for row in rows}


def unread_total(user) -> dict[str, int]:
    """What the "Chat" link in the header shows: unread messages and
    mentions over every room in ``user``'s list, and how many rooms have
    news. One query."""
    if not getattr(user, "is_authenticated", False):
        return {"unread": 0, "mentions": 0, "rooms": 0}
    rooms = perms.filter_chat_rooms(user, Room.objects.all()).filter(
        archived_at__isnull=True
    )
    totals = (
        Message.objects.filter(
            room__in=rooms.values("pk"),
            room__members__user=user,
            id__gt=F("room__members__last_read_id"),
            deleted_at__isnull=True,
        )
        .exclude(author=user)
        .aggregate(
            unread=Count("id", distinct=True),
            mentions=Count("id", filter=Q(mentions=user), distinct=True),
            rooms=Count("room_id", distinct=True),
        )
    )
    return {key: totals[key] or 0 for key in ("unread", "mentions", "rooms")}


def room_mark_read(*, user, room: Room, last_id) -> tuple[int, int]:
    """Move the read marker forward to ``last_id`` (never back); every tab of
    the user hears the new unread count. Returns ``(unread, mentions)``."""
    perms.check_view_room(user, room)
    number = parse_id(last_id) if last_id not in (0, "0") else 0
    if number is None:
        raise field_error(
            "last_id", _("Bitte geben Sie die Nummer einer Nachricht an."), "invalid"
        )
    number = min(number, room.last_message_id or number)
    with transaction.atomic():
        member, _created = RoomMember.objects.get_or_create(room=room, user=user)
        if number > member.last_read_id:
            RoomMember.objects.filter(pk=member.pk, last_read_id__lt=number).update(
                last_read_id=number
            )
    unread, mentions = unread_counts(user, [room.pk]).get(room.pk, (0, 0))
    frame = {"type": "unread", "room": room.pk, "count": unread, "mentions": mentions}

    def tell():
        try:
            send_to_group(user_group(user.pk), frame)
        except Exception:
            logger.exception("unread count for room %s not sent", room.pk)

    transaction.on_commit(tell)
    return unread, mentions


# --- blocking -------------------------------------------------------------------


def user_block(*, user, blocked) -> Block:
    if blocked is None or blocked.pk == user.pk:
        raise ValidationError(_("Sich selbst kann man nicht blockieren."), code="self")
    block, _created = Block.objects.get_or_create(user=user, blocked=blocked)
    return block


def user_unblock(*, user, blocked) -> None:
    Block.objects.filter(user=user, blocked=blocked).delete()
