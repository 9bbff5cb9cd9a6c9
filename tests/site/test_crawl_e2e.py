"""End to end: the newsroom simulator (normal and hostile outlets) over real HTTP on 127.0.0.1 →
crawler → storage → pages. Every hostile outlet ends in a plain-words status on its feed while
every other feed keeps flowing."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from svodka.crawl import Crawler
from svodka.fetch import FetchPolicy
from svodka.simulator import SimConfig, SimulatorServer
from svodka_site.news.actions import import_opml
from svodka_site.news.models import Article, Feed, FeedStatus, Provenance, TextStatus
from svodka_site.news.storage import DjangoStorage

pytestmark = pytest.mark.django_db(transaction=True)

# Small limits so the slow, endless and huge outlets are cut off quickly in tests.
POLICY = FetchPolicy(
    user_agent="svodka-test/0.1 (+http://127.0.0.1/)",
    connect_timeout=3,
    read_timeout=2,
    total_timeout=4,
    max_body=4 * 1024 * 1024,
    max_decompressed=8 * 1024 * 1024,
    per_host=2,
)


@pytest.fixture(scope="module")
def sim() -> Iterator[SimulatorServer]:
    server = SimulatorServer(SimConfig(outlets=10, seed=7, speed=60.0, hostile=True, items_per_feed=20))
    server.start()
    yield server
    server.stop()


def crawl(pages: bool = True) -> None:
    crawler = Crawler(DjangoStorage(fetch_pages=pages), POLICY, worker="test", fetch_pages=pages)
    try:
        asyncio.run(crawler.run_once())
    finally:
        crawler.close()


def feed_of(sim: SimulatorServer, code: str) -> Feed:
    outlet = next(o for o in sim.outlets if o.hostile == code)
    return Feed.objects.get(url__startswith=outlet.origin)


def test_simulator_to_site(sim: SimulatorServer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    opml = tmp_path / "sim.opml"
    sim.write_opml(opml)
    report = import_opml(opml.read_bytes())
    assert report.feeds_created == len(sim.outlets)
    crawl()

    normal = [o for o in sim.outlets if not o.hostile]
    for o in normal:
        f = Feed.objects.get(url__startswith=o.origin)
        assert f.status == FeedStatus.OK, (o.slug, f.error)
        assert f.items_total > 0 and f.kind
    assert Article.objects.filter(source__feeds__status=FeedStatus.OK).count() >= 10 * 10

    expected = {
        "xxe": ("unsafe_xml", None),
        "entity_bomb": ("unsafe_xml", None),
        "gzip_bomb": ("too_large", None),
        "huge": ("too_large", None),
        "endless": (("too_large", "timeout"), None),
        "slow": ("timeout", None),
        "redirect_loop": ("redirects", None),
        "html_error": ("not_a_feed", None),
        "rate_limited": ("http_status", 120),
        "unavailable": ("http_status", 60),
    }
    for code, (err, min_wait) in expected.items():
        f = feed_of(sim, code)
        codes = err if isinstance(err, tuple) else (err,)
        assert f.status == FeedStatus.ERROR and f.error_code in codes, (code, f.error_code, f.error)
        assert len(f.error) > 15 and "Traceback" not in f.error, (code, f.error)
        if min_wait:
            assert f.last_attempt_at is not None
            waited = f.next_fetch_at - f.last_attempt_at
            assert waited >= timedelta(seconds=min_wait - 5), (code, waited, f.schedule_note)

    # XXE: nothing from /etc/passwd anywhere
    assert not Article.objects.filter(text__contains="root:x:0:0").exists()
    assert not Article.objects.filter(title__contains="root:x:0:0").exists()

    # wrong declared encoding: recovered, readable Cyrillic, and the feed says so
    f = feed_of(sim, "wrong_encoding")
    assert f.status == FeedStatus.OK and f.warnings
    titles = list(Article.objects.filter(provenances__feed=f).values_list("title", flat=True))
    assert titles and all(any("а" <= ch <= "я" for ch in t.lower()) for t in titles)

    # dates in the future are clamped and explained
    f = feed_of(sim, "future_dates")
    arts = Article.objects.filter(provenances__feed=f)
    assert arts.exists()
    assert all(a.published_at <= timezone.now() + timedelta(minutes=1) and a.date_note for a in arts)

    # malformed XML: recovered with a warning, or refused with plain words — never a crash
    f = feed_of(sim, "malformed")
    assert (f.status == FeedStatus.OK and f.warnings) or (f.status == FeedStatus.ERROR and f.error)

    # full text was extracted for normal outlets' pages; robots.txt was honoured
    assert Article.objects.filter(text_status=TextStatus.OK).count() >= 20
    ok = Article.objects.filter(text_status=TextStatus.OK).first()
    assert ok is not None and len(ok.text) > 300
    assert not Article.objects.filter(
        text_status=TextStatus.PENDING, source__feeds__status=FeedStatus.OK
    ).exists()
    blocked = [o for o in normal if o.robots_blocks_articles]
    for o in blocked:
        arts = Article.objects.filter(url__startswith=o.origin)
        assert arts.exists() and not arts.exclude(text_status=TextStatus.ROBOTS).exists()

    # syndicated copies at other outlets are different articles (different URLs) — near-duplicate
    # grouping is a later stage — but one URL is never stored twice
    urls = list(Article.objects.exclude(url=None).values_list("url", flat=True))
    assert len(urls) == len(set(urls))
    assert Provenance.objects.count() >= Article.objects.count()

    # second pass: dup_guid changes content under the same guids → updates, not new articles
    f = feed_of(sim, "dup_guid")
    before = Article.objects.filter(provenances__feed=f).count()
    vanishing = [feed_of(sim, "disappears"), feed_of(sim, "gone")]  # a valid feed first, then 404 / 410
    assert all(v.status == FeedStatus.OK for v in vanishing)
    Feed.objects.update(next_fetch_at=timezone.now(), claimed_until=None)
    crawl(pages=False)
    assert Article.objects.filter(provenances__feed=f).count() == before
    f.refresh_from_db()
    assert f.log.first().updated_items > 0
    for v in vanishing:
        v.refresh_from_db()
        assert v.status == FeedStatus.ERROR and v.error_code == "gone", (v.url, v.error)
        assert v.items_total > 0 and Article.objects.filter(provenances__feed=v).exists()  # nothing lost

    # the site shows it all
    c = Client()
    assert c.get("/").status_code == 200
    health = c.get("/healthz").json()
    assert health["articles"] == Article.objects.count() and health["feeds_failing"] >= len(expected)
    slow = feed_of(sim, "slow")
    page = c.get(f"/source/{slow.source.slug}/").content.decode()
    assert slow.error in page or slow.error.replace("'", "&#x27;") in page
    listed = json.loads(c.get("/api/sources").content)
    assert {row["url"] for row in listed} == set(Feed.objects.values_list("url", flat=True))
