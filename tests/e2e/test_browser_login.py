"""One real browser: Debian's Chromium, driven by Playwright, against the live
server. Open the home page, log in as the demo member, see the German UI."""

import pytest
from django.core.management import call_command

pytestmark = [
    pytest.mark.e2e,
    # The live server needs committed data; serialized_rollback brings back the
    # home page of the migrations that the flush of a transactional test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_demo_member_logs_in_and_sees_the_german_ui(page, live_server):
    call_command("seed_demo", verbosity=0)

    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("h1").inner_text().strip() == (
        "Kommunect – Wissen teilen zwischen Kommunen"
    )
    assert page.get_by_role("link", name="Anmelden").is_visible()

    page.get_by_role("link", name="Anmelden").click()
    page.wait_for_url("**/accounts/login/**")
    assert page.locator("html").get_attribute("lang") == "de"
    page.locator("input[name=login]").fill("mitglied@kommunect.example")
    page.locator("input[name=password]").fill("kommunect-demo")
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_load_state()

    assert page.url.rstrip("/") == live_server.url
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.get_by_text("Willkommen zurück, Jonas Becker!").is_visible()
    account = page.get_by_role("navigation", name="Benutzerkonto")
    assert account.get_by_role("link", name="Jonas Becker").is_visible()
    assert account.get_by_role("button", name="Abmelden").is_visible()
    assert page.get_by_role("link", name="Mitglieder").is_visible()
