"""Django implementation of ``svodka.crawl.Storage``.

Writes are batched: one transaction per group of feed outcomes, bulk inserts for new
articles and provenances. Claims use ``SELECT … FOR UPDATE SKIP LOCKED`` where the database
has it (PostgreSQL); on SQLite the IMMEDIATE transaction already serialises writers.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import operator
import os
import secrets
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import OperationalError, connection, connections, models, transaction
from django.db.models import Q
from django.utils import timezone

from svodka.article import EntryRecord
from svodka.crawl import (
    FeedJob,
    FeedOutcome,
    PageJob,
    PageOutcome,
    SaveStats,
    UnderstandJob,
    UnderstandOutcome,
    WebSubJob,
)
from svodka.sanitize import html_to_text
from svodka.schedule import next_poll
from svodka.search import SearchUnavailable
from svodka.stories import Assignment, StoryArticle, StorySnapshot

from .models import (
    Article,
    ArticlePlace,
    Feed,
    FeedStatus,
    FetchLog,
    Place,
    PlaceKind,
    Provenance,
    Source,
    TextStatus,
)
from .opener import open_storage

log = logging.getLogger(__name__)

LOG_KEEP = 30
STORIES_LOCK_KEY = 0x5F0D_57A0_0001  # PostgreSQL advisory lock: the one crawler that clusters stories
FEED_STATUS_FIELDS = (
    "kind", "title", "etag", "last_modified", "status", "http_status", "error_code", "error", "warnings",
    "failures", "items_total", "last_items", "last_attempt_at", "last_success_at", "last_new_at", "next_fetch_at",
    "interval_s", "schedule_note", "claimed_by", "claimed_until", "websub_hub", "websub_topic",
)  # fmt: skip


CRASHED = "crashed"  # error_code of a feed whose parsing killed a feed process


def _schedule(
    feed: Feed, now: datetime, *, new_items: int, error_code: str | None, retry_after: float | None = None
) -> None:
    """Set when ``feed`` is polled next (and why), after a poll at ``now``."""
    poll = next_poll(
        now=now,
        interval_s=feed.interval_s,
        new_items=new_items,
        failures=feed.failures,
        retry_after=retry_after,
        error_code=error_code,
        min_interval=settings.SVODKA_MIN_INTERVAL,
        max_interval=settings.SVODKA_MAX_INTERVAL,
    )
    feed.next_fetch_at = poll.at
    feed.interval_s = poll.interval_s
    feed.schedule_note = poll.reason[:300]


def _locking(qs):  # type: ignore[no-untyped-def]
    if connection.features.has_select_for_update_skip_locked:
        return qs.select_for_update(skip_locked=True)
    return qs


class DjangoStorage:
    def __init__(self, *, fetch_pages: bool | None = None) -> None:
        self.fetch_pages = settings.SVODKA_FETCH_PAGES if fetch_pages is None else fetch_pages
        self._known_places: set[int] = set()  # place rows known to exist (this process wrote or saw them)
        self._leader_pid: int | None = None  # PostgreSQL session holding the stories lock

    def close(self) -> None:
        """Close this thread's database connections (the crawler calls it on its DB thread)."""
        connections.close_all()

    # --- feeds -----------------------------------------------------------------------
    def claim_feeds(self, *, limit: int, worker: str, now: datetime, lease_s: int) -> list[FeedJob]:
        with transaction.atomic():
            qs = (
                Feed.objects.filter(next_fetch_at__lte=now)
                .exclude(status=FeedStatus.PAUSED)
                .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
                .order_by("next_fetch_at", "id")
            )
            feeds = list(_locking(qs)[:limit])
            if not feeds:
                return []
            Feed.objects.filter(pk__in=[f.pk for f in feeds]).update(
                claimed_by=worker, claimed_until=now + timedelta(seconds=lease_s)
            )
        return [
            FeedJob(
                id=f.pk,
                url=f.url,
                etag=f.etag or None,
                last_modified=f.last_modified or None,
                interval_s=f.interval_s,
                failures=f.failures,
            )
            for f in feeds
        ]

    @property
    def one_writer_at_a_time(self) -> bool:
        return bool(connection.vendor == "sqlite")

    def save_feeds(
        self, outcomes: Sequence[FeedOutcome], *, worker: str, wait: bool = True
    ) -> SaveStats | None:
        stats = SaveStats()
        try:
            with _write_transaction(wait=wait):
                self._save_feeds(outcomes, worker, stats)
        except _StoreBusy:
            return None
        return stats

    def _save_feeds(self, outcomes: Sequence[FeedOutcome], worker: str, stats: SaveStats) -> None:
        feeds = _feeds_to_save([o.job.id for o in outcomes])
        per_feed = self._store_entries([o for o in outcomes if o.ok and o.job.id in feeds], feeds, stats)
        logs = []
        for o in outcomes:
            feed = feeds.get(o.job.id)
            if feed is None:  # deleted meanwhile
                continue
            new, updated = per_feed.get(feed.pk, (0, 0))
            self._update_feed(feed, o, new)
            logs.append(
                dict(
                    feed_id=feed.pk,
                    at=o.fetched_at,
                    worker=worker[:100],
                    duration_ms=o.duration_ms,
                    http_status=(o.result.status or None) if o.result else None,
                    outcome=(
                        "error"
                        if not o.ok
                        else "push"
                        if o.result is None
                        else "not_modified"
                        if o.result.not_modified
                        else "ok"
                    ),
                    entries=len(o.records),
                    new_items=new,
                    updated_items=updated,
                    error_code=o.error_code or "",
                    error=o.error or "",
                )
            )
        _insert_rows(FetchLog, logs)
        _update_rows(Feed, [feeds[o.job.id] for o in outcomes if o.job.id in feeds], FEED_STATUS_FIELDS)

    def _update_feed(self, feed: Feed, o: FeedOutcome, new: int) -> None:
        r = o.result
        feed.last_attempt_at = o.fetched_at
        feed.claimed_by = ""
        feed.claimed_until = None
        if r is not None:
            feed.http_status = r.status or None
        if o.ok:
            feed.failures = 0
            feed.status = FeedStatus.OK
            feed.error = ""
            feed.error_code = ""
            feed.last_success_at = o.fetched_at
            if r is not None and not r.not_modified:
                feed.etag = (r.etag or "")[:500]
                feed.last_modified = (r.last_modified or "")[:100]
            if o.parsed is not None:
                feed.kind = o.parsed.kind
                if o.parsed.title:
                    feed.title = o.parsed.title[:500]
                feed.warnings = "\n".join(o.parsed.warnings)[:5000]
                feed.last_items = len(o.records)
                if o.parsed.hub:
                    feed.websub_hub = o.parsed.hub[:2000]
                    feed.websub_topic = (o.parsed.self_url or feed.url)[:2000]
            if new:
                feed.last_new_at = o.fetched_at
                feed.items_total += new
        else:
            feed.failures += 1
            feed.error_code = o.error_code or "error"
            feed.error = o.error or ""
            feed.status = (
                FeedStatus.GONE if o.error_code == "gone" and feed.failures >= 3 else FeedStatus.ERROR
            )
        if r is None:  # a push does not move the polling schedule
            return
        _schedule(feed, o.fetched_at, new_items=new, error_code=o.error_code, retry_after=r.retry_after)

    def _store_entries(
        self, outcomes: Sequence[FeedOutcome], feeds: dict[int, Feed], stats: SaveStats
    ) -> dict[int, tuple[int, int]]:
        """Exact dedupe and bulk insert. Returns {feed_id: (new, updated)}."""
        per_feed: dict[int, list[int]] = {}
        items: list[tuple[int, EntryRecord]] = []
        seen_keys: set[tuple[int, str]] = set()
        for o in outcomes:
            per_feed.setdefault(o.job.id, [0, 0])
            for rec in o.records:
                key = (o.job.id, rec.guid_key)
                if key in seen_keys:  # the same guid twice in one feed body: keep the first
                    continue
                seen_keys.add(key)
                items.append((o.job.id, rec))
        stats.seen += len(items)
        if not items:
            return {}
        # 1. entries this feed already gave us (same guid): update when the content changed.
        known: dict[tuple[int, str], tuple[int, str]] = {}
        keys_by_feed: dict[int, list[str]] = {}
        for fid, rec in items:
            # a feed that never saved entries has no provenance rows yet: nothing to look up
            # (entries are stored in the same transaction that sets last_success_at)
            if feeds[fid].last_success_at is not None:
                keys_by_feed.setdefault(fid, []).append(rec.guid_key)
        qn = connection.ops.quote_name
        prov_t, art_t = qn(Provenance._meta.db_table), qn(Article._meta.db_table)
        with _bulk_cursor() as (cur, mark):  # raw SQL: the ORM prepares every value of an IN list
            for groups in _guid_groups(keys_by_feed):
                # one term per feed with its own keys: "feed IN (…) AND key IN (…)" had SQLite
                # probe every feed × key pair, 25,000 probes for 500 entries of 50 feeds
                where = " OR ".join(
                    f"(p.feed_id = {mark} AND p.guid_key IN ({_marks(keys, mark)}))" for _, keys in groups
                )
                cur.execute(
                    f"SELECT p.feed_id, p.guid_key, p.article_id, a.content_hash FROM {prov_t} p "
                    f"INNER JOIN {art_t} a ON a.id = p.article_id WHERE {where}",
                    [v for fid, keys in groups for v in (fid, *keys)],
                )
                for feed_id, guid_key, art_id, chash in cur.fetchall():
                    known[(feed_id, guid_key)] = (art_id, chash)
        fresh: list[tuple[int, EntryRecord]] = []
        now = timezone.now()
        for fid, rec in items:
            hit = known.get((fid, rec.guid_key))
            if hit is None:
                fresh.append((fid, rec))
            elif hit[1] != rec.content_hash:
                Article.objects.filter(pk=hit[0]).update(
                    title=rec.title,
                    summary=rec.summary_html,
                    content=rec.content_html,
                    text=rec.text or html_to_text(rec.content_html or rec.summary_html),
                    content_hash=rec.content_hash,
                    updated_at=now,
                )
                per_feed[fid][1] += 1
                stats.updated += 1
        if not fresh:
            return {k: (v[0], v[1]) for k, v in per_feed.items()}
        # 2. articles already known by canonical URL (reached from another feed). With RETURNING
        # they are found after the insert, among the few URLs it did not return (one query for
        # the rare case instead of one for every entry); without it, looked up first.
        returning = bool(connection.features.can_return_rows_from_bulk_insert)
        by_url = {} if returning else _ids_by_url(list({rec.url for _, rec in fresh if rec.url}))
        # rows as tuples in _ARTICLE_COLUMNS order: dicts merged with the model's defaults made
        # the benchmark's 10,000-entry crawl about 0.1 s (6 %) slower (BENCHMARKS.md, ingest)
        per_source: dict[int, tuple[int, str]] = {}  # feed -> (source id, source language)
        for fid in {fid for fid, _ in fresh}:
            feed = feeds[fid]
            per_source[fid] = (feed.source_id, feed.source_language or "")
        pending, skipped = TextStatus.PENDING.value, TextStatus.SKIPPED.value
        new_rows: list[tuple[Any, ...]] = []
        urlless_rows: list[tuple[Any, ...]] = []
        pending_url: set[str] = set()
        for fid, rec in fresh:
            url = rec.url
            if url and (url in by_url or url in pending_url):
                continue
            source_id, source_lang = per_source[fid]
            row = (
                source_id,
                url,
                rec.guid[:2000],
                rec.title,
                rec.summary_html,
                rec.content_html,
                rec.text,
                rec.author,
                (rec.image or "")[:2000],
                (rec.language or source_lang)[:16],
                rec.published or now,
                rec.date_note,
                now,
                rec.content_hash,
                pending if (self.fetch_pages and url) else skipped,
            )
            if url:
                new_rows.append(row)
                pending_url.add(url)
            else:
                urlless_rows.append(row)
        if returning:
            inserted = dict(
                _insert_rows(Article, new_rows, columns=_ARTICLE_COLUMNS, returning=("url", "id"))
            )
            created_urls = set(inserted)
            by_url.update(inserted)
            # rows that hit the unique URL (known already, or another worker won a race) return
            # nothing: read those
            by_url.update(_ids_by_url([u for u in pending_url if u not in inserted]))
        else:  # SQLite before 3.35: no RETURNING
            _insert_rows(Article, new_rows, columns=_ARTICLE_COLUMNS)
            by_url.update(_ids_by_url(list(pending_url)))
            created_urls = set(pending_url)
        no_url_ids = self._ids_for_urlless(
            [Article(**dict(zip(_ARTICLE_COLUMNS, r, strict=True))) for r in urlless_rows]
        )
        provs: list[tuple[Any, ...]] = []
        urlless = iter(no_url_ids)
        for fid, rec in fresh:
            art_id = by_url.get(rec.url) if rec.url else next(urlless, None)
            if art_id is None:
                continue
            provs.append((art_id, fid, rec.guid, rec.guid_key, rec.entry_url[:2000], now))
            if rec.url in created_urls or rec.url is None:
                created_urls.discard(rec.url)  # count each new article once
                per_feed[fid][0] += 1
                stats.new += 1
        _insert_rows(Provenance, provs, columns=_PROVENANCE_COLUMNS)
        return {k: (v[0], v[1]) for k, v in per_feed.items()}

    @staticmethod
    def _ids_for_urlless(arts: list[Article]) -> list[int]:
        # URL-less entries can't be found again by URL; insert them one by one to get ids.
        ids = []
        for a in arts:
            a.pk = None
            a.save(force_insert=True)
            ids.append(a.pk)
        return ids

    # --- pages -----------------------------------------------------------------------
    def release_dead_workers(
        self, workers: Sequence[str], *, now: datetime, blame: Mapping[int, str]
    ) -> list[int]:
        paused: list[int] = []
        with transaction.atomic():
            held = Feed.objects.filter(claimed_by__in=[w[:100] for w in workers], claimed_until__gt=now)
            held.exclude(pk__in=list(blame)).update(claimed_by="", claimed_until=None)
            for feed in Feed.objects.filter(pk__in=list(blame)):
                why = blame[feed.pk]
                again = feed.error_code == CRASHED
                feed.failures += 1
                feed.error_code = CRASHED
                feed.last_attempt_at = now
                feed.claimed_by, feed.claimed_until = "", None
                if again:
                    feed.status = FeedStatus.PAUSED
                    feed.error = (
                        f"svodka's feed process died while reading this feed ({why}), the second time "
                        "in a row; the feed is paused so that it cannot stop the others. Resume it "
                        "once svodka has been fixed or updated (the admin's \"Reset back-off and errors\")."
                    )
                    feed.schedule_note = "paused: reading it killed svodka's feed process twice"
                    paused.append(feed.pk)
                else:
                    feed.status = FeedStatus.ERROR
                    feed.error = (
                        f"svodka's feed process died while reading this feed ({why}); the other feeds "
                        "went on. It is tried once more; a second time, it is paused."
                    )
                    _schedule(feed, now, new_items=0, error_code=CRASHED)
                feed.save(
                    update_fields=[
                        "failures", "error_code", "error", "status", "last_attempt_at", "claimed_by",
                        "claimed_until", "next_fetch_at", "interval_s", "schedule_note",
                    ]
                )  # fmt: skip
        return paused

    def claim_pages(self, *, limit: int, worker: str, now: datetime, lease_s: int) -> list[PageJob]:
        with transaction.atomic():
            qs = (
                Article.objects.filter(text_status=TextStatus.PENDING, url__isnull=False)
                .filter(Q(text_claimed_until__isnull=True) | Q(text_claimed_until__lt=now))
                .order_by("-id")
                .only("id", "url")
            )
            arts = list(_locking(qs)[:limit])
            if arts:
                Article.objects.filter(pk__in=[a.pk for a in arts]).update(
                    text_claimed_until=now + timedelta(seconds=lease_s)
                )
        return [PageJob(article_id=a.pk, url=a.url or "") for a in arts]

    # --- housekeeping ------------------------------------------------------------------
    def maintain(self, *, now: datetime) -> int:
        """Keep only the newest LOG_KEEP fetch-log rows per feed (the status page shows 10)."""
        table = FetchLog._meta.db_table
        with connection.cursor() as cur:
            cur.execute(
                f"DELETE FROM {table} WHERE id IN (SELECT id FROM (SELECT id, ROW_NUMBER() OVER "
                f"(PARTITION BY feed_id ORDER BY at DESC, id DESC) AS rn FROM {table}) ranked WHERE rn > %s)",
                [LOG_KEEP],
            )
            return cur.rowcount

    def search_sync(self, *, limit: int = 500) -> int:
        """Index articles understood since the search index's watermark (see news/search.py)."""
        from .search import sync_index

        return sync_index(limit=limit)

    # --- understanding -------------------------------------------------------------------
    def claim_understanding(
        self, *, limit: int, worker: str, now: datetime, lease_s: int
    ) -> list[UnderstandJob]:
        """Articles whose text is final (page read, refused or skipped — or waited on for
        10 minutes), oldest first so near-duplicates hang on the earliest copy."""
        with transaction.atomic():
            qs = (
                Article.objects.filter(understood_at__isnull=True)
                .filter(~Q(text_status=TextStatus.PENDING) | Q(first_seen_at__lt=now - PAGE_PATIENCE))
                .filter(Q(understand_claimed_until__isnull=True) | Q(understand_claimed_until__lt=now))
                .select_related("source")
                .only(
                    "id",
                    "title",
                    "text",
                    "summary",
                    "content",
                    "language",
                    "published_at",
                    "source__language",
                )
                .order_by("understood_at", "id")
            )
            if connection.features.has_select_for_update_skip_locked:
                qs = qs.select_for_update(skip_locked=True, of=("self",))
            arts = list(qs[:limit])
            if arts:
                Article.objects.filter(pk__in=[a.pk for a in arts]).update(
                    understand_claimed_until=now + timedelta(seconds=lease_s)
                )
        return [
            UnderstandJob(
                article_id=a.pk,
                title=a.title,
                text=a.text or html_to_text(a.content or a.summary),
                lang_hint=a.language or a.source.language or None,
                published=a.published_at,
                source_id=a.source_id,
            )
            for a in arts
        ]

    def recent_fingerprints(self, *, since: datetime) -> Iterator[tuple[int, str, datetime]]:
        qs = Article.objects.filter(published_at__gte=since).exclude(fingerprint="").order_by("published_at")
        yield from qs.values_list("id", "fingerprint", "published_at").iterator(chunk_size=2000)

    def save_understanding(self, outcomes: Sequence[UnderstandOutcome]) -> None:
        try:
            self._save_understanding(outcomes)
        except Exception:
            self._known_places = set()  # e.g. a place deleted in the admin: check again next time
            raise

    def _save_understanding(self, outcomes: Sequence[UnderstandOutcome]) -> None:
        now = timezone.now()
        from .sections import section_rules

        rules = section_rules()
        with transaction.atomic():
            arts = Article.objects.in_bulk([o.job.article_id for o in outcomes])
            links: list[ArticlePlace] = []
            memberships = []
            known: set[int] = set(self._known_places)
            for o in outcomes:
                art = arts.get(o.job.article_id)
                if art is None:
                    continue
                u = o.result
                art.language = u.lang.code[:16]
                art.lang_confidence = round(u.lang.confidence, 3)
                art.category = u.category
                art.category_confidence = round(u.category_confidence, 3)
                art.fingerprint = u.fingerprint.to_text()
                art.duplicate_of_id = (
                    o.duplicate_of if o.duplicate_of in arts or _exists(o.duplicate_of) else None
                )
                if not art.text:
                    art.text = o.job.text  # derived from the stored HTML at claim time
                art.understood_at = now
                art.understand_claimed_until = None
                place_ids = set()
                for m in u.places:
                    chain = _ensure_place(m.geonameid, known)
                    if not chain:
                        continue
                    links.append(
                        ArticlePlace(
                            article=art,
                            place_id=m.geonameid,
                            confidence=round(m.confidence, 3),
                            mentions=m.mentions,
                        )
                    )
                    place_ids.update(chain)
                for section_id, rule in rules:
                    if rule.matches(
                        category=u.category,
                        lang=u.lang.code,
                        place_ids=place_ids,
                        title=art.title,
                        text=o.job.text,
                    ):
                        memberships.append(Article.sections.through(article_id=art.pk, section_id=section_id))
            _update_rows(
                Article,
                list(arts.values()),
                (
                    "language",
                    "lang_confidence",
                    "category",
                    "category_confidence",
                    "fingerprint",
                    "duplicate_of",
                    "understood_at",
                    "understand_claimed_until",
                ),
            )
            ArticlePlace.objects.bulk_create(links, ignore_conflicts=True, batch_size=500)
            Article.sections.through.objects.bulk_create(memberships, ignore_conflicts=True, batch_size=500)
        self._known_places = known  # only after the commit: a rollback must not leave ids cached

    # --- stories (svodka_site.news.stories does the work) --------------------------------------
    def story_snapshots(self, *, since: datetime) -> list[StorySnapshot]:
        from .stories import load_snapshots

        return load_snapshots(since=since)

    def save_stories(
        self,
        assignments: Sequence[Assignment],
        snapshots: Sequence[StorySnapshot],
        articles: Sequence[StoryArticle] = (),
    ) -> None:
        from .search import reindex_articles
        from .stories import save_stories

        moved: list[int] = []
        save_stories(assignments, snapshots, articles, moved=moved)
        if moved:  # a merge changed the story of articles already in the search index
            try:
                reindex_articles(moved)
            except SearchUnavailable as exc:  # e.g. a rebuild holds the writer: it reads stories itself
                log.warning("search index not updated after a story merge: %s", exc.message)

    def stories_leader(self) -> bool:
        """Whether this crawler clusters stories. On PostgreSQL one crawler at a time holds a
        session-level advisory lock (released when its connection ends, e.g. the process exits);
        the embedded store has one crawler."""
        if connection.vendor != "postgresql":
            return True
        with connection.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            pid = cur.fetchone()[0]
            if pid == self._leader_pid:  # the same session still holds the lock
                return True
            cur.execute("SELECT pg_try_advisory_lock(%s)", [STORIES_LOCK_KEY])
            if cur.fetchone()[0]:
                self._leader_pid = pid
                return True
        return False

    def unclustered_articles(self, *, since: datetime, limit: int) -> list[StoryArticle]:
        from .stories import unclustered

        return unclustered(since=since, limit=limit)

    # --- WebSub ----------------------------------------------------------------------
    def websub_due(self, *, now: datetime, limit: int) -> list[WebSubJob]:
        """Feeds whose hub we have not asked yet, whose lease ends within a day, or whose
        request failed or went unverified for an hour."""
        qs = (
            Feed.objects.exclude(websub_hub="")
            .exclude(status=FeedStatus.PAUSED)
            .filter(
                Q(websub_state="")
                | Q(websub_state="subscribed", websub_expires_at__lt=now + timedelta(days=1))
                | Q(
                    websub_state__in=["requested", "failed"], websub_requested_at__lt=now - timedelta(hours=1)
                )
            )
        )
        jobs = []
        for f in qs[:limit]:
            if not f.websub_secret:
                f.websub_secret = secrets.token_hex(20)
                f.save(update_fields=["websub_secret"])
            jobs.append(WebSubJob(f.pk, f.websub_hub, f.websub_topic or f.url, f.websub_secret))
        return jobs

    def websub_requested(self, job: WebSubJob, *, now: datetime, error: str | None) -> None:
        Feed.objects.filter(pk=job.feed_id).update(
            websub_state="failed" if error else "requested",
            websub_requested_at=now,
            websub_error=(error or "")[:500],
        )

    def save_pages(self, outcomes: Sequence[PageOutcome]) -> None:
        with transaction.atomic():
            arts = Article.objects.in_bulk([o.job.article_id for o in outcomes])
            changed = []
            for o in outcomes:
                art = arts.get(o.job.article_id)
                if art is None:
                    continue
                art.text_claimed_until = None
                art.text_status = o.status
                art.text_error = o.error[:500]
                ex = o.extracted
                if ex is not None and ex.text.strip():
                    art.text = ex.text
                    art.content = ex.html or art.content
                    if ex.author and not art.author:
                        art.author = ex.author[:300]
                    if ex.image and not art.image:
                        art.image = ex.image[:2000]
                    if ex.published and art.date_note:
                        # the feed's date was missing or adjusted; the page's own time is better
                        art.published_at = min(ex.published, art.first_seen_at)
                changed.append(art)
            Article.objects.bulk_update(
                changed,
                [
                    "text_claimed_until",
                    "text_status",
                    "text_error",
                    "text",
                    "content",
                    "author",
                    "image",
                    "published_at",
                ],
            )


