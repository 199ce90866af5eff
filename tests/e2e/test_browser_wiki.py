"""In a real browser (Debian's Chromium through Playwright, against the live
server): two members of a community have the editor of the same wiki page
open at the same time. Changes to different paragraphs are merged; changes
to the same paragraph come back to the second person as a conflict, with
their text intact in the editor and the other save beside it, so that no
edit is lost. Against the ASGI application with its websocket, each of the
two sees live that the other is editing the page too."""

import re

import pytest
from factories import UserFactory
from factories.communities import make_community, make_member
from test_browser_join_request import browser_page, log_in

from communities.models import WikiPage
from communities.wiki import services

pytestmark = [
    pytest.mark.e2e,
    # The live server needs committed data; serialized_rollback brings back the
    # home page and community directory of the migrations that the flush of a
    # transactional test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PERIOD = "Der Hitzeaktionsplan gilt von Juni bis September."
WARNING = "Bei einer Hitzewarnung informiert das Ordnungsamt die Kitas."
WATER = "Trinkwasserbrunnen stehen am Markt und im Stadtpark."

# What Anna and Ben write.
ANNA_PERIOD = "Der Hitzeaktionsplan gilt von Mai bis September."
BEN_WATER = "Trinkwasserbrunnen stehen am Markt, im Stadtpark und am Bahnhof."
ANNA_WARNING = "Bei einer Hitzewarnung informiert das Ordnungsamt Kitas und Schulen."
BEN_WARNING = "Bei einer Hitzewarnung ruft das Gesundheitsamt die Pflegedienste an."

MERGED = "beide Änderungen wurden zusammengeführt"
SAVED = "Die Seite wurde gespeichert."


def page_of_anna_and_ben(body: str) -> WikiPage:
    """An internal community with Anna and Ben (of two municipalities) and
    Anna's page "Hitzeaktionsplan" with ``body``."""
    community = make_community(
        title="Klimaschutz und Klimafolgenanpassung",
        slug="klimaschutz",
        visibility="internal",
    )
    anna = make_member(
        community,
        UserFactory(email="anna.asmus@stadt-beispiel.de", display_name="Anna Asmus"),
    ).user
    make_member(
        community,
        UserFactory(email="ben.berg@kreis-beispiel.de", display_name="Ben Berg"),
    )
    return services.wiki_page_create(
        author=anna, community=community, title="Hitzeaktionsplan", body=body
    )


def change(page, old, new, summary):
    """Replace one paragraph in the open editor and save."""
    body = page.locator("textarea[name=body]")
    text = body.input_value()
    assert old in text, f"{old!r} is not in the editor"
    body.fill(text.replace(old, new))
    page.get_by_label("Änderungszusammenfassung").fill(summary)
    page.get_by_role("button", name="Speichern", exact=True).click()
    page.wait_for_load_state()


def test_two_members_edit_one_page_merged_then_a_conflict_nothing_lost(
    chromium, live_server
):
    base = live_server.url
    page = page_of_anna_and_ben(f"{PERIOD}\n\n{WARNING}\n\n{WATER}\n")
    edit_url = f"{base}/wiki/{page.pk}/bearbeiten/"
    page_url = base + page.url

    first = browser_page(chromium)
    log_in(first, base, "anna.asmus@stadt-beispiel.de")
    second = browser_page(chromium)
    log_in(second, base, "ben.berg@kreis-beispiel.de")

    # 1. Different paragraphs: both open the editor, Anna saves first, Ben's
    # save is merged with hers.
    first.goto(edit_url)
    second.goto(edit_url)
    change(first, PERIOD, ANNA_PERIOD, "Zeitraum ab Mai")
    first.get_by_text(SAVED).wait_for()
    assert first.url == page_url

    change(second, WATER, BEN_WATER, "Brunnen am Bahnhof")
    second.get_by_text(MERGED).wait_for()
    assert second.url == page_url
    text = second.locator(".wiki-body").inner_text()
    for sentence in (ANNA_PERIOD, WARNING, BEN_WATER):
        assert sentence in text, f"{sentence!r} is not on the page"
    assert PERIOD not in text and WATER not in text

    # 2. The same paragraph: both open the editor again, Anna saves first,
    # Ben's save is refused with a conflict and his text is kept.
    first.goto(edit_url)
    second.goto(edit_url)
    change(first, WARNING, ANNA_WARNING, "Schulen ergänzt")
    first.get_by_text(SAVED).wait_for()

    change(second, WARNING, BEN_WARNING, "Pflegedienste")
    second.get_by_text("Während Sie bearbeitet haben").first.wait_for()
    assert second.url == edit_url, "the conflicting edit left the editor"
    editor = second.locator("textarea[name=body]").input_value()
    assert BEN_WARNING in editor, "Ben's sentence is not in the editor"
    assert ANNA_WARNING in editor, "Anna's saved sentence is not in the editor"
    conflict = re.search(
        r"^<<<<<<< Ihre Fassung\n(.*)\n=======\n(.*)\n"
        r">>>>>>> Zwischenzeitlich gespeicherte Fassung$",
        editor.replace("\r\n", "\n"),
        re.MULTILINE | re.DOTALL,
    )
    assert conflict, f"no conflict markers in the editor:\n{editor}"
    assert conflict.group(1).strip() == BEN_WARNING
    assert conflict.group(2).strip() == ANNA_WARNING
    # The merged paragraphs of before are there too.
    assert ANNA_PERIOD in editor and BEN_WATER in editor
    assert second.locator("input[name=summary]").input_value() == "Pflegedienste"
    # Nothing of Ben's was saved, nothing of Anna's was overwritten.
    saved = WikiPage.objects.get(pk=page.pk).body
    assert ANNA_WARNING in saved and BEN_WARNING not in saved

    # Ben keeps both sentences, removes the markers and saves.
    body = second.locator("textarea[name=body]")
    body.fill(
        editor.replace("\r\n", "\n").replace(
            conflict.group(0), f"{ANNA_WARNING} {BEN_WARNING}"
        )
    )
    second.get_by_role("button", name="Speichern", exact=True).click()
    second.wait_for_load_state()
    second.get_by_text(SAVED).wait_for()
    text = second.locator(".wiki-body").inner_text()
    for sentence in (ANNA_PERIOD, ANNA_WARNING, BEN_WARNING, BEN_WATER):
        assert sentence in text, f"{sentence!r} is not on the page"
    assert "<<<<<<<" not in text and ">>>>>>>" not in text

    # Every save is a version: created, Anna, Ben merged, Anna, Ben resolved.
    first.goto(f"{base}/wiki/{page.pk}/versionen/")
    rows = first.locator("main table tbody tr")
    assert rows.count() == 5
    summaries = rows.locator("td:nth-child(5)").all_inner_texts()
    assert summaries[:4] == [
        "Pflegedienste",
        "Schulen ergänzt",
        "Brunnen am Bahnhof",
        "Zeitraum ab Mai",
    ]

    first.context.close()
    second.context.close()


def test_two_members_in_the_editor_see_each_other_live(chromium, asgi_live_server):
    """The presence notice over the websocket (wiki-presence.js on the shared
    socket of live-socket.js): each editor sees the other's name, and the
    notice goes away when the other one leaves the editor."""
    base = asgi_live_server
    page = page_of_anna_and_ben(f"{PERIOD}\n\n{WARNING}\n")
    edit_url = f"{base}/wiki/{page.pk}/bearbeiten/"

    first = browser_page(chromium)
    log_in(first, base, "anna.asmus@stadt-beispiel.de")
    second = browser_page(chromium)
    log_in(second, base, "ben.berg@kreis-beispiel.de")

    first.goto(edit_url)
    anna_sees = first.locator("#wiki-presence")
    # Alone in the editor: no notice.
    first.wait_for_timeout(500)
    assert anna_sees.is_hidden()

    second.goto(edit_url)
    ben_sees = second.locator("#wiki-presence")
    anna_sees.get_by_text(
        "Diese Seite wird gerade auch von Ben Berg bearbeitet."
    ).wait_for()
    ben_sees.get_by_text(
        "Diese Seite wird gerade auch von Anna Asmus bearbeitet."
    ).wait_for()
    # Nobody is told about themselves.
    assert "Anna Asmus" not in anna_sees.inner_text()
    assert "Ben Berg" not in ben_sees.inner_text()

    # Ben leaves the editor: Anna's notice goes away without a reload.
    second.goto(base + page.url)
    anna_sees.wait_for(state="hidden")
    assert anna_sees.inner_text() == ""

    first.context.close()
    second.context.close()
