"""The crawler's feed processes: each claims, fetches, parses and stores its own feeds in the
same store (SQLite file or PostgreSQL), so every feed is fetched once, nothing is lost, hostile
outlets still end in a plain-words status, and a process that dies is replaced."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from svodka import crawl
from svodka.crawl import Crawler, CrawlStats
from svodka.simulator import SimConfig, SimulatorServer
from svodka_site.news.actions import import_opml
from svodka_site.news.models import Article, Feed, FeedStatus, FetchLog, Provenance
from svodka_site.news.storage import DjangoStorage, storage_opener
from tests.site.test_crawl_e2e import POLICY  # small limits: hostile outlets are cut off quickly

pytestmark = pytest.mark.django_db(transaction=True)

# hostile outlets whose feed is refused, with the reason's code (as in test_crawl_e2e)
REFUSED = {
    "xxe": "unsafe_xml",
    "entity_bomb": "unsafe_xml",
    "gzip_bomb": "too_large",
    "huge": "too_large",
    "redirect_loop": "redirects",
    "html_error": "not_a_feed",
}


@pytest.fixture(scope="module")
def sim() -> Iterator[SimulatorServer]:
    server = SimulatorServer(SimConfig(outlets=12, seed=11, speed=60.0, hostile=True, items_per_feed=20))
    server.start()
    yield server
    server.stop()


def _import(sim: SimulatorServer, tmp_path: Path) -> int:
    opml = tmp_path / "sim.opml"
    sim.write_opml(opml)
    return import_opml(opml.read_bytes()).feeds_created


def _crawler(ticks: Counter[str], n: int = 2) -> Crawler:
    factory = storage_opener(fetch_pages=False)
    assert factory is not None, "the test store must be shareable with other processes"
    return Crawler(
        DjangoStorage(fetch_pages=False),
        POLICY,
        worker="fp",
        fetch_pages=False,
        understand=False,
        progress=lambda kind, k: ticks.update({kind: k}),
        storage_factory=factory,
        feed_processes=n,
        batch=8,
    )


def _pids(crawler: Crawler) -> list[int]:
    asyncio.run(crawler._feed_processes_ready())
    return sorted(crawler.feed_process_pids())


def test_every_feed_once_and_hostile_feeds_explained(sim: SimulatorServer, tmp_path: Path) -> None:
    feeds = _import(sim, tmp_path)
    ticks: Counter[str] = Counter()
    crawler = _crawler(ticks)
    try:
        stats: CrawlStats = asyncio.run(crawler.run_once())
    finally:
        crawler.close()
    assert stats.feeds == feeds == ticks["feeds"]
    logs = list(FetchLog.objects.values_list("feed_id", "worker"))
    assert len(logs) == feeds and len({f for f, _ in logs}) == feeds, "a feed was fetched twice or never"
    workers = {w for _, w in logs}
    # stored by the feed processes ("fp/<pid>"), never by the crawler's own process
    assert workers and all(w.startswith("fp/") and w[3:].isdigit() for w in workers)
    assert stats.new == Article.objects.count() > 0
    assert Provenance.objects.count() >= stats.new
    refused = 0
    for o in sim.outlets:
        feed = Feed.objects.get(url__startswith=o.origin)
        if o.hostile in REFUSED:
            refused += 1
            assert feed.status == FeedStatus.ERROR and feed.error_code == REFUSED[o.hostile], (
                o.hostile,
                feed.error_code,
            )
            assert len(feed.error) > 15 and "Traceback" not in feed.error, (o.hostile, feed.error)
        elif not o.hostile:
            assert feed.status == FeedStatus.OK and feed.items_total > 0, (o.slug, feed.error)
    assert refused >= 3
    assert not Article.objects.filter(text__contains="root:x:0:0").exists()  # XXE read nothing


def test_a_killed_feed_process_is_replaced(sim: SimulatorServer, tmp_path: Path) -> None:
    feeds = _import(sim, tmp_path)
    ticks: Counter[str] = Counter()
    crawler = _crawler(ticks)
    try:
        pids = _pids(crawler)
        assert len(pids) == 2
        os.kill(pids[0], signal.SIGKILL)
        time.sleep(0.5)  # the pool notices the death and marks itself broken
        stats = asyncio.run(crawler.run_once())
        assert stats.feeds == feeds
        assert FetchLog.objects.count() == feeds
        new_pids = _pids(crawler)
        assert pids[0] not in new_pids and len(new_pids) == 2
    finally:
        crawler.close()


def test_no_feed_processes_without_a_shareable_store() -> None:
    with pytest.raises(ValueError, match="storage_factory"):
        Crawler(DjangoStorage(), POLICY, feed_processes=2)


@pytest.mark.parametrize(("raw", "expected"), [("0", 0), ("3", 3)])
def test_feed_processes_setting(monkeypatch: pytest.MonkeyPatch, raw: str, expected: int) -> None:
    monkeypatch.setenv("SVODKA_FEED_PROCESSES", raw)
    assert crawl.default_feed_processes() == expected


@pytest.mark.parametrize("raw", ["two", "-1"])
def test_feed_processes_setting_rejects_nonsense(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("SVODKA_FEED_PROCESSES", raw)
    with pytest.raises(ValueError, match="SVODKA_FEED_PROCESSES"):
        crawl.default_feed_processes()
