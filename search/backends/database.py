"""The database backend: PostgreSQL full-text search, SQLite FTS5.

PostgreSQL: the ``german`` text search configuration over four weighted
parts (title A, tags B, body C, the extras of ``search.analysis`` D) in a
GIN-indexed tsvector; each leaf of the expanded query goes through
``websearch_to_tsquery``, the leaves are joined with ``&&``, ``||`` and
``!!``; ``ts_rank`` orders, ``ts_headline`` marks; pg_trgm finds the word
meant in "Meinten Sie …?".

SQLite: an FTS5 table holds the Snowball stems of the same four parts
(``snowballstemmer``'s German, the algorithm of PostgreSQL's ``german``);
the query is translated into an FTS5 expression of stems, bm25 orders, and
the snippets are marked in Python.

Both filter by the reader's access in the same SQL statement that matches
(``_access_sql``), so counts, facets and pages are right.
"""

from __future__ import annotations

import difflib
import html
import json
import logging
import re
import time
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import analysis
from ..marks import completed, highlight, query_stems
from ..models import SearchEntry, SearchWord
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

BATCH = 500
MAX_BODY = 100_000
# Private-use characters mark matches in ts_headline's output until the
# text is escaped; they are taken out of every indexed text.
MARK_START, MARK_END = "\ue000", "\ue001"
_PRIVATE_MARKS = re.compile(f"[{MARK_START}{MARK_END}]")
_VOCABULARY_WORD = re.compile(r"^[^\W\d_]{4,40}$")
SUGGEST_KINDS = ("community", "wiki", "member")
# The facets, each counted in groups: (name, column of the entry).
GROUP_FACETS = (
    ("community", "community_id"),
    ("type", "kind"),
    ("organisation", "organisation_id"),
    ("tag", "tags"),
)


def _in_list(column: str, values: Iterable) -> tuple[str, list]:
    values = list(values)
    if not values:
        return "1 = 0", []
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values


def _tag_rows(source: str) -> str:
    """A FROM item: the tags of the JSON list ``source``, one row each, as
    ``tag.value``."""
    if connection.vendor == "postgresql":
        return f"jsonb_array_elements_text(CAST({source} AS jsonb)) AS tag(value)"
    return f"json_each({source}) AS tag"


def _access_sql(access: Access) -> tuple[str, list]:
    """The reader's access as SQL over ``e`` (the entry)."""
    parts, params = [], []
    for audience, column, values in (
        (AUDIENCE_READERS, "e.community_id", access.reader_communities),
        (AUDIENCE_PARTICIPANTS, "e.community_id", access.participant_communities),
        (AUDIENCE_DIRECT, "e.room_id", access.direct_rooms),
    ):
        if values:
            sql, values = _in_list(column, sorted(values))
            parts.append(f"(e.audience = %s AND {sql})")
            params += [audience, *values]
    if access.signed_in:
        parts.append("e.audience = %s")
        params.append(AUDIENCE_SIGNED_IN)
    if not parts:
        return "1 = 0", []
    return "(" + " OR ".join(parts) + ")", params


def _filters_sql(request: SearchRequest) -> tuple[str, list]:
    filters = request.filters
    parts, params = [], []
    for column, values in (
        ("e.community_id", filters.communities),
        ("e.kind", filters.kinds),
        ("e.organisation_id", filters.organisations),
        ("e.author_id", filters.authors),
    ):
        if values:
            sql, values = _in_list(column, values)
            parts.append(sql)
            params += values
    for tag in filters.tags:
        parts.append(
            f"EXISTS (SELECT 1 FROM {_tag_rows('e.tags')} WHERE tag.value = %s)"
        )
        params.append(tag)
    if filters.date_from:
        parts.append("e.date >= %s")
        params.append(filters.date_from)
    if filters.date_to:
        parts.append("e.date < %s")
        params.append(filters.date_to)
    return (" AND ".join(parts) or "1 = 1"), params


def _clean(text: str) -> str:
    return _PRIVATE_MARKS.sub("", text or "")


def mark(text: str) -> str:
    """Escape ``text`` and turn the private marks into ``<mark>``."""
    escaped = html.escape(text)
    return escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


