"""``{% blocked_by_me person as blocked %}`` for the buttons on a profile."""

from django import template

from communities import permissions as perms

register = template.Library()


@register.simple_tag(takes_context=True)
def blocked_by_me(context, person) -> bool:
    user = context.get("user")
    return bool(user and user.is_authenticated) and perms.has_blocked(user, person)
