"""Communities and memberships for the tests (``from factories.communities import …``).

A community is a Wagtail page, so it is added below the one
``CommunityIndexPage`` that the migrations create rather than built by
factory_boy; memberships in the active state go through the service, so the
moderator group is kept in step exactly as in production.
"""

import itertools

from communities import permissions as perms
from communities.models import CommunityIndexPage, CommunityPage, Membership
from communities.services import membership_grant
from factories import UserFactory

_numbers = itertools.count(1)


def make_community(
    *,
    title: str | None = None,
    slug: str | None = None,
    description: str = "Austausch unter Kommunen zu einem gemeinsamen Thema.",
    visibility: str = "public",
    join_policy: str = "open",
    topics: list[str] | tuple[str, ...] = (),
    **fields,
) -> CommunityPage:
    """A live community below the community directory."""
    number = next(_numbers)
    title = title or f"Community {number}"
    community = CommunityPage(
        title=title,
        slug=slug or f"community-{number}",
        description=description,
        visibility=visibility,
        join_policy=join_policy,
        **fields,
    )
    if topics:
        community.topics.set(list(topics))
    CommunityIndexPage.objects.get().add_child(instance=community)
    return community


def make_member(
    community: CommunityPage,
    user=None,
    *,
    role: str = "member",
    state: str = "active",
    **fields,
) -> Membership:
    """``user`` (a new one if None) in ``community`` with ``role`` and ``state``.

    Active memberships are granted by the service (event recorded, moderator
    group synced); pending requests and bans are written directly, as the
    state a test starts from.
    """
    user = user or UserFactory()
    if state == Membership.State.ACTIVE and not fields:
        membership = membership_grant(community=community, user=user, role=role)
    else:
        membership = Membership.objects.create(
            community=community, user=user, role=role, state=state, **fields
        )
    perms.forget_memberships(user)
    return membership
