"""The diff between two revisions of a wiki page: hunks, word marks, the
HTML table the revision pages show, and that no page text gets out of it
unescaped."""

import random
from html.parser import HTMLParser

from factories.xss import corpus_lines

from communities.wiki import diff as wiki_diff
from communities.wiki.diff import (
    Segment,
    diff_lines,
    diff_stats,
    render_diff_html,
)


def numbered(count: int) -> list[str]:
    return [f"Zeile {n}" for n in range(1, count + 1)]


def text(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def test_identical_texts_have_no_hunks_and_render_nothing():
    page = "# Titel\n\nText\n"

    assert diff_lines(page, page) == []
    assert render_diff_html([]) == ""
    assert diff_stats(page, page) == (0, 0)


def test_line_endings_and_the_last_newline_are_no_change():
    assert diff_lines("a\r\nb\r\n", "a\nb") == []
    assert diff_lines("Gr\u00fc\u00dfe\n", "Gru\u0308\u00dfe\n") == []


def test_an_inserted_line_has_only_a_new_number_and_context_around_it():
    old = numbered(10)
    new = old[:5] + ["Neue Zeile"] + old[5:]

    (hunk,) = diff_lines(text(old), text(new))

    assert [(r.kind, r.old_number, r.new_number) for r in hunk.rows] == [
        ("equal", 3, 3),
        ("equal", 4, 4),
        ("equal", 5, 5),
        ("insert", None, 6),
        ("equal", 6, 7),
        ("equal", 7, 8),
        ("equal", 8, 9),
    ]
    assert hunk.rows[3].new_text == "Neue Zeile"


def test_a_deleted_line_has_only_an_old_number():
    old = numbered(4)

    (hunk,) = diff_lines(text(old), text(old[:1] + old[2:]), context=0)

    assert [(r.kind, r.old_number, r.new_number, r.old_text) for r in hunk.rows] == [
        ("delete", 2, None, "Zeile 2")
    ]


def test_distant_changes_make_separate_hunks_with_the_given_context():
    old = numbered(30)
    new = list(old)
    new[1] = "Zeile zwei"
    new[27] = "Zeile achtundzwanzig"

    hunks = diff_lines(text(old), text(new), context=2)

    assert len(hunks) == 2
    assert [r.old_number for r in hunks[0].rows] == [1, 2, 3, 4]
    assert [r.old_number for r in hunks[1].rows] == [26, 27, 28, 29, 30]


def test_a_changed_line_marks_the_changed_words_with_umlauts_and_sharp_s():
    (hunk,) = diff_lines(
        "Die Straße ist gesperrt.\n", "Die Strasse ist wieder offen.\n"
    )

    (row,) = hunk.rows
    assert (row.kind, row.old_number, row.new_number) == ("change", 1, 1)
    assert row.old_segments == (
        Segment("Die ", False),
        Segment("Straße", True),
        Segment(" ist ", False),
        Segment("gesperrt", True),
        Segment(".", False),
    )
    assert row.new_segments == (
        Segment("Die ", False),
        Segment("Strasse", True),
        Segment(" ist ", False),
        Segment("wieder offen", True),
        Segment(".", False),
    )


def test_an_umlaut_change_marks_the_whole_word():
    (hunk,) = diff_lines(
        "Öffnungszeiten der Buergeraemter", "Öffnungszeiten der Bürgerämter"
    )

    assert hunk.rows[0].new_segments == (
        Segment("Öffnungszeiten der ", False),
        Segment("Bürgerämter", True),
    )


def test_whitespace_between_two_changed_words_belongs_to_the_change():
    (hunk,) = diff_lines("Die alte Regel gilt.", "Die neue Satzung gilt.")

    assert hunk.rows[0].old_segments == (
        Segment("Die ", False),
        Segment("alte Regel", True),
        Segment(" gilt.", False),
    )


def test_word_segments_always_join_to_the_whole_line():
    rng = random.Random(7)
    words = ["Straße", "Bürger", "und", "**fett**", "[Link](x)", "  ", "ß", "Ä."]
    for _ in range(300):
        old = " ".join(rng.choice(words) for _ in range(rng.randint(1, 12)))
        new = " ".join(rng.choice(words) for _ in range(rng.randint(1, 12)))
        for hunk in diff_lines(old, new):
            for row in hunk.rows:
                if row.kind == "change":
                    assert "".join(s.text for s in row.old_segments) == row.old_text
                    assert "".join(s.text for s in row.new_segments) == row.new_text
                    assert any(s.changed for s in row.old_segments + row.new_segments)


def test_a_replaced_block_pairs_lines_and_shows_extra_lines_as_insertions():
    old = "Kopf\nerste alt\nzweite alt\nFuß\n"
    new = "Kopf\nerste neu\nzweite neu\ndritte neu\nFuß\n"

    (hunk,) = diff_lines(old, new)

    assert [(r.kind, r.old_number, r.new_number) for r in hunk.rows] == [
        ("equal", 1, 1),
        ("change", 2, 2),
        ("change", 3, 3),
        ("insert", None, 4),
        ("equal", 4, 5),
    ]


def test_a_replaced_block_shows_extra_old_lines_as_deletions():
    (hunk,) = diff_lines("eins\nzwei\ndrei\n", "EINS\n")

    assert [(r.kind, r.old_number, r.new_number) for r in hunk.rows] == [
        ("change", 1, 1),
        ("delete", 2, None),
        ("delete", 3, None),
    ]


def test_a_small_edit_of_a_5000_character_line_is_marked_precisely():
    sentence = "Die Kommune veröffentlicht ihre Satzung über Straßenreinigung. "
    line = (sentence * 80)[:5000]
    middle = line.index(" über ", 2500)
    edited = line[:middle] + " samt Ergänzung" + line[middle:]

    (hunk,) = diff_lines(line, edited)

    (row,) = hunk.rows
    changed = [s.text.strip() for s in row.new_segments if s.changed]
    assert changed == ["samt Ergänzung"]
    assert not any(s.changed for s in row.old_segments)
    assert "".join(s.text for s in row.new_segments) == edited


def random_line(rng: random.Random, words: int) -> str:
    vocabulary = ["Straße", "Bürger", "und", "der", "die", "Amt", "Öffnung", "ß"]
    return " ".join(rng.choice(vocabulary) for _ in range(words))


def test_completely_different_5000_character_lines_are_marked_as_a_whole():
    rng = random.Random(3)
    old = random_line(rng, 900)[:5000]
    new = random_line(rng, 900)[:5000]

    (hunk,) = diff_lines(old, new)

    (row,) = hunk.rows
    assert "".join(s.text for s in row.new_segments) == new
    assert len(row.new_segments) <= 3


def test_many_changed_long_lines_share_one_bounded_word_budget():
    rng = random.Random(4)
    old = [random_line(rng, 300) for _ in range(40)]
    new = [random_line(rng, 300) for _ in range(40)]

    (hunk,) = diff_lines(text(old), text(new))

    assert [r.kind for r in hunk.rows] == ["change"] * 40
    assert len(hunk.rows[0].new_segments) > 3
    assert len(hunk.rows[-1].new_segments) <= 3
    for row, line in zip(hunk.rows, new, strict=True):
        assert "".join(s.text for s in row.new_segments) == line


def test_the_word_budget_falls_back_to_marking_the_changed_middle(monkeypatch):
    monkeypatch.setattr(wiki_diff, "WORD_DIFF_LINE_BUDGET", 4)

    (hunk,) = diff_lines("A alte Regel gilt B", "A neue Regel galt B")

    assert hunk.rows[0].new_segments == (
        Segment("A ", False),
        Segment("neue Regel galt", True),
        Segment(" B", False),
    )


def test_diff_stats_counts_added_and_removed_lines():
    old = text(numbered(5))
    new = text(["Zeile 1", "Zeile zwei", "Zeile 3", "Zeile 5", "neu", "neu"])

    assert diff_stats(old, new) == (3, 2)
    assert diff_stats("", "a\nb\n") == (2, 0)
    assert diff_stats("a\nb\n", "") == (0, 2)


def test_rendered_table_has_line_numbers_signs_and_marked_words():
    html = render_diff_html(diff_lines("Kopf\nDie Straße\n", "Kopf\nDie Strasse\n"))

    assert html.startswith('<table class="wiki-diff"><thead>')
    assert (
        '<tr class="wiki-diff__row wiki-diff__row--equal">'
        '<td class="wiki-diff__number">1</td><td class="wiki-diff__number">1</td>'
        '<td class="wiki-diff__sign"></td><td class="wiki-diff__text">Kopf</td></tr>'
    ) in html
    assert (
        '<tr class="wiki-diff__row wiki-diff__row--delete">'
        '<td class="wiki-diff__number">2</td><td class="wiki-diff__number"></td>'
        '<td class="wiki-diff__sign"><span aria-hidden="true">-</span>'
        '<span class="visually-hidden">Entfernt</span></td>'
        '<td class="wiki-diff__text">Die <del>Straße</del></td></tr>'
    ) in html
    assert '<td class="wiki-diff__text">Die <ins>Strasse</ins></td>' in html
    assert html.index("wiki-diff__row--delete") < html.index("wiki-diff__row--insert")


def test_a_run_of_changes_shows_all_old_lines_before_the_new_ones():
    html = render_diff_html(diff_lines("a1\na2\n", "b1\nb2\n"))

    kinds = [part.split('"', 1)[0] for part in html.split("wiki-diff__row--")[1:]]
    assert kinds == ["delete", "delete", "insert", "insert"]


def test_hunks_are_separated_by_an_ellipsis_row():
    old = numbered(30)
    new = ["Anfang"] + old[1:29] + ["Ende"]

    html = render_diff_html(diff_lines(text(old), text(new), context=1))

    assert html.count('<td colspan="4">…</td>') == 1


def test_page_text_is_escaped_in_the_table():
    html = render_diff_html(
        diff_lines('<b>fett</b> & "zitiert"\n', "<i>kursiv</i> & 'x'\n")
    )

    assert "<b>" not in html
    assert "<i>" not in html
    assert "&lt;b&gt;fett&lt;/b&gt; &amp; &quot;zitiert&quot;" in html.replace(
        "<del>", ""
    ).replace("</del>", "")
    assert "&#x27;x&#x27;" in html


class MarkupCollector(HTMLParser):
    ALLOWED = {
        "table": {"class"},
        "thead": set(),
        "tbody": set(),
        "tr": {"class"},
        "th": {"scope"},
        "td": {"class", "colspan"},
        "span": {"class", "aria-hidden"},
        "del": set(),
        "ins": set(),
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.attributes.extend(attrs)
        if tag not in self.ALLOWED:
            self.problems.append(f"element <{tag}>")
            return
        for name, _value in attrs:
            if name not in self.ALLOWED[tag]:
                self.problems.append(f"attribute {name} on <{tag}>")


def assert_only_the_tables_own_markup(html: str) -> None:
    assert "<script" not in html.lower()
    collector = MarkupCollector()
    collector.feed(html)
    collector.close()
    names = {name for name, _value in collector.attributes}
    assert not {name for name in names if name.startswith("on")}
    assert "href" not in names
    assert not any(
        "javascript:" in (value or "").lower() for _name, value in collector.attributes
    )
    # Stricter than the three checks above: nothing but the table's own markup.
    assert not collector.problems, collector.problems[:10]


def test_no_payload_of_the_xss_corpus_gets_out_of_the_diff_unescaped():
    payloads = corpus_lines()
    assert len(payloads) > 6000
    edited = [
        f"Straße {payload} geprüft" if index % 3 == 1 else payload
        for index, payload in enumerate(payloads)
        if index % 7 != 0
    ]

    html = render_diff_html(diff_lines(text(payloads), text(edited)))

    assert 'class="wiki-diff__row wiki-diff__row--insert"' in html
    assert "<ins>Straße </ins>" in html
    assert_only_the_tables_own_markup(html)


def test_payloads_paired_against_each_other_stay_escaped_in_word_marks():
    payloads = corpus_lines()

    hunks = diff_lines(text(payloads[0::2]), text(payloads[1::2]))
    html = render_diff_html(hunks)

    assert any(r.kind == "change" for hunk in hunks for r in hunk.rows)
    assert "<del>" in html
    assert "<ins>" in html
    assert_only_the_tables_own_markup(html)
