"""Adaptive polling decisions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from svodka.schedule import Poll, duration_words, next_poll

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def poll(**kw: object) -> Poll:
    args: dict[str, object] = {"now": NOW, "interval_s": 600, "new_items": 0, "failures": 0}
    args.update(kw)
    return next_poll(**args)  # type: ignore[arg-type]


def test_busy_feed_shrinks_toward_a_minute() -> None:
    p = poll(interval_s=240, new_items=3)
    assert p.interval_s == 120 and p.at == NOW + timedelta(seconds=120)
    assert p.reason == "3 new items: checking again in 2 min"
    interval = 3600
    for _ in range(20):
        interval = poll(interval_s=interval, new_items=5).interval_s
    assert interval == 60


def test_one_new_item_shrinks_gently() -> None:
    p = poll(interval_s=1200, new_items=1)
    assert p.interval_s == 900
    assert p.reason == "1 new item: checking again in 15 min"


def test_quiet_feed_stretches_to_the_max() -> None:
    p = poll(interval_s=600)
    assert p.interval_s == 900 and p.reason == "nothing new: checking again in 15 min"
    interval = 600
    for _ in range(30):
        interval = poll(interval_s=interval).interval_s
    assert interval == 6 * 3600
    assert poll(interval_s=interval).reason == "nothing new: checking again in 6 h (our longest interval)"


def test_interval_is_clamped_to_the_bounds() -> None:
    assert poll(interval_s=0, new_items=9).interval_s == 60
    assert poll(interval_s=10**9).interval_s == 6 * 3600
    assert poll(interval_s=100, new_items=9, min_interval=300).interval_s == 300


def test_failures_back_off_exponentially_and_deterministically() -> None:
    delays = [(poll(failures=n, error_code="timeout").at - NOW).total_seconds() for n in range(1, 12)]
    assert delays[:5] == [60, 120, 240, 480, 960]
    assert delays[-1] == 6 * 3600 and max(delays) == 6 * 3600
    assert delays == sorted(delays)
    p = poll(failures=4, error_code="timeout")
    assert p.reason == "failed 4 times in a row (timeout): backing off to 8 min"
    assert p.interval_s == 600  # the healthy interval is remembered for when it recovers
    assert poll(failures=1, error_code="connect").reason == "failed once (connect): retrying in 1 min"
    assert poll(failures=30).reason == "failed 30 times in a row: backing off to 6 h (our longest pause)"


def test_gone_feeds_back_off_up_to_a_day() -> None:
    assert (poll(failures=9, error_code="gone").at - NOW).total_seconds() == 60 * 256
    assert (poll(failures=12, error_code="gone").at - NOW).total_seconds() == 24 * 3600
    assert poll(failures=1000, error_code="gone").at == NOW + timedelta(hours=24)


def test_retry_after_is_honoured() -> None:
    p = poll(failures=1, error_code="http_status", retry_after=120)
    assert p.at == NOW + timedelta(seconds=120)
    assert p.reason == "the site asked us to wait 120 s"
    # never earlier than asked, even when our own schedule was sooner
    assert poll(new_items=5, interval_s=120, retry_after=900).at == NOW + timedelta(seconds=900)
    # a shorter request than our back-off does not bring the poll forward
    long_backoff = poll(failures=8, error_code="http_status", retry_after=30)
    assert long_backoff.at == NOW + timedelta(minutes=128)
    assert long_backoff.reason.startswith("failed 8 times")


def test_retry_after_is_capped_at_a_day() -> None:
    p = poll(failures=1, error_code="http_status", retry_after=7 * 86400)
    assert p.at == NOW + timedelta(hours=24)
    assert p.reason == "the site asked us to wait 604800 s (168 h); we will look again in 24 h"


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_poll(now=datetime(2025, 1, 1), interval_s=60, new_items=0, failures=0)  # noqa: DTZ001


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (45, "45 s"),
        (60, "1 min"),
        (90, "1 min 30 s"),
        (120, "2 min"),
        (900, "15 min"),
        (5400, "1 h 30 min"),
        (86400, "24 h"),
        (7199, "2 h"),
    ],
)
def test_duration_words(seconds: int, words: str) -> None:
    assert duration_words(seconds) == words
