"""Theme communities. The communities themselves arrive with their issue;
the index page that will hold them is part of the site from the start."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class CommunityIndexPage(Page):
    """The directory of theme communities, directly below the home page."""

    intro = models.TextField(
        _("Einleitung"),
        blank=True,
        default="Themen-Communities bringen Fachleute aus Kommunen zusammen.",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count = 1
    template = "communities/community_index_page.html"

    class Meta:
        verbose_name = _("Community-Verzeichnis")
