"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1)."""

from __future__ import annotations

import html
import json
from datetime import datetime
from typing import Any

from svodka.errors import MalformedFeed, NotAFeed
from svodka.parse._common import absolute, fallback_guid, looks_like_image, set_dates
from svodka.types import ParsedEntry, ParsedFeed


def _str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _author(obj: dict[str, Any]) -> str:
    authors = obj.get("authors")
    if isinstance(authors, list):
        for a in authors:
            if isinstance(a, dict) and _str(a.get("name")):
                return _str(a.get("name"))
    author = obj.get("author")
    if isinstance(author, dict):
        return _str(author.get("name"))
    return ""


def read_json_feed(text: str, url: str, now: datetime) -> ParsedFeed:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise MalformedFeed(f"the feed looks like JSON but cannot be read as JSON ({exc})") from exc
    if not isinstance(data, dict) or not _str(data.get("version")).startswith(
        "https://jsonfeed.org/version/"
    ):
        raise NotAFeed("the server sent JSON, but not a JSON Feed")
    version = _str(data["version"]).rstrip("/").rsplit("/", 1)[-1]
    feed = ParsedFeed(kind="jsonfeed11" if version == "1.1" else "jsonfeed10")
    warnings = feed.warnings
    base = _str(data.get("feed_url")) or url
    base = absolute(base, url) or url
    feed.title = _str(data.get("title"))
    feed.link = absolute(_str(data.get("home_page_url")), base)
    feed.self_url = absolute(_str(data.get("feed_url")), url)
    feed.language = _str(data.get("language")) or None
    hubs = data.get("hubs")
    if isinstance(hubs, list):
        for hub in hubs:
            if isinstance(hub, dict) and _str(hub.get("url")):
                feed.hub = absolute(_str(hub.get("url")), base)
                break
    items = data.get("items")
    if not isinstance(items, list):
        warnings.append("the JSON Feed has no list of items")
        items = []
    skipped = 0
    for item in items:
        if not isinstance(item, dict):
            skipped += 1
            continue
        link = absolute(_str(item.get("url")) or _str(item.get("external_url")), base)
        title = _str(item.get("title"))
        content = _str(item.get("content_html"))
        if not content and _str(item.get("content_text")):
            content = "<p>" + html.escape(_str(item.get("content_text"))).replace("\n\n", "</p><p>") + "</p>"
        image = _str(item.get("image")) or _str(item.get("banner_image"))
        if not image:
            for att in item.get("attachments") or []:
                if isinstance(att, dict) and looks_like_image(
                    _str(att.get("url")), _str(att.get("mime_type"))
                ):
                    image = _str(att.get("url"))
                    break
        tags = item.get("tags")
        pub_raw = _str(item.get("date_published")) or None
        upd_raw = _str(item.get("date_modified")) or None
        entry = ParsedEntry(
            guid=_str(item.get("id")) or link or fallback_guid(title, pub_raw or upd_raw),
            url=link,
            title=title,
            summary_html=html.escape(_str(item.get("summary"))),
            content_html=content,
            author=_author(item) or _author(data),
            image=absolute(image, base) if image else None,
            tags=[_str(t) for t in tags if _str(t)] if isinstance(tags, list) else [],
            language=_str(item.get("language")) or None,
        )
        set_dates(entry, pub_raw, upd_raw, now)
        feed.entries.append(entry)
    if skipped:
        warnings.append(f"{skipped} item(s) of the JSON Feed were not objects and were skipped")
    return feed
