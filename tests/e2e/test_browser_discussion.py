"""In a real browser (Debian's Chromium through Playwright, against the ASGI
application with its websocket): a member starts a thread, a colleague from
another municipality replies in a second browser, the reply appears live on
the first page without reloading, and the author marks it as the solution."""

import pytest
from factories import UserFactory
from factories.communities import make_community, make_member
from test_browser_join_request import browser_page, log_in

from communities.models import Thread

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_start_a_thread_reply_live_and_mark_the_solution(chromium, asgi_live_server):
    base = asgi_live_server
    community = make_community(
        title="Klimaschutz und Klimafolgenanpassung",
        slug="klimaschutz",
        visibility="internal",
    )
    make_member(
        community,
        UserFactory(email="anna.asmus@stadt-beispiel.de", display_name="Anna Asmus"),
    )
    make_member(
        community,
        UserFactory(email="ben.berg@kreis-beispiel.de", display_name="Ben Berg"),
    )

    author = browser_page(chromium)
    log_in(author, base, "anna.asmus@stadt-beispiel.de")
    author.goto(base + "/communities/klimaschutz/diskussionen/neu/")
    author.get_by_label("Titel").fill("Hitzeaktionsplan: wer hat eine Vorlage?")
    author.locator("textarea[name=body]").fill(
        "Wir erstellen gerade einen **Hitzeaktionsplan**. Hat jemand eine Vorlage?"
    )
    author.locator("input[name=tags]").fill("Hitzeschutz")
    author.get_by_role("button", name="Diskussion eröffnen").click()
    author.wait_for_load_state()
    thread = Thread.objects.get()
    assert author.url.endswith(f"/communities/klimaschutz/diskussionen/{thread.pk}/")
    author.get_by_role(
        "heading", name="Hitzeaktionsplan: wer hat eine Vorlage?"
    ).wait_for()
    # The page is connected to the websocket and watches the thread.
    author.locator("#posts[data-live-state=watching]").wait_for(state="attached")

    colleague = browser_page(chromium)
    log_in(colleague, base, "ben.berg@kreis-beispiel.de")
    colleague.goto(base + f"/communities/klimaschutz/diskussionen/{thread.pk}/")
    colleague.locator("#reply-form textarea[name=body]").fill(
        "Ja, der Kreis hat eine Vorlage – *gern per Mail*."
    )
    colleague.get_by_role("button", name="Antwort veröffentlichen").click()
    colleague.wait_for_load_state()
    colleague.get_by_text("Ihre Antwort wurde veröffentlicht.").wait_for()

    # Without reloading, the reply shows up on the author's page.
    live_reply = author.locator(
        "#posts article.post", has_text="der Kreis hat eine Vorlage"
    )
    live_reply.wait_for()
    assert live_reply.locator("em").inner_text() == "gern per Mail"

    live_reply.get_by_role("button", name="Als Lösung markieren").click()
    author.wait_for_load_state()
    author.locator(".thread-header .badge--solved", has_text="Gelöst").wait_for()
    solution = author.locator("section.thread-solution")
    assert "der Kreis hat eine Vorlage" in solution.inner_text()
    thread.refresh_from_db()
    assert thread.solution.author.display_name == "Ben Berg"
