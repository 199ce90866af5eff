"""The demo chat: a German history in every community's room "Allgemein",
a second room in some, a direct conversation between the demo logins with
unread messages, and seeding twice changes nothing."""

import pytest

from chat import selectors
from chat.models import Message, Room
from communities.models import CommunityPage
from members.demo import run_seeders
from members.models import User

pytestmark = pytest.mark.django_db


def test_rooms_have_a_history_across_municipalities_and_some_of_it_is_unread():
    run_seeders()

    for community in CommunityPage.objects.all():
        general = Room.objects.get(community=community, name="Allgemein")
        if community.memberships.filter(state="active").count() >= 2:
            messages = Message.objects.filter(room=general)
            assert messages.count() >= 10, community.slug
            organisations = messages.values("author__organisation").distinct().count()
            assert organisations >= 2, community.slug
    assert Room.objects.filter(
        name="Hitzeschutz", community__slug="klimaschutz"
    ).exists()

    member = User.objects.get(email="mitglied@kommunect.example")
    rows = selectors.room_rows(member, selectors.rooms_for(member))
    direct = [row for row in rows if row["kind"] == "direct"]
    assert [row["name"] for row in direct] == ["Dr. Miriam Vogt"]
    assert direct[0]["unread"] == 2
    assert any(row["unread"] for row in rows if row["kind"] == "community")


def test_seeding_twice_changes_nothing():
    run_seeders()
    before = Message.objects.count(), Room.objects.count()
    run_seeders()
    assert (Message.objects.count(), Room.objects.count()) == before
