"""Plain data passed between pipeline stages. No behaviour beyond trivial helpers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class FetchResult:
    """Outcome of one HTTP GET made by ``svodka.fetch``.

    ``error`` is None on success (2xx with body, or 304). On failure ``body`` is None and
    ``error_code``/``error`` say what happened in machine and plain words.
    """

    url: str  # the URL asked for
    final_url: str  # after redirects
    status: int  # HTTP status, 0 when no response arrived
    body: bytes | None = None  # decompressed body, capped
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-case names
    not_modified: bool = False  # 304 to a conditional GET
    etag: str | None = None
    last_modified: str | None = None
    retry_after: float | None = None  # seconds, from Retry-After on 429/503
    error_code: str | None = None  # svodka.errors code, e.g. "timeout", "too_large", "gone"
    error: str | None = None  # plain words for people
    elapsed: float = 0.0  # seconds
    redirects: int = 0

    @property
    def ok(self) -> bool:
        return self.error_code is None

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


@dataclass(slots=True)
class ParsedEntry:
    """One item of a feed, normalised. Text fields are raw (not yet sanitised)."""

    guid: str | None
    url: str | None  # absolute
    title: str = ""
    summary_html: str = ""  # description / summary, raw HTML as the feed gave it
    content_html: str = ""  # full content (content:encoded, atom:content), raw
    published: datetime | None = None  # aware, UTC
    updated: datetime | None = None  # aware, UTC
    author: str = ""
    image: str | None = None  # enclosure / media:content / media:thumbnail, absolute
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    date_note: str | None = None  # plain words when the date was adjusted (no zone, future, missing)


@dataclass(slots=True)
class ParsedFeed:
    kind: str  # rss090, rss091, rss092, rss093, rss094, rss20, rss10, atom03, atom10, jsonfeed10, jsonfeed11, sitemap
    title: str = ""
    link: str | None = None  # the site's home page
    language: str | None = None
    hub: str | None = None  # WebSub hub advertised (<link rel="hub">)
    self_url: str | None = None  # WebSub topic (<link rel="self">)
    entries: list[ParsedEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # plain words: recovered problems (bozo)


@dataclass(slots=True)
class ExtractedArticle:
    """What ``svodka.extract`` finds on an article page."""

    text: str  # plain text of the body, paragraphs separated by blank lines
    html: str = ""  # sanitised HTML of the body (safe to show)
    title: str = ""
    author: str = ""
    published: datetime | None = None  # aware UTC, from JSON-LD / meta (trafilatura keeps only the day)
    image: str | None = None  # lead image, absolute
    canonical_url: str | None = None  # from <link rel=canonical> / og:url, absolute
    language: str | None = None  # <html lang> or meta, if declared
    description: str = ""
    site_name: str = ""
