"""The roles and visibilities of the permission role matrices, a person in
each role, the reader of the matrices' yes/no tables, the tables that several
matrices share, and the machinery that turns a table into test cases and
checks one cell."""

import pytest
from django.contrib.auth.models import AnonymousUser

from communities.models import CommunityPage
from factories import UserFactory
from factories.communities import make_community, make_member

VISIBILITIES = ("public", "internal", "private")
ROLES = (
    "anonymous",
    "platform user",
    "pending",
    "member",
    "moderator",
    "owner",
    "banned",
    "staff",
)

# --- the tables the communities, discussions and wiki matrices share ----------
# The design of issue 3 (communities), continued by the discussions (issue 4)
# and the wiki (issue 5): their own tables name these where they promise the
# same.

# Reading follows the community's visibility. Public communities are read by
# the whole world, so a ban there takes away taking part, not reading: a
# banned person sees what anyone logged out sees.
READ = """
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

# As reading, but for signed-in people only (the member list, watching).
READ_SIGNED_IN = """
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

# Taking part (threads, posts, reactions, wiki pages, chat): active members
# only (and staff).
TAKE_PART = """
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

# The moderation: moderators and owners of the community, and staff.
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


def parse_table(table: str) -> dict[tuple[str, str], bool]:
    """``{(role, visibility): allowed}`` from a table of roles × visibilities."""
    header, *rows = [line for line in table.strip().splitlines() if line.strip()]
    columns = header.split()
    assert tuple(columns) == VISIBILITIES
    expected = {}
    for row in rows:
        *role_words, public, internal, private = row.split()
        role = " ".join(role_words)
        for visibility, cell in zip(columns, (public, internal, private), strict=True):
            assert cell in ("yes", "no"), f"{role}/{visibility}: {cell!r}"
            expected[(role, visibility)] = cell == "yes"
    assert {role for role, _ in expected} == set(ROLES)
    return expected


def person_with_role(role: str, community: CommunityPage):
    """A user who has ``role`` in ``community`` (or on the platform)."""
    if role == "anonymous":
        return AnonymousUser()
    if role == "platform user":
        return UserFactory()
    if role == "staff":
        return UserFactory(is_staff=True)
    if role == "pending":
        return make_member(community, state="pending", message="Bitte aufnehmen").user
    if role == "banned":
        return make_member(
            community, state="banned", reason="Wiederholt beleidigend"
        ).user
    return make_member(community, role=role).user


# --- the matrix as test cases --------------------------------------------------


def matrix_cases(actions: dict) -> list:
    """One case ``(action, role, visibility)`` for every cell of every table:
    ``actions`` maps an action to a tuple whose first item is its table."""
    return [
        pytest.param(action, role, visibility, id=f"{action}-{role}-{visibility}")
        for action, (table, *_rest) in actions.items()
        for (role, visibility) in parse_table(table)
    ]


def check_cell(table, question, action, role, visibility, **community_fields):
    """Ask ``question(person, community)`` of a person with ``role`` in a new
    community of ``visibility`` and assert the table's answer."""
    community = make_community(visibility=visibility, **community_fields)
    person = person_with_role(role, community)

    allowed = question(person, community)

    expected = parse_table(table)[(role, visibility)]
    assert allowed is expected, (
        f"{role} should {'' if expected else 'not '}be allowed to {action} "
        f"in a {visibility} community"
    )


def person_in_every_visibility(role: str):
    """A community of every visibility and one person with ``role`` in all
    three: ``(person, {visibility: community})``."""
    communities = {
        visibility: make_community(visibility=visibility) for visibility in VISIBILITIES
    }
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
    return person, communities


def visibilities_allowed(table: str, role: str) -> list[str]:
    """The visibilities in which ``table`` allows ``role``."""
    expected = parse_table(table)
    return [visibility for visibility in VISIBILITIES if expected[(role, visibility)]]
