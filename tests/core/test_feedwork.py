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
