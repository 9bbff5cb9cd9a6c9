"""The search page and the story page in a real browser (Debian's headless Chromium driven by
Playwright, as in test_browser.py): search works with JavaScript off (header box → results with
highlighted matches → a filter → a bad query explained), and a story of three outlets in two
languages shows its SVG timeline, its articles by outlet, who reported it first, and is reached
from the front page's "top news this hour" block. Screenshots: /tmp/search.png, /tmp/story.png."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from django.db import connection
from django.utils import timezone

from svodka.stories import Assignment, StoryArticle, StorySnapshot
from svodka_site.news import search, stories
from svodka_site.news.models import Article, Source, TextStatus

from .test_browser import browser  # noqa: F401  (the module-scoped Chromium fixture, its skips)

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp")


@pytest.fixture
def search_backend(settings, tmp_path: Path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The embedded tantivy index on SQLite, PostgreSQL's full-text search on PostgreSQL."""
    name = "postgres" if connection.vendor == "postgresql" else "tantivy"
    settings.SVODKA_SEARCH = name
    settings.SVODKA_SEARCH_DIR = tmp_path / "index"
    search.reset_backends()
    yield name
    search.reset_backends()


def _article(src: Source, title: str, text: str, *, minutes_ago: float, lang: str | None = None) -> Article:
    now = timezone.now()
    return Article.objects.create(
        source=src,
        url=f"http://{src.slug}.test/{Article.objects.count() + 1}",
        title=title,
        text=text,
        language=lang or src.language,
        published_at=now - timedelta(minutes=minutes_ago),
        understood_at=now,
        text_status=TextStatus.SKIPPED,
    )


