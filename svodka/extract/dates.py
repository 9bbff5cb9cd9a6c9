"""Parse the date-time strings that pages declare (JSON-LD, meta tags, ``<time datetime>``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from dateutil import parser as _dateutil

_HAS_TIME = re.compile(r"\d{1,2}:\d{2}|T\d{4}")
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")
# email.utils is lenient enough to misread other forms, so only give it real RFC 2822 dates.
_RFC2822 = re.compile(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}")
_MIN_YEAR, _MAX_YEAR = 1990, 2100

# Abbreviations seen on news sites; dateutil would otherwise warn and return a naive time.
_ZONE_HOURS: dict[str, float] = {
    "UTC": 0, "GMT": 0, "UT": 0, "Z": 0, "WET": 0, "BST": 1, "IST": 5.5, "CET": 1, "CEST": 2,
    "EET": 2, "EEST": 3, "MSK": 3, "MSD": 4, "SAMT": 4, "YEKT": 5, "OMST": 6, "KRAT": 7,
    "IRKT": 8, "YAKT": 9, "VLAT": 10, "MAGT": 11, "PETT": 12, "EST": -5, "EDT": -4, "CST": -6,
    "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "AKST": -9, "AKDT": -8, "HST": -10,
    "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11, "ACST": 9.5, "AWST": 8, "NZST": 12, "NZDT": 13,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class DeclaredTime:
    """A parsed declaration. ``value`` is aware UTC; a value without zone was taken as UTC."""

    value: datetime
    has_time: bool  # hours and minutes were given (not only a day)
    has_zone: bool  # an offset or zone name was given


def _tzinfos(name: str | None, offset: int | None) -> int | None:
    if name and name.upper() in _ZONE_HOURS:
        return int(_ZONE_HOURS[name.upper()] * 3600)
    return offset


def _finish(value: datetime, has_time: bool) -> DeclaredTime | None:
    has_zone = value.tzinfo is not None and value.utcoffset() is not None
    value = value.astimezone(UTC) if has_zone else value.replace(tzinfo=UTC)
    if not _MIN_YEAR <= value.year <= _MAX_YEAR:
        return None
    return DeclaredTime(value, has_time, has_zone)


def parse_declared(text: str | None) -> DeclaredTime | None:
    """Parse ISO 8601, RFC 2822, Unix epoch (s or ms) or common English forms; None if not a date."""
    if not text:
        return None
    text = text.strip()
    if not text or len(text) > 80:
        return None
    if _EPOCH.match(text):
        seconds = int(text) / (1000 if len(text) == 13 else 1)
        try:
            return _finish(datetime.fromtimestamp(seconds, UTC), True)
        except (OverflowError, OSError, ValueError):
            return None
    has_time = bool(_HAS_TIME.search(text))
    try:
        return _finish(datetime.fromisoformat(text.replace(" ", "T", 1) if has_time else text), has_time)
    except ValueError:
        pass
    if _RFC2822.match(text):
        try:
            return _finish(parsedate_to_datetime(text), has_time)
        except (TypeError, ValueError, IndexError):
            pass
    try:
        parsed = _dateutil.parse(text, tzinfos=_tzinfos, default=datetime(2000, 1, 1))  # noqa: DTZ001
    except (ValueError, OverflowError, TypeError):
        return None
    return _finish(parsed, has_time)


def best_published(candidates: list[str]) -> datetime | None:
    """Pick from declarations given in order of trust: the first with a time and a zone,
    else the first with a time (taken as UTC), else the first day-only one (midnight UTC)."""
    parsed = [p for p in map(parse_declared, candidates) if p is not None]
    for wanted in (lambda p: p.has_time and p.has_zone, lambda p: p.has_time, lambda p: True):
        for item in parsed:
            if wanted(item):
                return item.value
    return None


__all__ = ["DeclaredTime", "best_published", "parse_declared"]
