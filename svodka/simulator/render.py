"""Serialise the newsroom: feeds (RSS 2.0 / Atom 1.0 / RSS 1.0 / JSON Feed 1.1 / RSS 0.91),
article pages, home pages and robots.txt. Strings are built directly (no DOM): a 50-item feed
re-renders from cached per-item fragments, so serving thousands of feeds stays cheap.
"""

from __future__ import annotations

import json
import struct
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import formatdate
from html import escape
from typing import TYPE_CHECKING

from . import _lexicon as lx

if TYPE_CHECKING:
    from .newsroom import Item, Newsroom, Outlet

CONTENT_TYPES = {
    "rss20": "application/rss+xml",
    "atom10": "application/atom+xml",
    "rss10": "application/rdf+xml",
    "jsonfeed11": "application/feed+json",
    "rss091": "text/xml",
}
ALTERNATE_TYPES = {**CONTENT_TYPES, "rss10": "application/rss+xml", "rss091": "application/rss+xml"}


def _png(width: int = 16, height: int = 9, rgb: tuple[int, int, int] = (120, 130, 140)) -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    )


PNG = _png()


def http_date(ts: float) -> str:
    return formatdate(ts, usegmt=True)


def rfc822(ts: float, tz_minutes: int) -> str:
    tz = timezone(timedelta(minutes=tz_minutes))
    return datetime.fromtimestamp(ts, tz).strftime("%a, %d %b %Y %H:%M:%S %z")


def iso(ts: float, tz_minutes: int = 0) -> str:
    tz = UTC if tz_minutes == 0 else timezone(timedelta(minutes=tz_minutes))
    return datetime.fromtimestamp(ts, tz).isoformat()


def _x(s: str) -> str:
    return escape(s, quote=False)


def _a(s: str) -> str:
    return escape(s, quote=True)


@dataclass(slots=True)
class RenderedFeed:
    count: int  # visible items at render time (cache key with origin)
    origin: str
    body: bytes
    content_type: str
    etag: str
    last_modified: str
    frags: dict[int, str]
    gz: bytes | None = None


def body_html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{_x(p)}</p>" for p in paragraphs)


class _ItemView:
    """What a renderer needs of one item, with optional hostile tweaks applied."""

    __slots__ = ("author", "category", "guid", "html", "image", "published", "summary", "title", "url")

    def __init__(self, nr: Newsroom, item: Item, shift: float = 0.0, tag: str = "") -> None:
        head = nr.headline(item)
        o = item.outlet
        self.url = o.origin + item.path
        self.guid = self.url if o.index % 2 == 0 else f"{o.slug}:{item.serial}"
        self.title = head.title + tag
        self.summary = head.summary + tag
        self.html = body_html(nr.article(item).paragraphs + ([tag] if tag else [])) if o.full_content else ""
        self.author = head.author
        self.published = item.published + shift
        self.image = o.origin + item.image_path
        self.category = lx.CATEGORY_NAMES[o.lang][item.story.category]


