"""A readable diff of two revisions of a wiki page's Markdown.

``diff_lines`` compares line by line (``difflib``) and groups the changes
into hunks with a few lines of context; a changed line is paired with its
new version and the changed words of both are marked. ``render_diff_html``
turns the hunks into the table the revision pages show; every bit of page
text in it is escaped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import groupby
from operator import itemgetter
from typing import Literal, NamedTuple

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

RowKind = Literal["equal", "delete", "insert", "change"]

# A word, a run of whitespace or a run of punctuation ("**", "](", "."):
# \w knows umlauts and ß, so "Straße" stays one word.
WORD_TOKEN = re.compile(r"\w+|\s+|[^\w\s]+")
# SequenceMatcher over words costs up to the product of both token counts
# (about 0.1 s per million in the worst case, repetitive text). Beyond these
# budgets, per line pair and per diff, the changed middle of a line is marked
# as a whole: the diff of any text stays bounded.
WORD_DIFF_LINE_BUDGET = 1_000_000
WORD_DIFF_TOTAL_BUDGET = 5_000_000


class Segment(NamedTuple):
    """A stretch of one line's text, and whether it is what changed."""

    text: str
    changed: bool


@dataclass(frozen=True)
class Row:
    """One line of the diff.

    ``equal`` rows have both texts and numbers, ``delete`` only the old,
    ``insert`` only the new; a ``change`` row pairs an old line with its new
    version and carries the word-level ``old_segments``/``new_segments``.
    Line numbers are 1-based.
    """

    kind: RowKind
    old_number: int | None
    new_number: int | None
    old_text: str | None
    new_text: str | None
    old_segments: tuple[Segment, ...] = ()
    new_segments: tuple[Segment, ...] = ()


@dataclass(frozen=True)
class Hunk:
    """Neighbouring changes with up to ``context`` unchanged lines around."""

    rows: list[Row] = field(default_factory=list)


def diff_lines(old: str, new: str, context: int = 3) -> list[Hunk]:
    """The changes from ``old`` to ``new``, grouped into hunks.

    Line endings and Unicode normalisation (NFC) are not shown as changes,
    nor is a missing newline at the end of the text.
    """
    old_lines = _split_lines(old)
    new_lines = _split_lines(new)
    matcher = SequenceMatcher(None, old_lines, new_lines)
    hunks = []
    word_budget = WORD_DIFF_TOTAL_BUDGET
    for group in matcher.get_grouped_opcodes(context):
        rows: list[Row] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows.extend(
                    Row("equal", i + 1, j + 1, old_lines[i], new_lines[j])
                    for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
                )
                continue
            # A replaced block is paired line by line for the word marks;
            # lines beyond the shorter side are plain deletions/insertions.
            pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
            for k in range(pairs):
                old_segments, new_segments, spent = _word_segments(
                    old_lines[i1 + k],
                    new_lines[j1 + k],
                    min(word_budget, WORD_DIFF_LINE_BUDGET),
                )
                word_budget -= spent
                rows.append(
                    Row(
                        "change",
                        i1 + k + 1,
                        j1 + k + 1,
                        old_lines[i1 + k],
                        new_lines[j1 + k],
                        old_segments,
                        new_segments,
                    )
                )
            rows.extend(
                Row("delete", i + 1, None, old_lines[i], None)
                for i in range(i1 + pairs, i2)
            )
            rows.extend(
                Row("insert", None, j + 1, None, new_lines[j])
                for j in range(j1 + pairs, j2)
            )
        hunks.append(Hunk(rows))
    return hunks


def diff_stats(old: str, new: str) -> tuple[int, int]:
    """(added lines, removed lines) from ``old`` to ``new``; a changed line
    counts once as removed and once as added."""
    matcher = SequenceMatcher(None, _split_lines(old), _split_lines(new))
    added = removed = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            removed += i2 - i1
            added += j2 - j1
    return added, removed


def render_diff_html(hunks: Sequence[Hunk]) -> SafeString:
    """The diff as ``<table class="wiki-diff">``; empty when nothing changed.

    Columns: old line number, new line number, sign, text. Within a run of
    changes the old lines come first, then the new ones, as in a unified
    diff; changed words are ``<del>``/``<ins>``. Hunks are separated by a
    row with "…".
    """
    if not hunks:
        return mark_safe("")
    separator = mark_safe(
        '<tr class="wiki-diff__row wiki-diff__row--separator">'
        '<td colspan="4">…</td></tr>'
    )
    body: list[SafeString] = []
    for index, hunk in enumerate(hunks):
        if index:
            body.append(separator)
        body.extend(_hunk_rows(hunk))
    return format_html(
        '<table class="wiki-diff"><thead><tr>'
        '<th scope="col">{}</th><th scope="col">{}</th>'
        '<th scope="col"><span class="visually-hidden">{}</span></th>'
        '<th scope="col">{}</th>'
        "</tr></thead><tbody>{}</tbody></table>",
        _("Zeile alt"),
        _("Zeile neu"),
        _("Art der Änderung"),
        _("Text"),
        mark_safe("".join(body)),
    )


