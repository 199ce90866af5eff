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
from factories import UserFactory, roles
from factories.communities import make_community, make_member
from factories.roles import ROLES, person_with_role

from communities import permissions as perms
from communities.models import CommunityPage

pytestmark = pytest.mark.django_db


# Reading, the member list, writing and moderating: the tables that the
# discussions and the wiki continue are in factories/roles.py. A banned person
# reads a public community as anyone logged out does; the member list is for
# signed-in people who may read the community; writing (threads, posts, wiki,
# chat) is for active members only.
VIEW_COMMUNITY = roles.READ
VIEW_MEMBERS = roles.READ_SIGNED_IN
PARTICIPATE = roles.TAKE_PART

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
    "moderate": (roles.MODERATE, perms.can_moderate, "open"),
    "manage": (MANAGE, perms.can_manage, "open"),
    "join": (JOIN_OPEN, perms.can_join, "open"),
    "request": (REQUEST, perms.can_request_membership, "request"),
    "leave": (LEAVE, perms.can_leave, "request"),
}


@pytest.mark.parametrize(("action", "role", "visibility"), roles.matrix_cases(ACTIONS))
def test_role_matrix(action, role, visibility):
    table, question, join_policy = ACTIONS[action]
    roles.check_cell(table, question, action, role, visibility, join_policy=join_policy)


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
    person, communities = roles.person_in_every_visibility(role)

    visible = perms.filter_visible_communities(person, CommunityPage.objects.all())

    assert set(visible.values_list("slug", flat=True)) == {
        communities[visibility].slug
        for visibility in roles.visibilities_allowed(VIEW_COMMUNITY, role)
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
