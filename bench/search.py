"""Search: indexing throughput and query latency of the database backend.

Generates ``--documents`` search documents (100,000 by default; 1,000,000
with ``--documents 1000000``) of German text as municipal staff write it,
indexes them through the backend (the figure: documents per second), then
runs a fixed set of queries and prints the median and p95 latency of

- the backend's ``search`` (count, page of grouped hits with highlights,
  facets, as the search page asks),
- the floor: one raw SQL query on the same text index (PostgreSQL: the GIN
  index with ``websearch_to_tsquery``; SQLite: the FTS5 table) that fetches
  a ranked page of ids for the words as typed,
- the floor for the same query: the same, for the query the backend asks
  (with the synonyms, umlaut variants and compound parts it adds), so that
  it matches the same documents,
- a naive ``icontains`` scan over title and body (what a toy does),

with the ratios against both floors, and each query's medians and number
of hits. Target for PostgreSQL at 1,000,000 documents: the backend's p95
within 2× the floor.

With ``--engine URL`` the same for the search-engine backend at that
``SEARCH_URL``: indexing throughput, its ``search`` against two floors on
its index (the words as typed, the query the backend asks), and whether
each query finds as many hits as on the database.
"""

import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import arguments, bench_database, out  # noqa: E402

QUERIES = [
    "Hitzeschutz Kita",
    "Bauantrag",
    "E-Akte",
    "Klimaanpassung",
    "Onlinezugangsgesetz",
    "Straßenreinigung Gebühren",
    '"elektronische Akte"',
    "Personalgewinnung -Ausbildung",
    "Datenschutz OR DSGVO",
    "Bürgerbeteiligung Haushalt",
    "Starkregen",
    "Wohngeld",
    "Digitalisierung Schule",
    "Feuerwehr",
    "Vergabe Reinigung",
    "Ratsinformationssystem",
    "Kindertagesstätten",
    "Homeoffice",
    "Glasfaserausbau",
    "Friedhofssatzung",
]

SUBJECTS = [
    "Die Stadtverwaltung",
    "Unser Bürgeramt",
    "Der Landkreis",
    "Die Gemeinde",
    "Das Ordnungsamt",
    "Die Kämmerei",
    "Das Bauamt",
    "Unser Jugendamt",
    "Die IT-Abteilung",
    "Das Personalamt",
    "Die Stabsstelle Digitalisierung",
    "Das Sozialamt",
    "Die Feuerwehr",
    "Das Standesamt",
    "Die Schulverwaltung",
]
VERBS = [
    "plant",
    "prüft",
    "führt ein",
    "überarbeitet",
    "vergibt",
    "digitalisiert",
    "bewertet",
    "organisiert",
    "erweitert",
    "schreibt aus",
    "koordiniert",
]
OBJECTS = [
    "den Hitzeaktionsplan",
    "die E-Akte",
    "das Onlinezugangsgesetz",
    "die Bauanträge",
    "den Hitzeschutz in Kitas",
    "die Klimafolgenanpassung",
    "die Straßenreinigung",
    "die Gebührensatzung",
    "den Haushaltsplan",
    "die Bürgerbeteiligung",
    "das Ratsinformationssystem",
    "die Personalgewinnung",
    "den Datenschutz nach DSGVO",
    "die Starkregenvorsorge",
    "das Wohngeld",
    "die Kindertagesstätten",
    "den Glasfaserausbau",
    "die Friedhofssatzung",
    "die Vergabe der Gebäudereinigung",
    "das mobile Arbeiten im Homeoffice",
    "die Digitalisierung der Schulen",
    "den Brandschutz im Feuerwehrhaus",
    "die Ausbildung der Nachwuchskräfte",
    "das Parkraummanagement",
]
# Everyday topics around them (Schulentwicklungsplanung, Friedhofssatzung …):
# a query topic is in a few per cent of the documents, not in most.
OBJECTS += [
    f"die {field}{part}"
    for field in (
        "Schulentwicklungs",
        "Verkehrs",
        "Friedhofs",
        "Sport",
        "Kultur",
        "Wasser",
        "Forst",
        "Markt",
        "Hafen",
        "Park",
        "Jugend",
        "Senioren",
        "Umwelt",
        "Wald",
        "Grün",
        "Energie",
        "Wohnungs",
        "Gewerbe",
        "Tourismus",
        "Sozial",
    )
    for part in (
        "planung",
        "satzung",
        "verwaltung",
        "förderung",
        "konzeption",
        "berichterstattung",
        "gebührenordnung",
        "beratung",
        "statistik",
        "kontrolle",
    )
]
TAILS = [
    "gemeinsam mit dem Nachbarkreis",
    "bis zum Jahresende",
    "mit Fördermitteln des Landes",
    "nach einem Ratsbeschluss",
    "trotz knapper Kassen",
    "mit externer Beratung",
    "in drei Pilotbereichen",
    "auf Wunsch der Bürgerschaft",
    "mit neuer Software",
]
QUESTIONS = [
    "Wer hat Erfahrungen damit?",
    "Gibt es eine Mustervorlage?",
    "Wie lange hat das bei Ihnen gedauert?",
    "Welche Kosten sind entstanden?",
    "Wie haben Sie den Personalrat beteiligt?",
    "Was würden Sie anders machen?",
]
KINDS = ["thread", "post", "post", "post", "wiki", "message", "message"]
TAGS = ["Hitze", "Digitalisierung", "Personal", "Bauen", "Klima"]


def sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
        f"{rng.choice(TAILS)}."
    )


def generate(count: int, communities: int = 200):
    """``count`` documents, the same for the same count (seeded)."""
    from search.backends.base import AUDIENCE_READERS, SearchDocument

    rng = random.Random(20261128)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    thread = 0
    for number in range(count):
        kind = rng.choice(KINDS)
        if kind == "thread" or thread == 0:
            kind, thread = "thread", number
            thread_tags = [rng.choice(TAGS)]
        body = " ".join(sentence(rng) for _ in range(rng.randint(2, 6)))
        body += " " + rng.choice(QUESTIONS)
        # A reply is in its thread's community, with its thread's tags
        # (search.documents.post_document); the rest have their own.
        own = kind != "post"
        yield SearchDocument(
            key=f"{kind}:{number}",
            kind=kind,
            title=sentence(rng)[:-1],
            body=body,
            url=f"/bench/{number}/",
            date=start - timedelta(minutes=number * 7),
            audience=AUDIENCE_READERS,
            community_id=1 + (number if own else thread) % communities,
            group="" if own else f"thread:{thread}",
            title_searchable=own,
            tags=thread_tags if kind in ("thread", "post") else [rng.choice(TAGS)],
            author_name=f"Person {number % 500}",
            organisation_id=1 + number % 50,
            organisation_name=f"Stadt {number % 50}",
        )


def indexed_as_generated(found, documents, sample: int = 2_000) -> bool:
    """Whether the first ``sample`` documents are indexed as ``generate``
    makes them now: a kept index of an older generator is indexed afresh.
    ``found(keys)`` gives the indexed {key: (group, community id, tags)}."""
    from itertools import islice

    wanted = {
        document.key: (document.group, document.community_id, document.tags)
        for document in islice(documents, sample)
    }
    return found(list(wanted)) == wanted


def indexed_once(backend, count: int, found, what: str, after) -> None:
    """The generated ``count`` documents in ``backend``: reused when they
    are there as generated (``found``, see ``indexed_as_generated``), else
    indexed afresh, with the throughput printed; then ``after()`` readies
    them for searching."""
    if backend.count() == count and indexed_as_generated(found, generate(count)):
        out(f"Reusing {count:,} indexed documents ({what})")
        return
    backend.clear()
    out(f"Indexing {count:,} documents ({what}) …")
    started = time.perf_counter()
    indexed = backend.index(generate(count))
    seconds = time.perf_counter() - started
    out(
        f"indexing: {indexed:,} documents in {seconds:.0f} s = {indexed / seconds:,.0f}/s"
    )
    after()


