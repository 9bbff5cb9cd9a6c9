"""The search stage: one interface, two engines.

- ``svodka.search._tantivy.TantivyIndex`` — the embedded index of the default install (an
  index folder beside the SQLite file), rebuilt from the database on demand and resumed
  after a crash from a watermark;
- ``svodka_site.news.search_pg.PostgresSearch`` — PostgreSQL full-text search (``russian`` /
  ``english`` / ``simple`` configurations, GIN) for the scale-out store.

Both implement :class:`SearchBackend` and are tested by one suite. The query language is
parsed once, here (``svodka.search.query``), and each engine translates the parsed query:

    митинг                 one word (morphology: митинги, митингов …)
    "пожар в Гомеле"       a phrase
    -погода                exclude a word
    Гомель OR Брест        either
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from svodka.errors import SvodkaError

MAX_QUERY_CHARS = 500  # longer queries are refused with a clear message (QueryError "too_long")
MAX_LIMIT = 100


class QueryError(SvodkaError):
    """The reader's query cannot be run; ``message`` says why in plain words (a 400, never a 500).

    Codes: ``empty``, ``too_long``, ``syntax``, ``no_terms`` (e.g. emoji only), ``bad_filter``.
    """

    code = "query"


class SearchUnavailable(SvodkaError):
    """The index is missing or being rebuilt (a 503 with Retry-After)."""

    code = "search_unavailable"


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """One article as the index sees it. ``place_ids`` include every ancestor (city → region
    → country) so a region filter finds its cities' news; ``section_ids`` likewise."""

    id: int
    title: str
    text: str  # plain text; the engine may keep only the first N characters
    lang: str  # ISO 639-1 (or "und")
    source_id: int
    published: datetime  # aware, UTC
    category: str = ""
    section_ids: tuple[int, ...] = ()
    place_ids: tuple[int, ...] = ()
    story_id: int | None = None
    source_name: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class SearchFilters:
    date_from: datetime | None = None  # inclusive
    date_to: datetime | None = None  # exclusive
    langs: tuple[str, ...] = ()
    source_ids: tuple[int, ...] = ()
    categories: tuple[str, ...] = ()
    section_ids: tuple[int, ...] = ()
    place_ids: tuple[int, ...] = ()  # any of them (a place matches its descendants via SearchDoc)


Sort = Literal["relevance", "time"]


@dataclass(frozen=True, slots=True)
class SearchRequest:
    q: str
    filters: SearchFilters = field(default_factory=SearchFilters)
    sort: Sort = "relevance"  # relevance has a freshness boost
    group_by_story: bool = False  # one hit per story, with ``more`` = the other matches
    offset: int = 0
    limit: int = 20


@dataclass(slots=True)
class Hit:
    id: int
    score: float
    title: str
    snippet_html: str  # escaped text with matches in <mark>…</mark>; safe to render
    published: datetime
    lang: str
    source_id: int
    story_id: int | None = None
    url: str = ""
    source_name: str = ""
    more: int = 0  # group_by_story: other matching articles of the same story


@dataclass(slots=True)
class SearchResults:
    total: int  # matching articles (or stories when grouped); may be a lower bound past 10,000
    hits: list[Hit]
    took_ms: float = 0.0
    terms: list[str] = field(default_factory=list)  # words the query looked for, for highlighting


class SearchBackend(Protocol):
    name: str

    def add(self, docs: Sequence[SearchDoc]) -> None:
        """Insert or replace (by id); visible to ``search`` after ``commit``."""

    def delete(self, ids: Iterable[int]) -> None: ...

    def commit(self, watermark: str | None = None) -> None:
        """Make changes visible; store ``watermark`` (the indexer's resume point) with them."""

    def watermark(self) -> str | None:
        """The watermark of the last commit (None for an empty or new index)."""

    def search(self, request: SearchRequest) -> SearchResults:
        """Raises QueryError for a query that cannot run, SearchUnavailable when not ready."""

    def count(self) -> int: ...

    def clear(self) -> None:
        """Drop everything (a rebuild starts here)."""

    def close(self) -> None: ...
