"""API: threads and posts (shared/API.md), with the same services, selectors
and permission checks as the pages."""

from datetime import datetime
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from kommunect.api_auth import OPTIONAL_AUTH
from kommunect.schema import Number
from members.api import OrganisationOut, PageParams, paginate

from .. import permissions as perms
from ..views.discussions import check_post_rate, link_attachments
from . import selectors, services
from .models import Post, PostRevision

router = Router(tags=["Diskussionen"])


class AuthorOut(Schema):
    id: int
    display_name: str
    organisation: OrganisationOut | None


class ReactionOut(Schema):
    emoji: str
    count: int
    mine: bool


class AttachmentOut(Schema):
    id: int
    title: str
    url: str
    size: int | None


class PostOut(Schema):
    id: int
    thread: int
    body: str
    body_html: str
    author: AuthorOut | None
    created: datetime
    edited: datetime | None
    deleted: bool
    reply_to: int | None
    reactions: list[ReactionOut]
    attachments: list[AttachmentOut]
    url: str


class PostList(Schema):
    items: list[PostOut]
    count: int
    page: int
    pages: int


class ThreadOut(Schema):
    id: int
    community: str
    title: str
    body: str
    body_html: str
    tags: list[str]
    author: AuthorOut | None
    created: datetime
    last_activity: datetime
    reply_count: int
    pinned: bool
    locked: bool
    solved: bool
    solution_post_id: int | None
    unread: bool | None = None
    watching: bool | None = None
    url: str


class ThreadDetailOut(ThreadOut):
    opening_post: PostOut | None
    posts: PostList


class ThreadList(Schema):
    items: list[ThreadOut]
    count: int
    page: int
    pages: int


class ThreadFilter(PageParams):
    sort: str = Field("activity", pattern="^(activity|new|unanswered|solved)$")
    tag: str = Field("", max_length=50)


class ThreadIn(Schema):
    title: str = Field(..., max_length=10_000)
    body: str = Field(..., max_length=1_000_000)
    tags: list[str] = Field(default_factory=list, max_length=100)
    attachments: list[int] = Field(default_factory=list, max_length=20)
    form_token: UUID | None = None


class ThreadPatchIn(Schema):
    title: str | None = Field(None, max_length=10_000)
    tags: list[str] | None = Field(None, max_length=100)
    pinned: bool | None = None
    locked: bool | None = None


class PostIn(Schema):
    body: str = Field(..., max_length=1_000_000)
    reply_to: Number | None = None
    attachments: list[Number] = Field(default_factory=list, max_length=20)
    form_token: UUID | None = None


class PostPatchIn(Schema):
    body: str = Field(..., max_length=1_000_000)
    reason: str = Field("", max_length=1000)


class PostDeleteIn(Schema):
    reason: str = Field("", max_length=1000)


class ReactionIn(Schema):
    emoji: str = Field(..., max_length=16)


class SolutionIn(Schema):
    post_id: Number | None


class RevisionOut(Schema):
    id: int
    body: str
    body_html: str
    written_at: datetime
    replaced_at: datetime
    replaced_by: int | None = Field(None, alias="replaced_by_id")
    reason: str


class SubscriptionOut(Schema):
    thread: int
    watching: bool


def author_out(user):
    if user is None:
        return None
    return {
        "id": user.pk,
        "display_name": user.display_name,
        "organisation": user.organisation,
    }


def post_out(view, thread) -> dict:
    if not isinstance(view, selectors.PostView):
        view = selectors.decorate_posts([view], AnonymousUser())[0]
    post, reactions = view.post, view.reactions
    deleted = post.deleted is not None
    return {
        "id": post.pk,
        "thread": post.thread_id,
        "body": "" if deleted else post.body,
        "body_html": "" if deleted else post.body_html,
        "author": author_out(post.author),
        "created": post.created,
        "edited": post.edited,
        "deleted": deleted,
        "reply_to": post.reply_to_id,
        "reactions": [
            {"emoji": r.emoji, "count": r.count, "mine": r.mine} for r in reactions
        ],
        "attachments": [
            {
                "id": a.pk,
                "title": a.document.title,
                "url": a.document.url,
                "size": a.document.file_size,
            }
            # A deleted post's files are for its author and the moderators
            # only (permissions.can_view_attachment): not even their names.
            for a in ([] if deleted else post.attachments.all())
        ],
        # The permalink: it opens the page of the thread that shows the post.
        "url": selectors.url_with_id("communities:post", post.pk),
    }