def database_found(keys) -> dict:
    from search.models import SearchEntry

    return {
        entry.key: (entry.group_key, entry.community_id, entry.tag_list())
        for entry in SearchEntry.objects.filter(key__in=keys)
    }


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main():
    parser = arguments(__doc__, requests=5, warmup=1)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument(
        "--engine",
        metavar="URL",
        help="also measure the search-engine backend at this SEARCH_URL "
        "(opensearch://127.0.0.1:9201/kommunect-bench): its index is replaced",
    )
    parser.add_argument(
        "--thread-model",
        action="store_true",
        help="also measure one index row per thread (PostgreSQL)",
    )
    options = parser.parse_args()
    with bench_database(f"search-{options.documents}", options.keep):
        from django.core.management import call_command
        from django.db import connection
        from django.db.models import Q

        from search.analysis import parse_query, words
        from search.backends.base import Access, SearchRequest
        from search.backends.database import DatabaseBackend, _fts_query, _tsquery
        from search.models import SearchEntry

        call_command("migrate", verbosity=0)
        backend = DatabaseBackend()
        vendor = connection.vendor

        def analyse():
            if vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE search_searchentry")

        indexed_once(backend, options.documents, database_found, vendor, analyse)
        access = Access(reader_communities=frozenset(range(1, 201)))

        def request(text):
            return SearchRequest(text=text, query=parse_query(text), access=access)

        def ours(text):
            return lambda: backend.search(request(text))

        def floor(text, expanded=False, table="search_searchentry"):
            def run():
                with connection.cursor() as cursor:
                    if vendor == "postgresql" and expanded:
                        tsquery, params = _tsquery(parse_query(text))
                        cursor.execute(
                            f"SELECT id FROM {table}, (SELECT {tsquery} "
                            "AS q) query WHERE vector @@ query.q "
                            "ORDER BY ts_rank(vector, query.q) DESC LIMIT 20",
                            params,
                        )
                    elif vendor == "postgresql":
                        cursor.execute(
                            f"SELECT id FROM {table}, "
                            "websearch_to_tsquery('german', %s) q WHERE vector @@ q "
                            "ORDER BY ts_rank(vector, q) DESC LIMIT 20",
                            [text],
                        )
                    else:
                        # FTS5 has no words as typed: the floor's MATCH is
                        # the backend's expression.
                        cursor.execute(
                            "SELECT rowid FROM search_entry_fts WHERE "
                            "search_entry_fts MATCH %s ORDER BY bm25(search_entry_fts) "
                            "LIMIT 20",
                            [_fts_query(parse_query(text))],
                        )
                    cursor.fetchall()

            return run

        def naive(text):
            def run():
                condition = Q()
                for word in words(text.replace('"', " ").replace("-", " ")):
                    condition &= Q(title__icontains=word) | Q(body__icontains=word)
                list(SearchEntry.objects.filter(condition).order_by("-date")[:20])

            return run

        def hits(text):
            return backend.search(request(text)).total

        found = measure(
            {
                "backend": ours,
                "floor": floor,
                "floor, same query": lambda text: floor(text, expanded=True),
                "naive": naive,
            },
            hits,
            options,
            f"{options.documents:,} documents, {vendor}",
            ("floor", "floor, same query"),
        )
        if options.engine:
            engine(options, request, found)
        if options.thread_model and vendor == "postgresql":
            thread_model(options, access, floor)
        elif options.thread_model:
            out("--thread-model: PostgreSQL only")


