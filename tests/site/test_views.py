"""Pages, feeds and JSON of the first site, with data stored through the real storage path."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from svodka_site.news.models import Article, Feed, FeedStatus
from svodka_site.news.storage import DjangoStorage

from .test_storage import make_feed, outcome, rss

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored() -> Feed:
    storage = DjangoStorage(fetch_pages=False)
    feed = make_feed("http://a.test/rss", name="Gazeta")
    body = rss(
        [
            ("g1", "http://a.test/1", "Flood in Sukhumi"),
            ("g2", "http://a.test/2", "Паводок в Сухуме"),
            ("g3", "http://a.test/3", "Third &lt;script&gt;alert(1)&lt;/script&gt;"),
        ]
    )
    storage.save_feeds([outcome(storage, feed, body)], worker="t")
    return feed


@pytest.fixture
def client() -> Client:
    c = Client()
    c.cookies["tz"] = "UTC"
    return c


def test_front_page_lists_newest_articles_with_live_script(client: Client, stored: Feed) -> None:
    r = client.get("/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Flood in Sukhumi" in html and "Паводок в Сухуме" in html
    assert html.index("Third") < html.index("Flood in Sukhumi")  # newest first
    assert "<script>alert(1)</script>" not in html
    assert "/api/articles?after=" in html  # live updates
    assert 'type="application/rss+xml"' in html


def test_article_page_credits_source_and_links_original(client: Client, stored: Feed) -> None:
    art = Article.objects.get(url="http://a.test/1")
    html = client.get(f"/a/{art.pk}/").content.decode()
    assert "Gazeta" in html
    assert 'href="http://a.test/1"' in html
    assert "readon" in html
    assert art.published_at.strftime("%H:%M") in html


def test_source_page_shows_status_and_days(client: Client, stored: Feed) -> None:
    Feed.objects.filter(pk=stored.pk).update(status=FeedStatus.ERROR, error="the site asked us to wait")
    html = client.get("/source/gazeta/").content.decode()
    assert "the site asked us to wait" in html
    assert "/source/gazeta/2026-11-25/" in html
    day = client.get("/source/gazeta/2026-11-25/")
    assert day.status_code == 200 and "Flood in Sukhumi" in day.content.decode()
    assert client.get("/source/gazeta/2026-11-24/").content.decode().count('class="row"') == 0


def test_archive_day_hour_minute(client: Client, stored: Feed) -> None:
    day = client.get("/archive/2026-11-25/").content.decode()
    assert "Flood in Sukhumi" in day and "/archive/2026-11-25/11/" in day
    hour = client.get("/archive/2026-11-25/11/").content.decode()
    assert "Flood in Sukhumi" in hour
    minute = client.get("/archive/2026-11-25/11:00/").content.decode()
    assert "Flood in Sukhumi" in minute and "Паводок" not in minute  # item 2 is at 11:01
    assert client.get("/archive/2026-11-25/10/").content.decode().count('class="row"') == 0
    assert client.get("/archive/2026-13-45/").status_code == 404
    assert client.get("/archive/2026-11-25/25/").status_code == 404


def test_archive_follows_reader_time_zone(stored: Feed) -> None:
    c = Client()
    c.cookies["tz"] = "Europe/Moscow"  # UTC+3: 11:00 UTC is 14:00 there
    assert "Flood in Sukhumi" in c.get("/archive/2026-11-25/14:00/").content.decode()


@pytest.mark.parametrize(
    "path",
    ["/", "/source/gazeta/", "/archive/2026-11-25/", "/archive/2026-11-25/11/", "/source/gazeta/2026-11-25/"],
)
def test_every_listing_is_rss_atom_and_json(client: Client, stored: Feed, path: str) -> None:
    rss_doc = ET.fromstring(client.get(path + "rss.xml").content)
    assert "Flood in Sukhumi" in [i.findtext("title") for i in rss_doc.iter("item")]
    atom = ET.fromstring(client.get(path + "atom.xml").content)
    assert atom.tag == "{http://www.w3.org/2005/Atom}feed"
    assert len(atom.findall("{http://www.w3.org/2005/Atom}entry")) == 3
    data = json.loads(client.get(path + "feed.json").content)
    assert {a["title"] for a in data["articles"]} >= {"Flood in Sukhumi", "Паводок в Сухуме"}


def test_archive_minute_feed(client: Client, stored: Feed) -> None:
    data = json.loads(client.get("/archive/2026-11-25/11:01/feed.json").content)
    assert [a["title"] for a in data["articles"]] == ["Паводок в Сухуме"]


def test_healthz_and_api(client: Client, stored: Feed) -> None:
    h = client.get("/healthz").json()
    assert h["articles"] == 3 and h["feeds"] == 1 and h["feeds_failing"] == 0
    latest = client.get("/api/articles").json()
    first_id = min(a["id"] for a in latest["articles"])
    newer = client.get(f"/api/articles?after={first_id}").json()
    assert len(newer["articles"]) == 2
    assert client.get("/api/articles?after=abc").status_code == 400
    feeds = client.get("/api/sources").json()
    assert feeds[0]["url"] == "http://a.test/rss" and feeds[0]["status"] == "ok" and feeds[0]["items"] == 3


def test_pagination_is_stable(client: Client, stored: Feed) -> None:
    src = stored.source
    base = datetime(2026, 11, 20, tzinfo=UTC)
    Article.objects.bulk_create(
        Article(
            source=src, url=f"http://a.test/p{i}", title=f"Old {i}", published_at=base + timedelta(minutes=i)
        )
        for i in range(150)
    )
    page1 = client.get("/").content.decode()
    assert "Older" in page1 or "Раньше" in page1
    import re

    cursor = re.search(r'\?before=([0-9.]+)"', page1)
    assert cursor
    page2 = client.get(f"/?before={cursor.group(1)}").content.decode()
    titles1 = set(re.findall(r">(Old \d+)<", page1))
    titles2 = set(re.findall(r">(Old \d+)<", page2))
    assert titles1 and titles2 and not titles1 & titles2
    assert len(titles1 | titles2) == 150
    assert client.get("/?before=garbage").status_code == 200


def test_language_switch(stored: Feed) -> None:
    c = Client()
    c.cookies["django_language"] = "en"
    assert "Latest" in c.get("/").content.decode()
    c.cookies["django_language"] = "ru"
    assert "Свежие" in c.get("/").content.decode()


def test_unknown_article_and_source_are_404(client: Client, stored: Feed) -> None:
    assert client.get("/a/999999/").status_code == 404
    assert client.get("/source/nope/").status_code == 404
