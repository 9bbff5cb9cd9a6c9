"""Entry points that push content into storage without the crawler (WebSub pushes)."""

from __future__ import annotations

from django.utils import timezone

from svodka.crawl import FeedJob, FeedOutcome, SaveStats, process_feed_body

from .models import Feed
from .storage import DjangoStorage


def ingest_push(feed: Feed, body: bytes, content_type: str) -> SaveStats:
    job = FeedJob(id=feed.pk, url=feed.url, interval_s=feed.interval_s, failures=feed.failures)
    outcome = process_feed_body(
        FeedOutcome(job=job, fetched_at=timezone.now(), result=None),
        body,
        content_type=content_type,
        url=feed.url,
    )
    return DjangoStorage().save_feeds([outcome], worker="websub")
