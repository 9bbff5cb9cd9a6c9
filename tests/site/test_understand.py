"""The understand pass in the crawler and what the site shows of it: language, category,
places (city → region → country pages, news in your city), near-duplicate reprints, sections."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from svodka.crawl import Crawler
from svodka.fetch import FetchPolicy
from svodka_site.news.models import Article, Place, Section, Source, TextStatus
from svodka_site.news.storage import DjangoStorage

pytestmark = pytest.mark.django_db(transaction=True)

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

FIRE = (
    "В Новосибирске сгорел склад на улице Станционной. Пожар площадью 1200 квадратных метров "
    "тушили 60 спасателей, сообщили в ГУ МЧС по Новосибирской области. Пострадавших нет. "
    "Причины возгорания устанавливают дознаватели, ущерб оценивается в 40 миллионов рублей. "
    "Движение транспорта в районе было перекрыто на три часа, жителей соседних домов "
    "попросили закрыть окна из-за сильного задымления."
)
MATCH = (
    "Manchester United beat Chelsea 3-1 at Old Trafford on Sunday. The striker scored twice in the "
    "second half and the coach praised the team's defence after the Premier League match, "
    "which lifted the club to fourth place in the table before the winter break."
)


def crawl_understand() -> None:
    crawler = Crawler(
        DjangoStorage(fetch_pages=False), FetchPolicy(user_agent="t"), worker="t", fetch_pages=False
    )
    try:
        asyncio.run(crawler.understand_pass(crawler_stats()))
    finally:
        crawler.close()


def crawler_stats():  # type: ignore[no-untyped-def]
    from svodka.crawl import CrawlStats

    return CrawlStats()


def add(src: Source, url: str, title: str, text: str, minutes: int) -> Article:
    return Article.objects.create(
        source=src,
        url=url,
        title=title,
        text=text,
        published_at=T0 + timedelta(minutes=minutes),
        text_status=TextStatus.SKIPPED,
    )


@pytest.fixture
def corpus() -> dict[str, Article]:
    ru = Source.objects.create(name="Сибирь.Ньюс", slug="sibir", language="ru", country="RU")
    ru2 = Source.objects.create(name="Перепечатка", slug="reprint", language="ru", country="RU")
    en = Source.objects.create(name="Sports Daily", slug="sports-daily", language="en", country="GB")
    Section.objects.filter(slug__in=["music", "elections", "ecology"]).delete()  # defaults, if present
    Section.objects.update_or_create(
        slug="incidents",
        defaults={
            "name_en": "Incidents",
            "name_ru": "Происшествия",
            "categories": "",
            "words": "пожар\nfire\nсгорел",
        },
    )
    arts = {
        "fire": add(ru, "http://sib.test/fire", "В Новосибирске сгорел склад", FIRE, 0),
        "copy": add(ru2, "http://reprint.test/1", "Пожар на складе в Новосибирске", FIRE, 30),
        "match": add(en, "http://sport.test/mu", "Manchester United beat Chelsea 3-1", MATCH, 5),
    }
    crawl_understand()
    for a in arts.values():
        a.refresh_from_db()
    return arts


def test_articles_are_understood(corpus: dict[str, Article]) -> None:
    fire, copy, match = corpus["fire"], corpus["copy"], corpus["match"]
    assert fire.understood_at and copy.understood_at and match.understood_at
    assert (fire.language, match.language) == ("ru", "en")
    assert fire.category == "society" and match.category == "sports"
    assert copy.duplicate_of_id == fire.pk and fire.duplicate_of_id is None and match.duplicate_of_id is None
    city = Place.objects.get(kind="city", name_en__icontains="Novosibirsk")
    assert fire.places.filter(pk=city.pk).exists()
    assert city.region is not None and city.region.kind == "region"
    assert Place.objects.filter(kind="country", country="RU").exists()
    assert list(fire.sections.values_list("slug", flat=True)) == ["incidents"]
    assert not match.sections.exists()


def test_pages_show_understanding(corpus: dict[str, Article]) -> None:
    c = Client()
    c.cookies["django_language"] = "ru"
    c.cookies["tz"] = "UTC"
    fire = corpus["fire"]
    html = c.get(f"/a/{fire.pk}/").content.decode()
    assert "русский" in html.lower()
    assert "Новосибирск" in html
    assert "Перепечатка" in html  # "also published by"
    copy_html = c.get(f"/a/{corpus['copy'].pk}/").content.decode()
    assert f"/a/{fire.pk}/" in copy_html  # a reprint links its original

    city = Place.objects.get(kind="city", name_en__icontains="Novosibirsk")
    assert "В Новосибирске сгорел склад" in c.get(f"/city/{city.slug}/").content.decode()
    assert "В Новосибирске сгорел склад" in c.get(f"/region/{city.region.slug}/").content.decode()
    country = Place.objects.get(kind="country", country="RU")
    assert "В Новосибирске сгорел склад" in c.get(f"/country/{country.slug}/").content.decode()
    assert "Manchester" not in c.get(f"/city/{city.slug}/").content.decode()
    assert c.get(f"/city/{city.slug}/rss.xml").status_code == 200
    assert "склад" in c.get("/category/society/").content.decode()
    assert c.get("/category/nonsense/").status_code == 404
    assert "склад" in c.get("/section/incidents/").content.decode()


def test_news_in_your_city(corpus: dict[str, Article]) -> None:
    c = Client()
    c.cookies["tz"] = "UTC"
    r = c.post("/my-city/", {"city": "Новосибирск", "next": "/"})
    assert r.status_code == 302 and r.cookies["city"].value
    front = c.get("/").content.decode()
    assert 'id="city-block"' in front and "В Новосибирске сгорел склад" in front.split('id="city-block"')[1]
    assert c.post("/my-city/", {"city": "Нетакогогорода", "next": "/"}).status_code == 404
    assert c.post("/my-city/", {"city": "Новосибирск", "next": "https://evil.test/"})["Location"] == "/"


def test_a_pass_of_several_batches_keeps_the_earliest_copy_as_original() -> None:
    # batches of 2: while one batch is saved, the next is understood; the near-duplicate index
    # still sees the batches in order, so every copy hangs on the first report
    ru = Source.objects.create(name="Сибирь.Ньюс", slug="sibir", language="ru", country="RU")
    arts = [
        add(ru, f"http://sib.test/{i}", f"Пожар на складе в Новосибирске ({i})", FIRE, i) for i in range(7)
    ]
    crawler = Crawler(
        DjangoStorage(fetch_pages=False), FetchPolicy(user_agent="t"), worker="t", fetch_pages=False, batch=2
    )
    stats = crawler_stats()
    try:
        done = asyncio.run(crawler.understand_pass(stats, limit=5))
        assert done == 5 and stats.understood == 5
        assert Article.objects.filter(understood_at__isnull=True).count() == 2  # the limit held
        asyncio.run(crawler.understand_pass(stats))
    finally:
        crawler.close()
    assert stats.understood == 7
    for a in arts:
        a.refresh_from_db()
    assert arts[0].duplicate_of_id is None
    assert [a.duplicate_of_id for a in arts[1:]] == [arts[0].pk] * 6
