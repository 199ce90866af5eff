"""The search-engine backend: Elasticsearch 8 or OpenSearch 2.

``SEARCH_URL`` is ``elasticsearch://host:9200/<index>`` (the ``elasticsearch``
client) or ``opensearch://host:9200/<index>`` (``opensearch-py``); a trailing
``s`` on the scheme means TLS, ``user:password@`` basic authentication. The
index mapping, the analysers and every query are built with the DSL
(``elasticsearch.dsl``) and sent as plain JSON through ``Transport``, so both
engines get the same bodies.

Same documents, same queries, same results as the database backend: the text
fields are analysed like PostgreSQL's ``german`` configuration (Snowball
German; ``german_normalization`` folds ä/ae, ö/oe, ü/ue and ß/ss), and each
query term is expanded in Python (``search.analysis.expand``: umlaut
spellings, synonyms, compound parts) exactly as the database backend expands
it; documents carry the same ``index_extras``. The engine's own
``dictionary_decompounder`` and synonym filter, built from the same data
files, are defined as the analysers ``german_compounds`` and
``german_synonyms`` (for ``_analyze`` and for operators) but stay out of the
query path: Lucene's decompounder splits greedily at every position
("Beratung" would yield "rat"), which would find documents the database does
not.

One shard: grouping (``collapse``) and the counts need no cross-shard
estimates. The number of groups and the facets (groups per community, type,
tag, organisation and time range) are counted exactly (a ``cardinality``
aggregation only estimates): the matching documents of each value, less the
documents beyond the first of each group with several matches (a thread and
its replies), which the same request lists and a second one counts as
distinct (value, group) buckets of composite aggregations. Most groups have
one match, so most searches need one request and none pages through every
group. A search that finds more groups of several than one list holds, or
more values of a facet than are counted, has every group counted in one
pass by a Painless script (``scripted_metric``) in a second request; where
the engine refuses scripts, or the search finds more documents than the
script may keep, the groups are listed in parts and their pairs counted.
The permission filter is part of every query, so nothing a reader may not
see is found or counted.
"""

from __future__ import annotations

import html
import logging
import re
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.utils import timezone
from elasticsearch import dsl

from .. import analysis
from ..marks import completed, query_stems
from .base import (
    AUDIENCE_DIRECT,
    AUDIENCE_PARTICIPANTS,
    AUDIENCE_READERS,
    AUDIENCE_SIGNED_IN,
    KIND_WEIGHTS,
    TIME_RANGES,
    Access,
    FacetValue,
    SearchBackend,
    SearchDocument,
    SearchHit,
    SearchRequest,
    SearchResult,
)

logger = logging.getLogger(__name__)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

