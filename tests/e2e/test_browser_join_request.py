"""In a real browser (Debian's Chromium through Playwright, against the live
server): a member asks to join a community, a moderator approves in a second
browser, and the member sees that they are in."""

import pytest
from factories import DEFAULT_PASSWORD, UserFactory
from factories.communities import make_community, make_member

pytestmark = [
    pytest.mark.e2e,
    # The live server needs committed data; serialized_rollback brings back the
    # home page and community directory of the migrations that the flush of a
    # transactional test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def browser_page(chromium):
    """A page in its own browser context: its own cookies, its own person."""
    context = chromium.new_context(locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def log_in(page, base_url, email):
    page.goto(base_url + "/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, "login failed"


def test_a_member_requests_to_join_a_moderator_approves_and_the_member_is_in(
    chromium, live_server
):
    community = make_community(
        title="Finanzmanagement und Doppik",
        slug="finanzen",
        description="Haushalt, Jahresabschluss und Doppik.",
        visibility="internal",
        join_policy="request",
    )
    moderator = make_member(
        community,
        UserFactory(email="moderation@kreis-beispiel.de", display_name="Mona Moder"),
        role="moderator",
    ).user
    UserFactory(email="lena.lange@stadt-beispiel.de", display_name="Lena Lange")
    community_url = live_server.url + "/communities/finanzen/"

    member_page = browser_page(chromium)
    log_in(member_page, live_server.url, "lena.lange@stadt-beispiel.de")
    member_page.goto(community_url)
    member_page.locator("textarea[name=message]").fill(
        "Ich bin Kämmerin und stelle gerade auf Doppik um."
    )
    member_page.get_by_role("button", name="Beitritt anfragen").click()
    member_page.wait_for_load_state()
    assert member_page.get_by_text("Ihre Anfrage wurde gesendet.").is_visible()
    assert member_page.get_by_text(
        "Ihre Beitrittsanfrage liegt der Moderation vor."
    ).is_visible()

    moderator_page = browser_page(chromium)
    log_in(moderator_page, live_server.url, moderator.email)
    moderator_page.goto(community_url + "anfragen/")
    request_card = moderator_page.locator("article.request-card", has_text="Lena Lange")
    assert request_card.get_by_text(
        "Ich bin Kämmerin und stelle gerade auf Doppik um."
    ).is_visible()
    request_card.get_by_label("Begründung").fill("Herzlich willkommen!")
    request_card.get_by_role("button", name="Annehmen").click()
    moderator_page.wait_for_load_state()
    assert moderator_page.get_by_text("Die Anfrage wurde angenommen.").is_visible()
    assert moderator_page.get_by_text("Keine offenen Anfragen.").is_visible()

    member_page.reload()
    assert member_page.get_by_text("Sie sind Mitglied dieser Community.").is_visible()
    assert member_page.get_by_role("button", name="Community verlassen").is_visible()

    member_page.context.close()
    moderator_page.context.close()
