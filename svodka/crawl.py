"""The crawler: due feeds → fetch → parse → article records → storage; then article pages.

Framework-free: storage is reached only through the ``Storage`` protocol (the Django layer
implements it in ``svodka_site.news.storage``; tests may implement it in memory). Storage
calls run on one dedicated thread, so the store sees a single writer per crawler process;
several crawler processes share work through ``claim_feeds`` (``FOR UPDATE SKIP LOCKED``
on PostgreSQL).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from svodka._procs import pool_pids, process_context, processes_setting
from svodka.errors import ExtractError
from svodka.feedwork import (
    FeedJob,
    FeedOutcome,
    process_feed_body,
    process_feed_response,
    process_in_child,
    watch_parent,
)
from svodka.fetch import Fetcher, FetchPolicy, websub
from svodka.search import SearchUnavailable
from svodka.types import ExtractedArticle
from svodka.understand import Understanding

if TYPE_CHECKING:
    from svodka.stories import StoryArticle
    from svodka.stories.cluster import StoryClusterer
    from svodka.understand.dedupe import NearDupIndex

__all__ = ["Crawler", "FeedJob", "FeedOutcome", "Storage", "process_feed_body", "process_feed_response"]

T = TypeVar("T")
J = TypeVar("J")
R = TypeVar("R")
log = logging.getLogger(__name__)
WEBSUB_LEASE_S = 10 * 86400
DUP_WINDOW = timedelta(hours=72)
STORY_WINDOW = timedelta(days=3)  # a developing story keeps collecting this long after its last report
STORY_SWEEP_S = 30.0  # how often the story leader looks for articles other crawlers understood
MAINTAIN_EVERY_S = 600
# batches one understand pass of the long-running crawler takes before the search index catches up:
# a pass of several keeps the understand pool busy while the previous batch is saved
UNDERSTAND_BATCHES_PER_PASS = 4
STOP_GRACE_S = 3.0  # how long a stopping crawler lets in-flight steps finish before cancelling them
FEED_PROCESS_START_S = 120.0  # a feed process that has not opened its store by then is an error


@dataclass(slots=True)
class PageJob:
    article_id: int
    url: str


@dataclass(slots=True)
class PageOutcome:
    job: PageJob
    extracted: ExtractedArticle | None
    status: str  # ok / failed / robots
    error: str = ""


@dataclass(slots=True)
class UnderstandJob:
    article_id: int
    title: str
    text: str
    lang_hint: str | None
    published: datetime
    source_id: int = 0  # the outlet, for stories (one outlet's rewrites count once)


@dataclass(slots=True)
class UnderstandOutcome:
    job: UnderstandJob
    result: Understanding
    duplicate_of: int | None  # the original's article id (near-duplicate)


@dataclass(slots=True)
class WebSubJob:
    feed_id: int
    hub: str
    topic: str
    secret: str


@dataclass(slots=True)
class SaveStats:
    new: int = 0
    updated: int = 0
    seen: int = 0


class Storage(Protocol):
    @property
    def one_writer_at_a_time(self) -> bool:
        """True when a write transaction keeps every other writer out (embedded SQLite)."""
        ...

    def claim_feeds(self, *, limit: int, worker: str, now: datetime, lease_s: int) -> list[FeedJob]: ...

    def save_feeds(
        self, outcomes: Sequence[FeedOutcome], *, worker: str, wait: bool = True
    ) -> SaveStats | None:
        """Store fetched feeds in one transaction. With ``wait=False``, a store that lets one
        writer in at a time returns None at once, saving nothing, while another holds it."""
        ...

    def release_dead_workers(
        self, workers: Sequence[str], *, now: datetime, blame: Mapping[int, str]
    ) -> list[int]:
        """After these workers (feed processes) died: the feeds they still held are fetched again
        in the next pass, and each feed of ``blame`` (id -> what killed the process reading it)
        is marked failing — or paused, the second time in a row. Returns the ids paused."""
        ...

    def claim_pages(self, *, limit: int, worker: str, now: datetime, lease_s: int) -> list[PageJob]: ...

    def save_pages(self, outcomes: Sequence[PageOutcome]) -> None: ...

    def websub_due(self, *, now: datetime, limit: int) -> list[WebSubJob]: ...

    def websub_requested(self, job: WebSubJob, *, now: datetime, error: str | None) -> None: ...

    def maintain(self, *, now: datetime) -> int: ...

    def claim_understanding(
        self, *, limit: int, worker: str, now: datetime, lease_s: int
    ) -> list[UnderstandJob]: ...

    def recent_fingerprints(self, *, since: datetime) -> Iterable[tuple[int, str, datetime]]: ...

    def save_understanding(self, outcomes: Sequence[UnderstandOutcome]) -> None: ...


@dataclass(slots=True)
class CrawlStats:
    feeds: int = 0
    feeds_failed: int = 0
    entries: int = 0
    new: int = 0
    updated: int = 0
    pages: int = 0
    pages_failed: int = 0
    understood: int = 0
    seconds: float = 0.0
    # CPU time the run took in the crawler's process and its feed processes (not parse children)
    cpu_s: float = 0.0


ProgressFn = Callable[[str, int], None]


def utcnow() -> datetime:
    return datetime.now(UTC)


def default_worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Crawler:
    """Fetches due feeds and article pages until told to stop (or once, for ``crawl --once``)."""

    def __init__(
        self,
        storage: Storage,
        policy: FetchPolicy,
        *,
        worker: str | None = None,
        fetch_pages: bool = True,
        batch: int = 200,
        lease_s: int = 300,
        clock: Callable[[], datetime] = utcnow,
        progress: ProgressFn | None = None,
        websub_callback: str | None = None,
        understand: bool = True,
        parse_workers: int | None = None,
        storage_factory: Callable[[], Storage] | None = None,
        feed_processes: int | None = None,
        save_inline: bool = False,
    ) -> None:
        self.storage = storage
        self.policy = policy
        self.worker = worker or default_worker_name()
        self.fetch_pages = fetch_pages
        self.batch = batch
        self.lease_s = lease_s
        self.clock = clock
        self.progress = progress
        # Base URL hubs call back (``<base><feed id>/``); None: do not subscribe (no public URL).
        self.websub_callback = websub_callback
        self.understand = understand
        # Feeds are saved from the event loop's own turn, a few at a time, only while the store's
        # write lock is free (see _InlineSaves): for feed processes sharing one embedded SQLite.
        self.save_inline = save_inline
        # One thread for every storage call: a single writer per process, and Django's
        # connections stay on that thread.
        self._db = ThreadPoolExecutor(max_workers=1, thread_name_prefix="svodka-db")
        self._db_calls = 0  # storage calls awaited on the DB thread right now (see _InlineSaves)
        self._cpu = ThreadPoolExecutor(max_workers=1, thread_name_prefix="svodka-extract")
        self._understander: ThreadPoolExecutor | None = None  # waits on the understand pool
        # Parsing and preparing entries is pure CPU: on a machine with a second core it runs in
        # child processes, so it does not share the GIL with fetching and storage. One child per
        # core (up to 4): on 2 cores two children finished the ingest benchmark about 7 % sooner than
        # one, because the crawler's own process leaves a core idle while it waits on SQLite.
        #
        # Given a ``storage_factory`` (a picklable callable that opens the same store in another
        # process), the feeds pass instead runs in ``feed_processes`` whole feed workers: each
        # claims, fetches, parses and stores its own feeds, as several crawlers sharing one
        # database do. Nothing but a few counters crosses between processes then; sending bodies
        # to parse processes and records back cost the crawler a quarter of its CPU.
        self._ticks: Any = None
        self._stop_upto: Any = None  # feed passes with an id up to this one wind down
        self._feeds_ready: Any = None
        self._pass_id = 0
        self._broken_passes = 0  # passes in a row that lost a feed process
        self._feedprocs: ProcessPoolExecutor | None = None
        self._feedproc_count = 0
        self._feedproc_factory: Callable[[], Storage] | None = None
        self._feedprocs_started: list[Any] = []
        if feed_processes is None:
            feed_processes = default_feed_processes() if storage_factory is not None else 0
        if feed_processes > 0:
            if storage_factory is None:
                raise ValueError("feed_processes needs a storage_factory")
            parse_workers = 0
            # each process gets a share of the per-host limit, at least one connection: more
            # processes than that would open more connections to one host than it allows
            self._start_feed_processes(storage_factory, min(feed_processes, self.policy.per_host))
        if parse_workers is None:
            cores = os.cpu_count() or 1
            parse_workers = min(cores, 4) if cores > 1 else 0
        self._parse: Executor | None = None
        if parse_workers > 0:
            # (from a forkserver that imported the parse modules once: 0.2 s sooner on the
            # benchmark's 1.9 s than fresh interpreters)
            mp = process_context(["svodka.feedwork"])
            self._parse = ProcessPoolExecutor(
                max_workers=parse_workers, mp_context=mp, initializer=watch_parent, initargs=(os.getpid(),)
            )
            for _ in range(parse_workers):  # start the children now, while the first claims are made
                self._parse.submit(int)
        self._stop = asyncio.Event()
        self._external_stop: Callable[[], bool] | None = None  # a feed process's view of its parent's stop
        # a feed process's note of the feed it is parsing (0: none), read by the crawler when the
        # process dies, so a feed that kills its parser is known
        self._processing: Callable[[int], None] | None = None
        self._neardup: NearDupIndex | None = None

    def _start_feed_processes(self, storage_factory: Callable[[], Storage], n: int) -> None:
        mp = process_context(["svodka.crawl"])
        self._ticks = mp.Value("q", 0)  # feeds done, summed over the feed processes (progress)
        self._stop_upto = mp.Value("q", 0)
        self._feeds_ready = mp.Value("i", 0)  # feed processes that have opened their stores
        # per process: (pid, the feed it is parsing or 0), see _crash_blame
        # (no lock of its own: a process killed while holding it would leave the crawler waiting
        # on it forever; each slot has one writer, and slots are handed out under _busy_lock)
        self._busy = mp.Array("q", 2 * n, lock=False)
        self._busy_lock = mp.Lock()
        # politeness holds across the processes: each gets its share of the per-host and total
        # connection limits (at least one)
        policy = replace(
            self.policy, per_host=max(1, self.policy.per_host // n), total=max(1, self.policy.total // n)
        )
        settings = _FeedProcSettings(
            storage_factory=storage_factory,
            policy=policy,
            worker=self.worker,
            fetch_pages=self.fetch_pages,
            batch=max(1, self.batch // n),
            lease_s=self.lease_s,
            parent_pid=os.getpid(),
        )
        self._feedprocs = ProcessPoolExecutor(
            max_workers=n,
            mp_context=mp,
            initializer=_feedproc_init,
            initargs=(settings, self._ticks, self._stop_upto, self._feeds_ready, self._busy, self._busy_lock),
        )
        self._feedproc_count = n
        # start them now (each sets its store up) while the caller goes on
        self._feedprocs_started = [self._feedprocs.submit(int) for _ in range(n)]
        self._feedproc_factory = storage_factory

    async def _feed_processes_ready(self) -> None:
        """Wait until the feed processes have started and opened their stores (setup, like the
        caller's own: ``run_once`` times the crawl from here)."""
        deadline = time.monotonic() + FEED_PROCESS_START_S
        while self._feedprocs is not None and self._feeds_ready.value < self._feedproc_count:
            for f in self._feedprocs_started:
                if f.done() and f.exception() is not None:  # a process could not open the store
                    raise RuntimeError(f"a feed process did not start: {f.exception()}")
            if getattr(self._feedprocs, "_broken", False):  # one died starting, after the others
                raise RuntimeError("a feed process died while it started")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the feed processes did not start within {FEED_PROCESS_START_S:.0f} s")
            await asyncio.sleep(0.01)

    def feed_process_pids(self) -> list[int]:
        """Process ids of the running feed processes (for measurements and tests)."""
        return pool_pids(self._feedprocs)

    def _restart_feed_processes(self) -> None:
        """Replace feed processes after one died; after three passes in a row that lost one,
        fetch in this process instead (a store the processes cannot open, a feed that crashes
        its parser each time) rather than start new ones forever."""
        old = self._feedprocs
        if old is None or self._feedproc_factory is None:
            return
        self._feedprocs = None
        old.shutdown(wait=False, cancel_futures=True)
        self._broken_passes += 1
        if self._broken_passes >= 3:
            log.error(
                "feed processes died in %d passes in a row; fetching in the crawler's own process",
                self._broken_passes,
            )
            return
        log.error("a feed process died; restarting the feed processes")
        self._start_feed_processes(self._feedproc_factory, self._feedproc_count)

    async def _after_crash(self, pool: ProcessPoolExecutor, procs: Mapping[int, Any]) -> None:
        """A feed process died during a pass (and the pool ended the others): the feeds they held
        are fetched again in the next pass instead of after their lease, and a feed whose parsing
        was under way in the process that died is blamed (paused if it happens twice in a row)."""
        # the pool's own thread ends the other processes and collects every exit status: wait for
        # it (reading a status beside it could take it from under it)
        manager = getattr(pool, "_executor_manager_thread", None)
        if manager is not None:
            await asyncio.to_thread(manager.join, STOP_GRACE_S + 5)
        if not procs:  # (ProcessPoolExecutor's private mapping of its processes is gone)
            log.warning("a feed process died, but the pool does not say which: nothing blamed")
        blame = _crash_blame(procs, self._busy)
        for feed_id, why in blame.items():
            log.error("a feed process died while parsing feed %s (%s)", feed_id, why)
        try:
            paused = await self._in_db(
                self.storage.release_dead_workers,
                [f"{self.worker}/{pid}" for pid in procs],
                now=self.clock(),
                blame=blame,
            )
        except Exception:  # the leases still lapse: nothing is lost
            log.exception("releasing the feeds of dead feed processes failed")
            return
        for feed_id in paused:
            log.error("feed %s paused: its parsing killed a feed process twice in a row", feed_id)

    def _stop_feed_passes(self) -> None:
        if self._stop_upto is not None:
            self._stop_upto.value = self._pass_id

    def _stopping(self) -> bool:
        return self._stop.is_set() or (self._external_stop is not None and self._external_stop())

    async def _in_db(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        self._db_calls += 1
        try:
            return await loop.run_in_executor(self._db, lambda: fn(*args, **kwargs))
        finally:
            self._db_calls -= 1

    def close(self) -> None:
        self._close_feed_processes()
        closer = getattr(self.storage, "close", None)
        if closer is not None:  # the storage's connections live on the DB thread: close them there
            self._db.submit(closer).result()
        self._db.shutdown(wait=True)
        self._cpu.shutdown(wait=True)
        if self._understander is not None:
            self._understander.shutdown(wait=True)
        if self._parse is not None:
            self._parse.shutdown(wait=True)

    def _close_feed_processes(self) -> None:
        """A pass still running stops claiming and winds down (slow fetches are cancelled after
        the grace); a process that has not exited some seconds later is killed."""
        pool, self._feedprocs = self._feedprocs, None
        if pool is None:
            return
        self._stop_feed_passes()
        pids = pool_pids(pool)
        pool.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + STOP_GRACE_S + 5
        while pids and time.monotonic() < deadline:
            pids = [p for p in pids if _alive(p)]
            time.sleep(0.05)
        for pid in pids:
            log.error("feed process %s did not stop; killing it", pid)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        pool.shutdown(wait=True)

    def _tick(self, kind: str, n: int = 1) -> None:
        if self.progress is not None:
            self.progress(kind, n)

    async def _pipeline(
        self,
        claim: Callable[[int], Awaitable[list[J]]],
        work: Callable[[J], Awaitable[R]],
        save: Callable[[list[R]], Awaitable[Any]],
        on_done: Callable[[R], None],
        *,
        keep_claiming: bool,
        limit: int | None = None,
        tick: Callable[[], None] | None = None,
    ) -> int:
        """Claim jobs as slots free up, run them concurrently, and save results in small
        batches every half second, so one slow host never holds back what others delivered.
        ``tick``, when given, runs at least every half second."""
        in_flight: set[asyncio.Task[R]] = set()
        pending: list[R] = []
        saves: list[asyncio.Future[Any]] = []
        claimed = 0
        exhausted = False
        last_claim = last_flush = time.monotonic()

        def flush() -> None:
            nonlocal pending, last_flush
            if pending:
                saves.append(asyncio.ensure_future(save(pending)))
                pending = []
            last_flush = time.monotonic()

        while True:
            room = self.batch - len(in_flight)
            if limit is not None:
                room = min(room, limit - claimed)
            may_claim = not self._stopping() and (
                not exhausted or (keep_claiming and time.monotonic() - last_claim > 1.0)
            )
            if may_claim and (room >= max(1, self.batch // 4) or (room > 0 and not in_flight)):
                jobs = await claim(room)
                last_claim = time.monotonic()
                exhausted = len(jobs) < room
                claimed += len(jobs)
                in_flight.update(asyncio.ensure_future(work(j)) for j in jobs)
            if not in_flight:
                break
            finished, in_flight = await asyncio.wait(
                in_flight, timeout=0.5, return_when=asyncio.FIRST_COMPLETED
            )
            for task in finished:
                outcome = task.result()
                pending.append(outcome)
                on_done(outcome)
            if tick is not None:
                tick()
            # save when the store is free (batches then grow with the store's own pace, and
            # the last one after the final result stays small), or when enough piled up
            idle = all(f.done() for f in saves)
            if (pending and (idle or len(pending) >= 50)) or time.monotonic() - last_flush >= 0.5:
                flush()
        flush()
        await asyncio.gather(*saves)
        return claimed

    async def feeds_pass(self, fetcher: Fetcher, stats: CrawlStats, *, keep_claiming: bool = False) -> int:
        """Fetch due feeds until none are due. Returns how many were fetched."""
        if self._feedprocs is not None:
            return await self._feeds_in_processes(stats, keep_claiming=keep_claiming)

        async def claim(n: int) -> list[FeedJob]:
            return await self._in_db(
                self.storage.claim_feeds, limit=n, worker=self.worker, now=self.clock(), lease_s=self.lease_s
            )

        async def work(job: FeedJob) -> FeedOutcome:
            result = await fetcher.fetch(job.url, etag=job.etag, last_modified=job.last_modified)
            try:
                if self._parse is not None and result.body:
                    loop = asyncio.get_running_loop()
                    return await loop.run_in_executor(
                        self._parse, process_in_child, job, result, self.clock()
                    )
                if self._processing is None:
                    return process_feed_response(job, result, now=self.clock())
                self._processing(job.id)
                try:
                    return process_feed_response(job, result, now=self.clock())
                finally:
                    self._processing(0)
            except Exception as exc:  # a bug in a stage must not stop the crawl: explain it on the feed
                log.exception("processing %s failed", job.url)
                return FeedOutcome(
                    job=job,
                    fetched_at=self.clock(),
                    result=result,
                    error_code="internal",
                    error=f"svodka could not process this feed ({type(exc).__name__}: {exc})",
                )

        async def save(outcomes: list[FeedOutcome]) -> None:
            saved = await self._in_db(self.storage.save_feeds, outcomes, worker=self.worker)
            assert saved is not None  # a waiting save always saves
            stats.new += saved.new
            stats.updated += saved.updated

        def on_done(o: FeedOutcome) -> None:
            stats.feeds += 1
            stats.entries += len(o.records)
            if not o.ok:
                stats.feeds_failed += 1
            self._tick("feeds")

        if not self.save_inline:
            return await self._pipeline(claim, work, save, on_done, keep_claiming=keep_claiming)

        inline = _InlineSaves(self, stats)

        async def work_and_save(job: FeedJob) -> FeedOutcome:
            outcome = await work(job)
            inline.add(outcome)
            return outcome

        async def saved_already(outcomes: list[FeedOutcome]) -> None:
            return None

        try:
            claimed = await self._pipeline(
                claim, work_and_save, saved_already, on_done, keep_claiming=keep_claiming, tick=inline.tick
            )
        except asyncio.CancelledError:
            try:  # what was fetched and parsed before the stop is kept
                inline.flush(wait=True)
            except Exception:
                log.exception("saving %d feeds after a stop failed", len(inline.outcomes))
            raise
        inline.flush(wait=True)
        return claimed

    async def _feeds_in_processes(self, stats: CrawlStats, *, keep_claiming: bool) -> int:
        """One feeds pass in every feed process at once; their counts are added to ``stats``."""
        loop = asyncio.get_running_loop()
        if getattr(self._feedprocs, "_broken", False):  # a process died between passes
            self._restart_feed_processes()
            if self._feedprocs is None:  # gave up on them: the next pass fetches here
                return 0
            await self._feed_processes_ready()
        assert self._feedprocs is not None
        self._pass_id += 1
        pass_id, ticks = self._pass_id, self._ticks
        # the pool and its processes, kept to read their exit codes should one die during this pass
        pool = self._feedprocs
        procs = dict(getattr(pool, "_processes", None) or {})
        ticked = int(ticks.value)
        futures = [
            loop.run_in_executor(self._feedprocs, _feedproc_pass, keep_claiming, pass_id)
            for _ in range(self._feedproc_count)
        ]

        def tick() -> None:
            nonlocal ticked
            done = int(ticks.value)
            if done > ticked:
                self._tick("feeds", done - ticked)
                ticked = done

        try:
            pending: set[asyncio.Future[CrawlStats]] = set(futures)
            while pending:
                if self._stop.is_set():
                    self._stop_feed_passes()
                _, pending = await asyncio.wait(pending, timeout=0.25)
                tick()
        except asyncio.CancelledError:
            self._stop_feed_passes()  # the processes cancel their own in-flight fetches
            raise
        claimed = 0
        broken = False
        for f in futures:
            try:
                part = f.result()
            except BrokenProcessPool:
                # a feed process died (killed, out of memory) and the pool ended the others'
                # passes too: what they stored stays, the feeds they still held are fetched
                # again once their lease lapses, and new processes take the next pass
                broken = True
                continue
            claimed += part.feeds
            stats.feeds += part.feeds
            stats.feeds_failed += part.feeds_failed
            stats.entries += part.entries
            stats.new += part.new
            stats.updated += part.updated
            stats.cpu_s += part.cpu_s
        if broken:
            await self._after_crash(pool, procs)
        if broken and not self._stopping():
            self._restart_feed_processes()
        elif not broken:
            self._broken_passes = 0
        return claimed

    async def pages_pass(self, fetcher: Fetcher, stats: CrawlStats, *, limit: int | None = None) -> int:
        """Fetch and extract pending article pages (robots.txt honoured)."""
        loop = asyncio.get_running_loop()

        async def claim(n: int) -> list[PageJob]:
            return await self._in_db(
                self.storage.claim_pages, limit=n, worker=self.worker, now=self.clock(), lease_s=self.lease_s
            )

        async def work(job: PageJob) -> PageOutcome:
            result = await fetcher.fetch(job.url, check_robots=True, accept="text/html,application/xhtml+xml")
            if not result.ok or result.body is None:
                status = "robots" if result.error_code == "robots" else "failed"
                return PageOutcome(job, None, status, result.error or "the page was empty")
            body, ctype, final = result.body, result.content_type, result.final_url
            try:
                from svodka.extract import extract_article

                extracted = await loop.run_in_executor(
                    self._cpu, lambda: extract_article(body, final, content_type=ctype)
                )
            except ExtractError as exc:
                return PageOutcome(job, None, "failed", exc.message)
            except Exception as exc:  # never lose the article over an extractor bug
                log.exception("extracting %s failed", job.url)
                return PageOutcome(
                    job, None, "failed", f"svodka could not read this page ({type(exc).__name__})"
                )
            return PageOutcome(job, extracted, "ok")

        async def save(outcomes: list[PageOutcome]) -> None:
            await self._in_db(self.storage.save_pages, outcomes)

        def on_done(o: PageOutcome) -> None:
            stats.pages += 1
            if o.status != "ok":
                stats.pages_failed += 1
            self._tick("pages")

        return await self._pipeline(claim, work, save, on_done, keep_claiming=False, limit=limit)

    def _dup_index(self) -> NearDupIndex:
        """The near-duplicate index of the recent window, rebuilt from stored fingerprints once."""
        if self._neardup is None:
            from svodka.understand.dedupe import Fingerprint, NearDupIndex

            index = NearDupIndex(window=DUP_WINDOW)
            for article_id, fp_text, published in self.storage.recent_fingerprints(
                since=self.clock() - DUP_WINDOW
            ):
                with contextlib.suppress(ValueError):
                    index.add(article_id, Fingerprint.from_text(fp_text), published)
            self._neardup = index
        return self._neardup

    def _story_index(self) -> StoryClusterer | None:
        """The story clusterer of the recent window, resumed from stored stories once; None when
        the storage keeps no stories (an in-memory test storage, say)."""
        clusterer = getattr(self, "_stories", None)
        if clusterer is None:
            load = getattr(self.storage, "story_snapshots", None)
            if load is None or not hasattr(self.storage, "save_stories"):
                return None
            from svodka.stories.cluster import StoryClusterer

            clusterer = StoryClusterer(window=STORY_WINDOW)
            clusterer.load(load(since=self.clock() - STORY_WINDOW))
            self._stories: StoryClusterer | None = clusterer
            self._stories_evicted = time.monotonic()
            # after a (re)load: articles of the window left without a story get one
            self._stories_backfill = hasattr(self.storage, "unclustered_articles") and not getattr(
                self, "_stories_backfill_failed", False
            )
        return clusterer

    async def understand_pass(self, stats: CrawlStats, *, limit: int | None = None) -> int:
        """Language, category, places, near-duplicates for stored articles whose text is final;
        then each understood article joins a story (or starts one)."""
        from svodka.understand._pool import understand_parallel

        loop = asyncio.get_running_loop()
        index = await self._in_db(self._dup_index)
        clusterer = None
        try:
            if await self._is_story_leader():
                clusterer = await self._in_db(self._story_index)
        except Exception:  # stories must never hold back understanding; retried on the next pass
            log.exception("the story index could not be loaded")
            clusterer = None
        done = 0

        async def claim() -> list[UnderstandJob]:
            nonlocal done
            if limit is not None and done >= limit:
                return []
            jobs = await self._in_db(
                self.storage.claim_understanding,
                limit=self.batch if limit is None else min(self.batch, limit - done),
                worker=self.worker,
                now=self.clock(),
                lease_s=self.lease_s,
            )
            done += len(jobs)
            return jobs

        def compute(batch: list[UnderstandJob]) -> tuple[list[UnderstandJob], list[Any]]:
            ordered = sorted(batch, key=lambda j: j.published)
            # one embedding call per batch (several times faster than one by one), the batch
            # split over the understand pool's processes (svodka.understand._pool)
            return ordered, understand_parallel(
                [(j.title, j.text) for j in ordered], [j.lang_hint for j in ordered]
            )

        def near_duplicates(ordered: list[UnderstandJob], results: list[Any]) -> list[UnderstandOutcome]:
            out = []
            for job, result in zip(ordered, results, strict=True):  # in order: the earliest copy wins
                match = index.add(job.article_id, result.fingerprint, job.published)
                dup = match.original if match is not None and match.original != job.article_id else None
                out.append(UnderstandOutcome(job, result, dup))
            return out

        # A pipeline of two: while one batch is saved and clustered here, the next one is already
        # being understood (in the pool's processes), so neither side waits on the other.
        if self._understander is None:
            self._understander = ThreadPoolExecutor(max_workers=1, thread_name_prefix="svodka-understand")
        jobs = await claim()
        running = loop.run_in_executor(self._understander, compute, jobs) if jobs else None
        try:
            while running is not None:
                ordered, results = await running
                running = None
                more = await claim()
                if more:
                    running = loop.run_in_executor(self._understander, compute, more)
                outcomes = await loop.run_in_executor(self._cpu, near_duplicates, ordered, results)
                await self._in_db(self.storage.save_understanding, outcomes)
                stats.understood += len(outcomes)
                self._tick("understood", len(outcomes))
                if clusterer is not None:
                    clusterer = await self._stories_step(clusterer, outcomes)
        finally:
            if running is not None:  # a step above failed: let the batch in flight finish (its
                # claims expire and it is understood again later); never leave it unobserved
                with contextlib.suppress(Exception):
                    await running
        if clusterer is not None and getattr(self, "_stories_backfill", False):
            arts = await self._in_db(
                self.storage.unclustered_articles,  # type: ignore[attr-defined]
                since=self.clock() - STORY_WINDOW,
                limit=self.batch,
            )
            if len(arts) < self.batch:
                self._stories_backfill = False
            # a batch that keeps failing must not reload the index on every pass: stop trying
            if arts and await self._cluster_batch(clusterer, arts) is None:
                self._stories_backfill = False
                self._stories_backfill_failed = True
        return done

    async def _is_story_leader(self) -> bool:
        """One crawler at a time clusters stories (two clusterers would each open a story for the
        same event). The others understand as usual and leave stories to the leader, which sweeps
        the window for articles without a story every STORY_SWEEP_S; when the leader stops,
        another takes over at its next pass and resumes from the stored stories."""
        elect = getattr(self.storage, "stories_leader", None)
        if elect is None:
            return True
        leader = bool(await self._in_db(elect))
        if not leader:
            self._stories = None  # reload from the store if this crawler takes over later
            self._was_leader = False
            return False
        now = time.monotonic()
        if not getattr(self, "_was_leader", False) or now - getattr(self, "_swept_at", 0.0) > STORY_SWEEP_S:
            self._was_leader = True
            self._swept_at = now
            if not getattr(self, "_stories_backfill_failed", False):
                self._stories_backfill = hasattr(self.storage, "unclustered_articles")
        return True

    async def _stories_step(
        self, clusterer: StoryClusterer, outcomes: list[UnderstandOutcome]
    ) -> StoryClusterer | None:
        """Cluster one understood batch and store the assignments. A failure here never stops
        understanding: the batch stays without a story and the index is rebuilt from the store."""
        from svodka.stories import StoryArticle

        now = self.clock()
        arts = [
            StoryArticle(
                id=o.job.article_id,
                title=o.job.title,
                text=o.job.text[:2000],
                lang=o.result.lang.code,
                source_id=o.job.source_id,
                published=min(o.job.published, now),
                category=o.result.category,
                place_ids=tuple(dict.fromkeys(m.geonameid for m in o.result.places)),
                duplicate_of=o.duplicate_of,
                embedding=getattr(o.result, "embedding", None),  # computed once, by understand
            )
            for o in outcomes  # already oldest first
        ]
        return await self._cluster_batch(clusterer, arts)

    async def _cluster_batch(
        self, clusterer: StoryClusterer, arts: list[StoryArticle]
    ) -> StoryClusterer | None:
        from svodka.stories.embed import embed_articles

        now = self.clock()

        def cluster() -> tuple[list[Any], list[Any]]:
            missing = [a for a in arts if a.embedding is None]
            if missing:  # backfilled articles (and any the embedder failed on in understand)
                vecs = embed_articles([(a.title, a.text) for a in missing])
                for a, v in zip(missing, vecs, strict=True):
                    a.embedding = v
            if time.monotonic() - self._stories_evicted > MAINTAIN_EVERY_S:
                clusterer.evict(now)
                self._stories_evicted = time.monotonic()
            assignments = clusterer.add(arts)
            return assignments, clusterer.snapshots({a.story_id for a in assignments})

        loop = asyncio.get_running_loop()
        try:
            assignments, snapshots = await loop.run_in_executor(self._cpu, cluster)
            await self._in_db(self.storage.save_stories, assignments, snapshots, arts)  # type: ignore[attr-defined]
        except Exception:
            log.exception("story clustering failed for %d articles; rebuilding the story index", len(arts))
            self._stories = None
            return None  # rebuilt from the store on the next pass
        return clusterer

    async def websub_pass(self, fetcher: Fetcher) -> int:
        """Ask the hubs that feeds advertise to push new content to us (W3C WebSub)."""
        if not self.websub_callback:
            return 0
        jobs = await self._in_db(self.storage.websub_due, now=self.clock(), limit=self.batch)

        async def one(job: WebSubJob) -> None:
            result = await websub.subscribe(
                fetcher,
                job.hub,
                job.topic,
                f"{self.websub_callback}{job.feed_id}/",
                job.secret,
                WEBSUB_LEASE_S,
            )
            await self._in_db(self.storage.websub_requested, job, now=self.clock(), error=result.error)

        await asyncio.gather(*(one(j) for j in jobs))
        return len(jobs)

    async def search_pass(self, *, once: bool = False) -> int:
        """Bring the search index up to date with what was understood (a storage without
        ``search_sync`` has no index to feed). ``once``: one batch, else until caught up."""
        sync = getattr(self.storage, "search_sync", None)
        if sync is None:
            return 0
        done = 0
        while True:
            try:
                n = await self._in_db(sync, limit=self.batch)
            except SearchUnavailable as exc:  # e.g. `svodka search --rebuild` holds the writer
                log.warning("search index not updated: %s", exc.message)
                return done
            except Exception:  # a search failure never stops the crawler
                log.exception("search indexing failed; retrying on the next pass")
                return done
            done += n
            if once or not n:
                return done

    async def run_once(self, *, pages: bool | None = None) -> CrawlStats:
        stats = CrawlStats()
        await self._feed_processes_ready()
        t0, cpu0 = time.perf_counter(), time.process_time()
        async with Fetcher(self.policy) as fetcher:
            await self.feeds_pass(fetcher, stats)
            await self.websub_pass(fetcher)
            if self.fetch_pages if pages is None else pages:
                await self.pages_pass(fetcher, stats)
        if self.understand:
            await self.understand_pass(stats)
            await self.search_pass()
        stats.seconds = time.perf_counter() - t0
        stats.cpu_s += time.process_time() - cpu0
        return stats

    async def run_forever(self, stop: asyncio.Event, *, idle_s: float = 2.0) -> CrawlStats:
        """Feeds and article pages in two concurrent loops until ``stop`` is set."""
        self._stop = stop
        stats = CrawlStats()

        async def loop(step: Callable[[], Awaitable[int]]) -> None:
            while not stop.is_set():
                try:
                    busy = await step()
                except Exception:  # a failing pass (database hiccup, bug) must not end the crawler
                    log.exception("crawler pass failed; retrying in %s s", idle_s * 5)
                    self._neardup = None  # rebuilt from the store on the next pass
                    busy = 0
                    await asyncio.sleep(idle_s * 4)
                if not busy:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), timeout=idle_s)

        async with Fetcher(self.policy) as fetcher:

            async def feeds_then_hubs() -> int:
                return await self.feeds_pass(fetcher, stats, keep_claiming=True) + await self.websub_pass(
                    fetcher
                )

            async def housekeeping() -> int:
                await self._in_db(self.storage.maintain, now=self.clock())
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=MAINTAIN_EVERY_S)
                return 1

            loops = [loop(feeds_then_hubs), loop(housekeeping)]
            if self.fetch_pages:
                loops.append(loop(lambda: self.pages_pass(fetcher, stats, limit=self.batch)))
            if self.understand:

                async def understand_then_index() -> int:
                    # indexed after the story step inside understand_pass, so hits carry their story
                    busy = await self.understand_pass(stats, limit=self.batch * UNDERSTAND_BATCHES_PER_PASS)
                    return busy + await self.search_pass(once=True)

                loops.append(loop(understand_then_index))
            tasks = [asyncio.ensure_future(c) for c in loops]
            done_all = asyncio.ensure_future(asyncio.gather(*tasks))
            stopping = asyncio.ensure_future(stop.wait())
            await asyncio.wait([done_all, stopping], return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
            if not done_all.done():
                # Stopping: each loop ends after its current step. A step waiting on a slow host
                # (a feed that trickles one byte a second, a page behind a long timeout) gets
                # STOP_GRACE_S, then is cancelled; its claims lapse and a later pass takes them up.
                _, pending = await asyncio.wait(tasks, timeout=STOP_GRACE_S)
                for t in pending:
                    t.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await done_all
        return stats


# --- feed processes ---------------------------------------------------------------------
class _InlineSaves:
    """A feed process's saves on embedded SQLite, made from its event loop's own turn.

    SQLite lets one writer in at a time. Saved from the database thread while the event loop
    went on parsing, a save held that lock about twice as long as its own work (the two threads
    share one GIL), and the other feed processes queued behind it: in the ingest benchmark every
    pass ended with the processes waiting on each other's last, largest saves. Here the loop
    hands a save to the database thread and waits for it, so the save runs alone, and it does
    so only while the lock is free: when another writer holds it, the loop goes on fetching and
    parsing and tries again after the next feed. Saves stay small (``RECORDS`` entries), so
    the last one of a pass is short."""

    RECORDS = 250  # try to save once this many entries are parsed and not yet stored
    MAX_AGE_S = 0.5  # or once the oldest of them waited this long
    WAIT_AGE_S = 2.0  # and wait for the lock once it waited this long
    RETRY_S = 5.0  # after a save failed, the next try (the last flush of the pass tries anyway)

    def __init__(self, crawler: Crawler, stats: CrawlStats) -> None:
        self.crawler = crawler
        self.stats = stats
        self.outcomes: list[FeedOutcome] = []
        self.records = 0
        self.since = 0.0
        self.failed_at: float | None = None  # when the last save failed (None: it did not)

    def add(self, outcome: FeedOutcome) -> None:
        if not self.outcomes:
            self.since = time.monotonic()
        self.outcomes.append(outcome)
        self.records += len(outcome.records)
        if self.records >= self.RECORDS:
            self._try(wait=False)

    def tick(self) -> None:
        if self.outcomes:
            age = time.monotonic() - self.since
            if age >= self.MAX_AGE_S:
                self._try(wait=age >= self.WAIT_AGE_S)

    def _try(self, *, wait: bool) -> None:
        if self.failed_at is not None and time.monotonic() - self.failed_at < self.RETRY_S:
            return
        if self.crawler._db_calls:  # a claim waits on the DB thread (maybe for the lock): later
            return
        try:
            self.flush(wait=wait)
        except Exception:  # the pass goes on fetching; what is parsed is kept for the next try
            log.exception("saving %d feeds failed", len(self.outcomes))
            self.failed_at = time.monotonic()

    def flush(self, *, wait: bool) -> None:
        """Save what is parsed. After a failed save, a batch that fails again is saved one feed
        at a time: a feed that cannot be stored is left out (logged; its claim lapses and it is
        fetched again) rather than holding back the rest. Raises when every one of them fails."""
        if not self.outcomes:
            return
        try:
            done = self._save(self.outcomes, wait=wait)
        except Exception:
            if self.failed_at is None and not wait:
                raise
            self._one_by_one()
            return
        if done:
            self.outcomes, self.records, self.failed_at = [], 0, None

    def _save(self, outcomes: list[FeedOutcome], *, wait: bool) -> bool:
        c = self.crawler
        saved = c._db.submit(c.storage.save_feeds, outcomes, worker=c.worker, wait=wait).result()
        if saved is None:  # another writer holds the store
            return False
        self.stats.new += saved.new
        self.stats.updated += saved.updated
        return True

    def _one_by_one(self) -> None:
        outcomes, self.outcomes, self.records, self.failed_at = self.outcomes, [], 0, None
        error: Exception | None = None
        stored = 0
        for o in outcomes:
            try:
                self._save([o], wait=True)
                stored += 1
            except Exception as exc:
                log.exception("feed %s could not be stored; it is fetched again later", o.job.url)
                error = exc
        if error is not None and not stored:
            raise error


def _crash_blame(procs: Mapping[int, Any], busy: Any) -> dict[int, str]:
    """{feed id: what happened} for each feed being parsed by a feed process that died of its
    own accord. The pool ends the other processes of a broken pool with SIGTERM: those are not
    blamed for what they were parsing then."""
    parsing = {int(busy[i]): int(busy[i + 1]) for i in range(0, len(busy), 2) if busy[i]}
    blame: dict[int, str] = {}
    for pid, proc in procs.items():
        feed_id = parsing.get(pid, 0)
        if not feed_id:
            continue
        code = proc.exitcode
        if not code or code == -signal.SIGTERM:  # (None: still not collected; 0: it was told to go)
            continue
        if code < 0:
            try:
                why = f"killed by {signal.Signals(-code).name}"
            except ValueError:
                why = f"killed by signal {-code}"
        else:
            why = f"exit status {code}"
        blame[feed_id] = why
    return blame


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (an exited child its parent has not reaped yet is a
    zombie: gone, though it still answers signals)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except FileNotFoundError:
        return False
    except (OSError, IndexError):  # no /proc here: ask the kernel
        pass
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):  # gone, or its pid taken by another user's
        return False
    return True


def default_feed_processes() -> int:
    """``SVODKA_FEED_PROCESSES``, else one per usable core up to 4 (none on one core)."""
    return processes_setting("SVODKA_FEED_PROCESSES")


@dataclass(frozen=True, slots=True)
class _FeedProcSettings:
    storage_factory: Callable[[], Storage]
    policy: FetchPolicy
    worker: str
    fetch_pages: bool
    batch: int
    lease_s: int
    parent_pid: int


class _FeedProcess:
    """A feed process's own crawler, event loop and fetcher, kept for the process's lifetime (so
    a host's Retry-After, keep-alive connections and DNS answers outlast one pass)."""

    def __init__(self, crawler: Crawler, policy: FetchPolicy, stop_upto: Any) -> None:
        self.crawler = crawler
        self.stop_upto = stop_upto  # passes with an id up to this one wind down
        self.loop = asyncio.new_event_loop()
        self.fetcher = self.loop.run_until_complete(Fetcher(policy).__aenter__())


_feedproc: _FeedProcess | None = None


def _feedproc_init(
    settings: _FeedProcSettings, ticks: Any, stop_upto: Any, ready: Any, busy: Any, busy_lock: Any
) -> None:
    """Initializer of a feed process: open the store once, build a crawler with no children."""
    global _feedproc
    # (SIGTERM keeps its default: a supervisor that signals the whole process group also stops
    # the forkserver, and then the pool can only end its processes by that signal)
    watch_parent(settings.parent_pid)

    def progress(kind: str, n: int) -> None:
        if kind == "feeds":
            with ticks.get_lock():
                ticks.value += n

    storage = settings.storage_factory()
    crawler = Crawler(
        storage,
        settings.policy,
        worker=f"{settings.worker}/{os.getpid()}",
        fetch_pages=settings.fetch_pages,
        batch=settings.batch,
        lease_s=settings.lease_s,
        progress=progress,
        understand=False,
        parse_workers=0,
        feed_processes=0,
        save_inline=storage.one_writer_at_a_time,
    )
    with busy_lock:  # this process's slot: the first free pair
        slot = next(i for i in range(0, len(busy), 2) if busy[i] == 0)
        busy[slot] = os.getpid()

    def processing(feed_id: int) -> None:
        busy[slot + 1] = feed_id

    crawler._processing = processing
    _feedproc = _FeedProcess(crawler, settings.policy, stop_upto)
    with ready.get_lock():
        ready.value += 1


def _feedproc_pass(keep_claiming: bool, pass_id: int) -> CrawlStats:
    """One feeds pass in a feed process (claims, fetches, parses, stores). Returns its counts.

    When the crawler stops this pass (``stop_upto`` reaches ``pass_id``) it claims nothing more
    at once; fetches still waiting on slow hosts are cancelled after the crawler's grace (their
    claims lapse, nothing stored is lost)."""
    fp = _feedproc
    assert fp is not None, "not a feed process"
    stats = CrawlStats()

    def stopped() -> bool:
        return bool(fp.stop_upto.value >= pass_id)

    fp.crawler._external_stop = stopped

    async def run() -> None:
        work = asyncio.ensure_future(fp.crawler.feeds_pass(fp.fetcher, stats, keep_claiming=keep_claiming))

        async def cancel_when_stopped() -> None:
            while not stopped():
                await asyncio.sleep(0.1)
            await asyncio.sleep(STOP_GRACE_S)
            work.cancel()

        watcher = asyncio.ensure_future(cancel_when_stopped())
        try:
            await work
        except asyncio.CancelledError:
            if not work.cancelled():  # this pass itself was cancelled, not its work: pass it on
                raise
        finally:
            watcher.cancel()

    t0, cpu0 = time.perf_counter(), time.process_time()
    fp.loop.run_until_complete(run())
    stats.seconds = time.perf_counter() - t0
    stats.cpu_s = time.process_time() - cpu0
    return stats
