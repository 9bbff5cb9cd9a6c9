import json
import random
from datetime import UTC, datetime

import pytest

from svodka.errors import ExtractError, SvodkaError
from svodka.extract import extract_article
from svodka.extract.dates import best_published, parse_declared
from svodka.extract.decode import decode_html
from svodka.types import ExtractedArticle

from ._soup import tag_soup

URL = "https://www.dailyherald.example/world/2024/03/05/harbour-bridge-reopens.html?utm_source=rss"

PARAGRAPHS = [
    "The Harbour Bridge reopened to traffic on Tuesday morning after eleven months of repairs, "
    "city officials said, ending a closure that had forced tens of thousands of commuters onto "
    "crowded ferries and lengthy detours through the old town.",
    "Engineers replaced more than four hundred corroded steel cables and resurfaced the entire "
    "deck, according to the transport department, which said the work had come in slightly under "
    "its original budget of 310 million euros despite a difficult winter.",
    "“We promised the bridge would be back before the spring festival, and it is,” the mayor told "
    "reporters at the southern entrance, where a small crowd had gathered before dawn to watch the "
    "first buses cross the river.",
    "Traders in the market district, which lost much of its passing trade during the closure, "
    "welcomed the reopening but asked the council to extend the temporary parking discounts that "
    "had been introduced to keep shoppers coming into the centre.",
    "The transport department said cyclists would get a protected lane on the eastern side from "
    "next month, once the remaining safety barriers have been installed and inspected.",
]
BOILERPLATE = [
    "Subscribe to our newsletter",
    "Most read this week",
    "Celebrity chef opens third restaurant",
    "Advertisement: Buy cheap flights now",
    "Great article, totally agree",
    "All rights reserved",
    "Cookie settings",
]


def _news_page(jsonld: object | None = None, head_extra: str = "", body_extra: str = "") -> str:
    if jsonld is None:
        jsonld = {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "Organization", "name": "Daily Herald", "url": "https://www.dailyherald.example/"},
                {
                    "@type": "WebPage",
                    "@id": "https://www.dailyherald.example/world/harbour-bridge",
                    "datePublished": "2024-03-05",
                },
                {
                    "@type": ["NewsArticle", "ReportageNewsArticle"],
                    "headline": "Harbour Bridge reopens after eleven months of repairs",
                    "datePublished": "2024-03-05T14:30:00+03:00",
                    "dateModified": "2024-03-06T09:00:00+03:00",
                    "author": [
                        {"@type": "Person", "name": "Anna Petrova"},
                        {"@type": "Person", "name": "John Smith"},
                    ],
                    "image": {"@type": "ImageObject", "url": "/images/bridge-1200.jpg", "width": 1200},
                    "publisher": {"@type": "Organization", "name": "Daily Herald"},
                },
            ],
        }
    body = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html lang="en-gb">
<head>
  <meta charset="utf-8">
  <title>Harbour Bridge reopens after eleven months of repairs | Daily Herald</title>
  <link rel="canonical" href="/world/harbour-bridge?utm_campaign=x&amp;id=42#top">
  <meta property="og:url" content="https://www.dailyherald.example/og-url-should-not-win">
  <meta property="og:site_name" content="The Daily Herald">
  <meta property="og:description" content="The bridge is open again, ahead of the spring festival.">
  <meta name="twitter:card" content="summary_large_image">
  <script type="application/ld+json">{json.dumps(jsonld)}</script>
  <script>window.dataLayer = [{{"page": "article"}}];</script>
  <style>.ad {{ display: block; }}</style>
  {head_extra}
</head>
<body>
  <header class="site-header">
    <nav class="main-nav"><ul>
      <li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li>
      <li><a href="/culture">Culture</a></li><li><a href="/newsletter">{BOILERPLATE[0]}</a></li>
    </ul></nav>
  </header>
  <div class="ad-banner advertisement"><a href="https://ads.example/click">{BOILERPLATE[3]}</a></div>
  <main>
    <article class="article">
      <h1>Harbour Bridge reopens after eleven months of repairs</h1>
      <div class="byline">By <a rel="author" href="/authors/anna">Anna Petrova</a> and John Smith</div>
      <figure class="lead"><img src="/images/bridge-800.jpg" alt="The bridge at dawn"></figure>
      <div class="article-body">
        {body}
        <p>Read more: <a href="/world/ferries-timetable">new ferry timetable</a>.
        <img src="x" onerror="alert('xss')"><script>alert('xss')</script></p>
      </div>
      {body_extra}
    </article>
    <aside class="sidebar"><h3>{BOILERPLATE[1]}</h3><ul>
      <li><a href="/culture/chef">{BOILERPLATE[2]}</a></li>
      <li><a href="/sport/derby">Derby ends in a draw after late penalty</a></li>
    </ul></aside>
    <section class="comments" id="comments"><h3>Comments</h3>
      <div class="comment"><p>{BOILERPLATE[4]}!</p></div>
      <div class="comment"><p>Finally, took them long enough.</p></div>
    </section>
  </main>
  <footer class="site-footer"><p>© 2024 Daily Herald. {BOILERPLATE[5]}.</p>
    <a href="/privacy">Privacy</a> <a href="/cookies">{BOILERPLATE[6]}</a></footer>
