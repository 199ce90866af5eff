"""Platform staff manage organisations in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Organisation


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisationen")
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "kind", "bundesland", "ags"]
    list_filter = ["kind", "bundesland"]
    search_fields = ["name", "ags"]
    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("bundesland"),
        FieldPanel("ags"),
        InlinePanel("domains", label=_("E-Mail-Domains"), heading=_("E-Mail-Domains")),
    ]


register_snippet(OrganisationViewSet)
