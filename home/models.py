"""The root page of the site."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class HomePage(Page):
    """The site's root: a welcome, then the way into the communities.

    Exactly one exists, at the root of the page tree; the
    ``CommunityIndexPage`` sits below it.
    """

    lead = models.CharField(
        _("Einleitung"),
        max_length=300,
        blank=True,
        default="Wissen teilen zwischen Kommunen: Praxis diskutieren, Handreichungen "
        "gemeinsam schreiben, Kolleginnen und Kollegen aus ganz Deutschland finden.",
    )

    content_panels = [*Page.content_panels, FieldPanel("lead")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["communities.CommunityIndexPage"]
    max_count = 1
    template = "home/home_page.html"

    class Meta:
        verbose_name = _("Startseite")

    def get_context(self, request, *args, **kwargs):
        from members.models import Organisation, User

        context = super().get_context(request, *args, **kwargs)
        context["organisation_count"] = Organisation.objects.count()
        context["member_count"] = User.objects.filter(is_active=True).count()
        return context