def thread_out(thread, *, unread=None, watching=None) -> dict:
    opening = thread.opening_post
    return {
        "id": thread.pk,
        "community": thread.community.slug,
        "title": thread.title,
        "body": opening.body if opening else "",
        "body_html": opening.body_html if opening else "",
        "tags": thread.tag_names(),
        "author": author_out(thread.author),
        "created": thread.created,
        "last_activity": thread.last_activity,
        "reply_count": thread.reply_count,
        "pinned": thread.pinned,
        "locked": thread.locked,
        "solved": thread.solution_id is not None,
        "solution_post_id": thread.solution_id,
        "unread": unread,
        "watching": watching,
        "url": f"/communities/{thread.community.slug}/diskussionen/{thread.pk}/",
    }


def _thread(request, thread_id: int):
    return perms.get_thread_for(request.user, thread_id)


@router.get(
    "/communities/{slug}/threads",
    response=ThreadList,
    auth=OPTIONAL_AUTH,
    summary="Diskussionen einer Community",
)
def thread_list(request, slug: str, params: Query[ThreadFilter]):
    community = perms.get_community_for(request.user, slug)
    qs = selectors.thread_list(
        user=request.user, community=community, sort=params.sort, tag=params.tag
    ).select_related("opening_post", "author__organisation")
    result = paginate(qs, params)
    for thread in result["items"]:
        thread.community = community
    selectors.mark_unread(result["items"], request.user)
    result["items"] = [
        thread_out(t, unread=t.unread if request.user.is_authenticated else None)
        for t in result["items"]
    ]
    return result


@router.post(
    "/communities/{slug}/threads",
    response={201: ThreadOut},
    summary="Diskussion eröffnen",
)
def thread_create(request, slug: str, payload: ThreadIn):
    community = perms.get_community_for(request.user, slug)
    perms.check_participate(request.user, community)
    check_post_rate(request)
    # One transaction: attachments that cannot be linked leave no thread behind.
    with transaction.atomic():
        thread = services.thread_create(
            author=request.user,
            community=community,
            title=payload.title,
            body=payload.body,
            tags=payload.tags,
            form_token=payload.form_token,
        )
        link_attachments(request.user, thread.opening_post, payload.attachments)
    return Status(201, thread_out(thread, unread=False, watching=True))


