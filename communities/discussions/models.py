"""Threads and posts.

A ``Thread`` opens with its first ``Post`` (the question), so the question
has edit history, reactions and quotes like every reply. ``reply_count``
and ``last_activity`` are kept by the services for fast lists. Edits keep the
earlier text as ``PostRevision``; deletion is soft, so replies that quote a
deleted post stay readable.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

REACTIONS = ("👍", "❤️", "💡", "🎉")


class DiscussionTag(TagBase):
    class Meta:
        verbose_name = _("Schlagwort")
        verbose_name_plural = _("Schlagwörter")


class TaggedThread(TaggedItemBase):
    content_object = models.ForeignKey(
        "communities.Thread", on_delete=models.CASCADE, related_name="tagged_items"
    )
    tag = models.ForeignKey(
        DiscussionTag, on_delete=models.CASCADE, related_name="tagged_threads"
    )


class Thread(models.Model):
    """A discussion in one community."""

    community = models.ForeignKey(
        "communities.CommunityPage", on_delete=models.CASCADE, related_name="threads"
    )
    title = models.CharField(_("Titel"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="threads",
    )
    opening_post = models.OneToOneField(
        "communities.Post",
        null=True,
        on_delete=models.SET_NULL,
        related_name="opened_thread",
    )
    solution = models.ForeignKey(
        "communities.Post", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The newest post: a thread is unread while this is past the reader's mark.
    last_post = models.ForeignKey(
        "communities.Post",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tags = TaggableManager(through=TaggedThread, blank=True)
    pinned = models.BooleanField(_("Angeheftet"), default=False)
    locked = models.BooleanField(pgettext_lazy("Diskussion", "Gesperrt"), default=False)
    reply_count = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    last_activity = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("Diskussion")
        verbose_name_plural = _("Diskussionen")
        indexes = [models.Index(fields=["community", "-pinned", "-last_activity"])]

    def __str__(self):
        return self.title

    def tag_names(self) -> list[str]:
        """Its tag names, from the list's prefetched ``tagged_items`` (with
        their tags) when there, else one query."""
        if "tagged_items" in getattr(self, "_prefetched_objects_cache", {}):
            return sorted(
                (item.tag.name for item in self.tagged_items.all()), key=str.casefold
            )
        return sorted((tag.name for tag in self.tags.all()), key=str.casefold)


class Post(models.Model):
    """One contribution to a thread; its Markdown is rendered once on save
    (by the services, through ``kommunect.markdown``)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    body = models.TextField(_("Text"), max_length=50_000)
    body_html = models.TextField(editable=False)
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    edited = models.DateTimeField(null=True, blank=True)
    deleted = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderation_reason = models.TextField(blank=True)
    # The token of the form that wrote it: a form sent twice posts once.
    form_token = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Beitrag")
        verbose_name_plural = _("Beiträge")
        ordering = ["created", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "form_token"], name="post_form_token_once"
            )
        ]
        indexes = [models.Index(fields=["thread", "created", "id"])]

    def __str__(self):
        return f"{self.thread} #{self.pk}"


class PostRevision(models.Model):
    """An earlier version of a post, kept when it was edited."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    body_html = models.TextField()
    written_at = models.DateTimeField(help_text="When this version was saved.")
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    replaced_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-replaced_at", "-pk"]

    def __str__(self):
        return f"{self.post} ({self.written_at:%Y-%m-%d %H:%M})"


class Reaction(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions"
    )
    emoji = models.CharField(max_length=8, choices=[(e, e) for e in REACTIONS])
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "user", "emoji"], name="reaction_once_per_person"
            )
        ]

    def __str__(self):
        return f"{self.emoji} {self.post}"


class ThreadSubscription(models.Model):
    """A person watches a thread (starting or replying watches it)."""

    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="subscriptions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="thread_subscriptions",
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="subscription_once")
        ]

    def __str__(self):
        return f"{self.user} → {self.thread}"


class ThreadReadState(models.Model):
    """The last post a person has seen in a thread (for "unread")."""

    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="read_states"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="read_states"
    )
    last_read_post_id = models.BigIntegerField(default=0)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="read_state_once")
        ]

    def __str__(self):
        return f"{self.user} @ {self.thread}: {self.last_read_post_id}"


class Attachment(models.Model):
    """A file attached to a post: a Wagtail document in the community's
    collection. It is uploaded while the post is written (``post`` is empty
    until the post is saved) and served only to those who may read the
    community (a ``before_serve_document`` hook asks the permission module)."""

    document = models.OneToOneField(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="attachment"
    )
    community = models.ForeignKey(
        "communities.CommunityPage",
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    post = models.ForeignKey(
        Post,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    # Or a file of a wiki page (the wiki shares the community's collection).
    wiki_page = models.ForeignKey(
        "communities.WikiPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Anhang")
        verbose_name_plural = _("Anhänge")
        ordering = ["pk"]

    def __str__(self):
        return self.document.title
