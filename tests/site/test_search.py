"""Search on the site: one suite over both backends (tantivy always, PostgreSQL full-text
search when the tests run on PostgreSQL): morphology, filters, snippets, grouping, the page,
its feeds, the API, the OpenAPI document, the CLI, and every bad input from issue 4."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.urls import resolve

from svodka.search import SearchRequest
from svodka_site.news import models, search
from svodka_site.news.models import Article, ArticlePlace, Place, PlaceKind, Section, Source

pytestmark = pytest.mark.django_db

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def client() -> Client:
    c = Client()
    c.cookies["tz"] = "UTC"  # dates in filters are the reader's days
    return c


@pytest.fixture(params=["tantivy", "postgres"])
def backend(request: pytest.FixtureRequest, settings, tmp_path: Path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if request.param == "postgres" and connection.vendor != "postgresql":
        pytest.skip("PostgreSQL full-text search needs DATABASE_URL=postgres://…")
    settings.SVODKA_SEARCH = request.param
    settings.SVODKA_SEARCH_DIR = tmp_path / "index"
    search.reset_backends()
    yield request.param
    search.reset_backends()


def _place(pk: int, kind: str, slug: str, name: str, region: Place | None = None) -> Place:
    return Place.objects.create(id=pk, kind=kind, slug=slug, name_en=name, country="BY", region=region)


def _art(
    src: Source,
    title: str,
    text: str,
    lang: str,
    *,
    hours_ago: float = 1,
    category: str = "society",
    places: tuple[Place, ...] = (),
    story: object | None = None,
) -> Article:
    a = Article.objects.create(
        source=src,
        url=f"http://{src.slug}.test/{Article.objects.count() + 1}",
        title=title,
        text=text,
        language=lang,
        category=category,
        published_at=NOW - timedelta(hours=hours_ago),
        understood_at=NOW,
        **({"story": story} if story is not None else {}),
    )
    for p in places:
        ArticlePlace.objects.create(article=a, place=p, confidence=0.9)
    return a


@pytest.fixture
def corpus(backend: str) -> dict[str, object]:
    gazeta = Source.objects.create(name="Gazeta", slug="gazeta", language="ru")
    herald = Source.objects.create(name="Herald", slug="herald", language="en")
    belarus = _place(630336, PlaceKind.COUNTRY, "belarus", "Belarus")
    region = _place(628281, PlaceKind.REGION, "gomel-region", "Gomel Region")
    gomel = _place(627907, PlaceKind.CITY, "gomel", "Gomel", region=region)
    brest = _place(629634, PlaceKind.CITY, "brest", "Brest")
    story = None
    if hasattr(models, "Story"):
        story = models.Story.objects.create(id=900001, title="Elections", first_at=NOW, last_at=NOW)
    arts = {
        "ru1": _art(
            gazeta,
            "Митинги прошли в Гомеле",
            "Сотни жителей вышли на площадь. Организаторы говорят, что это крупнейшая акция года.",
            "ru",
            places=(gomel,),
        ),
        "ru2": _art(
            gazeta,
            "Полиция насчитала десять митингов за неделю",
            "В Бресте прошло несколько акций протеста, задержаний не было.",
            "ru",
            hours_ago=30,
            places=(brest,),
        ),
        "ru3": _art(
            gazeta,
            "Погода в Гомеле: ожидается снег",
            "Синоптики обещают метель и мороз.",
            "ru",
            category="other",
            places=(gomel,),
        ),
        "ru4": _art(
            gazeta,
            "Митинг фермеров у здания администрации",
            "Фермеры требуют субсидий.",
            "ru",
            hours_ago=24 * 40,
            category="economy",
        ),
        "en1": _art(
            herald,
            "Election results announced",
            "The commission counted every ballot twice.",
            "en",
            hours_ago=2,
            story=story,
        ),
        "en2": _art(
            herald,
            "Sukhumi floods: the river rose overnight",
            "Floods closed the coastal road.",
            "en",
            hours_ago=5,
            category="other",
        ),
        "en3": _art(
            herald,
            "Turnout in the election was high",
            "Observers said the <script>alert('x')</script> election went calmly.",
            "en",
            hours_ago=3,
            story=story,
        ),
    }
    n = search.sync_index(limit=1000)
    assert n == (len(arts) if backend == "tantivy" else 0)
    return {"arts": arts, "gomel": gomel, "region": region, "belarus": belarus, "story": story}


def _ids(client: Client, q: str, **params: str) -> list[int]:
    r = client.get("/api/search", {"q": q, **params})
    assert r.status_code == 200, r.content
    return [h["id"] for h in r.json()["results"]]


def _id(corpus: dict[str, object], key: str) -> int:
    return corpus["arts"][key].pk  # type: ignore[index]


# --- morphology and query language --------------------------------------------------------------
def test_russian_family_of_miting(client: Client, corpus: dict[str, object]) -> None:
    family = {_id(corpus, "ru1"), _id(corpus, "ru2"), _id(corpus, "ru4")}
    for q in ("митинг", "митинги", "митингов"):
        assert set(_ids(client, q)) == family, q


def test_english_plural_finds_singular(client: Client, corpus: dict[str, object]) -> None:
    assert set(_ids(client, "elections")) == {_id(corpus, "en1"), _id(corpus, "en3")}


def test_phrase_exclusion_and_or(client: Client, corpus: dict[str, object]) -> None:
    assert _ids(client, '"Sukhumi floods"') == [_id(corpus, "en2")]
    assert _ids(client, '"floods Sukhumi"') == []  # a phrase keeps its order
    assert set(_ids(client, "митинг -Гомеле")) == {_id(corpus, "ru2"), _id(corpus, "ru4")}
    assert set(_ids(client, "Sukhumi OR погода")) == {_id(corpus, "en2"), _id(corpus, "ru3")}


def test_relevance_has_freshness_and_time_sort(client: Client, corpus: dict[str, object]) -> None:
    ids = _ids(client, "митинг", sort="time")
    assert ids == [_id(corpus, "ru1"), _id(corpus, "ru2"), _id(corpus, "ru4")]
    assert _ids(client, "митинг")[-1] == _id(corpus, "ru4")  # 40 days old, same relevance


# --- filters -----------------------------------------------------------------------------------
def test_filters_combine(client: Client, corpus: dict[str, object]) -> None:
    assert _ids(client, "митинг", place="gomel") == [_id(corpus, "ru1")]
    assert _ids(client, "митинг", place="gomel-region") == [_id(corpus, "ru1")]  # region → its city
    assert _ids(client, "митинг", place="Gomel") == [_id(corpus, "ru1")]  # a name works too
    in_belarus = {_id(corpus, "ru1"), _id(corpus, "ru2")}  # a country: its regions' and cities' news
    assert set(_ids(client, "митинг", place="belarus")) == in_belarus
    assert _ids(client, "митинг", category="economy") == [_id(corpus, "ru4")]
    assert _ids(client, "election", source="gazeta") == []
    assert set(_ids(client, "election", source="herald", lang="en")) == {
        _id(corpus, "en1"),
        _id(corpus, "en3"),
    }
    assert _ids(client, "election", lang="ru") == []
    day = (NOW - timedelta(days=40)).date().isoformat()
    assert _ids(client, "митинг", **{"from": day, "to": day}) == [_id(corpus, "ru4")]
    assert _id(corpus, "ru4") not in _ids(
        client, "митинг", **{"from": (NOW - timedelta(days=3)).date().isoformat()}
    )


def test_section_filter(client: Client, corpus: dict[str, object], backend: str) -> None:
    sec = Section.objects.get(slug="elections")
    a = corpus["arts"]["en1"]  # type: ignore[index]
    a.sections.add(sec)
    search.reindex_articles([a.pk])
    assert _ids(client, "election", section="elections") == [a.pk]


def test_group_by_story(client: Client, corpus: dict[str, object]) -> None:
    if corpus["story"] is None:
        pytest.skip("no Story model yet")
    r = client.get("/api/search", {"q": "election", "group": "1"}).json()
    assert r["total"] == 1 and len(r["results"]) == 1
    assert r["results"][0]["story"] == 900001 and r["results"][0]["more"] == 1
    html = client.get("/search/", {"q": "election", "group": "1"}).content.decode()
    assert "1 more article" in html or "ещё" in html
    assert 'href="/story/900001/"' in html


# --- snippets and escaping ---------------------------------------------------------------------
def test_snippet_marks_matches_and_escapes_html(client: Client, corpus: dict[str, object]) -> None:
    r = client.get("/api/search", {"q": "observers"}).json()
    snippet = r["results"][0]["snippet"]
    assert "<mark>" in snippet and "<script>" not in snippet
    assert "&lt;script&gt;" in snippet or "script" not in snippet
    html = client.get("/search/", {"q": "observers"}).content.decode()
    assert "<script>alert" not in html and "<mark>" in html


def test_query_text_is_escaped_on_the_page(client: Client, corpus: dict[str, object]) -> None:
    html = client.get("/search/", {"q": '"><script>alert(1)</script> митинг'}).content.decode()
    assert "<script>alert(1)" not in html


# --- page, feeds, API -------------------------------------------------------------------------
def test_search_page_form_results_and_pagination(client: Client, corpus: dict[str, object]) -> None:
    r = client.get("/search/")
    assert r.status_code == 200 and 'name="q"' in r.content.decode()
    html = client.get("/search?q=митинг&place=gomel").content.decode()  # the URL form
    assert "Митинги прошли в Гомеле" in html and "Полиция насчитала" not in html
    assert 'value="gomel"' in html  # filters reflected in the form
    assert "/search/rss.xml?q=" in html and "place=gomel" in html
    r = client.get("/api/search", {"q": "митинг", "limit": "1"}).json()
    assert r["total"] == 3 and len(r["results"]) == 1 and r["next"] and "page=2" in r["next"]
    page2 = client.get("/api/search", {"q": "митинг", "limit": "1", "page": "2"}).json()
    assert page2["results"][0]["id"] != r["results"][0]["id"]


def test_every_search_is_a_feed(client: Client, corpus: dict[str, object]) -> None:
    rss = client.get("/search/rss.xml", {"q": "Sukhumi floods"})
    assert rss.status_code == 200
    titles = [t.text for t in ET.fromstring(rss.content).iter("title")]
    assert "Sukhumi floods: the river rose overnight" in titles
    atom = client.get("/search/atom.xml", {"q": "Гомеле"})
    assert atom.status_code == 200 and "Митинги прошли в Гомеле" in atom.content.decode()
    feed = client.get("/search/feed.json", {"q": "митинг", "place": "gomel"}).json()
    assert [a["title"] for a in feed["articles"]] == ["Митинги прошли в Гомеле"]
    assert client.get("/search/rss.xml", {"q": ""}).status_code == 400


def test_api_shape(client: Client, corpus: dict[str, object]) -> None:
    r = client.get("/api/search", {"q": "Sukhumi"})
    body = r.json()
    assert body["total"] == 1
    hit = body["results"][0]
    for key in ("title", "url", "snippet", "published", "story", "source", "lang"):
        assert key in hit
    assert hit["source"] == "Herald" and hit["lang"] == "en" and hit["url"].startswith("http://herald.test/")
    assert datetime.fromisoformat(hit["published"]).tzinfo is not None


# --- bad input: friendly 4xx, never 500 ------------------------------------------------------
BAD = [
    ({"q": ""}, "empty"),
    ({"q": "   "}, "empty"),
    ({"q": "x" * 10_000}, "too_long"),
    ({"q": "🔥🎉"}, "no_terms"),
    ({"q": "OR"}, "syntax"),
    ({"q": "-погода"}, "syntax"),
    ({"q": "митинг", "place": "nowhereland"}, "bad_filter"),  # (Atlantis, South Africa, exists)
    ({"q": "митинг", "source": "nope"}, "bad_filter"),
    ({"q": "митинг", "category": "cats"}, "bad_filter"),
    ({"q": "митинг", "section": "nope"}, "bad_filter"),
    ({"q": "митинг", "from": "yesterday"}, "bad_filter"),
    ({"q": "митинг", "from": "2026-05-02", "to": "2026-05-01"}, "bad_filter"),
    ({"q": "митинг", "sort": "random"}, "bad_filter"),
    ({"q": "митинг", "page": "0"}, "bad_filter"),
    ({"q": "митинг", "page": "x"}, "bad_filter"),
    ({"q": "митинг", "lang": "'; DROP"}, "bad_filter"),
    ({"q": "митинг", "limit": "1000"}, "bad_filter"),
]


@pytest.mark.parametrize(("params", "code"), BAD, ids=[c + str(i) for i, (_, c) in enumerate(BAD)])
def test_bad_input_is_a_friendly_400(
    client: Client, corpus: dict[str, object], params: dict[str, str], code: str
) -> None:
    r = client.get("/api/search", params)
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == code and body["error"] and "Traceback" not in body["error"]
    page = client.get("/search/", {k: v for k, v in params.items() if k != "limit"})
    if "limit" not in params:
        assert page.status_code == 400
        assert 'class="err"' in page.content.decode()


def test_unknown_place_says_so(client: Client, corpus: dict[str, object]) -> None:
    r = client.get("/search/", {"q": "митинг", "place": "nowhereland"})
    assert r.status_code == 400 and "nowhereland" in r.content.decode()


INJECTIONS = [
    "'; DROP TABLE news_article; --",
    "митинг') OR 1=1 --",
    "a & b | !c <-> d:*",
    'title:foo AND "unbalanced',
    "((((митинг",
    "\\\\ %s %(x)s {0}",
    "NOT NOT OR AND",
    "митинг\x00",
]


@pytest.mark.parametrize("q", INJECTIONS)
def test_injection_attempts_are_just_words(client: Client, corpus: dict[str, object], q: str) -> None:
    r = client.get("/api/search", {"q": q})
    assert r.status_code in (200, 400), r.content
    assert Article.objects.count() == 7
    if r.status_code == 400:
        assert r.json()["code"] in {"syntax", "no_terms", "empty"}


def test_unbalanced_quote_still_searches(client: Client, corpus: dict[str, object]) -> None:
    assert _ids(client, '"Sukhumi floods') == [_id(corpus, "en2")]


# --- the indexer -------------------------------------------------------------------------------
def test_sync_resumes_from_the_watermark(corpus: dict[str, object], backend: str, client: Client) -> None:
    if backend != "tantivy":
        assert search.sync_index() == 0  # the GIN index is live
        return
    assert search.sync_index() == 0  # nothing new
    src = Source.objects.get(slug="herald")
    a = _art(src, "Avalanche warning in the mountains", "Snow keeps falling.", "en")
    Article.objects.filter(pk=a.pk).update(understood_at=NOW + timedelta(seconds=5))
    b = _art(src, "Avalanche closes the pass", "The road is shut.", "en")
    Article.objects.filter(pk=b.pk).update(understood_at=NOW + timedelta(seconds=6))
    assert search.sync_index(limit=1) == 1
    assert _ids(client, "avalanche") == [a.pk]
    search.reset_backends()  # a new process: resumes from the stored watermark
    assert search.sync_index(limit=10) == 1
    assert set(_ids(client, "avalanche")) == {a.pk, b.pk}
    assert search.rebuild_index() == 9
    assert set(_ids(client, "avalanche")) == {a.pk, b.pk}


def test_doc_has_place_ancestors(corpus: dict[str, object]) -> None:
    a = corpus["arts"]["ru1"]  # type: ignore[index]
    doc = search.doc_from_article(Article.objects.select_related("source").get(pk=a.pk))
    assert set(doc.place_ids) == {627907, 628281, 630336}
    assert doc.lang == "ru" and doc.source_name == "Gazeta"


def test_search_off(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SVODKA_SEARCH = "off"
    search.reset_backends()
    r = client.get("/api/search", {"q": "x"})
    assert r.status_code == 503 and r.json()["code"] == "search_off"
    assert client.get("/search/", {"q": "x"}).status_code == 503


# --- OpenAPI -----------------------------------------------------------------------------------
def test_openapi_document_lists_every_json_endpoint(client: Client) -> None:
    r = client.get("/api/openapi.json")
    assert r.status_code == 200
    doc = json.loads(r.content)
    assert doc["openapi"].startswith("3.1") and doc["info"]["title"]
    for p in ("/api/articles", "/api/sources", "/api/search", "/story/{id}/feed.json", "/tg/threads", "/tg/{name}.html"):
        assert p in doc["paths"]
    for p, ops in doc["paths"].items():
        concrete = p.replace("{id}", "1").replace("{name}", "a")
        resolve(urlsplit(concrete).path)  # raises Resolver404 when a documented path is not served
        for op in ops.values():
            assert op["responses"] and op["operationId"]
            for param in op.get("parameters", []):
                assert param["in"] in ("query", "path", "header") and "schema" in param
                if param["in"] == "path":
                    assert "{" + param["name"] + "}" in p
    html = client.get("/api/").content.decode()
    assert "/api/search" in html and "/api/openapi.json" in html and "PUT /tg/{name}.html" in html
    assert "GET PUT" not in html and "GET GET" not in html  # each row names its one method
    assert "Полнотекстовый поиск с фильтрами" in client.get("/api/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()


# --- CLI ---------------------------------------------------------------------------------------
def test_cli_search_json(corpus: dict[str, object], capsys: pytest.CaptureFixture[str], backend: str) -> None:
    from svodka_site.cli import build_parser
    from svodka_site.cli_search import cmd_search

    args = build_parser().parse_args(["search", "митинги", "--json", "--place", "gomel", "--limit", "5"])
    args.data = None  # the test settings are already set up
    assert cmd_search(args) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["total"] == 1 and out["results"][0]["title"] == "Митинги прошли в Гомеле"
    args = build_parser().parse_args(["search", "🔥", "--json"])
    args.data = None
    assert cmd_search(args) == 2
    assert json.loads(capsys.readouterr().out)["code"] == "no_terms"


# --- the crawler feeds the index ------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_crawler_search_pass_indexes_understood_articles(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    from svodka.crawl import Crawler
    from svodka.fetch import FetchPolicy
    from svodka_site.news.storage import DjangoStorage

    settings.SVODKA_SEARCH = "tantivy"
    settings.SVODKA_SEARCH_DIR = tmp_path / "index"
    search.reset_backends()
    try:
        src = Source.objects.create(name="Gazeta", slug="gazeta")
        a = _art(src, "Паводок в Сухуме", "Река вышла из берегов.", "ru")
        _art(src, "Not understood yet", "Waiting.", "en")
        Article.objects.filter(title="Not understood yet").update(understood_at=None)
        crawler = Crawler(DjangoStorage(fetch_pages=False), FetchPolicy(user_agent="t"), worker="t", batch=1)
        try:
            assert asyncio.run(crawler.search_pass()) == 1
        finally:
            crawler.close()
        hits = search.get_backend().search(SearchRequest(q="паводок"))
        assert [h.id for h in hits.hits] == [a.pk]
    finally:
        search.reset_backends()


def test_pg_snippet_escapes_before_marking() -> None:
    from svodka_site.news.search_pg import snippet_html

    raw = "<img src=x onerror=alert(1)> \ue000митинг\ue001 & co"
    assert snippet_html(raw) == "&lt;img src=x onerror=alert(1)&gt; <mark>митинг</mark> &amp; co"
