"""Search for a person: the parameters of the page and of the API checked
(with German messages), the reader's access from the permission module, the
backend asked, and the ids in the answer turned into names."""

from __future__ import annotations

import time as clock
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from itertools import combinations

from django.conf import settings
from django.utils import timezone
from django.utils.text import Truncator, get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from communities import permissions as perms
from communities.models import CommunityPage
from kommunect.markdown import sanitise_html
from kommunect.ratelimit import check_rate
from kommunect.validation import MAX_YEAR, field_error, is_digits
from members.models import Organisation

from .analysis import (
    MAX_QUERY_CHARS,
    MAX_TERMS,
    Query,
    is_filler,
    parse_query,
    words,
)
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
from .marks import highlight, query_stems

KIND_LABELS = {
    "thread": gettext_lazy("Diskussionen"),
    "post": gettext_lazy("Beiträge"),
    "wiki": gettext_lazy("Wiki-Seiten"),
    "message": gettext_lazy("Chatnachrichten"),
    "document": gettext_lazy("Dokumente"),
    "community": gettext_lazy("Communities"),
    "member": gettext_lazy("Mitglieder"),
}
# One hit or suggestion of a kind.
KIND_LABEL = {
    "thread": gettext_lazy("Diskussion"),
    "post": gettext_lazy("Beitrag"),
    "wiki": gettext_lazy("Wiki-Seite"),
    "message": gettext_lazy("Chatnachricht"),
    "document": gettext_lazy("Dokument"),
    "community": gettext_lazy("Community"),
    "member": gettext_lazy("Mitglied"),
}
SORT_LABELS = {
    "relevance": gettext_lazy("Relevanz"),
    "date": gettext_lazy("Datum"),
}
TIME_LABELS = {
    "week": gettext_lazy("Letzte 7 Tage"),
    "month": gettext_lazy("Letzter Monat"),
    "year": gettext_lazy("Letztes Jahr"),
    "older": gettext_lazy("Älter als ein Jahr"),
}
MAX_FILTER_VALUES = 20
MAX_PAGE_SIZE = 100  # API.md: lists take ?page_size= up to 100
# A search of several words that finds nothing with all of them is tried
# without some (``_without_some_words``), for up to this many words; a word
# found this often counts as very common.
RELAX_WORDS = 8
RELAX_TRIES = 24
COMMON_WORD = 10_000
# Dates outside these years are typing errors (and beyond what the
# databases' date arithmetic takes: 9999-12-31 has no next day).
YEARS = (1900, MAX_YEAR)


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
    page_size: int = PAGE_SIZE
    # The query was longer than MAX_QUERY_CHARS and is cut there.
    cut: bool = False


def _ids(values, name: str, message: str) -> list[int]:
    found = []
    for value in values[:MAX_FILTER_VALUES]:
        value = str(value).strip()
        if not value:
            continue
        if not is_digits(value) or len(value) > 18:
            raise field_error(name, message, "invalid")
        found.append(int(value))
    return found


def _date(value, name: str) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise field_error(
            name,
            _("Bitte ein Datum im Format JJJJ-MM-TT angeben, z. B. 2026-03-31."),
            "invalid",
        ) from None
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise field_error(
            name,
            _("Bitte ein Datum zwischen den Jahren %(first)s und %(last)s angeben.")
            % {"first": YEARS[0], "last": YEARS[1]},
            "invalid",
        )
    return day


def _number(value: str, name: str, low: int, high: int, message: str) -> int:
    if not is_digits(value) or not low <= int(value) <= high:
        raise field_error(name, message, "invalid")
    return int(value)


def _choices(labels) -> str:
    """``labels`` as "value (Label), …" for a message."""
    return ", ".join(f"{value} ({label})" for value, label in labels.items())


def check_search_rate(request) -> None:
    """Count one search or suggestion by the caller (page and API alike);
    ``RateLimited`` over ``SEARCH_RATE``."""
    check_rate(request, group="search", rate=settings.SEARCH_RATE)


