"""The role matrix of the chat rules in ``communities.permissions``: every
role × every visibility × every action on a community's rooms and their
messages, against tables written out for people to read (the shared tables
in factories/roles.py). "yes" means the ``can_*`` question answers True.

A community's rooms are for the people who take part in it: members and
staff read, subscribe and write, whatever the visibility (a public
community's chat is not public); the moderation manages rooms and deletes
any message. Direct conversations are for their people only.
"""

import uuid

import pytest
from factories import UserFactory, roles
from factories.communities import make_community, make_member

from chat import services
from chat.models import Room
from communities import permissions as perms

pytestmark = pytest.mark.django_db

READ_ROOM = SUBSCRIBE_ROOM = WRITE_IN_ROOM = FLAG_MESSAGE = roles.TAKE_PART
MANAGE_ROOMS = DELETE_OTHERS_MESSAGE = roles.MODERATE
# Nobody writes in an archived room; its history stays readable.
WRITE_IN_ARCHIVED_ROOM = """
                 public  internal  private
anonymous        no      no        no
platform user    no      no        no
pending          no      no        no
member           no      no        no
moderator        no      no        no
owner            no      no        no
banned           no      no        no
staff            no      no        no
"""
READ_ARCHIVED_ROOM = roles.TAKE_PART


def general(community, **fields) -> Room:
    room = Room.objects.get(community=community, name="Allgemein")
    if fields:
        Room.objects.filter(pk=room.pk).update(**fields)
        room = Room.objects.get(pk=room.pk)
    return room


def others_message(community):
    author = make_member(community).user
    return services.message_send(
        author=author, room=general(community), body="Hallo", client_id=uuid.uuid4()
    )[0]


ACTIONS = {
    "read a room": (READ_ROOM, lambda p, c: perms.can_view_room(p, general(c))),
    "follow a room live": (
        SUBSCRIBE_ROOM,
        lambda p, c: perms.can_subscribe_room(p, general(c)),
    ),
    "write in a room": (
        WRITE_IN_ROOM,
        lambda p, c: perms.can_post_in_room(p, general(c)),
    ),
    "write in an archived room": (
        WRITE_IN_ARCHIVED_ROOM,
        lambda p, c: perms.can_post_in_room(
            p, general(c, archived_at="2026-01-01T00:00:00Z")
        ),
    ),
    "read an archived room": (
        READ_ARCHIVED_ROOM,
        lambda p, c: perms.can_view_room(
            p, general(c, archived_at="2026-01-01T00:00:00Z")
        ),
    ),
    "report another's message": (
        FLAG_MESSAGE,
        lambda p, c: perms.can_flag_message(p, others_message(c)),
    ),
    "delete another's message": (
        DELETE_OTHERS_MESSAGE,
        lambda p, c: perms.can_delete_message(p, others_message(c)),
    ),
    "add and archive rooms": (MANAGE_ROOMS, perms.can_manage_rooms),
}


@pytest.mark.parametrize(("action", "role", "visibility"), roles.matrix_cases(ACTIONS))
def test_chat_role_matrix(action, role, visibility):
    table, question = ACTIONS[action]
    roles.check_cell(table, question, action, role, visibility)


def test_direct_conversations_are_for_their_people_only():
    anna, bernd, staff = UserFactory(), UserFactory(), UserFactory(is_staff=True)
    room, _ = services.direct_open(actor=anna, user_ids=[bernd.pk])
    message = services.message_send(
        author=bernd, room=room, body="Hallo Anna", client_id=uuid.uuid4()
    )[0]
    for person in (anna, bernd):
        assert perms.can_view_room(person, Room.objects.get(pk=room.pk))
        assert perms.can_post_in_room(person, Room.objects.get(pk=room.pk))
    for outsider in (UserFactory(), staff):
        assert not perms.can_view_room(outsider, Room.objects.get(pk=room.pk))
        assert not perms.can_delete_message(outsider, message)
    # Only the author deletes a message of a direct conversation.
    assert not perms.can_delete_message(anna, message)
    assert perms.can_delete_message(bernd, message)
    # An account that is switched off reads nothing any more.
    bernd.is_active = False
    bernd.save()
    assert not perms.can_view_room(bernd, Room.objects.get(pk=room.pk))


def test_the_room_list_shows_the_rooms_of_ones_communities_and_conversations():
    mine = make_community(visibility="private")
    other = make_community(visibility="public")
    person = make_member(mine).user
    make_member(other, person, state="pending", message="Bitte")
    room, _ = services.direct_open(actor=person, user_ids=[UserFactory().pk])
    listed = set(perms.filter_chat_rooms(person, Room.objects.all()))
    assert listed == {general(mine), Room.objects.get(pk=room.pk)}
