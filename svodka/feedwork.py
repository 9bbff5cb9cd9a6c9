"""Feed work that runs in the parse process: parse a fetched body, prepare its entries.

Kept apart from ``svodka.crawl`` so the child process imports only what parsing needs
(no HTTP client, no extractor): its start-up is part of a crawl's time.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from svodka.article import EntryRecord, prepare_entry
from svodka.errors import ParseError
from svodka.parse import parse_feed
from svodka.types import FetchResult, ParsedFeed


@dataclass(slots=True)
class FeedJob:
    id: int
    url: str
    etag: str | None = None
    last_modified: str | None = None
    interval_s: int = 600
    failures: int = 0


@dataclass(slots=True)
class FeedOutcome:
    job: FeedJob
    fetched_at: datetime
    result: FetchResult | None  # None for a WebSub push
    parsed: ParsedFeed | None = None
    records: list[EntryRecord] = field(default_factory=list)
    error_code: str | None = None  # fetch or parse failure
    error: str | None = None  # plain words
    duration_ms: int = 0

    @property
    def ok(self) -> bool:
        return self.error_code is None


def process_feed_response(job: FeedJob, result: FetchResult, *, now: datetime) -> FeedOutcome:
    """Parse a fetched body and prepare its entries. Pure CPU work, no I/O."""
    outcome = FeedOutcome(job=job, fetched_at=now, result=result, duration_ms=int(result.elapsed * 1000))
    if not result.ok:
        outcome.error_code = result.error_code
        outcome.error = result.error
        return outcome
    if result.not_modified or result.body is None:
        return outcome
    return process_feed_body(outcome, result.body, content_type=result.content_type, url=result.final_url)


def process_feed_body(
    outcome: FeedOutcome, body: bytes, *, content_type: str | None, url: str
) -> FeedOutcome:
    try:
        parsed = parse_feed(body, url=url, content_type=content_type, now=outcome.fetched_at)
    except ParseError as exc:
        outcome.error_code = exc.code
        outcome.error = exc.message
        return outcome
    outcome.parsed = parsed
    for entry in parsed.entries:
        record = prepare_entry(entry, feed_url=url)
        if record is not None:
            outcome.records.append(record)
    return outcome


def watch_parent(pid: int, every_s: float = 1.0) -> None:
    """Initializer of a parse process: exit when the crawler ``pid`` is gone.

    A parse process waits on its work queue, and it holds that queue's write end itself, so a
    crawler that dies without shutting its pool down (SIGKILL, out of memory, a supervisor's
    timeout) would leave it — and the forkserver it came from — waiting forever.

    It also ignores Ctrl-C: the terminal sends SIGINT to the whole process group, and the
    crawler, not its children, decides how to stop (it shuts the pool down; a child that took
    the signal itself died mid-read with a traceback and left semaphores behind)."""
    import os
    import signal
    import threading
    import time

    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while True:
            time.sleep(every_s)
            try:
                os.kill(pid, 0)
            except (ProcessLookupError, PermissionError):  # gone (or its pid reused by another user)
                os._exit(0)

    threading.Thread(target=watch, name="svodka-parent-watch", daemon=True).start()


def process_in_child(job: FeedJob, result: FetchResult, now: datetime) -> FeedOutcome:
    """Module-level (picklable) entry for the parse process.

    What goes back to the crawler is what storage reads: the records and the feed's
    metadata. The body and the parsed entries (already turned into records) stay here:
    pickling them back and forth cost the crawler's process more than parsing costs this one.
    """
    outcome = process_feed_response(job, result, now=now)
    if outcome.result is not None and outcome.result.body is not None:
        outcome.result = replace(outcome.result, body=None)
    if outcome.parsed is not None and outcome.parsed.entries:
        outcome.parsed = replace(outcome.parsed, entries=[])
    return outcome
