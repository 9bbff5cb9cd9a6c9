"""Small HTTP helpers: Retry-After, status wording, durations in words."""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime
from http import HTTPStatus

from multidict import CIMultiDictProxy

MAX_HOLD_S = 24 * 3600.0  # we never let one Retry-After silence a host for longer


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or HTTP-date); None if unusable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(int(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def status_words(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def seconds_words(seconds: float) -> str:
    """20 → '20 s', 0.5 → '0.5 s'."""
    text = f"{seconds:.1f}".rstrip("0").rstrip(".") if seconds < 10 else str(round(seconds))
    return f"{text} s"


def lower_headers(headers: CIMultiDictProxy[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in headers.items():
        key = name.lower()
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out


def status_message(status: int, retry_after: float | None) -> str:
    words = status_words(status)
    if status == 404:
        return f"the server says this address does not exist ({words})"
    if status == 410:
        return f"the server says this address was removed for good ({words})"
    if status == 429:
        text = f"the site says we are asking too often ({words})"
    elif status >= 500:
        text = f"the site had a problem answering ({words})"
    elif status in (401, 403):
        text = f"the site refused access ({words})"
    else:
        text = f"the server answered {words}"
    if retry_after is not None:
        text += f" and asked us to wait {seconds_words(retry_after)}"
    return text
