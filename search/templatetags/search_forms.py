"""Search forms placed on other pages."""

from django import template

from communities import permissions

register = template.Library()


@register.inclusion_tag("search/_community_search.html", takes_context=True)
def community_search(context, community):
    """A search limited to ``community`` (the search page's ``community``
    filter), for those who may read it: others would find nothing there."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "community": community,
        "show": user is not None and permissions.can_view_community(user, community),
    }
