"""A stopping crawler does not wait on a slow host: in-flight steps get a grace period, then are
cancelled (their claims lapse; nothing stored is lost)."""

from __future__ import annotations

import asyncio
import socket
import time

import pytest
from aiohttp import web

from svodka import crawl
from svodka.crawl import Crawler
from svodka.fetch import FetchPolicy
from svodka_site.news.models import Article, Feed, Source
from svodka_site.news.storage import DjangoStorage, storage_opener

pytestmark = pytest.mark.django_db(transaction=True)

# per_host 4: both feeds are on one host, and two feed processes get 2 connections each
PATIENT = FetchPolicy(
    user_agent="svodka-test/0.1 (+http://127.0.0.1/)",
    connect_timeout=5,
    read_timeout=60,
    total_timeout=120,
    per_host=4,
)
RSS = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quick</title><link>http://q.test/</link>'
    b"<item><title>Quick news</title><link>http://q.test/1</link><guid>q1</guid></item></channel></rss>"
)


@pytest.mark.parametrize("feed_processes", [0, 2], ids=["in-process", "feed-processes"])
def test_stop_does_not_wait_for_a_host_that_trickles(
    monkeypatch: pytest.MonkeyPatch, feed_processes: int
) -> None:
    monkeypatch.setattr(crawl, "STOP_GRACE_S", 1.0, raising=False)
    started = asyncio.Event()

    async def trickle(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        await resp.prepare(request)
        started.set()
        for _ in range(120):  # one byte a second: the whole body would take two minutes
            await resp.write(b" ")
            await asyncio.sleep(1)
        return resp

    async def quick(_request: web.Request) -> web.Response:
        return web.Response(body=RSS, content_type="application/rss+xml")

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    src = Source.objects.create(name="S", slug="s", language="en")
    for name in ("slow", "quick"):
        Feed.objects.create(source=src, url=f"http://127.0.0.1:{port}/{name}.xml")
    crawler = Crawler(
        DjangoStorage(fetch_pages=False),
        PATIENT,
        worker="t",
        fetch_pages=False,
        understand=False,
        storage_factory=storage_opener(fetch_pages=False),
        feed_processes=feed_processes,
    )

    async def main() -> float:
        app = web.Application()
        app.router.add_get("/slow.xml", trickle)
        app.router.add_get("/quick.xml", quick)
        runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=0.5)
        await runner.setup()
        await web.SockSite(runner, sock).start()
        stop = asyncio.Event()
        run = asyncio.ensure_future(crawler.run_forever(stop, idle_s=0.2))
        await asyncio.wait_for(started.wait(), timeout=30)
        for _ in range(100):  # the quick feed is stored meanwhile (read on the crawler's DB thread)
            if await crawler._in_db(Article.objects.count):
                break
            await asyncio.sleep(0.1)
        t0 = time.monotonic()
        stop.set()
        await asyncio.wait_for(run, timeout=30)
        took = time.monotonic() - t0
        await runner.cleanup()
        return took

    try:
        took = asyncio.run(main())
    finally:
        t0 = time.monotonic()
        crawler.close()
        closing = time.monotonic() - t0
    assert took < 5, f"the crawler took {took:.1f} s to stop"
    # a feed process cancels its own slow fetch after the same grace (3 s, its own module's)
    assert closing < 8, f"closing the crawler took {closing:.1f} s"
    assert Article.objects.filter(url="http://q.test/1").exists()
