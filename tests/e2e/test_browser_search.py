"""Search in a real browser: suggestions in the header while typing, the
search page with highlights, facets, "Meinten Sie …?", and nothing of a
private community for someone outside it."""

import re

import pytest
from factories import OrganisationFactory, UserFactory
from factories.communities import make_community, make_member
from playwright.sync_api import expect
from test_browser_join_request import browser_page, log_in

from communities.discussions import services as discussions
from communities.wiki import services as wiki

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_member_finds_threads_and_wiki_pages_and_an_outsider_not_the_private_ones(
    chromium, live_server
):
    base = live_server.url
    anna = UserFactory(
        email="anna@stadt.de",
        display_name="Anna Asmus",
        organisation=OrganisationFactory(name="Stadt Beispielstadt"),
    )
    UserFactory(email="olga@kreis.de", display_name="Olga Außen")
    klima = make_community(title="Klima und Umwelt", slug="klima")
    runde = make_community(
        title="Vertrauliche Runde", slug="runde", visibility="private"
    )
    make_member(klima, anna)
    make_member(runde, anna)
    # Written as people write them; the index follows on commit.
    discussions.thread_create(
        author=anna,
        community=klima,
        title="Hitzeschutz in der Kita",
        body="Wie schützen Gemeinden ihre Kindertagesstätten vor Hitze?",
        tags=["Hitze"],
    )
    wiki.wiki_page_create(
        author=anna,
        community=klima,
        title="Hitzeaktionsplan – Schritt für Schritt",
        body="Wer wird bei einer Hitzewarnung informiert?",
    )
    discussions.thread_create(
        author=anna,
        community=runde,
        title="Hitzeschutz-Etat wird gekürzt",
        body="Bitte noch nicht weitersagen.",
    )

    page = browser_page(chromium)
    log_in(page, base, "anna@stadt.de")

    # Suggestions while typing, chosen with the keyboard.
    field = page.get_by_role("combobox", name="Suche")
    field.press_sequentially("Hitzea")
    option = page.get_by_role("option", name=re.compile("Hitzeaktionsplan"))
    expect(option).to_be_visible()
    field.press("ArrowDown")
    expect(field).to_have_attribute("aria-activedescendant", re.compile("listbox-0"))
    field.press("Enter")
    expect(page).to_have_url(re.compile(r"/hitzeaktionsplan-schritt-fuer-schritt/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hitzeaktionsplan")

    # The search page: the plural and the synonym find the thread.
    field = page.get_by_role("combobox", name="Suche")
    field.fill("Kitas Hitzeschutz")
    field.press("Enter")
    expect(page).to_have_url(re.compile(r"/suche/\?q=Kitas"))
    results = page.locator(".search-results")
    expect(results.get_by_role("heading", level=2)).to_have_text("1 Ergebnis")
    hit = results.locator(".search-hit").first
    expect(hit.locator("mark").first).to_have_text("Hitzeschutz")
    expect(hit).to_contain_text("Anna Asmus (Stadt Beispielstadt)")
    expect(hit).to_contain_text("Klima und Umwelt")

    # Facets narrow the result; the private community's thread is there for
    # her (and the Hitzeaktionsplan: a synonym of Hitzeschutz).
    page.goto(base + "/suche/?q=Hitzeschutz")
    expect(results.get_by_role("heading", level=2)).to_have_text("3 Ergebnisse")
    page.locator(".search-facets").get_by_role(
        "link", name=re.compile("Vertrauliche Runde")
    ).click()
    expect(results.get_by_role("heading", level=2)).to_have_text("1 Ergebnis")
    expect(results).to_contain_text("Etat wird gekürzt")

    # From a community's page, a search in that community only: not the
    # private community's thread she may read as well.
    page.goto(base + klima.url)
    scoped = page.get_by_role("search", name="Suche in „Klima und Umwelt“")
    scoped.get_by_role("searchbox", name="In dieser Community suchen").fill(
        "Hitzeschutz"
    )
    scoped.get_by_role("button", name="Suchen").click()
    expect(results.get_by_role("heading", level=2)).to_have_text("2 Ergebnisse")
    expect(results).not_to_contain_text("gekürzt")
    expect(page.locator(".search-facets [aria-current]").first).to_contain_text(
        "Klima und Umwelt"
    )
    expect(results.get_by_text("Nur in „Klima und Umwelt“")).to_be_visible()
    results.get_by_role("link", name="In allen Communities suchen").click()
    expect(results.get_by_role("heading", level=2)).to_have_text("3 Ergebnisse")

    # A typo: "Meinten Sie …?" leads to what she meant.
    page.goto(base + "/suche/?q=Hitzeschuz")
    expect(page.get_by_text("haben wir nichts gefunden")).to_be_visible()
    page.get_by_role("link", name="Hitzeschutz", exact=True).click()
    expect(results.get_by_role("heading", level=2)).to_have_text("3 Ergebnisse")

    # Someone outside the private community finds only the public ones.
    outsider = browser_page(chromium)
    log_in(outsider, base, "olga@kreis.de")
    outsider.goto(base + "/suche/?q=Hitzeschutz")
    outsider_results = outsider.locator(".search-results")
    expect(outsider_results.get_by_role("heading", level=2)).to_have_text(
        "2 Ergebnisse"
    )
    expect(outsider_results).not_to_contain_text("gekürzt")
    expect(outsider.locator(".search-facets")).not_to_contain_text("Vertrauliche Runde")

    # When the list of suggestions goes, so does what a screen reader was told.
    field = outsider.get_by_role("combobox", name="Suche")
    field.fill("")
    field.press_sequentially("Hitzea")
    status = outsider.locator("[data-search-status]")
    expect(status).to_have_text("1 Vorschlag, mit Pfeil nach unten wählen.")
    field.press_sequentially("xyzqq")
    expect(field).to_have_attribute("aria-expanded", "false")
    expect(status).to_have_text("")


def test_on_a_phone_the_hits_come_first_and_titles_read_as_text(chromium, live_server):
    base = live_server.url
    anna = UserFactory(email="anna@stadt.de", display_name="Anna Asmus")
    klima = make_community(title="Klima und Umwelt", slug="klima")
    make_member(klima, anna)
    for number in range(3):
        discussions.thread_create(
            author=anna,
            community=klima,
            title=f"Hitzeschutz in der Kita {number}: Sonnensegel, Trinkpläne "
            "und Ruhezeiten für heiße Sommertage",
            body="Wie schützen Gemeinden ihre Kindertagesstätten vor Hitze?",
            tags=[f"Thema {number}", "Hitze", "Kita"],
        )
    context = chromium.new_context(
        locale="de-DE", viewport={"width": 375, "height": 800}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, base, "anna@stadt.de")

    page.goto(base + "/suche/?q=Hitzeschutz")
    results = page.locator(".search-results")
    expect(results.get_by_role("heading", level=2)).to_have_text("3 Ergebnisse")
    # The facets are folded away, the first hit is on the first screen.
    hit = results.locator(".search-hit").first
    expect(hit).to_be_in_viewport()
    facets = page.locator(".search-facets")
    expect(facets.get_by_role("link", name=re.compile("Thema 0"))).to_be_hidden()
    facets.get_by_text("Eingrenzen").click()
    facets.get_by_role("link", name=re.compile("Thema 0")).click()
    expect(results.get_by_role("heading", level=2)).to_have_text("1 Ergebnis")

    # A title with a marked word wraps as text: its second line starts at
    # the left edge, not in a column beside the marked word.
    title = results.locator(".search-hit__title").first
    expect(title.locator("mark")).to_have_text("Hitzeschutz")
    lines = title.evaluate(
        """title => {
            const range = document.createRange();
            range.selectNodeContents(title.querySelector("mark").nextSibling);
            const rects = [...range.getClientRects()];
            const left = title.getBoundingClientRect().left;
            return rects.map(rect => Math.round(rect.left - left));
        }"""
    )
    assert len(lines) > 1 and lines[-1] <= 1, lines

    # A long German word, as the query and in a title, wraps: the page does
    # not scroll sideways (WCAG 1.4.10).
    long_word = "Grundstücksverkehrsgenehmigungszuständigkeitsübertragungsverordnung"
    discussions.thread_create(
        author=anna, community=klima, title=f"Die {long_word} ist da", body="Endlich."
    )
    for query in (long_word, long_word + "x"):
        page.goto(base + "/suche/?q=" + query)
        expect(results.get_by_role("heading", level=2)).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, (query, width)

    # On a wide screen the facets are open beside the hits.
    wide = chromium.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    desk = wide.new_page()
    log_in(desk, base, "anna@stadt.de")
    desk.goto(base + "/suche/?q=Hitzeschutz")
    expect(
        desk.locator(".search-facets").get_by_role("link", name=re.compile("Thema 0"))
    ).to_be_visible()
