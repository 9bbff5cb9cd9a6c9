"""Small helpers shared by the format readers."""

from __future__ import annotations

import hashlib
from datetime import datetime
from urllib.parse import urljoin

from svodka.parse._dates import parse_date
from svodka.types import ParsedEntry

_IMAGE_EXT = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg", ".bmp")


def absolute(link: str | None, base: str | None) -> str | None:
    if not link:
        return None
    link = link.strip()
    if not link:
        return None
    if link.startswith(("http://", "https://")) or not base:
        return link
    try:
        return urljoin(base, link)
    except ValueError:
        return link


def looks_like_image(url: str, mime: str | None) -> bool:
    if mime:
        return mime.strip().lower().startswith("image/")
    path = url.split("?", 1)[0].split("#", 1)[0].lower()
    return path.endswith(_IMAGE_EXT)


def fallback_guid(title: str, date_raw: str | None) -> str:
    digest = hashlib.sha1(f"{title}\n{date_raw or ''}".encode(), usedforsecurity=False).hexdigest()
    return f"sha1:{digest}"


def set_dates(entry: ParsedEntry, published_raw: str | None, updated_raw: str | None, now: datetime) -> None:
    pub, note_p = parse_date(published_raw, now)
    upd, note_u = parse_date(updated_raw, now)
    entry.published = pub
    entry.updated = upd
    if note_p and note_u and note_p != note_u:
        entry.date_note = f"{note_p}; updated: {note_u}"
    else:
        entry.date_note = note_p or note_u
