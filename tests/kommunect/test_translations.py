"""The English catalogues are complete: every German text of the interface
(templates, Python, JavaScript) has an English translation that is not a
machine guess left "fuzzy" by makemessages."""

import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"


def entries(path: Path):
    """(msgid, msgstr texts, is fuzzy) of each entry of a .po file."""
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        if block.startswith("#~") or "msgid" not in block:
            continue
        fuzzy = bool(re.search(r"^#,.*\bfuzzy\b", block, re.M))
        fields = {}
        current = None
        for line in block.splitlines():
            match = re.match(
                r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?|msgctxt) "(.*)"$', line
            )
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if fields.get("msgid") == "":
            continue  # the header
        translations = [v for k, v in fields.items() if k.startswith("msgstr")]
        yield fields.get("msgid"), translations, fuzzy


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_text_has_an_english_translation(domain):
    path = LOCALE / f"{domain}.po"
    found = list(entries(path))
    assert len(found) > 20
    missing = [msgid for msgid, texts, fuzzy in found if fuzzy or not all(texts)]
    assert not missing, (
        f"{len(missing)} untranslated or fuzzy in {path.name}: {missing[:10]}"
    )
