"""The chat in the browser: the room list, a room with its newest messages
and a form to write (it works without JavaScript: the form posts, the page
shows the message; ``static/js/chat.js`` makes it live over the websocket),
direct conversations, a community's rooms for the moderation, blocking."""

import uuid
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities import permissions as perms
from communities.views.helpers import validation_messages
from communities.views.suggest import (
    MENTION_LIMIT,
    by_name_match,
    mention_candidates,
    mention_results,
    suggest_query,
)
from kommunect.preview import json_endpoint
from kommunect.ratelimit import RateLimited
from kommunect.validation import parse_id
from members.models import User

from . import selectors, services
from .models import MAX_GROUP, MAX_MESSAGE, Block, Message, Room

HISTORY_PAGE = 50


def _room_page(request, room=None, *, status=200, draft="", errors=()):
    rows = selectors.room_rows(request.user, selectors.rooms_for(request.user))
    context = {
        "rooms": [row for row in rows if not row["archived"]],
        "archived_rooms": [row for row in rows if row["archived"]],
        "room": room,
        "max_message": MAX_MESSAGE,
        "draft": draft,
        "draft_errors": list(errors),
        "client_id": uuid.uuid4(),
    }
    if room is not None:
        # The newest messages; or those before ``vor`` ("Ältere Nachrichten"),
        # after ``nach`` ("Neuere Nachrichten") or around ``um`` (a search hit).
        before, after, around = (
            parse_id(request.GET.get(name, "")) for name in ("vor", "nach", "um")
        )
        if around:
            frames, has_older, has_newer = selectors.history_around(
                room, around, limit=HISTORY_PAGE
            )
        elif after:
            frames, has_newer = selectors.history(room, after=after, limit=HISTORY_PAGE)
            has_older = room.messages.filter(pk__lte=after).exists()
        else:
            frames, has_older = selectors.history(
                room, before=before, limit=HISTORY_PAGE
            )
            has_newer = before is not None
        for frame in frames:
            frame["created_at"] = datetime.fromisoformat(frame["created"])
        # Only a page that shows the newest message is live (new messages
        # join it) and marks the room read.
        live = not has_newer
        if live and room.last_message_id and not errors:
            services.room_mark_read(
                user=request.user, room=room, last_id=room.last_message_id
            )
            for row in context["rooms"]:
                if row["id"] == room.pk:
                    row["unread"] = row["mentions"] = 0
        context.update(
            {
                "row": next(
                    (row for row in rows if row["id"] == room.pk),
                    selectors.room_rows(request.user, [room])[0],
                ),
                "chat_messages": frames,
                "older": frames[0]["id"] if has_older and frames else None,
                "newer": frames[-1]["id"] if has_newer and frames else None,
                "paged": not live,
                "target": around,
                "can_post": perms.can_post_in_room(request.user, room),
                "can_manage": not room.is_direct
                and perms.can_manage_rooms(request.user, room.community),
                "moderator": not room.is_direct
                and perms.can_moderate(request.user, room.community),
            }
        )
    return render(request, "chat/room.html", context, status=status)


@login_required
def chat_index(request):
    return _room_page(request)


@login_required
def chat_room(request, room_id):
    return _room_page(request, services.get_room(request.user, room_id))


@login_required
@require_POST
def chat_send(request, room_id):
    """Without JavaScript: the form carries a ``client_id`` made with the
    page, so sending it twice stores the message once."""
    room = services.get_room(request.user, room_id)
    body = request.POST.get("body", "")
    try:
        services.message_send(
            author=request.user,
            room=room,
            body=body,
            client_id=request.POST.get("client_id"),
            limit_rate=True,
        )
    except ValidationError as error:
        return _room_page(
            request, room, status=400, draft=body, errors=validation_messages(error)
        )
    except RateLimited as error:
        return _room_page(request, room, status=429, draft=body, errors=[error.detail])
    except PermissionDenied as error:
        return _room_page(request, room, status=403, draft=body, errors=[str(error)])
    return redirect(reverse("chat:room", args=[room.pk]) + "#ende")


@require_GET
@json_endpoint
def mention_suggest(request, room_id):
    """Up to eight people of the room for ``q`` (the text after "@"): the
    community's members, or the others of a direct conversation."""
    room = services.get_room(request.user, room_id)
    q = suggest_query(request)
    if not q:
        return JsonResponse({"results": []})
    if room.is_direct:
        people = list(
            by_name_match(
                User.objects.filter(chat_rooms__room=room, is_active=True)
                .exclude(pk=request.user.pk)
                .select_related("organisation"),
                q,
            )[:MENTION_LIMIT]
        )
    else:
        people = [
            membership.user
            for membership in mention_candidates(community=room.community, q=q)[
                :MENTION_LIMIT
            ]
        ]
    return mention_results(people)


def _message_for(request, message_id) -> Message:
    return services.get_message(request.user, message_id)