def _frag(outlet: Outlet, v: _ItemView) -> str:
    kind = outlet.kind
    utf8 = outlet.encoding == "utf-8"
    if kind == "rss20":
        content = ""
        if v.html:
            content = (
                f"<content:encoded><![CDATA[{v.html}]]></content:encoded>"
                if utf8
                else (f"<content:encoded>{_x(v.html)}</content:encoded>")
            )
        perma = "true" if v.guid == v.url else "false"
        return (
            f"<item><title>{_x(v.title)}</title><link>{_x(v.url)}</link>"
            f'<guid isPermaLink="{perma}">{_x(v.guid)}</guid><pubDate>{rfc822(v.published, outlet.tz_minutes)}</pubDate>'
            f"<dc:creator>{_x(v.author)}</dc:creator><category>{_x(v.category)}</category>"
            f"<description>{_x(v.summary)}</description>{content}"
            f'<enclosure url="{_a(v.image)}" type="image/png" length="{len(PNG)}"/></item>\n'
        )
    if kind == "atom10":
        content = f'<content type="html">{_x(v.html)}</content>' if v.html else ""
        stamp = iso(v.published, outlet.tz_minutes)
        return (
            f"<entry><title>{_x(v.title)}</title><id>{_x(v.guid if v.guid != v.url else v.url)}</id>"
            f'<link rel="alternate" type="text/html" href="{_a(v.url)}"/>'
            f"<published>{stamp}</published><updated>{stamp}</updated>"
            f'<author><name>{_x(v.author)}</name></author><category term="{_a(v.category)}"/>'
            f'<summary type="html">{_x(v.summary)}</summary>{content}'
            f'<link rel="enclosure" type="image/png" length="{len(PNG)}" href="{_a(v.image)}"/></entry>\n'
        )
    if kind == "rss10":
        content = f"<content:encoded>{_x(v.html)}</content:encoded>" if v.html else ""
        return (
            f'<item rdf:about="{_a(v.url)}"><title>{_x(v.title)}</title><link>{_x(v.url)}</link>'
            f"<description>{_x(v.summary)}</description><dc:date>{iso(v.published, outlet.tz_minutes)}</dc:date>"
            f"<dc:creator>{_x(v.author)}</dc:creator><dc:subject>{_x(v.category)}</dc:subject>{content}</item>\n"
        )
    if kind == "jsonfeed11":
        d: dict[str, object] = {
            "id": v.guid,
            "url": v.url,
            "title": v.title,
            "summary": v.summary,
            "content_html": v.html or f"<p>{_x(v.summary)}</p>",
            "date_published": iso(v.published, outlet.tz_minutes),
            "authors": [{"name": v.author}],
            "image": v.image,
            "tags": [v.category],
        }
        return json.dumps(d, ensure_ascii=False)
    # rss091: no dates, no guids
    return (
        f"<item><title>{_x(v.title)}</title><link>{_x(v.url)}</link>"
        f"<description>{_x(v.summary)}</description></item>\n"
    )


def _wrap(outlet: Outlet, items: list[Item], frags: list[str], newest: float) -> str:
    kind = outlet.kind
    name, home, feed = _x(outlet.name), _x(outlet.home_url), _a(outlet.feed_url)
    desc = _x(f"{outlet.name}: {lx.UI[outlet.lang]['latest']}")
    enc = outlet.encoding
    head = f'<?xml version="1.0" encoding="{enc}"?>\n'
    body = "".join(frags)
    if kind == "rss20":
        return (
            f'{head}<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            f'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>'
            f"<title>{name}</title><link>{home}</link><description>{desc}</description>"
            f"<language>{outlet.lang}</language><lastBuildDate>{rfc822(newest, outlet.tz_minutes)}</lastBuildDate>"
            f'<atom:link href="{feed}" rel="self" type="application/rss+xml"/>\n{body}</channel></rss>\n'
        )
    if kind == "atom10":
        return (
            f'{head}<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{outlet.lang}">'
            f"<title>{name}</title><subtitle>{desc}</subtitle><id>{home}</id><updated>{iso(newest)}</updated>"
            f'<link rel="alternate" type="text/html" href="{_a(outlet.home_url)}"/>'
            f'<link rel="self" type="application/atom+xml" href="{feed}"/>\n{body}</feed>\n'
        )
    if kind == "rss10":
        seq = "".join(f'<rdf:li rdf:resource="{_a(outlet.origin + it.path)}"/>' for it in items)
        return (
            f'{head}<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            f'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            f'xmlns:content="http://purl.org/rss/1.0/modules/content/">\n'
            f'<channel rdf:about="{feed}"><title>{name}</title><link>{home}</link>'
            f"<description>{desc}</description><dc:language>{outlet.lang}</dc:language>"
            f"<items><rdf:Seq>{seq}</rdf:Seq></items></channel>\n{body}</rdf:RDF>\n"
        )
    if kind == "jsonfeed11":
        top = json.dumps(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "title": outlet.name,
                "home_page_url": outlet.home_url,
                "feed_url": outlet.feed_url,
                "description": f"{outlet.name}: {lx.UI[outlet.lang]['latest']}",
                "language": outlet.lang,
            },
            ensure_ascii=False,
        )
        return top[:-1] + ', "items": [' + ",\n".join(frags) + "]}\n"
    return (
        f'{head}<rss version="0.91"><channel><title>{name}</title><link>{home}</link>'
        f"<description>{desc}</description><language>{outlet.lang}</language>\n{body}</channel></rss>\n"
    )