# --- search, JavaScript off ----------------------------------------------------------------------
def test_search_without_javascript(browser, live_server, search_backend: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    gazeta = Source.objects.create(name="Газета", slug="gazeta", language="ru", country="BY")
    herald = Source.objects.create(name="Herald", slug="herald", language="en", country="GB")
    ru = _article(
        gazeta,
        "Пожар на складе IKEA в Гомеле",
        "Склад IKEA горел всю ночь. Пожар тушили сорок спасателей, пострадавших нет.",
        minutes_ago=30,
    )
    en = _article(
        herald,
        "IKEA warehouse fire in Gomel",
        "The IKEA fire burned all night; forty rescuers fought it and nobody was hurt.",
        minutes_ago=20,
    )
    _article(gazeta, "Погода: снег и мороз", "Синоптики обещают метель.", minutes_ago=10)
    indexed = search.sync_index(limit=100)
    assert indexed == (3 if search_backend == "tantivy" else 0)

    ctx = browser.new_context(java_script_enabled=False, locale="en-US", timezone_id="UTC")
    page = ctx.new_page()
    try:
        page.goto(live_server.url + "/")
        # the header's box is a plain GET form: Enter submits it without a script
        page.fill("header form.search-box input[name=q]", "ikea")
        with page.expect_navigation():
            page.press("header form.search-box input[name=q]", "Enter")
        assert "/search/?q=ikea" in page.url
        hits = page.locator("li.hit")
        assert hits.count() == 2
        titles = page.locator("li.hit a.hit-title").all_inner_texts()
        assert set(titles) == {ru.title, en.title}
        for h in hits.all():  # every hit's snippet highlights the word, whatever its case
            marks = h.locator(".snippet mark").all_inner_texts()
            assert marks and {m.lower() for m in marks} == {"ikea"}, marks

        # a filter from the search form: English only
        page.click("form.search-form summary")
        page.select_option("form.search-form select[name=lang]", "en")
        page.fill("form.search-form input[name=q]", "IKEA fire")
        with page.expect_navigation():
            page.click("form.search-form button[type=submit]")
        assert "lang=en" in page.url and "q=IKEA+fire" in page.url
        assert page.locator("li.hit").count() == 1
        hit = page.locator("li.hit").first
        assert hit.locator("a.hit-title").inner_text() == en.title
        assert hit.get_attribute("data-id") == str(en.pk)
        marks = hit.locator(".snippet mark").all_inner_texts()
        assert marks and {m.lower() for m in marks} == {"ikea", "fire"}, marks
        assert "Herald" in hit.inner_text() and "· en" in hit.inner_text()
        # the filter stays chosen in the form (and the filters stay open)
        assert page.locator("form.search-form select[name=lang]").input_value() == "en"
        assert page.locator("form.search-form details").get_attribute("open") is not None
        page.screenshot(path=str(SHOTS / "search.png"), full_page=True)

        # bad queries: a message in plain words on the search page, not an error page
        for q, words in (
            ("-погода", "add a word, not only operators"),
            ("🔥🎉", "emoji and punctuation are not searched"),
        ):
            page.fill("form.search-form input[name=q]", q)
            with page.expect_navigation() as nav:
                page.click("form.search-form button[type=submit]")
            resp = nav.value
            assert resp is not None and resp.status == 400, q
            err = page.locator("p.err[role=alert]")
            assert err.is_visible() and words in err.inner_text(), q
            assert page.locator("h1").inner_text() == "Search"
            assert page.locator("form.search-form input[name=q]").input_value() == q  # kept to edit
            assert page.locator("li.hit").count() == 0
            assert "Traceback" not in page.content() and "Server Error" not in page.content()
        page.screenshot(path=str(SHOTS / "search-bad.png"), full_page=True)
    finally:
        ctx.close()


# --- the story page ------------------------------------------------------------------------------
def _record_story(arts: list[Article]) -> int:
    """What the clusterer would say: every article joins the story of the first one."""
    vec = np.random.default_rng(7).standard_normal(512).astype(np.float32)
    vec /= np.linalg.norm(vec)
    sid = arts[0].pk
    now = timezone.now()
    stories.save_stories(
        [Assignment(a.pk, sid, a.pk == sid, 1.0) for a in arts],
        [StorySnapshot(id=sid, centroid=vec, size=1, first_at=now, last_at=now)],
        [
            StoryArticle(
                id=a.pk, title=a.title, text=a.text, lang=a.language, source_id=a.source_id,
                published=a.published_at, embedding=vec,
            )
            for a in arts
        ],
    )  # fmt: skip
    return sid


def test_story_page_timeline_outlets_and_top_block(browser, live_server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    sibir = Source.objects.create(name="Сибирь Сегодня", slug="sibir", language="ru", country="RU")
    ngs = Source.objects.create(name="НГС", slug="ngs", language="ru", country="RU")
    wire = Source.objects.create(name="Northern Wire", slug="wire", language="en", country="GB")
    arts = [
        _article(sibir, "В Новосибирске сгорел склад", "Пожар тушили 60 спасателей.", minutes_ago=300),
        _article(ngs, "Пожар на складе в Новосибирске", "Площадь пожара 1200 метров.", minutes_ago=240),
        _article(wire, "Warehouse burns down in Novosibirsk", "Sixty firemen fought it.", minutes_ago=180),
        _article(sibir, "Причину пожара на складе выясняют", "Работает комиссия.", minutes_ago=90),
        _article(wire, "Novosibirsk fire: nobody was hurt", "The ministry said so.", minutes_ago=30),
    ]
    sid = _record_story(arts)
    lone = Source.objects.create(name="Sport", slug="sport", language="en", country="GB")
    _record_story([_article(lone, "Local team wins", "Two goals.", minutes_ago=20)])

    page = browser.new_page(locale="en-US", timezone_id="UTC", viewport={"width": 1100, "height": 900})
    try:
        page.goto(live_server.url + "/")
        top = page.locator("#top-stories")
        assert top.is_visible() and "Top news this hour" in top.inner_text()
        link = top.locator(f'li[data-story="{sid}"] a[href="/story/{sid}/"]')
        assert link.count() == 1
        assert top.locator("li").first.get_attribute("data-story") == str(sid)  # 3 outlets rank first
        with page.expect_navigation():
            link.click()
        assert page.url == f"{live_server.url}/story/{sid}/"
        page.screenshot(path=str(SHOTS / "story.png"), full_page=True)  # before the asserts: to look at
        assert page.locator(f'article.story[data-story="{sid}"]').is_visible()
        head = page.inner_text("article.story")
        assert "3 outlets" in head and "5 articles" in head

        # the timeline: a drawn SVG, one row per outlet, labels that do not overlap
        svg = page.locator("svg.timeline")
        assert svg.count() == 1 and svg.is_visible()
        box = svg.bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 40
        labels = svg.locator('text[font-size="11"]')
        assert sorted(labels.all_text_contents()) == sorted(["Сибирь Сегодня", "НГС", "Northern Wire"])
        rows = {r.get_attribute("y") for r in svg.locator("rect").all()}
        assert len(rows) == 3
        assert svg.locator("rect").count() >= 4  # cells for the hours with coverage
        label_boxes = sorted((b for b in (t.bounding_box() for t in labels.all()) if b), key=lambda b: b["y"])
        for a, b in pairwise(label_boxes):
            assert a["y"] + a["height"] <= b["y"] + 0.5, (a, b)
        ticks = [b for b in (t.bounding_box() for t in svg.locator('text[font-size="10"]').all()) if b]
        assert ticks
        ticks.sort(key=lambda b: b["x"])
        for a, b in pairwise(ticks):
            assert a["x"] + a["width"] <= b["x"] + 0.5, ("time labels overlap", a, b)
        assert all(b["x"] + b["width"] <= box["x"] + box["width"] + 0.5 for b in ticks)  # not cut off

        # first reported by the earliest outlet, with its article
        first = page.locator("p.first-reported")
        assert first.is_visible()
        assert "First reported by" in first.inner_text() and "Сибирь Сегодня" in first.inner_text()
        assert first.locator(f'a[href="/a/{arts[0].pk}/"]').count() == 1

        # every article, grouped by outlet, the earliest outlet first
        sections = page.locator("section.outlet")
        assert sections.count() == 3
        assert [s.get_attribute("data-source") for s in sections.all()] == [
            str(sibir.pk), str(ngs.pk), str(wire.pk),
        ]  # fmt: skip
        expect = {
            sibir.pk: {arts[0].title, arts[3].title},
            ngs.pk: {arts[1].title},
            wire.pk: {arts[2].title, arts[4].title},
        }
        for s in sections.all():
            got = set(s.locator("li a").all_inner_texts())
            assert got == expect[int(s.get_attribute("data-source") or 0)]
        assert "English" in sections.nth(2).inner_text() and "Russian" in sections.nth(0).inner_text()
        assert page.locator("table.headlines tr").count() == 3

        # on a phone the timeline scrolls in its own box (its text stays readable) instead of
        # widening the page
        page.set_viewport_size({"width": 300, "height": 700})
        wrap = page.locator(".timeline-wrap").bounding_box()
        assert wrap is not None and wrap["x"] + wrap["width"] <= 300
        assert page.eval_on_selector(".timeline-wrap", "e => e.scrollWidth > e.clientWidth")
        page.screenshot(path=str(SHOTS / "story-phone.png"), full_page=True)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 300
    finally:
        page.close()
