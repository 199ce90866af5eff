"""The websocket ``/ws/`` for the tests of live features
(``from factories.websocket import …``): the people of a private community, a
signed-in member's socket, the close code and the error frames those tests
look for.

Consumers reach the database from other threads, so these tests commit their
data (``django_db(transaction=True, serialized_rollback=True)``, see
tests/kommunect/test_websocket.py) and take the fixture
``no_persistent_connections`` (import it into the test module: it is
autouse there).
"""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connections
from django.test import Client

from factories import UserFactory
from factories.communities import make_community, make_member
from kommunect.asgi import application

ORIGIN = (b"origin", b"http://testserver")
FORBIDDEN = 4403
TIMEOUT = 3


@pytest.fixture(autouse=True)
def no_persistent_connections(monkeypatch):
    """Consumers reach the database from a worker thread; with CONN_MAX_AGE its
    connection outlives the test. Closed after each call instead."""
    monkeypatch.setitem(connections["default"].settings_dict, "CONN_MAX_AGE", 0)


def private_community_with(*display_names):
    """A private community (members by invitation), its owner and a member
    for each of ``display_names``: ``(community, owner, *members)``."""
    community = make_community(visibility="private", join_policy="invite")
    owner = make_member(community, role="owner").user
    members = [
        make_member(community, UserFactory(display_name=name)).user
        for name in display_names
    ]
    return community, owner, *members


def session_cookie_for(user):
    """The ``Cookie`` header of a browser in which ``user`` is logged in."""
    browser = Client()
    browser.force_login(user)
    session_id = browser.cookies[settings.SESSION_COOKIE_NAME].value
    return (b"cookie", f"{settings.SESSION_COOKIE_NAME}={session_id}".encode())


async def open_socket(user):
    """A connected socket of ``user``'s browser session."""
    cookie = await sync_to_async(session_cookie_for)(user)
    communicator = WebsocketCommunicator(application, "/ws/", headers=[ORIGIN, cookie])
    connected, _code = await communicator.connect(timeout=TIMEOUT)
    assert connected
    return communicator


async def assert_closed_as_forbidden(socket):
    """The server closed ``socket`` with 4403: its person lost access."""
    closed = await socket.receive_output(timeout=TIMEOUT)
    assert closed == {"type": "websocket.close", "code": FORBIDDEN}


def assert_error(answer, code, german):
    """``answer`` is an error frame with ``code`` and ``german`` in its text."""
    assert answer["type"] == "error"
    assert answer["code"] == code
    assert german in answer["detail"]
