"""Search documents for the tests of the search backends, and the search
engine under test (``SEARCH_ENGINE_TEST_URL``, a node that
``scripts/opensearch.sh start`` runs)."""

import os

import pytest

from search.backends.base import AUDIENCE_READERS, SearchDocument


def search_document(key, title, body="", *, date, community, **fields):
    """A document ``key`` ("<kind>:<id>"), readable by the readers of
    ``community`` unless ``audience`` says otherwise."""
    kind, _, number = key.partition(":")
    fields.setdefault("audience", AUDIENCE_READERS)
    return SearchDocument(
        key=key,
        kind=kind,
        title=title,
        body=body,
        url=f"/{kind}/{number}/",
        date=date,
        community_id=community,
        **fields,
    )


def engine_url() -> str:
    """The engine's URL; without one the test is skipped, under CI it fails
    (CI starts the engine: a missing one is an error, not a skip)."""
    url = os.environ.get("SEARCH_ENGINE_TEST_URL", "")
    if not url:
        if os.environ.get("CI"):
            pytest.fail(
                "SEARCH_ENGINE_TEST_URL is not set: the search engine did not start"
            )
        pytest.skip("no search engine: run scripts/opensearch.sh start")
    return url