def parse_params(data, user) -> SearchParams:
    """``data``: a QueryDict (``getlist``) or a dict of lists. Raises a
    ``ValidationError`` naming the field, in German. A community given by
    its slug must be one that ``user`` may see: one that is not is as
    unknown as one that does not exist."""

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
    q = q if isinstance(q, str) else ""
    # Cut where a word was left out (not where only spaces were).
    params = SearchParams(q=q[:MAX_QUERY_CHARS], cut=bool(words(q[MAX_QUERY_CHARS:])))
    communities = [c.strip() for c in many("community")]
    params.communities = _ids(
        [c for c in communities if is_digits(c)],
        "community",
        _("Diese Community gibt es nicht."),
    )
    slugs = [c for c in communities if not is_digits(c)]
    if slugs:
        found = dict(
            perms.filter_visible_communities(
                user, CommunityPage.objects.filter(slug__in=slugs[:MAX_FILTER_VALUES])
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
            % {"kind": unknown[0][:40], "kinds": _choices(KIND_LABELS)},
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
            "sort",
            _("Sortiert werden kann nach: %(sorts)s.")
            % {"sorts": _choices(SORT_LABELS)},
            "invalid",
        )
    params.page = _number(
        one("page") or "1",
        "page",
        1,
        MAX_PAGE,
        _("Bitte eine Seite zwischen 1 und %(max)s angeben.") % {"max": MAX_PAGE},
    )
    params.page_size = _number(
        one("page_size") or str(PAGE_SIZE),
        "page_size",
        1,
        MAX_PAGE_SIZE,
        _("Bitte zwischen 1 und %(max)s Ergebnisse je Seite angeben.")
        % {"max": MAX_PAGE_SIZE},
    )
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


def quoted(text: str) -> str:
    """„text“, in the quotation marks of the language."""
    return _("„%(word)s“") % {"word": text}


def quoted_list(words: list[str]) -> str:
    """„a“, „b“ und „c“ (a long word shortened)."""
    return get_text_list(
        [quoted(Truncator(word).chars(40)) for word in words], _("und")
    )


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass
class SearchPage:
    params: SearchParams
    result: SearchResult
    communities: dict[int, CommunityPage]
    organisations: dict[int, str]
    # The search terms, each as typed, that the search was done without,
    # as nothing had all of them (``_without_some_words``).
    left_out: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, -(-self.result.total // self.params.page_size))

    @property
    def beyond_the_end(self) -> bool:
        """Hits, but none on this page: the page is past the last."""
        return self.params.page > self.pages > 0

    @property
    def left_out_note(self) -> str:
        """That the search was done without some of the words, and which,
        else ''."""
        if not self.left_out:
            return ""
        return _(
            "Kein Ergebnis enthält alle Suchbegriffe. Gesucht wurde ohne %(words)s."
        ) % {"words": quoted_list(self.left_out)}

    @property
    def notice(self) -> str:
        """What the reader is told above the hits (the backend's notice, or
        that this page is past the last), else ''."""
        if self.result.notice:
            return self.result.notice
        if self.beyond_the_end:
            return ngettext(
                "Seite %(page)s gibt es für diese Suche nicht, sie hat nur "
                "%(pages)s Seite.",
                "Seite %(page)s gibt es für diese Suche nicht, sie hat nur "
                "%(pages)s Seiten.",
                self.pages,
            ) % {"page": self.params.page, "pages": self.pages}
        return ""


def search(user, params: SearchParams) -> SearchPage:
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
        page_size=params.page_size,
        now=now,
    )
    backend = get_backend()
    result = backend.search(request)
    left_out: list[str] = []
    if not result.total and not result.notice:
        relaxed = _without_some_words(backend, request)
        if relaxed:
            request, found, left_out = relaxed
            found.suggestion = result.suggestion
            result = found
    # The backends escape the text and mark the matches; what reaches the
    # page and the API goes through the shared sanitiser all the same. A
    # hit found by its tags shows which: the tags are marked here.
    stems = query_stems(request.query)
    for hit in result.hits:
        hit.highlight = sanitise_html(hit.highlight)
        hit.title_highlight = sanitise_html(hit.title_highlight)
        hit.tags_highlight = [
            sanitise_html(highlight(tag, stems, whole=True)) for tag in hit.tags
        ]
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
        left_out=left_out,
    )