TIMEOUT = 5  # seconds; a dead engine fails fast and the database answers
WRITE_TIMEOUT = 30
MAX_TITLE = 300
MAX_BODY = 100_000  # as the database backend
SNIPPET_CHARS = 200
MAX_RESULT_WINDOW = 10_000  # the engines' default index.max_result_window
# Buckets per page of each counting aggregation; nine of them stay below the
# engines' search.max_buckets (65,535).
COUNT_PAGE = 5000
# The documents of each facet value are counted for up to this many values
# per facet, and groups with several matching documents listed up to this
# many in one list: four facets' values and the groups stay below
# search.max_buckets. More groups are listed in parts; a facet with more
# values has every group counted by its pairs (slower, as exact).
FACET_VALUES = 5000
SEVERAL_GROUPS = 20_000
PAIRS_PATH = ",".join(
    f"aggregations.*.pairs.{part}"
    for part in ("after_key", "buckets.key.value", "buckets.doc_count")
)
FACET_SIZES = {"community": 50, "type": 50, "organisation": 50, "tag": 30}
# The facets counted by a field's values: (name, field).
COUNTED_FIELDS = (
    ("type", "kind"),
    ("community", "community_id"),
    ("organisation", "organisation_id"),
    ("tag", "tags"),
)
LONG_FIELDS = ("community_id", "room_id", "author_id", "organisation_id")
# Every group's values counted in one pass over the matching documents
# (Painless, in the engine): for the searches that find so many groups of
# several matches (a thread and its replies) or so many values of a facet
# that counting their pairs would take many requests. A group keeps what its
# first document has (lists) and, from its second on, the distinct values
# (sets); a value is counted when a group first has it. The counting happens
# document by document: Painless stops a script whose loops run a million
# times, as a loop over all groups would. One shard: one state, counted
# whole (``reduce`` gives up on more).
COUNT_GROUPS_INIT = """
state.groups = new HashMap();
state.counts = new ArrayList();
for (int i = 0; i < params.fields.size(); i++) { state.counts.add(new HashMap()); }
state.times = new long[params.ranges.size()];
state.total = 0L;
"""
COUNT_GROUPS_MAP = """
String g = doc['group'].value;
def fields = params.fields;
int n = fields.size();
long t = doc['date'].value.toInstant().toEpochMilli();
int bits = 0;
def ranges = params.ranges;
for (int r = 0; r < ranges.size(); r++) {
  def range = ranges.get(r);
  if (t >= range.get(0) && t < range.get(1)) { bits |= 1 << r; }
}
def found = state.groups.get(g);
if (found == null) {
  def[] record = new def[n + 2];
  for (int i = 0; i < n; i++) {
    List values = new ArrayList(doc[fields.get(i)]);
    record[i] = values;
    Map counted = state.counts.get(i);
    for (def value : values) { counted.put(value, counted.getOrDefault(value, 0) + 1); }
  }
  record[n] = bits;
  record[n + 1] = 1;
  state.groups.put(g, record);
  state.total += 1;
} else {
  for (int i = 0; i < n; i++) {
    if (!(found[i] instanceof Set)) { found[i] = new HashSet(found[i]); }
    Map counted = state.counts.get(i);
    for (def value : doc[fields.get(i)]) {
      if (found[i].add(value)) { counted.put(value, counted.getOrDefault(value, 0) + 1); }
    }
  }
  bits = bits & ~found[n];
  found[n] = found[n] | bits;
  found[n + 1] = found[n + 1] + 1;
}
for (int r = 0; r < ranges.size(); r++) {
  if ((bits & (1 << r)) != 0) { state.times[r] += 1; }
}
"""
COUNT_GROUPS_COMBINE = """
List values = new ArrayList();
for (def counted : state.counts) {
  Map named = new HashMap();
  for (def entry : counted.entrySet()) {
    named.put(String.valueOf(entry.getKey()), entry.getValue());
  }
  values.add(named);
}
Map page = new HashMap();
for (def g : params.page) {
  def found = state.groups.get(g);
  if (found != null) { page.put(g, found[found.length - 1]); }
}
List times = new ArrayList();
for (def number : state.times) { times.add(number); }
return ['total': state.total, 'values': values, 'times': times, 'page': page];
"""
COUNT_GROUPS_REDUCE = "return states.size() == 1 ? states.get(0) : null;"
# The script keeps each group in the engine's memory, about 0.4 KB (a group
# of several more: sets), where the engine's circuit breakers do not see it:
# beyond this many matching documents (some 150 MB, an estimate) the groups
# are counted in parts instead.
SCRIPT_DOCUMENTS = 300_000
SUGGEST_KINDS = ("community", "wiki", "member")
# Field boosts after PostgreSQL's default ts_rank weights (A 1.0, B 0.4,
# C 0.2, D 0.1): title, tags, body, extras.
TEXT_FIELDS = ["title^5", "tag_words^2", "body", "extras^0.5"]


# --- analysis --------------------------------------------------------------------


FOLD_SHARP_S = dsl.char_filter("fold_sharp_s", "mapping", mappings=["ß => ss"])
GERMAN_STEMMER = dsl.token_filter("german_snowball", "snowball", language="German")
GERMAN = dsl.analyzer(
    "german_text",
    tokenizer="standard",
    filter=["lowercase", "german_normalization", GERMAN_STEMMER],
)
# Words as typed (lower case, ß as ss): prefixes and spelling suggestions.
WORDS = dsl.analyzer(
    "plain_words",
    tokenizer="standard",
    char_filter=[FOLD_SHARP_S],
    filter=["lowercase"],
)
TITLE_SORT = dsl.normalizer(
    "title_sort", char_filter=[FOLD_SHARP_S], filter=["lowercase"]
)


def _german_compounds():
    decompounder = dsl.token_filter(
        "german_decompounder",
        "dictionary_decompounder",
        word_list=sorted(analysis.compound_parts()),
        min_subword_size=analysis.MIN_PART,
        min_word_size=analysis.MIN_COMPOUND,
        only_longest_match=True,
    )
    return dsl.analyzer(
        "german_compounds",
        tokenizer="standard",
        char_filter=[FOLD_SHARP_S],
        filter=["lowercase", decompounder, "german_normalization", GERMAN_STEMMER],
    )


def _german_synonyms():
    synonyms = dsl.token_filter(
        "german_synonym_graph",
        "synonym_graph",
        synonyms=analysis._read_lines("synonyms.txt"),
        lenient=True,
    )
    return dsl.analyzer(
        "german_synonyms",
        tokenizer="standard",
        filter=["lowercase", synonyms, "german_normalization", GERMAN_STEMMER],
    )


