"""Feed problems and fetch schedules in the reader's language.

The core (``svodka.fetch``, ``svodka.parse``, ``svodka.schedule``) explains every failure and
every next fetch in plain English words and knows nothing of Django's translations. The site shows
them in the UI language: a failure by its error code (one translated line per kind of failure,
the core's own detail after it), a schedule note by the few sentence shapes ``svodka.schedule``
writes. A sentence of a shape not listed here is shown as the core wrote it.
"""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, gettext_noop, ngettext, pgettext

register = template.Library()

# gettext_noop: makemessages collects the msgids; they are translated when shown.
_PROBLEMS = {
    "fetch": gettext_noop("the page could not be fetched"),
    "connect": gettext_noop("the site could not be reached"),
    "timeout": gettext_noop("the site did not answer in time"),
    "too_large": gettext_noop("the response was too large"),
    "redirects": gettext_noop("the site redirected in circles or too many times"),
    "http_status": gettext_noop("the server answered with an error"),
    "gone": gettext_noop("the feed is no longer there"),
    "robots": gettext_noop("the site's robots.txt forbids reading it"),
    "blocked_url": gettext_noop("the address may not be fetched (a private network or no web address)"),
    "parse": gettext_noop("the feed could not be read"),
    "not_a_feed": gettext_noop("this is not a feed"),
    "unsafe_xml": gettext_noop("the feed was refused as unsafe XML"),
    "malformed": gettext_noop("the feed is broken"),
    "extract": gettext_noop("the text could not be extracted"),
}


def _english() -> bool:
    return (get_language() or "en").split("-")[0] == "en"


@register.simple_tag
def feed_problem(code: Any, detail: Any) -> SafeString | str:
    """A failure in the UI language: its kind, then the core's detail (in English, marked so)."""
    detail = str(detail or "")
    code = str(code or "")
    if _english() or code not in _PROBLEMS:
        return detail
    return format_html('{} <span class="meta" lang="en">({})</span>', gettext(_PROBLEMS[code]), detail)


_DURATION = re.compile(r"(?:(\d+) h)?\s*(?:(\d+) min)?\s*(?:(\d+) s)?")


def _duration(words: str) -> str:
    m = _DURATION.fullmatch(words.strip())
    if m is None or not any(m.groups()):
        return words
    h, mi, s = (int(x) if x else 0 for x in m.groups())
    parts = []
    if h:
        parts.append(pgettext("duration", "%(n)d h") % {"n": h})
    if mi:
        parts.append(pgettext("duration", "%(n)d min") % {"n": mi})
    if s:
        parts.append(pgettext("duration", "%(n)d s") % {"n": s})
    return " ".join(parts)


_FAILED = re.compile(
    r"failed (once|twice in a row|(\d+) times in a row)(?: \(([a-z_]+)\))?: (retrying in|backing off to) "
    r"([\dhmins ]+?)( \(our longest pause\))?$"
)
_QUIET = re.compile(r"(nothing new|1 new item|(\d+) new items): checking again in ([\dhmins ]+?)( \(our longest interval\))?$")
_WAIT = re.compile(r"the site asked us to wait (\d+) s(?: \(([\dhmins ]+)\))?(?:; we will look again in ([\dhmins ]+))?$")


def _failed(m: re.Match[str]) -> str:
    n = 1 if m[1] == "once" else 2 if m[1].startswith("twice") else int(m[2])
    out = ngettext("failed %(n)d time in a row", "failed %(n)d times in a row", n) % {"n": n}
    if m[3]:
        out += f" ({m[3]})"
    verb = gettext("retrying in %(t)s") if m[4] == "retrying in" else gettext("backing off to %(t)s")
    out += ": " + verb % {"t": _duration(m[5])}
    if m[6]:
        out += " " + gettext("(our longest pause)")
    return out


def _quiet(m: re.Match[str]) -> str:
    n = 0 if m[1] == "nothing new" else 1 if m[1] == "1 new item" else int(m[2])
    items = gettext("nothing new") if n == 0 else ngettext("%(n)d new item", "%(n)d new items", n) % {"n": n}
    out = items + ": " + gettext("checking again in %(t)s") % {"t": _duration(m[3])}
    if m[4]:
        out += " " + gettext("(our longest interval)")
    return out


def _wait(m: re.Match[str]) -> str:
    out = gettext("the site asked us to wait %(n)s s") % {"n": m[1]}
    if m[2]:
        out += f" ({_duration(m[2])})"
    if m[3]:
        out += "; " + gettext("we will look again in %(t)s") % {"t": _duration(m[3])}
    return out


_SHAPES = ((_FAILED, _failed), (_QUIET, _quiet), (_WAIT, _wait))


@register.filter
def schedule_note(note: Any) -> str:
    """``svodka.schedule``'s reason for the next fetch, in the UI language."""
    note = str(note or "")
    if _english():
        return note
    for rx, fn in _SHAPES:
        m = rx.match(note)
        if m is not None:
            return fn(m)
    if note == "paused: reading it killed svodka's feed process twice":
        return gettext("paused: reading it killed svodka's feed process twice")
    return note
