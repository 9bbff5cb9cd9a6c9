"""Adaptive polling: when to look at a feed again. Pure functions, no clock reads.

Healthy feeds adapt their interval to how often they publish: new items shrink it (toward
``min_interval``), an empty poll stretches it ×1.5 (up to ``max_interval``). A failing feed
backs off exponentially and deterministically from the minimum (1 min, 2, 4, …), without
forgetting its healthy interval, so it resumes its old rhythm once it answers again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

FAIL_CAP_S = 6 * 3600  # longest back-off for a failing feed
GONE_CAP_S = 24 * 3600  # ... and for one that keeps answering 404/410
RETRY_AFTER_CAP_S = 24 * 3600
_QUIET_FACTOR = 1.5


@dataclass(frozen=True, slots=True)
class Poll:
    """When to poll next and why.

    ``interval_s`` is the feed's healthy polling interval to remember (on failure it is
    unchanged: the back-off shows only in ``at``).
    """

    at: datetime
    interval_s: int
    reason: str


def duration_words(seconds: float) -> str:
    """45 → '45 s', 120 → '2 min', 5400 → '1 h 30 min', 86400 → '24 h'."""
    s = round(seconds)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        minutes, rest = divmod(s, 60)
        return f"{minutes} min" if rest < 30 or minutes >= 10 else f"{minutes} min {rest} s"
    hours, rest = divmod(s, 3600)
    minutes = round(rest / 60)
    if minutes == 60:
        hours, minutes = hours + 1, 0
    return f"{hours} h" if not minutes else f"{hours} h {minutes} min"


def _times(n: int) -> str:
    return "once" if n == 1 else "twice in a row" if n == 2 else f"{n} times in a row"


def next_poll(
    *,
    now: datetime,
    interval_s: float,
    new_items: int,
    failures: int,
    retry_after: float | None = None,
    error_code: str | None = None,
    min_interval: int = 60,
    max_interval: int = 6 * 3600,
) -> Poll:
    """Decide the next poll of a feed just polled at ``now`` (an aware datetime).

    ``failures`` counts consecutive failed polls including this one (0: this poll worked);
    ``new_items`` is how many unseen items this poll brought; ``retry_after`` the seconds the
    site asked us to wait (429/503), honoured even on success paths, capped at 24 h.
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    if min_interval <= 0 or max_interval < min_interval:
        raise ValueError("need 0 < min_interval <= max_interval")
    healthy = int(min(max(interval_s or min_interval, min_interval), max_interval))

    if failures > 0:
        cap = GONE_CAP_S if error_code == "gone" else FAIL_CAP_S
        # 2**exponent grows without bound; clamp the exponent before it matters
        delay = min(min_interval * 2 ** min(failures - 1, 40), cap)
        what = f" ({error_code})" if error_code else ""
        verb = "retrying in" if failures == 1 else "backing off to"
        reason = f"failed {_times(failures)}{what}: {verb} {duration_words(delay)}"
        if delay == cap and failures > 1:
            reason += " (our longest pause)"
        next_interval = healthy
    else:
        if new_items >= 2:
            next_interval = healthy // 2
        elif new_items == 1:
            next_interval = int(healthy * 0.75)
        else:
            next_interval = int(healthy * _QUIET_FACTOR)
        next_interval = min(max(next_interval, min_interval), max_interval)
        delay = next_interval
        items = {0: "nothing new", 1: "1 new item"}.get(new_items, f"{new_items} new items")
        reason = f"{items}: checking again in {duration_words(delay)}"
        if delay == max_interval and not new_items:
            reason += " (our longest interval)"

    if retry_after is not None and retry_after > 0:
        asked = min(retry_after, RETRY_AFTER_CAP_S)
        if asked > delay:
            delay = asked
            reason = f"the site asked us to wait {round(retry_after)} s"
            if retry_after >= 3600:
                reason += f" ({duration_words(retry_after)})"
            if retry_after > RETRY_AFTER_CAP_S:
                reason += f"; we will look again in {duration_words(asked)}"
    return Poll(at=now + timedelta(seconds=delay), interval_s=next_interval, reason=reason)
