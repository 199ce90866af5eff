"""``[[Seitenname]]`` and ``[[Seitenname|Linktext]]`` between the pages of
one community's wiki.

Links are turned into ordinary Markdown links before the one Markdown
pipeline (``kommunect.markdown``) renders and sanitises the page, so a wiki
link can never carry more than any other link. A link to an existing page
points to the page's id (``/wiki/<id>/`` redirects to wherever the page is
now), so renaming or moving it keeps the link working; a link to a title
without a page points to the form that creates it.
"""

import re
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from kommunect.markdown import render_markdown

from .toc import add_heading_anchors

WIKI_LINK = re.compile(r"\[\[([^\[\]|\n]{1,200}?)(?:\|([^\[\]\n]{1,200}?))?\]\]")
_MARKDOWN_TEXT_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!<>~|])")


def normalise_title(title: str) -> str:
    """How titles are compared: case and spacing do not matter."""
    return " ".join(title.split()).casefold()


def link_titles(body: str) -> list[str]:
    """The titles ``body`` links to, in order, each once."""
    seen: dict[str, str] = {}
    for match in WIKI_LINK.finditer(body or ""):
        title = " ".join(match.group(1).split())
        if title:
            seen.setdefault(normalise_title(title), title)
    return list(seen.values())


def _escape_text(text: str) -> str:
    return _MARKDOWN_TEXT_SPECIALS.sub(r"\\\1", text)


def _escape_title(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def to_markdown(body: str, *, community, pages_by_title: dict) -> str:
    """``body`` with its wiki links as Markdown links. ``pages_by_title``
    maps ``normalise_title`` of a title to its page (or is missing it)."""

    def replace(match):
        title = " ".join(match.group(1).split())
        text = " ".join((match.group(2) or match.group(1)).split())
        if not title:
            return match.group(0)
        page = pages_by_title.get(normalise_title(title))
        if page is not None:
            url = reverse("communities:wiki_permalink", args=[page.pk])
            return f"[{_escape_text(text)}](<{url}>)"
        url = reverse("communities:wiki_create", args=[community.slug])
        url += "?" + urlencode({"titel": title})
        hint = _escape_title(_("Diese Seite gibt es noch nicht – jetzt anlegen"))
        return f'[{_escape_text(text)}](<{url}> "{hint}")'

    return WIKI_LINK.sub(replace, body or "")


def render_wiki(body: str, *, community, pages_by_title: dict) -> str:
    """The page's HTML: wiki links resolved, then the shared pipeline, then
    anchors on the headings (for the table of contents)."""
    return add_heading_anchors(
        render_markdown(
            to_markdown(body, community=community, pages_by_title=pages_by_title)
        )
    )
