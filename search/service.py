"""Search for a person: the parameters of the page and of the API checked
(with German messages), the reader's access from the permission module, the
backend asked, and the ids in the answer turned into names."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities import permissions as perms
from communities.models import CommunityPage
from kommunect.markdown import sanitise_html
from kommunect.validation import field_error
from members.models import Organisation

from .analysis import MAX_QUERY_CHARS, parse_query
from .backends import get_backend
from .backends.base import (
    KINDS,
    MAX_PAGE,
    PAGE_SIZE,
    SORTS,
    TIME_RANGES,
    Access,
    Filters,
    SearchRequest,
    SearchResult,
)

KIND_LABELS = {
    "thread": gettext_lazy("Diskussionen"),
    "post": gettext_lazy("Beiträge"),
    "wiki": gettext_lazy("Wiki-Seiten"),
    "message": gettext_lazy("Chatnachrichten"),
    "document": gettext_lazy("Dokumente"),
    "community": gettext_lazy("Communities"),
    "member": gettext_lazy("Mitglieder"),
}
TIME_LABELS = {
    "week": gettext_lazy("Letzte 7 Tage"),
    "month": gettext_lazy("Letzter Monat"),
    "year": gettext_lazy("Letztes Jahr"),
    "older": gettext_lazy("Älter als ein Jahr"),
}
MAX_FILTER_VALUES = 20


@dataclass
class SearchParams:
    q: str = ""
    communities: list[int] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    organisations: list[int] = field(default_factory=list)
    authors: list[int] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None
    time: str = ""
    sort: str = "relevance"
    page: int = 1


def _ids(values, name: str, message: str) -> list[int]:
    found = []
    for value in values[:MAX_FILTER_VALUES]:
        value = str(value).strip()
        if not value:
            continue
        if not value.isdigit() or len(value) > 18:
            raise field_error(name, message, "invalid")
        found.append(int(value))
    return found


def _date(value, name: str) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise field_error(
            name,
            _("Bitte ein Datum im Format JJJJ-MM-TT angeben, z. B. 2026-03-31."),
            "invalid",
        ) from None


def parse_params(data) -> SearchParams:
    """``data``: a QueryDict (``getlist``) or a dict of lists. Raises a
    ``ValidationError`` naming the field, in German."""

    def many(name):
        if hasattr(data, "getlist"):
            values = data.getlist(name)
        else:
            values = data.get(name) or []
            values = values if isinstance(values, list) else [values]
        found = []
        for value in values:
            found += [part for part in str(value).split(",") if part.strip()]
        return found

    def one(name):
        values = many(name)
        return values[0].strip() if values else ""

    q = data.get("q", "")
    q = q[0] if isinstance(q, list) and q else q
    params = SearchParams(q=(q if isinstance(q, str) else "")[:MAX_QUERY_CHARS])
    communities = many("community")
    params.communities = [int(c) for c in communities if c.strip().isdigit()]
    slugs = [c.strip() for c in communities if not c.strip().isdigit()]
    if slugs:
        found = dict(
            CommunityPage.objects.filter(
                slug__in=slugs[:MAX_FILTER_VALUES]
            ).values_list("slug", "pk")
        )
        if set(slugs) - set(found):
            raise field_error(
                "community", _("Diese Community gibt es nicht."), "invalid"
            )
        params.communities += list(found.values())
    kinds = [kind.strip() for kind in many("type")]
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown:
        raise field_error(
            "type",
            _("Unbekannte Art „%(kind)s“. Erlaubt sind: %(kinds)s.")
            % {"kind": unknown[0][:40], "kinds": ", ".join(KINDS)},
            "invalid",
        )
    params.kinds = kinds
    params.tags = [tag.strip()[:100] for tag in many("tag")][:MAX_FILTER_VALUES]
    params.organisations = _ids(
        many("organisation"),
        "organisation",
        _("Bitte die Nummer einer Organisation angeben."),
    )
    params.authors = _ids(
        many("author"), "author", _("Bitte die Nummer einer Person angeben.")
    )
    params.date_from = _date(one("from"), "from")
    params.date_to = _date(one("to"), "to")
    if params.date_from and params.date_to and params.date_from > params.date_to:
        raise field_error(
            "to", _("Das Ende liegt vor dem Anfang des Zeitraums."), "invalid"
        )
    params.time = one("time")
    if params.time and params.time not in dict(TIME_RANGES):
        raise field_error("time", _("Diesen Zeitraum gibt es nicht."), "invalid")
    params.sort = one("sort") or "relevance"
    if params.sort not in SORTS:
        raise field_error(
            "sort", _("Sortieren geht nach „relevance“ oder „date“."), "invalid"
        )
    page = one("page") or "1"
    if not page.isdigit() or not 1 <= int(page) <= MAX_PAGE:
        raise field_error(
            "page",
            _("Bitte eine Seite zwischen 1 und %(max)s angeben.") % {"max": MAX_PAGE},
            "invalid",
        )
    params.page = int(page)
    return params


def access_for(user) -> Access:
    """The reader's access, as ``communities.permissions`` answers it."""
    scopes = perms.search_scopes(user)
    return Access(
        reader_communities=frozenset(scopes["reader_communities"]),
        participant_communities=frozenset(scopes["participant_communities"]),
        direct_rooms=frozenset(scopes["direct_rooms"]),
        signed_in=scopes["signed_in"],
    )


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass
class SearchPage:
    params: SearchParams
    result: SearchResult
    communities: dict[int, CommunityPage]
    organisations: dict[int, str]
    page_size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, -(-self.result.total // self.page_size))


def search(user, params: SearchParams, page_size: int = PAGE_SIZE) -> SearchPage:
    now = timezone.now()
    filters = Filters(
        communities=params.communities,
        kinds=params.kinds,
        tags=params.tags,
        organisations=params.organisations,
        authors=params.authors,
        date_from=_aware(params.date_from) if params.date_from else None,
        date_to=_aware(params.date_to) + timedelta(days=1) if params.date_to else None,
    )
    if params.time:
        days = dict(TIME_RANGES)[params.time]
        if days is None:
            filters.date_to = now - timedelta(days=TIME_RANGES[-2][1])
        else:
            filters.date_from = now - timedelta(days=days)
    request = SearchRequest(
        text=params.q,
        query=parse_query(params.q),
        access=access_for(user),
        filters=filters,
        sort=params.sort,
        page=params.page,
        page_size=page_size,
        now=now,
    )
    result = get_backend().search(request)
    # The backends escape the text and mark the matches; what reaches the
    # page and the API goes through the shared sanitiser all the same.
    for hit in result.hits:
        hit.highlight = sanitise_html(hit.highlight)
        hit.title_highlight = sanitise_html(hit.title_highlight)
    community_ids = {hit.community_id for hit in result.hits if hit.community_id}
    community_ids |= {int(f.value) for f in result.facets.get("community", [])}
    communities = CommunityPage.objects.in_bulk(community_ids) if community_ids else {}
    for facet in result.facets.get("community", []):
        community = communities.get(int(facet.value))
        facet.label = community.title if community else ""
    organisation_ids = [int(f.value) for f in result.facets.get("organisation", [])]
    organisations = dict(
        Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", "name")
    )
    for facet in result.facets.get("organisation", []):
        facet.label = organisations.get(int(facet.value), "")
    for facet in result.facets.get("type", []):
        facet.label = str(KIND_LABELS.get(facet.value, facet.value))
    for facet in result.facets.get("time", []):
        facet.label = str(TIME_LABELS.get(facet.value, facet.value))
    for facet in result.facets.get("tag", []):
        facet.label = facet.value
    return SearchPage(
        params=params,
        result=result,
        communities=communities,
        organisations=organisations,
        page_size=page_size,
    )


def suggest(user, text: str, limit: int = 6):
    return get_backend().suggest(text[:100], access_for(user), limit)


def check_query(params: SearchParams) -> str:
    """A hint when there is nothing to search for (empty, only operators or
    only exclusions), else ''."""
    query = parse_query(params.q)
    if query:
        return ""
    if params.q.strip():
        return _(
            "Ihre Eingabe enthält keinen Suchbegriff. Geben Sie mindestens ein "
            "Wort ein, das gefunden werden soll."
        )
    return ""
