"""The search-engine backend against a real OpenSearch node
(``scripts/opensearch.sh start``; ``SEARCH_ENGINE_TEST_URL`` names it).

What every backend does is specified in test_behaviour.py; this file covers
what only the engine has: its analysers, its exact counting over pages of
groups, its URLs and what happens when it is down. Without the engine the
tests are skipped on a developer's machine and fail under CI."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from factories.search import engine_url, search_document

from search.analysis import parse_query
from search.backends.base import (
    AUDIENCE_DIRECT,
    AUDIENCE_SIGNED_IN,
    Access,
    Filters,
    SearchRequest,
)

DEAD_URL = "opensearch://127.0.0.1:1/kommunect-test"
NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
TOWN, VILLAGE, SECRET = 1, 2, 3
READER = Access(
    reader_communities=frozenset({TOWN, VILLAGE}),
    direct_rooms=frozenset({70}),
    signed_in=True,
)
INSIDER = Access(
    reader_communities=frozenset({TOWN, VILLAGE, SECRET}),
    direct_rooms=frozenset({70}),
    signed_in=True,
)


def doc(key, title, body="", *, days=30, community=TOWN, **fields):
    return search_document(
        key, title, body, date=NOW - timedelta(days=days), community=community, **fields
    )


CORPUS = [
    doc(
        "thread:1",
        "Sanierung der Grundschule",
        "Die Gemeinde plant die Sanierung; der Gemeinderat entscheidet im Mai.",
        tags=["Schule", "Bau"],
        organisation_id=11,
        days=400,
    ),
    doc(
        "post:2",
        "Sanierung der Grundschule",
        "Auch die Turnhalle braucht ein neues Dach.",
        group="thread:1",
        title_searchable=False,
        tags=["Schule", "Bau"],
        organisation_id=12,
        days=390,
    ),
    doc(
        "post:3",
        "Sanierung der Grundschule",
        "Das Dach der Turnhalle ist undicht.",
        group="thread:1",
        title_searchable=False,
        tags=["Schule", "Bau"],
        organisation_id=11,
        days=380,
    ),
    doc(
        "wiki:4",
        "Leitfaden Klimafolgenanpassung",
        "Wie Kommunen Hitze und Starkregen begegnen: Grünflächen und Entsiegelung.",
        tags=["Klima"],
        days=3,
    ),
    doc(
        "thread:5",
        "Neue Kindertagesstätte am Markt",
        "Die Kindertagesstätte öffnet im Herbst mit vier Gruppen.",
        days=12,
    ),
    doc(
        "thread:6",
        "Winterdienst an der Hauptstraße",
        "Die Strasse wird ab fünf Uhr geräumt; Bürger melden Glätte online.",
        days=60,
        community=VILLAGE,
    ),
    doc(
        "thread:7",
        "Geheime Sanierung",
        "Interne Planung zur Sanierung des Rathauses.",
        community=SECRET,
        tags=["Bau"],
        days=2,
    ),
    doc(
        "message:8",
        "Unterhaltung",
        "Die Sanierung <script>alert('x')</script> läuft.",
        community=None,
        audience=AUDIENCE_DIRECT,
        room_id=70,
        days=1,
    ),
    doc(
        "member:9",
        "Berta Buerger",
        "Bauamt der Stadt",
        community=None,
        audience=AUDIENCE_SIGNED_IN,
        days=200,
    ),
]


def index_of_its_own(documents):
    """A backend on an index with a name of its own holding ``documents``;
    the index is deleted at the end."""
    from search.backends.elasticsearch import EngineBackend

    base = engine_url().rpartition("/")[0]
    backend = EngineBackend(
        f"{base}/kommunect-test-{uuid.uuid4().hex[:12]}", refresh=True
    )
    backend.clear()
    backend.index(documents)
    yield backend
    backend.delete_index()


@pytest.fixture(scope="session")
def engine():
    """One index for the session."""
    yield from index_of_its_own(CORPUS)


def search(engine, text, access=INSIDER, **options):
    filters = Filters(**options.pop("filters", {}))
    return engine.search(
        SearchRequest(
            text=text,
            query=parse_query(text),
            access=access,
            filters=filters,
            now=NOW,
            **options,
        )
    )


def keys(result):
    return [hit.key for hit in result.hits]


def groups(result):
    """The hits by their group: a post stands for thread 1."""
    return {"thread:1" if hit.kind == "post" else hit.key for hit in result.hits}


def facet(result, name):
    return {value.value: value.count for value in result.facets.get(name, [])}


# --- the analysers ---------------------------------------------------------------------


def test_german_analyser_gives_plural_and_singular_one_stem(engine):
    assert engine.analyze("Gemeinden") == engine.analyze("Gemeinde") == ["gemeind"]


def test_german_analyser_folds_sharp_s_and_umlaut_spellings(engine):
    assert engine.analyze("Straße") == engine.analyze("Strasse")
    assert engine.analyze("Bürger") == engine.analyze("Buerger")


def test_german_analyser_stems_like_the_database(engine):
    from search.analysis import stem

    assert engine.analyze("Kindertagesstätten") == [
        stem("kindertagesstätten").replace("ä", "a")
    ]


def test_compound_analyser_splits_klimafolgenanpassung_into_its_parts(engine):
    tokens = engine.analyze("Klimafolgenanpassung", "german_compounds")
    parts = engine.analyze("klima folgen anpassung")
    assert set(parts) <= set(tokens)


def test_synonym_analyser_knows_administrative_german(engine):
    assert set(engine.analyze("Kindertagesstätte")) <= set(
        engine.analyze("Kita", "german_synonyms")
    )


# --- matching ------------------------------------------------------------------------


def test_stemming_finds_other_forms(engine):
    assert groups(search(engine, "Gemeinden")) == {"thread:1"}
    assert "thread:1" in groups(search(engine, "Sanierungen"))


def test_a_phrase_needs_its_words_in_order(engine):
    assert keys(search(engine, '"Dach der Turnhalle"')) == ["post:3"]
    assert keys(search(engine, '"Turnhalle der Dach"')) == []


def test_excluded_words_must_not_occur(engine):
    # Per document: post 3 is left out, post 2 of the same thread stays.
    result = search(engine, "Dach -undicht")
    assert keys(result) == ["post:2"] and result.hits[0].matches == 1
    assert search(engine, "Sanierung -Grundschule").total == 2


def test_or_finds_either(engine):
    assert groups(search(engine, "Turnhalle OR Winterdienst")) == {
        "thread:1",
        "thread:6",
    }
    assert search(engine, "Turnhalle Winterdienst").total == 0


def test_synonyms_kita_finds_kindertagesstaette(engine):
    assert keys(search(engine, "Kita")) == ["thread:5"]


def test_compounds_are_found_by_parts_and_by_related_compounds(engine):
    assert keys(search(engine, "Klimaanpassung")) == ["wiki:4"]
    assert keys(search(engine, "Anpassung")) == ["wiki:4"]


def test_umlaut_spellings_and_sharp_s_in_queries(engine):
    assert keys(search(engine, "Strasse")) == ["thread:6"]
    assert set(keys(search(engine, "Bürger"))) == {"thread:6", "member:9"}


# --- permissions ------------------------------------------------------------------------


def test_a_community_outside_the_access_is_neither_found_nor_counted(engine):
    insider = search(engine, "Sanierung")
    reader = search(engine, "Sanierung", access=READER)
    assert "thread:7" in keys(insider) and "thread:7" not in keys(reader)
    assert reader.total == insider.total - 1
    assert str(SECRET) in facet(insider, "community")
    assert str(SECRET) not in facet(reader, "community")
    assert facet(reader, "tag")["Bau"] == facet(insider, "tag")["Bau"] - 1


def test_direct_messages_and_profiles_need_their_access(engine):
    anonymous = Access(reader_communities=frozenset({TOWN, VILLAGE}))
    assert "message:8" not in keys(search(engine, "Sanierung", access=anonymous))
    assert search(engine, "Berta", access=anonymous).total == 0
    assert keys(search(engine, "Berta", access=READER)) == ["member:9"]


def test_no_access_finds_nothing(engine):
    assert search(engine, "Sanierung", access=Access()).total == 0


# --- grouping, counts, facets, pages, order ------------------------------------------------


def test_posts_are_one_hit_under_their_thread(engine):
    result = search(engine, "Turnhalle")
    assert result.total == 1 and len(result.hits) == 1
    assert result.hits[0].key in {"post:2", "post:3"} and result.hits[0].matches == 2


def test_a_reply_shows_its_threads_title_but_is_not_found_by_it(engine):
    assert keys(search(engine, "Grundschule")) == ["thread:1"]
    assert search(engine, "Grundschule").hits[0].matches == 1
    reply = search(engine, "undicht").hits[0]
    assert reply.key == "post:3" and reply.title == "Sanierung der Grundschule"
    assert reply.title_highlight == "Sanierung der Grundschule"
    assert search(engine, "Turnhalle", filters={"tags": ["Schule"]}).total == 1


def test_facets_count_groups_exactly(engine):
    result = search(engine, "Sanierung")
    assert result.total == 3  # thread 1 (with its posts), thread 7, message 8
    assert facet(result, "type") == {"thread": 2, "message": 1}
    assert facet(result, "community") == {str(TOWN): 1, str(SECRET): 1}
    assert facet(result, "tag") == {"Schule": 1, "Bau": 2}
    assert facet(result, "organisation") == {"11": 1}
    replies = search(engine, "Dach")
    assert facet(replies, "organisation") == {"11": 1, "12": 1}
    assert facet(replies, "type") == {"post": 1}
    assert facet(result, "time") == {"week": 2, "month": 2, "year": 2, "older": 1}


def test_counting_over_many_pages_of_groups_is_exact(engine, monkeypatch):
    from search.backends import elasticsearch

    whole = search(engine, "Sanierung OR Bürger OR Kita")
    monkeypatch.setattr(elasticsearch, "COUNT_PAGE", 2)
    paged = search(engine, "Sanierung OR Bürger OR Kita")
    assert whole.total == paged.total == 6
    assert whole.facets == paged.facets
    assert [(hit.key, hit.matches) for hit in whole.hits] == [
        (hit.key, hit.matches) for hit in paged.hits
    ]


def protocol_threads():
    """Threads whose matching documents (the word "Protokoll") differ in
    organisation, type, tags and age: four groups of several matches (t1: the
    thread and two replies, t2: three replies, t3: the thread and a reply, t4:
    two replies), two of one (t5, t6) and three wiki pages."""
    documents = []
    for thread, (opening, replies, tags, days) in {
        "t1": (True, 2, ["Schule"], 3),
        "t2": (False, 3, ["Bau", "Schule"], 20),
        "t3": (True, 1, ["Bau"], 200),
        "t4": (False, 2, [], 500),
        "t5": (True, 0, ["Klima"], 40),
        "t6": (False, 1, ["Schule"], 2),
    }.items():
        body = "Das Protokoll der Sitzung." if opening else "Die Sitzung."
        documents.append(
            doc(f"thread:{thread}", f"Sitzung {thread}", body, tags=tags, days=days)
        )
        for number in range(replies):
            documents.append(
                doc(
                    f"post:{thread}{number}",
                    f"Sitzung {thread}",
                    "Das Protokoll folgt.",
                    group=f"thread:{thread}",
                    title_searchable=False,
                    tags=tags,
                    organisation_id=20 + number,
                    days=days + 400 * number,
                )
            )
    for number in range(3):
        documents.append(
            doc(f"wiki:p{number}", "Vorlage", "Ein Protokoll.", organisation_id=20)
        )
    return documents


@pytest.fixture(scope="module")
def threads():
    yield from index_of_its_own(protocol_threads())


def sent_requests(backend, monkeypatch) -> list:
    """The bodies that ``backend`` sends to the engine from now on."""
    sent = []
    ask = backend._search
    monkeypatch.setattr(
        backend,
        "_search",
        lambda body, **params: sent.append(body) or ask(body, **params),
    )
    return sent


def counts_by_script(body) -> bool:
    """Whether the request ``body`` has the engine count groups by script."""
    return "scripted_metric" in str(body if isinstance(body, dict) else body.to_dict())


@pytest.mark.parametrize(
    "limits",
    [
        {"SEVERAL_GROUPS": 1},  # four groups of several: more than one list
        {"SEVERAL_GROUPS": 2, "COUNT_PAGE": 2},
        {"FACET_VALUES": 1},  # more values of a facet than counted
        {"SEVERAL_GROUPS": 1, "FACET_VALUES": 1, "COUNT_PAGE": 2},
    ],
)
@pytest.mark.parametrize(
    "way",
    [
        "script",  # the engine counts every group in one pass
        # A script the engine does not compile: it answers 400 as where
        # scripts are turned off, and the groups are listed in parts and
        # their pairs counted.
        "refused",
        # More matching documents (15) than the script may keep: the same.
        "too many",
    ],
)
def test_counting_beyond_the_lists_counts_every_group_and_is_as_exact(
    threads, monkeypatch, caplog, limits, way
):
    from search.backends import elasticsearch

    whole = search(threads, "Protokoll")
    assert whole.total == 9
    assert facet(whole, "type") == {"thread": 3, "post": 5, "wiki": 3}
    assert facet(whole, "organisation") == {"20": 5 + 3, "21": 3, "22": 1}
    assert facet(whole, "tag") == {"Schule": 3, "Bau": 2, "Klima": 1}
    # t1 and t6 this week; t2 (its first reply) and the wiki pages this
    # month; t3 and t5 this year; t1, t2 (their later replies) and t4 older.
    assert facet(whole, "time") == {"week": 2, "month": 6, "year": 8, "older": 3}
    matches = {hit.key.rpartition(":")[2][:2]: hit.matches for hit in whole.hits}
    assert {matches[t] for t in ("t1", "t2")} == {3}
    assert (matches["t3"], matches["t4"], matches["t5"]) == (2, 2, 1)
    for name, value in limits.items():
        monkeypatch.setattr(elasticsearch, name, value)
    if way == "refused":
        monkeypatch.setattr(elasticsearch, "COUNT_GROUPS_MAP", "not Painless (")
    if way == "too many":
        monkeypatch.setattr(elasticsearch, "SCRIPT_DOCUMENTS", 14)
    sent = sent_requests(threads, monkeypatch)
    counted = search(threads, "Protokoll")
    assert counted.total == whole.total
    assert counted.facets == whole.facets
    assert [(hit.key, hit.matches) for hit in counted.hits] == [
        (hit.key, hit.matches) for hit in whole.hits
    ]
    scripted = [counts_by_script(body) for body in sent]
    if way == "script":  # its answer is used: nothing is asked after it
        assert scripted == [False, True]
    elif way == "refused":
        assert scripted.count(True) == 1 and len(sent) > 2
        assert "did not count groups with a script" in caplog.text
    else:
        assert not any(scripted) and len(sent) >= 2


def test_a_search_asks_once_and_again_only_for_groups_of_several(engine, monkeypatch):
    """Documents count groups where each group has one match: one request.
    A thread with several matching posts adds one for its pairs."""
    sent = sent_requests(engine, monkeypatch)
    single = search(engine, "Kindertagesstätte")
    assert (single.total, len(sent)) == (1, 1)
    sent.clear()
    several = search(engine, "Dach")  # two replies of thread 1
    [hit] = several.hits
    assert hit.key in {"post:2", "post:3"} and hit.matches == 2
    assert (several.total, len(sent)) == (1, 2)
    assert facet(several, "organisation") == {"11": 1, "12": 1}
    assert facet(several, "tag") == {"Schule": 1, "Bau": 1}


def test_counting_every_group_counts_what_the_reader_may_see(engine, monkeypatch):
    from search.backends import elasticsearch

    listed = {
        access: search(engine, "Sanierung OR Dach", access=access)
        for access in (READER, INSIDER)
    }
    assert str(SECRET) in facet(listed[INSIDER], "community")
    assert str(SECRET) not in facet(listed[READER], "community")
    monkeypatch.setattr(elasticsearch, "SEVERAL_GROUPS", 0)  # the script counts
    sent = sent_requests(engine, monkeypatch)
    for access, result in listed.items():
        sent.clear()
        counted = search(engine, "Sanierung OR Dach", access=access)
        assert counts_by_script(sent[-1]) and len(sent) == 2
        assert (counted.total, counted.facets) == (result.total, result.facets)
        assert [(hit.key, hit.matches) for hit in counted.hits] == [
            (hit.key, hit.matches) for hit in result.hits
        ]


def test_counting_every_group_puts_a_date_on_the_edge_where_the_filter_does(
    monkeypatch,
):
    """The engine keeps dates to the millisecond: a document exactly a week
    old, where "now" has a fraction of a millisecond, is in the week for the
    range filter and for the counting script alike."""
    from search.backends import elasticsearch

    edge = datetime(2026, 3, 1, 9, 0, 0, 999_999, tzinfo=UTC)
    documents = [
        search_document(
            "thread:e1", "Haushalt", "Der Haushaltsplan.", date=edge, community=TOWN
        ),
        search_document(
            "post:e2",
            "Haushalt",
            "Zum Haushaltsplan.",
            date=edge,
            community=TOWN,
            group="thread:e1",
            title_searchable=False,
        ),
    ]
    backend = index_of_its_own(documents)
    engine = next(backend)
    try:
        request = SearchRequest(
            text="Haushaltsplan",
            query=parse_query("Haushaltsplan"),
            access=INSIDER,
            now=edge + timedelta(days=7),
        )
        listed = engine.search(request)
        monkeypatch.setattr(elasticsearch, "SEVERAL_GROUPS", 0)  # the script
        sent = sent_requests(engine, monkeypatch)
        counted = engine.search(request)
        assert counts_by_script(sent[-1]) and len(sent) == 2
        assert facet(listed, "time")["week"] == 1
        assert counted.facets == listed.facets
    finally:
        next(backend, None)


def test_filters_narrow_hits_and_counts(engine):
    assert keys(search(engine, "Sanierung", filters={"communities": [SECRET]})) == [
        "thread:7"
    ]
    assert keys(search(engine, "Sanierung", filters={"kinds": ["message"]})) == [
        "message:8"
    ]
    assert keys(search(engine, "Dach", filters={"organisations": [12]})) == ["post:2"]
    tagged = search(engine, "Sanierung OR Dach", filters={"tags": ["Bau", "Schule"]})
    assert tagged.total == 1 and tagged.hits[0].matches == 3
    recent = search(engine, "Sanierung", filters={"date_from": NOW - timedelta(days=2)})
    assert set(keys(recent)) == {"thread:7", "message:8"}
    # date_to is exclusive: thread 7 is exactly two days old.
    before = search(engine, "Sanierung", filters={"date_to": NOW - timedelta(days=2)})
    assert before.total == 1 and groups(before) == {"thread:1"}


def test_pages_hold_each_group_once(engine):
    pages = [
        search(engine, "Sanierung OR Bürger", page=page, page_size=2)
        for page in (1, 2, 3)
    ]
    assert [page.total for page in pages] == [5, 5, 5]
    seen = [key for page in pages for key in keys(page)]
    assert len(seen) == len(set(seen)) == 5
    assert search(engine, "Sanierung", page=500, page_size=20).hits == []


def test_sort_by_date_puts_the_newest_group_first(engine):
    dated = keys(search(engine, "Sanierung OR Bürger", sort="date"))
    assert dated[:3] == ["message:8", "thread:7", "thread:6"]
    assert dated[-1] in {"thread:1", "post:2", "post:3"}


def test_title_matches_rank_above_body_matches(engine):
    assert keys(search(engine, "Sanierung"))[-1] == "message:8"


def test_highlights_mark_matches_and_escape_the_rest(engine):
    hit = search(engine, "Sanierung", filters={"kinds": ["message"]}).hits[0]
    assert "<mark>Sanierung</mark>" in hit.highlight
    assert "<script>" not in hit.highlight
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in hit.highlight
    assert hit.title_highlight == "Unterhaltung"
    thread = search(engine, "Grundschule").hits[0]
    assert "<mark>Grundschule</mark>" in thread.title_highlight


def test_a_body_without_a_match_shows_its_beginning(engine):
    hit = search(engine, "Berta").hits[0]
    assert hit.title_highlight == "<mark>Berta</mark> Buerger"
    assert hit.highlight == "Bauamt der Stadt"


def test_did_you_mean_only_suggests_what_the_reader_finds(engine):
    assert search(engine, "Turnhale").suggestion == "Turnhalle"
    assert search(engine, "Geheimo", access=READER).suggestion == ""


def test_suggestions_while_typing_are_permission_filtered(engine):
    assert [hit.key for hit in engine.suggest("Leit", INSIDER)] == ["wiki:4"]
    assert [hit.key for hit in engine.suggest("Ber", READER)] == ["member:9"]
    assert engine.suggest("Ber", Access(reader_communities=frozenset({TOWN}))) == []
    assert engine.suggest("Sanierung", INSIDER) == []  # threads are not suggested


# --- writing ---------------------------------------------------------------------------


def test_index_replaces_by_key_and_remove_ignores_unknown_keys(engine):
    count = engine.count()
    engine.index([doc("wiki:90", "Merkblatt Zisterne", "Regenwasser sammeln")])
    engine.index([doc("wiki:90", "Merkblatt Zisterne", "Regenwasser nutzen")])
    assert engine.count() == count + 1
    assert search(engine, "nutzen").total == 1 and search(engine, "sammeln").total == 0
    engine.remove(["wiki:90", "wiki:404"])
    assert engine.count() == count


def test_writes_refresh_only_when_asked(engine, settings):
    from search.backends.elasticsearch import EngineBackend

    lazy = EngineBackend(f"{engine_url().rpartition('/')[0]}/{engine.index_name}")
    assert lazy.index([]) == 0  # the index is there already: nothing to create
    settings.SEARCH_ENGINE_REFRESH = False
    assert lazy._refresh() is False
    settings.SEARCH_ENGINE_REFRESH = True
    assert lazy._refresh() is True


# --- URLs and a dead engine ----------------------------------------------------------------


def test_the_url_chooses_client_tls_and_index():
    from search.backends.elasticsearch import EngineBackend

    secure = EngineBackend("elasticsearchs://search:geheim@es.example:9243/kommunect")
    assert secure.name == "elasticsearch" and secure.index_name == "kommunect"
    assert EngineBackend("opensearch://127.0.0.1:9201/other").name == "opensearch"
    with pytest.raises(ValueError):
        EngineBackend("opensearch://127.0.0.1:9201/a/b")


def test_a_dead_engine_fails_its_check():
    from search.backends.elasticsearch import EngineBackend

    with pytest.raises(Exception):  # noqa: B017 – each client has its own error class
        EngineBackend(DEAD_URL).check()


@pytest.mark.django_db
def test_a_dead_engine_lets_the_database_answer_with_a_notice():
    from search.backends import FallbackBackend
    from search.backends.elasticsearch import EngineBackend

    backend = FallbackBackend(EngineBackend(DEAD_URL))
    result = backend.search(
        SearchRequest(text="Sanierung", query=parse_query("Sanierung"), access=READER)
    )
    assert result.notice
    assert result.total == 0 and result.hits == []
    assert backend.suggest("Ber", READER) == []


@pytest.mark.django_db
def test_a_dead_engine_lets_the_database_count():
    from search.backends import FallbackBackend
    from search.backends.elasticsearch import EngineBackend

    backend = FallbackBackend(EngineBackend(DEAD_URL))
    backend.database.index([doc("wiki:1", "Sanierung der Schule")])
    request = SearchRequest(
        text="Sanierung", query=parse_query("Sanierung"), access=READER
    )
    assert backend.count_matches([request], 10) == [1]
