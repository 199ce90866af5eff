"""Who is editing a wiki page, live over the websocket (``edit_wiki``,
``editing``, ``stop_editing``): the list everyone in the editor receives, who
may join it, how people leave it (also by closing the socket or losing
access), German error frames with the connection left open, and entries that
expire when their heartbeat stops."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from django.test import Client
from factories import UserFactory
from factories.websocket import (
    assert_closed_as_forbidden,
    assert_error,
    no_persistent_connections,  # noqa: F401 - autouse in this module
    open_socket,
    private_community_with,
)

from communities import services as community_services
from communities.wiki import realtime as wiki_realtime
from communities.wiki import services as wiki_services
from kommunect import presence, realtime

NO_SUCH_PAGE = "Diese Wiki-Seite gibt es nicht."
MAY_NOT_EDIT = "Diese Seite dürfen Sie nicht bearbeiten."

# Consumers reach the database from other threads, so the data must be
# committed; see tests/kommunect/test_websocket.py for serialized_rollback.
pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


async def send(socket, frame_type, page_id):
    await socket.send_json_to({"type": frame_type, "page": page_id})


async def receive(socket):
    return await socket.receive_json_from(timeout=3)


async def edit(socket, page_id):
    """Open the page in the editor; the first answer is the list."""
    await send(socket, "edit_wiki", page_id)
    return await receive(socket)


async def both_editing(page, first, second):
    """``first`` and then ``second`` open ``page`` in the editor; ``first``
    has heard the list with both. Their sockets."""
    first_tab, second_tab = await open_socket(first), await open_socket(second)
    await edit(first_tab, page.pk)
    await edit(second_tab, page.pk)
    await receive(first_tab)
    return first_tab, second_tab


def editors(page_id, *people):
    return {
        "type": "wiki_editors",
        "page": page_id,
        "editors": [{"id": p.pk, "display_name": p.display_name} for p in people],
    }


@sync_to_async
def private_wiki():
    """A private community with its owner, two members and a wiki page."""
    community, owner, anna, ben = private_community_with("Anna Asmus", "Ben Berg")
    page = wiki_services.wiki_page_create(
        author=anna, community=community, title="Hitzeaktionsplan", body="Text."
    )
    return community, owner, anna, ben, page


@sync_to_async
def cached_channels(page_id):
    return wiki_realtime.EDITORS.channels(page_id)


async def test_two_editors_see_each_other():
    _community, _owner, anna, ben, page = await private_wiki()
    annas_tab, bens_tab = await open_socket(anna), await open_socket(ben)

    assert await edit(annas_tab, page.pk) == editors(page.pk, anna)
    assert await edit(bens_tab, page.pk) == editors(page.pk, anna, ben)
    assert await receive(annas_tab) == editors(page.pk, anna, ben)

    await annas_tab.disconnect()
    await bens_tab.disconnect()


async def test_an_editor_who_stops_editing_leaves_the_list():
    _community, _owner, anna, ben, page = await private_wiki()
    annas_tab, bens_tab = await both_editing(page, anna, ben)

    await send(bens_tab, "stop_editing", page.pk)

    assert await receive(bens_tab) == {"type": "stopped_editing", "page": page.pk}
    assert await receive(annas_tab) == editors(page.pk, anna)
    # Ben is out of the group: Anna leaving is none of his business any more.
    await send(annas_tab, "stop_editing", page.pk)
    assert await receive(annas_tab) == {"type": "stopped_editing", "page": page.pk}
    assert await bens_tab.receive_nothing(timeout=0.3)
    assert await cached_channels(page.pk) == set()
    await annas_tab.disconnect()
    await bens_tab.disconnect()


async def test_a_closed_socket_leaves_the_list():
    _community, _owner, anna, ben, page = await private_wiki()
    annas_tab, bens_tab = await both_editing(page, anna, ben)
    assert len(await cached_channels(page.pk)) == 2

    await bens_tab.disconnect()

    assert await receive(annas_tab) == editors(page.pk, anna)
    assert len(await cached_channels(page.pk)) == 1
    await annas_tab.disconnect()


async def test_a_person_with_two_tabs_is_listed_once_until_both_are_closed():
    _community, _owner, anna, ben, page = await private_wiki()
    first_tab, second_tab = await open_socket(anna), await open_socket(anna)
    bens_tab = await open_socket(ben)
    await edit(first_tab, page.pk)
    await edit(second_tab, page.pk)
    await receive(first_tab)

    assert await edit(bens_tab, page.pk) == editors(page.pk, anna, ben)

    await first_tab.disconnect()
    assert await receive(bens_tab) == editors(page.pk, anna, ben)
    await second_tab.disconnect()
    assert await receive(bens_tab) == editors(page.pk, ben)
    await bens_tab.disconnect()


async def test_an_outsider_learns_nothing_about_a_private_page():
    _community, _owner, anna, _ben, page = await private_wiki()
    outsider = await sync_to_async(UserFactory)()
    annas_tab, socket = await open_socket(anna), await open_socket(outsider)
    await edit(annas_tab, page.pk)

    hidden = await edit(socket, page.pk)
    missing = await edit(socket, page.pk + 1000)

    assert hidden == missing
    assert missing == {"type": "error", "code": "not_found", "detail": NO_SUCH_PAGE}
    # Not in the group: Anna's list does not reach the outsider, nor the
    # outsider Anna's.
    await send(annas_tab, "stop_editing", page.pk)
    await receive(annas_tab)
    assert await socket.receive_nothing(timeout=0.3)
    assert await annas_tab.receive_nothing(timeout=0.3)
    await annas_tab.disconnect()
    await socket.disconnect()


async def test_a_member_may_not_edit_a_protected_page_the_moderation_may():
    _community, owner, _anna, ben, page = await private_wiki()
    await sync_to_async(wiki_services.wiki_page_protect)(
        actor=owner, page=page, protected=True
    )
    bens_tab, owners_tab = await open_socket(ben), await open_socket(owner)

    refused = await edit(bens_tab, page.pk)

    assert refused == {"type": "error", "code": "forbidden", "detail": MAY_NOT_EDIT}
    assert await edit(owners_tab, page.pk) == editors(page.pk, owner)
    assert await bens_tab.receive_nothing(timeout=0.3)
    await bens_tab.disconnect()
    await owners_tab.disconnect()


async def test_a_member_banned_while_editing_is_disconnected_and_leaves_the_list():
    community, owner, anna, ben, page = await private_wiki()
    annas_tab, bens_tab = await both_editing(page, anna, ben)

    await sync_to_async(community_services.membership_remove)(
        actor=owner, community=community, user_id=ben.pk, reason="Spam", ban=True
    )

    await assert_closed_as_forbidden(bens_tab)
    await bens_tab.disconnect()  # what the server does after the close
    assert await receive(annas_tab) == editors(page.pk, anna)
    await annas_tab.disconnect()


async def test_a_page_protected_while_editing_closes_the_members_socket():
    _community, owner, anna, ben, page = await private_wiki()
    owners_tab, bens_tab = await both_editing(page, owner, ben)

    await sync_to_async(wiki_services.wiki_page_protect)(
        actor=owner, page=page, protected=True
    )
    await sync_to_async(wiki_realtime.notify_editors_of_pages)([page.pk])

    await assert_closed_as_forbidden(bens_tab)
    await bens_tab.disconnect()
    assert await receive(owners_tab) == editors(page.pk, owner)
    assert await owners_tab.receive_nothing(timeout=0.3)
    await owners_tab.disconnect()


@pytest.mark.parametrize(
    ("frame", "code", "german"),
    [
        ({"type": "edit_wiki"}, "invalid_page", "Nummer einer Wiki-Seite"),
        ({"type": "edit_wiki", "page": "abc"}, "invalid_page", "Nummer einer"),
        ({"type": "edit_wiki", "page": 1.5}, "invalid_page", "Nummer einer"),
        ({"type": "edit_wiki", "page": True}, "invalid_page", "Nummer einer"),
        ({"type": "edit_wiki", "page": 0}, "invalid_page", "Nummer einer"),
        ({"type": "edit_wiki", "page": -3}, "invalid_page", "Nummer einer"),
        ({"type": "edit_wiki", "page": 2**64}, "invalid_page", "Nummer einer"),
        ({"type": "edit_wiki", "page": [1]}, "invalid_page", "Nummer einer"),
        ({"type": "editing"}, "invalid_page", "Nummer einer"),
        ({"type": "stop_editing", "page": None}, "invalid_page", "Nummer einer"),
        ({"type": "editing", "page": "PAGE"}, "not_editing", "nicht zum Bearbeiten"),
    ],
)
async def test_bad_frames_get_german_errors_and_the_socket_stays_open(
    frame, code, german
):
    _community, _owner, anna, _ben, page = await private_wiki()
    socket = await open_socket(anna)
    if frame.get("page") == "PAGE":
        frame = {**frame, "page": page.pk}

    await socket.send_json_to(frame)
    answer = await receive(socket)

    assert_error(answer, code, german)
    # Still open, and still good for a proper request.
    assert await edit(socket, page.pk) == editors(page.pk, anna)
    await socket.disconnect()


async def test_the_page_id_may_come_as_digits():
    _community, _owner, anna, _ben, page = await private_wiki()
    socket = await open_socket(anna)

    assert await edit(socket, str(page.pk)) == editors(page.pk, anna)
    await socket.disconnect()


async def test_an_editor_who_stopped_beating_is_dropped(monkeypatch):
    _community, _owner, anna, ben, page = await private_wiki()
    monkeypatch.setattr(wiki_realtime.EDITORS, "expiry", 0.5)
    annas_tab, bens_tab = await open_socket(anna), await open_socket(ben)
    # Ben's entry stands for a socket whose server process died: it is never
    # renewed and nobody removes it.
    assert await edit(bens_tab, page.pk) == editors(page.pk, ben)
    ghost = await cached_channels(page.pk)

    await asyncio.sleep(0.7)
    assert await edit(annas_tab, page.pk) == editors(page.pk, anna)

    assert await receive(bens_tab) == editors(page.pk, anna)
    assert not ghost & await cached_channels(page.pk)
    await annas_tab.disconnect()
    await bens_tab.disconnect()


async def test_the_heartbeat_keeps_an_editor_on_the_list(monkeypatch):
    _community, _owner, anna, ben, page = await private_wiki()
    clock = [1_000_000.0]
    monkeypatch.setattr(presence, "now", lambda: clock[0])
    annas_tab, bens_tab = await open_socket(anna), await open_socket(ben)
    await edit(annas_tab, page.pk)

    clock[0] += wiki_realtime.EXPIRY_SECONDS - 10
    await send(annas_tab, "editing", page.pk)
    # Nothing changed: only Anna hears the list again.
    assert await receive(annas_tab) == editors(page.pk, anna)
    clock[0] += wiki_realtime.EXPIRY_SECONDS - 10
    assert await edit(bens_tab, page.pk) == editors(page.pk, anna, ben)
    assert await receive(annas_tab) == editors(page.pk, anna, ben)

    # Both fall silent; Ben's next heartbeat puts him back and drops Anna.
    clock[0] += wiki_realtime.EXPIRY_SECONDS + 1
    await send(bens_tab, "editing", page.pk)
    assert await receive(bens_tab) == editors(page.pk, ben)
    assert await receive(annas_tab) == editors(page.pk, ben)
    await annas_tab.disconnect()
    await bens_tab.disconnect()


async def test_the_wiki_registers_its_frames_and_the_disconnect_handler():
    assert realtime._subscription_kinds["wiki_edit"] is wiki_realtime.may_edit_wiki_page
    for frame_type in ("edit_wiki", "editing", "stop_editing"):
        assert frame_type in realtime._frame_handlers
    assert wiki_realtime.forget_socket in realtime._disconnect_handlers


async def test_the_edit_page_carries_the_notice_and_its_script():
    _community, _owner, anna, _ben, page = await private_wiki()

    @sync_to_async
    def edit_page():
        browser = Client()
        browser.force_login(anna)
        return browser.get(f"/wiki/{page.pk}/bearbeiten/")

    response = await edit_page()

    assert response.status_code == 200
    html = response.content.decode()
    assert (
        f'<div id="wiki-presence" class="wiki-presence" data-page-id="{page.pk}" '
        f'data-user-id="{anna.pk}" data-ws-url="/ws/" role="status" '
        'aria-live="polite" hidden></div>'
    ) in html
    assert "js/wiki-presence.js" in html
