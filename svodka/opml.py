"""OPML 2.0 subscription lists: read them (safely) and write them back.

A feed is any ``<outline>`` with an ``xmlUrl``; its ``category`` is the title of the nearest
enclosing outline. Attributes beyond the standard ones and svodka's ``language``/``country`` are
kept in ``extra`` (for the shared source list: ``topic``, ``region``, ``confidence``...), so a list
survives a read and a write unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime

from lxml import etree

from svodka.errors import MalformedFeed, NotAFeed
from svodka.parse._decode import decode_body
from svodka.parse._safety import check_prolog

_KNOWN = {"text", "title", "type", "xmlUrl", "htmlUrl", "language", "country"}


@dataclass(slots=True)
class OpmlFeed:
    xml_url: str
    html_url: str | None = None
    title: str = ""
    language: str | None = None
    country: str | None = None
    category: str | None = None  # title of the enclosing outline
    extra: dict[str, str] = field(default_factory=dict)  # other attributes, as given


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """Every feed outline in document order. Raises ``UnsafeXML``, ``NotAFeed`` or ``MalformedFeed``."""
    if not data or not data.strip():
        raise MalformedFeed("the OPML file is empty")
    decoded = decode_body(data)
    check_prolog(decoded.text)  # refuses entity declarations before any parsing
    try:
        root = etree.fromstring(decoded.utf8, etree.XMLParser(encoding="utf-8", **_opts()))
    except etree.XMLSyntaxError as exc:
        raise MalformedFeed(f"the OPML file is not well-formed XML ({exc})") from exc
    if not isinstance(root.tag, str) or root.tag.rpartition("}")[2].lower() != "opml":
        raise NotAFeed("the file is not OPML (its root element is not <opml>)")
    body = next((el for el in root if isinstance(el.tag, str) and el.tag.endswith("body")), None)
    feeds: list[OpmlFeed] = []
    if body is not None:
        _walk(body, None, feeds)
    return feeds


def _opts() -> dict[str, bool]:
    return {
        "resolve_entities": False,
        "load_dtd": False,
        "no_network": True,
        "remove_comments": True,
        "remove_pis": True,
    }


def _walk(parent: etree._Element, category: str | None, out: list[OpmlFeed]) -> None:
    for el in parent:
        if not isinstance(el.tag, str) or el.tag.rpartition("}")[2] != "outline":
            continue
        a = dict(el.attrib)
        title = (a.get("title") or a.get("text") or "").strip()
        xml_url = (a.get("xmlUrl") or a.get("xmlurl") or "").strip()
        if xml_url:
            out.append(
                OpmlFeed(
                    xml_url=xml_url,
                    html_url=(a.get("htmlUrl") or "").strip() or None,
                    title=title,
                    language=(a.get("language") or "").strip() or None,
                    country=(a.get("country") or "").strip() or None,
                    category=category,
                    extra={k: v for k, v in a.items() if k not in _KNOWN and k != "xmlurl"},
                )
            )
        _walk(el, category if xml_url else (title or category), out)


def write_opml(feeds: Iterable[OpmlFeed], title: str) -> bytes:
    """An OPML 2.0 document: one outline per category (in first-seen order), feeds inside."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC), usegmt=True)
    etree.SubElement(head, "docs").text = "http://opml.org/spec2.opml"
    body = etree.SubElement(root, "body")
    groups: dict[str | None, etree._Element] = {}
    for feed in feeds:
        parent = body
        if feed.category:
            parent = groups.get(feed.category)
            if parent is None:
                parent = groups[feed.category] = etree.SubElement(
                    body, "outline", text=feed.category, title=feed.category
                )
        attrs = {"text": feed.title, "title": feed.title, "type": "rss", "xmlUrl": feed.xml_url}
        if feed.html_url:
            attrs["htmlUrl"] = feed.html_url
        if feed.language:
            attrs["language"] = feed.language
        if feed.country:
            attrs["country"] = feed.country
        for k, v in feed.extra.items():
            if k not in attrs:
                attrs[k] = v
        etree.SubElement(parent, "outline", attrs)
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"
