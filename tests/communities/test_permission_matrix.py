"""The role matrix of ``communities.permissions``: every role × every
visibility × every action, against a table written out for people to read.

The tables say what the design (issue 3) promises; they are not derived from
the code. "yes" means the ``can_*`` question answers True.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from factories import UserFactory
from factories.communities import make_community, make_member
from factories.roles import ROLES, VISIBILITIES, parse_table, person_with_role

from communities import permissions as perms
from communities.models import CommunityPage

pytestmark = pytest.mark.django_db


# Public communities are read by the whole world, so a ban there takes away
# taking part, not reading: a banned person sees what anyone logged out sees.
VIEW_COMMUNITY = """
                 public  internal  private
anonymous        yes     no        no
platform user    yes     yes       no
pending          yes     yes       no
member           yes     yes       yes
moderator        yes     yes       yes
owner            yes     yes       yes
banned           yes     no        no
staff            yes     yes       yes
"""

# The member list is for signed-in people who may read the community.
VIEW_MEMBERS = """
                 public  internal  private
anonymous        no      no        no
platform user    yes     yes       no
pending          yes     yes       no
member           yes     yes       yes
moderator        yes     yes       yes
owner            yes     yes       yes
banned           yes     no        no
staff            yes     yes       yes
"""

# Writing (threads, posts, wiki, chat) is for active members only.
PARTICIPATE = """
                 public  internal  private
anonymous        no      no        no
platform user    no      no        no
pending          no      no        no
member           yes     yes       yes
moderator        yes     yes       yes
owner            yes     yes       yes
banned           no      no        no
staff            yes     yes       yes
"""

MODERATE = """
                 public  internal  private
anonymous        no      no        no
platform user    no      no        no
pending          no      no        no
member           no      no        no
moderator        yes     yes       yes
owner            yes     yes       yes
banned           no      no        no
staff            yes     yes       yes
"""

MANAGE = """
                 public  internal  private
anonymous        no      no        no
platform user    no      no        no
pending          no      no        no
member           no      no        no
moderator        no      no        no
owner            yes     yes       yes
banned           no      no        no
staff            yes     yes       yes
"""

# Join with one click (community with the open policy). A private community
# is invisible to non-members, so they cannot join it: they are invited.
JOIN_OPEN = """
                 public  internal  private
anonymous        no      no        no
platform user    yes     yes       no
pending          no      no        no
member           no      no        no
moderator        no      no        no
owner            no      no        no
banned           no      no        no
staff            yes     yes       yes
"""

# Ask to join (community with the request policy).
REQUEST = """
                 public  internal  private
anonymous        no      no        no
platform user    yes     yes       no
pending          no      no        no
member           no      no        no
moderator        no      no        no
owner            no      no        no
banned           no      no        no
staff            yes     yes       yes
"""

# Leave, or withdraw a pending request. (The last owner is stopped by the
# service with a message, not by hiding the button: see test_services.)
LEAVE = """
                 public  internal  private
