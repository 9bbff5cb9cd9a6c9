"""The fast path: read a well-formed RSS / RDF / Atom / sitemap document with lxml.

Each reader walks an element's children once and dispatches on the (namespaced) tag through a
dictionary, so the cost per item is a handful of dictionary look-ups.
"""

from __future__ import annotations

import base64
import binascii
import re
import threading
from collections.abc import Callable
from datetime import datetime
from html import escape
from html.entities import name2codepoint
from urllib.parse import urlsplit

from lxml import etree

from svodka.errors import NotAFeed
from svodka.parse._common import absolute, fallback_guid, looks_like_image, set_dates
from svodka.types import ParsedEntry, ParsedFeed

ATOM10 = "http://www.w3.org/2005/Atom"
ATOM03 = "http://purl.org/atom/ns#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RSS10 = "http://purl.org/rss/1.0/"
RSS090 = "http://my.netscape.com/rdf/simple/0.9/"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
MEDIA = ("http://search.yahoo.com/mrss/", "http://search.yahoo.com/mrss")
ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
ITUNES_ODD = "http://www.itunes.com/DTDs/Podcast-1.0.dtd"  # a spelling found in the wild
XHTML = "http://www.w3.org/1999/xhtml"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
SITEMAP_IMAGE = "http://www.google.com/schemas/sitemap-image/1.1"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Plain RSS has no namespace; some old feeds put it in one of these.
_RSS_NS = ("", RSS10, RSS090, "http://backend.userland.com/rss2", "http://backend.userland.com/rss091")

_XMLNS_ATTR = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')
_AUTHOR_EMAIL_NAME = re.compile(r"^\s*\S+@\S+\s*\((.+)\)\s*$")
_AUTHOR_NAME_EMAIL = re.compile(r"^\s*([^(<]+?)\s*(?:\(\S+@\S+\)|<\S+@\S+>)\s*$")
_TEXTUAL = re.compile(r"^\s*(text/|[^;]*[/+]xml\b)", re.IGNORECASE)
_local = threading.local()