@router.get(
    "/threads/{thread_id}",
    response=ThreadDetailOut,
    auth=OPTIONAL_AUTH,
    summary="Eine Diskussion mit ihren Beiträgen",
)
def thread_detail(request, thread_id: int, params: Query[PageParams]):
    thread = _thread(request, thread_id)
    user = request.user
    count = selectors.replies(thread).count()
    start = (params.page - 1) * params.page_size
    rows = list(
        selectors.replies(thread)
        .select_related("author__organisation")
        .prefetch_related("attachments__document")
        .order_by("created", "pk")[start : start + params.page_size]
    )
    opening = (
        Post.objects.filter(pk=thread.opening_post_id)
        .select_related("author__organisation")
        .prefetch_related("attachments__document")
        .first()
    )
    for post in rows + ([opening] if opening else []):
        post.thread = thread
    views = selectors.decorate_posts(rows + ([opening] if opening else []), user)
    by_pk = {v.pk: v for v in views}
    if views:
        services.thread_mark_read(
            user=user, thread=thread, post_id=max(v.pk for v in views)
        )
    data = thread_out(
        thread,
        unread=False if user.is_authenticated else None,
        watching=selectors.watching(thread, user) if user.is_authenticated else None,
    )
    data["opening_post"] = post_out(by_pk[opening.pk], thread) if opening else None
    data["posts"] = {
        "items": [post_out(by_pk[p.pk], thread) for p in rows],
        "count": count,
        "page": params.page,
        "pages": max(1, -(-count // params.page_size)),
    }
    return data


@router.patch("/threads/{thread_id}", response=ThreadOut, summary="Diskussion ändern")
def thread_patch(request, thread_id: int, payload: ThreadPatchIn):
    thread = _thread(request, thread_id)
    # All or nothing: a refused pin must not leave the new title saved.
    with transaction.atomic():
        if payload.title is not None or payload.tags is not None:
            services.thread_update(
                actor=request.user,
                thread=thread,
                title=payload.title,
                tags=payload.tags,
            )
        if payload.pinned is not None or payload.locked is not None:
            services.thread_moderate(
                actor=request.user,
                thread=thread,
                pinned=payload.pinned,
                locked=payload.locked,
            )
    return thread_out(_thread(request, thread_id))


@router.post("/threads/{thread_id}/posts", response={201: PostOut}, summary="Antworten")
def post_create(request, thread_id: int, payload: PostIn):
    thread = _thread(request, thread_id)
    reply_to = _post_in_field(
        request, payload.reply_to, "reply_to", _("Diesen Beitrag gibt es nicht.")
    )
    check_post_rate(request)
    # One transaction: attachments that cannot be linked leave no post behind.
    with transaction.atomic():
        post = services.post_create(
            author=request.user,
            thread=thread,
            body=payload.body,
            reply_to=reply_to,
            form_token=payload.form_token,
        )
        link_attachments(request.user, post, payload.attachments)
    return Status(201, post_out(post, thread))


def _post_in_field(request, post_id: int | None, field: str, message: str):
    """The post a field of the request names, or None; one the caller may not
    see is a 400 naming the field (the thread itself exists)."""
    if post_id is None:
        return None
    try:
        return perms.get_post_for(request.user, post_id)
    except Http404:
        raise ValidationError({field: message}) from None


def _post(request, post_id: int):
    return perms.get_post_for(request.user, post_id)


@router.patch("/posts/{post_id}", response=PostOut, summary="Beitrag bearbeiten")
def post_patch(request, post_id: int, payload: PostPatchIn):
    post = services.post_edit(
        editor=request.user,
        post=_post(request, post_id),
        body=payload.body,
        reason=payload.reason,
    )
    return post_out(post, post.thread)


@router.delete("/posts/{post_id}", response=PostOut, summary="Beitrag löschen")
def post_delete(request, post_id: int, payload: PostDeleteIn | None = None):
    post = services.post_delete(
        actor=request.user,
        post=_post(request, post_id),
        reason=payload.reason if payload else "",
    )
    return post_out(post, post.thread)


@router.get(
    "/posts/{post_id}/history",
    response=list[RevisionOut],
    summary="Frühere Fassungen eines Beitrags",
)
def post_history(request, post_id: int):
    post = _post(request, post_id)
    if not perms.can_view_post_history(request.user, post):
        raise PermissionDenied(
            _("Frühere Fassungen sehen die verfassende Person und die Moderation.")
        )
    return list(PostRevision.objects.filter(post=post))


@router.post(
    "/posts/{post_id}/reactions",
    response={201: list[ReactionOut]},
    summary="Reagieren",
)
def reaction_add(request, post_id: int, payload: ReactionIn):
    post = _post(request, post_id)
    services.reaction_add(user=request.user, post=post, emoji=payload.emoji)
    return Status(201, _reactions(post, request.user))


@router.delete(
    "/posts/{post_id}/reactions",
    response=list[ReactionOut],
    summary="Reaktion zurücknehmen",
)
def reaction_remove(request, post_id: int, payload: ReactionIn):
    post = _post(request, post_id)
    services.reaction_remove(user=request.user, post=post, emoji=payload.emoji)
    return _reactions(post, request.user)


def _reactions(post, user):
    view = selectors.decorate_posts([post], user)[0]
    return [
        {"emoji": r.emoji, "count": r.count, "mine": r.mine} for r in view.reactions
    ]


@router.post(
    "/threads/{thread_id}/solution", response=ThreadOut, summary="Lösung markieren"
)
def thread_solution(request, thread_id: int, payload: SolutionIn):
    thread = _thread(request, thread_id)
    post = _post_in_field(
        request,
        payload.post_id,
        "post_id",
        _("Als Lösung taugt nur eine Antwort dieser Diskussion."),
    )
    services.thread_set_solution(actor=request.user, thread=thread, post=post)
    return thread_out(_thread(request, thread_id))


@router.post(
    "/threads/{thread_id}/subscription",
    response=SubscriptionOut,
    summary="Diskussion beobachten",
)
def thread_subscribe(request, thread_id: int):
    thread = _thread(request, thread_id)
    services.thread_watch(user=request.user, thread=thread, watch=True)
    return {"thread": thread.pk, "watching": True}


@router.delete(
    "/threads/{thread_id}/subscription",
    response=SubscriptionOut,
    summary="Nicht mehr beobachten",
)
def thread_unsubscribe(request, thread_id: int):
    thread = _thread(request, thread_id)
    services.thread_watch(user=request.user, thread=thread, watch=False)
    return {"thread": thread.pk, "watching": False}
