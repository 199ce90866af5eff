"""API: communities, membership, requests, invitations (shared/API.md).

Same services and permission checks as the pages; a private community the
caller may not see is a 404 everywhere.
"""

from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from kommunect.api_auth import OPTIONAL_AUTH
from kommunect.schema import Number
from members.api import OrganisationOut, PageParams, paginate
from members.models import User

from . import permissions as perms
from . import selectors, services
from .models import JoinPolicy, Membership
from .views.community import check_join_rate

router = Router(tags=["Communities"])


class CommunityOut(Schema):
    slug: str
    title: str
    description: str
    intro_html: str
    visibility: str
    join_policy: str
    role: str | None
    member_count: int
    tags: list[str]
    last_activity: datetime
    url: str


def community_out(community, user, member_count=None) -> dict:
    return {
        "slug": community.slug,
        "title": community.title,
        "description": community.description,
        "intro_html": community.intro_html,
        "visibility": community.visibility,
        "join_policy": community.join_policy,
        "role": perms.role_in(user, community),
        "member_count": member_count
        if member_count is not None
        else selectors.community_member_count(community),
        "tags": [t.name for t in community.topics.all()],
        "last_activity": community.last_activity,
        "url": community.url,
    }


class CommunityList(Schema):
    items: list[CommunityOut]
    count: int
    page: int
    pages: int


class CommunityFilter(PageParams):
    mine: bool = False
    tag: str = Field("", max_length=100)


class MemberOut(Schema):
    user_id: int
    display_name: str
    organisation: OrganisationOut | None
    role: str
    state: str
    since: datetime


class MemberList(Schema):
    items: list[MemberOut]
    count: int
    page: int
    pages: int


class MemberFilter(PageParams):
    organisation: str = Field("", max_length=200)
    role: str = Field("", max_length=20)
    state: str = Field("active", pattern="^(active|banned)$")


def member_out(membership) -> dict:
    return {
        "user_id": membership.user_id,
        "display_name": membership.user.display_name,
        "organisation": membership.user.organisation,
        "role": membership.role,
        "state": membership.state,
        "since": membership.created,
    }


class RequestOut(Schema):
    id: int
    user_id: int
    display_name: str
    organisation: OrganisationOut | None
    email: str
    message: str
    created: datetime


class JoinIn(Schema):
    message: str = Field("", max_length=1000)


class DecisionIn(Schema):
    reason: str = Field("", max_length=1000)


class InvitationIn(Schema):
    email: str = Field("", max_length=254)
    user_id: Number | None = None
    message: str = Field("", max_length=1000)


class InvitationOut(Schema):
    id: int
    email: str
    user_id: int | None
    expires_at: datetime


class MemberPatchIn(Schema):
    role: str | None = Field(None, pattern="^(owner|moderator|member)$")
    state: str | None = Field(None, pattern="^(active|banned|removed)$")
    reason: str = Field("", max_length=1000)
    banned_until: datetime | None = None


class StatusOut(Schema):
    detail: str
    role: str | None = None


@router.get(
    "/communities", response=CommunityList, auth=OPTIONAL_AUTH, summary="Communities"
)
def community_list(request, params: Query[CommunityFilter]):
    result = paginate(
        selectors.community_list(
            user=request.user, mine=params.mine, tag=params.tag.strip()
        ),
        params,
    )
    result["items"] = [
        community_out(c, request.user, member_count=c.member_count)
        for c in result["items"]
    ]
    return result


@router.get(
    "/communities/{slug}",
    response=CommunityOut,
    auth=OPTIONAL_AUTH,
    summary="Eine Community",
)
def community_detail(request, slug: str):
    return community_out(perms.get_community_for(request.user, slug), request.user)


@router.post(
    "/communities/{slug}/join", response=StatusOut, summary="Beitreten oder anfragen"
)
def community_join(request, slug: str, payload: JoinIn | None = None):
    community = perms.get_community_for(request.user, slug)
    check_join_rate(request)
    if community.join_policy == JoinPolicy.REQUEST:
        services.membership_request(
            user=request.user,
            community=community,
            message=payload.message if payload else "",
        )
        detail = _("Ihre Anfrage wurde gesendet.")
    else:
        services.membership_join(user=request.user, community=community)
        detail = _("Sie sind jetzt Mitglied.")
    return {"detail": detail, "role": perms.role_in(request.user, community)}


