"""API: the wiki (shared/API.md), with the same services and permission checks
as the pages.

A page is fetched and checked in one step (``_wiki_page``): a private
community's pages, and deleted pages for everyone but the moderation, are a
404. Saving carries the revision the editor started from; a conflict is a 409
that hands the editor's text back merged, with the conflicting parts.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models.fields.json import KT
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from wagtail.models import Revision

from kommunect.api_auth import OPTIONAL_AUTH
from kommunect.schema import Number
from kommunect.validation import parse_id
from members.api import PageParams, paginate

from .. import permissions as perms
from . import services
from .diff import diff_lines, diff_stats, render_diff_html
from .models import WikiPage
from .services import EditConflict
from .tree import page_tree

router = Router(tags=["Wiki"])


class WikiTreeItemOut(Schema):
    id: int
    title: str
    parent_id: int | None
    url: str
    depth: int
    updated: datetime | None


class WikiPageOut(Schema):
    id: int
    community: str
    title: str
    body: str
    body_html: str
    parent_id: int | None
    depth: int
    revision: int | None
    tags: list[str]
    protected: bool
    deleted: bool
    can_edit: bool
    updated: datetime | None
    url: str


class WikiSaveOut(WikiPageOut):
    merged: bool


class ConflictOut(Schema):
    line: int
    base: str
    theirs: str
    mine: str


class EditConflictOut(Schema):
    detail: str
    code: str
    merged_body: str
    conflicts: list[ConflictOut]
    revision: int


class RevisionAuthorOut(Schema):
    id: int
    display_name: str


class WikiRevisionOut(Schema):
    id: int
    author: RevisionAuthorOut | None
    summary: str
    created: datetime


class WikiRevisionList(Schema):
    items: list[WikiRevisionOut]
    count: int
    page: int
    pages: int


class WikiDiffOut(Schema):
    from_revision: int = Field(..., alias="from")
    to_revision: int = Field(..., alias="to")
    html: str
    added: int
    removed: int


class WikiLinkOut(Schema):
    id: int
    title: str
    url: str


# Generous limits here: the services check the real ones (title 200, body
# 200,000, summary 300 characters) with their own German messages.
class WikiCreateIn(Schema):
    title: str = Field(..., max_length=10_000)
    body: str = Field("", max_length=1_000_000)
    parent_id: Number | None = None
    summary: str = Field("", max_length=10_000)
    tags: list[str] = Field(default_factory=list, max_length=100)


class WikiSaveIn(Schema):
    body: str = Field(..., max_length=1_000_000)
    summary: str = Field("", max_length=10_000)
    base_revision: Number
    title: str | None = Field(None, max_length=10_000)
    tags: list[str] | None = Field(None, max_length=100)


class WikiRevertIn(Schema):
    revision: Number


def _wiki_page(request, page_id: int) -> WikiPage:
    """The page ``page_id`` if the caller may read it, else 404 (or 403 for
    an internal community's page and an anonymous caller)."""
    return perms.get_wiki_page_for(request.user, page_id)


def wiki_page_out(request, page: WikiPage, community=None) -> dict:
    community = community or perms.community_of_page(page)
    depth = page.depth - community.depth
    return {
        "id": page.pk,
        "community": community.slug,
        "title": page.title,
        "body": page.body,
        "body_html": page.body_html,
        "parent_id": None if depth == 1 else page.get_parent().pk,
        "depth": depth,
        "revision": page.latest_revision_id,
        "tags": [tag.name for tag in page.tags.all()],
        "protected": page.protected,
        "deleted": page.deleted_at is not None,
        "can_edit": perms.can_edit_wiki_page(request.user, page),
        "updated": page.latest_revision_created_at,
        "url": page.get_url(request=request),
    }


def _fresh(request, page: WikiPage) -> dict:
    return wiki_page_out(request, WikiPage.objects.get(pk=page.pk))


def _page_revision(page: WikiPage, revision_id: int, field: str) -> Revision:
    revision = Revision.page_revisions.filter(
        pk=revision_id, object_id=str(page.pk)
    ).first()
    if revision is None:
        raise ValidationError(
            {field: _("Diese Version gehört nicht zu dieser Seite.")},
            code="invalid_revision",
        )
    return revision


@router.get(
    "/communities/{slug}/wiki",
    response=list[WikiTreeItemOut],
    auth=OPTIONAL_AUTH,
    summary="Seitenbaum des Wikis einer Community",
)
def wiki_tree(request, slug: str):
    community = perms.get_community_for(request.user, slug)
    return [
        {
            "id": page.pk,
            "title": page.title,
            "parent_id": page.parent_id,
            "url": page.href,
            "depth": page.level,
            "updated": page.latest_revision_created_at,
        }
        for page in page_tree(community, request)
    ]


@router.post(
    "/communities/{slug}/wiki",
    response={201: WikiPageOut},
    summary="Wiki-Seite anlegen",
)
def wiki_create(request, slug: str, payload: WikiCreateIn):
    community = perms.get_community_for(request.user, slug)
    perms.check_participate(request.user, community)
    parent = None
    if payload.parent_id is not None:
        parent = (
            WikiPage.objects.descendant_of(community)
            .filter(pk=parse_id(payload.parent_id) or 0)
            .first()
        )
        if parent is None:
            raise ValidationError(
                {
                    "parent_id": _(
                        "Die übergeordnete Seite gehört nicht zu diesem Wiki."
                    )
                },
                code="invalid_parent",
            )
    page = services.wiki_page_create(
        author=request.user,
        community=community,
        parent=parent,
        title=payload.title,
        body=payload.body,
        summary=payload.summary,
        tags=payload.tags,
    )
    return Status(201, wiki_page_out(request, page, community))


@router.get(
    "/wiki/{page_id}",
    response=WikiPageOut,
    auth=OPTIONAL_AUTH,
    summary="Eine Wiki-Seite",
)
def wiki_detail(request, page_id: int):
    return wiki_page_out(request, _wiki_page(request, page_id))


@router.put(
    "/wiki/{page_id}",
    response={200: WikiSaveOut, 409: EditConflictOut},
    summary="Wiki-Seite speichern",
)
def wiki_save(request, page_id: int, payload: WikiSaveIn):
    page = _wiki_page(request, page_id)
    try:
        result = services.wiki_page_save(
            editor=request.user,
            page=page,
            body=payload.body,
            summary=payload.summary,
            base_revision=payload.base_revision,
            title=payload.title,
            tags=payload.tags,
        )
    except EditConflict as conflict:
        # Not left to the global handler: the editor's merged text and the
        # conflicting parts are the point of this answer.
        return Status(
            409,
            {
                "detail": conflict.messages[0],
                "code": "edit_conflict",
                "merged_body": conflict.merged_body,
                "conflicts": [
                    {
                        "line": c.line,
                        "base": c.base,
                        "theirs": c.theirs,
                        "mine": c.mine,
                    }
                    for c in conflict.conflicts
                ],
                "revision": conflict.revision_id,
            },
        )
    return {**_fresh(request, result.page), "merged": result.merged}


@router.get(
    "/wiki/{page_id}/revisions",
    response=WikiRevisionList,
    auth=OPTIONAL_AUTH,
    summary="Versionsgeschichte einer Wiki-Seite",
)
def wiki_revisions(request, page_id: int, params: Query[PageParams]):
    page = _wiki_page(request, page_id)
    # Only the summary of each revision's content: its body may be 200,000
    # characters, times a page of revisions.
    revisions = (
        Revision.page_revisions.filter(object_id=str(page.pk))
        .annotate(summary=KT("content__edit_summary"))
        .defer("content")
        .select_related("user")
        .order_by("-created_at", "-pk")
    )
    result = paginate(revisions, params)
    result["items"] = [
        {
            "id": revision.pk,
            "author": (
                {"id": revision.user.pk, "display_name": revision.user.display_name}
                if revision.user
                else None
            ),
            "summary": revision.summary or "",
            "created": revision.created_at,
        }
        for revision in result["items"]
    ]
    return result


@router.get(
    "/wiki/{page_id}/diff",
    response=WikiDiffOut,
    by_alias=True,
    auth=OPTIONAL_AUTH,
    summary="Unterschiede zwischen zwei Versionen",
)
def wiki_diff(
    request,
    page_id: int,
    from_revision: int = Query(..., alias="from"),
    to_revision: int = Query(..., alias="to"),
):
    page = _wiki_page(request, page_id)
    old = _page_revision(page, from_revision, "from")
    new = _page_revision(page, to_revision, "to")
    old_body = (old.content or {}).get("body", "")
    new_body = (new.content or {}).get("body", "")
    added, removed = diff_stats(old_body, new_body)
    return {
        "from": old.pk,
        "to": new.pk,
        "html": str(render_diff_html(diff_lines(old_body, new_body))),
        "added": added,
        "removed": removed,
    }


@router.post(
    "/wiki/{page_id}/revert",
    response=WikiSaveOut,
    summary="Auf eine frühere Version zurücksetzen",
)
def wiki_revert(request, page_id: int, payload: WikiRevertIn):
    page = _wiki_page(request, page_id)
    result = services.wiki_page_revert(
        editor=request.user, page=page, revision=payload.revision
    )
    return {**_fresh(request, result.page), "merged": result.merged}


@router.get(
    "/wiki/{page_id}/backlinks",
    response=list[WikiLinkOut],
    auth=OPTIONAL_AUTH,
    summary="Seiten, die auf diese Seite verlinken",
)
def wiki_backlinks(request, page_id: int):
    page = _wiki_page(request, page_id)
    community = perms.community_of_page(page)
    # Links only ever join pages of one wiki; the community filter makes sure
    # no page of another wiki is ever named here. Deleted pages link nowhere.
    sources = (
        WikiPage.objects.descendant_of(community)
        .filter(outgoing_links__target=page, deleted_at__isnull=True)
        .distinct()
        .order_by("title")
        .only("pk", "title", "path", "depth", "url_path")
    )
    return [
        {"id": source.pk, "title": source.title, "url": source.get_url(request)}
        for source in sources
    ]
