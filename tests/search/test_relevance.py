"""The relevance suite (relevance.yaml): judged German queries against every
backend. A query passes when each document it must find is in the first
five hits and none it must never find is found at all."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from search.analysis import parse_query
from search.backends.base import (
    AUDIENCE_READERS,
    Access,
    SearchDocument,
    SearchRequest,
)

SUITE = yaml.safe_load((Path(__file__).parent / "relevance.yaml").read_text("utf-8"))
NOW = datetime(2026, 11, 1, tzinfo=UTC)
READER = Access(reader_communities=frozenset({1}))


def documents():
    for number, item in enumerate(SUITE["documents"]):
        kind = item["key"].split(":")[0]
        yield SearchDocument(
            key=item["key"],
            kind=kind,
            title=item["title"],
            body=item["body"],
            url=f"/{item['key']}/",
            date=NOW - timedelta(days=number),
            audience=AUDIENCE_READERS,
            community_id=1,
            tags=item.get("tags", []),
        )


def test_the_suite_is_big_enough():
    assert len(SUITE["queries"]) >= 30
    known = {item["key"] for item in SUITE["documents"]}
    for judged in SUITE["queries"]:
        assert set(judged.get("top", [])) | set(judged.get("never", [])) <= known


@pytest.fixture
def indexed(backend):
    backend.index(documents())
    return backend


def test_relevance(indexed):
    failures = []
    for judged in SUITE["queries"]:
        result = indexed.search(
            SearchRequest(
                text=judged["q"],
                query=parse_query(judged["q"]),
                access=READER,
                page_size=50,
                now=NOW,
            )
        )
        found = [hit.key for hit in result.hits]
        missing = [key for key in judged.get("top", []) if key not in found[:5]]
        unwanted = [key for key in judged.get("never", []) if key in found]
        if missing or unwanted:
            failures.append(
                f"{judged['q']!r}: not in the top 5: {missing}, found though "
                f"never: {unwanted}; got {found[:5]}"
            )
    assert not failures, "\n".join(failures)
