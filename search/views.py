"""The search page (``/suche/``) and the header's suggestions."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kommunect.ratelimit import RateLimited

from . import service


def _values(params: service.SearchParams, **changes) -> dict:
    """The page's parameters with ``changes``, without the empty ones."""
    values = {
        "q": params.q,
        "community": params.communities[:1] and params.communities[0],
        "type": params.kinds[:1] and params.kinds[0],
        "tag": params.tags[:1] and params.tags[0],
        "organisation": params.organisations[:1] and params.organisations[0],
        "time": params.time,
        "from": params.date_from.isoformat() if params.date_from else "",
        "to": params.date_to.isoformat() if params.date_to else "",
        "sort": "" if params.sort == "relevance" else params.sort,
        "page": "",
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v not in (None, "", [], 0)}


def _url(params: service.SearchParams, **changes) -> str:
    """The page's URL with ``changes`` ("" drops a parameter)."""
    return "?" + urlencode(_values(params, **changes))


FACETS = (
    ("type", "type"),
    ("community", "community"),
    ("tag", "tag"),
    ("organisation", "organisation"),
    ("time", "time"),
)


@require_GET
def search_page(request):
    errors = {}
    page = None
    hint = note = ""
    params = service.SearchParams()
    try:
        params = service.parse_params(request.GET, request.user)
        if params.q.strip():
            service.check_search_rate(request)
            hint = service.check_query(params)
            note = service.cut_note(params)
            page = service.search(request.user, params)
    except ValidationError as error:
        errors = {
            field: [str(message) for message in messages]
            for field, messages in error.message_dict.items()
        }
        params.q = (request.GET.get("q") or "")[:500]
    except RateLimited as error:
        errors = {"q": [error.detail]}
    facets = []
    if page is not None:
        selected = {
            "type": params.kinds[:1],
            "community": [str(c) for c in params.communities[:1]],
            "tag": params.tags[:1],
            "organisation": [str(o) for o in params.organisations[:1]],
            "time": [params.time] if params.time else [],
        }
        for name, parameter in FACETS:
            values = page.result.facets.get(name, [])
            chosen = selected[name]
            if not values and not chosen:
                continue
            facets.append(
                {
                    "name": name,
                    "values": [
                        {
                            "label": value.label or value.value,
                            "count": value.count,
                            "url": _url(params, **{parameter: value.value}),
                            "selected": value.value in chosen,
                        }
                        for value in values
                    ],
                    "clear_url": _url(params, **{parameter: ""}) if chosen else "",
                }
            )
    pagination = None
    if page is not None and page.pages > 1:
        current = params.page
        pagination = {
            "current": current,
            "pages": page.pages,
            "previous": _url(params, page=current - 1) if current > 1 else "",
            "next": _url(params, page=current + 1) if current < page.pages else "",
            "numbers": [
                {"number": n, "url": _url(params, page=n), "current": n == current}
                for n in range(max(1, current - 2), min(page.pages, current + 2) + 1)
            ],
        }
    # The community the search is limited to, named above the hits: on a
    # phone the facets that say so start folded. Its title is known from the
    # facets whenever something was found.
    scope = None
    if page is not None and params.communities:
        community = page.communities.get(params.communities[0])
        if community is not None:
            scope = {"title": community.title, "clear_url": _url(params, community="")}
    return render(
        request,
        "search/search.html",
        {
            "params": params,
            "scope": scope,
            "page": page,
            "hint": hint,
            "note": note,
            "errors": errors,
            "facets": facets,
            "pagination": pagination,
            "sort_relevance_url": _url(params, sort=""),
            "sort_date_url": _url(params, sort="date"),
            "suggestion_url": _url(params, q=page.result.suggestion)
            if page and page.result.suggestion
            else "",
            "kind_labels": service.KIND_LABEL,
            # The form keeps the filters (checked ones only: a wrong value
            # would only repeat its error).
            "kept_filters": _values(params, q="").items(),
            "last_page_url": _url(params, page=page.pages)
            if page and page.beyond_the_end
            else "",
        },
        status=400 if errors else 200,
    )


@require_GET
def suggest_view(request):
    """Up to six titles for the header's search field (JSON)."""
    try:
        service.check_search_rate(request)
    except RateLimited as error:
        return JsonResponse({"results": [], "detail": error.detail}, status=429)
    hits = service.suggest(request.user, request.GET.get("q", ""))
    return JsonResponse(
        {
            "results": [
                {
                    "type": hit.kind,
                    "type_label": str(service.KIND_LABEL.get(hit.kind, "")),
                    "title": hit.title,
                    "url": hit.url,
                }
                for hit in hits
            ]
        }
    )


@require_GET
def opensearch_description(request):
    """The OpenSearch description, so that a browser offers Kommunect as a
    search engine of its address bar (its ``<link rel="search">`` is in the
    page head). Addresses are absolute, as the format requires."""
    return render(
        request,
        "search/opensearch.xml",
        {
            "search_url": request.build_absolute_uri(reverse("search:search")),
            "icon_url": request.build_absolute_uri(static("img/favicon.svg")),
            "language": get_language() or settings.LANGUAGE_CODE,
            "description": _(
                "Diskussionen, Wiki, Chat und Dokumente auf Kommunect durchsuchen"
            ),
        },
        content_type="application/opensearchdescription+xml; charset=utf-8",
    )
