"""The search backends under test: the database backend always (PostgreSQL
or SQLite, whichever the run uses), and the search engine (a real OpenSearch
node, ``scripts/opensearch.sh``) when ``SEARCH_ENGINE_TEST_URL`` names it.
Under CI the engine must be there: a missing engine fails, it is not
skipped."""

import uuid

import pytest
from django.test import override_settings
from factories.search import engine_url

from search.backends.database import DatabaseBackend


def engine_backend():
    from search.backends.elasticsearch import EngineBackend

    base, _, _index = engine_url().rpartition("/")
    return EngineBackend(f"{base}/kommunect-test-{uuid.uuid4().hex[:8]}")


@pytest.fixture(params=["database", "engine"])
def backend(request, db):
    if request.param == "database":
        yield DatabaseBackend()
        return
    engine = engine_backend()
    with override_settings(SEARCH_ENGINE_REFRESH=True):
        engine.clear()
        yield engine
        engine.delete_index() if hasattr(engine, "delete_index") else None
