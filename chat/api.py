"""API: chat rooms, direct conversations and messages (shared/API.md), with
the services and permission checks of the websocket.

Messages can be sent over HTTP too (``POST /chat/rooms/{id}/messages``, an
extension for clients without a websocket): the same ``client_id`` rules,
the same rate limit. History pages backwards with ``before`` and forwards
with ``after``; ``has_more`` says whether there is more in that direction.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from communities import permissions as perms
from kommunect.schema import Number
from members.models import User

from . import selectors, services
from .models import MAX_MESSAGE, MAX_ROOM_NAME, Block

router = Router(tags=["Chat"])


class OrganisationRef(Schema):
    id: int
    name: str


class AuthorOut(Schema):
    id: int
    display_name: str
    organisation: OrganisationRef | None


class PersonOut(Schema):
    id: int
    display_name: str


class RoomOut(Schema):
    id: int
    name: str
    kind: str
    community: str | None
    description: str
    unread: int
    mentions: int
    archived: bool
    last_message_id: int
    last_message_at: datetime | None
    people: list[PersonOut]
    url: str


class MessageOut(Schema):
    id: int
    room: int
    author: AuthorOut | None
    body: str
    body_html: str
    client_id: str
    created: datetime
    edited: datetime | None
    deleted: bool
    mentions: list[int]


class MessagePage(Schema):
    items: list[MessageOut]
    has_more: bool


class HistoryParams(Schema):
    before: int | None = Field(None, ge=1)
    after: int | None = Field(None, ge=0)
    limit: int = Field(50, ge=1, le=200)


class DirectIn(Schema):
    user_ids: list[Number] = Field(..., min_length=1, max_length=50)


class MessageIn(Schema):
    body: str = Field(..., max_length=MAX_MESSAGE * 2)
    client_id: str = Field(..., max_length=100)


class MessagePatchIn(Schema):
    body: str = Field(..., max_length=MAX_MESSAGE * 2)


class ReadIn(Schema):
    last_id: Number = Field(..., ge=0)


class UnreadOut(Schema):
    room: int
    unread: int
    mentions: int


class UnreadTotalOut(Schema):
    unread: int
    mentions: int
    rooms: int


class FlagIn(Schema):
    reason: str = Field("", max_length=2_000)


class FlagOut(Schema):
    message: int
    flagged: bool


class RoomIn(Schema):
    name: str = Field(..., max_length=MAX_ROOM_NAME * 2)
    description: str = Field("", max_length=1_000)


class RoomPatchIn(Schema):
    name: str | None = Field(None, max_length=MAX_ROOM_NAME * 2)
    description: str | None = Field(None, max_length=1_000)
    archived: bool | None = None


class BlockIn(Schema):
    user_id: Number = Field(..., ge=1)


class BlockOut(Schema):
    user_id: int
    display_name: str
    created: datetime


def _room_out(request, room) -> dict:
    return selectors.room_rows(request.user, [room])[0]


@router.get("/chat/rooms", response=list[RoomOut], summary="Meine Chaträume")
def rooms(request):
    return selectors.room_rows(request.user, selectors.rooms_for(request.user))


@router.get("/chat/unread", response=UnreadTotalOut, summary="Ungelesen insgesamt")
def unread_total(request):
    """Unread messages and mentions over all open rooms of the caller, and
    how many rooms have news (the header badge)."""
    return services.unread_total(request.user)


@router.get("/chat/rooms/{room_id}", response=RoomOut, summary="Ein Chatraum")
def room_detail(request, room_id: int):
    return _room_out(request, services.get_room(request.user, room_id))


@router.post(
    "/chat/direct",
    response={200: RoomOut, 201: RoomOut},
    summary="Direktnachricht oder Gruppe öffnen",
)
def direct(request, payload: DirectIn):
    room, created = services.direct_open(actor=request.user, user_ids=payload.user_ids)
    return Status(201 if created else 200, _room_out(request, room))


@router.get(
    "/chat/rooms/{room_id}/messages",
    response=MessagePage,
    summary="Verlauf eines Raums",
)
def history(request, room_id: int, params: Query[HistoryParams]):
    room = services.get_room(request.user, room_id)
    if params.before is not None and params.after is not None:
        raise ValidationError(
            _("Bitte geben Sie entweder „before“ oder „after“ an, nicht beides.")
        )
    frames, has_more = selectors.history(
        room, before=params.before, after=params.after, limit=params.limit
    )
    return {"items": frames, "has_more": has_more}


@router.post(
    "/chat/rooms/{room_id}/messages",
    response={200: MessageOut, 201: MessageOut},
    summary="Nachricht senden",
)
def send(request, room_id: int, payload: MessageIn):
    room = services.get_room(request.user, room_id)
    message, created = services.message_send(
        author=request.user,
        room=room,
        body=payload.body,
        client_id=payload.client_id,
        limit_rate=True,
    )
    return Status(201 if created else 200, services.message_frame(message))


@router.patch(
    "/chat/messages/{message_id}", response=MessageOut, summary="Nachricht bearbeiten"
)
def edit(request, message_id: int, payload: MessagePatchIn):
    message = services.get_message(request.user, message_id)
    message = services.message_edit(
        editor=request.user, message=message, body=payload.body
    )
    return services.message_frame(message)


@router.delete(
    "/chat/messages/{message_id}", response={204: None}, summary="Nachricht löschen"
)
def delete(request, message_id: int):
    message = services.get_message(request.user, message_id)
    services.message_delete(actor=request.user, message=message)
    return Status(204, None)


@router.post(
    "/chat/messages/{message_id}/flag",
    response={201: FlagOut},
    summary="Nachricht der Moderation melden",
)
def flag(request, message_id: int, payload: FlagIn):
    message = services.get_message(request.user, message_id)
    services.message_flag(reporter=request.user, message=message, reason=payload.reason)
    return Status(201, {"message": message.pk, "flagged": True})


@router.post(
    "/chat/rooms/{room_id}/read", response=UnreadOut, summary="Als gelesen markieren"
)
def read(request, room_id: int, payload: ReadIn):
    room = services.get_room(request.user, room_id)
    unread, mentions = services.room_mark_read(
        user=request.user, room=room, last_id=payload.last_id
    )
    return {"room": room.pk, "unread": unread, "mentions": mentions}


@router.post(
    "/communities/{slug}/chat/rooms",
    response={201: RoomOut},
    summary="Chatraum anlegen (Moderation)",
)
def room_create(request, slug: str, payload: RoomIn):
    community = perms.get_community_for(request.user, slug)
    room = services.room_create(
        actor=request.user,
        community=community,
        name=payload.name,
        description=payload.description,
    )
    return Status(201, _room_out(request, room))


@router.patch(
    "/chat/rooms/{room_id}",
    response=RoomOut,
    summary="Chatraum ändern oder archivieren",
)
def room_patch(request, room_id: int, payload: RoomPatchIn):
    room = services.get_room(request.user, room_id)
    with transaction.atomic():
        room = services.room_update(
            actor=request.user,
            room=room,
            name=payload.name,
            description=payload.description,
            archived=payload.archived,
        )
    return _room_out(request, room)


@router.get("/chat/blocks", response=list[BlockOut], summary="Blockierte Personen")
def blocks(request):
    return [
        {
            "user_id": block.blocked_id,
            "display_name": block.blocked.display_name,
            "created": block.created,
        }
        for block in Block.objects.filter(user=request.user)
        .select_related("blocked")
        .order_by("blocked__display_name")
    ]


@router.post("/chat/blocks", response={201: BlockOut}, summary="Person blockieren")
def block(request, payload: BlockIn):
    blocked = User.objects.filter(pk=payload.user_id, is_active=True).first()
    if blocked is None:
        raise Http404(_("Diese Person gibt es nicht."))
    item = services.user_block(user=request.user, blocked=blocked)
    return Status(
        201,
        {
            "user_id": blocked.pk,
            "display_name": blocked.display_name,
            "created": item.created,
        },
    )


@router.delete(
    "/chat/blocks/{user_id}", response={204: None}, summary="Blockierung aufheben"
)
def unblock(request, user_id: int):
    blocked = User.objects.filter(pk=user_id).first()
    if blocked is not None:
        services.user_unblock(user=request.user, blocked=blocked)
    return Status(204, None)