def measure(
    ways: dict, hits, options, what: str, floors: tuple[str, str]
) -> dict[str, int]:
    """Run each query every way (name → factory of a callable), print each
    query's medians and its ``hits``, then the median and p95 of every way
    and the p95's ratio to those of the two ``floors`` (names of ways).
    Returns each query's hits."""
    rows = {name: [] for name in ways}
    found = {}
    # Each query's median, with the number of hits: the p95 over all runs
    # does not show the query that is slowest for each.
    out()
    out(f"{'query':30} {'hits':>8} " + " ".join(f"{n[:12]:>12}" for n in rows))
    for text in QUERIES:
        runs = {name: factory(text) for name, factory in ways.items()}
        for run in runs.values():
            timed(run, options.warmup)
        # The ways take turns, run by run: a slow spell of the machine (or
        # pages another way has just read) then falls on each of them alike,
        # not on the whole block of one.
        times = {name: [] for name in runs}
        for _ in range(options.requests):
            for name, run in runs.items():
                times[name] += timed(run, 1)
        medians = []
        for name in runs:
            rows[name] += times[name]
            medians.append(statistics.median(times[name]))
        found[text] = hits(text)
        out(
            f"{text:30} {found[text]:8,} "
            + " ".join(f"{median:9.1f} ms" for median in medians)
        )
    out()
    out(f"{len(QUERIES)} queries × {options.requests} runs, {what}")
    first, second = (p95(rows[name]) for name in floors)
    out(
        f"{'':26} {'median ms':>10} {'p95 ms':>10} "
        + " ".join(f"{'÷ ' + name:>28}" for name in floors)
    )
    for name, values in rows.items():
        out(
            f"{name:26} {statistics.median(values):10.1f} {p95(values):10.1f} "
            f"{p95(values) / first:27.1f}× {p95(values) / second:27.1f}×"
        )
    return found


def engine(options, request, database_hits: dict[str, int]) -> None:
    """The search-engine backend at ``options.engine`` on the same documents:
    the indexing throughput, then its ``search`` against two floors on the
    same index, each a ranked page of 20 ids: for the words as typed
    (``query_string``, which knows phrases, ``-`` and ``OR``) and for the
    query the backend asks (its text query, with the synonyms, umlaut
    spellings and compound parts it adds; without the permission filter,
    the counts, the grouping and the highlights, as the database's floors).
    The index is removed afterwards unless ``--keep``."""
    import logging

    from search.analysis import parse_query
    from search.backends.elasticsearch import TEXT_FIELDS, EngineBackend, text_query

    # The clients log every request.
    for name in ("opensearch", "elastic_transport"):
        logging.getLogger(name).setLevel(logging.WARNING)
    backend = EngineBackend(options.engine, refresh=False)
    path = f"/{backend.index_name}"

    def found(keys):
        answer = backend.transport.request(
            "POST", f"{path}/_mget", {"ids": keys}, missing_ok=True
        )
        return {
            document["_id"]: (
                document["_source"]["group"],
                document["_source"]["community_id"],
                document["_source"]["tags"],
            )
            for document in (answer or {}).get("docs", [])
            if document.get("found")
        }

    out()
    indexed_once(
        backend,
        options.documents,
        found,
        backend.name,
        # As search_reindex leaves it: written, then visible to searches.
        lambda: backend.transport.request("POST", f"{path}/_refresh", timeout=600),
    )
    # The engine would answer the repeated runs of the backend's size-0
    # requests (its counts of pairs) from its request cache; the floors'
    # requests (size 20) never are. Off, for a fair comparison.
    backend.transport.request(
        "PUT",
        f"{path}/_settings",
        {"index": {"requests": {"cache": {"enable": False}}}},
    )

    def raw(query: dict):
        body = {"query": query, "size": 20, "_source": False}
        return lambda: backend.transport.request("POST", f"{path}/_search", body)

    def floor(text):
        return raw(
            {
                "query_string": {
                    "query": text,
                    "fields": TEXT_FIELDS,
                    "default_operator": "and",
                }
            }
        )

    def floor_same(text):
        return raw(text_query(parse_query(text)).to_dict())

    def hits(text):
        return backend.search(request(text)).total

    try:
        found = measure(
            {
                "engine backend": lambda text: lambda: backend.search(request(text)),
                "engine floor": floor,
                "engine floor, same query": floor_same,
            },
            hits,
            options,
            f"{options.documents:,} documents, {backend.name}",
            ("engine floor", "engine floor, same query"),
        )
        differ = [text for text in QUERIES if found[text] != database_hits[text]]
        out(
            "hits as the database backend's: "
            f"{len(QUERIES) - len(differ)} of {len(QUERIES)} queries"
            + (f" (not: {', '.join(differ)})" if differ else "")
        )
    finally:
        if not options.keep:
            backend.delete_index()