def _parser(override: bool) -> etree.XMLParser:
    """A per-thread strict parser: no entity expansion, no DTD loading, no network.

    With ``override`` it reads the bytes as UTF-8 whatever the XML declaration says (for text we
    decoded and re-encoded); without, it trusts the declaration, which is faster.
    """
    key = "parser_utf8" if override else "parser"
    parser = getattr(_local, key, None)
    if parser is None:
        parser = etree.XMLParser(
            encoding="utf-8" if override else None,
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        setattr(_local, key, parser)
    return parser


def _recovering_parser() -> etree.XMLParser:
    parser = getattr(_local, "recover", None)
    if parser is None:
        parser = etree.XMLParser(
            encoding="utf-8",
            recover=True,
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        _local.recover = parser
    return parser


def parse_tree(data: bytes, url: str, *, recover: bool = False, override: bool = True) -> etree._Element:
    """Parse UTF-8 bytes; raises ``etree.XMLSyntaxError`` when not well-formed (unless ``recover``)."""
    parser = _recovering_parser() if recover else _parser(override)
    root = etree.fromstring(data, parser, base_url=url)
    if root is None:
        raise etree.XMLSyntaxError("no root element", None, 0, 0)  # type: ignore[call-arg]
    return root


# --- text helpers ---------------------------------------------------------------------------------
def _inner(el: etree._Element) -> str:
    """Text plus serialised children: markup that a feed put unescaped inside an element."""
    parts = [escape(el.text, quote=False) if el.text else ""]
    for child in el:
        if child.tag is etree.Entity:
            parts.append(escape(_entity(child), quote=False) + escape(child.tail or "", quote=False))
        else:
            parts.append(etree.tostring(child, encoding="unicode", with_tail=True))
    return _XMLNS_ATTR.sub("", "".join(parts))


def _entity(el: etree._Element) -> str:
    """An entity reference left unexpanded (the document cites a DTD we never load)."""
    code = name2codepoint.get(el.name)
    return chr(code) if code is not None else f"&{el.name};"


def _text(el: etree._Element) -> str:
    if len(el):
        if all(child.tag is etree.Entity for child in el):
            parts = [el.text or ""]
            for child in el:
                parts.append(_entity(child))
                parts.append(child.tail or "")
            return "".join(parts).strip()
        return _inner(el).strip()
    text = el.text
    return text.strip() if text else ""


def _atom_text(el: etree._Element) -> str:
    """An Atom text construct (``type`` text / html / xhtml; Atom 0.3 ``mode`` xml / escaped / base64)."""
    mime = el.get("type")
    if el.get("mode") == "base64" or (mime and "/" in mime and not _TEXTUAL.match(mime)):
        try:
            return base64.b64decode(el.text or "").decode("utf-8", errors="replace").strip()
        except (binascii.Error, ValueError):
            return ""
    if len(el):
        children = list(el)
        if (
            mime == "xhtml"
            and len(children) == 1
            and children[0].tag == f"{{{XHTML}}}div"
            and not (el.text or "").strip()
        ):
            return _inner(children[0]).strip()
        return _inner(el).strip()
    text = el.text
    return text.strip() if text else ""


class Ctx:
    """What every reader needs: the document URL, the fetch time, and a fast link resolver."""

    __slots__ = ("_origins", "now", "url", "xml_base")

    def __init__(self, url: str, now: datetime, *, xml_base: bool) -> None:
        self.url = url
        self.now = now
        self.xml_base = xml_base  # only then is the (slower) per-element base worth asking for
        self._origins: dict[str, str] = {}

    def join(self, el: etree._Element, link: str | None) -> str | None:
        if not link:
            return None
        link = link.strip()
        if link.startswith(("http://", "https://")) or not link:
            return link or None
        base = (el.base or self.url) if self.xml_base else self.url
        if link[0] == "/" and link[1:2] != "/":
            origin = self._origins.get(base)
            if origin is None:
                parts = urlsplit(base)
                origin = self._origins[base] = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
            if origin:
                return origin + link
        return absolute(link, base)


def _author(raw: str) -> str:
    """A name from ``me@example.com (Name)`` or ``Name (me@example.com)``, else as given."""
    if "@" not in raw:
        return raw
    m = _AUTHOR_EMAIL_NAME.match(raw) or _AUTHOR_NAME_EMAIL.match(raw)
    return m.group(1).strip() if m else raw


def _lang(value: str | None) -> str | None:
    return value.strip().replace("_", "-") or None if value else None


# --- RSS (0.9x, 1.0, 2.0) -------------------------------------------------------------------------
def _tags(local: str, *nss: str) -> list[str]:
    return [f"{{{ns}}}{local}" if ns else local for ns in nss]


_T_TITLE, _T_LINK, _T_GUID, _T_DESC, _T_CONTENT, _T_PUB, _T_UPD = range(7)
_T_AUTHOR, _T_CAT, _T_ENCL, _T_MEDIA, _T_THUMB, _T_MGROUP, _T_LANG, _T_ATOMLINK, _T_ITIMG = range(7, 16)
_T_ITSUM, _T_ITAUTHOR = 16, 17

_RSS_ITEM: dict[str, int] = {}
for _code, _names in (
    (_T_TITLE, [*_tags("title", *_RSS_NS), f"{{{DC}}}title"]),
    (_T_LINK, _tags("link", *_RSS_NS)),
    (_T_GUID, _tags("guid", *_RSS_NS)),
    (_T_DESC, [*_tags("description", *_RSS_NS), f"{{{DC}}}description"]),
    (_T_ITSUM, [f"{{{ns}}}summary" for ns in (ITUNES, ITUNES_ODD)]),
    (_T_CONTENT, [f"{{{CONTENT}}}encoded", f"{{{XHTML}}}body", *_tags("fullitem", *_RSS_NS)]),
    (_T_PUB, [*_tags("pubDate", *_RSS_NS), f"{{{DC}}}date", f"{{{DCTERMS}}}issued", f"{{{DCTERMS}}}created"]),
    (_T_UPD, [f"{{{DCTERMS}}}modified", f"{{{ATOM10}}}updated"]),
    (_T_AUTHOR, [*_tags("author", *_RSS_NS), f"{{{DC}}}creator", f"{{{DC}}}author"]),
    (_T_ITAUTHOR, [f"{{{ns}}}author" for ns in (ITUNES, ITUNES_ODD)]),
    (_T_CAT, [*_tags("category", *_RSS_NS), f"{{{DC}}}subject"]),
    (_T_ENCL, _tags("enclosure", *_RSS_NS)),
    (_T_MEDIA, [f"{{{ns}}}content" for ns in MEDIA]),
    (_T_THUMB, [f"{{{ns}}}thumbnail" for ns in MEDIA]),
    (_T_MGROUP, [f"{{{ns}}}group" for ns in MEDIA]),
    (_T_LANG, [f"{{{DC}}}language"]),
    (_T_ATOMLINK, [f"{{{ATOM10}}}link"]),
    (_T_ITIMG, [f"{{{ns}}}image" for ns in (ITUNES, ITUNES_ODD)]),
):
    for _name in _names:
        _RSS_ITEM[_name] = _code

_IMG_ENCLOSURE, _IMG_MEDIA, _IMG_THUMB, _IMG_ITUNES = range(4)


def _media_image(el: etree._Element, ctx: Ctx, found: dict[int, str]) -> None:
    """Image candidates from media:content / media:group / media:thumbnail (and their children)."""
    for child in el.iter(*[f"{{{ns}}}{n}" for ns in MEDIA for n in ("content", "thumbnail")]):
        src = child.get("url")
        if not src:
            continue
        if child.tag.endswith("thumbnail"):
            found.setdefault(_IMG_THUMB, ctx.join(child, src) or src)
        else:
            medium = child.get("medium")
            if medium == "image" or (medium is None and looks_like_image(src, child.get("type"))):
                found.setdefault(_IMG_MEDIA, ctx.join(child, src) or src)


def _rss_item(item: etree._Element, ctx: Ctx) -> ParsedEntry:
    title = link = guid = desc = content = author = lang = None
    pub = upd = it_summary = it_author = text_lang = None
    tags: list[str] = []
    images: dict[int, str] = {}
    permalink_guid = False
    for child in item:
        code = _RSS_ITEM.get(child.tag)  # type: ignore[arg-type]
        if code is None:
            continue
        if code == _T_TITLE:
            if title is None:
                title = _text(child)
        elif code == _T_LINK:
            if link is None:
                link = ctx.join(child, _text(child))
        elif code == _T_GUID:
            guid = _text(child) or None
            permalink_guid = child.get("isPermaLink", "true").strip().lower() == "true"
        elif code == _T_DESC:
            if desc is None:
                desc = _text(child)
        elif code == _T_CONTENT:
            if content is None:
                content = _text(child)
                text_lang = child.get(XML_LANG)
        elif code == _T_ITSUM:
            it_summary = _text(child)
        elif code == _T_ITAUTHOR:
            it_author = _text(child)
        elif code == _T_PUB:
            if pub is None:
                pub = child.text
        elif code == _T_UPD:
            if upd is None:
                upd = child.text
        elif code == _T_AUTHOR:
            if author is None:
                author = _author(_text(child))
        elif code == _T_CAT:
            tag = _text(child)
            if tag and tag not in tags:
                tags.append(tag)
        elif code == _T_ENCL:
            src = child.get("url")
            if src and _IMG_ENCLOSURE not in images and looks_like_image(src, child.get("type")):
                images[_IMG_ENCLOSURE] = ctx.join(child, src) or src
        elif code in (_T_MEDIA, _T_THUMB, _T_MGROUP):
            _media_image(child, ctx, images)
        elif code == _T_LANG:
            lang = _text(child) or None
        elif code == _T_ATOMLINK:
            if link is None and child.get("rel", "alternate") == "alternate":
                link = ctx.join(child, child.get("href"))
        elif code == _T_ITIMG:
            src = child.get("href") or _text(child)
            if src:
                images.setdefault(_IMG_ITUNES, ctx.join(child, src) or src)
    if guid is None:
        guid = item.get(f"{{{RDF}}}about") or None
    if link is None and guid and permalink_guid and guid.startswith(("http://", "https://")):
        link = guid
    entry = ParsedEntry(
        guid=guid or link or fallback_guid(title or "", pub or upd),
        url=link,
        title=title or "",
        summary_html=desc or it_summary or "",
        content_html=content or "",
        author=author or it_author or "",
        image=images[min(images)] if images else None,
        tags=tags,
        language=_lang(lang or item.get(XML_LANG) or text_lang),
    )
    set_dates(entry, pub, upd, ctx.now)
    return entry


def _feed_links(feed: ParsedFeed, el: etree._Element, ctx: Ctx) -> None:
    """WebSub links: ``rel="hub"`` and ``rel="self"``."""
    rel = (el.get("rel") or "").strip().lower()
    href = el.get("href")
    if not href:
        return
    if rel == "hub":
        feed.hub = feed.hub or ctx.join(el, href)
    elif rel == "self":
        feed.self_url = feed.self_url or ctx.join(el, href)


_RSS_CHANNEL_TITLE = {*_tags("title", *_RSS_NS), f"{{{DC}}}title"}
_RSS_CHANNEL_LINK = set(_tags("link", *_RSS_NS))
_RSS_CHANNEL_LANG = {*_tags("language", *_RSS_NS), f"{{{DC}}}language"}
_RSS_ITEM_TAGS = set(_tags("item", *_RSS_NS))


def _rss_version(root: etree._Element) -> str:
    if root.tag == f"{{{RDF}}}RDF":
        nss = set(root.nsmap.values())
        if RSS090 in nss and RSS10 not in nss:
            return "rss090"
        return "rss10"
    version = (root.get("version") or "").strip()
    return {
        "0.91": "rss091",
        "0.92": "rss092",
        "0.93": "rss093",
        "0.94": "rss094",
        "0.90": "rss090",
    }.get(version, "rss20")


def read_rss(root: etree._Element, ctx: Ctx) -> ParsedFeed:
    feed = ParsedFeed(kind=_rss_version(root))
    channel = None
    for child in root:
        if isinstance(child.tag, str) and child.tag.rpartition("}")[2] == "channel":
            channel = child
            break
    containers = [root] if channel is None else [channel, root]
    if channel is not None:
        for child in channel:
            tag = child.tag
            if tag in _RSS_CHANNEL_TITLE:
                feed.title = feed.title or _text(child)
            elif tag in _RSS_CHANNEL_LINK:
                feed.link = feed.link or ctx.join(child, _text(child))
            elif tag in _RSS_CHANNEL_LANG:
                feed.language = feed.language or _text(child) or None
            elif tag == f"{{{ATOM10}}}link":
                _feed_links(feed, child, ctx)
        feed.language = _lang(feed.language or channel.get(XML_LANG) or root.get(XML_LANG))
    else:
        feed.language = _lang(root.get(XML_LANG))
    for container in containers:
        for child in container:
            if child.tag in _RSS_ITEM_TAGS:
                feed.entries.append(_rss_item(child, ctx))
    return feed


# --- Atom (0.3, 1.0) ------------------------------------------------------------------------------
def _atom_tables(ns: str) -> tuple[dict[str, int], str]:
    q = (lambda local: f"{{{ns}}}{local}") if ns else (lambda local: local)
    table = {
        q("title"): _T_TITLE,
        q("link"): _T_LINK,
        q("id"): _T_GUID,
        q("summary"): _T_DESC,
        q("content"): _T_CONTENT,
        q("published"): _T_PUB,
        q("issued"): _T_PUB,
        q("updated"): _T_UPD,
        q("modified"): _T_UPD,
        q("author"): _T_AUTHOR,
        q("category"): _T_CAT,
        f"{{{DC}}}subject": _T_CAT,
        f"{{{DC}}}language": _T_LANG,
        f"{{{DC}}}date": _T_PUB,
        f"{{{ITUNES}}}image": _T_ITIMG,
        f"{{{ITUNES_ODD}}}image": _T_ITIMG,
    }
    for m in MEDIA:
        table[f"{{{m}}}content"] = _T_MEDIA
        table[f"{{{m}}}thumbnail"] = _T_THUMB
        table[f"{{{m}}}group"] = _T_MGROUP
    return table, q("name")


_ATOM_TABLES = {ns: _atom_tables(ns) for ns in (ATOM10, ATOM03, "")}


def _atom_table(ns: str) -> tuple[dict[str, int], str]:
    table = _ATOM_TABLES.get(ns)
    if table is None:
        table = _atom_tables(ns)
        if len(_ATOM_TABLES) < 64:
            _ATOM_TABLES[ns] = table
    return table


def _atom_entry(entry_el: etree._Element, ns: str, ctx: Ctx) -> ParsedEntry:
    table, name_tag = _atom_table(ns)
    title = link = guid = desc = content = author = lang = None
    pub = upd = None
    tags: list[str] = []
    images: dict[int, str] = {}
    link_is_html = False
    text_lang = None
    for child in entry_el:
        code = table.get(child.tag)  # type: ignore[arg-type]
        if code is None:
            continue
        if code == _T_TITLE:
            if title is None:
                title = _atom_text(child)
                text_lang = text_lang or child.get(XML_LANG)
        elif code == _T_LINK:
            rel = (child.get("rel") or "alternate").strip().lower()
            href = child.get("href")
            if not href:
                continue
            if rel == "alternate":
                is_html = "html" in (child.get("type") or "text/html").lower()
                if link is None or (is_html and not link_is_html):
                    link = ctx.join(child, href)
                    link_is_html = is_html
            elif rel == "enclosure" and looks_like_image(href, child.get("type")):
                images.setdefault(_IMG_ENCLOSURE, ctx.join(child, href) or href)
        elif code == _T_GUID:
            guid = guid or _text(child) or None
        elif code == _T_DESC:
            if desc is None:
                desc = _atom_text(child)
                text_lang = text_lang or child.get(XML_LANG)
        elif code == _T_CONTENT:
            if content is None and not child.get("src"):
                content = _atom_text(child)
                text_lang = text_lang or child.get(XML_LANG)
        elif code == _T_PUB:
            pub = pub or child.text
        elif code == _T_UPD:
            upd = upd or child.text
        elif code == _T_AUTHOR:
            if author is None:
                for sub in child:
                    if sub.tag == name_tag:
                        author = _text(sub)
                        break
                else:
                    author = _text(child)
        elif code == _T_CAT:
            term = child.get("term") or child.get("label") or _text(child)
            if term and term not in tags:
                tags.append(term.strip())
        elif code in (_T_MEDIA, _T_THUMB, _T_MGROUP):
            _media_image(child, ctx, images)
        elif code == _T_LANG:
            lang = _text(child) or None
        elif code == _T_ITIMG:
            src = child.get("href") or _text(child)
            if src:
                images.setdefault(_IMG_ITUNES, ctx.join(child, src) or src)
    entry = ParsedEntry(
        guid=guid or link or fallback_guid(title or "", pub or upd),
        url=link,
        title=title or "",
        summary_html=desc or "",
        content_html=content or "",
        author=author or "",
        image=images[min(images)] if images else None,
        tags=tags,
        language=_lang(entry_el.get(XML_LANG) or lang or text_lang),
    )
    set_dates(entry, pub, upd, ctx.now)
    return entry


def read_atom(root: etree._Element, ctx: Ctx) -> ParsedFeed:
    ns = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else ""
    feed = ParsedFeed(kind="atom03" if ns == ATOM03 else "atom10", language=_lang(root.get(XML_LANG)))
    q = (lambda local: f"{{{ns}}}{local}") if ns else (lambda local: local)
    title_tag, link_tag, entry_tag = q("title"), q("link"), q("entry")
    link_is_html = False
    for child in root:
        tag = child.tag
        if tag == entry_tag:
            feed.entries.append(_atom_entry(child, ns, ctx))
        elif tag == title_tag:
            feed.title = feed.title or _atom_text(child)
        elif tag == link_tag or tag == f"{{{ATOM10}}}link":
            rel = (child.get("rel") or "alternate").strip().lower()
            href = child.get("href")
            if not href:
                continue
            if rel == "alternate":
                is_html = "html" in (child.get("type") or "text/html").lower()
                if feed.link is None or (is_html and not link_is_html):
                    feed.link = ctx.join(child, href)
                    link_is_html = is_html
            else:
                _feed_links(feed, child, ctx)
        elif tag == f"{{{DC}}}language":
            feed.language = feed.language or _lang(_text(child))
    return feed


# --- sitemaps -------------------------------------------------------------------------------------
def read_sitemap(root: etree._Element, ctx: Ctx) -> ParsedFeed:
    ns = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else ""
    q = (lambda local: f"{{{ns}}}{local}") if ns else (lambda local: local)
    index = root.tag == q("sitemapindex")
    feed = ParsedFeed(kind="sitemapindex" if index else "sitemap", link=None)
    loc_tag, lastmod_tag = q("loc"), q("lastmod")
    news_tag, image_tag = f"{{{NEWS}}}news", f"{{{SITEMAP_IMAGE}}}image"
    for node in root.iterchildren(q("sitemap") if index else q("url")):
        loc = title = lang = pub = upd = image = None
        tags: list[str] = []
        for child in node:
            tag = child.tag
            if tag == loc_tag:
                loc = ctx.join(child, _text(child))
            elif tag == lastmod_tag:
                upd = child.text
            elif tag == news_tag:
                for sub in child.iter():
                    local = sub.tag.rpartition("}")[2] if isinstance(sub.tag, str) else ""
                    if local == "title":
                        title = _text(sub)
                    elif local == "publication_date":
                        pub = sub.text
                    elif local == "language":
                        lang = _text(sub) or None
                    elif local == "keywords":
                        tags = [t.strip() for t in (sub.text or "").split(",") if t.strip()]
            elif tag == image_tag and image is None:
                img_loc = child.find(f"{{{SITEMAP_IMAGE}}}loc")
                if img_loc is not None and img_loc.text:
                    image = ctx.join(img_loc, img_loc.text)
        if not loc:
            continue
        entry = ParsedEntry(guid=loc, url=loc, title=title or "", image=image, tags=tags, language=lang)
        set_dates(entry, pub, upd, ctx.now)
        feed.entries.append(entry)
    return feed


# --- dispatch -------------------------------------------------------------------------------------
Reader = Callable[[etree._Element, Ctx], ParsedFeed]


def reader_for(root: etree._Element) -> Reader:
    tag = root.tag if isinstance(root.tag, str) else ""
    ns, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    if local == "rss" or (local == "RDF" and ns == RDF):
        return read_rss
    if local == "feed":  # Atom 1.0, 0.3, or a namespace of its own
        return read_atom
    if local in ("urlset", "sitemapindex"):
        return read_sitemap
    if local.lower() == "html":
        raise NotAFeed("the server sent an HTML page, not a feed")
    if local == "channel" and not ns:
        raise NotAFeed("the document is a Microsoft CDF channel, a format svodka does not read")
    raise NotAFeed(f"the document is XML but not a feed (its root element is <{local or '?'}>)")
