"""The wiki's page tree in one query, for the API, the index, the sidebar
and the move form.

Every page gets ``level`` (1 = top level of the wiki), ``parent_id`` (its
nearest *live* ancestor in the wiki, ``None`` at the top) and ``href``. The
address is built from the community's own address and the page's
``url_path``: Wagtail's ``page.url`` looks the site root paths up in the
cache once per page (with Redis, one round trip per page), which a tree of
2,000 pages cannot afford.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page

from .models import WikiPage

STEP = Page.steplen


def page_tree(community, request=None) -> list[WikiPage]:
    """The community's live wiki pages in tree order.

    A live page below a deleted one (a sub-page restored on its own) hangs
    below its nearest live ancestor, so that no page drops out of the tree.
    """
    pages = list(
        WikiPage.objects.descendant_of(community)
        .filter(deleted_at__isnull=True)
        .order_by("path")
        .only("pk", "title", "path", "depth", "url_path", "latest_revision_created_at")
    )
    by_path: dict[str, WikiPage] = {}
    for page in pages:
        parent_path = page.path[:-STEP]
        while parent_path not in by_path and len(parent_path) > len(community.path):
            parent_path = parent_path[:-STEP]
        parent = by_path.get(parent_path)
        page.parent_id = parent.pk if parent else None
        page.level = parent.level + 1 if parent else 1
        by_path[page.path] = page
    return with_hrefs(pages, community, request)


def with_hrefs(pages: list, community, request=None) -> list:
    """Set ``href`` on pages of the community (fetched with ``url_path``)."""
    base = community.get_url(request=request)
    prefix = community.url_path
    for page in pages:
        page.href = (
            base + page.url_path[len(prefix) :]
            if base is not None and page.url_path.startswith(prefix)
            else page.get_url(request=request)
        )
    return pages


def sidebar_of(tree: list[WikiPage], page) -> list[WikiPage]:
    """What the sidebar of ``page`` shows of a large tree: the top level, the
    pages beside each of its ancestors, its siblings and its children (the
    branches off its path stay folded, as in a file explorer)."""
    open_ids = {None, page.pk} | {
        node.pk for node in tree if page.path.startswith(node.path)
    }
    return [node for node in tree if node.parent_id in open_ids]


def tree_html(nodes: list[WikiPage], current_id=None) -> SafeString:
    """Nested ``<ul>`` lists (screen readers announce the levels) for nodes
    in tree order, each one's parent before it."""
    parts = []
    open_levels = 0
    for node in nodes:
        level = min(node.level, open_levels + 1)
        if level > open_levels:
            parts.append('<ul class="wiki-tree__list">')
        else:
            parts.append("</li>" + "</ul></li>" * (open_levels - level))
        current = ' aria-current="page"' if node.pk == current_id else ""
        parts.append(
            f'<li class="wiki-tree__item"><a class="kern-link" '
            f'href="{escape(node.href)}"{current}>{escape(node.title)}</a>'
        )
        open_levels = level
    if open_levels:
        parts.append("</li></ul>" * open_levels)
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped values only
