"""One real browser: Debian's Chromium, driven by Playwright, against the live
server. Open the home page, log in as the demo member, see the German UI."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.e2e,
    # The live server needs committed data; serialized_rollback brings back the
    # home page of the migrations that the flush of a transactional test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def chromium(monkeypatch):
    # Playwright's sync API runs an asyncio event loop in the test's thread, and
    # Django refuses ORM calls from a thread with a running loop unless told
    # that this is safe (it is: the loop only drives the browser). Set here,
    # not at import, so that the other tests keep Django's check.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI must run the browser test: /usr/bin/chromium is missing")
        pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


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
