"""The wiki of a community: a tree of ``WikiPage``s below its community page
(the Wagtail page tree is the wiki tree).

Every save is a Wagtail revision (author, time, and the page's
``edit_summary`` at that save, which is part of the revision's content).
``[[Seitenname]]`` links are resolved when a page is saved and kept as
``WikiLink`` rows by page id, so renaming or moving a page keeps the links
working and "Links auf diese Seite" is one query. Deleting is soft (moderators
restore); protected pages are edited by moderators only.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TagBase, TaggedItemBase
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

MAX_TITLE = 200
MAX_BODY = 200_000
MAX_SUMMARY = 300


class WikiTag(TagBase):
    class Meta:
        verbose_name = _("Wiki-Schlagwort")
        verbose_name_plural = _("Wiki-Schlagwörter")


class WikiPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "communities.WikiPage", on_delete=models.CASCADE, related_name="tagged_items"
    )
    tag = models.ForeignKey(
        WikiTag, on_delete=models.CASCADE, related_name="tagged_wiki_pages"
    )


class WikiPage(Page):
    """One page of best practice (Handreichung, Checkliste, Mustervorlage)."""

    body = models.TextField(
        _("Text"), blank=True, max_length=MAX_BODY, help_text=_("Markdown")
    )
    body_html = models.TextField(editable=False, blank=True)
    edit_summary = models.CharField(
        _("Änderungszusammenfassung"), max_length=MAX_SUMMARY, blank=True
    )
    protected = models.BooleanField(
        _("Geschützt"),
        default=False,
        help_text=_("Nur die Moderation darf geschützte Seiten bearbeiten."),
    )
    tags = ClusterTaggableManager(
        verbose_name=_("Schlagwörter"), through=WikiPageTag, blank=True
    )
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # "Als Wiki-Seite übernehmen": the solved discussion it came from.
    source_thread = models.ForeignKey(
        "communities.Thread",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="wiki_pages",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("body"),
        FieldPanel("edit_summary"),
        FieldPanel("tags"),
        FieldPanel("protected"),
    ]

    parent_page_types = ["communities.CommunityPage", "communities.WikiPage"]
    subpage_types = ["communities.WikiPage"]

    class Meta:
        verbose_name = _("Wiki-Seite")
        verbose_name_plural = _("Wiki-Seiten")

    def serve(self, request, *args, **kwargs):
        from ..views.wiki import wiki_page_view

        return wiki_page_view(request, self)


class WikiLink(models.Model):
    """A ``[[link]]`` of a page: to a page of the same community by id, or
    (``target`` empty) to a title that has no page yet."""

    source = models.ForeignKey(
        WikiPage, on_delete=models.CASCADE, related_name="outgoing_links"
    )
    target = models.ForeignKey(
        WikiPage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incoming_links",
    )
    target_title = models.CharField(max_length=MAX_TITLE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target_title"], name="wiki_link_once"
            )
        ]

    def __str__(self):
        return f"{self.source_id} → {self.target_id or self.target_title}"


class WikiWatch(models.Model):
    """A person watches a wiki page (notifications come with their issue)."""

    page = models.ForeignKey(WikiPage, on_delete=models.CASCADE, related_name="watches")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wiki_watches"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "user"], name="wiki_watch_once")
        ]

    def __str__(self):
        return f"{self.user} → {self.page_id}"