def index_body() -> dict:
    """Settings and mapping of the index."""
    text = {"analyzer": GERMAN}
    mapping = dsl.Mapping()
    for name in ("key", "kind", "audience", "group"):
        mapping.field(name, dsl.Keyword())
    for name in LONG_FIELDS:
        mapping.field(name, dsl.Long())
    # Tags to filter and count by; their words only where the title is searchable.
    mapping.field("tags", dsl.Keyword())
    mapping.field("tag_words", dsl.Text(**text))
    mapping.field(
        "title",
        dsl.Text(
            **text,
            copy_to="spelling",
            fields={
                "sort": dsl.Keyword(normalizer=TITLE_SORT, ignore_above=MAX_TITLE),
                "suggest": dsl.SearchAsYouType(analyzer=WORDS),
            },
        ),
    )
    mapping.field("body", dsl.Text(**text, copy_to="spelling"))
    mapping.field("extras", dsl.Text(**text))
    mapping.field("spelling", dsl.Text(analyzer=WORDS))
    # The title as shown; ``title`` is empty where it is not searchable.
    for name in ("shown_title", "url", "author_name", "organisation_name"):
        mapping.field(name, dsl.Keyword(index=False))
    mapping.field("date", dsl.Date())
    index = dsl.Index("kommunect")
    index.settings(number_of_shards=1, auto_expand_replicas="0-1")
    index.analyzer(_german_compounds())
    index.analyzer(_german_synonyms())
    index.mapping(mapping)
    return index.to_dict()


def _source(document: SearchDocument) -> dict:
    # A reply shows its thread's title but is found by its own text only.
    searchable = document.title_searchable
    title = document.title[:MAX_TITLE] if searchable else ""
    tags = " ".join(document.tags) if searchable else ""
    body = document.body[:MAX_BODY]
    return {
        "key": document.key,
        "kind": document.kind,
        "audience": document.audience,
        "group": document.group,
        "community_id": document.community_id,
        "room_id": document.room_id,
        "author_id": document.author_id,
        "organisation_id": document.organisation_id,
        "tags": document.tags,
        "tag_words": tags,
        "title": title,
        "shown_title": document.title[:MAX_TITLE],
        "body": body,
        # Title and tags too, as the database backend indexes them.
        "extras": analysis.index_extras(f"{title} {tags} {body}"),
        "url": document.url,
        "author_name": document.author_name,
        "organisation_name": document.organisation_name,
        "date": document.date.isoformat(),
    }


# --- queries -----------------------------------------------------------------------


def _leaf(leaf: str) -> dsl.Query:
    # A phrase even for one word: a hyphenated word ("e-akte") is several
    # tokens that must stand together, as PostgreSQL and FTS5 match it.
    return dsl.Q("multi_match", query=leaf, type="phrase", fields=TEXT_FIELDS)


def _term(term: analysis.Term, parts: bool = True) -> dsl.Query:
    alternatives = [
        dsl.Q("bool", must=[_leaf(leaf) for leaf in alternative])
        if len(alternative) > 1
        else _leaf(alternative[0])
        for alternative in analysis.expand(term, parts=parts)
    ]
    return dsl.Q("bool", should=alternatives, minimum_should_match=1)


def text_query(query: analysis.Query) -> dsl.Query:
    """Every clause matches (one of its terms), no excluded term does."""
    clauses = [
        dsl.Q("bool", should=[_term(term) for term in clause], minimum_should_match=1)
        for clause in query.clauses
    ]
    excluded = [_term(term, parts=False) for term in query.excluded]
    return dsl.Q("bool", must=clauses, must_not=excluded)


def access_query(access: Access) -> dsl.Query:
    """What the reader may find; nothing when the reader may read nothing."""
    allowed = []
    for audience, field, values in (
        (AUDIENCE_READERS, "community_id", access.reader_communities),
        (AUDIENCE_PARTICIPANTS, "community_id", access.participant_communities),
        (AUDIENCE_DIRECT, "room_id", access.direct_rooms),
    ):
        if values:
            allowed.append(
                dsl.Q("term", audience=audience)
                & dsl.Q("terms", **{field: sorted(values)})
            )
    if access.signed_in:
        allowed.append(dsl.Q("term", audience=AUDIENCE_SIGNED_IN))
    if not allowed:
        return dsl.Q("match_none")
    return dsl.Q("bool", should=allowed, minimum_should_match=1)


def _filters(request: SearchRequest) -> list[dsl.Query]:
    filters = request.filters
    found = [access_query(request.access)]
    for field, values in (
        ("community_id", filters.communities),
        ("kind", filters.kinds),
        ("organisation_id", filters.organisations),
        ("author_id", filters.authors),
    ):
        if values:
            found.append(dsl.Q("terms", **{field: list(values)}))
    found += [dsl.Q("term", tags=tag) for tag in filters.tags]
    dates = {}
    if filters.date_from:
        dates["gte"] = filters.date_from.isoformat()
    if filters.date_to:
        dates["lt"] = filters.date_to.isoformat()
    if dates:
        found.append(dsl.Q("range", date=dates))
    return found


def _matched(request: SearchRequest, query: analysis.Query | None = None) -> dsl.Query:
    """The documents that match the query, the reader's access and the
    filters (``_filters``), unscored."""
    return dsl.Q(
        "bool", must=[text_query(query or request.query)], filter=_filters(request)
    )


