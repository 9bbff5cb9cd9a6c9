"""Place pages by name (any case, Russian, English, transliterated), their breadcrumbs, the city
picker's choice between places of one name, the search filter by place name, and sections
defined in settings with entity rules and whole-word rules."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from svodka.understand.geo import gazetteer
from svodka.understand.sections import SectionRule, word_forms
from svodka_site.news import sections as site_sections
from svodka_site.news.models import Article, ArticlePlace, Place, Section, Source
from svodka_site.news.places import candidates, choices, ensure

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture
def client() -> Client:
    c = Client()
    c.cookies["tz"] = "UTC"
    c.cookies["django_language"] = "ru"
    return c


def _geo(name: str, kind: str = "city"):  # type: ignore[no-untyped-def]
    return next(p for p in candidates(name, lang="en") if p.kind == kind)


# --- 1. place pages by name --------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/city/москва/", "/city/moscow/"),
        ("/city/МОСКВА/", "/city/moscow/"),
        ("/city/moskva/", "/city/moscow/"),
        ("/city/Moscow/", "/city/moscow/"),
        ("/city/kiev/", "/city/kyiv/"),
        ("/city/Київ/", "/city/kyiv/"),
        ("/city/париж/", "/city/paris/"),  # Paris, France, not Paris, Texas
        ("/city/Paris/", "/city/paris/"),
        ("/city/брест/", "/city/brest/"),  # Brest, Belarus, not Brest, France
        ("/city/санкт-петербург/", "/city/saint-petersburg/"),
        ("/city/Saint Petersburg/", "/city/saint-petersburg/"),
        ("/country/россия/", "/country/russia/"),
        ("/country/rossiya/", "/country/russia/"),
        ("/region/novosibirskaya-oblast/", "/region/novosibirsk-oblast/"),
        ("/region/Новосибирская область/", "/region/novosibirsk-oblast/"),
        ("/region/техас/", "/region/texas/"),
        ("/city/россия/", "/country/russia/"),  # a country asked as a city: its page
    ],
)
def test_place_names_redirect_to_the_canonical_page(client: Client, path: str, target: str) -> None:
    r = client.get(path)
    assert r.status_code == 301, (path, r.status_code)
    assert r["Location"] == target
    assert client.get(target).status_code == 200


def test_redirects_keep_the_feed_and_the_query(client: Client) -> None:
    assert client.get("/city/москва/rss.xml")["Location"] == "/city/moscow/rss.xml"
    assert client.get("/city/Moscow/?region=1")["Location"] == "/city/moscow/?region=1"


def test_unknown_places_are_404(client: Client) -> None:
    for path in ("/city/нетакогогородаточно/", "/city/qqqxzzq/", "/region/фывапролдж/", "/country/zzzz/"):
        assert client.get(path).status_code == 404, path


def test_names_built_to_explode_the_transliteration_are_cheap_404s(client: Client) -> None:
    # each ambiguous Latin letter doubles the Cyrillic spellings tried: 2^35 if not bounded
    for path in ("/city/" + "e" * 35 + "/", "/city/" + "-".join(["eceyeyo" * 5] * 4) + "/"):
        assert client.get(path).status_code == 404
    assert client.get("/search/", {"q": "x", "place": "e" * 60}).status_code in (200, 400)
    assert client.post("/my-city/", {"place": "²"}).status_code == 400  # "²".isdigit(), int("²") fails
    assert client.post("/my-city/", {"place": "9" * 5000}).status_code == 400
    assert client.get("/my-city/", {"city": "e" * 100}).status_code < 500


def test_the_first_visit_to_a_place_not_yet_stored_is_its_page_not_a_redirect(client: Client) -> None:
    # A permanent redirect to the very same URL would be cached by browsers as a loop.
    assert not Place.objects.filter(slug="boise").exists()
    r = client.get("/city/boise/")
    assert r.status_code == 200 and Place.objects.filter(slug="boise", kind="city").exists()
    assert client.get("/region/bavaria/").status_code == 200


@pytest.mark.parametrize(
    ("path", "target"),
    [("/country/ru/", "/country/russia/"), ("/country/US/", "/country/united-states/"),
     ("/country/by/", "/country/belarus/"), ("/country/uk/", "/country/united-kingdom/")],
)  # fmt: skip
def test_a_country_by_its_iso_code(client: Client, path: str, target: str) -> None:
    r = client.get(path)
    assert r.status_code == 301 and r["Location"] == target
    assert client.get(target).status_code == 200


def test_a_country_page_never_turns_into_a_town(client: Client) -> None:
    # "Us" is a French village, "Raya" an Indian one: not what /country/… asks for.
    assert client.get("/country/xq/").status_code == 404
    assert client.get("/country/moscow/").status_code == 404


def test_a_canonical_slug_answers_without_a_redirect(client: Client) -> None:
    ensure(_geo("Moscow"))
    r = client.get("/city/moscow/")
    assert r.status_code == 200 and "Москва" in r.content.decode()


# --- 2. breadcrumbs --------------------------------------------------------------------------
def _crumbs(html: str) -> str:
    return html.split('class="meta crumbs"')[1].split("</nav>")[0]


@pytest.mark.parametrize(
    ("name", "slug", "country_url", "country_ru"),
    [
        ("Moscow", "moscow", "/country/russia/", "Россия"),
        ("Saint Petersburg", "saint-petersburg", "/country/russia/", "Россия"),
        ("Kyiv", "kyiv", "/country/ukraine/", "Украина"),
        ("Minsk", "minsk", "/country/belarus/", "Беларусь"),
    ],
)
def test_capitals_and_federal_cities_link_their_country(
    client: Client, name: str, slug: str, country_url: str, country_ru: str
) -> None:
    p = ensure(_geo(name))
    assert p is not None and p.slug == slug
    html = client.get(f"/city/{slug}/").content.decode()
    crumbs = _crumbs(html)
    assert f'href="{country_url}"' in crumbs and country_ru in crumbs
    assert "· RU" not in html and "· UA" not in html


def test_a_city_links_its_region_and_country_in_the_ui_language(client: Client) -> None:
    city = ensure(_geo("Новосибирск"))
    assert city is not None and city.region is not None
    crumbs = _crumbs(client.get(f"/city/{city.slug}/").content.decode())
    assert '<a href="/country/russia/">Россия</a>' in crumbs
    assert f'<a href="/region/{city.region.slug}/">Новосибирская область</a>' in crumbs
    assert crumbs.index("Россия") < crumbs.index("Новосибирская область") < crumbs.index("Новосибирск<")
    client.cookies["django_language"] = "en"
    crumbs = _crumbs(client.get(f"/city/{city.slug}/").content.decode())
    assert '<a href="/country/russia/">Russia</a>' in crumbs and "Novosibirsk Oblast" in crumbs
    # the region's page links the country
    assert 'href="/country/russia/"' in _crumbs(client.get(f"/region/{city.region.slug}/").content.decode())


def test_a_city_whose_country_row_is_missing_gets_it(client: Client) -> None:
    g = _geo("Гомель")
    Place.objects.create(
        id=g.geonameid, kind="city", slug=g.slug, name_en=g.name, name_ru="Гомель", country="BY"
    )
    assert not Place.objects.filter(kind="country", country="BY").exists()
    crumbs = _crumbs(client.get(f"/city/{g.slug}/").content.decode())
    assert 'href="/country/belarus/"' in crumbs


# --- 3. the city picker -------------------------------------------------------------------------
def test_an_ambiguous_name_offers_a_choice_most_prominent_first(client: Client) -> None:
    r = client.post("/my-city/", {"city": "Texas", "next": "/"})
    assert r.status_code == 200 and "city" not in r.cookies
    html = r.content.decode()
    texas = _geo("Texas", "region")
    mexican = [p for p in candidates("Texas", lang="en") if p.kind == "city"]
    assert mexican  # the small Mexican towns are offered too, after the state
    assert html.index(f'value="{texas.geonameid}"') < html.index(f'value="{mexican[0].geonameid}"')
    assert "США" in html.split(f'value="{texas.geonameid}"')[1].split("</li>")[0]
    assert "Мексика" in html.split(f'value="{mexican[0].geonameid}"')[1].split("</li>")[0]
    # picking one remembers it
    r = client.post("/my-city/", {"place": str(texas.geonameid), "next": "/"})
    assert r.status_code == 302 and r.cookies["city"].value == "region:texas"
    Article.objects.create(
        source=Source.objects.create(name="Herald", slug="herald"),
        url="http://h.test/1",
        title="Storm hits Houston",
        published_at=NOW,
    )
    houston = ensure(_geo("Houston"))
    ArticlePlace.objects.create(article=Article.objects.get(), place=houston)
    front = client.get("/").content.decode().split('id="city-block"')[1]
    assert "Техас" in front and "Storm hits Houston" in front  # a region's block shows its cities
    assert "Новости вашего региона: Техас" in front and "вашего города" not in front


def test_brest_lists_belarus_first_and_names_region_and_country(client: Client) -> None:
    html = client.post("/my-city/", {"city": "Брест", "next": "/"}).content.decode()
    by, fr = _geo("Брест"), next(p for p in candidates("Брест", lang="ru") if p.country == "FR")
    assert html.index(f'value="{by.geonameid}"') < html.index(f'value="{fr.geonameid}"')
    item = html.split(f'value="{by.geonameid}"')[1].split("</li>")[0]
    assert "Брестская область" in item and "Беларусь" in item
    assert "Франция" in html.split(f'value="{fr.geonameid}"')[1].split("</li>")[0]


def test_one_place_of_a_name_is_remembered_at_once(client: Client) -> None:
    r = client.post("/my-city/", {"city": "Новосибирск", "next": "/"})
    assert r.status_code == 302 and r.cookies["city"].value == "novosibirsk"
    assert client.post("/my-city/", {"place": "nonsense", "next": "/"}).status_code == 400
    assert client.post("/my-city/", {"city": "Нетакогогородаточно", "next": "/"}).status_code == 404


def test_the_place_page_button_remembers_that_very_place(client: Client) -> None:
    moscow = ensure(_geo("Moscow"))
    html = client.get("/city/moscow/").content.decode()
    assert f'name="place" value="{moscow.pk}"' in html
    r = client.post("/my-city/", {"place": str(moscow.pk), "next": "/"})
    assert r.cookies["city"].value == "moscow"
    assert "Москва" in client.get("/").content.decode().split('id="city-block"')[1]


# --- 1b. the search filter ------------------------------------------------------------------------
def test_search_filter_takes_a_place_name(client: Client) -> None:
    from svodka_site.news.search_views import build_request

    moscow = _geo("Moscow")
    for name in ("москва", "Москва", "moskva", "Moscow"):
        assert build_request({"q": "пожар", "place": name}).request.filters.place_ids == (moscow.geonameid,)
    brest = build_request({"q": "пожар", "place": "Брест"}).request.filters.place_ids
    assert brest == (_geo("Брест").geonameid,) and gazetteer().get(brest[0]).country == "BY"
    r = client.get("/api/search", {"q": "пожар", "place": "нетакогогородаточно"})
    assert r.status_code == 400 and "нетакогогородаточно" in r.json()["error"]


# --- 4. sections -------------------------------------------------------------------------------
def test_words_match_whole_words_in_any_form_not_substrings() -> None:
    r = SectionRule("elections", words=("выборы", "election", "голосование"))
    kw = {"category": "society", "lang": "ru", "place_ids": ()}
    assert r.matches(title="Итоги выборов в Думу", text="", **kw)
    assert r.matches(title="На выборах победил", text="", **kw)
    assert r.matches(title="Snap elections called", text="", **kw)
    assert not r.matches(title="Учёные проверили выборку", text="В выборке 300 образцов.", **kw)
    assert not r.matches(title="Сделать выбор непросто", text="", **kw)  # a choice is not elections
    stem = SectionRule("ecology", words=("эколог*",))
    assert stem.matches(title="Экологический штраф", text="", **kw)
    assert "погибших" in word_forms("погибнуть") and "voted" in word_forms("vote")


def test_words_in_the_lead_only_by_default() -> None:
    r = SectionRule("incidents", words=("rescue service",))
    kw = {"category": "society", "lang": "en", "place_ids": ()}
    title = "Public transport routes to change in the United Kingdom"
    deep = "Buses will run on new routes from Monday. " * 20 + '"The rescue service backs it," he said.'
    assert not r.matches(title=title, text=deep, **kw)
    assert r.matches(title="Rescue service called out", text="", **kw)
    anywhere = SectionRule("incidents", words=("rescue service",), where="text")
    assert anywhere.matches(title=title, text=deep, **kw)
    title_only = SectionRule("t", words=("пожар",), where="title")
    assert not title_only.matches(title="Новости", text="Пожар на складе", **{**kw, "lang": "ru"})


def test_words_or_entities_either_is_enough() -> None:
    r = SectionRule("space", words=("космонавт",), entities=("Роскосмос",))
    kw = {"category": "science", "lang": "ru", "place_ids": ()}
    assert r.matches(title="Космонавты вернулись", text="", **kw)
    assert r.matches(title="Глава Роскосмоса ответил", text="", **kw)
    assert not r.matches(title="Погода", text="", **kw)


def test_entity_rules() -> None:
    r = SectionRule("space", entities=("Роскосмос", "NASA", "Алла Пугачёва"))
    kw = {"category": "science", "lang": "ru", "place_ids": ()}
    assert r.matches(title="Глава Роскосмоса ответил", text="", **kw)
    assert r.matches(title="NASA launches a probe", text="", **kw)
    assert r.matches(title="Концерт", text="Вчера в Москве выступила Алла Пугачёва.", **kw)
    assert not r.matches(title="Концерт", text="Вчера в Москве выступила Алла Борисовна.", **kw)
    assert not r.matches(title="Погода на неделю", text="Nasty weather ahead.", **kw)


SECTIONS_TOML = """
[[section]]
slug = "space"
name_en = "Space"
name_ru = "Космос"
entities = ["Роскосмос", "NASA"]
words = ["космонавт", "orbit*"]
words_in = "lead"
position = 5