@router.post("/communities/{slug}/leave", response=StatusOut, summary="Verlassen")
def community_leave(request, slug: str):
    community = perms.get_community_to_leave(request.user, slug)
    services.membership_leave(user=request.user, community=community)
    return {"detail": _("Sie haben die Community verlassen."), "role": None}


@router.get("/communities/{slug}/members", response=MemberList, summary="Mitglieder")
def community_members(request, slug: str, params: Query[MemberFilter]):
    community = perms.get_community_for(request.user, slug)
    perms.check_view_members(request.user, community)
    if params.state == Membership.State.BANNED:
        perms.check_moderate(request.user, community)
    result = paginate(
        selectors.community_members(
            community=community,
            organisation=params.organisation.strip(),
            role=params.role.strip(),
            state=params.state,
        ),
        params,
    )
    result["items"] = [member_out(m) for m in result["items"]]
    return result


@router.get(
    "/communities/{slug}/requests", response=list[RequestOut], summary="Offene Anfragen"
)
def community_requests(request, slug: str):
    community = perms.get_community_for(request.user, slug)
    perms.check_moderate(request.user, community)
    return [
        {
            "id": m.pk,
            "user_id": m.user_id,
            "display_name": m.user.display_name,
            "organisation": m.user.organisation,
            "email": m.user.email,
            "message": m.message,
            "created": m.created,
        }
        for m in selectors.pending_requests(community=community)
    ]


def _decide(request, slug, request_id, approve, payload):
    community = perms.get_community_for(request.user, slug)
    services.membership_decide(
        actor=request.user,
        community=community,
        membership_id=request_id,
        approve=approve,
        reason=payload.reason if payload else "",
    )
    return {
        "detail": _("Die Anfrage wurde angenommen.")
        if approve
        else _("Die Anfrage wurde abgelehnt.")
    }


@router.post("/communities/{slug}/requests/{request_id}/approve", response=StatusOut)
def request_approve(
    request, slug: str, request_id: int, payload: DecisionIn | None = None
):
    return _decide(request, slug, request_id, True, payload)


@router.post("/communities/{slug}/requests/{request_id}/decline", response=StatusOut)
def request_decline(
    request, slug: str, request_id: int, payload: DecisionIn | None = None
):
    return _decide(request, slug, request_id, False, payload)


@router.post(
    "/communities/{slug}/invitations", response={201: InvitationOut}, summary="Einladen"
)
def community_invite(request, slug: str, payload: InvitationIn):
    community = perms.get_community_for(request.user, slug)
    perms.check_moderate(request.user, community)
    invitee = None
    if payload.user_id is not None:
        invitee = User.objects.filter(pk=payload.user_id, is_active=True).first()
        if invitee is None:
            raise HttpError(400, _("Diese Person gibt es nicht."))
    invitation = services.invitation_create(
        actor=request.user,
        community=community,
        user=invitee,
        email=payload.email,
        message=payload.message,
    )
    return Status(201, invitation)


@router.patch(
    "/communities/{slug}/members/{user_id}",
    response=StatusOut,
    summary="Rolle, Entfernen, Sperre",
)
def community_member_patch(request, slug: str, user_id: int, payload: MemberPatchIn):
    community = perms.get_community_for(request.user, slug)
    perms.check_moderate(request.user, community)
    get_object_or_404(User, pk=user_id)
    if payload.state in ("banned", "removed"):
        services.membership_remove(
            actor=request.user,
            community=community,
            user_id=user_id,
            reason=payload.reason,
            ban=payload.state == "banned",
            banned_until=payload.banned_until,
        )
        detail = (
            _("Die Person wurde gesperrt.")
            if payload.state == "banned"
            else _("Die Person wurde entfernt.")
        )
    elif payload.state == "active":
        services.membership_unban(
            actor=request.user, community=community, user_id=user_id
        )
        detail = _("Die Sperre wurde aufgehoben.")
    elif payload.role:
        services.membership_set_role(
            actor=request.user, community=community, user_id=user_id, role=payload.role
        )
        detail = _("Die Rolle wurde geändert.")
    else:
        raise HttpError(400, _("Bitte geben Sie eine Rolle oder einen Status an."))
    return {"detail": detail}


def me_memberships(user) -> list[dict]:
    """The memberships section of ``GET /api/v1/me``."""
    return [
        {
            "community": m.community.slug,
            "title": m.community.title,
            "role": perms.role_in(user, m.community),
            "url": m.community.url,
        }
        for m in selectors.memberships_of(user)
    ]
