"""The article stage: turn a parsed feed entry into a storable record with exact-dedupe keys.

Exact dedupe rests on two keys: the canonical URL (tracking parameters and fragments
dropped, see ``svodka.urls``) across all feeds, and the GUID within one feed. Feed HTML is
sanitised here, before anything is stored.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from datetime import datetime

from svodka.sanitize import html_to_text, sanitize_html
from svodka.types import ParsedEntry
from svodka.urls import canonical_url

MAX_TITLE = 1000
MAX_HTML = 200_000


@dataclass(slots=True)
class EntryRecord:
    guid: str
    guid_key: str  # sha1 of guid: fixed-size unique index
    url: str | None  # canonical URL, None when the entry has no usable link
    entry_url: str  # the link as the feed gave it (absolute)
    title: str
    summary_html: str  # sanitised
    content_html: str  # sanitised
    text: str  # plain text; filled only when needed here (no title) — the understand stage derives it
    author: str
    image: str | None
    published: datetime | None
    date_note: str
    language: str | None
    content_hash: str  # changes when the entry's title or text changes

    def __reduce__(self) -> tuple[type[EntryRecord], tuple[object, ...]]:
        # Records cross from the parse process to the crawler by pickle: as one tuple each they
        # load several times faster than through the dataclass's per-field __setstate__.
        return (EntryRecord, tuple(getattr(self, name) for name in _RECORD_FIELDS))


_RECORD_FIELDS = tuple(f.name for f in fields(EntryRecord))


def _sha1(value: str) -> str:
    return hashlib.sha1(value.encode("utf-8", "surrogatepass")).hexdigest()


def prepare_entry(entry: ParsedEntry, *, feed_url: str) -> EntryRecord | None:
    """Normalise one entry; None when it has neither a link nor a title worth keeping."""
    url: str | None = None
    entry_url = entry.url or ""
    if entry.url:
        try:
            url = canonical_url(entry.url, feed_url)
        except ValueError:
            url = None
    summary = sanitize_html(entry.summary_html[:MAX_HTML], url or feed_url) if entry.summary_html else ""
    content = sanitize_html(entry.content_html[:MAX_HTML], url or feed_url) if entry.content_html else ""
    title = entry.title or ""
    if "<" in title or "&" in title:  # else html_to_text only changes whitespace, which split() drops
        title = html_to_text(title)
    title = " ".join(title.split())[:MAX_TITLE]
    # Plain text is derived later (understand stage) from the stored HTML: on the ingest path it
    # cost a third of preparing an entry.
    text = "" if title else html_to_text(content or summary)
    if not title:
        title = text[:140].rsplit(" ", 1)[0] if text else ""
    if not title and not url:
        return None
    guid = entry.guid or url or _sha1(f"{title}|{entry.published}")
    image = None
    if entry.image:
        try:
            image = canonical_url(entry.image, feed_url)
        except ValueError:
            image = None
    return EntryRecord(
        guid=guid,
        guid_key=_sha1(guid),
        url=url,
        entry_url=entry_url,
        title=title or url or "",
        summary_html=summary,
        content_html=content,
        text=text,
        author=(entry.author or "")[:300],
        image=image,
        published=entry.published or entry.updated,
        date_note=(entry.date_note or "")[:300],
        language=entry.language,
        content_hash=_sha1(f"{title}\n{content or summary}"),
    )