[[section]]
slug = "elections"
name_en = "Elections"
name_ru = "Выборы"
categories = ["society"]
words = ["выборы", "election"]
places = ["Москва"]
"""


def _article(src: Source, title: str, text: str, **kw: object) -> Article:
    return Article.objects.create(
        source=src,
        url=f"http://{src.slug}.test/{Article.objects.count() + 1}",
        title=title,
        text=text,
        published_at=NOW - timedelta(minutes=Article.objects.count()),
        understood_at=NOW,
        **kw,
    )


def test_sections_from_a_settings_file_merge_with_the_admin_and_recompute(
    client: Client, tmp_path: Path
) -> None:
    path = tmp_path / "sections.toml"
    path.write_text(SECTIONS_TOML, encoding="utf-8")
    src = Source.objects.create(name="Gazeta", slug="gazeta")
    moscow = ensure(_geo("Moscow"))
    space = _article(src, "Глава Роскосмоса рассказал о планах", "", category="science", language="ru")
    vote = _article(src, "Выборы в Мосгордуму", "Итоги голосования.", category="society", language="ru")
    sample = _article(src, "В выборке 300 человек", "Социологи опросили москвичей.", category="society")
    for a in (vote, sample):
        ArticlePlace.objects.create(article=a, place=moscow)
    Section.objects.update_or_create(slug="music", defaults={"words": "концерт"})  # the admin's
    site_sections._synced = None
    with override_settings(SVODKA_SECTIONS=str(path)):
        out = StringIO()
        call_command("sections", "--recompute", stdout=out)
        assert "3/3 articles read" in out.getvalue()
        s = Section.objects.get(slug="space")
        assert s.from_settings and s.name_ru == "Космос" and s.words_in == "lead"
        e = Section.objects.get(slug="elections")  # the built-in one, replaced by the file's
        assert e.from_settings and list(e.places.values_list("slug", flat=True)) == ["moscow"]
        assert Section.objects.get(slug="music").from_settings is False
        assert list(space.sections.values_list("slug", flat=True)) == ["space"]
        assert list(vote.sections.values_list("slug", flat=True)) == ["elections"]
        assert not sample.sections.exists()
        assert "Роскосмоса" in client.get("/section/space/").content.decode()
        assert "выборке" not in client.get("/section/elections/").content.decode()
    # dropped from the file: disabled at the next sync
    path.write_text(SECTIONS_TOML.split('[[section]]\nslug = "elections"')[0], encoding="utf-8")
    with override_settings(SVODKA_SECTIONS=str(path)):
        site_sections.sync_settings_sections()
        assert not Section.objects.get(slug="elections").enabled
        assert client.get("/section/elections/").status_code == 404


def test_sections_setting_as_json_and_its_errors() -> None:
    site_sections._synced = None
    spec = [{"slug": "fires", "name_ru": "Пожары", "words": "пожар\nfire", "words_in": "title"}]
    with override_settings(SVODKA_SECTIONS=json.dumps(spec)):
        site_sections.sync_settings_sections()
        s = Section.objects.get(slug="fires")
        assert (s.name_en, s.words, s.words_in) == ("Пожары", "пожар\nfire", "title")
    from django.core.exceptions import ImproperlyConfigured

    for bad in (
        '[{"slug": "x", "wrods": []}]',
        '[{"slug": "x", "words_in": "body"}]',
        "/nonexistent.toml",
        '[{"slug": "x",',  # inline JSON cut short
        '[{"slug": "x", "position": "first"}]',
        '[{"slug": "x", "position": "²"}]',
    ):
        with override_settings(SVODKA_SECTIONS=bad), pytest.raises(ImproperlyConfigured):
            site_sections.sync_settings_sections(force=True)


def test_a_broken_sections_setting_is_logged_and_pages_still_answer(client: Client) -> None:
    site_sections._synced = None
    for bad in ('[{"slug": "x",', '[{"slug": "x", "position": "first"}]'):
        with override_settings(SVODKA_SECTIONS=bad):
            assert client.get("/").status_code == 200


def test_builtin_sections_were_migrated_to_whole_words() -> None:
    if not Section.objects.filter(slug="elections").exists():
        # A transactional test run earlier in this process flushed the migrations' rows: apply
        # the two data migrations again, in order (0002 creates the sections, 0007 rewrites them).
        import importlib

        from django.apps import apps as django_apps

        importlib.import_module("svodka_site.news.migrations.0002_default_sections").create(django_apps, None)
        importlib.import_module("svodka_site.news.migrations.0007_section_entities_words_in").forwards(
            django_apps, None
        )
    e = Section.objects.get(slug="elections")
    assert "выборы" in e.words.split("\n") and "выбор" not in e.words.split("\n")
    assert e.words_in == "lead"
    rule = site_sections.rule_of(Section.objects.get(slug="incidents"))
    kw = {"category": "society", "lang": "en", "place_ids": ()}
    quote = "Buses will run on new routes from Monday. " * 20 + "Firefighters and rescuers back it."
    assert not rule.matches(title="Public transport routes to change in the United Kingdom", text=quote, **kw)
    assert rule.matches(title="Fire at a warehouse in Leeds", text="", **kw)


def test_manage_places_refresh_brings_stored_names_up_to_date() -> None:
    """A place row is written once; a later gazetteer's better name reaches it with --refresh."""
    yekb = gazetteer().search("Yekaterinburg", "en")[0]
    ensure(yekb)
    Place.objects.filter(pk=yekb.geonameid).update(name_ru="Свердловск", population=1)
    slug = Place.objects.get(pk=yekb.geonameid).slug
    out = StringIO()
    call_command("places", "--refresh", stdout=out)
    row = Place.objects.get(pk=yekb.geonameid)
    assert row.name_ru == "Екатеринбург" and row.population == yekb.population and row.slug == slug
    assert "updated" in out.getvalue()
    out = StringIO()
    call_command("places", "--refresh", stdout=out)
    assert out.getvalue().strip().endswith(", 0 updated")  # nothing left to change


def test_a_choice_in_abkhazia_names_abkhazia_once() -> None:
    first = choices("Сухум", lang="ru")[0]
    assert first.country == "Абхазия" and first.region == ""  # not "Абхазия, Абхазия"