def content_type(outlet: Outlet) -> str:
    return f"{CONTENT_TYPES[outlet.kind]}; charset={outlet.encoding}"


def feed(
    nr: Newsroom,
    outlet: Outlet,
    items: list[Item],
    *,
    old: RenderedFeed | None = None,
    shift: float = 0.0,
    tag: str = "",
) -> RenderedFeed:
    """Render ``items`` (newest first) as ``outlet``'s feed, reusing ``old``'s item fragments."""
    reuse = old.frags if old is not None and old.origin == outlet.origin and not (shift or tag) else {}
    frags: dict[int, str] = {}
    ordered = []
    for it in items:
        f = reuse.get(it.serial)
        if f is None:
            f = _frag(outlet, _ItemView(nr, it, shift, tag))
        frags[it.serial] = f
        ordered.append(f)
    newest = (items[0].published if items else nr.start_ts) + shift
    text = _wrap(outlet, items, ordered, newest)
    body = text.encode(outlet.encoding, "xmlcharrefreplace")
    etag = f'"{outlet.slug}-{items[0].serial if items else 0}-{len(items)}"'
    return RenderedFeed(
        count=0,
        origin=outlet.origin,
        body=body,
        content_type=content_type(outlet),
        etag=etag,
        last_modified=http_date(newest),
        frags=frags if not (shift or tag) else {},
    )


# --- HTML ------------------------------------------------------------------------------------
_CSS = "body{font-family:sans-serif;margin:0}header,footer{background:#eee;padding:8px}main{display:flex}"


def _chrome_top(outlet: Outlet, title: str) -> str:
    ui = lx.UI[outlet.lang]
    nav = "".join(
        f'<li><a href="/section/{c}">{_x(n)}</a></li>' for c, n in lx.CATEGORY_NAMES[outlet.lang].items()
    )
    return (
        f'<header><a class="logo" href="/">{_x(outlet.name)}</a><nav><ul><li><a href="/">{ui["home"]}</a></li>'
        f"{nav}</ul></nav></header>"
        f'<div class="ad ad-top"><span>{ui["ad"]}</span><a href="/promo?utm_source=banner"><img src="/img/0.png" '
        f'alt="" width="728" height="90"></a></div>'
    )


def _chrome_bottom(outlet: Outlet, year: int) -> str:
    ui = lx.UI[outlet.lang]
    return (
        f'<div id="cookie-banner" class="cookie"><p>{ui["cookies"]}</p><button>{ui["ok"]}</button></div>'
        f"<footer><p>© {year} {_x(outlet.name)}. {ui['rights']}.</p>"
        f'<p><a href="/about">About</a> · <a href="/private/admin">Admin</a></p></footer>'
    )


