"""Reads of threads and posts for pages and API: a fixed number of queries
whatever the number of posts, reactions, tags and attachments.

Callers have asked ``communities.permissions`` whether the user may see the
community or thread; these functions only shape the rows.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.urls import reverse

from .models import (
    REACTIONS,
    Attachment,
    Post,
    TaggedThread,
    Thread,
    ThreadReadState,
)

THREADS_PER_PAGE = 25
POSTS_PER_PAGE = 20

SORTS = {
    "activity": ("-pinned", "-last_activity", "-pk"),
    "new": ("-created", "-pk"),
    "unanswered": ("-created", "-pk"),
    "solved": ("-last_activity", "-pk"),
}


def thread_list(*, user, community, sort: str = "activity", tag: str = ""):
    """The community's threads for the list: author with organisation, tags,
    and (for a signed-in reader) whether the thread has unread posts."""
    qs = (
        Thread.objects.filter(community=community)
        .select_related("author__organisation")
        .prefetch_related(
            Prefetch(
                "tagged_items", queryset=TaggedThread.objects.select_related("tag")
            )
        )
    )
    if sort == "unanswered":
        qs = qs.filter(reply_count=0)
    elif sort == "solved":
        qs = qs.filter(solution__isnull=False)
    if tag:
        qs = qs.filter(tags__name__iexact=tag)
    if user.is_authenticated:
        qs = qs.annotate(
            read_up_to=Coalesce(
                Subquery(
                    ThreadReadState.objects.filter(
                        thread=OuterRef("pk"), user=user
                    ).values("last_read_post_id")[:1]
                ),
                0,
            )
        )
    return qs.order_by(*SORTS.get(sort, SORTS["activity"]))


def mark_unread(threads, user) -> None:
    """Set ``unread`` and the links the list shows on each thread."""
    for thread in threads:
        slug = thread.community.slug
        thread.page_url = url_with_id("communities:thread", thread.pk, slug)
        thread.unread_url = url_with_id("communities:thread_unread", thread.pk, slug)
        thread.author_url = (
            url_with_id("members:profile", thread.author_id) if thread.author_id else ""
        )
        thread.unread = bool(
            user.is_authenticated
            and thread.last_post_id
            and thread.last_post_id > getattr(thread, "read_up_to", 0)
        )


TAGS_CACHE_SECONDS = 300


def _tags_cache_key(community_id: int) -> str:
    return f"discussion-tags:{community_id}"


def community_tags(community, limit: int = 30) -> list:
    """The tags used in a community's threads, most used first (counted over
    all its threads, so kept in the cache; the services forget it when
    threads or their tags change)."""
    from django.core.cache import cache

    from .models import DiscussionTag

    key = _tags_cache_key(community.pk)
    tags = cache.get(key)
    if tags is None:
        tags = list(
            DiscussionTag.objects.filter(
                tagged_threads__content_object__community=community
            )
            .annotate(uses=Count("tagged_threads"))
            .order_by("-uses", "name")[:limit]
        )
        cache.set(key, tags, TAGS_CACHE_SECONDS)
    return tags


def forget_community_tags(community_id: int) -> None:
    from django.core.cache import cache

    cache.delete(_tags_cache_key(community_id))


def replies(thread):
    """The answers of a thread (everything but the question), in order."""
    return Post.objects.filter(thread=thread).exclude(pk=thread.opening_post_id)


def reply_position(post) -> int:
    """How many answers of the thread come before ``post`` (0-based)."""
    return (
        replies(post.thread)
        .filter(Q(created__lt=post.created) | Q(created=post.created, pk__lt=post.pk))
        .count()
    )


def page_of_post(post) -> int:
    """The page of the thread that shows ``post`` (the question is on page 1)."""
    if post.pk == post.thread.opening_post_id:
        return 1
    return reply_position(post) // POSTS_PER_PAGE + 1


def _post_rows():
    return Post.objects.select_related(
        "author__organisation", "reply_to__author"
    ).prefetch_related(
        Prefetch(
            "attachments",
            queryset=Attachment.objects.select_related("document"),
        )
    )


_ID = 987654321


@lru_cache(maxsize=256)
def _url_template(name: str, leading: tuple) -> str:
    return reverse(name, args=[*leading, _ID])


def url_with_id(name: str, pk: int, *leading) -> str:
    """``reverse(name, args=[*leading, pk])`` for URL patterns that end in
    an integer id, without resolving again for every row of a page."""
    return _url_template(name, leading).replace(str(_ID), str(pk))


@dataclass
class ReactionCount:
    emoji: str
    count: int = 0
    mine: bool = False


@dataclass
class PostView:
    """A post with what the page shows about it."""

    post: Post
    reactions: list[ReactionCount] = field(default_factory=list)

    def __getattr__(self, name):
        return getattr(self.post, name)

    @property
    def url(self) -> str:
        return url_with_id("communities:post", self.post.pk)

    @property
    def edit_url(self) -> str:
        return url_with_id("communities:post_edit", self.post.pk)

    @property
    def delete_url(self) -> str:
        return url_with_id("communities:post_delete", self.post.pk)

    @property
    def history_url(self) -> str:
        return url_with_id("communities:post_history", self.post.pk)

    @property
    def react_url(self) -> str:
        return url_with_id("communities:post_react", self.post.pk)

    @property
    def author_url(self) -> str:
        return url_with_id("members:profile", self.post.author_id)

    @property
    def reply_to_url(self) -> str:
        return url_with_id("communities:post", self.post.reply_to_id)


def decorate_posts(posts, user) -> list[PostView]:
    """Reaction counts (and the reader's own) for ``posts`` in one query."""
    posts = list(posts)
    counts: dict[int, dict[str, ReactionCount]] = defaultdict(dict)
    if posts:
        from .models import Reaction

        mine = (
            Count("id", filter=Q(user=user)) if user.is_authenticated else Count(None)
        )
        rows = (
            Reaction.objects.filter(post__in=[p.pk for p in posts])
            .values("post_id", "emoji")
            .annotate(n=Count("id"), mine=mine)
            .order_by()
        )
        for row in rows:
            counts[row["post_id"]][row["emoji"]] = ReactionCount(
                row["emoji"], row["n"], bool(row["mine"])
            )
    return [
        PostView(
            post,
            [counts[post.pk].get(emoji, ReactionCount(emoji)) for emoji in REACTIONS],
        )
        for post in posts
    ]


def thread_posts(thread, *, page: int):
    """The question (on every page, as the head of the thread), the solution,
    and one page of answers: the ids of the page, then the rows (and their
    attachments).
    Returns (opening, solution, the page's answers)."""
    start = (page - 1) * POSTS_PER_PAGE
    page_ids = list(
        replies(thread)
        .order_by("created", "pk")
        .values_list("pk", flat=True)[start : start + POSTS_PER_PAGE]
    )
    heads = [pk for pk in (thread.opening_post_id, thread.solution_id) if pk]
    posts = list(_post_rows().filter(pk__in={*page_ids, *heads}))
    for post in posts:
        post.thread = thread  # the permission checks read post.thread.community
    by_pk = {p.pk: p for p in posts}
    rows = [by_pk[pk] for pk in page_ids if pk in by_pk]
    return by_pk.get(thread.opening_post_id), by_pk.get(thread.solution_id), rows


@dataclass
class ReaderState:
    read_mark: int = 0
    watching: bool = False


def reader_state(thread, user) -> ReaderState:
    """The reader's read mark and whether they watch the thread (one query)."""
    if not user.is_authenticated:
        return ReaderState()
    from .models import ThreadSubscription

    row = (
        Thread.objects.filter(pk=thread.pk)
        .annotate(
            mark=Subquery(
                ThreadReadState.objects.filter(thread=OuterRef("pk"), user=user).values(
                    "last_read_post_id"
                )[:1]
            ),
            watched=Exists(
                ThreadSubscription.objects.filter(thread=OuterRef("pk"), user=user)
            ),
        )
        .values("mark", "watched")
        .first()
    )
    return ReaderState(row["mark"] or 0, row["watched"]) if row else ReaderState()


def watching(thread, user) -> bool:
    return reader_state(thread, user).watching


def read_mark(thread, user) -> int:
    return reader_state(thread, user).read_mark


def first_unread(thread, user):
    """The first post after the reader's mark, or None."""
    return (
        Post.objects.filter(thread=thread, pk__gt=read_mark(thread, user))
        .select_related("thread")
        .order_by("created", "pk")
        .first()
    )