anonymous        no      no        no
platform user    no      no        no
pending          yes     yes       yes
member           yes     yes       yes
moderator        yes     yes       yes
owner            yes     yes       yes
banned           no      no        no
staff            no      no        no
"""


# action: (table, the question asked, join policy of the community)
ACTIONS = {
    "view community": (VIEW_COMMUNITY, perms.can_view_community, "open"),
    "view members": (VIEW_MEMBERS, perms.can_view_members, "open"),
    "participate": (PARTICIPATE, perms.can_participate, "open"),
    "moderate": (MODERATE, perms.can_moderate, "open"),
    "manage": (MANAGE, perms.can_manage, "open"),
    "join": (JOIN_OPEN, perms.can_join, "open"),
    "request": (REQUEST, perms.can_request_membership, "request"),
    "leave": (LEAVE, perms.can_leave, "request"),
}

MATRIX = [
    pytest.param(action, role, visibility, id=f"{action}-{role}-{visibility}")
    for action, (table, _question, _policy) in ACTIONS.items()
    for (role, visibility) in parse_table(table)
]


@pytest.mark.parametrize(("action", "role", "visibility"), MATRIX)
def test_role_matrix(action, role, visibility):
    table, question, join_policy = ACTIONS[action]
    community = make_community(visibility=visibility, join_policy=join_policy)
    person = person_with_role(role, community)

    allowed = question(person, community)

    expected = parse_table(table)[(role, visibility)]
    assert allowed is expected, (
        f"{role} should {'' if expected else 'not '}be allowed to {action} "
        f"in a {visibility} community"
    )


@pytest.mark.parametrize("role", ["anonymous", "platform user", "pending", "banned"])
def test_a_private_community_is_not_found_for_people_who_may_not_see_it(role):
    community = make_community(visibility="private")
    person = person_with_role(role, community)

    with pytest.raises(Http404):
        perms.check_view_community(person, community)


def test_an_internal_community_is_forbidden_not_hidden_for_anonymous_visitors():
    community = make_community(visibility="internal")

    with pytest.raises(PermissionDenied):
        perms.check_view_community(AnonymousUser(), community)


def test_an_internal_community_is_forbidden_for_a_banned_member():
    community = make_community(visibility="internal")
    banned = person_with_role("banned", community)

    with pytest.raises(PermissionDenied):
        perms.check_view_community(banned, community)


@pytest.mark.parametrize("role", ["member", "moderator", "owner", "staff"])
def test_members_and_staff_pass_the_view_check_of_a_private_community(role):
    community = make_community(visibility="private")
    person = person_with_role(role, community)

    perms.check_view_community(person, community)


def test_a_member_may_see_but_not_moderate_a_private_community():
    community = make_community(visibility="private")
    member = person_with_role("member", community)

    with pytest.raises(PermissionDenied):
        perms.check_moderate(member, community)
    with pytest.raises(PermissionDenied):
        perms.check_manage(member, community)


def test_a_stranger_asking_to_moderate_a_private_community_gets_not_found():
    community = make_community(visibility="private")

    with pytest.raises(Http404):
        perms.check_moderate(UserFactory(), community)


@pytest.mark.parametrize("role", ROLES)
def test_filter_visible_communities_returns_exactly_what_the_view_table_allows(role):
    communities = {
        visibility: make_community(
            title=f"Community {visibility}", visibility=visibility
        )
        for visibility in VISIBILITIES
    }
    # One person with the same role in all three communities.
    person = person_with_role(role, communities["public"])
    if role not in ("anonymous", "platform user", "staff"):
        state = {"pending": "pending", "banned": "banned"}.get(role, "active")
        for visibility in ("internal", "private"):
            make_member(
                communities[visibility],
                person,
                role=role if state == "active" else "member",
                state=state,
            )

    visible = perms.filter_visible_communities(person, CommunityPage.objects.all())

    expected_view = parse_table(VIEW_COMMUNITY)
    assert set(visible.values_list("slug", flat=True)) == {
        communities[visibility].slug
        for visibility in VISIBILITIES
        if expected_view[(role, visibility)]
    }


def test_an_unpublished_community_is_seen_only_by_staff():
    community = make_community(visibility="public")
    member = make_member(community).user
    community.unpublish()
    community.refresh_from_db()

    assert not perms.can_view_community(AnonymousUser(), community)
    assert not perms.can_view_community(member, community)
    assert perms.can_view_community(UserFactory(is_staff=True), community)
    assert not perms.filter_visible_communities(
        member, CommunityPage.objects.filter(pk=community.pk)
    ).exists()
    with pytest.raises(Http404):
        perms.check_view_community(member, community)


def test_an_expired_ban_counts_as_no_membership():
    community = make_community(visibility="internal")
    formerly_banned = make_member(
        community,
        state="banned",
        reason="Spam",
        banned_until=timezone.now() - timedelta(minutes=1),
    ).user

    assert perms.role_in(formerly_banned, community) is None
    assert perms.can_view_community(formerly_banned, community)
    assert perms.can_join(formerly_banned, community)
    assert perms.filter_visible_communities(
        formerly_banned, CommunityPage.objects.filter(pk=community.pk)
    ).exists()
