"""The parse process's entry point: what it sends back to the crawler, and how."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime

from svodka.article import EntryRecord
from svodka.feedwork import FeedJob, process_feed_response, process_in_child
from svodka.types import FetchResult

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
BODY = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet</title>'
    b'<link>http://a.test/</link><atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="hub" '
    b'href="http://hub.test/"/>'
    b"<item><title>One &amp; two</title><link>http://a.test/1?utm_source=x</link><guid>g1</guid>"
    b"<pubDate>Wed, 25 Nov 2026 11:00:00 +0000</pubDate><description>&lt;p&gt;Body&lt;/p&gt;</description></item>"
    b"<item><title>Two</title><guid isPermaLink='false'>g2</guid></item>"
    b"</channel></rss>"
)


def _result() -> FetchResult:
    return FetchResult(
        url="http://a.test/rss", final_url="http://a.test/rss", status=200, body=BODY, etag='"e"'
    )


def test_child_sends_back_records_and_feed_metadata_without_the_body_or_parsed_entries() -> None:
    job = FeedJob(id=7, url="http://a.test/rss")
    full = process_feed_response(job, _result(), now=NOW)
    sent = pickle.loads(pickle.dumps(process_in_child(job, _result(), NOW)))
    assert sent.records == full.records and len(sent.records) == 2
    assert sent.ok and sent.job == job and sent.fetched_at == NOW
    assert sent.result is not None and sent.result.body is None and sent.result.etag == '"e"'
    assert sent.result.status == 200 and not sent.result.not_modified
    assert sent.parsed is not None and sent.parsed.entries == []
    assert (sent.parsed.kind, sent.parsed.title, sent.parsed.hub) == (
        full.parsed.kind,  # type: ignore[union-attr]
        "Outlet",
        "http://hub.test/",
    )
    assert full.result is not None and full.result.body == BODY  # in-process callers keep everything


def test_entry_records_survive_pickling_field_for_field() -> None:
    job = FeedJob(id=1, url="http://a.test/rss")
    for record in process_feed_response(job, _result(), now=NOW).records:
        copy = pickle.loads(pickle.dumps(record))
        assert isinstance(copy, EntryRecord) and copy == record
        assert copy.title in ("One & two", "Two") and copy.guid_key == record.guid_key


def test_failed_fetch_passes_through_the_child_unchanged() -> None:
    job = FeedJob(id=2, url="http://a.test/rss")
    failed = FetchResult(url=job.url, final_url=job.url, status=0, error_code="timeout", error="too slow")
    sent = pickle.loads(pickle.dumps(process_in_child(job, failed, NOW)))
    assert sent.error_code == "timeout" and sent.error == "too slow" and sent.records == []


# --- the crawler's parse processes ---------------------------------------------------------------
_CRAWLER_CHILD = """
import sys, time
from svodka.crawl import Crawler
from svodka.fetch import FetchPolicy
from svodka.feedwork import FeedJob, process_in_child
from svodka.types import FetchResult
from datetime import UTC, datetime
crawler = Crawler(None, FetchPolicy(user_agent="t (+http://127.0.0.1/)"), parse_workers=2)
body = sys.stdin.buffer.read()
result = FetchResult(url="http://a.test/rss", final_url="http://a.test/rss", status=200, body=body)
out = crawler._parse.submit(process_in_child, FeedJob(id=1, url="http://a.test/rss"), result,
                            datetime.now(UTC)).result(timeout=60)
assert len(out.records) == 2, out
print(" ".join(str(pid) for pid in crawler._parse._processes), flush=True)
time.sleep(60)
"""


def _alive(pid: int) -> bool:
    import os

    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except OSError:  # pragma: no cover - not Linux
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


def test_parse_processes_go_when_the_crawler_is_killed() -> None:
    # a crawler killed without shutting its pool down (SIGKILL, out of memory, a supervisor's
    # timeout) must not leave its parse processes (forked from a forkserver) waiting forever
    import subprocess
    import sys
    import time

    proc = subprocess.Popen(
        [sys.executable, "-c", _CRAWLER_CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=False
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(BODY)
    proc.stdin.close()
    workers = [int(p) for p in proc.stdout.readline().split()]
    try:
        assert len(workers) == 2 and all(_alive(p) for p in workers)
        proc.kill()
        proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(_alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(p) for p in workers), "parse processes outlived their crawler"
    finally:
        proc.kill()
        proc.wait(timeout=10)
        proc.stdout.close()
        for p in workers:
            if _alive(p):
                import os
                import signal

                os.kill(p, signal.SIGKILL)


def test_parse_processes_leave_ctrl_c_to_the_crawler() -> None:
    # Ctrl-C reaches the whole process group; a parse process that took it died mid-read with a
    # traceback (and a broken pool); the crawler decides how to stop
    import os
    import signal
    import time

    from svodka.crawl import Crawler
    from svodka.fetch import FetchPolicy

    crawler = Crawler(None, FetchPolicy(user_agent="t (+http://127.0.0.1/)"), parse_workers=1)  # type: ignore[arg-type]
    try:
        assert crawler._parse is not None
        assert crawler._parse.submit(abs, -1).result(timeout=60) == 1
        (pid,) = list(crawler._parse._processes)  # type: ignore[attr-defined]
        os.kill(pid, signal.SIGINT)
        time.sleep(0.5)
        assert _alive(pid)
        assert crawler._parse.submit(abs, -2).result(timeout=60) == 2
    finally:
        crawler.close()
