"""Real outlets' feeds (shared snapshots, used by path) and feedparser's fixtures as a smoke test."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from svodka.errors import ParseError
from svodka.parse import parse_feed
from tests.conftest import shared_path

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_lenta_ru() -> None:
    path = shared_path("benchmarks", "real_news_feeds", "lenta_ru_rss_2022-12-03.xml")
    feed = parse_feed(path.read_bytes(), url="https://lenta.ru/rss", content_type="text/xml", now=NOW)
    assert feed.kind == "rss20"
    assert feed.title == "Lenta.ru : Новости"
    assert feed.language == "ru"
    assert feed.self_url == "http://lenta.ru/rss"
    assert feed.warnings == []
    assert len(feed.entries) == 200
    first = feed.entries[0]
    assert first.title == "Стало известно о задержании бизнесмена Михаила Фридмана в Лондоне"
    assert first.url == first.guid == "https://lenta.ru/news/2022/12/03/freedman/"
    assert first.published == datetime(2022, 12, 3, 16, 43, tzinfo=UTC)  # 19:43 +0300
    assert first.image is not None and first.image.startswith("https://icdn.lenta.ru/")
    assert first.author
    assert all(e.published is not None and e.date_note is None for e in feed.entries)
    dates = [e.published for e in feed.entries if e.published]
    assert min(dates) == datetime(2022, 12, 2, 19, 45, tzinfo=UTC)
    assert max(dates) == datetime(2022, 12, 3, 16, 43, tzinfo=UTC)
    rubrics = Counter(t for e in feed.entries for t in e.tags)
    assert rubrics["Россия"] == 60
    assert rubrics["Мир"] == 56
    assert rubrics["Бывший СССР"] == 26
    assert sum(1 for e in feed.entries if "потолок" in e.title.lower()) >= 3
    assert len({e.guid for e in feed.entries}) == 198  # the outlet repeats two items


def test_bbc_world() -> None:
    path = shared_path("benchmarks", "real_news_feeds", "bbc_world_rss_2025-06-23.xml")
    feed = parse_feed(path.read_bytes(), url="https://feeds.bbci.co.uk/news/world/rss.xml", now=NOW)
    assert (feed.kind, feed.title, feed.language) == ("rss20", "BBC News", "en-gb")
    assert len(feed.entries) == 28
    first = feed.entries[0]
    assert first.title == "Israel says it struck Tehran's Evin prison and Fordo access routes"
    assert first.guid == "https://www.bbc.com/news/articles/cp8621gnknjo#0"  # kept as given
    assert first.url == "https://www.bbc.com/news/articles/cp8621gnknjo"
    assert first.image is not None and first.image.startswith("https://ichef.bbci.co.uk/")
    dates = [e.published for e in feed.entries]
    assert all(d is not None and d.tzinfo is UTC for d in dates)
    assert max(d for d in dates if d) == datetime(2025, 6, 23, 16, 44, 46, tzinfo=UTC)
    assert min(d for d in dates if d) == datetime(2025, 6, 22, 1, 31, 32, tzinfo=UTC)


def test_every_feedparser_fixture_parses_or_is_refused_in_plain_words() -> None:
    base = shared_path("benchmarks", "feedparser_fixtures")
    outcomes: Counter[str] = Counter()
    for path in sorted(base.rglob("*.xml")):
        try:
            feed = parse_feed(path.read_bytes(), url="http://127.0.0.1/f.xml", now=NOW)
        except ParseError as exc:
            assert exc.message and exc.message[0].islower(), path  # a sentence, not a class name
            outcomes[type(exc).__name__] += 1
            continue
        for e in feed.entries:
            assert e.guid, path
            for d in (e.published, e.updated):
                assert d is None or d.tzinfo is UTC, path
        outcomes["ok"] += 1
    assert outcomes["ok"] > 800
    assert outcomes["UnsafeXML"] == 2  # the two fixtures whose DOCTYPE declares entities