@login_required
@require_http_methods(["GET", "POST"])
def message_edit(request, message_id):
    message = _message_for(request, message_id)
    if not perms.can_edit_message(request.user, message):
        raise PermissionDenied(_("Diese Nachricht können Sie nicht bearbeiten."))
    errors, body = [], message.body
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            services.message_edit(editor=request.user, message=message, body=body)
        except ValidationError as error:
            errors = validation_messages(error)
        else:
            messages.success(request, _("Die Nachricht wurde geändert."))
            return redirect(message.get_absolute_url())
    return render(
        request,
        "chat/message_edit.html",
        {
            "message": message,
            "body": body,
            "errors": errors,
            "max_message": MAX_MESSAGE,
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def message_delete(request, message_id):
    message = _message_for(request, message_id)
    services.message_delete(actor=request.user, message=message)
    messages.success(request, _("Die Nachricht wurde gelöscht."))
    return redirect(message.get_absolute_url())


@login_required
@require_POST
def message_flag(request, message_id):
    message = _message_for(request, message_id)
    try:
        services.message_flag(
            reporter=request.user,
            message=message,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(validation_messages(error)))
    else:
        messages.success(
            request, _("Danke. Die Moderation sieht sich die Nachricht an.")
        )
    return redirect(message.get_absolute_url())


# --- direct conversations -------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def direct_new(request):
    """Start a conversation: find people by name or organisation, tick up to
    19 of them (or come from a profile with ``?mit=<id>``)."""
    errors = []
    if request.method == "POST":
        try:
            room, _created = services.direct_open(
                actor=request.user, user_ids=request.POST.getlist("user_ids")
            )
        except ValidationError as error:
            errors = validation_messages(error)
        except PermissionDenied as error:
            errors = [str(error)]
        else:
            return redirect("chat:room", room.pk)
    query = " ".join(request.GET.get("q", "").split())[:100]
    found = []
    if query:
        found = list(
            User.objects.filter(is_active=True)
            .exclude(pk=request.user.pk)
            .filter(
                Q(display_name__icontains=query)
                | Q(organisation__name__icontains=query)
            )
            .select_related("organisation")
            .order_by("display_name")[:30]
        )
    chosen = [
        user
        for user in User.objects.filter(
            pk__in=[
                parse_id(v)
                for v in request.GET.getlist("mit") + request.POST.getlist("user_ids")
                if parse_id(v)
            ],
            is_active=True,
        ).exclude(pk=request.user.pk)
    ]
    return render(
        request,
        "chat/direct_new.html",
        {
            "query": query,
            "found": [user for user in found if user not in chosen],
            "chosen": chosen,
            "errors": errors,
            "max_group": MAX_GROUP - 1,
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def block(request, user_id):
    other = User.objects.filter(pk=user_id, is_active=True).first()
    if other is None:
        raise Http404(_("Diese Person gibt es nicht."))
    if request.POST.get("block") == "1":
        try:
            services.user_block(user=request.user, blocked=other)
        except ValidationError as error:
            messages.error(request, " ".join(validation_messages(error)))
        else:
            messages.success(
                request,
                _("%(name)s kann Ihnen keine Direktnachrichten mehr senden.")
                % {"name": other.display_name},
            )
    else:
        services.user_unblock(user=request.user, blocked=other)
        messages.success(
            request,
            _("Die Blockierung von %(name)s ist aufgehoben.")
            % {"name": other.display_name},
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("chat:blocks")
    return redirect(target)


@login_required
def blocks(request):
    return render(
        request,
        "chat/blocks.html",
        {
            "blocks": Block.objects.filter(user=request.user)
            .select_related("blocked__organisation")
            .order_by("blocked__display_name")
        },
    )


# --- a community's rooms ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def community_rooms(request, slug):
    community = perms.get_community_for(request.user, slug)
    can_manage = perms.can_manage_rooms(request.user, community)
    errors, form = [], {"name": "", "description": ""}
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("Räume verwaltet die Moderation."))
        action = request.POST.get("action")
        try:
            if action == "create":
                form = {
                    "name": request.POST.get("name", ""),
                    "description": request.POST.get("description", ""),
                }
                room = services.room_create(
                    actor=request.user, community=community, **form
                )
                messages.success(
                    request,
                    _("Der Raum „%(name)s“ ist angelegt.") % {"name": room.name},
                )
            elif action in {"archive", "restore"}:
                room = Room.objects.filter(
                    pk=parse_id(request.POST.get("room", "")) or 0, community=community
                ).first()
                if room is None:
                    raise Http404(_("Diesen Chatraum gibt es nicht."))
                services.room_update(
                    actor=request.user, room=room, archived=action == "archive"
                )
                messages.success(
                    request,
                    _("Der Raum „%(name)s“ ist archiviert.") % {"name": room.name}
                    if action == "archive"
                    else _("Der Raum „%(name)s“ ist wieder offen.")
                    % {"name": room.name},
                )
            else:
                raise ValidationError(_("Unbekannte Aktion."))
        except ValidationError as error:
            errors = validation_messages(error)
        else:
            return redirect("chat:community_rooms", community.slug)
    may_chat = perms.can_participate(request.user, community)
    return render(
        request,
        "chat/community_rooms.html",
        {
            "community": community,
            "rooms": Room.objects.filter(
                kind=Room.Kind.COMMUNITY, community=community
            ).order_by("archived_at", "name"),
            "can_manage": can_manage,
            "may_chat": may_chat,
            "errors": errors,
            "form": form,
        },
        status=400 if errors else 200,
    )