def _matching(
    request: SearchRequest, query: analysis.Query | None = None
) -> dsl.Search:
    return dsl.Search().query(
        dsl.Q(
            "function_score",
            query=_matched(request, query),
            functions=[
                {"filter": {"term": {"kind": kind}}, "weight": weight}
                for kind, weight in KIND_WEIGHTS.items()
            ],
            score_mode="multiply",
            boost_mode="multiply",
        )
    )


def _time_ranges(
    request: SearchRequest,
) -> list[tuple[str, datetime | None, datetime | None]]:
    """(key, from, before) of each time range: a group is in a range if one
    of its matching documents is."""
    now = request.now or timezone.now()
    year = TIME_RANGES[-2][1]
    return [
        (key, now - timedelta(days=days), None)
        if days is not None
        else (key, None, now - timedelta(days=year))
        for key, days in TIME_RANGES
    ]


def _counters(request: SearchRequest) -> dict[str, tuple[dsl.Query, str | None]]:
    """What is counted in distinct groups: name → (which of the matching
    documents, the field whose values are counted or None for one count)."""
    counters = {"total": (dsl.Q("match_all"), None)}
    for name, field in COUNTED_FIELDS:
        counters[name] = (dsl.Q("match_all"), field)
    for key, start, before in _time_ranges(request):
        dates = {"gte": start.isoformat()} if start else {"lt": before.isoformat()}
        counters[f"time_{key}"] = (dsl.Q("range", date=dates), None)
    return counters


def _documents_counted(search: dsl.Search, counters: dict) -> dsl.Search:
    """``search`` with the matching documents counted for each counter (per
    value of its field) and the groups of several matching documents
    (a thread and its replies) listed: where a group has one matching
    document, as most have, documents and groups are the same count."""
    for name, (subset, field) in counters.items():
        counted = search.aggs.bucket(name, "filter", filter=subset)
        if field:
            counted.bucket("values", "terms", field=field, size=FACET_VALUES)
    return _several_listed(search)


def _several_listed(search: dsl.Search, part: int = 0, parts: int = 1) -> dsl.Search:
    """``search`` with the groups of several matching documents listed, with
    their number; of ``parts`` > 1, those whose key hashes to ``part``. One
    more than ``SEVERAL_GROUPS`` says that the list could not hold them."""
    # "map": the groups of the matching documents only, without building the
    # ordinals of every group in the index after each refresh; groups of one
    # are dropped before they are ranked (one shard: exact).
    options = {"include": {"partition": part, "num_partitions": parts}}
    search.aggs.bucket(
        "several",
        "terms",
        field="group",
        min_doc_count=2,
        shard_min_doc_count=2,
        size=SEVERAL_GROUPS + 1,
        execution_hint="map",
        **(options if parts > 1 else {}),
    )
    return search


def _several(aggregations: dict) -> dict[str, int]:
    return {
        bucket["key"]: bucket["doc_count"]
        for bucket in aggregations["several"]["buckets"]
    }


def _counting(search: dsl.Search, counters: dict, after: dict) -> dsl.Search:
    """``search`` with a page of a composite aggregation per counter: its
    buckets are the distinct (value,) group pairs, counted exactly (a
    ``cardinality`` aggregation only estimates), with the number of
    matching documents in each."""
    for name, after_key in after.items():
        subset, field = counters[name]
        sources = [{"value": {"terms": {"field": field}}}] if field else []
        sources.append({"group": {"terms": {"field": "group"}}})
        options = {"after": after_key} if after_key else {}
        search.aggs.bucket(name, "filter", filter=subset).bucket(
            "pairs", "composite", size=COUNT_PAGE, sources=sources, **options
        )
    return search


# --- highlights ------------------------------------------------------------------------


def _unmarked(fragment: str) -> str:
    return html.unescape(fragment.replace("<mark>", "").replace("</mark>", ""))


def _escaped_alike(fragment: str) -> str:
    """The engine's HTML encoder escapes more than ``html.escape`` (``/`` as
    ``&#x2F;``): escape the text between the marks as the database does."""
    pieces = re.split(r"(</?mark>)", fragment)
    return "".join(
        piece if piece in ("<mark>", "</mark>") else html.escape(html.unescape(piece))
        for piece in pieces
    )


def _snippet(body: str, fragments: list[str] | None) -> str:
    """The engine's marked fragment with "…" where the body goes on, or the
    start of the body, escaped."""
    if fragments:
        snippet, plain = _escaped_alike(fragments[0]), _unmarked(fragments[0])
    else:
        plain = body[:SNIPPET_CHARS]
        if len(body) > SNIPPET_CHARS and " " in plain:
            plain = plain.rsplit(" ", 1)[0]
        snippet = html.escape(plain)
    if plain and not body.startswith(plain):
        snippet = "… " + snippet
    if plain and not body.endswith(plain):
        snippet += " …"
    return snippet


