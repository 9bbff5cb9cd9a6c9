"""Every feed format and version svodka reads, through the public ``parse_feed``."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from svodka.parse import parse_feed

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
URL = "https://example.com/feeds/main.xml"


def parse(body: str | bytes, **kw: object):
    data = body.encode() if isinstance(body, str) else body
    return parse_feed(data, url=kw.pop("url", URL), now=NOW, **kw)  # type: ignore[arg-type]


RSS_ITEM = """<item><title>First &amp; best</title><link>https://example.com/a</link>
<description>Lead &lt;b&gt;bold&lt;/b&gt;</description><pubDate>Sat, 31 May 2025 10:00:00 +0300</pubDate></item>"""


@pytest.mark.parametrize(
    ("version", "kind"),
    [("0.91", "rss091"), ("0.92", "rss092"), ("0.93", "rss093"), ("0.94", "rss094"), ("2.0", "rss20")],
)
def test_rss_0_9x_and_2_0(version: str, kind: str) -> None:
    feed = parse(
        f'<?xml version="1.0"?><rss version="{version}"><channel><title>Site</title>'
        f"<link>https://example.com/</link><language>en-gb</language>{RSS_ITEM}</channel></rss>"
    )
    assert feed.kind == kind
    assert (feed.title, feed.link, feed.language) == ("Site", "https://example.com/", "en-gb")
    [e] = feed.entries
    assert e.title == "First & best"
    assert e.url == e.guid == "https://example.com/a"
    assert e.summary_html == "Lead <b>bold</b>"
    assert e.published == datetime(2025, 5, 31, 7, 0, tzinfo=UTC)
    assert e.date_note is None
    assert feed.warnings == []


def test_rss_090() -> None:
    feed = parse(
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://my.netscape.com/rdf/simple/0.9/"><channel><title>Old</title>'
        "<link>http://old.example/</link></channel><item><title>One</title>"
        "<link>http://old.example/1</link></item></rdf:RDF>"
    )
    assert feed.kind == "rss090"
    assert feed.title == "Old"
    assert [(e.title, e.url) for e in feed.entries] == [("One", "http://old.example/1")]


def test_rss_10_rdf_with_dublin_core() -> None:
    feed = parse(
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        '<channel rdf:about="https://example.com/"><title>RDF site</title><link>https://example.com/</link>'
        "<dc:language>ru</dc:language></channel>"
        '<item rdf:about="https://example.com/n/1"><title>Новость</title><link>https://example.com/n/1</link>'
        "<dc:date>2025-05-31T09:30:00+03:00</dc:date><dc:creator>Иван Петров</dc:creator>"
        "<dc:subject>Политика</dc:subject><content:encoded><![CDATA[<p>Full</p>]]></content:encoded></item>"
        "</rdf:RDF>"
    )
    assert feed.kind == "rss10"
    assert feed.language == "ru"
    [e] = feed.entries
    assert e.guid == "https://example.com/n/1"
    assert e.author == "Иван Петров"
    assert e.tags == ["Политика"]
    assert e.content_html == "<p>Full</p>"
    assert e.published == datetime(2025, 5, 31, 6, 30, tzinfo=UTC)


def test_atom_10_full() -> None:
    feed = parse(
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/" xml:lang="de">'
        '<title>Atom site</title><link rel="alternate" type="text/html" href="https://example.com/"/>'
        '<link rel="self" href="https://example.com/atom"/><link rel="hub" href="https://hub.example/"/>'
        "<id>urn:x</id><updated>2025-05-31T00:00:00Z</updated>"
        '<entry xml:lang="fr"><title type="html">A &lt;i&gt;b&lt;/i&gt;</title>'
        '<link rel="alternate" href="https://example.com/e1"/><id>tag:example.com,2025:1</id>'
        "<published>2025-05-30T10:00:00+02:00</published><updated>2025-05-31T10:00:00Z</updated>"
        "<author><name>Ann</name><email>ann@example.com</email></author>"
        '<category term="science" label="Science"/><summary>Short</summary>'
        '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Long &amp; <b>rich</b></p></div></content>'
        '<media:thumbnail url="https://img.example.com/t.jpg"/></entry></feed>'
    )
    assert feed.kind == "atom10"
    assert (feed.title, feed.link, feed.language) == ("Atom site", "https://example.com/", "de")
    assert (feed.hub, feed.self_url) == ("https://hub.example/", "https://example.com/atom")
    [e] = feed.entries
    assert e.guid == "tag:example.com,2025:1"
    assert e.url == "https://example.com/e1"
    assert e.title == "A <i>b</i>"
    assert e.author == "Ann"
    assert e.tags == ["science"]
    assert e.summary_html == "Short"
    assert e.content_html == "<p>Long &amp; <b>rich</b></p>"
    assert e.published == datetime(2025, 5, 30, 8, 0, tzinfo=UTC)
    assert e.updated == datetime(2025, 5, 31, 10, 0, tzinfo=UTC)
    assert e.image == "https://img.example.com/t.jpg"
    assert e.language == "fr"


def test_atom_03() -> None:
    feed = parse(
        '<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old atom</title>'
        '<link rel="alternate" type="text/html" href="http://example.org/"/>'
        '<entry><title>E</title><link rel="alternate" type="text/html" href="http://example.org/e"/>'
        "<id>tag:e</id><issued>2004-01-01T10:00:00-05:00</issued><modified>2004-01-02T00:00:00Z</modified>"
        '<content type="text/html" mode="escaped">&lt;p&gt;x&lt;/p&gt;</content>'
        '<summary type="text/plain" mode="base64">SGVsbG8=</summary></entry></feed>'
    )
    assert feed.kind == "atom03"
    assert feed.link == "http://example.org/"
    [e] = feed.entries
    assert e.published == datetime(2004, 1, 1, 15, 0, tzinfo=UTC)
    assert e.updated == datetime(2004, 1, 2, tzinfo=UTC)
    assert e.content_html == "<p>x</p>"
    assert e.summary_html == "Hello"


@pytest.mark.parametrize(("version", "kind"), [("1", "jsonfeed10"), ("1.1", "jsonfeed11")])
def test_json_feed(version: str, kind: str) -> None:
    doc = {
        "version": f"https://jsonfeed.org/version/{version}",
        "title": "JSON site",
        "home_page_url": "https://example.com/",
        "feed_url": "https://example.com/feed.json",
        "language": "en",
        "hubs": [{"type": "WebSub", "url": "https://hub.example/"}],
        "items": [
            {
                "id": 42,
                "url": "/posts/42",
                "title": "Hello",
                "content_text": "Line one\n\nLine <two>",
                "summary": "Sum",
                "image": "/img/42.png",
                "date_published": "2025-05-31T08:00:00-04:00",
                "authors": [{"name": "Bo"}],
                "tags": ["a", "b"],
                "language": "en-US",
            },
            {"id": "x2", "content_html": "<p>hi</p>", "date_modified": "2025-05-30T00:00:00Z"},
        ],
    }
    feed = parse(json.dumps(doc))
    assert feed.kind == kind
    assert (feed.title, feed.link, feed.hub, feed.self_url) == (
        "JSON site",
        "https://example.com/",
        "https://hub.example/",
        "https://example.com/feed.json",
    )
    first, second = feed.entries
    assert first.guid == "42"
    assert first.url == "https://example.com/posts/42"
    assert first.image == "https://example.com/img/42.png"
    assert first.content_html == "<p>Line one</p><p>Line &lt;two&gt;</p>"
    assert first.published == datetime(2025, 5, 31, 12, 0, tzinfo=UTC)
    assert (first.author, first.tags, first.language) == ("Bo", ["a", "b"], "en-US")
    assert second.content_html == "<p>hi</p>"
    assert second.updated == datetime(2025, 5, 30, tzinfo=UTC)
    assert second.published is None


def test_sitemap_with_google_news() -> None:
    feed = parse(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" '
        'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">'
        "<url><loc>https://example.com/news/1</loc><news:news><news:publication><news:name>Ex</news:name>"
        "<news:language>ru</news:language></news:publication>"
        "<news:publication_date>2025-05-31T10:00:00+03:00</news:publication_date>"
        "<news:title>Заголовок</news:title><news:keywords>a, b</news:keywords></news:news>"
        "<image:image><image:loc>https://example.com/i.jpg</image:loc></image:image></url>"
        "<url><loc>https://example.com/about</loc><lastmod>2025-05-01</lastmod></url></urlset>"
    )
    assert feed.kind == "sitemap"
    news, plain = feed.entries
    assert (news.url, news.guid, news.title, news.language) == (
        "https://example.com/news/1",
        "https://example.com/news/1",
        "Заголовок",
        "ru",
    )
    assert news.published == datetime(2025, 5, 31, 7, 0, tzinfo=UTC)
    assert news.tags == ["a", "b"]
    assert news.image == "https://example.com/i.jpg"
    assert plain.updated == datetime(2025, 5, 1, tzinfo=UTC)
    assert plain.date_note == "the date had no time zone; taken as UTC"


def test_sitemap_index() -> None:
    feed = parse(
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>https://example.com/s1.xml</loc><lastmod>2025-05-31T00:00:00Z</lastmod></sitemap>"
        "<sitemap><loc>/s2.xml</loc></sitemap></sitemapindex>"
    )
    assert feed.kind == "sitemapindex"
    assert [e.url for e in feed.entries] == ["https://example.com/s1.xml", "https://example.com/s2.xml"]


def test_relative_links_resolve_against_xml_base_and_feed_url() -> None:
    feed = parse(
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://base.example/blog/">'
        '<link href="/"/><entry><id>1</id><link href="post-1"/></entry>'
        '<entry xml:base="https://other.example/x/"><id>2</id><link href="../y"/></entry></feed>'
    )
    assert feed.link == "https://base.example/"
    assert [e.url for e in feed.entries] == ["https://base.example/blog/post-1", "https://other.example/y"]
    rss = parse(
        '<rss version="2.0"><channel><link>/</link><item><link>/a/b?c=1</link></item></channel></rss>'
    )
    assert rss.link == "https://example.com/"
    assert rss.entries[0].url == "https://example.com/a/b?c=1"
    rel = parse('<rss version="2.0"><channel><item><link>sub/c</link></item></channel></rss>')
    assert rel.entries[0].url == "https://example.com/feeds/sub/c"


def test_guid_falls_back_to_link_then_hash() -> None:
    feed = parse(
        '<rss version="2.0"><channel>'
        "<item><guid isPermaLink='false'>abc-1</guid><link>https://e.x/1</link></item>"
        "<item><link>https://e.x/2</link></item>"
        "<item><title>No link</title><pubDate>Sat, 31 May 2025 10:00:00 GMT</pubDate></item>"
        "<item><title>No link</title><pubDate>Sat, 31 May 2025 11:00:00 GMT</pubDate></item>"
        "</channel></rss>"
    )
    guids = [e.guid for e in feed.entries]
    assert guids[:2] == ["abc-1", "https://e.x/2"]
    assert guids[2].startswith("sha1:") and guids[3].startswith("sha1:") and guids[2] != guids[3]
    again = parse(
        '<rss version="2.0"><channel><item><title>No link</title>'
        "<pubDate>Sat, 31 May 2025 10:00:00 GMT</pubDate></item></channel></rss>"
    )
    assert again.entries[0].guid == guids[2]  # stable across fetches


def test_images_from_enclosure_media_content_and_thumbnail() -> None:
    feed = parse(
        '<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>'
        '<item><guid>1</guid><enclosure url="/a.mp3" type="audio/mpeg"/>'
        '<enclosure url="/pic.jpg" type="image/jpeg"/></item>'
        '<item><guid>2</guid><media:content url="https://cdn.x/v.mp4" medium="video">'
        '<media:thumbnail url="https://cdn.x/v.jpg"/></media:content></item>'
        '<item><guid>3</guid><media:group><media:content url="https://cdn.x/p.png" type="image/png"/>'
        "</media:group></item>"
        "<item><guid>4</guid></item></channel></rss>"
    )
    assert [e.image for e in feed.entries] == [
        "https://example.com/pic.jpg",
        "https://cdn.x/v.jpg",
        "https://cdn.x/p.png",
        None,
    ]


def test_websub_links_in_rss() -> None:
    feed = parse(
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>T</title>'
        '<atom:link rel="hub" href="https://pubsubhubbub.appspot.com/"/>'
        '<atom:link rel="self" type="application/rss+xml" href="https://example.com/rss"/>'
        "</channel></rss>"
    )
    assert feed.hub == "https://pubsubhubbub.appspot.com/"
    assert feed.self_url == "https://example.com/rss"
    assert feed.entries == []


def test_entry_language_and_author_forms() -> None:
    feed = parse(
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><language>en</language>'
        "<item><guid>1</guid><dc:language>uk</dc:language><author>me@x.org (Olena)</author></item>"
        '<item xml:lang="be"><guid>2</guid><author>Alex (alex@x.org)</author></item>'
        "<item><guid>3</guid></item></channel></rss>"
    )
    assert [e.language for e in feed.entries] == ["uk", "be", None]
    assert [e.author for e in feed.entries] == ["Olena", "Alex", ""]
