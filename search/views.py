"""The search page (``/suche/``) and the header's suggestions."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kommunect.ratelimit import RateLimited
from members.selectors import member_names, organisation_names

from . import service


def _values(params: service.SearchParams, **changes) -> dict:
    """The page's parameters with ``changes``, without the empty ones. A
    filter may have several values (a list), as the API takes them."""
    values = {
        "q": params.q,
        "community": params.communities,
        "type": params.kinds,
        "tag": params.tags,
        "organisation": params.organisations,
        "author": params.authors,
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
    return "?" + urlencode(_values(params, **changes), doseq=True)


def _other_filters(request, params: service.SearchParams) -> list[dict]:
    """The filters that have no facet (from the API's parameters or a link),
    each with its label and the URL without it."""
    found = []
    for name, day, text in (
        ("from", params.date_from, _("Ab %(day)s")),
        ("to", params.date_to, _("Bis %(day)s")),
    ):
        if day:
            label = text % {"day": date_format(day, "SHORT_DATE_FORMAT")}
            found.append({"label": label, "clear_url": _url(params, **{name: ""})})
    if params.authors:
        names = member_names(request.user, params.authors)
        label = (
            _("Von %(names)s") % {"names": ", ".join(names)}
            if len(names) == len(set(params.authors))
            else ngettext(
                "Von einer bestimmten Person",
                "Von bestimmten Personen",
                len(params.authors),
            )
        )
        found.append({"label": label, "clear_url": _url(params, author="")})
    return found


def _chosen_labels(request, selected, page, titles) -> dict[str, list[str]]:
    """For each facet, the labels of its chosen values that found nothing
    (not among its values), where the reader may know them."""
    found = {
        name: {value.value for value in page.result.facets.get(name, [])}
        for name in selected
    }
    missing = {
        name: [value for value in values if value not in found[name]]
        for name, values in selected.items()
    }
    organisations = (
        organisation_names(request.user, [int(o) for o in missing["organisation"]])
        if missing["organisation"]
        else {}
    )
    labels = {
        "type": lambda value: str(service.KIND_LABELS.get(value, "")),
        "time": lambda value: str(service.TIME_LABELS.get(value, "")),
        "tag": lambda value: value,
        "community": lambda value: titles.get(int(value), ""),
        "organisation": lambda value: organisations.get(int(value), ""),
    }
    return {
        name: [label for value in values if (label := labels[name](value))]
        for name, values in missing.items()
    }


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
    limited = None
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
        limited = error
    facets = []
    # The communities chosen, as far as the reader may see them: named
    # above the hits and in their facet.
    titles = (
        service.community_titles(request.user, params.communities)
        if page is not None and params.communities
        else {}
    )
    if page is not None:
        selected = {
            "type": params.kinds,
            "community": [str(c) for c in params.communities],
            "tag": params.tags,
            "organisation": [str(o) for o in params.organisations],
            "time": [params.time] if params.time else [],
        }
        missing = _chosen_labels(request, selected, page, titles)
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
                    ]
                    # A value chosen that nothing found is shown chosen, with
                    # (0), if it has a name the reader may know.
                    + [
                        {"label": label, "count": 0, "url": "", "selected": True}
                        for label in missing[name]
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
    # The communities the search is limited to, named above the hits: on a
    # phone the facets that say so start folded.
    scope = None
    if titles:
        scope = {
            "titles": ", ".join(service.quoted(title) for title in titles.values()),
            "clear_url": _url(params, community=""),
        }
    response = render(
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
            "other_filters": _other_filters(request, params) if page else [],
            # The form keeps the filters (checked ones only: a wrong value
            # would only repeat its error).
            "kept_filters": [
                (name, value)
                for name, values in _values(params, q="").items()
                for value in (values if isinstance(values, list) else [values])
            ],
            "limited": limited is not None,
            "last_page_url": _url(params, page=page.pages)
            if page and page.beyond_the_end
            else "",
        },
        status=429 if limited else 400 if errors else 200,
    )
    if limited:
        response["Retry-After"] = str(limited.retry_after)
    return response


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
