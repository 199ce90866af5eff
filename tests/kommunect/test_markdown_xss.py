"""Every payload of the public XSS corpus (shared/data/xss, 6,613 lines)
goes through the one Markdown pipeline in several Markdown contexts; the
HTML that comes out carries no script, no event handler, no javascript: or
data: URL and no dangerous element."""

import re
from html.parser import HTMLParser

from factories.xss import corpus_lines

from kommunect.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown

CONTEXTS = [
    "{}",
    "**{}**",
    "[Link]({})",
    "![Bild]({})",
    "> {}",
    "- {}",
    "| a |\n|---|\n| {} |",
    "`{}`",
]
DANGEROUS_URL = re.compile(r"^\s*(javascript|vbscript|data):", re.IGNORECASE)


class ActiveContentFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"element <{tag}>")
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel", "class"}
        for name, value in attrs:
            if name.startswith("on") or name not in allowed:
                self.problems.append(f"attribute {name} on <{tag}>")
            if name in ("href", "src") and value and DANGEROUS_URL.match(value):
                self.problems.append(f"{name}={value!r}")
            if name == "class" and value and not value.startswith("language-"):
                self.problems.append(f"class={value!r}")


def test_no_payload_of_the_corpus_leaves_active_content_in_rendered_markdown():
    payloads = corpus_lines()
    assert len(payloads) > 6000
    failures = []
    for payload in payloads:
        for context in CONTEXTS:
            html = render_markdown(context.format(payload))
            finder = ActiveContentFinder()
            finder.feed(html)
            if finder.problems:
                failures.append((payload, context, finder.problems[:3]))
    assert not failures, f"{len(failures)} payloads left active content: {failures[:5]}"


def test_harmless_markdown_keeps_its_formatting():
    html = render_markdown("**fett** und [KGSt](https://www.kgst.de)")

    assert "<strong>fett</strong>" in html
    assert '<a href="https://www.kgst.de" rel="nofollow ugc noopener">KGSt</a>' in html
