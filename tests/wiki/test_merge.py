"""Three-way merge of wiki page texts: clean merges, conflicts with German
markers that keep the user's text, and the awkward inputs a browser sends."""

import random

from communities.wiki.merge import Conflict, merge_texts

BASE = (
    "# Winterdienst\n"
    "\n"
    "Die Räumpflicht beginnt um 7 Uhr.\n"
    "\n"
    "Gehwege werden mit Splitt gestreut.\n"
    "\n"
    "Ansprechpartner ist das Ordnungsamt.\n"
)


def test_changes_in_different_paragraphs_merge_cleanly():
    theirs = BASE.replace("7 Uhr", "6 Uhr")
    mine = BASE.replace("das Ordnungsamt", "der Bauhof")

    result = merge_texts(BASE, theirs, mine)

    assert result.clean
    assert result.conflicts == []
    assert result.text == BASE.replace("7 Uhr", "6 Uhr").replace(
        "das Ordnungsamt", "der Bauhof"
    )


def test_same_line_changed_differently_conflicts_with_both_versions_inside_markers():
    theirs = BASE.replace("mit Splitt", "mit Salz")
    mine = BASE.replace("mit Splitt", "mit Sand")

    result = merge_texts(BASE, theirs, mine)

    assert not result.clean
    assert result.text == (
        "# Winterdienst\n"
        "\n"
        "Die Räumpflicht beginnt um 7 Uhr.\n"
        "\n"
        "<<<<<<< Ihre Fassung\n"
        "Gehwege werden mit Sand gestreut.\n"
        "=======\n"
        "Gehwege werden mit Salz gestreut.\n"
        ">>>>>>> Zwischenzeitlich gespeicherte Fassung\n"
        "\n"
        "Ansprechpartner ist das Ordnungsamt.\n"
    )
    assert result.conflicts == [
        Conflict(
            base="Gehwege werden mit Splitt gestreut.\n",
            theirs="Gehwege werden mit Salz gestreut.\n",
            mine="Gehwege werden mit Sand gestreut.\n",
            line=5,
        )
    ]


def test_conflict_line_points_at_the_opening_marker_of_each_conflict():
    theirs = BASE.replace("7 Uhr", "6 Uhr").replace("Splitt", "Salz")
    mine = BASE.replace("7 Uhr", "8 Uhr").replace("Splitt", "Sand")

    result = merge_texts(BASE, theirs, mine)

    lines = result.text.splitlines()
    assert len(result.conflicts) == 2
    for conflict in result.conflicts:
        assert lines[conflict.line - 1] == "<<<<<<< Ihre Fassung"
        assert lines[conflict.line] == conflict.mine.rstrip("\n")
    assert [c.mine for c in result.conflicts] == [
        "Die Räumpflicht beginnt um 8 Uhr.\n",
        "Gehwege werden mit Sand gestreut.\n",
    ]


def test_theirs_label_names_the_version_saved_in_the_meantime():
    result = merge_texts(
        "a\n", "b\n", "c\n", theirs_label="Fassung von Anna Schmidt (10:42 Uhr)"
    )

    assert result.text.splitlines()[-1] == (
        ">>>>>>> Fassung von Anna Schmidt (10:42 Uhr)"
    )


def test_identical_changes_on_both_sides_are_no_conflict():
    changed = BASE.replace("Splitt", "Sand").replace("Ordnungsamt", "Bauhof")

    result = merge_texts(BASE, changed, changed)

    assert result.clean
    assert result.text == changed


def test_a_side_that_changed_nothing_takes_the_other_sides_text():
    changed = BASE.replace("Splitt", "Sand") + "\nNeuer Absatz.\n"

    assert merge_texts(BASE, changed, BASE).text == changed
    assert merge_texts(BASE, BASE, changed).text == changed
    assert merge_texts(BASE, BASE, changed).clean


def test_deleting_a_paragraph_that_the_other_side_edited_conflicts_and_keeps_the_edit():
    deleted = BASE.replace("Gehwege werden mit Splitt gestreut.\n\n", "")
    edited = BASE.replace("mit Splitt", "mit Sand")

    mine_edited = merge_texts(BASE, deleted, edited)
    mine_deleted = merge_texts(BASE, edited, deleted)

    assert not mine_edited.clean
    assert mine_edited.conflicts[0].mine.startswith("Gehwege werden mit Sand")
    assert "Gehwege werden mit Sand gestreut." in mine_edited.text
    assert not mine_deleted.clean
    assert mine_deleted.conflicts[0].theirs.startswith("Gehwege werden mit Sand")
    assert "Gehwege werden mit Sand gestreut." in mine_deleted.text


def test_deleting_a_paragraph_nobody_else_touched_merges_cleanly():
    theirs = BASE.replace("7 Uhr", "6 Uhr")
    mine = BASE.replace("Gehwege werden mit Splitt gestreut.\n\n", "")

    result = merge_texts(BASE, theirs, mine)

    assert result.clean
    assert "Splitt" not in result.text
    assert "6 Uhr" in result.text


def test_a_new_page_saved_twice_alike_is_no_conflict():
    text = "# Neue Seite\n\nErster Entwurf.\n"

    result = merge_texts("", text, text)

    assert result.clean
    assert result.text == text