def _without_some_words(backend, request: SearchRequest):
    """For a search of several words that found nothing: the search without
    as few of them as possible that finds something, as ``(request, result,
    left out)``, else None. A question in whole sentences ("Wer hat schon
    eine Hitzeaktionsplan-Vorlage?") then finds what its telling words find.

    Words that the reader finds nowhere go first. Then one more word is left
    out, then two …, of those the words of a question first ("wer",
    "schon": ``analysis.is_filler``), then the most common (of two alike the
    one typed later), as the rarer words say more about what is sought; a
    search of only words of a question is not tried. Each try
    only asks whether anything is found (``count_matches`` up to 1); the one
    that finds is searched. At most ``RELAX_TRIES`` tries, none begun after
    ``SEARCH_TIMEOUT``; the tries of one number of words left out are one
    question to the backend. Counted with the reader's access and filters,
    so a word of a private community counts as nowhere for those outside."""
    query = request.query
    if not 2 <= len(query.clauses) <= RELAX_WORDS:
        return None
    deadline = clock.monotonic() + settings.SEARCH_TIMEOUT

    def asking(positions) -> SearchRequest:
        clauses = [query.clauses[n] for n in sorted(positions)]
        return replace(request, query=Query(clauses=clauses, excluded=query.excluded))

    found = backend.count_matches(
        [asking([n]) for n in range(len(query.clauses))], COMMON_WORD
    )
    if found is None:
        return None
    filler = [all(is_filler(term) for term in c) for c in query.clauses]
    # Positions of the words found: those of a question, then the most
    # common first.
    known = sorted(
        (n for n, count in enumerate(found) if count),
        key=lambda n: (not filler[n], -found[n], -n),
    )
    tries = 0
    # Leaving out the unknown words and none, one, two … of the known ones
    # (all of them but one at most), each number of them in one question;
    # combinations() keeps the order of ``known``: words of a question and
    # the most common go first.
    first = 0 if len(known) < len(query.clauses) else 1
    for size in range(first, len(known)):
        if tries >= RELAX_TRIES or clock.monotonic() > deadline:
            return None
        ways = []
        for dropped in combinations(known, size):
            kept = [n for n in known if n not in dropped]
            if len(ways) < RELAX_TRIES - tries and not all(filler[n] for n in kept):
                ways.append(kept)
        tries += len(ways)
        if not ways:
            continue
        counts = backend.count_matches([asking(kept) for kept in ways], 1)
        if counts is None:
            return None
        kept = next(
            (kept for kept, count in zip(ways, counts, strict=True) if count), None
        )
        if kept is None:
            continue
        relaxed = asking(kept)
        result = backend.search(relaxed)
        if not result.total:  # changed in between, or took too long
            return None
        left_out = [
            term.shown
            for n, clause in enumerate(query.clauses)
            if n not in kept
            for term in clause
        ]
        return relaxed, result, left_out
    return None


def suggest(user, text: str, limit: int = 6):
    return get_backend().suggest(text[:100], access_for(user), limit)


def community_titles(user, ids) -> dict[int, str]:
    """The titles of the communities ``ids`` that ``user`` may see, in the
    order of ``ids``."""
    titles = dict(
        perms.filter_visible_communities(
            user, CommunityPage.objects.filter(pk__in=ids)
        ).values_list("pk", "title")
    )
    return {pk: titles[pk] for pk in dict.fromkeys(ids) if pk in titles}


def cut_note(params: SearchParams) -> str:
    """What of a very long query was left out, else ''."""
    if parse_query(params.q).cut:
        return _(
            "Gesucht wurde nach den ersten %(n)s Suchbegriffen, die weiteren "
            "wurden weggelassen."
        ) % {"n": MAX_TERMS}
    if params.cut:
        return _(
            "Gesucht wurde nach den ersten %(n)s Zeichen Ihrer Eingabe, der "
            "Rest wurde weggelassen."
        ) % {"n": MAX_QUERY_CHARS}
    return ""


def check_query(params: SearchParams) -> str:
    """A hint when there is nothing to search for (empty, only operators,
    only exclusions or only very common words), else ''."""
    query = parse_query(params.q)
    if query:
        return ""
    if query.common and not query.excluded:
        return ngettext(
            "%(words)s ist ein sehr häufiges Wort, nach dem nicht gesucht "
            "wird. Bitte geben Sie ein bestimmteres Wort ein.",
            "%(words)s sind sehr häufige Wörter, nach denen nicht gesucht "
            "wird. Bitte geben Sie ein bestimmteres Wort ein.",
            sum(len(words(common)) for common in query.common),
        ) % {"words": quoted_list(query.common)}
    if params.q.strip():
        return _(
            "Ihre Eingabe enthält keinen Suchbegriff. Geben Sie mindestens ein "
            "Wort ein, das gefunden werden soll."
        )
    return ""
