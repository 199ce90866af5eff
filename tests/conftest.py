"""Fixtures shared by every test: a clean cache, users and logged-in clients."""

import sys
from pathlib import Path

import pytest

# The central factories live in tests/factories; tests import them as
# ``from factories import ...`` without tests/ being a package.
TESTS_DIR = str(Path(__file__).resolve().parent)
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)

from factories import (  # noqa: E402
    DEFAULT_PASSWORD,
    OrganisationDomainFactory,
    OrganisationFactory,
    UserFactory,
)


def pytest_configure(config):
    # WhiteNoise warns about a missing STATIC_ROOT: tests never collect static
    # files, the finders serve them.
    config.addinivalue_line(
        "filterwarnings", "ignore:No directory at:UserWarning:django.core.handlers.base"
    )


def pytest_unconfigure(config):
    """A file test database (SQLite) is dropped by Django; its WAL files stay
    behind while a thread still had a connection: remove them too."""
    from django.conf import settings

    if not settings.configured:
        return
    database = settings.DATABASES["default"]
    name = database.get("TEST", {}).get("NAME")
    if database["ENGINE"].endswith("sqlite3") and name:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)


@pytest.fixture(scope="session", autouse=True)
def close_the_connection_of_async_tests(django_db_setup):
    """Async tests run their ``sync_to_async`` code in asgiref's one shared
    thread (outside any request, so nothing closes its connection). That
    connection would outlive the test database, and PostgreSQL refuses to
    drop a database in use ("is being accessed by other users"). Close it in
    its own thread before the test database goes (this fixture is torn down
    before ``django_db_setup``, which it depends on)."""
    yield
    from asgiref.sync import SyncToAsync
    from django.db import connections

    SyncToAsync.single_thread_executor.submit(connections.close_all).result()


@pytest.fixture(autouse=True)
def clear_cache():
    """allauth's login throttling counts in the cache, the other rate limits
    in their own window store: start every test at zero."""
    from django.core.cache import cache

    from kommunect import ratelimit

    cache.clear()
    ratelimit.reset()
    yield
    cache.clear()
    ratelimit.reset()


@pytest.fixture(autouse=True)
def fresh_channel_layer():
    """Every test gets its own channel layer. channels-redis binds its locks
    and connections to the event loop that used them first; a socket a test
    left open must not hold them for the next test's loop."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture
def password():
    return DEFAULT_PASSWORD


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Stadt Musterhausen", ags="05315000")


@pytest.fixture
def organisation_domain(organisation):
    return OrganisationDomainFactory(
        organisation=organisation, domain="stadt-musterhausen.de"
    )


@pytest.fixture
def user(db, organisation):
    return UserFactory(
        email="anna.schmidt@stadt-musterhausen.de",
        display_name="Anna Schmidt",
        organisation=organisation,
        position="Klimaschutzmanagerin",
    )


@pytest.fixture
def other_user(db):
    return UserFactory(display_name="Bernd Becker")


@pytest.fixture
def member_client(client, user):
    """A browser session of ``user``."""
    client.force_login(user)
    return client


@pytest.fixture
def api_token(user):
    """A personal access token of ``user``: (APIToken, plaintext)."""
    from members.tokens import api_token_create

    return api_token_create(user=user, name="Hitzeaktionsplan-Export")


@pytest.fixture
def bearer(api_token):
    """Headers for the Django test client with ``user``'s bearer token."""
    return {"Authorization": f"Bearer {api_token[1]}"}
