"""Feed parsing: bytes from the fetcher in, a normalised ``ParsedFeed`` out.

Formats: RSS 0.90-0.94, RSS 1.0 (RDF), RSS 2.0, Atom 0.3 and 1.0, JSON Feed 1.0/1.1 and XML
sitemaps (``urlset``, with the Google News extension, and ``sitemapindex``).

Well-formed XML goes through a fast lxml reader. A feed that is not well-formed is first repaired
for the usual slips and, failing that, read by feedparser's lenient parser; either way the
problem is recorded in ``ParsedFeed.warnings``. XML is never allowed to expand entities, load a
DTD or touch the network, and any DOCTYPE that declares entities is refused (``UnsafeXML``)
before a parser sees it.

Errors: ``NotAFeed`` (a web page, JSON that is not a JSON Feed, other XML, binary data),
``UnsafeXML`` and ``MalformedFeed`` (an empty body, or nothing recoverable).
"""

from __future__ import annotations

from datetime import UTC, datetime

from lxml import etree

from svodka.errors import MalformedFeed, NotAFeed, UnsafeXML
from svodka.parse._decode import decode_body
from svodka.parse._discover import DiscoveredFeed, discover_feeds
from svodka.parse._fallback import FEEDPARSER_MAX_BYTES, explain, read_with_feedparser, repair
from svodka.parse._json import read_json_feed
from svodka.parse._safety import check_prolog, sniff_html
from svodka.parse._xml import Ctx, parse_tree, reader_for
from svodka.types import ParsedFeed

__all__ = [
    "DiscoveredFeed",
    "MalformedFeed",
    "NotAFeed",
    "UnsafeXML",
    "discover_feeds",
    "parse_feed",
]


def parse_feed(
    body: bytes, *, url: str, content_type: str | None = None, now: datetime | None = None
) -> ParsedFeed:
    """Parse one feed document.

    ``url`` is where it was fetched from (the base for relative links); ``content_type`` the HTTP
    header (its charset counts); ``now`` the time of the fetch (dates later than ``now`` plus ten
    minutes are clamped to it). Raises ``NotAFeed``, ``UnsafeXML`` or ``MalformedFeed``.
    """
    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    if not body or not body.strip():
        raise MalformedFeed("the response was empty: there is no feed in it")
    decoded = decode_body(body, content_type)
    text = decoded.text
    head = text[:64].lstrip(" \t\r\n\ufeff")
    if head[:1] in ("{", "["):
        feed = read_json_feed(text, url, now)
        feed.warnings[:0] = decoded.warnings
        return feed
    if not head.startswith("<"):
        _not_markup(text, content_type)
    has_doctype, root_at = check_prolog(text)
    sniff_html(text, root_at, content_type)
    warnings = list(decoded.warnings)
    try:
        data = decoded.utf8
        if data[:1] in _SPACE:  # blank lines before the XML declaration are common and harmless
            data = data.lstrip()
        root = parse_tree(data, url, override=not decoded.as_sent)
    except etree.XMLSyntaxError as exc:
        return _recover(text, url, content_type, now, exc, warnings, has_doctype)
    feed = reader_for(root)(root, _ctx(url, now, text))
    feed.warnings[:0] = warnings
    return feed


_SPACE = (b" ", b"\t", b"\r", b"\n")


def _ctx(url: str, now: datetime, text: str) -> Ctx:
    return Ctx(url, now, xml_base="xml:base" in text)


def _not_markup(text: str, content_type: str | None) -> None:
    sample = text[:512]
    odd = sum(1 for ch in sample if (ch < " " and ch not in "\t\r\n") or ch == "\ufffd")
    if odd > len(sample) // 20:
        raise NotAFeed("the server sent binary data, not a feed")
    if content_type and "html" in content_type.lower():
        raise NotAFeed("the server sent an HTML page, not a feed")
    raise NotAFeed("the server sent plain text, not a feed (it is neither XML nor JSON)")


def _recover(
    text: str,
    url: str,
    content_type: str | None,
    now: datetime,
    exc: etree.XMLSyntaxError,
    warnings: list[str],
    has_doctype: bool,
) -> ParsedFeed:
    why = explain(exc, text)
    fixed, fixes = repair(text)
    if fixes:
        try:
            root = parse_tree(fixed.encode("utf-8"), url)
        except etree.XMLSyntaxError:
            pass
        else:
            feed = reader_for(root)(root, _ctx(url, now, text))
            # The RSS 0.91 DTD defines the HTML entity names, so feeds that cite it may use them.
            only_entities = fixes == ["escaped bare '&' and HTML entity names"] and "entity name" in why
            if not (has_doctype and only_entities):
                warnings.append(f"the feed is not well-formed XML ({why}); {' and '.join(fixes)}")
            feed.warnings[:0] = warnings
            return feed
    if len(text) <= FEEDPARSER_MAX_BYTES:
        feed = read_with_feedparser(fixed, url, content_type, now, why)
    else:
        try:
            root = parse_tree(fixed.encode("utf-8"), url, recover=True)
        except etree.XMLSyntaxError as exc2:
            raise MalformedFeed(
                f"the feed is not well-formed XML ({why}); nothing could be recovered"
            ) from exc2
        feed = reader_for(root)(root, _ctx(url, now, text))
    warnings.append(
        f"the feed is not well-formed XML ({why}); {len(feed.entries)} item(s) were recovered "
        "with a lenient parser"
    )
    feed.warnings[:0] = warnings
    return feed
