"""Writes of threads and posts: checked through ``communities.permissions``,
atomic, Markdown rendered once through ``kommunect.markdown``."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kommunect.markdown import render_markdown
from kommunect.validation import clean_tags, clean_text, clean_title

from .. import permissions as perms
from ..models import CommunityPage
from . import realtime
from .models import (
    REACTIONS,
    Post,
    PostRevision,
    Reaction,
    Thread,
    ThreadReadState,
    ThreadSubscription,
)
from .selectors import forget_community_tags

MAX_TITLE = 200
MAX_BODY = 50_000
MAX_TAGS = 10
MAX_TAG_LENGTH = 50


def _clean_title(title: str) -> str:
    return clean_title(title, limit=MAX_TITLE)


def _clean_body(body: str) -> str:
    return clean_text(body, limit=MAX_BODY)


def _clean_tags(tags: list[str] | None) -> list[str]:
    return clean_tags(tags, max_tags=MAX_TAGS, max_length=MAX_TAG_LENGTH)


def _watch(thread: Thread, user) -> None:
    ThreadSubscription.objects.get_or_create(thread=thread, user=user)


class DuplicateSubmission(ValidationError):
    """The same form (by its token) was sent again: it was saved the first
    time; ``post`` is what that first submission wrote."""

    def __init__(self, post: Post):
        super().__init__(
            _("Dieser Beitrag wurde bereits gespeichert."), code="duplicate_submission"
        )
        self.post = post


def _check_form_token(author, form_token) -> None:
    if form_token is None:
        return
    earlier = (
        Post.objects.filter(author=author, form_token=form_token)
        .select_related("thread")
        .first()
    )
    if earlier is not None:
        raise DuplicateSubmission(earlier)


def _create_post(**fields) -> Post:
    """Insert a post; a concurrent second submission of the same form token
    loses the race on the unique constraint and is told so."""
    try:
        with transaction.atomic():
            return Post.objects.create(**fields)
    except IntegrityError:
        _check_form_token(fields["author"], fields.get("form_token"))
        raise


@transaction.atomic
def thread_create(
    *,
    author,
    community: CommunityPage,
    title: str,
    body: str,
    tags: list[str] | None = None,
    form_token=None,
) -> Thread:
    """Start a discussion: the thread and its opening post; the author watches it."""
    perms.check_participate(author, community)
    title, body, tags = _clean_title(title), _clean_body(body), _clean_tags(tags)
    _check_form_token(author, form_token)
    now = timezone.now()
    thread = Thread.objects.create(
        community=community, title=title, author=author, last_activity=now
    )
    opening = _create_post(
        thread=thread,
        author=author,
        body=body,
        body_html=render_markdown(body),
        form_token=form_token,
    )
    thread.opening_post = thread.last_post = opening
    thread.save(update_fields=["opening_post", "last_post"])
    thread.tags.set(tags)
    transaction.on_commit(lambda: forget_community_tags(community.pk))
    _watch(thread, author)
    CommunityPage.objects.filter(pk=community.pk).update(last_activity=now)
    return thread


@transaction.atomic
def post_create(
    *,
    author,
    thread: Thread,
    body: str,
    reply_to: Post | None = None,
    form_token=None,
) -> Post:
    """Reply to a thread (optionally to one post of it); the author watches it."""
    thread = (
        Thread.objects.select_for_update().select_related("community").get(pk=thread.pk)
    )
    perms.check_view_community(author, thread.community)
    if thread.locked:
        raise PermissionDenied(
            _("Diese Diskussion ist gesperrt und nimmt keine Antworten an.")
        )
    perms.check_participate(author, thread.community)
    body = _clean_body(body)
    if reply_to is not None and reply_to.thread_id != thread.pk:
        raise ValidationError(
            {"reply_to": _("Dieser Beitrag gehört zu einer anderen Diskussion.")},
            code="other_thread",
        )
    _check_form_token(author, form_token)
    post = _create_post(
        thread=thread,
        author=author,
        body=body,
        body_html=render_markdown(body),
        reply_to=reply_to,
        form_token=form_token,
    )
    now = timezone.now()
    Thread.objects.filter(pk=thread.pk).update(
        reply_count=F("reply_count") + 1, last_activity=now, last_post=post
    )
    CommunityPage.objects.filter(pk=thread.community_id).update(last_activity=now)
    _watch(thread, author)
    transaction.on_commit(lambda: realtime.broadcast_post(post.pk))
    return post


@transaction.atomic
def post_edit(*, editor, post: Post, body: str, reason: str = "") -> Post:
    """Change a post; the earlier text is kept as a revision."""
    post = (
        Post.objects.select_for_update()
        .select_related("thread__community")
        .get(pk=post.pk)
    )
    if not perms.can_edit_post(editor, post):
        perms.check_view_community(editor, post.thread.community)
        raise PermissionDenied(_("Diesen Beitrag dürfen Sie nicht bearbeiten."))
    body = _clean_body(body)
    if body == post.body:
        return post
    PostRevision.objects.create(
        post=post,
        body=post.body,
        body_html=post.body_html,
        written_at=post.edited or post.created,
        replaced_by=editor,
        reason=(reason or "").strip()[:1000],
    )
    post.body, post.body_html, post.edited = body, render_markdown(body), timezone.now()
    if editor.pk != post.author_id:
        post.moderation_reason = (reason or "").strip()[:1000]
    post.save(update_fields=["body", "body_html", "edited", "moderation_reason"])
    transaction.on_commit(lambda: realtime.broadcast_post_edited(post.pk))
    return post


@transaction.atomic
def post_delete(*, actor, post: Post, reason: str = "") -> Post:
    """Soft delete: the post shows as deleted, replies stay readable. The
    opening post is not deleted on its own (the question carries the thread)."""
    post = (
        Post.objects.select_for_update()
        .select_related("thread__community")
        .get(pk=post.pk)
    )
    if not perms.can_delete_post(actor, post):
        perms.check_view_community(actor, post.thread.community)
        raise PermissionDenied(_("Diesen Beitrag dürfen Sie nicht löschen."))
    if post.thread.opening_post_id == post.pk:
        raise ValidationError(
            _("Die Frage einer Diskussion kann nicht einzeln gelöscht werden."),
            code="opening_post",
        )
    post.deleted, post.deleted_by = timezone.now(), actor
    post.moderation_reason = (reason or "").strip()[:1000]
    post.save(update_fields=["deleted", "deleted_by", "moderation_reason"])
    Thread.objects.filter(pk=post.thread_id).update(reply_count=F("reply_count") - 1)
    Thread.objects.filter(pk=post.thread_id, solution=post).update(solution=None)
    transaction.on_commit(lambda: realtime.broadcast_post_deleted(post.pk))
    return post


def normalise_emoji(emoji: str) -> str:
    # Keyboards send the heart with or without its emoji variation selector.
    return {"\u2764": "\u2764\ufe0f"}.get(emoji, emoji)


@transaction.atomic
def reaction_add(*, user, post: Post, emoji: str) -> Reaction:
    emoji = normalise_emoji(emoji)
    if emoji not in REACTIONS:
        raise ValidationError(
            {"emoji": _("Diese Reaktion gibt es nicht.")}, code="invalid_emoji"
        )
    if not perms.can_react(user, post):
        perms.check_view_community(user, post.thread.community)
        raise PermissionDenied(_("Dafür müssen Sie Mitglied dieser Community sein."))
    try:
        with transaction.atomic():
            return Reaction.objects.create(post=post, user=user, emoji=emoji)
    except IntegrityError as exc:
        raise ValidationError(
            _("Sie haben so bereits reagiert."), code="already_reacted"
        ) from exc


@transaction.atomic
def reaction_remove(*, user, post: Post, emoji: str) -> None:
    perms.check_view_community(user, post.thread.community)
    Reaction.objects.filter(post=post, user=user, emoji=normalise_emoji(emoji)).delete()


@transaction.atomic
def thread_set_solution(*, actor, thread: Thread, post: Post | None) -> Thread:
    """Mark a reply as the solution (or clear it): the thread is "Gelöst"."""
    thread = (
        Thread.objects.select_for_update().select_related("community").get(pk=thread.pk)
    )
    if not perms.can_mark_solution(actor, thread):
        perms.check_view_community(actor, thread.community)
        raise PermissionDenied(
            _("Die Lösung markieren die fragende Person oder die Moderation.")
        )
    if post is not None and (
        post.thread_id != thread.pk
        or post.deleted is not None
        or post.pk == thread.opening_post_id
    ):
        raise ValidationError(
            {"post_id": _("Als Lösung taugt nur eine Antwort dieser Diskussion.")},
            code="invalid_solution",
        )
    thread.solution = post
    thread.save(update_fields=["solution"])
    return thread


@transaction.atomic
def thread_update(
    *, actor, thread: Thread, title: str | None = None, tags: list[str] | None = None
) -> Thread:
    """Change the title and tags (the person who asked, moderators)."""
    thread = (
        Thread.objects.select_for_update().select_related("community").get(pk=thread.pk)
    )
    if not perms.can_edit_thread(actor, thread):
        perms.check_view_community(actor, thread.community)
        raise PermissionDenied(_("Diese Diskussion dürfen Sie nicht ändern."))
    if title is not None:
        thread.title = _clean_title(title)
        thread.save(update_fields=["title"])
    if tags is not None:
        thread.tags.set(_clean_tags(tags))
        transaction.on_commit(lambda: forget_community_tags(thread.community_id))
    return thread


@transaction.atomic
def thread_moderate(
    *, actor, thread: Thread, pinned: bool | None = None, locked: bool | None = None
) -> Thread:
    """Pin/unpin, lock/unlock (moderators)."""
    thread = (
        Thread.objects.select_for_update().select_related("community").get(pk=thread.pk)
    )
    if not perms.can_pin_or_lock(actor, thread):
        perms.check_view_community(actor, thread.community)
        raise PermissionDenied(
            _("Das dürfen nur Moderatorinnen und Moderatoren dieser Community.")
        )
    if pinned is not None:
        thread.pinned = pinned
    if locked is not None:
        thread.locked = locked
    thread.save(update_fields=["pinned", "locked"])
    return thread


@transaction.atomic
def thread_watch(*, user, thread: Thread, watch: bool = True) -> None:
    if not perms.can_watch_thread(user, thread):
        perms.check_view_community(user, thread.community)
        raise PermissionDenied(_("Bitte melden Sie sich an."))
    if watch:
        _watch(thread, user)
    else:
        ThreadSubscription.objects.filter(thread=thread, user=user).delete()


def thread_mark_read(*, user, thread: Thread, post_id: int) -> None:
    """Remember that ``user`` has read ``thread`` up to ``post_id`` (never
    backwards: reading an earlier page keeps the later mark)."""
    if not (user and user.is_authenticated) or not post_id:
        return
    moved = ThreadReadState.objects.filter(
        thread=thread, user=user, last_read_post_id__lt=post_id
    ).update(last_read_post_id=post_id, updated=timezone.now())
    if not moved:
        ThreadReadState.objects.get_or_create(
            thread=thread, user=user, defaults={"last_read_post_id": post_id}
        )