def _split_lines(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if text.endswith("\n"):
        text = text[:-1]
    return text.split("\n") if text else []


def _word_segments(
    old_line: str, new_line: str, budget: int
) -> tuple[tuple[Segment, ...], tuple[Segment, ...], int]:
    """The changed words of a line and its new version, and the work spent."""
    old_tokens = WORD_TOKEN.findall(old_line)
    new_tokens = WORD_TOKEN.findall(new_line)
    # Edits of long lines are usually small: matching the common start and
    # end first keeps the quadratic part to the changed middle.
    shortest = min(len(old_tokens), len(new_tokens))
    start = 0
    while start < shortest and old_tokens[start] == new_tokens[start]:
        start += 1
    end = 0
    while end < shortest - start and old_tokens[-1 - end] == new_tokens[-1 - end]:
        end += 1
    old_middle = old_tokens[start : len(old_tokens) - end]
    new_middle = new_tokens[start : len(new_tokens) - end]

    old_marks: list[tuple[str, bool]] = [(t, False) for t in old_tokens[:start]]
    new_marks: list[tuple[str, bool]] = [(t, False) for t in new_tokens[:start]]
    work = len(old_middle) * len(new_middle)
    if work > budget:
        work = 0
        old_marks.extend((t, True) for t in old_middle)
        new_marks.extend((t, True) for t in new_middle)
    else:
        matcher = SequenceMatcher(None, old_middle, new_middle, autojunk=False)
        opcodes = matcher.get_opcodes()
        for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
            # Whitespace alone between two changes is part of the change:
            # "alte Regel" → "neue Satzung" reads as one change, not two.
            changed = tag != "equal" or (
                0 < index < len(opcodes) - 1 and "".join(old_middle[i1:i2]).isspace()
            )
            old_marks.extend((t, changed) for t in old_middle[i1:i2])
            new_marks.extend((t, changed) for t in new_middle[j1:j2])
    old_marks.extend((t, False) for t in old_tokens[len(old_tokens) - end :])
    new_marks.extend((t, False) for t in new_tokens[len(new_tokens) - end :])
    return _merge_segments(old_marks), _merge_segments(new_marks), work


def _merge_segments(marks: Iterable[tuple[str, bool]]) -> tuple[Segment, ...]:
    return tuple(
        Segment("".join(token for token, _changed in run), changed)
        for changed, run in groupby(marks, key=itemgetter(1))
    )


def _hunk_rows(hunk: Hunk) -> list[SafeString]:
    rows: list[SafeString] = []
    old_side: list[SafeString] = []
    new_side: list[SafeString] = []
    for row in hunk.rows:
        if row.kind == "equal":
            rows += old_side + new_side
            old_side, new_side = [], []
            rows.append(
                _table_row(
                    "equal", row.old_number, row.new_number, _line_html(row.old_text)
                )
            )
            continue
        if row.kind in ("delete", "change"):
            old_side.append(
                _table_row(
                    "delete",
                    row.old_number,
                    None,
                    _line_html(row.old_text, row.old_segments, "<del>{}</del>"),
                )
            )
        if row.kind in ("insert", "change"):
            new_side.append(
                _table_row(
                    "insert",
                    None,
                    row.new_number,
                    _line_html(row.new_text, row.new_segments, "<ins>{}</ins>"),
                )
            )
    return rows + old_side + new_side


def _line_html(
    text: str | None, segments: tuple[Segment, ...] = (), changed_html: str = ""
) -> SafeString:
    if not segments:
        return format_html("{}", text or "")
    return mark_safe(
        "".join(
            format_html(changed_html if segment.changed else "{}", segment.text)
            for segment in segments
        )
    )


def _table_row(
    kind: Literal["equal", "delete", "insert"],
    old_number: int | None,
    new_number: int | None,
    content: SafeString,
) -> SafeString:
    if kind == "equal":
        sign = mark_safe("")
    else:
        sign = format_html(
            '<span aria-hidden="true">{}</span><span class="visually-hidden">{}</span>',
            "-" if kind == "delete" else "+",
            _("Entfernt") if kind == "delete" else _("Hinzugefügt"),
        )
    return format_html(
        '<tr class="wiki-diff__row wiki-diff__row--{}">'
        '<td class="wiki-diff__number">{}</td>'
        '<td class="wiki-diff__number">{}</td>'
        '<td class="wiki-diff__sign">{}</td>'
        '<td class="wiki-diff__text">{}</td></tr>',
        kind,
        "" if old_number is None else old_number,
        "" if new_number is None else new_number,
        sign,
        content,
    )
