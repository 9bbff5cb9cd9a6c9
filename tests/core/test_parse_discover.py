"""Feed discovery in HTML pages."""

from __future__ import annotations

from svodka.parse import DiscoveredFeed, discover_feeds

PAGE = """<!doctype html><html><head>
<title>Site</title>
<link rel="stylesheet" href="/s.css">
<link rel="alternate" type="application/rss+xml" title="Все новости" href="/rss/news">
<LINK REL="Alternate" TYPE="application/atom+xml" href="https://example.com/atom.xml" title="Atom">
<link rel="alternate" type="application/feed+json" href="feed.json">
<link rel="alternate" type="application/json" href="/wp-json/">
<link rel="alternate" hreflang="en" href="/en/">
<link rel="alternate" type="application/rss+xml" href="https://example.com/rss/news">
<link rel="alternate feed" type="application/rss+xml; charset=utf-8" href="//cdn.example.net/r.xml">
<link rel="alternate" type="application/rss+xml" href="">
</head><body><a href="/rss/other" type="application/rss+xml" rel="alternate">not a link tag</a></body></html>"""


def test_discover_feeds_in_document_order_absolute_and_deduplicated() -> None:
    found = discover_feeds(PAGE, "https://example.com/section/page.html")
    assert found == [
        DiscoveredFeed("https://example.com/rss/news", "rss", "Все новости"),
        DiscoveredFeed("https://example.com/atom.xml", "atom", "Atom"),
        DiscoveredFeed("https://example.com/section/feed.json", "json", ""),
        DiscoveredFeed("https://example.com/wp-json/", "json", ""),
        DiscoveredFeed("https://cdn.example.net/r.xml", "rss", ""),
    ]


def test_discover_honours_base_href_and_bytes_input() -> None:
    html = '<html><head><base href="https://mirror.example.org/x/"><link rel="alternate" type="application/atom+xml" href="a.xml"></head></html>'
    assert discover_feeds(html.encode("utf-8"), "https://example.com/") == [
        DiscoveredFeed("https://mirror.example.org/x/a.xml", "atom", "")
    ]


def test_discover_nothing() -> None:
    assert discover_feeds(b"", "https://example.com/") == []
    assert discover_feeds("<p>no head at all", "https://example.com/") == []