class DatabaseBackend(SearchBackend):
    name = "database"

    @property
    def vendor(self) -> str:
        return connection.vendor

    # --- writing ---------------------------------------------------------------

    def index(self, documents: Iterable[SearchDocument]) -> int:
        count = 0
        batch: list[SearchDocument] = []
        for document in documents:
            batch.append(document)
            if len(batch) >= BATCH:
                count += self._index_batch(batch)
                batch = []
        if batch:
            count += self._index_batch(batch)
        return count

    def _index_batch(self, documents: list[SearchDocument]) -> int:
        # The last of several documents with one key wins.
        documents = list({document.key: document for document in documents}.values())
        with transaction.atomic():
            existing = dict(
                SearchEntry.objects.filter(
                    key__in=[document.key for document in documents]
                ).values_list("key", "pk")
            )
            entries = []
            for document in documents:
                entry = SearchEntry(
                    pk=existing.get(document.key),
                    key=document.key,
                    kind=document.kind,
                    audience=document.audience,
                    group_key=document.group,
                    community_id=document.community_id,
                    room_id=document.room_id,
                    title=_clean(document.title)[:300],
                    title_searchable=document.title_searchable,
                    body=_clean(document.body)[:MAX_BODY],
                    url=document.url[:500],
                    date=document.date,
                    author_id=document.author_id,
                    author_name=document.author_name[:200],
                    organisation_id=document.organisation_id,
                    organisation_name=document.organisation_name[:200],
                    tags=SearchEntry.joined_tags(document.tags),
                    title_prefix=" ".join(analysis.words(document.title))[:300],
                )
                entries.append(entry)
            new = [entry for entry in entries if entry.pk is None]
            old = [entry for entry in entries if entry.pk is not None]
            SearchEntry.objects.bulk_create(new)
            if new and new[0].pk is None:  # backends without RETURNING
                ids = dict(
                    SearchEntry.objects.filter(
                        key__in=[entry.key for entry in new]
                    ).values_list("key", "pk")
                )
                for entry in new:
                    entry.pk = ids[entry.key]
            fields = [
                field.name
                for field in SearchEntry._meta.concrete_fields
                if field.name not in ("id", "key")
            ]
            SearchEntry.objects.bulk_update(old, fields)
            self._write_text(entries)
            self._add_words(entries)
        return len(entries)

    def _texts(self, entry: SearchEntry) -> tuple[str, str, str, str]:
        title = entry.title if entry.title_searchable else ""
        tags = " ".join(entry.tag_list()) if entry.title_searchable else ""
        extras = analysis.index_extras(f"{title} {tags} {entry.body}")
        return title, tags, entry.body, extras

    def _write_text(self, entries: list[SearchEntry]) -> None:
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.executemany(
                    "UPDATE search_searchentry SET vector = "
                    "setweight(to_tsvector('german', %s), 'A') || "
                    "setweight(to_tsvector('german', %s), 'B') || "
                    "setweight(to_tsvector('german', %s), 'C') || "
                    "setweight(to_tsvector('german', %s), 'D') WHERE id = %s",
                    [(*self._texts(entry), entry.pk) for entry in entries],
                )
            else:
                ids = [entry.pk for entry in entries]
                sql, params = _in_list("rowid", ids)
                cursor.execute(f"DELETE FROM search_entry_fts WHERE {sql}", params)
                cursor.executemany(
                    "INSERT INTO search_entry_fts (rowid, title, tags, body, extras) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    [
                        (entry.pk, *(_stems_text(text) for text in self._texts(entry)))
                        for entry in entries
                    ],
                )

    def _add_words(self, entries: list[SearchEntry]) -> None:
        found = set()
        for entry in entries:
            for word in analysis.words(f"{entry.title} {entry.body}"):
                if _VOCABULARY_WORD.match(word):
                    found.add(word)
        SearchWord.objects.bulk_create(
            [SearchWord(word=word) for word in sorted(found)], ignore_conflicts=True
        )

    def remove(self, keys: Iterable[str]) -> None:
        keys = list(keys)
        with transaction.atomic():
            ids = list(
                SearchEntry.objects.filter(key__in=keys).values_list("pk", flat=True)
            )
            if not ids:
                return
            if self.vendor == "sqlite":
                sql, params = _in_list("rowid", ids)
                with connection.cursor() as cursor:
                    cursor.execute(f"DELETE FROM search_entry_fts WHERE {sql}", params)
            SearchEntry.objects.filter(pk__in=ids).delete()

    def clear(self) -> None:
        with transaction.atomic():
            if self.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute("DELETE FROM search_entry_fts")
            SearchEntry.objects.all().delete()
            SearchWord.objects.all().delete()

    def count(self) -> int:
        return SearchEntry.objects.count()

    def check(self) -> None:
        SearchEntry.objects.exists()

    # --- reading ---------------------------------------------------------------

    def _match(self, request: SearchRequest) -> tuple[str, list, str, list]:
        """``FROM … WHERE …`` over entries ``e`` that match the query, the
        reader's access and the filters, and the score expression."""
        access_sql, access_params = _access_sql(request.access)
        filters_sql, filters_params = _filters_sql(request)
        weights = " ".join(
            f"WHEN '{kind}' THEN {weight}" for kind, weight in KIND_WEIGHTS.items()
        )
        weight = f"CASE e.kind {weights} ELSE 1 END"
        if self.vendor == "postgresql":
            tsquery, tsquery_params = _tsquery(request.query)
            sql = (
                f"FROM search_searchentry e WHERE e.vector @@ ({tsquery}) "
                f"AND {access_sql} AND {filters_sql}"
            )
            return (
                sql,
                [*tsquery_params, *access_params, *filters_params],
                f"ts_rank(e.vector, ({tsquery})) * {weight}",
                tsquery_params,
            )
        fts = _fts_query(request.query)
        sql = (
            # CROSS JOIN keeps the text index first: SQLite's planner would
            # otherwise walk the entries and ask FTS5 about each one.
            "FROM search_entry_fts CROSS JOIN search_searchentry e "
            "ON e.id = search_entry_fts.rowid "
            f"WHERE search_entry_fts MATCH %s AND {access_sql} AND {filters_sql}"
        )
        return (
            sql,
            [fts, *access_params, *filters_params],
            f"-bm25(search_entry_fts, 10.0, 5.0, 1.0, 0.5) * {weight}",
            [],
        )

    def search(self, request: SearchRequest) -> SearchResult:
        if not request.query:
            return SearchResult(hits=[], total=0, facets={})
        match_sql, match_params, score_sql, score_params = self._match(request)
        # One statement, one pass over the matches: the count, the facets and
        # the page, where a thread's posts are one hit (its best entry).
        order = (
            "gdate DESC, gscore DESC, group_key"
            if request.sort == "date"
            else "gscore DESC, gdate DESC, group_key"
        )
        # Texts compared byte by byte: grouping and sorting need no language
        # rules here.
        binary = ' COLLATE "C"' if self.vendor == "postgresql" else ""
        if self.vendor == "postgresql":
            # Each group of the page looks up its best entry by the group's
            # index: 20 small lookups instead of a join with every match.
            best = (
                "best AS (SELECT p.group_key, p.gscore, p.matches, p.ordinal, "
                "b.id FROM page p CROSS JOIN LATERAL (SELECT e.id "
                f'{match_sql} AND e.group_key = p.group_key COLLATE "default" '
                f"ORDER BY {score_sql} DESC, e.date DESC, e.id LIMIT 1) b), "
            )
            best_params = [*match_params, *score_params]
        else:
            best = (
                "best AS (SELECT group_key, gscore, matches, ordinal, id FROM "
                "(SELECT p.group_key, p.gscore, p.matches, p.ordinal, m.id, "
                "ROW_NUMBER() OVER (PARTITION BY p.group_key "
                "ORDER BY m.score DESC, m.date DESC, m.id) AS position "
                "FROM page p JOIN matched m ON m.group_key = p.group_key) ranked "
                "WHERE position = 1), "
            )
            best_params = []
        sql = (
            f"WITH matched AS MATERIALIZED (SELECT e.id, e.group_key{binary} AS "
            f"group_key, e.kind{binary} AS kind, e.date, e.community_id, "
            f"e.organisation_id, e.tags{binary} AS tags, "
            f"{score_sql} AS score {match_sql}), "
            # A hit is a group (a thread and its replies): its best score,
            # its newest and oldest match, its number of matches.
            "groups AS MATERIALIZED (SELECT group_key, MAX(score) AS gscore, "
            "MAX(date) AS gdate, MIN(date) AS gfirst, COUNT(*) AS matches "
            "FROM matched GROUP BY group_key), "
            # The page is cut from the groups (a top-N sort), then each of its
            # groups gets its best entry.
            "page AS (SELECT group_key, gscore, matches, "
            f"ROW_NUMBER() OVER (ORDER BY {order}) AS ordinal FROM "
            "(SELECT group_key, gscore, gdate, matches FROM groups "
            f"ORDER BY {order} LIMIT %s OFFSET %s) cut), " + best
        )
        facets_ctes, facets_params, facets_sql = self._facets_sql(request)
        page_sql = (
            "SELECT 'hit', group_key, matches, id, CAST(gscore AS DOUBLE PRECISION), "
            "ordinal FROM best"
        )
        try:
            with self._time_limit() as cursor:
                cursor.execute(
                    sql + facets_ctes + facets_sql + " UNION ALL " + page_sql,
                    [
                        *score_params,
                        *match_params,
                        request.page_size,
                        request.offset,
                        *best_params,
                        *facets_params,
                    ],
                )
                rows = cursor.fetchall()
        except OperationalError as error:
            if not _stopped(error):
                raise
            # Not the words: they may name people.
            logger.warning(
                "search stopped after %ss (%d characters)",
                settings.SEARCH_TIMEOUT,
                len(request.text),
            )
            return SearchResult(
                hits=[],
                total=0,
                facets={},
                notice=_(
                    "Diese Suche findet so viel, dass sie zu lange gedauert hat. "
                    "Bitte grenzen Sie sie ein: mit weiteren Wörtern, einer "
                    "Community, einer Art oder einem Zeitraum."
                ),
            )
        total, facets = self._read_facets([row[:3] for row in rows if row[0] != "hit"])
        page = sorted((row for row in rows if row[0] == "hit"), key=lambda row: row[5])
        hits = self._hits(
            [
                (group, score, matches, entry_id)
                for _n, group, matches, entry_id, score, _o in page
            ],
            request,
        )
        result = SearchResult(hits=hits, total=total, facets=facets)
        if total == 0:
            result.suggestion = self._did_you_mean(request)
        return result

    def count_matches(
        self, requests: list[SearchRequest], limit: int
    ) -> list[int] | None:
        if not requests:
            return []
        # One statement: a capped count of each request.
        counts, params = [], []
        for request in requests:
            if not request.query:
                counts.append("0")
                continue
            match_sql, match_params, _score, _params = self._match(request)
            counts.append(f"(SELECT COUNT(*) FROM (SELECT 1 {match_sql} LIMIT %s) c)")
            params += [*match_params, limit]
        try:
            with self._time_limit() as cursor:
                cursor.execute("SELECT " + ", ".join(counts), params)
                return [int(count) for count in cursor.fetchone()]
        except OperationalError as error:
            if not _stopped(error):
                raise
            return None

    @contextmanager
    def _time_limit(self):
        """A cursor whose statements stop after ``SEARCH_TIMEOUT`` seconds
        (``OperationalError``, see ``_stopped``)."""
        if self.vendor == "postgresql":
            with transaction.atomic(), connection.cursor() as cursor:
                # For this transaction only, which poolers allow. Compiling
                # the statement (JIT, about 120 functions, 60 ms) costs more
                # than it saves on tens of thousands of rows. Memory enough
                # that the matches and their groups of a broad query (tens
                # of thousands) are kept and hashed without temporary files.
                cursor.execute(
                    "SELECT set_config('jit', 'off', true), "
                    "set_config('work_mem', '32MB', true), "
                    "set_config('statement_timeout', %s, true)",
                    [str(max(1, round(settings.SEARCH_TIMEOUT * 1000)))],
                )
                yield cursor
            return
        # SQLite: a handler that SQLite calls every 10,000 steps of its
        # machine interrupts the statement once the time is up.
        connection.ensure_connection()
        deadline = time.monotonic() + settings.SEARCH_TIMEOUT
        database = connection.connection
        database.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
        try:
            with connection.cursor() as cursor:
                yield cursor
        finally:
            database.set_progress_handler(None, 0)

    def _facets_sql(self, request) -> tuple[str, list, str]:
        """The number of hits (groups) and the facets, as rows of the
        statement in ``search``: (name, value, count, NULL, NULL, NULL),
        which ``_read_facets`` reads.

        Each counts groups. The facets count the matches of each value, all
        in one pass over the matches; a group of several matches (a thread
        and its replies) then gives back, for each value, all but one of its
        matches with that value (rows of negative counts, from its distinct
        (value, group, entry) triples). Most groups have one match, so that
        is cheaper than counting every group's values. Tags are counted by
        list ("tags") and split in Python; the time ranges and the total come
        from one number per group ("time")."""
        now = request.now or timezone.now()
        starts = [now - timedelta(days=days) for _key, days in TIME_RANGES if days]
        # The time of a group as one number: 2 × the first range its newest
        # match is in (len(starts) if none) + 1 if its oldest is older than a
        # year. Its set counts the groups too.
        time = (
            "COALESCE(CASE "
            + " ".join(
                f"WHEN gdate >= %s THEN {number}" for number in range(len(starts))
            )
            + f" END, {len(starts)}) * 2 + CASE WHEN gfirst < %s THEN 1 ELSE 0 END"
        )
        params = [*starts, starts[-1]]
        # Typed: PostgreSQL resolves the types of a UNION pair by pair.
        none = (
            ", CAST(NULL AS BIGINT), CAST(NULL AS DOUBLE PRECISION), "
            "CAST(NULL AS BIGINT)"
        )
        # The matches of each value, in one pass over the matches: a
        # grouping set each. Each value in its own type until it is counted:
        # hashing numbers is cheaper than making and hashing texts of them.
        facets = [
            ("tags" if name == "tag" else name, column) for name, column in GROUP_FACETS
        ]
        if self.vendor == "postgresql":
            names = " ".join(
                f"WHEN GROUPING({column}) = 0 THEN '{name}'" for name, column in facets
            )
            values = ", ".join(f"CAST({column} AS TEXT)" for _n, column in facets)
            sets = ", ".join(f"({column})" for _n, column in facets)
            parts = [
                f"SELECT CASE {names} END, COALESCE({values}), COUNT(*){none} "
                f"FROM matched GROUP BY GROUPING SETS ({sets})"
            ]
        else:
            parts = [
                f"SELECT '{name}', CAST({column} AS TEXT), COUNT(*){none} "
                f"FROM matched GROUP BY {column}"
                for name, column in facets
            ]
        parts.append(
            f"SELECT 'time', CAST(value AS TEXT), COUNT(*){none} FROM "
            f"(SELECT {time} AS value FROM groups) per_group GROUP BY value"
        )
        # A group of several matches counts once per value: its other
        # matches of that value are taken off again.
        several = (
            "several AS MATERIALIZED (SELECT m.id, m.group_key, "
            + ", ".join(f"m.{column} AS {name}_value" for name, column in GROUP_FACETS)
            + " FROM matched m JOIN groups g ON g.group_key = m.group_key "
            "WHERE g.matches > 1) "
        )
        for name, _column in GROUP_FACETS:
            value, source = (
                ("tag.value", f"several, {_tag_rows('several.tag_value')}")
                if name == "tag"
                else (f"{name}_value", "several")
            )
            # (value, group): its matches with the value, each once (a tag
            # list may name a tag twice).
            pairs = (
                "SELECT value, COUNT(*) AS entries FROM (SELECT DISTINCT "
                f"{value} AS value, several.group_key, several.id FROM {source} "
                f"WHERE {name}_value IS NOT NULL) per_entry GROUP BY value, group_key"
            )
            parts.append(
                f"SELECT '{name}', CAST(value AS TEXT), "
                f"CAST(COUNT(*) - SUM(entries) AS BIGINT){none} "
                f"FROM ({pairs}) pairs GROUP BY value"
            )
        return several, params, " UNION ALL ".join(parts)

    def _read_facets(self, rows):
        total = 0
        counts: dict[str, dict[str, int]] = {
            name: {} for name in [*(name for name, _column in GROUP_FACETS), "time"]
        }
        ranges = [key for key, days in TIME_RANGES if days]

        def add(name, value, count):
            counts[name][value] = counts[name].get(value, 0) + count

        for name, value, count in rows:
            if value is None or not count:
                continue
            if name == "time":
                total += count
                code = int(value)
                for key in ranges[code // 2 :]:
                    # Newest in the last week: in the last month and year too.
                    add("time", key, count)
                if code % 2:
                    add("time", TIME_RANGES[-1][0], count)
            elif name == "tags":
                for tag in set(json.loads(value)):
                    add("tag", tag, count)
            else:
                add(name, str(value), count)
        found = {
            name: [FacetValue(value, count) for value, count in values.items()]
            for name, values in counts.items()
        }
        if not total:
            return 0, {}
        limits = {"community": 50, "organisation": 50, "tag": 30}
        ranges = [key for key, _days in TIME_RANGES]
        for name, values in found.items():
            if name == "time":
                values.sort(key=lambda facet: ranges.index(facet.value))
            else:
                values.sort(key=lambda facet: (-facet.count, facet.value))
                del values[limits.get(name, len(values)) :]
        return total, found

    def _hits(self, rows, request: SearchRequest) -> list[SearchHit]:
        if not rows:
            return []
        ids = [row[3] for row in rows]
        entries = SearchEntry.objects.in_bulk(ids)
        marks = self._marks(entries, request)
        hits = []
        for _group, score, matches, entry_id in rows:
            entry = entries[entry_id]
            title_mark, body_mark = marks.get(entry_id, ("", ""))
            hits.append(
                _hit(
                    entry,
                    body_mark,
                    title_mark,
                    score=float(score or 0),
                    matches=matches,
                )
            )
        return hits

    def _marks(
        self, entries: dict[int, SearchEntry], request: SearchRequest
    ) -> dict[int, tuple[str, str]]:
        """The marked title and snippet of each of ``entries`` (by id)."""
        stems = query_stems(request.query)
        if self.vendor == "postgresql":
            tsquery, params = _tsquery(request.query)
            options = (
                f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=40, "
                'MinWords=20, MaxFragments=2, FragmentDelimiter=" … "'
            )
            in_sql, in_params = _in_list("id", entries)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"WITH q AS (SELECT ({tsquery}) AS query) "
                    "SELECT id, ts_headline('german', title, q.query, %s), "
                    "ts_headline('german', body, q.query, %s) "
                    f"FROM search_searchentry, q WHERE {in_sql}",
                    [
                        *params,
                        f"HighlightAll=true, StartSel={MARK_START}, StopSel={MARK_END}",
                        options,
                        *in_params,
                    ],
                )
                headlines = {row[0]: (row[1], row[2]) for row in cursor}
            # ts_headline marks the words it matches, not a compound found
            # by its parts: marks.completed marks those as SQLite does.
            return {
                pk: (
                    completed(mark(title), entries[pk].title, stems, whole=True),
                    completed(mark(body), entries[pk].body, stems),
                )
                for pk, (title, body) in headlines.items()
            }
        marks = {}
        for entry in SearchEntry.objects.filter(pk__in=entries).only("title", "body"):
            marks[entry.pk] = (
                highlight(entry.title, stems, whole=True),
                highlight(entry.body, stems),
            )
        return marks

    # --- "Meinten Sie …?" ----------------------------------------------------------

    def _did_you_mean(self, request: SearchRequest) -> str:
        """A query with each unknown word replaced by the nearest known one,
        if the reader would find something with it."""
        better = {}
        for word in sorted({w for term in request.query.terms() for w in term.words}):
            nearest = self._nearest_word(word)
            if nearest and nearest != word:
                better[word] = nearest
        if not better:
            return ""
        suggestion = analysis.respell(request.text, better)
        query = analysis.parse_query(suggestion)
        if not query:  # only common words, not searched for
            return ""
        retry = SearchRequest(
            text=suggestion,
            query=query,
            access=request.access,
            filters=request.filters,
            page_size=1,
        )
        match_sql, match_params, _score, _params = self._match(retry)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 {match_sql} LIMIT 1", match_params)
            return suggestion if cursor.fetchone() else ""

    def _nearest_word(self, word: str) -> str | None:
        if len(word) < 4 or SearchWord.objects.filter(word=word).exists():
            return None
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT word FROM search_searchword WHERE word %% %s "
                    "ORDER BY similarity(word, %s) DESC, word LIMIT 1",
                    [word, word],
                )
                row = cursor.fetchone()
            return row[0] if row else None
        candidates = SearchWord.objects.filter(
            word__startswith=word[0],
        ).values_list("word", flat=True)
        candidates = [c for c in candidates if abs(len(c) - len(word)) <= 2]
        found = difflib.get_close_matches(word, candidates, n=1, cutoff=0.75)
        return found[0] if found else None

    # --- suggestions while typing ----------------------------------------------------

    def suggest(self, text: str, access: Access, limit: int = 5) -> list[SearchHit]:
        spellings = analysis.typed_spellings(text)
        if len(spellings[0]) < 2:
            return []
        access_sql, access_params = _access_sql(access)
        kinds_sql, kinds_params = _in_list("e.kind", SUGGEST_KINDS)
        prefixes, prefix_params = [], []
        for typed in spellings:
            like = typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            prefixes += ["e.title_prefix LIKE %s ESCAPE '\\'"] * 2
            prefix_params += [f"{like}%", f"% {like}%"]
        entries = SearchEntry.objects.raw(
            f"SELECT e.* FROM search_searchentry e WHERE {kinds_sql} AND {access_sql} "
            f"AND ({' OR '.join(prefixes)}) ORDER BY CASE e.kind WHEN 'community' "
            "THEN 0 WHEN 'wiki' THEN 1 ELSE 2 END, e.title_prefix LIMIT %s",
            [*kinds_params, *access_params, *prefix_params, limit],
        )
        stems = {analysis.stem(word) for typed in spellings for word in typed.split()}
        return [
            _hit(entry, "", highlight(entry.title, stems, whole=True))
            for entry in entries
        ]


