"""``GET /api/v1/search`` and ``GET /api/v1/search/suggest`` (API.md)."""

from __future__ import annotations

from datetime import datetime

from ninja import Router, Schema

from kommunect.api_auth import OPTIONAL_AUTH

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
    tags_highlight: list[str]
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
    # Search terms left out because no result had all of them (see notice).
    left_out: list[str]
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
                "tags_highlight": hit.tags_highlight,
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
        "left_out": page.left_out,
        "notice": " ".join(
            notice
            for notice in (
                page.notice or service.check_query(page.params),
                page.left_out_note,
                service.cut_note(page.params),
            )
            if notice
        ),
    }


def _parameter(name: str, description: str, kind: str = "string") -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": kind},
    }


# The parameters are read and checked by ``service.parse_params`` (repeatable,
# comma-separated, German messages); here they are described for the schema.
SEARCH_PARAMETERS = [
    _parameter("q", "Suchbegriffe: „Phrase“, -Wort, ODER/OR"),
    _parameter("community", "Community (Nummer oder Kurzname), mehrfach möglich"),
    _parameter("type", "Art: thread, post, wiki, message, document, community, member"),
    _parameter("tag", "Schlagwort, mehrfach möglich"),
    _parameter("organisation", "Organisation (Nummer), mehrfach möglich"),
    _parameter("author", "Person (Nummer), mehrfach möglich"),
    _parameter("from", "Ab Datum (JJJJ-MM-TT)"),
    _parameter("to", "Bis Datum (JJJJ-MM-TT)"),
    _parameter("time", "Zeitraum: week, month, year, older"),
    _parameter("sort", "relevance (Standard) oder date"),
    _parameter("page", "Seite, ab 1", "integer"),
    _parameter("page_size", "Ergebnisse je Seite, 1 bis 100 (Standard 20)", "integer"),
]


@router.get(
    "/search",
    response=SearchOut,
    auth=OPTIONAL_AUTH,
    summary="Suchen",
    openapi_extra={"parameters": SEARCH_PARAMETERS},
)
def search(request):
    """``q`` with the filters ``community`` (id or slug), ``type``, ``tag``,
    ``organisation``, ``author`` (each repeatable or comma-separated),
    ``from`` and ``to`` (JJJJ-MM-TT), ``time`` (week, month, year, older),
    ``sort`` (relevance, date), ``page`` and ``page_size`` (up to 100)."""
    service.check_search_rate(request)
    params = service.parse_params(request.GET, request.user)
    return page_out(service.search(request.user, params))


@router.get(
    "/search/suggest",
    response=list[SuggestionOut],
    auth=OPTIONAL_AUTH,
    summary="Vorschläge beim Tippen",
)
def suggest(request, q: str = ""):
    service.check_search_rate(request)
    return [
        {"type": hit.kind, "title": hit.title, "url": hit.url}
        for hit in service.suggest(request.user, q)
    ]