# One row per thread: a thread with its replies' text vectors joined, the
# rest as they are; the organisations of a thread's entries as a list.
THREAD_ROWS = """
CREATE OR REPLACE AGGREGATE bench_tsvector_cat(tsvector)
    (SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '');
DROP TABLE IF EXISTS bench_thread_rows;
CREATE TABLE bench_thread_rows AS
SELECT MIN(id) AS id, group_key, MIN(audience) AS audience,
    MIN(community_id) AS community_id, MAX(date) AS date, MIN(date) AS first,
    MIN(kind) AS kind, array_agg(DISTINCT organisation_id) AS organisations,
    MIN(tags) AS tags, bench_tsvector_cat(vector ORDER BY id) AS vector
FROM search_searchentry GROUP BY group_key;
CREATE INDEX bench_thread_rows_vector ON bench_thread_rows USING gin (vector);
"""


def thread_model(options, access, floor) -> None:
    """What one index row per thread would cost (PostgreSQL): the statement
    it would need (the count, five facets and a page of 20, no grouping;
    without highlights) and the two floors on that table, beside the floor
    on the entries. Builds the table from the indexed entries and drops it
    afterwards."""
    from django.db import connection, transaction
    from django.utils import timezone

    from search.analysis import parse_query
    from search.backends.base import KIND_WEIGHTS, TIME_RANGES
    from search.backends.database import _access_sql, _tsquery

    out()
    out("One row per thread (--thread-model): building the table …")
    with connection.cursor() as cursor:
        cursor.execute(THREAD_ROWS)
        cursor.execute("VACUUM ANALYZE bench_thread_rows")
        cursor.execute("SELECT COUNT(*) FROM bench_thread_rows")
        out(f"{cursor.fetchone()[0]:,} rows")
    access_sql, access_params = _access_sql(access)
    weights = " ".join(f"WHEN '{k}' THEN {w}" for k, w in KIND_WEIGHTS.items())
    now = timezone.now()
    starts = [now - timedelta(days=days) for _key, days in TIME_RANGES if days]
    time_code = (
        "COALESCE(CASE "
        + " ".join(f"WHEN date >= %s THEN {n}" for n in range(len(starts)))
        + f" END, {len(starts)}) * 2 + CASE WHEN first < %s THEN 1 ELSE 0 END"
    )

    def statement(text):
        tsquery, params = _tsquery(parse_query(text))
        sql = (
            "WITH matched AS MATERIALIZED (SELECT id, kind, date, community_id, "
            f"organisations, tags, {time_code} AS time, ts_rank(vector, "
            f"({tsquery})) * CASE kind {weights} ELSE 1 END AS score "
            f"FROM bench_thread_rows e WHERE vector @@ ({tsquery}) "
            f"AND {access_sql}) "
            "SELECT COALESCE(CAST(c AS TEXT), k, t, CAST(tm AS TEXT)), COUNT(*), "
            "CAST(NULL AS BIGINT) FROM (SELECT community_id c, kind k, tags t, "
            "time tm FROM matched) x GROUP BY GROUPING SETS ((c), (k), (t), (tm)) "
            "UNION ALL SELECT CAST(o AS TEXT), COUNT(*), NULL FROM matched, "
            "unnest(organisations) o GROUP BY o "
            "UNION ALL (SELECT NULL, NULL, id FROM matched "
            "ORDER BY score DESC, date DESC, id LIMIT 20)"
        )
        return sql, [*starts, starts[-1], *params, *params, *access_params]

    def thread_statement(text):
        sql, params = statement(text)

        def run():
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
                cursor.execute(sql, params)
                cursor.fetchall()

        return run

    def thread_hits(text):
        tsquery, params = _tsquery(parse_query(text))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM bench_thread_rows e WHERE vector @@ "
                f"({tsquery}) AND {access_sql}",
                [*params, *access_params],
            )
            return cursor.fetchone()[0]

    try:
        measure(
            {
                "thread statement": thread_statement,
                "floor, entries": floor,
                "floor, threads": lambda text: floor(text, table="bench_thread_rows"),
                "floor, threads, same query": lambda text: floor(
                    text, expanded=True, table="bench_thread_rows"
                ),
            },
            thread_hits,
            options,
            "one row per thread",
            ("floor, entries", "floor, threads"),
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_thread_rows")


if __name__ == "__main__":
    main()
