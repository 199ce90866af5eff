"""Writes of threads and posts: checked through ``communities.permissions``,
atomic, Markdown rendered once through ``kommunect.markdown``."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kommunect.markdown import render_markdown
from kommunect.validation import clean_tag_names

from .. import permissions as perms
from ..models import CommunityPage
from .models import REACTIONS, Post, PostRevision, Reaction, Thread, ThreadSubscription

MAX_TITLE = 200
MAX_BODY = 50_000
MAX_TAGS = 10
MAX_TAG_LENGTH = 50


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError(
            {"title": _("Bitte geben Sie einen Titel ein.")}, code="required"
        )
    if len(title) > MAX_TITLE:
        raise ValidationError(
            {
                "title": _("Der Titel darf höchstens %(n)d Zeichen lang sein.")
                % {"n": MAX_TITLE}
            },
            code="max_length",
        )
    return title


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(
            {"body": _("Bitte schreiben Sie einen Text.")}, code="required"
        )
    if len(body) > MAX_BODY:
        raise ValidationError(
            {
                "body": _("Der Text darf höchstens %(n)d Zeichen lang sein.")
                % {"n": MAX_BODY}
            },
            code="max_length",
        )
    return body


def _clean_tags(tags: list[str] | None) -> list[str]:
    return clean_tag_names(
        tags,
        max_tags=MAX_TAGS,
        max_length=MAX_TAG_LENGTH,
        too_long=_("Ein Schlagwort darf höchstens %(n)d Zeichen lang sein."),
        too_many=_("Höchstens %(n)d Schlagwörter sind möglich."),
        field="tags",
    )


def _watch(thread: Thread, user) -> None:
    ThreadSubscription.objects.get_or_create(thread=thread, user=user)


@transaction.atomic
def thread_create(
    *,
    author,
    community: CommunityPage,
    title: str,
    body: str,
    tags: list[str] | None = None,
) -> Thread:
    """Start a discussion: the thread and its opening post; the author watches it."""
    perms.check_participate(author, community)
    title, body, tags = _clean_title(title), _clean_body(body), _clean_tags(tags)
    now = timezone.now()
    thread = Thread.objects.create(
        community=community, title=title, author=author, last_activity=now
    )
    opening = Post.objects.create(
        thread=thread, author=author, body=body, body_html=render_markdown(body)
    )
    thread.opening_post = opening
    thread.save(update_fields=["opening_post"])
    thread.tags.set(tags)
    _watch(thread, author)
    CommunityPage.objects.filter(pk=community.pk).update(last_activity=now)
    return thread


@transaction.atomic
def post_create(
    *, author, thread: Thread, body: str, reply_to: Post | None = None
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
    post = Post.objects.create(
        thread=thread,
        author=author,
        body=body,
        body_html=render_markdown(body),
        reply_to=reply_to,
    )
    now = timezone.now()
    Thread.objects.filter(pk=thread.pk).update(
        reply_count=F("reply_count") + 1, last_activity=now
    )
    CommunityPage.objects.filter(pk=thread.community_id).update(last_activity=now)
    _watch(thread, author)
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
    return post


@transaction.atomic
def reaction_add(*, user, post: Post, emoji: str) -> Reaction:
    # Keyboards send the heart with or without its emoji variation selector.
    emoji = {"\u2764": "\u2764\ufe0f"}.get(emoji, emoji)
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
    Reaction.objects.filter(post=post, user=user, emoji=emoji).delete()


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
