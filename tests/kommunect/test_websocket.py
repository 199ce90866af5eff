"""The websocket ``/ws/``: who may connect, and German error frames that keep
the connection open."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connections
from django.test import Client

from kommunect.asgi import application

ORIGIN = (b"origin", b"http://testserver")
FOREIGN_ORIGIN = (b"origin", b"https://angreifer.example")
NOT_AUTHENTICATED = 4401

# Consumers reach the database from other threads, so the data must be
# committed. serialized_rollback restores the migrations' data afterwards and
# keeps the flush from recreating content types under new ids, which would
# break later tests that restore the serialized database (the browser test).
pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def no_persistent_connections(monkeypatch):
    """Consumers reach the database from a worker thread; with CONN_MAX_AGE its
    connection outlives the test and keeps PostgreSQL from dropping the test
    database at the end of the run. Closed after each call instead."""
    monkeypatch.setitem(connections["default"].settings_dict, "CONN_MAX_AGE", 0)


@pytest.fixture
def session_cookie(user):
    """The ``Cookie`` header of a browser in which ``user`` is logged in."""
    browser = Client()
    browser.force_login(user)
    session_id = browser.cookies[settings.SESSION_COOKIE_NAME].value
    return (b"cookie", f"{settings.SESSION_COOKIE_NAME}={session_id}".encode())


@pytest.fixture
def authorization(api_token):
    return (b"authorization", f"Bearer {api_token[1]}".encode())


async def connect(*headers):
    communicator = WebsocketCommunicator(application, "/ws/", headers=list(headers))
    connected, code = await communicator.connect(timeout=3)
    return communicator, connected, code


async def test_an_anonymous_visitor_is_closed_with_4401(db):
    communicator, connected, code = await connect(ORIGIN)

    assert not connected
    assert code == NOT_AUTHENTICATED


async def test_a_logged_in_browser_session_is_accepted(session_cookie):
    communicator, connected, _code = await connect(ORIGIN, session_cookie)

    assert connected
    await communicator.disconnect()


async def test_the_session_of_a_deactivated_member_is_closed_with_4401(
    user, session_cookie
):
    user.is_active = False
    await sync_to_async(user.save)()

    communicator, connected, code = await connect(ORIGIN, session_cookie)

    assert not connected
    assert code == NOT_AUTHENTICATED


async def test_a_session_from_a_foreign_origin_is_rejected(session_cookie):
    communicator, connected, code = await connect(FOREIGN_ORIGIN, session_cookie)

    assert not connected
    assert code != NOT_AUTHENTICATED


async def test_a_session_without_origin_is_rejected(session_cookie):
    # Only non-browser clients omit Origin; they must bring a token.
    communicator, connected, code = await connect(session_cookie)

    assert not connected
    assert code != NOT_AUTHENTICATED


async def test_a_bearer_token_without_origin_is_accepted(authorization):
    communicator, connected, _code = await connect(authorization)

    assert connected
    await communicator.disconnect()


async def test_a_bearer_token_from_a_foreign_origin_is_rejected(authorization):
    communicator, connected, code = await connect(FOREIGN_ORIGIN, authorization)

    assert not connected
    assert code != NOT_AUTHENTICATED


async def test_an_unknown_bearer_token_is_closed_with_4401(db):
    communicator, connected, code = await connect(
        (b"authorization", b"Bearer wagtail_gibtesnicht")
    )

    assert not connected
    assert code == NOT_AUTHENTICATED


async def test_a_revoked_bearer_token_is_closed_with_4401(api_token, authorization):
    await sync_to_async(api_token[0].revoke)()

    communicator, connected, code = await connect(authorization)

    assert not connected
    assert code == NOT_AUTHENTICATED


@pytest.mark.parametrize(
    ("frame", "code", "german"),
    [
        ({"text_data": "{kein json"}, "invalid_json", "kein gültiges JSON"),
        ({"text_data": '{"typ": "send"}'}, "invalid_frame", "Feld „type“"),
        ({"text_data": "[1, 2, 3]"}, "invalid_frame", "Feld „type“"),
        (
            {"text_data": '{"type": "gibt_es_nicht"}'},
            "unknown_type",
            "Unbekannter Nachrichtentyp: gibt_es_nicht",
        ),
        (
            {"bytes_data": b"\x00\x01binary"},
            "binary_not_supported",
            "Binäre Nachrichten",
        ),
        ({"text_data": "x" * (64 * 1024 + 1)}, "frame_too_large", "zu groß"),
    ],
)
async def test_a_bad_frame_gets_a_german_error_frame_and_the_connection_stays_open(
    session_cookie, frame, code, german
):
    communicator, connected, _code = await connect(ORIGIN, session_cookie)
    assert connected

    await communicator.send_to(**frame)
    answer = await communicator.receive_json_from(timeout=3)

    assert answer["type"] == "error"
    assert answer["code"] == code
    assert german in answer["detail"]
    # Still open: the next frame is answered, too.
    await communicator.send_to(text_data='{"type": "noch_einer"}')
    again = await communicator.receive_json_from(timeout=3)
    assert again["code"] == "unknown_type"
    await communicator.disconnect()


async def test_many_bad_frames_in_a_row_do_not_close_the_connection(authorization):
    communicator, connected, _code = await connect(authorization)
    assert connected

    for _ in range(20):
        await communicator.send_to(text_data="kaputt")
        answer = await communicator.receive_json_from(timeout=3)
        assert answer["code"] == "invalid_json"

    assert await communicator.receive_nothing(timeout=0.1)
    await communicator.disconnect()
