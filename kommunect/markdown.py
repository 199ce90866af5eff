"""The one Markdown pipeline: user text in, sanitised HTML out.

Markdown is rendered once, at save time, with markdown-it-py (CommonMark,
tables, strikethrough, autolinks) and then cleaned by nh3 against an
allow-list. Every app that shows user text (community intros, posts, wiki
pages, chat) stores the result of ``render_markdown`` and shows only that.
"""

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "s",
    "del",
    "code",
    "pre",
    "kbd",
    "mark",
    "sub",
    "sup",
    "blockquote",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
CLEAN_CONTENT_TAGS = {"script", "style", "iframe", "object", "embed", "template"}

_markdown = MarkdownIt(
    "commonmark", {"linkify": True, "typographer": False, "html": False}
).enable(["table", "strikethrough", "linkify"])


_CODE_LANGUAGES = {
    "python",
    "js",
    "javascript",
    "json",
    "sql",
    "xml",
    "html",
    "css",
    "bash",
    "shell",
    "yaml",
    "java",
    "php",
    "text",
}


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    # Images only from this site: an external image is a tracking pixel that
    # tells a third party who read what, and when.
    if (
        tag == "img"
        and attribute == "src"
        and (not value.startswith("/") or value.startswith("//"))
    ):
        return None
    return value


_cleaner = nh3.Cleaner(
    attribute_filter=_keep_attribute,
    tags=ALLOWED_TAGS,
    clean_content_tags=CLEAN_CONTENT_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel="nofollow ugc noopener",
    allowed_classes={"code": {f"language-{lang}" for lang in _CODE_LANGUAGES}},
    strip_comments=True,
)


def sanitise_html(html: str) -> str:
    """Clean HTML against the allow-list; links get rel=nofollow ugc noopener."""
    return _cleaner.clean(html)


def render_markdown(text: str) -> str:
    """Markdown to sanitised HTML. Raw HTML in the input is shown as text."""
    return sanitise_html(_markdown.render(text or ""))


# Chat messages: the subset people use in a chat (emphasis, code, quotes,
# lists, links), not headings, rules or images; through the same sanitiser.
_chat_markdown = (
    MarkdownIt("commonmark", {"linkify": True, "typographer": False, "html": False})
    .enable(["strikethrough", "linkify"])
    .disable(["heading", "lheading", "hr", "image"])
)


def render_chat_markdown(text: str) -> str:
    """A chat message's Markdown subset to sanitised HTML."""
    return sanitise_html(_chat_markdown.render(text or ""))
