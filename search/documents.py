"""What each searchable thing looks like to search (``SearchDocument``).

One source per kind knows how to build the documents of an object, which
objects there are (for a rebuild) and whether an object is searchable at
all: a deleted post, a hidden wiki page or a deactivated person has no
document (``None``), so indexing it removes it.

Who may find a document is not decided here but by its community, room and
audience (see ``backends.base``) against ``communities.permissions
.search_access`` at query time: a community turned private is private in
search at once.
"""

from __future__ import annotations

import html
from collections.abc import Iterator

import nh3
from django.urls import reverse

from chat.models import Message, Room
from communities.models import Attachment, CommunityPage, Post, Thread, WikiPage
from members.models import User

from .backends.base import (
    AUDIENCE_DIRECT,
    AUDIENCE_PARTICIPANTS,
    AUDIENCE_READERS,
    AUDIENCE_SIGNED_IN,
    SearchDocument,
)

BATCH = 500


def plain_text(rendered_html: str) -> str:
    """The text of sanitised HTML, without tags and entities."""
    text = nh3.clean(rendered_html or "", tags=set())
    return " ".join(html.unescape(text).split())


def _author(document: SearchDocument, user) -> SearchDocument:
    if user is not None:
        document.author_id = user.pk
        document.author_name = user.display_name or ""
        if user.organisation_id:
            document.organisation_id = user.organisation_id
            document.organisation_name = user.organisation.name
    return document


# --- discussions ----------------------------------------------------------------


def thread_key(thread_id) -> str:
    return f"thread:{thread_id}"


def post_key(post_id) -> str:
    return f"post:{post_id}"


def thread_document(thread: Thread) -> SearchDocument | None:
    """A thread: its title, tags and opening post."""
    opening = thread.opening_post
    if opening is None or not thread.community.live:
        return None
    body = "" if opening.deleted else plain_text(opening.body_html)
    return _author(
        SearchDocument(
            key=thread_key(thread.pk),
            kind="thread",
            title=thread.title,
            body=body,
            url=reverse("communities:thread", args=[thread.community.slug, thread.pk]),
            date=thread.last_activity or thread.created,
            audience=AUDIENCE_READERS,
            community_id=thread.community_id,
            tags=thread.tag_names(),
        ),
        thread.author,
    )


def post_document(post: Post) -> SearchDocument | None:
    """A reply (the opening post is part of its thread's document)."""
    thread = post.thread
    if post.deleted or thread.opening_post_id == post.pk:
        return None
    return _author(
        SearchDocument(
            key=post_key(post.pk),
            kind="post",
            title=thread.title,
            body=plain_text(post.body_html),
            url=reverse("communities:post", args=[post.pk]),
            date=post.created,
            audience=AUDIENCE_READERS,
            community_id=thread.community_id,
            group=thread_key(thread.pk),
            title_searchable=False,
            tags=thread.tag_names(),
        ),
        post.author,
    )


def _threads():
    return Thread.objects.select_related(
        "community", "author__organisation", "opening_post"
    ).prefetch_related("tagged_items__tag")


def _posts():
    return Post.objects.select_related(
        "thread__community", "author__organisation"
    ).prefetch_related("thread__tagged_items__tag")


# --- wiki -------------------------------------------------------------------------


def wiki_key(page_id) -> str:
    return f"wiki:{page_id}"


def wiki_document(page: WikiPage) -> SearchDocument | None:
    from communities.permissions import community_of_page

    if not page.live or page.deleted_at is not None:
        return None
    community = community_of_page(page)
    if community is None:
        return None
    revision = page.latest_revision
    author = revision.user if revision is not None else page.owner
    return _author(
        SearchDocument(
            key=wiki_key(page.pk),
            kind="wiki",
            title=page.title,
            body=plain_text(page.body_html),
            url=reverse("communities:wiki_permalink", args=[page.pk]),
            date=page.last_published_at
            or page.first_published_at
            or page.latest_revision_created_at,
            audience=AUDIENCE_READERS,
            community_id=community.pk,
            tags=sorted((tag.name for tag in page.tags.all()), key=str.casefold),
        ),
        author,
    )


# --- chat -------------------------------------------------------------------------


def message_key(message_id) -> str:
    return f"message:{message_id}"


def message_document(message: Message) -> SearchDocument | None:
    room = message.room
    if message.deleted_at is not None:
        return None
    if room.kind == Room.Kind.DIRECT:
        audience, community_id = AUDIENCE_DIRECT, None
        names = sorted(
            (member.user.display_name for member in room.members.all()),
            key=str.casefold,
        )
        title = room.name or "Unterhaltung: " + ", ".join(names)
    else:
        audience, community_id = AUDIENCE_PARTICIPANTS, room.community_id
        title = f"# {room.name}"
    return _author(
        SearchDocument(
            key=message_key(message.pk),
            kind="message",
            title=title,
            body=plain_text(message.body_html),
            url=message.get_absolute_url(),
            date=message.created,
            audience=audience,
            community_id=community_id,
            room_id=room.pk,
            # The room's name is shown, not matched: every message of
            # "# Hitzeschutz" would otherwise rank as if it said so.
            title_searchable=False,
        ),
        message.author,
    )


