"""German text analysis shared by the search backends.

What the engines do not do alone is done here, once, from data files in
``search/data``:

- the query language people know from web search: ``"exakte Phrase"``,
  ``-ausschließen``, ``OR`` (``parse_query``);
- umlaut spellings: ``Buerger`` is ``Bürger`` (``umlaut_variant``); ``ß`` and
  ``ss`` and the umlauts themselves are folded by the stemmers;
- compound words: ``Klimafolgenanpassung`` → klima, folgen, anpassung
  (``decompound``, from the word list ``compound_parts.txt``);
- synonyms of administrative German (``synonyms.txt``): KiTa ⇄
  Kindertagesstätte, OZG ⇄ Onlinezugangsgesetz …
- very common words (``stopwords.txt``, PostgreSQL's list) are not searched
  for: PostgreSQL leaves them out of its index, so every backend leaves them
  out of its queries (``is_stopword``), and all find the same.

A query becomes a ``Query`` of clauses; ``expand`` turns each term into its
alternatives, each a conjunction of leaves (a word, or a phrase of several),
which the backends translate into their own query language. Documents get
``index_extras``: the same variants and compound parts, indexed beside the
text so that both sides meet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import snowballstemmer

DATA = Path(__file__).resolve().parent / "data"

MAX_QUERY_CHARS = 500
MAX_TERMS = 16
MIN_PART = 3  # shortest part of a compound
MIN_COMPOUND = 7  # shortest word worth splitting

WORD = re.compile(r"\w+(?:[-’']\w+)*", re.UNICODE)
_UMLAUT_SPELLING = re.compile(r"(?<![aeq])(ae|oe|ue)")
_UMLAUTS = {"ae": "ä", "oe": "ö", "ue": "ü"}
# Linking elements (Fugen) between the parts of a compound.
_LINKS = ("", "s", "es", "n", "en", "e", "er")
# Endings of the last part (Klimafolgenanpassungen).
_ENDINGS = ("", "e", "en", "n", "s", "es", "er", "ern")


def _read_lines(name: str) -> list[str]:
    lines = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


def normalise(text: str) -> str:
    """Lower case, NFC, typographic apostrophes and dashes made plain."""
    text = unicodedata.normalize("NFC", text).casefold()
    return text.replace("ß", "ss").replace("’", "'").replace("‑", "-")


def words(text: str) -> list[str]:
    """The words of ``text``, normalised; hyphenated words stay whole. A
    run of underscores is none (``\\w`` takes them, no engine does)."""
    return [word for word in WORD.findall(normalise(text)) if word.strip("_")]


def umlaut_variant(word: str) -> str | None:
    """``buerger`` → ``bürger``; None when the word has no such spelling."""
    if not _UMLAUT_SPELLING.search(word):
        return None
    return _UMLAUT_SPELLING.sub(lambda match: _UMLAUTS[match.group(1)], word)


def umlaut_spelling(words: Iterable[str]) -> str:
    """``words`` joined by spaces, each in its umlaut spelling if it has one
    (``buerger amt`` → ``bürger amt``)."""
    return " ".join(umlaut_variant(word) or word for word in words)


@cache
def compound_parts() -> frozenset[str]:
    return frozenset(normalise(line) for line in _read_lines("compound_parts.txt"))


@cache
def stopwords() -> frozenset[str]:
    return frozenset(normalise(line) for line in _read_lines("stopwords.txt"))


def is_stopword(word: str) -> bool:
    """A word too common to search for: one that PostgreSQL's ``german``
    configuration leaves out (``fuer`` too, as ``für``). SQLite and the
    engine index such words, so a query that asked for them would find
    there what PostgreSQL cannot."""
    word = normalise(word)
    if "-" in word:  # für-alle: PostgreSQL leaves each piece out
        return all(is_stopword(piece) for piece in word.split("-") if piece)
    return word in stopwords() or umlaut_variant(word) in stopwords()


@cache
def filler_words() -> frozenset[str]:
    return frozenset(normalise(line) for line in _read_lines("filler_words.txt"))


def is_filler(term: Term) -> bool:
    """A term of only the words of a question that carry no topic ("wer",
    "schon", see ``filler_words.txt``), or of common words. They are
    searched for; when a search finds nothing, they are left out first."""
    return all(
        normalise(word) in filler_words() or is_stopword(word) for word in term.words
    )


# Bounded as ``stem``: a server sees ever more words.
@lru_cache(maxsize=200_000)
def decompound(word: str) -> tuple[str, ...]:
    """The parts of a compound word (at least two), or ``()``.

    Every part is in the word list; between parts a linking element may
    stand, and the last part may carry an ending. Of several splits the one
    with the fewest parts wins, then the one with the longest last part."""
    word = normalise(word)
    if len(word) < MIN_COMPOUND or "-" in word:
        return ()
    known = compound_parts()
    best: tuple[str, ...] | None = None

    def split(start: int, parts: tuple[str, ...]) -> None:
        nonlocal best
        if best is not None and len(parts) >= len(best):
            return
        rest = word[start:]
        for ending in _ENDINGS:
            if ending and not rest.endswith(ending):
                continue
            stem = rest[: len(rest) - len(ending)] if ending else rest
            if parts and stem in known and len(stem) >= MIN_PART:
                best = (*parts, stem)
                return
        for end in range(len(word) - MIN_PART, start + MIN_PART - 1, -1):
            part = word[start:end]
            if part not in known:
                continue
            for link in _LINKS:
                if (
                    word.startswith(link, end)
                    and len(word) - end - len(link) >= MIN_PART
                ):
                    split(end + len(link), (*parts, part))

    split(0, ())
    return best or ()


@cache
def synonym_groups() -> dict[str, tuple[str, ...]]:
    """Each spelling (normalised words joined by one space) → its group."""
    groups: dict[str, tuple[str, ...]] = {}
    for line in _read_lines("synonyms.txt"):
        group = tuple(" ".join(words(entry)) for entry in line.split(","))
        group = tuple(entry for entry in group if entry)
        for entry in group:
            groups[entry] = group
    return groups


@cache
def _stemmer():
    return snowballstemmer.stemmer("german")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball German stem of a normalised word (as PostgreSQL's
    ``german`` configuration and Elasticsearch stem it)."""
    return _stemmer().stemWord(word)