PAGE_PATIENCE = timedelta(minutes=10)


def storage_opener(*, fetch_pages: bool | None = None) -> Callable[[], DjangoStorage] | None:
    """A picklable factory that opens this process's store in another process (the crawler's
    feed processes), or None when another process cannot share it: an in-memory SQLite
    database, or data this connection has not committed yet (an open transaction)."""
    name = str(connection.settings_dict["NAME"])
    if connection.in_atomic_block or (
        connection.vendor == "sqlite" and (name == ":memory:" or "mode=memory" in name)
    ):
        return None
    # None: unset here, so unset there too (the forkserver's environment may be older)
    env = {k: os.environ.get(k) for k in ("SVODKA_DATA", "DATABASE_URL")}
    return functools.partial(
        open_storage,
        settings_module=os.environ.get("DJANGO_SETTINGS_MODULE", "svodka_site.settings"),
        env=env,
        database=name,
        fetch_pages=fetch_pages,
    )


def _exists(article_id: int | None) -> bool:
    return article_id is not None and Article.objects.filter(pk=article_id).exists()


def _ensure_place(geonameid: int, known: set[int] | None = None) -> list[int]:
    """Create the place and its region and country rows when missing; returns the chain's ids
    (city, region, country). ``known``: ids already checked in this transaction."""
    from svodka.understand.geo import gazetteer

    chain = gazetteer().hierarchy(geonameid)
    ids = [p.geonameid for p in chain]
    if not chain or (known is not None and known.issuperset(ids)):
        return ids
    existing = set(Place.objects.filter(id__in=ids).values_list("id", flat=True))
    region_pk = None
    for p in reversed(chain):  # country, region, city
        if p.kind == PlaceKind.REGION:
            region_pk = p.geonameid
        if p.geonameid in existing:
            continue
        names = gazetteer().names(p.geonameid)
        Place.objects.get_or_create(
            id=p.geonameid,
            defaults={
                "kind": p.kind,
                "slug": p.slug,
                "name_en": names.get("en", p.name),
                "name_ru": names.get("ru", "") if p.name_ru else "",
                "name_uk": names.get("uk", "") if p.name_uk else "",
                "country": p.country,
                "region_id": region_pk if p.kind == PlaceKind.CITY else None,
                "population": p.population,
            },
        )
    if known is not None:
        known.update(ids)
    return ids


