"""Template tags of the discussion pages.

The reaction bar stands under every post of a page (twenty per page, four
buttons each); built here it costs a fraction of the same markup in a
template, which the thread page's benchmark (bench/) showed as its largest
single cost. ``_reactions.html`` (the htmx answer) uses the same tag, so the
markup has one source. Every value is escaped; the emoji come from the fixed
set ``REACTIONS`` and the counts and ids are integers.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def reaction_bar(context, view):
    """The reactions of a post: toggle buttons for those who may react (one
    form, htmx swaps it), counts for everyone else."""
    post_id = int(view.post.pk)
    label = escape(_("Reaktion"))
    group = escape(_("Reaktionen"))
    if not view.can_react:
        counts = "".join(
            f'<span class="reaction reaction--readonly"><span aria-hidden="true">'
            f'{escape(r.emoji)}</span><span class="visually-hidden">{label} '
            f'{escape(r.emoji)}:</span> <span class="reaction__count">{int(r.count)}'
            f"</span></span>"
            for r in view.reactions
            if r.count
        )
        return mark_safe(  # noqa: S308 - built from escaped values only
            f'<div class="reactions" id="reaktionen-{post_id}" role="group" '
            f'aria-label="{group}">{counts}</div>'
        )
    buttons = "".join(
        f'<button type="submit" name="emoji" value="{escape(r.emoji)}" '
        f'class="reaction{" reaction--mine" if r.mine else ""}" '
        f'aria-pressed="{"true" if r.mine else "false"}" '
        f'id="reaktion-{post_id}-{number}"><span aria-hidden="true">'
        f'{escape(r.emoji)}</span><span class="visually-hidden">{label} '
        f"{escape(r.emoji)}</span>"
        + (f' <span class="reaction__count">{int(r.count)}</span>' if r.count else "")
        + "</button>"
        for number, r in enumerate(view.reactions, start=1)
    )
    url = escape(view.react_url)
    csrf = escape(context.get("csrf_token", ""))
    return mark_safe(  # noqa: S308 - built from escaped values only
        f'<form method="post" action="{url}" hx-post="{url}" hx-target="this" '
        f'hx-swap="outerHTML" class="reactions" id="reaktionen-{post_id}">'
        f'<div role="group" aria-label="{group}">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
        f"{buttons}</div></form>"
    )
