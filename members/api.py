"""API: the caller, organisations and the member directory."""

from collections.abc import Callable

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from kommunect.schema import Number

from .models import Organisation, User
from .selectors import member_directory, organisation_list
from .services import user_profile_update

router = Router(tags=["Mitglieder"])


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    kind_display: str = Field(alias="get_kind_display")
    bundesland: str
    ags: str


class MemberOut(Schema):
    user_id: int = Field(alias="pk")
    display_name: str
    organisation: OrganisationOut | None
    position: str
    expertise: list[str]
    url: str = Field(alias="get_absolute_url")

    @staticmethod
    def resolve_expertise(obj):
        return [t.name for t in obj.expertise.all()]


# Apps that build on members add sections to /me (communities: the caller's
# memberships) without members importing them.
ME_SECTIONS: dict[str, Callable] = {}


class MeOut(MemberOut):
    email: str
    is_staff: bool
    memberships: list[dict] = []

    @staticmethod
    def resolve_memberships(obj):
        section = ME_SECTIONS.get("memberships")
        return section(obj) if section else []


class PageParams(Schema):
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(25, ge=1, le=settings.API_PAGE_SIZE_MAX)


def paginate(qs, params: PageParams):
    """The list shape of API.md: items, count, page, pages."""
    count = qs.count()
    pages = max(1, -(-count // params.page_size))
    start = (params.page - 1) * params.page_size
    items = list(qs[start : start + params.page_size])
    return {
        "items": items,
        "count": count,
        "page": params.page,
        "pages": pages,
    }


class OrganisationList(Schema):
    items: list[OrganisationOut]
    count: int
    page: int
    pages: int


class MemberList(Schema):
    items: list[MemberOut]
    count: int
    page: int
    pages: int


class ProfileIn(Schema):
    """Fields of the own profile; what is left out stays as it is."""

    display_name: str | None = Field(None, max_length=100)
    organisation_id: Number | None = None
    position: str | None = Field(None, max_length=150)
    bio: str | None = Field(None, max_length=2000)
    expertise: list[str] | None = Field(None, max_length=10)


@router.get("/me", response=MeOut, summary="Die angemeldete Person")
def me(request):
    return request.user


@router.patch("/me", response=MeOut, summary="Eigenes Profil ändern")
def me_update(request, payload: ProfileIn):
    user = request.user
    data = payload.model_dump(exclude_unset=True)
    organisation = user.organisation
    if "organisation_id" in data:
        organisation = None
        if data["organisation_id"] is not None:
            organisation = Organisation.objects.filter(
                pk=data["organisation_id"]
            ).first()
            if organisation is None:
                raise HttpError(400, _("Diese Organisation gibt es nicht."))
    return user_profile_update(
        user=user,
        display_name=data.get("display_name", user.display_name) or "",
        organisation=organisation,
        position=data.get("position", user.position) or "",
        bio=data.get("bio", user.bio) or "",
        expertise=data["expertise"]
        if data.get("expertise") is not None
        else [t.name for t in user.expertise.all()],
    )


class OrganisationFilter(PageParams):
    q: str = Field("", max_length=200)


class MemberFilter(PageParams):
    q: str = Field("", max_length=200)
    organisation: str = Field("", max_length=200)
    tag: str = Field("", max_length=50)


@router.get("/organisations", response=OrganisationList, summary="Organisationen")
def organisations(request, params: Query[OrganisationFilter]):
    return paginate(organisation_list(q=params.q.strip()), params)


@router.get("/members", response=MemberList, summary="Mitgliederverzeichnis")
def members(request, params: Query[MemberFilter]):
    qs = member_directory(
        q=params.q.strip(),
        organisation=params.organisation.strip(),
        tag=params.tag.strip(),
    )
    return paginate(qs, params)


@router.get("/members/{user_id}", response=MemberOut, summary="Ein Mitglied")
def member_detail(request, user_id: int):
    return get_object_or_404(
        User.objects.select_related("organisation").prefetch_related("expertise"),
        pk=user_id,
        is_active=True,
    )