_ARTICLE_COLUMNS = (
    "source_id",
    "url",
    "guid",
    "title",
    "summary",
    "content",
    "text",
    "author",
    "image",
    "language",
    "published_at",
    "date_note",
    "first_seen_at",
    "content_hash",
    "text_status",
)
_PROVENANCE_COLUMNS = ("article_id", "feed_id", "guid", "guid_key", "entry_url", "seen_at")


# Bulk writes without the ORM's per-object SQL compilation: on the ingest path that compilation
# cost 7x more than SQLite itself (benchmarks/README.md). Values are adapted by each field, so
# SQLite and PostgreSQL get what Django would have sent. Many rows go in one multi-row INSERT:
# fewer statements than executemany, and RETURNING can hand back the ids of the rows inserted.
def _insert_rows(
    model: type[models.Model],
    rows: Sequence[Any],
    *,
    returning: Sequence[str] = (),
    columns: Sequence[str] | None = None,
) -> list[tuple[Any, ...]]:
    """Insert ``rows``, skipping rows that hit a unique constraint. Rows are dicts (attname ->
    value; missing fields get their defaults) or, with ``columns`` (attnames), tuples in that
    order (the other fields get their defaults). With ``returning`` (column names), returns
    those columns of the rows really inserted (conflicting rows return nothing), in no
    particular order."""
    if not rows:
        return []
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    if columns is None:
        pick = operator.itemgetter(*(f.attname for f in fields))
        defaults = {f.attname: f.get_default() for f in fields}
        rows = [pick({**defaults, **row}) for row in rows]
        columns = [f.attname for f in fields]
    by_name = {f.attname: f for f in fields}
    given = [by_name[c] for c in columns]
    rest = [f for f in fields if f.attname not in set(columns)]
    adapt_dt = _datetime_adapter()
    # the other fields' defaults are the same for every row: adapted once
    rest_values = tuple(f.get_default() for f in rest)
    rest_values = tuple(
        adapt_dt(v) if v is not None and isinstance(f, models.DateTimeField) else v
        for f, v in zip(rest, rest_values, strict=True)
    )
    dt_cols = [i for i, f in enumerate(given) if isinstance(f, models.DateTimeField)]
    qn = connection.ops.quote_name
    width = len(given) + len(rest)
    names = ", ".join(qn(f.column) for f in (*given, *rest))
    head = f"INSERT INTO {qn(model._meta.db_table)} ({names}) VALUES "
    tail = " ON CONFLICT DO NOTHING"
    if returning:
        tail += f" RETURNING {', '.join(qn(c) for c in returning)}"
    per_statement = max(1, min(500, _max_params() // width))
    out: list[tuple[Any, ...]] = []
    with _bulk_cursor() as (cur, mark):
        one = f"({', '.join([mark] * width)})"
        for chunk in _chunks(list(rows), per_statement):
            params: list[Any] = []
            for row in chunk:
                if dt_cols:
                    row = list(row)
                    for i in dt_cols:
                        if row[i] is not None:
                            row[i] = adapt_dt(row[i])
                params += row
                params += rest_values
            cur.execute(head + ", ".join([one] * len(chunk)) + tail, params)
            if returning:
                out.extend(cur.fetchall())
    return out


def _feeds_to_save(ids: list[int]) -> dict[int, Feed]:
    """The feeds of a save, with their source's language as ``source_language``: one raw query
    (the ORM's compilation of the same select_related query cost 1.2 ms, against 0.4 ms, on
    each of the ~80 small saves of the ingest benchmark's 10,000 entries)."""
    if not ids:
        return {}
    qn = connection.ops.quote_name
    cols = ", ".join(f"f.{qn(f.column)}" for f in Feed._meta.concrete_fields)
    sql = (
        f"SELECT {cols}, s.{qn('language')} AS source_language FROM {qn(Feed._meta.db_table)} f "
        f"INNER JOIN {qn(Source._meta.db_table)} s ON s.{qn('id')} = f.{qn('source_id')} "
        f"WHERE f.{qn('id')} IN ({_marks(ids)})"
    )
    return {f.pk: f for f in Feed.objects.raw(sql, ids)}


def _guid_groups(
    keys_by_feed: dict[int, list[str]], *, max_keys: int = 500, max_feeds: int = 100
) -> Iterator[list[tuple[int, list[str]]]]:
    """(feed, guid keys) groups for one query each: at most ``max_keys`` keys and ``max_feeds``
    feeds (an OR term per feed; SQLite limits the depth of an expression)."""
    batch: list[tuple[int, list[str]]] = []
    size = 0
    for fid, keys in keys_by_feed.items():
        for part in _chunks(keys, max_keys):
            if batch and (size + len(part) > max_keys or len(batch) >= max_feeds):
                yield batch
                batch, size = [], 0
            batch.append((fid, part))
            size += len(part)
    if batch:
        yield batch


def _marks(values: Sequence[Any], mark: str = "%s") -> str:
    return ", ".join([mark] * len(values))


class _StoreBusy(Exception):
    """Another connection holds the embedded store's write lock."""


@contextlib.contextmanager
def _write_transaction(*, wait: bool) -> Iterator[None]:
    """``transaction.atomic()``. With ``wait=False`` on SQLite, raises ``_StoreBusy`` at once
    instead of waiting (up to the busy timeout) while another connection is writing: the
    transaction begins IMMEDIATE, so the write lock is taken at its start or not at all."""
    if wait or connection.vendor != "sqlite" or connection.in_atomic_block:
        with transaction.atomic():
            yield
        return
    connection.ensure_connection()
    raw = connection.connection
    busy_ms = int(raw.execute("PRAGMA busy_timeout").fetchone()[0])
    raw.execute("PRAGMA busy_timeout = 0")
    begun = False
    try:
        with transaction.atomic():
            begun = True
            raw.execute(f"PRAGMA busy_timeout = {busy_ms}")
            yield
    except OperationalError as exc:
        if not begun and "locked" in str(exc):
            raise _StoreBusy from exc
        raise
    finally:
        if not begun:
            raw.execute(f"PRAGMA busy_timeout = {busy_ms}")


@contextlib.contextmanager
def _bulk_cursor() -> Iterator[tuple[Any, str]]:
    """A cursor for the big statements of the ingest path, and its placeholder. On SQLite
    it is the driver's own cursor with ``?``: Django's wrapper rewrites every ``%s`` of a
    statement with a regular expression, which on 500-row INSERTs cost a tenth of the save
    (same connection, so the surrounding transaction still applies)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        cur = connection.connection.cursor()
        try:
            yield cur, "?"
        finally:
            cur.close()
    else:
        with connection.cursor() as cur:
            yield cur, "%s"


def _ids_by_url(urls: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    if not urls:
        return found
    sql = f"SELECT url, id FROM {connection.ops.quote_name(Article._meta.db_table)} WHERE url IN "
    with _bulk_cursor() as (cur, mark):
        for chunk in _chunks(urls, 500):
            cur.execute(f"{sql}({_marks(chunk, mark)})", chunk)
            found.update(cur.fetchall())
    return found


def _max_params() -> int:
    if connection.vendor == "sqlite":
        # Django assumes SQLite's old default of 999; the real limit is 32766 since 3.32.
        connection.ensure_connection()
        return int(connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    return int(connection.features.max_query_params or 65535)


def _datetime_adapter() -> Callable[[datetime | None], Any]:
    """``connection.ops.adapt_datetimefield_value``, without its per-call overhead where the
    answer is known: on SQLite a UTC datetime becomes its naive text form."""
    slow = connection.ops.adapt_datetimefield_value
    if connection.vendor != "sqlite" or not settings.USE_TZ or connection.timezone_name != "UTC":
        return slow

    memo: dict[datetime, Any] = {}  # rows of one batch share their "now"

    def adapt(value: datetime | None) -> Any:
        if value is None:
            return None
        done = memo.get(value)
        if done is None:
            offset = value.utcoffset()
            done = str(value.replace(tzinfo=None)) if offset is not None and not offset else slow(value)
            memo[value] = done
        return done

    return adapt


def _update_rows(model: type[models.Model], objs: Sequence[models.Model], names: Sequence[str]) -> None:
    if not objs:
        return
    fields = [model._meta.get_field(n) for n in names]
    qn = connection.ops.quote_name
    adapt_dt = _datetime_adapter()
    params = [[*(_adapt(f, getattr(o, f.attname), adapt_dt) for f in fields), o.pk] for o in objs]
    with _bulk_cursor() as (cur, mark):
        sql = (
            f"UPDATE {qn(model._meta.db_table)} SET {', '.join(f'{qn(f.column)} = {mark}' for f in fields)} "
            f"WHERE {qn(model._meta.pk.column)} = {mark}"
        )
        cur.executemany(sql, params)


def _adapt(
    field: models.Field,  # type: ignore[type-arg]
    value: Any,
    adapt_dt: Callable[[datetime | None], Any] | None = None,
) -> Any:
    if value is None:
        return None
    if isinstance(field, models.DateTimeField):
        return adapt_dt(value) if adapt_dt is not None else connection.ops.adapt_datetimefield_value(value)
    if isinstance(field, (models.JSONField, models.BinaryField)):
        return field.get_db_prep_save(value, connection)
    if isinstance(value, models.TextChoices):
        return value.value
    return value


def _chunks(seq: list, n: int):  # type: ignore[no-untyped-def,type-arg]
    for i in range(0, len(seq), n):
        yield seq[i : i + n]
