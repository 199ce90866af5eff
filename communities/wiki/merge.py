"""Three-way merge of a wiki page's Markdown, so that no edit is lost.

When two members edit the same page, the second save is merged with the
revision saved in the meantime: ``base`` is the revision both started from,
``theirs`` the one saved in the meantime, ``mine`` the text being saved.
The merge is line-based (``merge3``); in Markdown a paragraph is usually one
line, so edits in different paragraphs merge cleanly and edits of the same
paragraph conflict.

A merge never discards what the user changed. Where only one side changed
a stretch, that change is taken; where both changed it differently, the
result is a conflict, and a conflict never discards the user's ("mine")
text: the user's version of the hunk is always inside the conflict markers,
above the text saved in the meantime (lines at its start or end that both
versions share stand once, outside the markers), so the user can resolve
it in the editor::

    <<<<<<< Ihre Fassung
    mine
    =======
    theirs
    >>>>>>> Zwischenzeitlich gespeicherte Fassung

Markdown allows a line of ``=======`` (a heading underline), so callers
decide by ``MergeResult.clean``, never by looking for markers in the text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from merge3 import Merge3

MARKER_MINE = "<<<<<<<"
MARKER_SEPARATOR = "======="
MARKER_THEIRS = ">>>>>>>"


@dataclass(frozen=True)
class Conflict:
    """One hunk that both sides changed differently.

    ``base``, ``theirs`` and ``mine`` are the hunk's lines in each version,
    each line ending with a newline; ``line`` is the 1-based number of the
    ``<<<<<<<`` marker line in ``MergeResult.text``.
    """

    base: str
    theirs: str
    mine: str
    line: int


@dataclass(frozen=True)
class MergeResult:
    """The merged text; with conflict markers where ``conflicts`` says."""

    text: str
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.conflicts


def merge_texts(
    base: str, theirs: str, mine: str, *, theirs_label: str | None = None
) -> MergeResult:
    """Merge the changes from ``base`` to ``theirs`` into ``mine``.

    Line endings are normalised to ``\\n`` and the text to Unicode NFC, so a
    browser sending CRLF or decomposed umlauts causes no conflict. Lines
    that both sides added or changed alike appear once. The merged text ends
    with a newline if the side that changed that ending says so (``mine``
    first), otherwise as ``base`` did.
    """
    base_lines, base_ends = _split_lines(base)
    theirs_lines, theirs_ends = _split_lines(theirs)
    mine_lines, mine_ends = _split_lines(mine)
    mine_marker = f"{MARKER_MINE} {_('Ihre Fassung')}"
    theirs_marker = (
        f"{MARKER_THEIRS} {theirs_label or _('Zwischenzeitlich gespeicherte Fassung')}"
    )

    merged: list[str] = []
    conflicts: list[Conflict] = []
    # merge3 puts its "a" side first between the markers: that is "mine".
    for group in Merge3(base_lines, mine_lines, theirs_lines).merge_groups():
        if group[0] != "conflict":
            merged.extend(group[1])
            continue
        _kind, base_hunk, mine_hunk, theirs_hunk = group
        head, base_hunk, mine_hunk, theirs_hunk, tail = _split_agreed_lines(
            base_hunk, mine_hunk, theirs_hunk
        )
        merged.extend(head)
        # With the agreed lines out of the way, one side may turn out to
        # have left the rest as it was: then the other side's change wins.
        if mine_hunk == base_hunk or theirs_hunk == base_hunk:
            merged.extend(theirs_hunk if mine_hunk == base_hunk else mine_hunk)
            merged.extend(tail)
            continue
        conflicts.append(
            Conflict(
                base=_join_hunk(base_hunk),
                theirs=_join_hunk(theirs_hunk),
                mine=_join_hunk(mine_hunk),
                line=len(merged) + 1,
            )
        )
        merged.append(mine_marker)
        merged.extend(mine_hunk)
        merged.append(MARKER_SEPARATOR)
        merged.extend(theirs_hunk)
        merged.append(theirs_marker)
        merged.extend(tail)

    if mine_ends != base_ends:
        ends_with_newline = mine_ends
    elif theirs_ends != base_ends:
        ends_with_newline = theirs_ends
    else:
        ends_with_newline = base_ends
    text = "\n".join(merged)
    if merged and ends_with_newline:
        text += "\n"
    return MergeResult(text=text, conflicts=conflicts)


def _split_lines(text: str) -> tuple[list[str], bool]:
    """The lines of ``text`` without line endings, and whether it ended with one."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text:
        return [], False
    ends_with_newline = text.endswith("\n")
    if ends_with_newline:
        text = text[:-1]
    return text.split("\n"), ends_with_newline


def _join_hunk(lines: Sequence[str]) -> str:
    return "".join(f"{line}\n" for line in lines)


def _split_agreed_lines(
    base: Sequence[str], mine: Sequence[str], theirs: Sequence[str]
) -> tuple[list[str], list[str], list[str], list[str], list[str]]:
    """Move lines that open or close both sides of a conflict out of it.

    merge3 makes the whole region between two unchanged stretches one
    conflict; when both members, say, added the same heading above
    different paragraphs (typical for a page created twice), only the
    paragraphs conflict. Returns (head, base, mine, theirs, tail).
    """
    shortest = min(len(mine), len(theirs))
    start = 0
    while start < shortest and mine[start] == theirs[start]:
        start += 1
    end = 0
    while end < shortest - start and mine[-1 - end] == theirs[-1 - end]:
        end += 1
    head = list(mine[:start])
    tail = list(mine[len(mine) - end :])
    # The base keeps only what is not already shown outside the markers.
    base_start = 0
    while base_start < min(start, len(base)) and base[base_start] == head[base_start]:
        base_start += 1
    base_end = 0
    while (
        base_end < min(end, len(base) - base_start)
        and base[-1 - base_end] == tail[-1 - base_end]
    ):
        base_end += 1
    return (
        head,
        list(base[base_start : len(base) - base_end]),
        list(mine[start : len(mine) - end]),
        list(theirs[start : len(theirs) - end]),
        tail,
    )
