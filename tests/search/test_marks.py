"""Marking in Python (search/marks.py): the SQLite backend's snippets, the
tags of every hit, and what the other backends leave unmarked."""

from search.analysis import parse_query
from search.marks import (
    COMPLETE_CHARS,
    SNIPPET_CHARS,
    completed,
    highlight,
    query_stems,
)

FILLER = "Die Verwaltung tagt am Montag im Rathaus. "


def stems(text):
    return query_stems(parse_query(text))


def test_words_their_forms_umlauts_synonyms_and_compounds_are_marked():
    text = "Kitas & Kindertagesstätten: Hitzeschutz, Buerger <b>Bürger</b>."
    assert highlight(text, stems("Kita Hitze Bürger"), whole=True) == (
        "<mark>Kitas</mark> &amp; <mark>Kindertagesstätten</mark>: "
        "<mark>Hitzeschutz</mark>, <mark>Buerger</mark> &lt;b&gt;"
        "<mark>Bürger</mark>&lt;/b&gt;."
    )


def test_a_snippet_is_a_window_around_the_first_match_with_all_its_matches():
    text = FILLER * 20 + "Hitzeschutz in der Kita, Hitzeschutz im Heim. " + FILLER * 200
    snippet = highlight(text, stems("Hitzeschutz"))
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert snippet.count("<mark>Hitzeschutz</mark>") == 2
    plain = snippet.replace("<mark>", "").replace("</mark>", "")
    assert SNIPPET_CHARS - 10 <= len(plain) <= SNIPPET_CHARS + 30
    assert plain.strip("… ") in text
    # A match far after the window is not in it.
    assert highlight(text + " Hitzeschutz", stems("Hitzeschutz")) == snippet


def test_completed_keeps_the_backends_marks_and_adds_what_it_left_out():
    text = "Schritte zur Klimafolgenanpassung in der Stadtplanung."
    query = stems("Klimaanpassung")
    assert completed("<mark>Schritte</mark>", text, query) == "<mark>Schritte</mark>"
    assert completed("Schritte zur …", text, query) == (
        "Schritte zur <mark>Klimafolgenanpassung</mark> in der Stadtplanung."
    )
    # Nothing to mark here either: the backend's text as it was.
    assert completed("Schritte zur …", text, stems("Radweg")) == "Schritte zur …"


def test_completed_looks_at_the_start_of_long_texts_only():
    far = "x" * COMPLETE_CHARS + " Klimafolgenanpassung"
    assert completed("x …", far, stems("Klimaanpassung")) == "x …"
    near = "Klimafolgenanpassung " + "x" * COMPLETE_CHARS
    assert completed("K …", near, stems("Klimaanpassung")).startswith(
        "<mark>Klimafolgenanpassung</mark>"
    )
