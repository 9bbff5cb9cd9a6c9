"""The crawler's feed processes: each claims, fetches, parses and stores its own feeds in the
same store (SQLite file or PostgreSQL), so every feed is fetched once, nothing is lost, hostile
outlets still end in a plain-words status, and a process that dies is replaced."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.utils import timezone

from svodka import crawl
from svodka.crawl import Crawler, CrawlStats
from svodka.simulator import SimConfig, SimulatorServer
from svodka_site.news.actions import import_opml
from svodka_site.news.models import Article, Feed, FeedStatus, FetchLog, Provenance, Source
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
    assert stats.cpu_s > 0  # the feed processes' CPU time is counted
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


def test_feed_processes_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SVODKA_FEED_PROCESSES", "3")
    assert crawl.default_feed_processes() == 3
    monkeypatch.setenv("SVODKA_FEED_PROCESSES", "-1")
    with pytest.raises(ValueError, match="SVODKA_FEED_PROCESSES"):
        crawl.default_feed_processes()


class _FeedServer(BaseHTTPRequestHandler):
    def send_rss(self, body: bytes) -> None:
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the client gave up
            pass

    def log_message(self, *args: object) -> None:
        pass


class _SlowFeeds(_FeedServer):
    """/slow.xml answers the first time after 20 s (the test kills the process waiting for it),
    then at once, like every other feed."""

    def do_GET(self) -> None:
        if self.path == "/slow.xml" and not self.server.slow_started.is_set():  # type: ignore[attr-defined]
            self.server.slow_started.set()  # type: ignore[attr-defined]
            time.sleep(20)
        n = self.path.strip("/").removesuffix(".xml")
        body = (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>{n}</title><link>http://f.test/</link>'
            f"<item><title>News {n}</title><link>http://f.test/{n}</link><guid>{n}</guid></item>"
            "</channel></rss>"
        ).encode()
        self.send_rss(body)


def test_a_feed_process_killed_mid_pass_loses_nothing() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlowFeeds)
    server.daemon_threads = True
    server.slow_started = threading.Event()  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    src = Source.objects.create(name="Local", slug="local")
    for name in ("slow", "a", "b", "c"):
        Feed.objects.create(source=src, url=f"http://127.0.0.1:{port}/{name}.xml")
    quick = replace(POLICY, total_timeout=30, read_timeout=30)
    factory = storage_opener(fetch_pages=False)
    crawler = Crawler(
        DjangoStorage(fetch_pages=False),
        quick,
        worker="fp",
        fetch_pages=False,
        understand=False,
        storage_factory=factory,
        feed_processes=2,
        lease_s=2,
    )
    try:
        pids = _pids(crawler)

        def kill_the_waiting_one() -> None:
            assert server.slow_started.wait(30)  # type: ignore[attr-defined]
            time.sleep(0.5)
            for pid in pids:  # the pool ends every pass when one process dies: kill one
                os.kill(pid, signal.SIGKILL)
                break

        killer = threading.Thread(target=kill_the_waiting_one)
        killer.start()
        t0 = time.monotonic()
        asyncio.run(crawler.run_once())  # returns once the pool notices, not after 20 s
        killer.join()
        assert time.monotonic() - t0 < 15
        new_pids = _pids(crawler)
        assert len(new_pids) == 2 and not set(new_pids) & set(pids), "the feed processes were not replaced"
        # the claims of the passes that ended lapse (lease 2 s); the next crawl fetches what is left
        time.sleep(2.5)
        Feed.objects.update(next_fetch_at=timezone.now())
        again = asyncio.run(crawler.run_once())
        assert again.feeds >= 1
    finally:
        crawler.close()
        server.shutdown()
        server.server_close()
    fetched = set(FetchLog.objects.values_list("feed__url", flat=True))
    assert {f"http://127.0.0.1:{port}/{n}.xml" for n in ("a", "b", "c", "slow")} <= fetched
    assert Article.objects.filter(url__startswith="http://f.test/").count() == 4


def test_a_cancelled_pass_does_not_stop_the_next(sim: SimulatorServer, tmp_path: Path) -> None:
    """Stopping one pass (a cancelled ``run_once``) winds only that pass down; progress counts
    each pass's own feeds."""
    feeds = _import(sim, tmp_path)
    ticks: Counter[str] = Counter()
    crawler = _crawler(ticks)
    try:
        asyncio.run(crawler._feed_processes_ready())

        async def cut_short() -> None:
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(crawler.run_once(), timeout=0.05)

        asyncio.run(cut_short())
        time.sleep(crawl.STOP_GRACE_S + 1)  # the cut pass winds down; its claims stay leased
        Feed.objects.update(next_fetch_at=timezone.now(), claimed_until=None)
        ticks.clear()
        stats = asyncio.run(crawler.run_once())
        assert stats.feeds == feeds == ticks["feeds"]
        ticks.clear()
        Feed.objects.update(next_fetch_at=timezone.now())
        again = asyncio.run(crawler.run_once())
        assert again.feeds == feeds == ticks["feeds"], "progress counted an earlier pass's feeds"
    finally:
        crawler.close()