def article_page(nr: Newsroom, item: Item, related: list[Item]) -> bytes:
    outlet = item.outlet
    art = nr.article(item)
    ui = lx.UI[outlet.lang]
    url = outlet.origin + item.path
    img = outlet.origin + item.image_path
    stamp = iso(item.published, outlet.tz_minutes)
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": art.title,
        "datePublished": stamp,
        "dateModified": stamp,
        "author": {"@type": "Person", "name": art.author},
        "image": [img],
        "mainEntityOfPage": url,
        "publisher": {"@type": "Organization", "name": outlet.name},
        "inLanguage": outlet.lang,
        "articleSection": lx.CATEGORY_NAMES[outlet.lang][item.story.category],
    }
    ld_json = json.dumps(ld, ensure_ascii=False).replace("</", "<\\/")
    rel = "".join(
        f'<li><a href="{_a(outlet.origin + r.path)}">{_x(nr.headline(r).title)}</a></li>' for r in related
    )
    names = list(outlet.staff)
    comments = "".join(
        f'<div class="comment"><b>{_x(names[(item.serial + k) % len(names)].split()[0])}</b>'
        f"<p>{_x(lx.COMMENTS[outlet.lang][(item.serial + k) % 5])}</p></div>"
        for k in range(2 + item.serial % 3)
    )
    paras = "".join(f"<p>{_x(p)}</p>" for p in art.paragraphs)
    page = (
        f'<!DOCTYPE html><html lang="{outlet.lang}"><head><meta charset="utf-8">'
        f"<title>{_x(art.title)} — {_x(outlet.name)}</title>"
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="description" content="{_a(art.summary)}">'
        f'<link rel="canonical" href="{_a(url)}">'
        f'<meta property="og:type" content="article"><meta property="og:title" content="{_a(art.title)}">'
        f'<meta property="og:url" content="{_a(url)}"><meta property="og:image" content="{_a(img)}">'
        f'<meta property="og:site_name" content="{_a(outlet.name)}">'
        f'<meta property="article:published_time" content="{stamp}">'
        f'<link rel="alternate" type="{ALTERNATE_TYPES[outlet.kind]}" href="{_a(outlet.feed_url)}">'
        f'<script type="application/ld+json">{ld_json}</script>'
        f"<style>{_CSS}</style><script>window.dataLayer=window.dataLayer||[];</script></head><body>"
        f"{_chrome_top(outlet, art.title)}<main>"
        f'<article class="post"><h1>{_x(art.title)}</h1>'
        f'<div class="byline">{ui["by"]}: <span class="author">{_x(art.author)}</span> · '
        f'<time datetime="{stamp}">{datetime.fromisoformat(stamp):%d.%m.%Y %H:%M}</time></div>'
        f'<figure><img src="{_a(img)}" alt="{_a(art.title)}" width="640" height="360"></figure>'
        f'<div class="article-body">{paras}</div></article>'
        f'<aside class="related"><h2>{ui["related"]}</h2><ul>{rel}</ul>'
        f'<div class="ad ad-side">{ui["ad"]}</div></aside></main>'
        f'<section class="comments"><h2>{ui["comments"]}</h2>{comments}</section>'
        f"{_chrome_bottom(outlet, item.published_dt.year)}</body></html>"
    )
    return page.encode()


def home_page(nr: Newsroom, outlet: Outlet, items: list[Item]) -> bytes:
    ui = lx.UI[outlet.lang]
    lis = "".join(
        f'<li><a href="{_a(outlet.origin + it.path)}">{_x(nr.headline(it).title)}</a></li>'
        for it in items[:20]
    )
    page = (
        f'<!DOCTYPE html><html lang="{outlet.lang}"><head><meta charset="utf-8"><title>{_x(outlet.name)}</title>'
        f'<link rel="alternate" type="{ALTERNATE_TYPES[outlet.kind]}" title="{_a(outlet.name)}" '
        f'href="{_a(outlet.feed_url)}"></head><body>{_chrome_top(outlet, outlet.name)}'
        f'<main><section><h2>{ui["latest"]}</h2><ul class="news">{lis}</ul></section></main>'
        f"{_chrome_bottom(outlet, datetime.fromtimestamp(nr.start_ts, UTC).year)}</body></html>"
    )
    return page.encode()


def robots_txt(outlet: Outlet) -> bytes:
    lines = ["User-agent: *", "Disallow: /private/"]
    if outlet.robots_blocks_articles:
        lines.append(
            {0: "Disallow: /news/", 1: "Disallow: /a/", 2: "Disallow: /article.php"}[outlet.url_style]
        )
    return ("\n".join(lines) + "\n").encode()
