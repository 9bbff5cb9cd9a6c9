"""The pages in a real browser (Debian's headless Chromium driven by Playwright): live updates
arrive without a reload, the article page links the original, the language switch works."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from svodka_site.news.models import Article, Feed, Source

pytestmark = pytest.mark.django_db(transaction=True)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if CHROMIUM is None:
        if os.environ.get("SVODKA_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required (SVODKA_REQUIRE_BROWSER) but not installed")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs its own event loop; Django must allow ORM calls from this test.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                "--disable-quic",
            ],
        )
        yield b
        b.close()


def test_front_page_receives_new_articles_live(browser, live_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = Source.objects.create(name="Вечерний Гомель", slug="vecherniy-gomel", country="BY", language="ru")
    Feed.objects.create(source=src, url="http://gomel.test/rss")
    now = timezone.now()
    Article.objects.create(
        source=src, url="http://gomel.test/1", title="Первая новость", published_at=now - timedelta(minutes=3)
    )
    page = browser.new_page(locale="ru-RU", timezone_id="Europe/Minsk")
    page.goto(live_server.url + "/")
    assert page.locator(".row").count() == 1
    assert "Первая новость" in page.inner_text("#rows")

    Article.objects.create(
        source=src, url="http://gomel.test/2", title="Вторая новость пришла сама", published_at=now
    )
    page.wait_for_selector("text=Вторая новость пришла сама", timeout=20_000)  # polled every 5 s, no reload
    assert page.locator(".row.new").count() == 1
    page.screenshot(path=str(tmp_path / "front.png"))

    page.click("text=Вторая новость пришла сама")
    page.wait_for_selector("a.readon")
    link = page.locator("a.readon").first
    assert link.get_attribute("href") == "http://gomel.test/2"
    assert "Читать на сайте" in link.inner_text()
    assert "Вечерний Гомель" in page.inner_text("article")
    # the reader's time zone came from the browser (cookie set by the page's script)
    assert any(c["name"] == "tz" and c["value"] == "Europe/Minsk" for c in page.context.cookies())

    page.select_option("select[name=language]", "en")
    page.wait_for_selector("text=Read on the site")
    page.close()