def _stopped(error: OperationalError) -> bool:
    """Whether ``error`` is the time limit of ``_time_limit``: PostgreSQL's
    query_canceled, SQLite's interrupt."""
    cause = error.__cause__
    return (
        getattr(cause, "sqlstate", None) == "57014"
        or getattr(cause, "sqlite_errorname", None) == "SQLITE_INTERRUPT"
    )


def _hit(entry: SearchEntry, body_mark: str, title_mark: str, **fields) -> SearchHit:
    return SearchHit(
        key=entry.key,
        kind=entry.kind,
        title=entry.title,
        url=entry.url,
        date=entry.date,
        community_id=entry.community_id,
        room_id=entry.room_id,
        author_name=entry.author_name,
        organisation_name=entry.organisation_name,
        tags=entry.tag_list(),
        highlight=body_mark,
        title_highlight=title_mark,
        **fields,
    )


def _stems_text(text: str) -> str:
    """The Snowball stems of ``text``'s words, for the FTS5 table."""
    return " ".join(
        analysis.stem(piece)
        for word in analysis.words(text)
        for piece in word.split("-")
        if piece
    )


# --- PostgreSQL: the tsquery ------------------------------------------------------


def _leaf_tsquery(leaf: str) -> tuple[str, list]:
    text = f'"{leaf}"' if " " in leaf else leaf
    return "websearch_to_tsquery('german', %s)", [text]