def test_feed_processes_keep_working_while_another_writer_holds_the_store(
    sim: SimulatorServer, tmp_path: Path
) -> None:
    """On SQLite a feed process saves only while the write lock is free. Another writer takes the
    lock once the first feed is done and holds it 1.5 s: the saves step aside (no error, nothing
    lost), and the pass ends once the lock is free, with every feed stored."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("one writer at a time is SQLite's rule")
    import sqlite3

    feeds = _import(sim, tmp_path)
    ticks: Counter[str] = Counter()
    crawler = _crawler(ticks)
    other = sqlite3.connect(
        connection.settings_dict["NAME"], isolation_level=None, check_same_thread=False, timeout=30
    )
    seen: dict[str, float] = {}

    def hold_the_lock() -> None:
        deadline = time.monotonic() + 30
        while crawler._ticks.value < 1 and time.monotonic() < deadline:
            time.sleep(0.001)
        other.execute("BEGIN IMMEDIATE")
        seen["locked"] = time.monotonic()
        seen["done_at_lock"] = crawler._ticks.value
        time.sleep(1.5)
        seen["done_at_release"] = crawler._ticks.value
        seen["released"] = time.monotonic()
        other.execute("ROLLBACK")

    try:
        asyncio.run(crawler._feed_processes_ready())
        holder = threading.Thread(target=hold_the_lock)
        holder.start()
        stats = asyncio.run(crawler.run_once())
        ended = time.monotonic()
        holder.join()
    finally:
        crawler.close()
        other.close()
    assert seen["done_at_release"] >= seen["done_at_lock"] >= 1
    assert ended >= seen["released"], "a pass ended with feeds it could not have stored"
    assert stats.feeds == feeds == FetchLog.objects.count()
    assert stats.new == Article.objects.count() > 0
    assert Feed.objects.filter(last_attempt_at=None).count() == 0  # every feed's outcome stored


class _PoisonFeeds(_FeedServer):
    """/big.xml: 20,000 items (parsing takes a second: the test kills the process parsing it,
    standing in for a feed that crashes its parser); the others one item each."""

    def do_GET(self) -> None:
        n = self.path.strip("/").removesuffix(".xml")
        count = 20_000 if n == "big" else 1
        items = "".join(
            f"<item><title>News {n} {i}</title><link>http://f.test/{n}/{i}</link><guid>{n}-{i}</guid>"
            "<description>&lt;p&gt;Some &lt;b&gt;text&lt;/b&gt;&lt;/p&gt;</description></item>"
            for i in range(count)
        )
        body = (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>{n}</title><link>http://f.test/</link>'
            f"{items}</channel></rss>"
        ).encode()
        self.send_rss(body)


def test_a_feed_that_kills_its_feed_process_is_blamed_then_paused() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PoisonFeeds)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    src = Source.objects.create(name="Local", slug="local")
    feeds = {n: Feed.objects.create(source=src, url=f"http://127.0.0.1:{port}/{n}.xml") for n in ("big", "a", "b")}
    big = feeds["big"]
    crawler = Crawler(
        DjangoStorage(fetch_pages=False),
        replace(POLICY, total_timeout=30, read_timeout=30),
        worker="fp",
        fetch_pages=False,
        understand=False,
        storage_factory=storage_opener(fetch_pages=False),
        feed_processes=2,
    )

    def crash_while_parsing_big() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            busy = crawler._busy
            for i in range(0, len(busy), 2):
                if busy[i + 1] == big.pk:
                    os.kill(busy[i], signal.SIGKILL)
                    return
            time.sleep(0.002)
        raise AssertionError("the big feed was never parsed")

    def crawl_with_a_crash() -> None:
        killer = threading.Thread(target=crash_while_parsing_big)
        killer.start()
        asyncio.run(crawler.run_once())
        killer.join()

    try:
        asyncio.run(crawler._feed_processes_ready())
        crawl_with_a_crash()
        big.refresh_from_db()
        assert big.status == FeedStatus.ERROR and big.error_code == "crashed", big.error
        assert "SIGKILL" in big.error and big.claimed_until is None
        assert big.next_fetch_at > timezone.now()  # backs off like any failure
        assert not Article.objects.filter(url__startswith="http://f.test/big/").exists()
        # the feeds the dead processes still held are released at once, not after their lease
        assert not Feed.objects.exclude(claimed_until=None).exists()

        Feed.objects.filter(pk=big.pk).update(next_fetch_at=timezone.now())
        crawl_with_a_crash()  # the second time in a row: paused
        big.refresh_from_db()
        assert big.status == FeedStatus.PAUSED and big.error_code == "crashed", big.error
        assert "second time" in big.error

        Feed.objects.update(next_fetch_at=timezone.now())
        before = FetchLog.objects.filter(feed=big).count()
        stats = asyncio.run(crawler.run_once())  # nothing dies now: the paused feed is left alone
        assert stats.feeds == 2 and FetchLog.objects.filter(feed=big).count() == before
        for name in ("a", "b"):
            f = Feed.objects.get(pk=feeds[name].pk)
            assert f.status == FeedStatus.OK and f.items_total == 1, (name, f.error)
        assert len(crawler.feed_process_pids()) == 2
    finally:
        crawler.close()
        server.shutdown()
        server.server_close()
