"""DjangoStorage: exact dedupe, provenance, updates, feed status — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from svodka.crawl import FeedOutcome, process_feed_response
from svodka.types import FetchResult
from svodka_site.news.models import Article, Feed, FeedStatus, FetchLog, Provenance, Source
from svodka_site.news.storage import DjangoStorage

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def rss(items: list[tuple[str, str, str]], *, title: str = "Outlet") -> bytes:
    body = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{guid}</guid>"
        f"<pubDate>Wed, 25 Nov 2026 11:0{i}:00 +0000</pubDate><description>Text of {t}</description></item>"
        for i, (guid, link, t) in enumerate(items)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>http://example.test/</link>{body}</channel></rss>"
    ).encode()


def make_feed(url: str, name: str = "Outlet") -> Feed:
    src, _ = Source.objects.get_or_create(slug=name.lower(), defaults={"name": name, "language": "en"})
    return Feed.objects.create(source=src, url=url, next_fetch_at=NOW - timedelta(minutes=1))


def outcome(storage: DjangoStorage, feed: Feed, body: bytes | None, **result_kw: object) -> FeedOutcome:
    Feed.objects.filter(pk=feed.pk).update(next_fetch_at=NOW - timedelta(minutes=1), claimed_until=None)
    jobs = storage.claim_feeds(limit=10, worker="t", now=NOW, lease_s=60)
    Feed.objects.exclude(pk=feed.pk).update(claimed_until=None)  # claim only the feed under test
    job = next((j for j in jobs if j.id == feed.pk), None)
    assert job is not None, "feed should be claimable"
    result = FetchResult(
        url=feed.url,
        final_url=feed.url,
        status=200 if body else 0,
        body=body,
        headers={"content-type": "application/rss+xml"},
        **result_kw,
    )  # type: ignore[arg-type]
    return process_feed_response(job, result, now=NOW)


def test_new_articles_are_stored_with_provenance_and_schedule() -> None:
    storage = DjangoStorage(fetch_pages=False)
    feed = make_feed("http://a.test/rss")
    body = rss([("g1", "http://a.test/1?utm_source=rss", "First"), ("g2", "http://a.test/2#top", "Second")])
    stats = storage.save_feeds([outcome(storage, feed, body)], worker="t")
    assert stats.new == 2
    assert set(Article.objects.values_list("url", flat=True)) == {"http://a.test/1", "http://a.test/2"}
    feed.refresh_from_db()
    assert feed.status == FeedStatus.OK and feed.items_total == 2 and feed.kind.startswith("rss")
    assert feed.next_fetch_at > NOW and feed.schedule_note
    assert feed.claimed_until is None
    assert FetchLog.objects.get(feed=feed).new_items == 2


def test_same_article_from_two_feeds_is_one_article_with_two_provenances() -> None:
    storage = DjangoStorage(fetch_pages=False)
    f1, f2 = make_feed("http://a.test/rss"), make_feed("http://a.test/world.rss")
    storage.save_feeds([outcome(storage, f1, rss([("x", "http://a.test/story", "Story")]))], worker="t")
    Feed.objects.update(next_fetch_at=NOW - timedelta(minutes=1))
    o2 = outcome(storage, f2, rss([("other-guid", "http://A.test/story?utm_medium=x", "Story")]))
    stats = storage.save_feeds([o2], worker="t")
    assert stats.new == 0
    art = Article.objects.get()
    assert sorted(p.feed_id for p in art.provenances.all()) == sorted([f1.pk, f2.pk])


def test_duplicate_guid_with_changed_content_updates_not_duplicates() -> None:
    storage = DjangoStorage(fetch_pages=False)
    feed = make_feed("http://a.test/rss")
    storage.save_feeds([outcome(storage, feed, rss([("g", "http://a.test/1", "Old title")]))], worker="t")
    Feed.objects.update(next_fetch_at=NOW - timedelta(minutes=1))
    stats = storage.save_feeds(
        [outcome(storage, feed, rss([("g", "http://a.test/1", "New title")]))], worker="t"
    )
    assert stats.new == 0 and stats.updated == 1
    art = Article.objects.get()
    assert art.title == "New title" and art.updated_at is not None
    assert Provenance.objects.count() == 1


def test_same_guid_twice_in_one_body_is_one_article() -> None:
    storage = DjangoStorage(fetch_pages=False)
    feed = make_feed("http://a.test/rss")
    body = rss([("g", "http://a.test/1", "One"), ("g", "http://a.test/1", "One again")])
    storage.save_feeds([outcome(storage, feed, body)], worker="t")
    assert Article.objects.count() == 1


def test_failure_is_explained_and_backs_off() -> None:
    storage = DjangoStorage(fetch_pages=False)
    feed = make_feed("http://a.test/rss")
    o = outcome(storage, feed, None, error_code="timeout", error="no byte arrived for 20 s")
    storage.save_feeds([o], worker="t")
    feed.refresh_from_db()
    assert feed.status == FeedStatus.ERROR and feed.error == "no byte arrived for 20 s" and feed.failures == 1
    first_wait = feed.next_fetch_at - NOW
    Feed.objects.update(next_fetch_at=NOW - timedelta(minutes=1))
    storage.save_feeds([outcome(storage, feed, None, error_code="timeout", error="again")], worker="t")
    feed.refresh_from_db()
    assert feed.failures == 2 and feed.next_fetch_at - NOW > first_wait


def test_html_page_instead_of_feed_is_a_parse_error_with_plain_words() -> None:
    storage = DjangoStorage(fetch_pages=False)
    feed = make_feed("http://a.test/rss")
    o = outcome(storage, feed, b"<!doctype html><html><body><h1>Service unavailable</h1></body></html>")
    storage.save_feeds([o], worker="t")
    feed.refresh_from_db()
    assert feed.status == FeedStatus.ERROR and feed.error_code == "not_a_feed" and "HTML" in feed.error


def test_claims_are_exclusive() -> None:
    storage = DjangoStorage(fetch_pages=False)
    for i in range(5):
        make_feed(f"http://a.test/{i}.rss")
    a = storage.claim_feeds(limit=3, worker="a", now=NOW, lease_s=60)
    b = storage.claim_feeds(limit=10, worker="b", now=NOW, lease_s=60)
    assert len(a) == 3 and len(b) == 2
    assert not {j.id for j in a} & {j.id for j in b}
    assert storage.claim_feeds(limit=10, worker="c", now=NOW, lease_s=60) == []
    # an expired lease (crashed worker) makes the feed claimable again
    assert len(storage.claim_feeds(limit=10, worker="c", now=NOW + timedelta(seconds=61), lease_s=60)) == 5


def test_maintain_keeps_the_newest_log_rows_per_feed() -> None:
    from svodka_site.news.storage import LOG_KEEP

    f1, f2 = make_feed("http://a.test/1.rss"), make_feed("http://a.test/2.rss")
    FetchLog.objects.bulk_create(
        FetchLog(feed=f, at=NOW - timedelta(minutes=i), outcome="ok")
        for f in (f1, f2)
        for i in range(LOG_KEEP + 7)
    )
    FetchLog.objects.create(feed=f2, at=NOW + timedelta(minutes=1), outcome="error")
    assert DjangoStorage().maintain(now=NOW) == 7 + 8
    assert FetchLog.objects.filter(feed=f1).count() == LOG_KEEP
    assert FetchLog.objects.filter(feed=f2).count() == LOG_KEEP
    assert FetchLog.objects.filter(feed=f2).first().outcome == "error"  # the newest stays
    assert not FetchLog.objects.filter(at__lt=NOW - timedelta(minutes=LOG_KEEP)).exists()


def test_article_inserted_by_another_worker_meanwhile_is_linked_not_duplicated(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An entry whose URL is already stored (reached from another feed earlier, or stored by
    # another worker a moment ago): the insert skips that row (unique URL), the entry's
    # provenance points at the existing article, and only that URL is looked up — once.
    from django.db import connection

    from svodka_site.news import storage as storage_module

    storage = DjangoStorage(fetch_pages=False)
    f1, f2 = make_feed("http://a.test/rss"), make_feed("http://b.test/rss", "Other")
    storage.save_feeds([outcome(storage, f1, rss([("x", "http://a.test/story", "Story")]))], worker="t")
    first = Article.objects.get()
    real = storage_module._ids_by_url
    calls: list[list[str]] = []

    def recording(urls: list[str]) -> dict[str, int]:
        calls.append(list(urls))
        return real(urls)

    monkeypatch.setattr(storage_module, "_ids_by_url", recording)
    body = rss([("y", "http://a.test/story", "Story"), ("z", "http://b.test/new", "New")])
    stats = storage.save_feeds([outcome(storage, f2, body)], worker="t")
    assert Article.objects.count() == 2
    assert sorted(Provenance.objects.filter(article=first).values_list("feed_id", flat=True)) == sorted(
        [f1.pk, f2.pk]
    )
    assert Article.objects.get(url="http://b.test/new").provenances.get().feed_id == f2.pk
    assert stats.new == 1  # the article this batch created; the other entry joined a known one
    if connection.features.can_return_rows_from_bulk_insert:
        assert calls == [["http://a.test/story"]]  # only the row that returned no id is read


def test_entries_without_a_link_are_stored_one_each() -> None:
    storage = DjangoStorage(fetch_pages=False)
    feed = make_feed("http://a.test/rss")
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>No link one</title><guid isPermaLink='false'>n1</guid></item>"
        b"<item><title>No link two</title><guid isPermaLink='false'>n2</guid></item>"
        b"<item><title>Linked</title><link>http://a.test/l</link></item></channel></rss>"
    )
    stats = storage.save_feeds([outcome(storage, feed, body)], worker="t")
    assert stats.new == 3
    assert sorted(Article.objects.values_list("title", flat=True)) == ["Linked", "No link one", "No link two"]
    assert Provenance.objects.filter(article__url__isnull=True).count() == 2
    Feed.objects.update(next_fetch_at=NOW - timedelta(minutes=1))
    again = storage.save_feeds([outcome(storage, feed, body)], worker="t")  # known by guid: nothing new
    assert again.new == 0 and Article.objects.count() == 3


def test_single_column_indexes_covered_by_composite_ones_are_gone() -> None:
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cur:
        article = connection.introspection.get_constraints(cur, Article._meta.db_table)
        provenance = connection.introspection.get_constraints(cur, Provenance._meta.db_table)

    def single(constraints: dict, column: str) -> list[str]:  # type: ignore[type-arg]
        return [
            n for n, c in constraints.items() if c["index"] and not c["unique"] and c["columns"] == [column]
        ]

    assert single(article, "source_id") == [] and single(article, "category") == []
    assert single(provenance, "feed_id") == []
    # the composite indexes that serve those lookups are still there
    assert any(c["columns"][:1] == ["source_id"] and len(c["columns"]) == 2 for c in article.values())
    assert any(c["columns"][:1] == ["category"] and len(c["columns"]) == 2 for c in article.values())
    assert any(c["unique"] and c["columns"] == ["feed_id", "guid_key"] for c in provenance.values())
    assert single(article, "published_at")  # not covered by anything: kept
    call_command("makemigrations", "news", check=True, dry_run=True, verbosity=0)  # models match migrations


def test_a_new_sqlite_store_has_16k_pages_and_wal() -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cur:
        cur.execute("PRAGMA page_size")
        assert cur.fetchone()[0] == 16384
        cur.execute("PRAGMA journal_mode")
        assert cur.fetchone()[0] == "wal"


def test_a_feeds_first_save_and_a_later_one_agree_on_what_is_new() -> None:
    # the first save of a feed skips the known-guid look-up (it has no provenances yet);
    # the second one must still find every entry it saved
    storage = DjangoStorage()
    feed = make_feed("http://127.0.0.1:1/first.xml")
    body = rss([(f"g{i}", f"http://example.test/{i}", f"Story {i}") for i in range(3)])
    first = storage.save_feeds([outcome(storage, feed, body)], worker="t")
    assert first.new == 3
    feed.refresh_from_db()
    assert feed.last_success_at is not None
    second = storage.save_feeds([outcome(storage, feed, body)], worker="t")
    assert (second.new, second.updated) == (0, 0)
    assert Provenance.objects.filter(feed=feed).count() == 3 and Article.objects.count() == 3


def test_known_guids_are_matched_per_feed_in_a_batch_of_feeds() -> None:
    # the same guid in two feeds names two different entries: a change in one feed's entry
    # updates that feed's article only
    storage = DjangoStorage(fetch_pages=False)
    fa, fb = make_feed("http://a.test/rss", "A"), make_feed("http://b.test/rss", "B")
    Feed.objects.update(next_fetch_at=NOW - timedelta(minutes=1))
    jobs = {j.id: j for j in storage.claim_feeds(limit=10, worker="t", now=NOW, lease_s=60)}

    def both(b_title: str) -> list[FeedOutcome]:
        bodies = {
            fa.pk: rss([("g", "http://a.test/1", "A one")]),
            fb.pk: rss([("g", "http://b.test/1", b_title)]),
        }
        return [
            process_feed_response(
                jobs[fid],
                FetchResult(url=jobs[fid].url, final_url=jobs[fid].url, status=200, body=body),
                now=NOW,
            )
            for fid, body in bodies.items()
        ]

    assert storage.save_feeds(both("B one"), worker="t").new == 2
    stats = storage.save_feeds(both("B one, corrected"), worker="t")
    assert (stats.new, stats.updated) == (0, 1)
    assert dict(Article.objects.values_list("url", "title")) == {
        "http://a.test/1": "A one",
        "http://b.test/1": "B one, corrected",
    }


def test_guid_lookups_are_split_into_bounded_queries() -> None:
    from svodka_site.news.storage import _guid_groups

    groups = list(
        _guid_groups({1: ["a", "b"], 2: [str(i) for i in range(7)], 3: ["z"]}, max_keys=4, max_feeds=2)
    )
    assert [[(fid, len(keys)) for fid, keys in g] for g in groups] == [[(1, 2)], [(2, 4)], [(2, 3), (3, 1)]]
    assert all(sum(len(k) for _, k in g) <= 4 and len(g) <= 2 for g in groups)
    assert [len(g) for g in _guid_groups({i: ["k"] for i in range(250)})] == [100, 100, 50]


def test_without_insert_returning_ids_are_read_back_by_url(monkeypatch: pytest.MonkeyPatch) -> None:
    # SQLite before 3.35 has no INSERT … RETURNING: the new rows' ids come from a select by URL
    from django.db import connection

    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    storage = DjangoStorage(fetch_pages=False)
    f1, f2 = make_feed("http://a.test/rss"), make_feed("http://b.test/rss", "Other")
    storage.save_feeds([outcome(storage, f1, rss([("x", "http://a.test/story", "Story")]))], worker="t")
    body = rss([("y", "http://a.test/story", "Story"), ("z", "http://b.test/new", "New")])
    stats = storage.save_feeds([outcome(storage, f2, body)], worker="t")
    assert stats.new == 1 and Article.objects.count() == 2
    new = Article.objects.get(url="http://b.test/new")
    assert list(new.provenances.values_list("feed_id", flat=True)) == [f2.pk]
    assert Provenance.objects.filter(article__url="http://a.test/story").count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_save_that_must_not_wait_steps_aside_while_another_writer_holds_sqlite() -> None:
    import sqlite3
    import time

    from django.db import connection

    storage = DjangoStorage(fetch_pages=False)
    feed = make_feed("http://a.test/rss")
    o = outcome(storage, feed, rss([("g1", "http://a.test/1", "First"), ("g2", "http://a.test/2", "Second")]))
    if not storage.one_writer_at_a_time:  # PostgreSQL: writers never wait for the whole store
        stats = storage.save_feeds([o], worker="t", wait=False)
        assert stats is not None and stats.new == 2
        return
    connection.ensure_connection()
    busy_ms = connection.connection.execute("PRAGMA busy_timeout").fetchone()[0]
    assert busy_ms > 1000
    other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process writing
        t0 = time.monotonic()
        assert storage.save_feeds([o], worker="t", wait=False) is None
        assert time.monotonic() - t0 < 1.0, "it waited for the lock"
        assert not Article.objects.exists() and not FetchLog.objects.exists()
        # the connection's own busy timeout is back for everything else
        assert connection.connection.execute("PRAGMA busy_timeout").fetchone()[0] == busy_ms
        other.execute("ROLLBACK")
    finally:
        other.close()
    stats = storage.save_feeds([o], worker="t", wait=False)
    assert stats is not None and stats.new == 2
    assert Article.objects.count() == 2 and FetchLog.objects.count() == 1
    assert connection.connection.execute("PRAGMA busy_timeout").fetchone()[0] == busy_ms


def test_feeds_of_dead_workers_are_released_and_the_blamed_one_paused_the_second_time() -> None:
    storage = DjangoStorage(fetch_pages=False)
    f1, f2, f3 = (make_feed(f"http://{n}.test/rss", n) for n in ("one", "two", "three"))
    assert len(storage.claim_feeds(limit=2, worker="w/1", now=NOW, lease_s=60)) == 2
    assert len(storage.claim_feeds(limit=5, worker="w/2", now=NOW, lease_s=60)) == 1  # alive
    paused = storage.release_dead_workers(["w/1"], now=NOW, blame={f1.pk: "killed by SIGSEGV"})
    assert paused == []
    f1.refresh_from_db(), f2.refresh_from_db(), f3.refresh_from_db()
    assert f1.status == FeedStatus.ERROR and f1.error_code == "crashed" and "SIGSEGV" in f1.error
    assert f1.claimed_until is None and f1.next_fetch_at > NOW and f1.failures == 1
    assert f2.claimed_until is None and f2.claimed_by == "" and f2.status == FeedStatus.NEW  # fetched next pass
    assert f3.claimed_by == "w/2" and f3.claimed_until is not None  # a live worker's claim stays
    assert storage.release_dead_workers(["w/9"], now=NOW, blame={f1.pk: "exit status 1"}) == [f1.pk]
    f1.refresh_from_db()
    assert f1.status == FeedStatus.PAUSED and "second time" in f1.error and f1.failures == 2


def test_story_and_copy_lookups_use_partial_indexes_that_new_articles_skip() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        article = connection.introspection.get_constraints(cur, Article._meta.db_table)
    def on(column: str) -> list[str]:
        return sorted(n for n, c in article.items() if c["index"] and not c["unique"] and c["columns"] == [column])

    # one index each, the partial one (no full single-column index left from before)
    assert on("story_id") == ["news_article_story_set"]
    assert on("duplicate_of_id") == ["news_article_copy_of"]
    with connection.cursor() as cur:
        sql = "SELECT id FROM news_article WHERE story_id = %s"
        if connection.vendor == "sqlite":
            cur.execute(f"EXPLAIN QUERY PLAN {sql}", [1])
            plan = " ".join(str(r) for r in cur.fetchall())
            assert "news_article_story_set" in plan, plan
            cur.execute("EXPLAIN QUERY PLAN SELECT id FROM news_article WHERE duplicate_of_id = %s", [1])
            plan = " ".join(str(r) for r in cur.fetchall())
            assert "news_article_copy_of" in plan, plan
        else:
            cur.execute("SET enable_seqscan = off")
            cur.execute(f"EXPLAIN {sql}", [1])
            plan = " ".join(r[0] for r in cur.fetchall())
            cur.execute("SET enable_seqscan = on")
            assert "news_article_story_set" in plan, plan
