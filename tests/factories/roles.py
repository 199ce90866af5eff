"""The roles and visibilities of the permission role matrices, a person in
each role, and the reader of the matrices' yes/no tables."""

from django.contrib.auth.models import AnonymousUser

from communities.models import CommunityPage
from factories import UserFactory
from factories.communities import make_member

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
