"""Matches marked in Python: the snippets of the SQLite backend and its
suggestions, the tags of every hit on the search page (whichever backend
found it), and what the other backends leave unmarked (``completed``).

A word is marked when its Snowball stem, its umlaut spelling's or a compound
part's is among the query's (``query_stems``): the words the query may match,
with its synonyms and compound parts (``analysis.query_words``).
"""

import html

from . import analysis

SNIPPET_CHARS = 240
# ``completed`` looks at the first so many characters of a text: a few
# milliseconds for each hit that a backend left unmarked.
COMPLETE_CHARS = 10_000


def query_stems(query: analysis.Query) -> set[str]:
    """The stems of every word ``query`` may match, and of their umlaut
    spellings."""
    found = analysis.query_words(query)
    stems = {analysis.stem(word) for word in found}
    stems |= {
        analysis.stem(variant)
        for word in found
        if (variant := analysis.umlaut_variant(word))
    }
    return stems


def _word_stems(word: str) -> set[str]:
    stems = {analysis.stem(piece) for piece in word.split("-") if piece}
    variant = analysis.umlaut_variant(word)
    if variant:
        stems.add(analysis.stem(variant))
    for part in analysis.decompound(variant or word):
        stems.add(analysis.stem(part))
    return stems


def highlight(
    text: str,
    stems: set[str],
    chars: int = SNIPPET_CHARS,
    whole=False,
    scan: int | None = None,
):
    """``text`` escaped, with the words whose stem (or a compound part's
    stem) is in ``stems`` in ``<mark>``; a window of about ``chars``
    characters around the first match unless ``whole``. Only the first
    ``scan`` characters are looked at, if given."""
    text = text or ""
    spans = []
    # The window never reaches further than this after its first match.
    beyond = len(text)
    for match in analysis.WORD.finditer(text, 0, scan or len(text)):
        if match.start() > beyond:
            break
        word = analysis.normalise(match.group())
        if _word_stems(word) & stems:
            spans.append(match.span())
            if not whole and len(spans) == 1:
                beyond = match.start() + chars + 20
    start, end = 0, len(text)
    if not whole and len(text) > chars:
        if spans:
            start = max(0, spans[0][0] - chars // 4)
            space = text.rfind(" ", 0, start + 1)
            start = space + 1 if start and space > 0 else start
        end = min(len(text), start + chars)
        space = text.find(" ", end)
        end = space if 0 < space < end + 20 else end
    pieces, position = [], start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        pieces.append(html.escape(text[position:span_start]))
        pieces.append("<mark>" + html.escape(text[span_start:span_end]) + "</mark>")
        position = span_end
    pieces.append(html.escape(text[position:end]))
    snippet = "".join(pieces)
    if start > 0:
        snippet = "… " + snippet
    if end < len(text):
        snippet += " …"
    return snippet


def completed(marked: str, text: str, stems: set[str], whole=False) -> str:
    """``marked`` (a backend's highlight of ``text``) if it marks something;
    else ``text`` marked here if that does, else ``marked``. PostgreSQL and
    the engines mark the words of the query they find in a text, not a
    compound found by its parts ("Klimafolgenanpassung" for
    "Klimaanpassung"): this marks it as SQLite does, in the first
    ``COMPLETE_CHARS`` characters."""
    if "<mark>" in marked or not stems:
        return marked
    here = highlight(text, stems, whole=whole, scan=COMPLETE_CHARS)
    return here if "<mark>" in here else marked
