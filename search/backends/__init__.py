"""The search backend chosen by ``SEARCH_URL``.

- ``database`` (the default): PostgreSQL full-text search, or SQLite FTS5 in
  the embedded default (``search.backends.database``);
- ``elasticsearch://host:9200/<index>`` or ``elasticsearchs://…`` (TLS):
  Elasticsearch 8 through the ``elasticsearch`` client;
- ``opensearch://host:9200/<index>`` or ``opensearchs://…``: OpenSearch 2
  through ``opensearch-py`` (``search.backends.elasticsearch``).

If an engine cannot be reached, ``search`` answers from the database backend
and says so (``SearchResult.notice``); see ``FallbackBackend``.
"""

from __future__ import annotations

import logging
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from .base import SearchBackend

logger = logging.getLogger(__name__)

# http(s)://host:9200 (no index in the path) is Elasticsearch with the
# index "kommunect".
ENGINE_SCHEMES = (
    "elasticsearch",
    "elasticsearchs",
    "opensearch",
    "opensearchs",
    "http",
    "https",
)


def backend_for(url: str) -> SearchBackend:
    """A backend for ``url`` (a new object each call; see ``get_backend``)."""
    url = (url or "database").strip()
    if url == "database":
        from .database import DatabaseBackend

        return DatabaseBackend()
    scheme = urlsplit(url).scheme
    if scheme in ENGINE_SCHEMES:
        from .elasticsearch import EngineBackend

        return FallbackBackend(EngineBackend(url))
    raise ValueError(f"SEARCH_URL: unknown search backend {url!r}")


@cache
def _backend(url: str) -> SearchBackend:
    return backend_for(url)


def get_backend() -> SearchBackend:
    """The configured backend (one per process and ``SEARCH_URL``)."""
    return _backend(getattr(settings, "SEARCH_URL", "database"))


class FallbackBackend(SearchBackend):
    """An engine that, when it cannot be reached, lets the database backend
    answer searches (with a notice) instead of failing. Writes go to the
    engine only: the database backend keeps its own entries anyway (see
    ``search.indexing``), so it can answer at once."""

    def __init__(self, engine: SearchBackend):
        from .database import DatabaseBackend

        self.engine = engine
        self.database = DatabaseBackend()
        self.name = engine.name

    def index(self, documents):
        return self.engine.index(documents)

    def remove(self, keys):
        return self.engine.remove(keys)

    def clear(self):
        return self.engine.clear()

    def count(self):
        return self.engine.count()

    def check(self):
        return self.engine.check()

    def search(self, request):
        try:
            return self.engine.search(request)
        except Exception:
            logger.warning(
                "search engine unreachable, the database answers", exc_info=True
            )
            result = self.database.search(request)
            # The database's own notice (it took too long) explains more.
            result.notice = result.notice or _(
                "Die Suchmaschine ist gerade nicht erreichbar. Die Ergebnisse "
                "kommen aus der einfachen Datenbanksuche und können weniger "
                "genau sein."
            )
            return result

    def count_matches(self, requests, limit):
        try:
            return self.engine.count_matches(requests, limit)
        except Exception:
            logger.warning("search engine unreachable for a count", exc_info=True)
            return self.database.count_matches(requests, limit)

    def suggest(self, text, access, limit=5):
        try:
            return self.engine.suggest(text, access, limit)
        except Exception:
            logger.warning("search engine unreachable for suggestions", exc_info=True)
            return self.database.suggest(text, access, limit)
