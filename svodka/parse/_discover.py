"""Find the feeds a web page advertises with ``<link rel="alternate" type="...">``."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

_KINDS = {
    "application/rss+xml": "rss",
    "application/atom+xml": "atom",
    "application/feed+json": "json",
    "application/json": "json",
}


@dataclass(slots=True, frozen=True)
class DiscoveredFeed:
    url: str  # absolute
    kind: str  # "rss", "atom" or "json"
    title: str = ""


class _LinkCollector(HTMLParser):
    def __init__(self, base_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base_url
        self.found: list[DiscoveredFeed] = []
        self._seen: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "base":
            href = dict(attrs).get("href")
            if href:
                self.base = urljoin(self.base, href.strip())
            return
        if tag != "link":
            return
        a = {k: (v or "") for k, v in attrs}
        rels = a.get("rel", "").lower().split()
        kind = _KINDS.get(a.get("type", "").split(";")[0].strip().lower())
        href = a.get("href", "").strip()
        if "alternate" not in rels or kind is None or not href:
            return
        try:
            url = urljoin(self.base, href)
        except ValueError:
            return
        if url.startswith(("http://", "https://")) and url not in self._seen:
            self._seen.add(url)
            self.found.append(DiscoveredFeed(url=url, kind=kind, title=a.get("title", "").strip()))

    handle_startendtag = handle_starttag


def discover_feeds(html: bytes | str, base_url: str) -> list[DiscoveredFeed]:
    """Feeds a page links to, as absolute URLs, de-duplicated, in document order."""
    if isinstance(html, bytes):
        from svodka.parse._decode import decode_body

        html = decode_body(html).text
    collector = _LinkCollector(base_url)
    collector.feed(html)
    collector.close()
    return collector.found
