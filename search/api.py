"""``GET /api/v1/search`` and ``GET /api/v1/search/suggest`` (API.md)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from ninja import Router, Schema

from kommunect.ratelimit import check_rate

from . import service

router = Router(tags=["Suche"])


class CommunityRef(Schema):
    id: int
    title: str
    slug: str


class HitOut(Schema):
    type: str
    title: str
    url: str
    community: CommunityRef | None
    highlight: str
    title_highlight: str
    author: str
    organisation: str
    date: datetime
    tags: list[str]
    matches: int


class FacetOut(Schema):
    value: str
    label: str
    count: int


class SearchOut(Schema):
    query: str
    total: int
    page: int
    pages: int
    hits: list[HitOut]
    facets: dict[str, list[FacetOut]]
    suggestion: str
    notice: str


class SuggestionOut(Schema):
    type: str
    title: str
    url: str


def _community(page, community_id):
    community = page.communities.get(community_id)
    if community is None:
        return None
    return {"id": community.pk, "title": community.title, "slug": community.slug}


def page_out(page: service.SearchPage) -> dict:
    result = page.result
    return {
        "query": page.params.q,
        "total": result.total,
        "page": page.params.page,
        "pages": page.pages,
        "hits": [
            {
                "type": hit.kind,
                "title": hit.title,
                "url": hit.url,
                "community": _community(page, hit.community_id),
                "highlight": hit.highlight,
                "title_highlight": hit.title_highlight,
                "author": hit.author_name,
                "organisation": hit.organisation_name,
                "date": hit.date,
                "tags": hit.tags,
                "matches": hit.matches,
            }
            for hit in result.hits
        ],
        "facets": {
            name: [
                {"value": f.value, "label": f.label, "count": f.count} for f in values
            ]
            for name, values in result.facets.items()
        },
        "suggestion": result.suggestion,
        "notice": result.notice or service.check_query(page.params),
    }


@router.get("/search", response=SearchOut, summary="Suchen")
def search(request):
    """``q`` with the filters ``community`` (id or slug), ``type``, ``tag``,
    ``organisation``, ``author`` (each repeatable or comma-separated),
    ``from`` and ``to`` (JJJJ-MM-TT), ``time`` (week, month, year, older),
    ``sort`` (relevance, date) and ``page``."""
    check_rate(request, group="search", rate=settings.SEARCH_RATE, key="user_or_ip")
    params = service.parse_params(request.GET)
    return page_out(service.search(request.user, params))


@router.get(
    "/search/suggest", response=list[SuggestionOut], summary="Vorschläge beim Tippen"
)
def suggest(request, q: str = ""):
    check_rate(request, group="search", rate=settings.SEARCH_RATE, key="user_or_ip")
    return [
        {"type": hit.kind, "title": hit.title, "url": hit.url}
        for hit in service.suggest(request.user, q)
    ]
