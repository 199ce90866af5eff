"""The public XSS corpus beside the checkout (shared/data/xss), and the
checker that finds active content in a page: what the corpus tests of the
discussions and the wiki assert there is none of beyond a page's own."""

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

CORPUS = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "data"
    / "xss"
    / "payloadbox-xss-payload-list.txt"
)

# Browsers drop tabs and newlines in URLs ("java\tscript:"); leading controls
# and spaces are trimmed (and, to be safe, any other leading white space).
URL_IGNORED = re.compile(r"[\x00-\x20]")
DANGEROUS_URL = re.compile(r"^(javascript|vbscript|data|livescript):", re.IGNORECASE)
DANGEROUS_STYLE = re.compile(
    r"expression\s*\(|url\s*\(|behavior\s*:|-moz-binding", re.IGNORECASE
)
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "srcdoc",
    "data",
    "srcset",
    "background",
    "poster",
    "dynsrc",
    "lowsrc",
    "xlink:href",
}
DANGEROUS_ELEMENTS = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "base",
    "meta",
    "link",
    "style",
    "xss",
    "video",
    "audio",
    "template",
}


def corpus_lines() -> list[str]:
    if not CORPUS.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must run the XSS corpus test: {CORPUS} is missing")
        pytest.skip("the XSS corpus (../shared/data/xss) is not beside this checkout")
    return [line for line in CORPUS.read_text(errors="replace").splitlines() if line]


class ActiveContent(HTMLParser):
    """Collects everything in a page that could run: scripts, handlers,
    script URLs, dangerous styles and elements (the page's own ones are the
    baseline)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: set[str] = set()

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.found.add(f"<script src={dict(attrs).get('src')!r}>")
        if tag in DANGEROUS_ELEMENTS:
            self.found.add(f"<{tag} {sorted(attrs, key=str)}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.add(f"<{tag} {name}>")
            if name == "style" and value and DANGEROUS_STYLE.search(value):
                self.found.add(f"<{tag} style={value!r}>")
            if (
                name in URL_ATTRIBUTES
                and value
                and DANGEROUS_URL.match(URL_IGNORED.sub("", value).lstrip())
            ):
                self.found.add(f"<{tag} {name}={value!r}>")


def active(html: str) -> set[str]:
    finder = ActiveContent()
    finder.feed(html)
    finder.close()
    return finder.found


class Checker:
    """Fetches pages and collects active content that their baseline (the
    same kind of page without payloads) does not have."""

    def __init__(self):
        self.baseline: dict[str, set[str]] = {}
        self.problems: dict[str, set[str]] = {}
        self.pages = 0

    def learn(self, kind, client, url, status=200):
        response = client.get(url)
        assert response.status_code == status, (url, response.status_code)
        self.baseline[kind] = active(response.content.decode())

    def check(self, kind, response, label):
        html = response.content.decode()
        extra = active(html) - self.baseline[kind]
        self.pages += 1
        if extra:
            self.problems[f"{kind} {label}"] = extra
        return html

    def get(self, kind, client, url, status=200):
        response = client.get(url)
        assert response.status_code == status, (url, response.status_code)
        return self.check(kind, response, url)

    def assert_inert(self):
        assert not self.problems, (
            f"active content on {len(self.problems)} of {self.pages} pages: "
            f"{list(self.problems.items())[:3]}"
        )
