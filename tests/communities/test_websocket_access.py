"""A ban or removal closes the websocket subscriptions into that community at
once (close code 4403), on every open socket of that person.

No feature offers a community subscription over the socket yet (chat rooms
and watched threads come with their issues), so this test registers a
subscription kind and a frame handler through the same public registry those
features use: what is tested is the real mechanism (per-user group, notice on
commit from the services, re-check through the permission module, close).
"""

import pytest
from asgiref.sync import sync_to_async
from factories import UserFactory
from factories.communities import make_community, make_member
from factories.websocket import (
    assert_closed_as_forbidden,
    no_persistent_connections,  # noqa: F401 - autouse in this module
    open_socket,
)

from communities import permissions as perms
from communities import services
from communities.models import CommunityPage
from kommunect import realtime

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def may_view_community(user, key):
    community = CommunityPage.objects.filter(pk=int(key)).first()
    return community is not None and perms.can_view_community(user, community)


async def subscribe_to_community(consumer, frame):
    key = str(frame.get("community", ""))
    await consumer.subscribe("community", key, f"community.{key}")
    await consumer.send_json({"type": "subscribed", "community": key})


@pytest.fixture(autouse=True)
def community_subscriptions(monkeypatch):
    monkeypatch.setitem(realtime._subscription_kinds, "community", may_view_community)
    monkeypatch.setitem(
        realtime._frame_handlers, "subscribe_community", subscribe_to_community
    )


@sync_to_async
def private_community_with(member_role="member"):
    community = make_community(visibility="private", join_policy="invite")
    owner = make_member(community, role="owner").user
    member = make_member(community, role=member_role).user
    return community, owner, member


async def test_a_banned_member_is_disconnected_with_4403_on_every_tab(db):
    community, owner, member = await private_community_with()
    first_tab = await open_socket(member)
    second_tab = await open_socket(member)
    for tab in (first_tab, second_tab):
        await tab.send_json_to(
            {"type": "subscribe_community", "community": community.pk}
        )
        assert (await tab.receive_json_from(timeout=3))["type"] == "subscribed"

    await sync_to_async(services.membership_remove)(
        actor=owner, community=community, user_id=member.pk, reason="Spam", ban=True
    )

    for tab in (first_tab, second_tab):
        await assert_closed_as_forbidden(tab)


async def test_a_non_member_cannot_subscribe_and_keeps_the_connection(db):
    community, _owner, _member = await private_community_with()
    outsider = await sync_to_async(UserFactory)()
    socket = await open_socket(outsider)

    await socket.send_json_to(
        {"type": "subscribe_community", "community": community.pk}
    )

    answer = await socket.receive_json_from(timeout=3)
    assert answer["type"] == "error"
    assert answer["detail"] == "Nicht gefunden oder kein Zugriff."
    await socket.send_json_to({"type": "gibt-es-nicht"})
    assert (await socket.receive_json_from(timeout=3))["code"] == "unknown_type"
    await socket.disconnect()


async def test_a_change_that_keeps_access_leaves_the_socket_open(db):
    community, owner, member = await private_community_with()
    socket = await open_socket(member)
    await socket.send_json_to(
        {"type": "subscribe_community", "community": community.pk}
    )
    await socket.receive_json_from(timeout=3)

    await sync_to_async(services.membership_set_role)(
        actor=owner, community=community, user_id=member.pk, role="moderator"
    )

    assert await socket.receive_nothing(timeout=0.5)
    await socket.send_json_to({"type": "gibt-es-nicht"})
    assert (await socket.receive_json_from(timeout=3))["type"] == "error"
    await socket.disconnect()


async def test_a_member_who_leaves_is_disconnected_from_the_private_community(db):
    community, _owner, member = await private_community_with()
    socket = await open_socket(member)
    await socket.send_json_to(
        {"type": "subscribe_community", "community": community.pk}
    )
    await socket.receive_json_from(timeout=3)

    await sync_to_async(services.membership_leave)(user=member, community=community)

    await assert_closed_as_forbidden(socket)
