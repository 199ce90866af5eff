"""Browser fixtures: Debian's Chromium, driven by Playwright (which cannot
download its own browser here)."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
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
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield browser
        # While Playwright's loop runs in this thread (between its sync calls
        # it marks the loop as running), Django keeps this thread's database
        # connections in a context variable, not in the thread-local storage
        # the rest of pytest-django sees (asgiref's thread-critical Local): the
        # test body's ORM calls get a connection of their own, which neither
        # the flush after the test nor the test database teardown closes. Left
        # open, PostgreSQL refuses to drop the test database ("is being
        # accessed by other users"). Close it here, while the loop still runs,
        # so that close_all() reaches exactly those connections.
        connections.close_all()
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def asgi_live_server(transactional_db):
    """The whole ASGI application (HTTP and the websocket at /ws/) on a free
    port, for browser tests that need live updates. Django's ``live_server``
    speaks only WSGI. This runs uvicorn in a thread of the test process (so it
    shares the test database, including SQLite's shared in-memory one);
    production runs daphne, which serves the same ASGI application but whose
    Twisted reactor cannot be restarted inside one test process."""
    import socket
    import threading
    import time

    import uvicorn
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from kommunect.asgi import application

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            ASGIStaticFilesHandler(application),
            log_level="warning",
            lifespan="off",
            ws="websockets-sansio",
            # A websocket the browser still holds (through Playwright's
            # routing, it may never answer the close) must not keep the
            # server, and so the test process, running: after 3 s the
            # server closes what is left.
            timeout_graceful_shutdown=3,
        )
    )
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the ASGI test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    sock.close()
    assert not thread.is_alive(), "the ASGI test server did not stop"