def test_a_new_page_saved_twice_differently_conflicts_only_where_the_texts_differ():
    theirs = "# Neue Seite\n\nEntwurf von Anna.\n\nQuellen: KGSt\n"
    mine = "# Neue Seite\n\nEntwurf von Bernd.\n\nQuellen: KGSt\n"

    result = merge_texts("", theirs, mine)

    assert result.text == (
        "# Neue Seite\n"
        "\n"
        "<<<<<<< Ihre Fassung\n"
        "Entwurf von Bernd.\n"
        "=======\n"
        "Entwurf von Anna.\n"
        ">>>>>>> Zwischenzeitlich gespeicherte Fassung\n"
        "\n"
        "Quellen: KGSt\n"
    )
    assert result.conflicts == [
        Conflict(
            base="", theirs="Entwurf von Anna.\n", mine="Entwurf von Bernd.\n", line=3
        )
    ]


def test_all_texts_empty_merge_to_an_empty_text():
    result = merge_texts("", "", "")

    assert result.clean
    assert result.text == ""


def test_crlf_line_endings_merge_like_newlines():
    theirs = BASE.replace("7 Uhr", "6 Uhr")
    mine = BASE.replace("das Ordnungsamt", "der Bauhof").replace("\n", "\r\n")

    result = merge_texts(BASE.replace("\n", "\r\n"), theirs, mine)

    assert result.clean
    assert "\r" not in result.text
    assert result.text == BASE.replace("7 Uhr", "6 Uhr").replace(
        "das Ordnungsamt", "der Bauhof"
    )


def test_the_newline_at_the_end_follows_the_side_that_changed_it():
    without = BASE.rstrip("\n")

    assert merge_texts(BASE, BASE, without).text == without
    assert merge_texts(without, BASE, without).text == BASE
    assert merge_texts(BASE, BASE + "Neu.\n", without).text.endswith("Neu.")
    assert merge_texts(without, without + "\nNeu.", without).text.endswith("Neu.")
    assert merge_texts(BASE, BASE.replace("7", "6"), BASE).text.endswith("\n")


def test_a_missing_newline_at_the_end_causes_no_conflict():
    theirs = BASE.rstrip("\n")
    mine = BASE.replace("7 Uhr", "8 Uhr")

    result = merge_texts(BASE, theirs, mine)

    assert result.clean
    assert result.text == mine.rstrip("\n")


def test_umlauts_and_decomposed_umlauts_merge_without_conflict():
    base = "Straße\nÖffnungszeiten der Bürgerämter\nGrüße\n"
    # A browser may send "ü" as "u" plus a combining diaeresis (NFD).
    theirs = base.replace("Grüße", "Viele Grüße").replace("ü", "u\u0308")
    mine = base.replace("Straße", "Strasse")

    result = merge_texts(base, theirs, mine)

    assert result.clean
    assert result.text == "Strasse\nÖffnungszeiten der Bürgerämter\nViele Grüße\n"


def test_long_lines_conflict_as_whole_lines():
    paragraph = "Die Gemeinde prüft die Anträge sorgfältig. " * 120
    theirs = f"Kopf\n{paragraph}Anna\nFuß\n"
    mine = f"Kopf\n{paragraph}Bernd\nFuß\n"

    result = merge_texts(f"Kopf\n{paragraph}\nFuß\n", theirs, mine)

    assert len(result.conflicts) == 1
    assert result.conflicts[0].mine == f"{paragraph}Bernd\n"
    assert result.conflicts[0].theirs == f"{paragraph}Anna\n"


def test_a_users_heading_underline_is_kept_as_text_and_no_conflict():
    base = "Titel\n=======\n\nText\n"
    mine = "Neuer Titel\n=======\n\nText\n"

    result = merge_texts(base, base.replace("Text", "Mehr Text"), mine)

    assert result.clean
    assert result.text == "Neuer Titel\n=======\n\nMehr Text\n"


def _edit(lines: list[str], rng: random.Random, tag: str) -> list[str]:
    edited = list(lines)
    for _ in range(rng.randint(1, 4)):
        action = rng.choice(["insert", "delete", "replace"])
        position = rng.randrange(len(edited) + 1)
        new_line = f"{tag}-{rng.random()}"
        if action == "insert" or not edited:
            edited.insert(position, new_line)
        elif action == "delete":
            del edited[min(position, len(edited) - 1)]
        else:
            edited[min(position, len(edited) - 1)] = new_line
    return edited


def test_no_line_that_either_side_wrote_is_ever_lost():
    rng = random.Random(20250301)
    for _ in range(500):
        base = [f"Absatz {n}" for n in range(rng.randint(0, 12))]
        theirs = _edit(base, rng, "theirs")
        mine = _edit(base, rng, "mine")

        result = merge_texts("\n".join(base), "\n".join(theirs), "\n".join(mine))

        merged = result.text.splitlines()
        written = [line for line in theirs + mine if line not in base]
        assert all(line in merged for line in written), (base, theirs, mine)
        for conflict in result.conflicts:
            assert merged[conflict.line - 1] == "<<<<<<< Ihre Fassung"
            assert (
                conflict.mine.splitlines()
                == merged[
                    conflict.line : conflict.line + len(conflict.mine.splitlines())
                ]
            )
