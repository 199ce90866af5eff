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
            thread_tags = [
                rng.choice(["Hitze", "Digitalisierung", "Personal", "Bauen", "Klima"])
            ]
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
            tags=thread_tags
            if kind in ("thread", "post")
            else [
                rng.choice(["Hitze", "Digitalisierung", "Personal", "Bauen", "Klima"])
            ],
            author_name=f"Person {number % 500}",
            organisation_id=1 + number % 50,
            organisation_name=f"Stadt {number % 50}",
        )


def indexed_as_generated(model, documents, sample: int = 2_000) -> bool:
    """Whether the first ``sample`` documents are indexed as ``generate``
    makes them now: a kept database of an older generator is indexed
    afresh."""
    from itertools import islice

    wanted = {
        document.key: (document.group, document.community_id, document.tags)
        for document in islice(documents, sample)
    }
    found = {
        entry.key: (entry.group_key, entry.community_id, entry.tag_list())
        for entry in model.objects.filter(key__in=wanted)
    }
    return found == wanted


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
        if SearchEntry.objects.count() == options.documents and indexed_as_generated(
            SearchEntry, generate(options.documents)
        ):
            out(f"Reusing {options.documents:,} indexed documents ({vendor})")
        else:
            backend.clear()
            out(f"Indexing {options.documents:,} documents ({vendor}) …")
            started = time.perf_counter()
            indexed = backend.index(generate(options.documents))
            seconds = time.perf_counter() - started
            out(
                f"indexing: {indexed:,} documents in {seconds:.0f} s = {indexed / seconds:,.0f}/s"
            )
            if vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE search_searchentry")
        access = Access(reader_communities=frozenset(range(1, 201)))

        def ours(text):
            return lambda: backend.search(
                SearchRequest(text=text, query=parse_query(text), access=access)
            )

        def floor(text, expanded=False):
            def run():
                with connection.cursor() as cursor:
                    if vendor == "postgresql" and expanded:
                        tsquery, params = _tsquery(parse_query(text))
                        cursor.execute(
                            f"SELECT id FROM search_searchentry, (SELECT {tsquery} "
                            "AS q) query WHERE vector @@ query.q "
                            "ORDER BY ts_rank(vector, query.q) DESC LIMIT 20",
                            params,
                        )
                    elif vendor == "postgresql":
                        cursor.execute(
                            "SELECT id FROM search_searchentry, "
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

        rows = {"backend": [], "floor": [], "floor, same query": [], "naive": []}
        # Each query's median, with the number of hits: the p95 over all
        # runs does not show the query that is slowest for each.
        out()
        out(f"{'query':30} {'hits':>8} " + " ".join(f"{n[:12]:>12}" for n in rows))
        for text in QUERIES:
            medians = []
            for name, factory in (
                ("backend", ours),
                ("floor", floor),
                ("floor, same query", lambda text: floor(text, expanded=True)),
                ("naive", naive),
            ):
                timed(factory(text), options.warmup)
                times = timed(factory(text), options.requests)
                rows[name] += times
                medians.append(statistics.median(times))
            hits = backend.search(
                SearchRequest(text=text, query=parse_query(text), access=access)
            ).total
            out(
                f"{text:30} {hits:8,} "
                + " ".join(f"{median:9.1f} ms" for median in medians)
            )
        out()
        out(
            f"{len(QUERIES)} queries × {options.requests} runs, {options.documents:,} documents, {vendor}"
        )
        floors = {name: p95(rows[name]) for name in ("floor", "floor, same query")}
        out(
            f"{'':18} {'median ms':>10} {'p95 ms':>10} {'÷ floor':>8} "
            f"{'÷ same query':>13}"
        )
        for name, values in rows.items():
            out(
                f"{name:18} {statistics.median(values):10.1f} {p95(values):10.1f} "
                f"{p95(values) / floors['floor']:7.1f}× "
                f"{p95(values) / floors['floor, same query']:12.1f}×"
            )


if __name__ == "__main__":
    main()
