import pytest

from svodka.urls import canonical_url, is_http_url, origin


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # tracking parameters go, the others keep their order and spelling
        (
            "https://news.example.com/a?utm_source=rss&id=7&utm_medium=feed&fbclid=XYZ&page=2",
            "https://news.example.com/a?id=7&page=2",
        ),
        ("https://e.com/a?gclid=1&yclid=2&ysclid=3&_openstat=4&mc_cid=5&mc_eid=6", "https://e.com/a"),
        ("https://e.com/a?igshid=1&UTM_Campaign=x&msclkid=2&q=news", "https://e.com/a?q=news"),
        ("https://t.me/s/chan?ref_src=twsrc%5Etfw", "https://t.me/s/chan"),
        # ambiguous names are kept: sites use them to pick content
        (
            "https://github.com/o/r/blob/x?ref=main&from=rss",
            "https://github.com/o/r/blob/x?ref=main&from=rss",
        ),
        ("https://e.com/a?b=2&a=1&b=1", "https://e.com/a?b=2&a=1&b=1"),
        ("https://e.com/a?&&x=1&", "https://e.com/a?x=1"),
        # fragments, case, default ports, empty path
        ("HTTPS://News.Example.COM:443/Path/Story#comments", "https://news.example.com/Path/Story"),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8080/x", "http://example.com:8080/x"),
        ("https://example.com:80/x", "https://example.com:80/x"),
        ("https://example.com?", "https://example.com/"),
        ("https://example.com./x", "https://example.com/x"),
        # percent-encoding and dot segments
        ("https://e.com/%7euser/a%2fb/%c3%a9", "https://e.com/~user/a%2Fb/%C3%A9"),
        (
            "https://e.com/новости/статья?q=путин мир",
            "https://e.com/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/%D1%81%D1%82%D0%B0%D1%82%D1%8C%D1%8F?q=%D0%BF%D1%83%D1%82%D0%B8%D0%BD%20%D0%BC%D0%B8%D1%80",
        ),
        ("https://e.com/a/./b/../c/", "https://e.com/a/c/"),
        ("https://e.com/50%", "https://e.com/50%25"),
        # IDN hosts to punycode
        ("https://пример.рф/", "https://xn--e1afmkfd.xn--p1ai/"),
        ("https://Bücher.DE/x", "https://xn--bcher-kva.de/x"),
        ("http://[::1]:8000/x", "http://[::1]:8000/x"),
        # surrounding whitespace and embedded newlines, as browsers do
        ("  https://e.com/a\n/b  ", "https://e.com/a/b"),
    ],
)
def test_canonical_url(raw: str, expected: str) -> None:
    assert canonical_url(raw) == expected


@pytest.mark.parametrize(
    ("raw", "base", "expected"),
    [
        ("/world/1?utm_source=x", "https://news.example.com/feed.xml", "https://news.example.com/world/1"),
        ("../img/a.jpg", "https://e.com/news/2024/story.html", "https://e.com/news/img/a.jpg"),
        ("story-2", "https://e.com/news/", "https://e.com/news/story-2"),
        ("//cdn.e.com/a.png", "https://e.com/", "https://cdn.e.com/a.png"),
        ("?page=2", "https://e.com/list?page=1", "https://e.com/list?page=2"),
        ("https://other.org/x", "https://e.com/", "https://other.org/x"),
    ],
)
def test_canonical_url_relative(raw: str, base: str, expected: str) -> None:
    assert canonical_url(raw, base=base) == expected


def test_canonical_url_is_idempotent() -> None:
    once = canonical_url("HTTP://Пример.РФ:80/a/../b c?utm_term=x&z=1#f")
    assert canonical_url(once) == once


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "   ",
        "not a url",
        "/relative/without/base",
        "//cdn.example.com/x",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "mailto:editor@example.com",
        "ftp://example.com/file",
        "http://",
        "http:///path",
        "http://exa mple.com/",
        "http://a..b/",
        "http://-bad.com/",
        "http://example.com:99999/",
        "http://example.com:port/",
        "http://[::1/",
    ],
)
def test_canonical_url_rejects_garbage(garbage: str) -> None:
    with pytest.raises(ValueError):
        canonical_url(garbage)
    assert is_http_url(garbage) is False


def test_is_http_url_and_origin() -> None:
    assert is_http_url("https://example.com/x")
    assert origin("https://Example.com/a/b?c#d") == "https://example.com:443"
    assert origin("http://example.com/") == "http://example.com:80"
    assert origin("http://example.com:8080/x") == "http://example.com:8080"
    assert origin("https://пример.рф/") == "https://xn--e1afmkfd.xn--p1ai:443"
    with pytest.raises(ValueError):
        origin("ftp://example.com/")