def _messages():
    return Message.objects.select_related(
        "room", "author__organisation"
    ).prefetch_related("room__members__user")


# --- documents (attachments) -------------------------------------------------------


def attachment_key(attachment_id) -> str:
    return f"document:{attachment_id}"


def attachment_document(attachment: Attachment) -> SearchDocument | None:
    """A file of a post or a wiki page, found by its title."""
    if attachment.post_id is not None:
        if attachment.post.deleted:
            return None
        url = reverse("communities:post", args=[attachment.post_id])
    elif attachment.wiki_page_id is not None:
        if attachment.wiki_page.deleted_at is not None:
            return None
        url = reverse("communities:wiki_permalink", args=[attachment.wiki_page_id])
    else:
        return None  # uploaded, not yet part of anything
    document = attachment.document
    return _author(
        SearchDocument(
            key=attachment_key(attachment.pk),
            kind="document",
            title=document.title,
            body=document.filename,
            url=url,
            date=attachment.created,
            audience=AUDIENCE_READERS,
            community_id=attachment.community_id,
        ),
        attachment.uploaded_by,
    )


def _attachments():
    return Attachment.objects.select_related(
        "document", "post", "wiki_page", "uploaded_by__organisation"
    )


# --- communities and members ----------------------------------------------------------


def community_key(community_id) -> str:
    return f"community:{community_id}"


def community_document(community: CommunityPage) -> SearchDocument | None:
    if not community.live:
        return None
    return SearchDocument(
        key=community_key(community.pk),
        kind="community",
        title=community.title,
        body=" ".join(
            part
            for part in (community.description, plain_text(community.intro_html))
            if part
        ),
        url=community.url or reverse("communities:threads", args=[community.slug]),
        date=community.last_activity,
        audience=AUDIENCE_READERS,
        community_id=community.pk,
        tags=sorted((tag.name for tag in community.topics.all()), key=str.casefold),
    )


def member_key(user_id) -> str:
    return f"member:{user_id}"


def member_document(user: User) -> SearchDocument | None:
    if not user.is_active:
        return None
    organisation = user.organisation
    document = SearchDocument(
        key=member_key(user.pk),
        kind="member",
        title=user.display_name or "",
        body=" ".join(
            part
            for part in (
                user.position,
                organisation.name if organisation else "",
                user.bio,
            )
            if part
        ),
        url=user.get_absolute_url(),
        date=user.date_joined,
        audience=AUDIENCE_SIGNED_IN,
        tags=sorted((tag.name for tag in user.expertise.all()), key=str.casefold),
        organisation_id=user.organisation_id,
        organisation_name=organisation.name if organisation else "",
    )
    return document


# --- the sources --------------------------------------------------------------------


class Source:
    """Documents of one model: ``document(obj)`` (or None), every object
    for a rebuild (``objects``) and how objects are looked up by id."""

    def __init__(self, kind, model, queryset, document, key):
        self.kind = kind
        self.model = model
        self.queryset = queryset
        self.document = document
        self.key = key

    def objects(self):
        return self.queryset().order_by("pk")

    def documents(self, ids=None) -> Iterator[SearchDocument | tuple[str, None]]:
        """``(key, document or None)`` for the objects with ``ids`` (all if
        None); an id that no longer exists gives ``(key, None)``."""
        queryset = self.objects()
        if ids is not None:
            ids = list(ids)
            queryset = queryset.filter(pk__in=ids)
        seen = set()
        for obj in queryset.iterator(chunk_size=BATCH):
            seen.add(obj.pk)
            yield self.key(obj.pk), self.document(obj)
        for missing in set(ids or ()) - seen:
            yield self.key(missing), None


SOURCES = {
    source.kind: source
    for source in (
        Source(
            "community",
            CommunityPage,
            lambda: CommunityPage.objects.prefetch_related("topics"),
            community_document,
            community_key,
        ),
        Source("thread", Thread, _threads, thread_document, thread_key),
        Source("post", Post, _posts, post_document, post_key),
        Source(
            "wiki",
            WikiPage,
            lambda: WikiPage.objects.select_related(
                "latest_revision__user__organisation", "owner__organisation"
            ).prefetch_related("tags"),
            wiki_document,
            wiki_key,
        ),
        Source("message", Message, _messages, message_document, message_key),
        Source(
            "document", Attachment, _attachments, attachment_document, attachment_key
        ),
        Source(
            "member",
            User,
            lambda: User.objects.select_related("organisation").prefetch_related(
                "expertise"
            ),
            member_document,
            member_key,
        ),
    )
}
