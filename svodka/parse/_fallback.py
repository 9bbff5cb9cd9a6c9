"""Recovery for feeds that are not well-formed XML.

Two steps, cheapest first: repair the usual slips (bare ``&``, HTML entity names, control
characters) and parse strictly again; otherwise hand the text to feedparser's lenient parser (or,
for very large bodies, lxml's recovering parser, which stays linear in time).
"""

from __future__ import annotations

import re
from datetime import datetime
from html.entities import name2codepoint
from typing import Any

from lxml import etree

from svodka.errors import MalformedFeed
from svodka.parse._common import absolute, fallback_guid, looks_like_image, set_dates
from svodka.types import ParsedEntry, ParsedFeed

# feedparser reads about 1 MB/s; past this size lxml's recovering parser is used instead.
FEEDPARSER_MAX_BYTES = 2 * 1024 * 1024
_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
_ENTITY_OR_AMP = re.compile(r"&(#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)?")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_LATE_XML_DECL = re.compile(r"^(\s*(?:<!--.*?-->\s*)*)<\?xml[^>]*\?>", re.DOTALL)
_ENDS_WITH_CLOSING_TAG = re.compile(r"</[\w:.\-]+\s*>\s*$")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_DOCTYPE = re.compile(r"<!DOCTYPE[^>\[]*(?:\[[^\]]*\])?\s*>", re.IGNORECASE)
_VERSIONS = {
    "rss090": "rss090",
    "rss091n": "rss091",
    "rss091u": "rss091",
    "rss092": "rss092",
    "rss093": "rss093",
    "rss094": "rss094",
    "rss20": "rss20",
    "rss": "rss20",
    "rss10": "rss10",
    "atom03": "atom03",
    "atom10": "atom10",
    "atom": "atom10",
}


def explain(exc: etree.XMLSyntaxError, text: str) -> str:
    """An lxml error in plain words."""
    msg = str(exc.msg or exc)
    line = f" (line {exc.lineno})" if getattr(exc, "lineno", None) else ""
    if not _ENDS_WITH_CLOSING_TAG.search(text[-200:]):
        return "it seems cut off before its end"
    if "Premature end" in msg or "EndTag" in msg or "end of data" in msg.lower():
        return f"it seems cut off before its end{line}"
    if "Entity" in msg and "not defined" in msg:
        return f"it uses an entity name that XML does not define{line}"
    if "EntityRef" in msg or "xmlParseEntityRef" in msg:
        return f"it has a bare '&' that should be written '&amp;'{line}"
    if "invalid Char" in msg or "Char 0x" in msg:
        return f"it contains characters that XML does not allow{line}"
    if "mismatch" in msg.lower():
        return f"its tags are not properly nested{line}"
    return f"{msg.rstrip('.')}{line}"


def _fix_entity(m: re.Match[str]) -> str:
    ref = m.group(1)
    if ref is None:
        return "&amp;"
    if ref[0] == "#":
        return m.group(0)
    name = ref[:-1]
    if name in _XML_ENTITIES:
        return m.group(0)
    code = name2codepoint.get(name)
    return f"&#{code};" if code is not None else f"&amp;{ref}"


def repair(text: str) -> tuple[str, list[str]]:
    """Fix the common slips; return the new text and what was fixed (plain words)."""
    fixes: list[str] = []
    m = _LATE_XML_DECL.match(text[:8192])  # the prolog only: keeps the regex cheap on huge input
    if m:
        text = m.group(1) + text[m.end() :]
        fixes.append("removed an XML declaration that was not at the very start")
    fixed = _CONTROL.sub("", text)
    if len(fixed) != len(text):
        fixes.append("removed characters that XML does not allow")
    fixed2 = _ENTITY_OR_AMP.sub(_fix_entity, fixed)
    if fixed2 != fixed:
        fixes.append("escaped bare '&' and HTML entity names")
    return fixed2, fixes


def for_feedparser(text: str) -> bytes:
    """UTF-8 bytes whose declaration says UTF-8, without any DOCTYPE (it was checked already)."""
    text = _XML_DECL.sub("", text, count=1)
    text = _DOCTYPE.sub("", text, count=1)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + text.lstrip().encode("utf-8", errors="replace")


def _get(obj: Any, key: str) -> Any:
    try:
        return obj.get(key)
    except AttributeError:
        return None


def read_with_feedparser(
    text: str, url: str, content_type: str | None, now: datetime, why: str
) -> ParsedFeed:
    import feedparser

    # No content-location: feedparser would then also "resolve" RSS guids, which the fast path keeps
    # as given; links are made absolute here instead.
    headers = {"content-type": "application/xml; charset=utf-8"}
    result = feedparser.parse(
        for_feedparser(text),
        response_headers=headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    version = _VERSIONS.get(result.get("version") or "")
    fp_feed = result.get("feed") or {}
    if version is None and not result.get("entries") and not _get(fp_feed, "title"):
        raise MalformedFeed(f"the feed is not well-formed XML ({why}); nothing could be recovered")
    feed = ParsedFeed(
        kind=version or "rss20",
        title=(_get(fp_feed, "title") or "").strip(),
        link=absolute(_get(fp_feed, "link"), url),
        language=_get(fp_feed, "language") or None,
    )
    for link in _get(fp_feed, "links") or []:
        rel, href = _get(link, "rel"), _get(link, "href")
        if rel == "hub" and href and not feed.hub:
            feed.hub = absolute(href, url)
        elif rel == "self" and href and not feed.self_url:
            feed.self_url = absolute(href, url)
    for e in result.get("entries") or []:
        feed.entries.append(_entry(e, url, now))
    return feed


def _entry(e: Any, url: str, now: datetime) -> ParsedEntry:
    title = (_get(e, "title") or "").strip()
    link = absolute(_get(e, "link"), url)
    pub_raw = _get(e, "published")
    upd_raw = _get(e, "updated") if "updated" in e else None
    summary = _get(e, "summary") or ""
    content = ""
    for c in _get(e, "content") or []:
        value = _get(c, "value") or ""
        if value and value != summary:
            content = value
            break
    image = None
    for enc in _get(e, "enclosures") or []:
        href = _get(enc, "href")
        if href and looks_like_image(href, _get(enc, "type")):
            image = href
            break
    if image is None:
        for key in ("media_content", "media_thumbnail"):
            for m in _get(e, key) or []:
                href = _get(m, "url")
                if href and (key == "media_thumbnail" or looks_like_image(href, _get(m, "type"))):
                    image = href
                    break
            if image:
                break
    tags = []
    for t in _get(e, "tags") or []:
        term = (_get(t, "term") or _get(t, "label") or "").strip()
        if term and term not in tags:
            tags.append(term)
    entry = ParsedEntry(
        guid=_get(e, "id") or link or fallback_guid(title, pub_raw or upd_raw),
        url=link,
        title=title,
        summary_html=summary,
        content_html=content,
        author=(_get(e, "author") or "").strip(),
        image=absolute(image, url) if image else None,
        tags=tags,
        language=_get(e, "language") or None,
    )
    set_dates(entry, pub_raw, upd_raw, now)
    return entry