def _hit(
    source: dict, highlight: dict, score, matches: int = 1, stems=frozenset()
) -> SearchHit:
    """A hit from the engine's ``source`` and ``highlight``; with ``stems``
    (``marks.query_stems``), what the engine left unmarked is marked as the
    database backend marks it (``marks.completed``)."""
    title = source["shown_title"]
    title_marks = highlight.get("title") or highlight.get("title.suggest")
    body = source["body"]
    title_mark = _escaped_alike(title_marks[0]) if title_marks else html.escape(title)
    return SearchHit(
        key=source["key"],
        kind=source["kind"],
        title=title,
        url=source["url"],
        date=datetime.fromisoformat(source["date"]),
        community_id=source.get("community_id"),
        room_id=source.get("room_id"),
        author_name=source.get("author_name") or "",
        organisation_name=source.get("organisation_name") or "",
        tags=source.get("tags") or [],
        highlight=completed(_snippet(body, highlight.get("body")), body, stems),
        title_highlight=completed(title_mark, title, stems, whole=True),
        score=float(score or 0),
        matches=matches,
    )


def _highlighted(search: dsl.Search, *fields: str) -> dsl.Search:
    search = search.highlight_options(
        pre_tags=["<mark>"], post_tags=["</mark>"], encoder="html"
    )
    for field in fields:
        if field == "body":
            search = search.highlight(
                field, fragment_size=SNIPPET_CHARS, number_of_fragments=1
            )
        else:
            search = search.highlight(field, number_of_fragments=0)
    return search


# --- the transport ----------------------------------------------------------------------


class Transport:
    """JSON to and from one engine through its own client: ``elasticsearch``
    for Elasticsearch 8, ``opensearch-py`` for OpenSearch 2."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        if parts.scheme not in (
            "elasticsearch",
            "elasticsearchs",
            "opensearch",
            "opensearchs",
            "http",  # http(s)://host:9200: Elasticsearch
            "https",
        ):
            raise ValueError(f"SEARCH_URL: not a search engine URL: {url!r}")
        self.index = parts.path.strip("/") or "kommunect"
        if "/" in self.index:
            raise ValueError(f"SEARCH_URL: the path must be the index name: {url!r}")
        self.opensearch = parts.scheme.startswith("opensearch")
        tls = parts.scheme.endswith("s")  # elasticsearchs, opensearchs, https
        host, port = parts.hostname or "127.0.0.1", parts.port or 9200
        auth = (
            (unquote(parts.username), unquote(parts.password or ""))
            if parts.username
            else None
        )
        if self.opensearch:
            import opensearchpy

            self.errors = opensearchpy.exceptions
            self.client = opensearchpy.OpenSearch(
                hosts=[{"host": host, "port": port}],
                use_ssl=tls,
                verify_certs=tls,
                http_auth=auth,
                timeout=TIMEOUT,
                max_retries=1,
                retry_on_timeout=False,
            )
        else:
            import elasticsearch

            self.errors = elasticsearch
            self.client = elasticsearch.Elasticsearch(
                f"{'https' if tls else 'http'}://{host}:{port}",
                basic_auth=auth,
                request_timeout=TIMEOUT,
                max_retries=1,
                retry_on_timeout=False,
            )

    def request(
        self, method, path, body=None, *, params=None, timeout=TIMEOUT, missing_ok=False
    ):
        """The engine's answer (a dict); ``None`` for a 404 if ``missing_ok``."""
        try:
            if self.opensearch:
                return self.client.transport.perform_request(
                    method, path, params=params, body=body, timeout=timeout
                )
            headers = {"accept": "application/json"}
            if body is not None:
                headers["content-type"] = "application/json"
            return (
                self.client.options(request_timeout=timeout)
                .perform_request(
                    method, path, params=params, headers=headers, body=body
                )
                .body
            )
        except self.errors.NotFoundError:
            if missing_ok:
                return None
            raise

    def bulk(
        self, actions: Iterable[dict], *, refresh: bool, missing_ok: bool = False
    ) -> int:
        options = {"refresh": "true"} if refresh else {}
        if missing_ok:
            options["ignore_status"] = (404,)
        if self.opensearch:
            from opensearchpy.helpers import bulk

            done, _errors = bulk(
                self.client, actions, request_timeout=WRITE_TIMEOUT, **options
            )
        else:
            from elasticsearch.helpers import bulk

            client = self.client.options(request_timeout=WRITE_TIMEOUT)
            done, _errors = bulk(client, actions, **options)
        return done

    def error_type(self, error: Exception) -> str:
        body = getattr(error, "body", None) or getattr(error, "info", None)
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            return body["error"].get("type", "")
        return ""


# --- the backend ------------------------------------------------------------------------


class EngineBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, url: str, *, refresh: bool | None = None):
        self.transport = Transport(url)
        self.index_name = self.transport.index
        self.name = "opensearch" if self.transport.opensearch else "elasticsearch"
        # None: settings.SEARCH_ENGINE_REFRESH decides at each write.
        self.refresh = refresh
        self._index_ready = False

    def _refresh(self) -> bool:
        if self.refresh is not None:
            return self.refresh
        return bool(getattr(settings, "SEARCH_ENGINE_REFRESH", False))

    def _path(self, endpoint: str = "") -> str:
        return f"/{self.index_name}/{endpoint}".rstrip("/")

    def _ensure_index(self) -> None:
        """Create the index unless it is there (writing to a missing index
        would create one with a guessed mapping)."""
        if self._index_ready:
            return
        try:
            self.transport.request(
                "PUT", self._path(), index_body(), timeout=WRITE_TIMEOUT
            )
        except Exception as error:
            if self.transport.error_type(error) != "resource_already_exists_exception":
                raise
        self._index_ready = True

    def delete_index(self) -> None:
        self.transport.request(
            "DELETE", self._path(), missing_ok=True, timeout=WRITE_TIMEOUT
        )
        self._index_ready = False

    # --- writing -----------------------------------------------------------------------

    def index(self, documents: Iterable[SearchDocument]) -> int:
        self._ensure_index()
        actions = (
            {
                "_op_type": "index",
                "_index": self.index_name,
                "_id": document.key,
                "_source": _source(document),
            }
            for document in documents
        )
        return self.transport.bulk(actions, refresh=self._refresh())

    def remove(self, keys: Iterable[str]) -> None:
        self._ensure_index()
        actions = (
            {"_op_type": "delete", "_index": self.index_name, "_id": key}
            for key in keys
        )
        self.transport.bulk(actions, refresh=self._refresh(), missing_ok=True)

    def clear(self) -> None:
        self.delete_index()
        self._ensure_index()

    def count(self) -> int:
        answer = self.transport.request("GET", self._path("_count"), missing_ok=True)
        return answer["count"] if answer else 0

    def check(self) -> None:
        # The index, not the cluster: needs no more than the index's
        # privileges; a missing index is created on the first write.
        self.transport.request("GET", self._path("_count"), missing_ok=True)

    def analyze(self, text: str, analyzer: str = "german_text") -> list[str]:
        """The tokens the index's ``analyzer`` makes of ``text``."""
        self._ensure_index()
        answer = self.transport.request(
            "POST", self._path("_analyze"), {"analyzer": analyzer, "text": text}
        )
        return [token["token"] for token in answer["tokens"]]

    # --- reading -----------------------------------------------------------------------

    def _search(self, search: dsl.Search | dict, **params) -> dict:
        body = search if isinstance(search, dict) else search.to_dict()
        return self.transport.request(
            "POST", self._path("_search"), body, params=params or None
        )

    def count_matches(
        self, requests: list[SearchRequest], limit: int
    ) -> list[int] | None:
        self._ensure_index()
        counts = []
        for request in requests:
            if not request.query:
                counts.append(0)
                continue
            # Filtered, not scored: only the number counts.
            search = (
                dsl.Search()
                .query(dsl.Q("bool", filter=[_matched(request)]))
                .extra(size=0, track_total_hits=limit)
            )
            total = self._search(search)["hits"]["total"]["value"]
            counts.append(min(total, limit))
        return counts

    def search(self, request: SearchRequest) -> SearchResult:
        if not request.query:
            return SearchResult(hits=[], total=0, facets={})
        self._ensure_index()
        # Each hit is the best document of its group. How many documents of
        # its group match comes from the groups of several that the counts
        # list (inner hits would search again for each hit).
        page = _matching(request).extra(collapse={"field": "group"}, track_scores=True)
        if request.sort == "date":
            page = page.sort({"date": "desc"}, {"_score": "desc"}, {"group": "asc"})
        else:
            page = page.sort({"_score": "desc"}, {"date": "desc"}, {"group": "asc"})
        # Pages beyond the engine's result window are empty (the counts stay).
        start = min(request.offset, MAX_RESULT_WINDOW)
        end = min(request.offset + request.page_size, MAX_RESULT_WINDOW)
        counters = _counters(request)
        answer = self._search(
            _documents_counted(_highlighted(page[start:end], "title", "body"), counters)
        )
        hits = answer["hits"]["hits"]
        counts, several = self._counts(
            request,
            counters,
            answer["aggregations"],
            [hit["_source"]["group"] for hit in hits],
        )
        total = counts["total"][None]
        stems = query_stems(request.query)
        result = SearchResult(
            hits=[
                _hit(
                    hit["_source"],
                    hit.get("highlight", {}),
                    hit.get("_score"),
                    several.get(hit["_source"]["group"], 1),
                    stems,
                )
                for hit in hits
            ],
            total=total,
            facets=_facets(counts) if total else {},
        )
        if not total:
            result.suggestion = self._did_you_mean(request)
        return result

    def _counts(
        self,
        request: SearchRequest,
        counters: dict,
        aggregations: dict,
        page: list[str],
    ) -> tuple[dict[str, Counter], dict[str, int]]:
        """Groups per counter and value, exactly, and groups of several
        matching documents with their number (at least those of the
        ``page``): the matching documents of each value, less the documents
        beyond the first of each group of several (their pairs counted).
        Where a facet has more values than were counted, or one list cannot
        hold the groups of several, the engine counts every group in one
        pass; if it cannot, every group's pairs (or the groups in parts)
        are counted instead."""
        counts = {name: Counter() for name in counters}
        complete = True
        for name, (_subset, field) in counters.items():
            counted = aggregations[name]
            if field is None:
                counts[name][None] = counted["doc_count"]
                continue
            values = counted["values"]
            complete = complete and not values["sum_other_doc_count"]
            for bucket in values["buckets"]:
                counts[name][bucket["key"]] = bucket["doc_count"]
        listed = _several(aggregations)
        matching = counts["total"][None]  # documents, not yet groups
        if (not complete or len(listed) > SEVERAL_GROUPS) and (
            matching <= SCRIPT_DOCUMENTS
        ):
            counted = self._groups_counted(request, counters, page)
            if counted is not None:
                return counted
        lists = (
            [listed]
            if len(listed) <= SEVERAL_GROUPS
            else self._several_in_parts(request, matching)
        )
        several = {group: number for part in lists for group, number in part.items()}
        if not complete:
            counts = {name: Counter() for name in counters}
            for name, value, _documents in self._pairs(request, counters):
                counts[name][value] += 1
            return counts, several
        # The groups are listed: the total needs none of their pairs.
        rest = {name: counter for name, counter in counters.items() if name != "total"}
        for part in lists:
            counts["total"][None] -= sum(part.values()) - len(part)
            if part:
                for name, value, documents in self._pairs(request, rest, part):
                    counts[name][value] -= documents - 1
        return counts, several

    def _groups_counted(
        self, request: SearchRequest, counters: dict, page: list[str]
    ) -> tuple[dict[str, Counter], dict[str, int]] | None:
        """As ``_counts``, from one pass of the engine over the matching
        documents (``COUNT_GROUPS_MAP``); ``None`` where the engine answers
        with an error (scripts turned off, too little memory) or not from
        exactly one shard."""

        def millis(moment, otherwise):
            # Cut to the millisecond, as the engine stores dates and reads
            # the bounds of a range. No nulls: the engine copies the
            # parameters and cannot copy one.
            if moment is None:
                return otherwise
            return (moment - EPOCH) // timedelta(milliseconds=1)

        ranges = _time_ranges(request)
        # The same documents as the page, without scoring them (a script
        # might ask for the score, so the engine would compute it).
        matched = dsl.Q("bool", filter=[_matched(request)])
        search = dsl.Search().query(matched).extra(size=0)
        search.aggs.metric(
            "groups",
            "scripted_metric",
            params={
                "fields": [field for _name, field in COUNTED_FIELDS],
                "ranges": [
                    [millis(start, -(2**63)), millis(before, 2**63 - 1)]
                    for _key, start, before in ranges
                ],
                "page": page,
            },
            init_script=COUNT_GROUPS_INIT,
            map_script=COUNT_GROUPS_MAP,
            combine_script=COUNT_GROUPS_COMBINE,
            reduce_script=COUNT_GROUPS_REDUCE,
        )
        try:
            answer = self._search(search)
        except Exception as error:
            status = getattr(error, "status_code", None)
            if not isinstance(status, int):
                raise  # no answer: the engine is down, the database answers
            # The status and the type only: a reason may quote the words.
            logger.warning(
                "the engine did not count groups with a script: %s %s",
                status,
                self.transport.error_type(error),
            )
            return None
        shards = answer.get("_shards", {})
        counted = answer["aggregations"]["groups"]["value"]
        if counted is None or (shards.get("total"), shards.get("failed")) != (1, 0):
            return None
        counts = {name: Counter() for name in counters}
        counts["total"][None] = counted["total"]
        for (name, field), values in zip(
            COUNTED_FIELDS, counted["values"], strict=True
        ):
            for value, number in values.items():
                counts[name][int(value) if field in LONG_FIELDS else value] = number
        for (key, _start, _before), number in zip(
            ranges, counted["times"], strict=True
        ):
            counts[f"time_{key}"][None] = number
        return counts, counted["page"]

    def _several_in_parts(self, request: SearchRequest, documents: int) -> list[dict]:
        """The groups of several matching documents where one list cannot
        hold them: in parts (by the hash of their key), each listed whole.
        There are at most as many as ``documents`` less the groups (which
        ``cardinality`` estimates); a part that fills its list is split."""
        search = _matching(request).extra(size=0)
        search.aggs.metric("groups", "cardinality", field="group")
        groups = self._search(search)["aggregations"]["groups"]["value"]
        estimate = max(documents - groups, SEVERAL_GROUPS)
        parts = max(2, -(-estimate * 5 // (4 * SEVERAL_GROUPS)))
        while True:
            lists = []
            for part in range(parts):
                search = _several_listed(_matching(request).extra(size=0), part, parts)
                listed = _several(self._search(search)["aggregations"])
                if len(listed) > SEVERAL_GROUPS:
                    break
                lists.append(listed)
            else:
                return lists
            parts *= 2

    def _pairs(self, request: SearchRequest, counters: dict, groups=None):
        """(counter, value, matching documents) for each distinct (value,
        group) pair of the matching documents, of the ``groups`` given or
        all; the composite aggregations paged through in as few requests
        as fit."""
        matching = _matching(request).extra(size=0)
        if groups is not None:
            matching = matching.filter("terms", group=list(groups))
        body = matching.to_dict()  # once: the groups may be thousands
        after = dict.fromkeys(counters)
        while after:
            aggs = _counting(dsl.Search(), counters, after).to_dict()["aggs"]
            # Without the groups' keys, which are most of the answer and of
            # no use here (what is left of an empty answer may be nothing).
            answer = self._search({**body, "aggs": aggs}, filter_path=PAIRS_PATH)
            after = {}
            for name, aggregation in answer.get("aggregations", {}).items():
                pairs = aggregation.get("pairs", {})
                buckets = pairs.get("buckets", [])
                for bucket in buckets:
                    value = bucket.get("key", {}).get("value")
                    yield name, value, bucket["doc_count"]
                if len(buckets) == COUNT_PAGE and pairs.get("after_key"):
                    after[name] = pairs["after_key"]

    def _did_you_mean(self, request: SearchRequest) -> str:
        """The query with each unknown word replaced by the nearest indexed
        one, if the reader would find something with it."""
        words = {word for term in request.query.terms() for word in term.words}
        if not words:
            return ""
        search = dsl.Search().extra(size=0)
        for number, word in enumerate(sorted(words)):
            search = search.suggest(
                f"w{number}",
                word,
                term={
                    "field": "spelling",
                    "suggest_mode": "missing",
                    "min_word_length": 4,
                    "size": 1,
                },
            )
        answer = self._search(search).get("suggest", {})
        better = {}
        for number, word in enumerate(sorted(words)):
            for entry in answer.get(f"w{number}", []):
                if entry["options"]:
                    better[word] = entry["options"][0]["text"]
        if not better:
            return ""
        suggestion = analysis.respell(request.text, better)
        query = analysis.parse_query(suggestion)
        if not query:  # only common words, not searched for
            return ""
        retry = _matching(request, query).extra(
            size=0, terminate_after=1, track_total_hits=1
        )
        return suggestion if self._search(retry)["hits"]["total"]["value"] else ""

    def suggest(self, text: str, access: Access, limit: int = 5) -> list[SearchHit]:
        spellings = analysis.typed_spellings(text)
        if len(spellings[0]) < 2:
            return []
        self._ensure_index()
        kind_rank = " ".join(
            f"if (kind == '{kind}') return {rank};"
            for rank, kind in enumerate(SUGGEST_KINDS)
        )
        search = (
            dsl.Search()
            .query(
                dsl.Q(
                    "bool",
                    should=[
                        dsl.Q("match_phrase_prefix", **{"title.suggest": typed})
                        for typed in spellings
                    ],
                    minimum_should_match=1,
                    filter=[
                        access_query(access),
                        dsl.Q("terms", kind=list(SUGGEST_KINDS)),
                    ],
                )
            )
            .sort(
                {
                    "_script": {
                        "type": "number",
                        "order": "asc",
                        "script": {
                            "lang": "painless",
                            "source": f"String kind = doc['kind'].value; {kind_rank} return 9;",
                        },
                    }
                },
                {"title.sort": "asc"},
                {"key": "asc"},
            )
        )
        search = _highlighted(search[:limit], "title.suggest")
        answer = self._search(search)
        return [
            _hit(hit["_source"], hit.get("highlight", {}), hit.get("_score"))
            for hit in answer["hits"]["hits"]
        ]


def _facets(counts: dict[str, Counter]) -> dict[str, list[FacetValue]]:
    """The facets, most groups first, from the counted pairs."""
    facets = {
        name: [
            FacetValue(str(value), count)
            for value, count in sorted(
                counts[name].items(), key=lambda item: (-item[1], item[0])
            )[:size]
        ]
        for name, size in FACET_SIZES.items()
    }
    facets["time"] = [
        FacetValue(key, counts[f"time_{key}"][None])
        for key, _days in TIME_RANGES
        if counts[f"time_{key}"][None]
    ]
    return facets
