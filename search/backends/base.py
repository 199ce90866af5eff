"""The search backend interface: what every engine offers.

``SEARCH_URL`` chooses the engine (``search.backends.get_backend``); callers
only ever see this interface. A document (``SearchDocument``) is what one
thing (a thread, a post, a wiki page, a chat message, a document, a
community, a member) looks like to search; a ``SearchRequest`` is a query
with the reader's ``Access``, filters, sort and page; a ``SearchResult``
holds the page of hits, the exact count and the facets.

Permission filtering is part of every query: a document carries the
community (and, for direct messages, the room) it belongs to and its
``audience``; ``Access`` lists what the reader may read, from
``communities.permissions.search_access``. Counts, facets and pages are
therefore right; nothing is filtered after the engine answered.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from ..analysis import Query

# Kinds of documents, as the API names them (``type``).
KINDS = ("thread", "post", "wiki", "message", "document", "community", "member")

# Relevance of a kind's documents against the others (1 if not named): a
# profile that names a topic (in its expertise, on a few lines) comes after
# the texts about it; people are found by name in the header's suggestions.
KIND_WEIGHTS = {"member": 0.5}

# Who may read a document:
AUDIENCE_READERS = "readers"  # whoever may read the community
AUDIENCE_PARTICIPANTS = "participants"  # its members (community chat rooms)
AUDIENCE_DIRECT = "direct"  # the people of a direct conversation (``room_id``)
AUDIENCE_SIGNED_IN = "signed_in"  # every signed-in person (member profiles)

# Time ranges of the date facet: key → days back (None: older).
TIME_RANGES = (("week", 7), ("month", 31), ("year", 365), ("older", None))

SORTS = ("relevance", "date")
PAGE_SIZE = 20
MAX_PAGE = 500  # deeper pages are refused with a message


@dataclass
class SearchDocument:
    key: str  # "<kind>:<id>", unique
    kind: str
    title: str
    body: str  # plain text
    url: str
    date: datetime
    audience: str
    community_id: int | None = None
    room_id: int | None = None
    # Posts of a thread are grouped under it: "thread:<id>"; else the key.
    group: str = ""
    # A reply shows its thread's title but is found by its own text only.
    title_searchable: bool = True
    tags: list[str] = field(default_factory=list)
    author_id: int | None = None
    author_name: str = ""
    organisation_id: int | None = None
    organisation_name: str = ""

    def __post_init__(self):
        if not self.group:
            self.group = self.key


@dataclass(frozen=True)
class Access:
    """What a reader may find."""

    reader_communities: frozenset[int] = frozenset()
    participant_communities: frozenset[int] = frozenset()
    direct_rooms: frozenset[int] = frozenset()
    signed_in: bool = False


@dataclass
class Filters:
    communities: list[int] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    organisations: list[int] = field(default_factory=list)
    authors: list[int] = field(default_factory=list)
    date_from: datetime | None = None
    date_to: datetime | None = None  # exclusive


@dataclass
class SearchRequest:
    text: str
    query: Query
    access: Access
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"
    page: int = 1
    page_size: int = PAGE_SIZE
    # "now" for the time ranges of the date facet (tests pin it).
    now: datetime | None = None

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


@dataclass
class SearchHit:
    key: str
    kind: str
    title: str
    url: str
    date: datetime
    community_id: int | None
    room_id: int | None
    author_name: str
    organisation_name: str
    tags: list[str]
    # HTML: the text escaped, matches in <mark>.
    highlight: str
    title_highlight: str
    score: float = 0.0
    # For a thread: how many of its posts matched.
    matches: int = 1
    # HTML: each of ``tags`` escaped, marked where it matches; the search
    # page's (``search.service``), the same for every backend.
    tags_highlight: list[str] = field(default_factory=list)


@dataclass
class FacetValue:
    value: str  # an id, a kind, a tag or a time range key
    count: int
    label: str = ""


@dataclass
class SearchResult:
    hits: list[SearchHit]
    total: int
    facets: dict[str, list[FacetValue]]
    suggestion: str = ""  # "Meinten Sie …?"
    notice: str = ""  # e.g. the engine was down and the database answered


class SearchBackend(ABC):
    """One search engine. ``index``, ``remove`` and ``search`` are the
    everyday calls; ``rebuild`` starts from nothing."""

    name = "base"

    @abstractmethod
    def index(self, documents: Iterable[SearchDocument]) -> int:
        """Add or replace documents (by key); returns how many."""

    @abstractmethod
    def remove(self, keys: Iterable[str]) -> None:
        """Remove documents by key; unknown keys are ignored."""

    @abstractmethod
    def search(self, request: SearchRequest) -> SearchResult:
        """The page of hits (grouped: a thread's posts are one hit), the
        exact count of hits, and the facets community, type, tag,
        organisation and time."""

    @abstractmethod
    def count_matches(
        self, requests: list[SearchRequest], limit: int
    ) -> list[int] | None:
        """For each request, how many documents (not hits) that the reader
        may see match its query and filters, counted up to ``limit``: how
        common a word is, or whether some words are found together, for a
        search that found nothing with all its words. None if counting took
        too long."""

    @abstractmethod
    def suggest(self, text: str, access: Access, limit: int = 5) -> list[SearchHit]:
        """Titles that begin with what is being typed (communities, pages,
        members), for the header's suggestions."""

    @abstractmethod
    def clear(self) -> None:
        """Remove every document (the first step of a rebuild)."""

    @abstractmethod
    def count(self) -> int:
        """How many documents the index holds."""

    @abstractmethod
    def check(self) -> None:
        """Raise if the engine cannot be reached."""
