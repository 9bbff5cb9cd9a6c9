"""OPML import and export."""

from __future__ import annotations

from collections import Counter

import pytest

from svodka.errors import MalformedFeed, NotAFeed, UnsafeXML
from svodka.opml import OpmlFeed, parse_opml, write_opml
from tests.conftest import shared_path

NESTED = b"""<?xml version="1.0" encoding="utf-8"?>
<opml version="2.0"><head><title>Mine</title></head><body>
  <outline text="News">
    <outline text="Russia">
      <outline text="Lenta" xmlUrl="https://lenta.ru/rss" htmlUrl="https://lenta.ru/" language="ru" country="RU" topic="general"/>
    </outline>
    <outline title="BBC" text="BBC World" type="rss" xmlUrl="https://feeds.bbci.co.uk/news/world/rss.xml"/>
  </outline>
  <outline text="Loose" xmlUrl="https://example.com/feed"/>
  <outline text="Empty folder"/>
</body></opml>"""


def test_nested_outlines() -> None:
    feeds = parse_opml(NESTED)
    assert feeds == [
        OpmlFeed(
            xml_url="https://lenta.ru/rss",
            html_url="https://lenta.ru/",
            title="Lenta",
            language="ru",
            country="RU",
            category="Russia",
            extra={"topic": "general"},
        ),
        OpmlFeed(xml_url="https://feeds.bbci.co.uk/news/world/rss.xml", title="BBC", category="News"),
        OpmlFeed(xml_url="https://example.com/feed", title="Loose", category=None),
    ]


def test_round_trip() -> None:
    feeds = parse_opml(NESTED)
    out = write_opml(feeds, "Export")
    assert out.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert b'<opml version="2.0">' in out and b"<title>Export</title>" in out
    assert parse_opml(out) == feeds


def test_shared_source_list() -> None:
    data = shared_path("sources", "feeds.opml").read_bytes()
    feeds = parse_opml(data)
    assert len(feeds) == 198
    assert Counter(f.language for f in feeds) == {"ru": 122, "en": 48, "uk": 25, "be": 3}
    assert Counter(f.country for f in feeds)["RU"] == 108
    lenta = next(f for f in feeds if f.xml_url == "https://lenta.ru/rss/news")
    assert lenta.title == "Лента.ру"
    assert lenta.category == "Россия — федеральные и общероссийские"
    assert lenta.extra["topic"] == "general"
    assert all(f.category for f in feeds)
    assert parse_opml(write_opml(feeds, "svodka")) == feeds


def test_refuses_entities_and_non_opml() -> None:
    evil = b'<!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]><opml><body><outline text="&x;" xmlUrl="u"/></body></opml>'
    with pytest.raises(UnsafeXML):
        parse_opml(evil)
    with pytest.raises(NotAFeed):
        parse_opml(b"<rss/>")
    with pytest.raises(MalformedFeed):
        parse_opml(b"<opml><body>")
    with pytest.raises(MalformedFeed):
        parse_opml(b"")
