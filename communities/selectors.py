"""Reads of communities and memberships, filtered through the permission
module and prepared for lists (fixed query counts, whatever their size)."""

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from kommunect.validation import parse_id

from . import permissions as perms
from .models import CommunityPage, Membership, MembershipEvent

State = Membership.State
Role = Membership.Role


def community_list(
    *, user, mine: bool = False, tag: str = ""
) -> QuerySet[CommunityPage]:
    """Communities the user may see, with member counts and topics."""
    qs = perms.filter_visible_communities(user, CommunityPage.objects.all())
    if mine:
        if not user.is_authenticated:
            return qs.none()
        qs = qs.filter(
            memberships__user=user,
            memberships__state__in=[State.ACTIVE, State.PENDING],
        )
    if tag:
        qs = qs.filter(Q(topics__slug=tag) | Q(topics__name__iexact=tag))
    return (
        qs.distinct()
        .annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__state=State.ACTIVE), distinct=True
            )
        )
        .select_related("image")
        .prefetch_related("topics")
        .order_by("title")
    )


def community_member_count(community: CommunityPage) -> int:
    return Membership.objects.filter(community=community, state=State.ACTIVE).count()


ROLE_ORDER = {Role.OWNER: 0, Role.MODERATOR: 1, Role.MEMBER: 2}


def community_members(
    *,
    community: CommunityPage,
    organisation: str | int | None = None,
    role: str = "",
    state: str = State.ACTIVE,
) -> QuerySet[Membership]:
    """Memberships of a community with user and organisation, owners first."""
    qs = Membership.objects.filter(community=community, state=state)
    if role:
        qs = qs.filter(role=role)
    if organisation:
        organisation_id = parse_id(organisation)
        if organisation_id is not None:
            qs = qs.filter(user__organisation_id=organisation_id)
        else:
            qs = qs.filter(user__organisation__name__iexact=organisation)
    role_rank = Case(
        *(When(role=role, then=Value(rank)) for role, rank in ROLE_ORDER.items()),
        output_field=IntegerField(),
    )
    return (
        qs.select_related("user", "user__organisation")
        .annotate(role_rank=role_rank)
        .order_by("role_rank", "user__display_name", "pk")
    )


def community_organisations(*, community: CommunityPage):
    """Organisations that have active members here, for the member filter."""
    from members.models import Organisation

    return (
        Organisation.objects.filter(
            members__memberships__community=community,
            members__memberships__state=State.ACTIVE,
        )
        .distinct()
        .order_by("name")
    )


def pending_requests(*, community: CommunityPage) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(community=community, state=State.PENDING)
        .select_related("user", "user__organisation")
        .order_by("created", "pk")
    )


def membership_events(*, community: CommunityPage) -> QuerySet[MembershipEvent]:
    return MembershipEvent.objects.filter(community=community).select_related(
        "user", "actor"
    )


def last_decision_for(*, community: CommunityPage, user) -> MembershipEvent | None:
    """The latest event about this person here (to show a declined request)."""
    if not user.is_authenticated:
        return None
    return (
        MembershipEvent.objects.filter(community=community, user=user)
        .order_by("-created", "-pk")
        .first()
    )


def memberships_of(user) -> QuerySet[Membership]:
    """The user's own memberships (for /api/v1/me and the profile)."""
    return Membership.objects.filter(user=user).select_related("community")


def members_preview(*, community: CommunityPage, limit: int = 12):
    return list(community_members(community=community)[:limit])
