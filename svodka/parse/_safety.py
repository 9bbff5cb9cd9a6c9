"""Checks made on the decoded text before any XML parser sees it.

Only the prolog (everything before the root element) can carry a DOCTYPE, so only the prolog is
scanned: the cost does not grow with the size of the feed.
"""

from __future__ import annotations

import re

from svodka.errors import NotAFeed, UnsafeXML

_SYSTEM_ID = re.compile(r"""\b(?:SYSTEM|PUBLIC)\s+(?:["'][^"']*["']\s+)?["']([^"']*)["']""", re.IGNORECASE)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_HTML_DOCTYPE = re.compile(r"<!doctype\s+html\b", re.IGNORECASE)
_ELEMENT_NAME = re.compile(r"<([A-Za-z_][\w.\-]*(?::[\w.\-]+)?)")
_FEED_ROOTS = {"rss", "rdf:rdf", "rdf", "feed", "urlset", "sitemapindex"}


def check_prolog(text: str) -> tuple[bool, int]:
    """Raise ``UnsafeXML`` for entity declarations or a DTD outside the web.

    Returns whether a DOCTYPE was seen and where the first element starts (or ``len(text)``).
    Nothing is expanded or fetched: the DOCTYPE is only read as text.
    """
    i, n = 0, len(text)
    has_doctype = False
    while i < n:
        while i < n and text[i] in " \t\r\n\ufeff":
            i += 1
        if text.startswith("<?", i):
            end = text.find("?>", i + 2)
            if end < 0:
                return has_doctype, n
            i = end + 2
        elif text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            if end < 0:
                return has_doctype, n
            i = end + 3
        elif text[i : i + 9].upper() == "<!DOCTYPE":
            has_doctype = True
            i = _check_doctype(text, i + 9)
        else:
            return has_doctype, i
    return has_doctype, n


def _check_doctype(text: str, i: int) -> int:
    """Check one DOCTYPE starting after ``<!DOCTYPE``; return the index just after it."""
    gt = text.find(">", i)
    bracket = text.find("[", i)
    if bracket >= 0 and (gt < 0 or bracket < gt):
        head = text[i:bracket]
        close = text.find("]", bracket)
        subset = text[bracket : close if close >= 0 else len(text)]
        if re.search(r"<!ENTITY", subset, re.IGNORECASE):
            raise UnsafeXML(
                "the feed declares its own XML entities (a DOCTYPE with ENTITY lines); such feeds can "
                "read local files or blow up in size, so it was refused without expanding anything"
            )
        end = text.find(">", close) if close >= 0 else -1
    else:
        head = text[i : gt if gt >= 0 else len(text)]
        end = gt
    m = _SYSTEM_ID.search(head)
    if m:
        system_id = m.group(1).strip()
        scheme = _SCHEME.match(system_id)
        if (scheme and scheme.group(1).lower() not in ("http", "https")) or system_id.startswith(("/", "\\")):
            raise UnsafeXML(
                f"the feed's DOCTYPE points at a local file or an unusual address ({system_id[:80]!r}); "
                "it was refused without reading it"
            )
    return len(text) if end < 0 else end + 1


def sniff_html(text: str, root_at: int, content_type: str | None) -> None:
    """Raise ``NotAFeed`` for a web page (an error page served with status 200, say).

    ``root_at`` is where the first element starts, as found by ``check_prolog``.
    """
    m = _ELEMENT_NAME.match(text, root_at)
    name = m.group(1).lower() if m else ""
    if name in ("html", "head", "body") or (
        _HTML_DOCTYPE.search(text, 0, root_at) and name not in _FEED_ROOTS
    ):
        raise NotAFeed("the server sent an HTML page, not a feed")
    if content_type and "html" in content_type.lower() and not name:
        raise NotAFeed("the server sent an HTML page, not a feed")
