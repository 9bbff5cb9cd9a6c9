"""The feed processes' helpers: ``_InlineSaves`` (saves on a one-writer store, embedded SQLite:
small batches, only while the store is free, nothing lost when it is busy or a save fails) and
``_crash_blame`` (which feed was being parsed by a process that died)."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from svodka import crawl
from svodka.article import EntryRecord
from svodka.crawl import CrawlStats, FeedJob, FeedOutcome, SaveStats

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def _record(i: int) -> EntryRecord:
    return EntryRecord(
        guid=f"g{i}", guid_key=f"k{i}", url=f"http://a.test/{i}", entry_url=f"http://a.test/{i}",
        title=f"T{i}", summary_html="", content_html="", text="", author="", image=None,
        published=NOW, date_note="", language="en", content_hash=f"h{i}",
    )  # fmt: skip


def _outcome(feed: int, records: int) -> FeedOutcome:
    return FeedOutcome(
        job=FeedJob(id=feed, url=f"http://a.test/{feed}.xml"),
        fetched_at=NOW,
        result=None,
        records=[_record(feed * 1000 + i) for i in range(records)],
    )


@dataclass
class _Store:
    """Busy while ``busy`` is set (a waiting save then fails, as a timed-out lock would)."""

    busy: bool = False
    fail: int = 0  # saves to fail with an error
    poison: int | None = None  # a feed whose saving always fails
    calls: list[tuple[int, bool]] = field(default_factory=list)  # (feeds, wait) of each attempt
    saved: list[int] = field(default_factory=list)  # feed ids stored

    one_writer_at_a_time = True

    def save_feeds(self, outcomes: Sequence[FeedOutcome], *, worker: str, wait: bool = True) -> SaveStats | None:
        self.calls.append((len(outcomes), wait))
        if self.fail:
            self.fail -= 1
            raise RuntimeError("disk full")
        if any(o.job.id == self.poison for o in outcomes):
            raise ValueError("a value the store refuses")
        if self.busy:
            if wait:
                raise RuntimeError("database is locked")
            return None
        self.saved += [o.job.id for o in outcomes]
        return SaveStats(new=sum(len(o.records) for o in outcomes))


class _Crawler:
    def __init__(self, store: _Store) -> None:
        self.storage = store
        self.worker = "w"
        self._db = ThreadPoolExecutor(max_workers=1)
        self._db_calls = 0


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [1000.0]
    monkeypatch.setattr(crawl.time, "monotonic", lambda: now[0])
    return now


def _saves(store: _Store) -> tuple[crawl._InlineSaves, CrawlStats]:
    stats = CrawlStats()
    return crawl._InlineSaves(_Crawler(store), stats), stats  # type: ignore[arg-type]


def test_saves_in_small_batches_once_enough_entries_are_parsed(clock: list[float]) -> None:
    store = _Store()
    saves, stats = _saves(store)
    per_feed = -(-crawl._InlineSaves.RECORDS // 4)  # four feeds reach the threshold, three do not
    for feed in range(3):
        saves.add(_outcome(feed, per_feed))
    assert store.calls == []  # not enough yet
    saves.add(_outcome(3, per_feed))
    assert store.calls == [(4, False)] and store.saved == [0, 1, 2, 3]
    assert stats.new == 4 * per_feed
    saves.add(_outcome(4, 1))
    saves.flush(wait=True)  # the end of the pass: the rest, waiting for the store if need be
    assert store.calls[-1] == (1, True) and store.saved == [0, 1, 2, 3, 4]
    saves.flush(wait=True)  # nothing left: no empty transaction
    assert len(store.calls) == 2


def test_a_busy_store_is_tried_again_after_the_next_feed_and_nothing_is_lost(clock: list[float]) -> None:
    store = _Store(busy=True)
    saves, stats = _saves(store)
    big = crawl._InlineSaves.RECORDS
    saves.add(_outcome(1, big))
    assert store.calls == [(1, False)] and store.saved == []  # stepped aside at once
    saves.add(_outcome(2, 3))
    assert store.calls[-1] == (2, False)  # retried with the newer feed too
    store.busy = False
    saves.add(_outcome(3, 3))
    assert store.saved == [1, 2, 3] and stats.new == big + 6


def test_entries_waiting_too_long_are_saved_on_a_tick_and_then_waited_for(clock: list[float]) -> None:
    store = _Store(busy=True)
    saves, _ = _saves(store)
    saves.add(_outcome(1, 2))  # few entries: no attempt yet
    saves.tick()
    assert store.calls == []
    clock[0] += crawl._InlineSaves.MAX_AGE_S
    saves.tick()
    assert store.calls == [(1, False)]  # tried without waiting
    clock[0] += crawl._InlineSaves.WAIT_AGE_S
    store.busy = False
    saves.tick()
    assert store.calls[-1] == (1, True) and store.saved == [1]  # waited for the store


def test_a_failed_save_is_kept_and_tried_again_later(clock: list[float]) -> None:
    store = _Store(fail=1)
    saves, stats = _saves(store)
    big = crawl._InlineSaves.RECORDS
    saves.add(_outcome(1, big))  # fails: logged, kept
    assert store.saved == [] and saves.failed_at is not None
    saves.add(_outcome(2, big))  # not again at once
    assert len(store.calls) == 1
    clock[0] += crawl._InlineSaves.RETRY_S
    saves.add(_outcome(3, 1))  # a while later: tried again, with everything parsed since
    assert store.calls[-1] == (3, False) and store.saved == [1, 2, 3]
    assert stats.new == 2 * big + 1 and saves.failed_at is None


def test_a_failed_save_is_tried_again_by_the_last_flush(clock: list[float]) -> None:
    store = _Store(fail=1)
    saves, _ = _saves(store)
    saves.add(_outcome(1, crawl._InlineSaves.RECORDS))
    saves.flush(wait=True)  # the end of the pass does not wait for the retry delay
    assert store.saved == [1]


def test_a_save_failing_again_at_the_end_fails_the_pass(clock: list[float]) -> None:
    store = _Store(fail=3)  # the first try, the end's batch, and the feed alone
    saves, _ = _saves(store)
    saves.add(_outcome(1, crawl._InlineSaves.RECORDS))
    with pytest.raises(RuntimeError, match="disk full"):
        saves.flush(wait=True)


def test_a_feed_that_cannot_be_stored_does_not_hold_back_the_others(clock: list[float]) -> None:
    store = _Store(poison=2)
    saves, stats = _saves(store)
    per_feed = crawl._InlineSaves.RECORDS // 2
    saves.add(_outcome(1, per_feed))
    saves.add(_outcome(2, per_feed))  # the batch fails: kept
    assert store.saved == []
    clock[0] += crawl._InlineSaves.RETRY_S
    saves.add(_outcome(3, 1))  # fails again: now one feed at a time, the poisoned one left out
    assert store.saved == [1, 3] and saves.outcomes == [] and stats.new == per_feed + 1
    saves.add(_outcome(4, crawl._InlineSaves.RECORDS))  # and saving goes on as usual
    assert store.saved == [1, 3, 4]


def test_no_save_is_queued_behind_a_storage_call_in_flight(clock: list[float]) -> None:
    store = _Store()
    saves, _ = _saves(store)
    saves.crawler._db_calls = 1  # e.g. a claim waiting for the write lock
    saves.add(_outcome(1, crawl._InlineSaves.RECORDS))
    assert store.calls == []  # the event loop did not block behind it
    saves.crawler._db_calls = 0
    saves.add(_outcome(2, 1))
    assert store.saved == [1, 2]


def test_crash_blame_names_the_feed_being_parsed_by_a_process_that_died_by_itself() -> None:
    import signal
    from types import SimpleNamespace

    procs = {
        101: SimpleNamespace(exitcode=-signal.SIGSEGV),  # crashed parsing feed 7
        102: SimpleNamespace(exitcode=-signal.SIGTERM),  # ended by the pool while parsing 8
        103: SimpleNamespace(exitcode=1),  # exited with an error while parsing 9
        104: SimpleNamespace(exitcode=-signal.SIGKILL),  # killed while fetching: nothing to blame
        105: SimpleNamespace(exitcode=None),  # not collected yet: not blamed on a guess
    }
    busy = [101, 7, 102, 8, 103, 9, 104, 0, 105, 10]
    assert crawl._crash_blame(procs, busy) == {7: "killed by SIGSEGV", 9: "exit status 1"}
