"""Feed dates (RFC 822, W3C/ISO 8601 and the odd ones) to aware UTC, with notes in plain words."""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, timedelta, timezone

FUTURE_SLACK = timedelta(minutes=10)
NO_ZONE_NOTE = "the date had no time zone; taken as UTC"

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        (
            ("jan", "january", "янв"),
            ("feb", "february", "фев"),
            ("mar", "march", "мар"),
            ("apr", "april", "апр"),
            ("may", "май", "мая"),
            ("jun", "june", "июн"),
            ("jul", "july", "июл"),
            ("aug", "august", "авг"),
            ("sep", "sept", "september", "сен"),
            ("oct", "october", "окт"),
            ("nov", "november", "ноя"),
            ("dec", "december", "дек"),
        )
    )
    for m in names
}
_ZONES = {
    "ut": 0, "utc": 0, "gmt": 0, "z": 0, "wet": 0,
    "edt": -4, "est": -5, "cdt": -5, "cst": -6, "mdt": -6, "mst": -7, "pdt": -7, "pst": -8,
    "akdt": -8, "akst": -9, "hst": -10, "ast": -4, "adt": -3, "nst": -3.5, "ndt": -2.5,
    "bst": 1, "cet": 1, "cest": 2, "met": 1, "mest": 2, "eet": 2, "eest": 3, "msk": 3, "msd": 4,
    "ist": 5.5, "jst": 9, "kst": 9, "hkt": 8, "sgt": 8, "aest": 10, "aedt": 11, "nzst": 12, "nzdt": 13,
}  # fmt: skip
_RFC822 = re.compile(
    r"""^\s*(?:[^\W\d_]{2,12}\.?,?\s*)?         # optional weekday
    (\d{1,2})[\s-]+([^\W\d_]{3,12})\.?[\s-]+(\d{2,4})   # day month year
    (?:[\sT]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?  # time
    \s*(?:([+-])(\d{2}):?(\d{2})|\(?([^\W\d_]{1,5})\)?)?\s*$""",
    re.VERBOSE,
)
_ISO_LOOSE = re.compile(r"^\s*(\d{4})-?(\d{2})?-?(\d{2})?\s*$")


class _Bad(ValueError):
    pass


def _year(y: str) -> int:
    n = int(y)
    if len(y) == 2:
        n += 2000 if n < 70 else 1900
    return n


def _rfc822(m: re.Match[str]) -> tuple[datetime, str | None]:
    day, mon, year, hh, mm, ss, sign, zh, zm, zname = m.groups()
    month = _MONTHS.get(mon.lower()) or _MONTHS.get(mon.lower()[:3])
    if month is None:
        raise _Bad(mon)
    dt = datetime(_year(year), month, int(day), int(hh or 0), int(mm or 0), int(ss or 0))  # noqa: DTZ001
    if sign:
        offset = timedelta(hours=int(zh), minutes=int(zm))
        return dt.replace(tzinfo=timezone(-offset if sign == "-" else offset)), None
    if zname:
        hours = _ZONES.get(zname.lower())
        if hours is None:
            return dt.replace(tzinfo=UTC), f"the date had an unknown time zone {zname!r}; taken as UTC"
        return dt.replace(tzinfo=timezone(timedelta(hours=hours))), None
    return dt.replace(tzinfo=UTC), NO_ZONE_NOTE


_FIXED_ZONES: dict[str, timedelta] = {}


def _fast_rfc822(s: str) -> datetime | None:
    """The common shape ``Sun, 01 Jun 2025 03:00:00 +0300`` (or ``GMT``), without regular expressions."""
    parts = s.split()
    if len(parts) != 6 or len(parts[4]) != 8:
        return None
    _, day, mon, year, hms, zone = parts
    month = _MONTHS.get(mon.lower())
    offset = _FIXED_ZONES.get(zone)
    if month is None or offset is None or len(year) != 4:
        return None
    try:
        dt = datetime(int(year), month, int(day), int(hms[:2]), int(hms[3:5]), int(hms[6:8]), tzinfo=UTC)
    except ValueError:
        return None
    return dt - offset if offset else dt


def _zone_offset(zone: str) -> timedelta | None:
    if zone.upper() in ("GMT", "UT", "UTC", "Z"):
        return timedelta(0)
    if len(zone) == 5 and zone[0] in "+-" and zone[1:].isdigit():
        delta = timedelta(hours=int(zone[1:3]), minutes=int(zone[3:]))
        return -delta if zone[0] == "-" else delta
    return None


def _parse(raw: str) -> tuple[datetime, str | None]:
    s = raw.strip()
    if len(s) == 31 or len(s) == 29:
        zone = s.rpartition(" ")[2]
        if zone not in _FIXED_ZONES and len(_FIXED_ZONES) < 1000:
            offset = _zone_offset(zone)
            if offset is not None:
                _FIXED_ZONES[zone] = offset
        fast = _fast_rfc822(s)
        if fast is not None:
            return fast, None
    if s[:4].isdigit():
        iso = s.replace(" ", "T", 1) if len(s) > 10 and s[10] == " " else s
        try:
            dt = datetime.fromisoformat(iso)
        except ValueError:
            m = _ISO_LOOSE.match(s)
            if m:  # "2004", "2004-05": W3C-DTF allows reduced precision
                y, mo, d = m.groups()
                return datetime(int(y), int(mo or 1), int(d or 1), tzinfo=UTC), NO_ZONE_NOTE
        else:
            if dt.tzinfo is None:
                return dt.replace(tzinfo=UTC), NO_ZONE_NOTE
            return dt, None
    m = _RFC822.match(s)
    if m:
        return _rfc822(m)
    return _dateutil(s)


def _dateutil(s: str) -> tuple[datetime, str | None]:
    from dateutil import parser as du

    tzinfos = {k.upper(): int(v * 3600) for k, v in _ZONES.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            dt = du.parse(s, tzinfos=tzinfos, default=datetime(1900, 1, 1))  # noqa: DTZ001
        except (ValueError, OverflowError, TypeError) as exc:
            raise _Bad(s) from exc
    if dt.year == 1900:
        raise _Bad(s)
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC), NO_ZONE_NOTE
    return dt, None


def parse_date(raw: str | None, now: datetime) -> tuple[datetime | None, str | None]:
    """``(aware UTC datetime or None, note or None)`` for one date string as a feed gave it."""
    if raw is None:
        return None, None
    raw = raw.strip()
    if not raw:
        return None, None
    try:
        dt, note = _parse(raw)
        if dt.tzinfo is not UTC:
            dt = dt.astimezone(UTC)
    except (_Bad, ValueError, OverflowError):
        return None, f"the date {raw[:60]!r} could not be read"
    if dt > now + FUTURE_SLACK:
        future = f"the date {raw[:60]!r} is in the future; set to the time the feed was read"
        return now, f"{note}; {future}" if note else future
    return dt, note
