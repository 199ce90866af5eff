"""Headings of a wiki page: anchors and the table of contents.

The anchors are added to the sanitised HTML (``kommunect.markdown`` allows
no ``id`` attributes in user text); each is ``abschnitt-`` and a slug of the
heading's text, so it can neither carry markup nor shadow anything on the
page.
"""

import html
import re

from anyascii import anyascii
from django.utils.text import slugify

HEADING = re.compile(r"<h([1-4])>(.*?)</h\1>", re.S)
ANCHORED = re.compile(r'<h([1-4]) id="(abschnitt-[a-z0-9-]+)">(.*?)</h\1>', re.S)
TAG = re.compile(r"<[^>]+>")


def _text(inner_html: str) -> str:
    return html.unescape(TAG.sub("", inner_html)).strip()


def add_heading_anchors(body_html: str) -> str:
    """``<h2>Ablauf</h2>`` → ``<h2 id="abschnitt-ablauf">Ablauf</h2>``,
    numbered where a text repeats."""
    seen: dict[str, int] = {}

    def anchor(match):
        level, inner = match.group(1), match.group(2)
        base = "abschnitt-" + (slugify(anyascii(_text(inner)))[:60] or "ohne-titel")
        seen[base] = seen.get(base, 0) + 1
        anchor_id = base if seen[base] == 1 else f"{base}-{seen[base]}"
        return f'<h{level} id="{anchor_id}">{inner}</h{level}>'

    return HEADING.sub(anchor, body_html)


def table_of_contents(body_html: str) -> list[tuple[int, str, str]]:
    """(level, anchor, text) of each heading, for the page's contents box."""
    return [
        (int(level), anchor, _text(inner))
        for level, anchor, inner in ANCHORED.findall(body_html)
    ]