def _term_tsquery(term, parts=True) -> tuple[str, list]:
    alternatives, params = [], []
    for alternative in analysis.expand(term, parts=parts):
        leaves = []
        for leaf in alternative:
            sql, leaf_params = _leaf_tsquery(leaf)
            leaves.append(sql)
            params += leaf_params
        alternatives.append("(" + " && ".join(leaves) + ")")
    return "(" + " || ".join(alternatives) + ")", params


def _tsquery(query: analysis.Query) -> tuple[str, list]:
    parts, params = [], []
    for clause in query.clauses:
        terms = []
        for term in clause:
            sql, term_params = _term_tsquery(term)
            terms.append(sql)
            params += term_params
        parts.append("(" + " || ".join(terms) + ")")
    for term in query.excluded:
        sql, term_params = _term_tsquery(term, parts=False)
        parts.append(f"!!{sql}")
        params += term_params
    return " && ".join(parts), params


# --- SQLite: the FTS5 expression ------------------------------------------------


def _fts_leaf(leaf: str) -> str:
    stems = [
        analysis.stem(piece)
        for word in leaf.split()
        for piece in word.split("-")
        if piece
    ]
    return '"' + " ".join(stems).replace('"', '""') + '"'


def _fts_term(term, parts=True) -> str:
    alternatives = []
    for alternative in analysis.expand(term, parts=parts):
        alternatives.append(
            "(" + " AND ".join(_fts_leaf(leaf) for leaf in alternative) + ")"
        )
    return "(" + " OR ".join(alternatives) + ")"


def _fts_query(query: analysis.Query) -> str:
    positive = " AND ".join(
        "(" + " OR ".join(_fts_term(term) for term in clause) + ")"
        for clause in query.clauses
    )
    for term in query.excluded:
        positive = f"({positive}) NOT {_fts_term(term, parts=False)}"
    return positive