def index_extras(text: str) -> str:
    """Words to index beside ``text``: the umlaut spelling of words written
    with ae/oe/ue, and the parts of compounds."""
    extras: list[str] = []
    seen: set[str] = set()
    for word in words(text):
        if word in seen:
            continue
        seen.add(word)
        for piece in word.split("-"):
            variant = umlaut_variant(piece)
            if variant:
                extras.append(variant)
            extras.extend(decompound(variant or piece))
    return " ".join(extras)


# --- the query language ---------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A word (``phrase`` False) or a phrase of words, as typed; or
    (``phrase`` False, several words) words typed apart that together are
    a synonym ("elektronische Akte"): all of them, or one of its synonyms."""

    words: tuple[str, ...]
    phrase: bool = False
    # As typed (case and ß kept, punctuation around it not), to show.
    typed: str = field(default="", compare=False)

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def shown(self) -> str:
        return self.typed or self.text


@dataclass
class Query:
    """``clauses`` must all match; each clause is a list of terms of which
    one must match (``a OR b``). No document may match an ``excluded`` term."""

    clauses: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    # Terms left out as too common (``is_stopword``), as typed.
    common: list[str] = field(default_factory=list)
    # Words typed after the first ``MAX_TERMS`` terms, left out.
    cut: bool = False

    def __bool__(self) -> bool:
        return bool(self.clauses)

    def terms(self) -> list[Term]:
        return [term for clause in self.clauses for term in clause]


# "a OR b", as in web search, or in German: "a ODER b" (capitals only, so
# that the word "oder" is still a word).
OPERATORS_OR = ("OR", "ODER")
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
# Typographic quotation marks (German „…“ and »…«, English “…”) are quotes,
# and a dash that a word processor made of "-" before a word (–Kita) is the
# minus of an exclusion.
_QUOTES = str.maketrans(dict.fromkeys("„“”»«", '"'))
_TYPED_DASH = re.compile(r'(?<!\S)[‐‑–—−](?=[\w"])')


def parse_query(text: str) -> Query:
    """Parse what someone typed. Nothing is an error: an unbalanced quote
    ends the phrase at the end of the text, characters that are no part of a
    word are ignored, a lone ``OR`` or ``-`` is dropped, and only the first
    ``MAX_TERMS`` terms count."""
    text = _TYPED_DASH.sub("-", (text or "")[:MAX_QUERY_CHARS].translate(_QUOTES))
    query = Query()
    pending_or = False
    count = 0
    for match in _TOKEN.finditer(text):
        if count >= MAX_TERMS:
            rest = text[match.start() :].split()
            query.cut = any(
                not is_stopword(word)
                for t in rest
                if t not in OPERATORS_OR
                for word in words(t)
            )
            break
        negate, quoted, plain = match.group(1), match.group(2), match.group(3)
        if plain in OPERATORS_OR:
            pending_or = bool(query.clauses)
            continue
        typed = " ".join(
            WORD.findall(unicodedata.normalize("NFC", plain or quoted or ""))
        )
        if quoted is not None:
            # Quoted, a word too is taken as written: not in parts.
            found = tuple(words(quoted))
            term = Term(found, phrase=True, typed=typed) if found else None
        else:
            negate = "-" if plain.startswith("-") and len(plain) > 1 else ""
            found = tuple(words(plain))
            if not found:
                term = None
            elif len(found) == 1:
                term = Term(found, typed=typed)
            else:  # "Straße/Weg": words joined by other characters
                term = Term(found, phrase=True, typed=typed)
        if term is None:
            continue
        # Common words are not counted: a question in whole sentences has many.
        if not _common_word(term):
            count += 1
        if negate:
            query.excluded.append(term)
            pending_or = False
        elif pending_or and query.clauses:
            query.clauses[-1].append(term)
            pending_or = False
        else:
            query.clauses.append([term])
    query.clauses = _joined_synonyms(query.clauses)
    _leave_out_common(query)
    return query


def _common_word(term: Term) -> bool:
    """A single common word: left out unless it is part of a synonym of
    several words ("Anpassung an den Klimawandel")."""
    return len(term.words) == 1 and is_stopword(term.words[0])


def _leave_out_common(query: Query) -> None:
    """Drop the terms that are only common words (a phrase of them too),
    noting them in ``query.common`` (each once); a clause of only such terms
    goes. A phrase loses those at its ends: PostgreSQL does not see them
    ("die Kita" is "Kita" there); those between its words stay."""
    noted: set[str] = set()

    def common(term: Term) -> bool:
        if all(is_stopword(word) for word in term.words):
            if term.text not in noted:
                noted.add(term.text)
                query.common.append(term.shown)
            return True
        return False

    def trimmed(term: Term) -> Term:
        if not term.phrase:
            return term
        found = list(term.words)
        while len(found) > 1 and is_stopword(found[0]):
            found.pop(0)
        while len(found) > 1 and is_stopword(found[-1]):
            found.pop()
        if len(found) == len(term.words):
            return term
        return Term(tuple(found), phrase=True, typed=term.typed)

    clauses = [
        [trimmed(term) for term in clause if not common(term)]
        for clause in query.clauses
    ]
    query.clauses = [clause for clause in clauses if clause]
    query.excluded = [trimmed(term) for term in query.excluded if not common(term)]


def _joined_synonyms(clauses: list[list[Term]]) -> list[list[Term]]:
    """Consecutive words typed apart that are a synonym together
    ("elektronische Akte", "Anpassung an den Klimawandel") as one term, so
    that they find its synonyms (E-Akte) as a phrase of them would."""
    longest = max((len(entry.split()) for entry in synonym_groups()), default=1)

    def word(clause) -> str | None:
        if len(clause) == 1 and not clause[0].phrase and len(clause[0].words) == 1:
            return clause[0].words[0]
        return None

    joined: list[list[Term]] = []
    position = 0
    while position < len(clauses):
        for length in range(min(longest, len(clauses) - position), 1, -1):
            found = [word(clause) for clause in clauses[position : position + length]]
            if None in found:
                continue
            text = " ".join(found)
            variant = umlaut_spelling(found)
            if text in synonym_groups() or variant in synonym_groups():
                typed = " ".join(
                    clause[0].shown for clause in clauses[position : position + length]
                )
                joined.append([Term(tuple(found), typed=typed)])
                position += length
                break
        else:
            joined.append(clauses[position])
            position += 1
    return joined


# Leaves: a word (no space) or a phrase (words joined by spaces).
Alternative = tuple[str, ...]  # leaves that must all match


def expand(term: Term, parts: bool = True) -> list[Alternative]:
    """The alternatives of a term: itself, its umlaut spelling, its
    synonyms (with its other forms: Kita, Kitas) and, with ``parts``, for a
    compound or a hyphenated word its parts together. An excluded term is
    expanded without the parts: "-Kita" excludes what "Kita" finds as a
    word, but "-Bauantrag" not every text with "Bau" and "Antrag" somewhere."""
    text = term.text
    # Words typed apart (a synonym together): each of them, in any order.
    apart = len(term.words) > 1 and not term.phrase
    alternatives: list[Alternative] = [term.words if apart else (text,)]

    def add(alternative: Alternative) -> None:
        if alternative and alternative not in alternatives:
            alternatives.append(alternative)

    variant = umlaut_spelling(term.words)
    add(tuple(variant.split()) if apart else (variant,))
    for spelling in (text, variant):
        for synonym in synonym_groups().get(spelling, ()):
            add((synonym,))
    if parts and not term.phrase and not apart:
        # As typed and in its umlaut spelling (Aktuelle-Informationen is not
        # only "aktülle"): a hyphenated word (Hitzeaktionsplan-Vorlage) by
        # its words anywhere, as a compound by its parts; not by pieces of a
        # letter or two (E-Akte).
        for spelling in dict.fromkeys((text, variant)):
            pieces = tuple(spelling.split("-"))
            if len(pieces) > 1 and all(len(piece) >= MIN_PART for piece in pieces):
                add(pieces)
            else:
                add(decompound(spelling))
    # Words of an alternative that are too common to search for are left
    # out, as PostgreSQL leaves them out ("Kita-für-alle": kita); not from a
    # phrase, where they stand between its words.
    kept = []
    for alternative in alternatives:
        if len(alternative) > 1:
            alternative = tuple(
                leaf for leaf in alternative if " " in leaf or not is_stopword(leaf)
            )
        if alternative and alternative not in kept:
            kept.append(alternative)
    return kept


def typed_spellings(text: str) -> list[str]:
    """What someone typed into the header's field, as words, and with
    umlauts for ae/oe/ue (Mobilitaet: also mobilität), for prefix matches."""
    typed = " ".join(words(text))[:100]
    variant = umlaut_spelling(typed.split())
    return [typed] if variant == typed else [typed, variant]


def _as_spelt(typed: str, word: str) -> str:
    """``word`` (normalised: ß as ss) with the beginning and end it shares
    with ``typed`` spelt as typed: Fahradstraße → fahrradstraße."""
    # Each typed letter and what normalising makes of it (ß: ss).
    letters = [(letter.lower(), normalise(letter)) for letter in typed]

    def shared(pairs, text):
        """How many of ``pairs`` (from the start) ``text`` begins with."""
        count, position = 0, 0
        for _letter, normal in pairs:
            if text[position : position + len(normal)] != normal:
                break
            count, position = count + 1, position + len(normal)
        return count, position

    head, head_chars = shared(letters, word)
    tail, tail_chars = shared(letters[::-1], word[::-1])
    if head + tail > len(letters):  # a doubled letter: Fahr|r|adstraße
        tail = len(letters) - head
        tail_chars = sum(len(normal) for _letter, normal in letters[head:])
    while tail and head_chars + tail_chars > len(word):  # Großstadt|t
        tail_chars -= len(letters[len(letters) - tail][1])
        tail -= 1
    start = "".join(letter for letter, _n in letters[:head])
    end = "".join(letter for letter, _n in letters[len(letters) - tail :])
    return start + word[head_chars : len(word) - tail_chars] + end


def respell(text: str, better: dict[str, str]) -> str:
    """``text`` as typed, with each word whose normalised form is a key of
    ``better`` replaced by its value in the typed word's case (Hitzschutz →
    Hitzeschutz); operators, quotes and the other words stay as they were."""

    def replace(match: re.Match) -> str:
        typed = match.group()
        word = better.get(normalise(typed))
        if word is None:
            return typed
        word = _as_spelt(typed, word)
        if len(typed) > 1 and typed.isupper():
            return word.upper()
        if typed[0].isupper():
            return word[0].upper() + word[1:]
        return word

    return WORD.sub(replace, text)


def query_words(query: Query) -> list[str]:
    """Every word a document may match, for highlighting and suggestions."""
    found: list[str] = []
    for term in query.terms():
        for alternative in expand(term):
            for leaf in alternative:
                for word in leaf.split():
                    if word not in found:
                        found.append(word)
    return found