</body>
</html>"""


def test_realistic_news_page() -> None:
    article = extract_article(_news_page().encode("utf-8"), URL)
    assert isinstance(article, ExtractedArticle)
    for paragraph in PARAGRAPHS:
        assert paragraph in article.text
    for junk in BOILERPLATE:
        assert junk not in article.text, junk
    assert "Finally, took them long enough" not in article.text
    assert "\n\n" in article.text  # paragraphs separated by blank lines
    # time: from JSON-LD NewsArticle inside @graph, with hours and zone, as aware UTC
    assert article.published == datetime(2024, 3, 5, 11, 30, tzinfo=UTC)
    assert article.published.tzinfo is UTC
    assert article.author == "Anna Petrova, John Smith"
    assert article.title == "Harbour Bridge reopens after eleven months of repairs"
    assert article.image == "https://www.dailyherald.example/images/bridge-1200.jpg"
    assert article.canonical_url == "https://www.dailyherald.example/world/harbour-bridge?id=42"
    assert article.language == "en-GB"
    assert article.site_name == "The Daily Herald"
    assert article.description == "The bridge is open again, ahead of the spring festival."
    # body HTML: safe, with the paragraphs and absolute links
    html = article.html.lower()
    assert "<p>" in html
    assert "script" not in html and "onerror" not in html and "alert" not in html
    assert 'href="https://www.dailyherald.example/world/ferries-timetable"' in html


def test_str_input_and_content_type_kwarg() -> None:
    page = _news_page()
    assert (
        extract_article(page, URL).text == extract_article(page.encode(), URL, content_type="text/html").text
    )


@pytest.mark.parametrize(
    ("head_extra", "body_extra", "expected"),
    [
        # no JSON-LD article: Open Graph article:published_time
        (
            '<meta property="article:published_time" content="2024-03-05T08:15:00Z">',
            "",
            datetime(2024, 3, 5, 8, 15, tzinfo=UTC),
        ),
        # itemprop=datePublished on a visible element
        (
            "",
            '<span itemprop="datePublished" content="2024-03-05T10:00:00-05:00">5 March</span>',
            datetime(2024, 3, 5, 15, 0, tzinfo=UTC),
        ),
        # only a <time datetime>
        (
            "",
            '<time datetime="2024-03-05T16:45:00+01:00">Tuesday</time>',
            datetime(2024, 3, 5, 15, 45, tzinfo=UTC),
        ),
        # a day-only declaration loses to one with a time
        (
            '<meta name="date" content="2024-03-05"><meta property="article:published_time" content="2024-03-05T12:00:00+00:00">',
            "",
            datetime(2024, 3, 5, 12, 0, tzinfo=UTC),
        ),
    ],
)
def test_published_time_fallbacks(head_extra: str, body_extra: str, expected: datetime) -> None:
    jsonld = {"@context": "https://schema.org", "@type": "Organization", "name": "Daily Herald"}
    page = _news_page(jsonld=jsonld, head_extra=head_extra, body_extra=body_extra)
    assert extract_article(page, URL).published == expected


def test_jsonld_as_list_with_schema_prefixes_and_broken_blocks() -> None:
    jsonld = [
        {"@type": "BreadcrumbList", "itemListElement": []},
        {
            "@type": "http://schema.org/NewsArticle",
            "datePublished": "Tue, 05 Mar 2024 18:05:00 GMT",
            "author": {"name": "Desk Reporter"},
            "image": ["https://cdn.example/a.jpg", "https://cdn.example/b.jpg"],
        },
    ]
    broken = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": </script>'
    page = _news_page(jsonld=jsonld, head_extra=broken)
    article = extract_article(page, URL)
    assert article.published == datetime(2024, 3, 5, 18, 5, tzinfo=UTC)
    assert article.author == "Desk Reporter"
    assert article.image == "https://cdn.example/a.jpg"


def test_og_url_used_when_no_canonical_link() -> None:
    page = _news_page().replace(
        '<link rel="canonical" href="/world/harbour-bridge?utm_campaign=x&amp;id=42#top">', ""
    )
    assert extract_article(page, URL).canonical_url == "https://www.dailyherald.example/og-url-should-not-win"


RU_PARAGRAPHS = [
    "Во вторник утром в городе после одиннадцати месяцев ремонта снова открыли движение по мосту, "
    "сообщили в мэрии. Жителям больше не придётся добираться до работы на переполненных паромах.",
    "Инженеры заменили более четырёхсот тросов и полностью обновили покрытие, а стоимость работ "
    "оказалась немного ниже запланированной, несмотря на тяжёлую зиму и задержки поставок.",
    "Торговцы рынка, потерявшие покупателей за время закрытия, попросили продлить скидки на "
    "парковку в центре. В мэрии обещали рассмотреть обращение до конца месяца.",
]


def _ru_page(charset_meta: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in RU_PARAGRAPHS)
    return (
        f'<html lang="ru"><head>{charset_meta}<title>Мост снова открыт - Городские новости</title>'
        '<meta property="article:published_time" content="2024-03-05T14:30:00+03:00"></head>'
        f"<body><nav><a href='/'>Главная</a></nav><article><h1>Мост снова открыт</h1>{body}</article>"
        "<footer>Все права защищены</footer></body></html>"
    )


def test_windows_1251_page_from_meta_charset() -> None:
    data = _ru_page('<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">').encode(
        "cp1251"
    )
    article = extract_article(data, "https://gorod.example/news/most")
    for paragraph in RU_PARAGRAPHS:
        assert paragraph in article.text
    assert article.title == "Мост снова открыт"
    assert article.language == "ru"
    assert article.published == datetime(2024, 3, 5, 11, 30, tzinfo=UTC)


def test_koi8r_page_from_http_header_only() -> None:
    data = _ru_page("").encode("koi8-r")
    article = extract_article(
        data, "https://gorod.example/news/most", content_type="text/html; charset=KOI8-R"
    )
    assert RU_PARAGRAPHS[0] in article.text


def test_decode_prefers_valid_utf8_over_a_wrong_declaration() -> None:
    data = _ru_page('<meta charset="windows-1251">').encode("utf-8")
    assert RU_PARAGRAPHS[1] in decode_html(data, "text/html; charset=windows-1251")
    assert decode_html(b"\xef\xbb\xbf<p>bom</p>") == "<p>bom</p>"
    undeclared = _ru_page("").encode("cp1251")
    assert RU_PARAGRAPHS[2] in decode_html(undeclared)


def test_short_utf8_page_with_a_few_broken_bytes_stays_utf8() -> None:
    # A short Russian page that says UTF-8 and ends in six broken bytes: a charset detector guesses
    # x-mac-cyrillic for it; the page is UTF-8 with replacement characters.
    page = '<meta charset="utf-8"><title>Плохая кодировка новости о пожаре</title><p>Пожар потушили.</p>'
    data = page.encode("utf-8") + b"\xff\xfe\xc3\x28 \x80\x81"
    assert "Плохая кодировка новости о пожаре" in decode_html(data)
    assert "Плохая кодировка" in decode_html(data.replace(b'<meta charset="utf-8">', b""))
    # A cp1251 page declared as cp1251 is still read as cp1251.
    cp = '<meta charset="windows-1251"><p>Пожар потушили</p>'.encode("cp1251")
    assert "Пожар потушили" in decode_html(cp)


@pytest.mark.parametrize(
    ("data", "content_type", "words"),
    [
        (b"", None, "empty"),
        (b"   \n\t ", None, "empty"),
        ("", None, "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", None, "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None, "binary"),
        (bytes(random.Random(1).randrange(256) for _ in range(5000)), None, "not HTML"),
        (b'{"status": "ok", "items": []}', "application/json", "not HTML"),
        (b"just some words, no markup at all", "text/plain", "not HTML"),
        (b"<html><body>ok</body></html>", "image/jpeg", "not a web page"),
        (
            b"<html><head><title>Home</title></head><body><nav><a href='/'>Home</a></nav></body></html>",
            None,
            "no article",
        ),
    ],
)
def test_no_article_raises_extract_error(data: bytes | str, content_type: str | None, words: str) -> None:
    with pytest.raises(ExtractError) as caught:
        extract_article(data, "https://example.com/x", content_type=content_type)
    assert words in caught.value.message
    assert caught.value.code == "extract"
    assert isinstance(caught.value, SvodkaError)


def test_login_wall() -> None:
    page = (
        "<html><head><title>Sign in</title></head><body><main><h1>Sign in to continue reading</h1>"
        "<p>This article is available to subscribers only. Please log in with your account.</p>"
        "<form action='/login' method='post'><input type='email' name='e'>"
        "<input type='password' name='p'><button>Log in</button></form></main></body></html>"
    )
    with pytest.raises(ExtractError, match="sign in"):
        extract_article(page, "https://paper.example/article/1")


def test_hostile_html_never_leaks_script_or_handlers() -> None:
    payloads = (
        "<img src=x onerror=alert(1)><svg onload=alert(2)><circle/></svg>"
        '<a href="javascript:alert(3)">click</a><a href=" JAVASCRIPT:alert(4)">c2</a>'
        '<iframe src="https://evil.example"></iframe><div style="x:expression(alert(5))">s</div>'
        '<img src="data:image/png;base64,AAAA"><object data="javascript:alert(6)"></object>'
        "<scr<script>ipt>alert(7)</script><math><mtext><table><mglyph><style><img src=x onerror=alert(8)>"
        '<details open ontoggle="alert(9)"><summary>more</summary></details>'
    )
    page = _news_page(
        body_extra=f"<div class='article-body'><p>{PARAGRAPHS[0]} {payloads}</p>{payloads}</div>"
    )
    article = extract_article(page, URL)
    lowered = article.html.lower()
    for needle in (
        "<script",
        "onerror",
        "onload",
        "ontoggle",
        "javascript:",
        "<svg",
        "<iframe",
        "<object",
        "<style",
        "data:",
        "expression(",
    ):
        assert needle not in lowered, needle


def test_megabytes_of_soup_and_deep_nesting_do_not_crash() -> None:
    soup = "<html><body>" + tag_soup(3)
    deep = "<html><body>" + "<div>" * 100_000 + "<p>" + PARAGRAPHS[0] + "</p>" + "</div>" * 100_000
    many = (
        "<html><head><title>Live</title></head><body><article>"
        + "".join(
            f"<p>Update {i}: {PARAGRAPHS[i % 5]} <img src=x onerror=alert({i})></p>" for i in range(8_000)
        )
        + "</article></body></html>"
    )
    results = {}
    for name, doc in (("soup", soup), ("deep", deep), ("many", many)):
        try:
            article = extract_article(doc.encode(), "https://example.com/live")
        except ExtractError:
            continue
        assert "onerror" not in article.html and "<script" not in article.html
        results[name] = article
    # a huge flat page is cut, not refused: its beginning is kept
    assert results["many"].text.startswith("Update 0:")


def test_parse_declared_forms() -> None:
    assert parse_declared("2024-03-05T14:30:00+03:00").value == datetime(2024, 3, 5, 11, 30, tzinfo=UTC)
    assert parse_declared("March 5, 2024 2:30 pm EST").value == datetime(2024, 3, 5, 19, 30, tzinfo=UTC)
    assert parse_declared("2024-03-05 14:30 MSK").value == datetime(2024, 3, 5, 11, 30, tzinfo=UTC)
    assert parse_declared("1709649000").value == datetime(2024, 3, 5, 14, 30, tzinfo=UTC)
    day = parse_declared("2024-03-05")
    assert day is not None and not day.has_time and not day.has_zone
    for junk in ("", "yesterday", "0001-01-01", "5 марта 2024", "x" * 200):
        assert parse_declared(junk) is None
    assert best_published(
        ["garbage", "2024-03-05", "2024-03-05T10:00:00", "2024-03-05T10:00:00+02:00"]
    ) == datetime(2024, 3, 5, 8, 0, tzinfo=UTC)
    assert best_published(["2024-03-05", "2024-03-05T10:00:00"]) == datetime(2024, 3, 5, 10, 0, tzinfo=UTC)
    assert best_published([]) is None


def test_the_headline_is_not_repeated_at_the_top_of_the_body() -> None:
    para = "Сигнал о возгорании поступил в 18:45, пожарные эвакуировали жильцов дома на улице Школьной."
    page = (
        "<html><head><title>Пожар: вывели 147 человек — Газета</title>"
        '<meta property="og:title" content="Пожар: вывели 147 человек"></head><body><article>'
        "<h1>Пожар: вывели 147 человек</h1>"
        f"<div><p>{para}</p><p>{para} Второй абзац.</p><p>{para} Третий абзац.</p></div></article></body></html>"
    )
    a = extract_article(page.encode(), url="http://x.test/a")
    assert a.text.startswith("Сигнал о возгорании") and "147 человек" not in a.text
    assert a.html.startswith("<p>Сигнал")
    # a first line that is not the headline word for word is kept
    page2 = page.replace("<h1>Пожар: вывели 147 человек</h1>", "<h1>Пожар в доме</h1>")
    assert extract_article(page2.encode(), url="http://x.test/b").text.startswith("Пожар в доме\n\n")
