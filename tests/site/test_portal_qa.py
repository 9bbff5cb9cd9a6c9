"""What a crawl of the demo found (2026-12-03): each case once answered 500, linked nowhere,
served invalid feeds, or let a cross-site link change the reader's state."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import feedparser
import pytest
from django.test import Client
from django.utils import timezone

from svodka_site.news.models import Article, Feed

from .test_views import client, stored  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize("zone", ["America", "Europe", "America/Argentina", "Etc", "../../etc"])
def test_a_time_zone_cookie_naming_a_folder_falls_back(zone: str) -> None:
    c = Client()
    c.cookies["tz"] = zone
    assert c.get("/healthz").status_code == 200
    assert c.get("/").status_code == 200


def test_control_characters_in_a_search_make_a_valid_feed(client: Client, stored: Feed) -> None:  # noqa: F811
    for fmt in ("rss.xml", "atom.xml"):
        r = client.get(f"/search/{fmt}", {"q": "a\x01b\x00c\x1f"})
        assert r.status_code == 200, fmt
        assert not feedparser.parse(r.content).bozo, fmt


@pytest.mark.parametrize("path", ["/archive/9999-12-31/", "/archive/0001-01-01/", "/archive/0001-01-01/00/",
                                  "/archive/9999-12-31/23:59/", "/archive/9999-12-31/feed.json"])  # fmt: skip
def test_days_at_the_ends_of_the_calendar_are_404(client: Client, path: str) -> None:  # noqa: F811
    assert client.get(path).status_code == 404


def test_the_archive_stops_at_today(client: Client, stored: Feed) -> None:  # noqa: F811
    today = timezone.localdate()
    assert client.get(f"/archive/{today + timedelta(days=5)}/").status_code == 404
    page = client.get(f"/archive/{today}/").content.decode()
    assert f"/archive/{today + timedelta(days=1)}/" not in page
    src = Article.objects.first().source  # type: ignore[union-attr]
    assert client.get(f"/source/{src.slug}/9999-12-31/").status_code == 404


def test_the_previous_day_link_skips_empty_days_and_ends(client: Client, stored: Feed) -> None:  # noqa: F811
    days = sorted({timezone.localtime(a.published_at).date() for a in Article.objects.all()})
    newest, oldest = days[-1], days[0]
    later = newest + timedelta(days=2)  # 2026-11-27: in the past whenever this runs
    page = client.get(f"/archive/{later}/").content.decode()
    assert f'href="/archive/{newest}/">←' in page and f"/archive/{later - timedelta(days=1)}/" not in page
    first = client.get(f"/archive/{oldest}/").content.decode()
    assert "←" not in first.split('class="meta')[1].split("</p>")[0]  # nothing before the first day
    src = Article.objects.first().source  # type: ignore[union-attr]
    assert f'href="/source/{src.slug}/{newest}/">←' in client.get(f"/source/{src.slug}/{later}/").content.decode()


def test_robots_txt_keeps_crawlers_out_of_search_and_the_api(client: Client) -> None:  # noqa: F811
    r = client.get("/robots.txt")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/plain")
    body = r.content.decode()
    assert "Disallow: /api/" in body and "Disallow: /search" in body


@pytest.mark.parametrize(("limit", "status"), [("0", 400), ("-1", 400), ("201", 400), ("9" * 30, 400),
                                               ("x", 400), ("1", 200), ("200", 200)])  # fmt: skip
def test_api_articles_limit_is_checked(client: Client, stored: Feed, limit: str, status: int) -> None:  # noqa: F811
    assert client.get("/api/articles", {"limit": limit}).status_code == status


def test_atom_entries_have_updated(client: Client, stored: Feed) -> None:  # noqa: F811
    root = ET.fromstring(client.get("/atom.xml").content)
    entries = root.findall(f"{ATOM}entry")
    assert entries and all(e.find(f"{ATOM}updated") is not None for e in entries)


def test_not_news_is_a_label_not_a_dead_link(client: Client, stored: Feed) -> None:  # noqa: F811
    a = Article.objects.first()
    assert a is not None
    Article.objects.filter(pk=a.pk).update(category="not_news")
    page = client.get(f"/a/{a.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Not news" in page and "/category/not_news/" not in page
    assert client.get(f"/a/{a.pk}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode().count("Не новость") == 1


def test_a_get_to_my_city_changes_no_cookie(client: Client) -> None:  # noqa: F811
    r = client.get("/my-city/", {"city": "Novosibirsk"})
    assert r.status_code == 200 and "city" not in r.cookies
    assert "Novosibirsk" in r.content.decode() or "Новосибирск" in r.content.decode()
    client.cookies["city"] = "novosibirsk"
    r = client.get("/my-city/")
    assert r.status_code == 302 and "city" not in r.cookies  # not cleared by a link
    r = client.post("/my-city/", {"city": "Новосибирск", "next": "/"})
    assert r.status_code == 302 and r.cookies["city"].value


def test_feed_json_is_json_feed_1_1(client: Client, stored: Feed) -> None:  # noqa: F811
    import json

    r = client.get("/feed.json")
    assert r["Content-Type"].startswith("application/feed+json")
    body = json.loads(r.content)
    assert body["version"] == "https://jsonfeed.org/version/1.1" and body["title"]
    assert body["items"] and all({"id", "url", "content_text"} <= set(i) for i in body["items"])
    assert len(body["articles"]) == len(body["items"])  # svodka's own list stays


def test_html_pages_carry_a_content_security_policy_with_a_nonce(client: Client, stored: Feed) -> None:  # noqa: F811
    r = client.get("/")
    csp = r["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp and "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    nonce = csp.split("'nonce-", 1)[1].split("'", 1)[0]
    html = r.content.decode()
    assert html.count("<script") == html.count(f'<script nonce="{nonce}">') >= 2
    assert "onchange=" not in html
    assert client.get("/").get("Content-Security-Policy") != csp  # a fresh nonce per response
    assert "Content-Security-Policy" not in client.get("/api/articles")


def test_search_group_takes_only_yes_or_no(client: Client, stored: Feed) -> None:  # noqa: F811
    assert client.get("/api/search", {"q": "flood", "group": "nope"}).status_code == 400
    assert client.get("/api/search", {"q": "flood", "group": "1"}).status_code == 200
    assert client.get("/api/search", {"q": "flood", "group": "0"}).status_code == 200


def test_search_feed_json_errors_are_json(client: Client) -> None:  # noqa: F811
    import json

    r = client.get("/search/feed.json", {"q": "x", "from": "2026-13-45"})
    assert r.status_code == 400 and r["Content-Type"].startswith("application/json")
    assert json.loads(r.content)["code"] == "bad_filter"


def test_feed_problems_and_schedules_speak_the_ui_language(client: Client, stored: Feed) -> None:  # noqa: F811
    Feed.objects.filter(pk=stored.pk).update(
        status="error",
        error_code="unsafe_xml",
        error="the feed declares its own XML entities",
        failures=3,
        schedule_note="failed 3 times in a row (unsafe_xml): backing off to 1 h 30 min (our longest pause)",
    )
    ru = client.get("/source/gazeta/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "лента отклонена как небезопасный XML" in ru and 'lang="en">(the feed declares' in ru
    assert "ошибка 3 раза подряд (unsafe_xml): пауза увеличена до 1 ч 30 мин (наша самая долгая пауза)" in ru
    assert "лента отклонена как небезопасный XML" in client.get("/sources/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    en = client.get("/source/gazeta/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "the feed declares its own XML entities" in en and "небезопасный" not in en
    assert "backing off to 1 h 30 min (our longest pause)" in en
    Feed.objects.filter(pk=stored.pk).update(schedule_note="nothing new: checking again in 46 s")
    ru = client.get("/source/gazeta/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "ничего нового: следующая проверка через 46 с" in ru
    Feed.objects.filter(pk=stored.pk).update(schedule_note="12 new items: checking again in 2 min")
    assert "12 новых записей: следующая проверка через 2 мин" in client.get(
        "/source/gazeta/", HTTP_ACCEPT_LANGUAGE="ru"
    ).content.decode()


def test_the_three_schedule_shapes_the_core_writes_are_all_read() -> None:
    from datetime import UTC, datetime

    from django.utils import translation

    from svodka.schedule import next_poll
    from svodka_site.news.templatetags.svodka_notes import schedule_note

    now = datetime(2026, 12, 3, tzinfo=UTC)
    notes = [
        next_poll(now=now, interval_s=600, new_items=0, failures=0).reason,
        next_poll(now=now, interval_s=600, new_items=3, failures=0).reason,
        next_poll(now=now, interval_s=600, new_items=0, failures=1, error_code="timeout").reason,
        next_poll(now=now, interval_s=600, new_items=0, failures=9).reason,
        next_poll(now=now, interval_s=600, new_items=0, failures=0, retry_after=7200).reason,
        next_poll(now=now, interval_s=600, new_items=0, failures=0, retry_after=10**6).reason,
    ]
    with translation.override("ru"):
        for note in notes:
            out = schedule_note(note)
            assert out != note and not any(w in out for w in ("checking", "failed", "asked", "min ", " s ")), (note, out)
