from html.parser import HTMLParser

import pytest

from svodka.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, html_to_text, sanitize_html

from ._soup import tag_soup

BASE = "https://news.example.com/world/2024/story.html"

XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" ONERROR="alert(1)">',
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="  JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/png;base64,iVBORw0KGgo=">',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '<div style="width: expression(alert(1))">x</div>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<iframe src="https://evil.example/"></iframe>',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
    '<form action="https://evil.example/"><input name=a onfocus=alert(1) autofocus><button formaction="javascript:alert(1)">b</button></form>',
    "<details open ontoggle=alert(1)><summary>s</summary></details>",
    "<body onload=alert(1)>text</body>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '"><script>alert(1)</script>',
    "<<img src=x onerror=alert(1)//<",
    "<p><b><i>unclosed <a href=/x onclick=alert(1)>nested <table><tr><td>cell",
    "</p></div></b><img src=x onerror=alert(1)></i>",
    "<!--<img src=x onerror=alert(1)>--><p>after comment</p>",
    '<a href="java\x00script:alert(1)">nul</a>',
    '<img src="https://e.com/ok.jpg" onload=alert(1) width="100" height="50;alert(1)">',
]

_URL_ATTRS = {"href", "src", "cite"}


class _Inspector(HTMLParser):
    """Collects every tag and attribute that a browser would see in the output."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))

    handle_startendtag = handle_starttag


def _assert_safe(out: str, *, relative_ok: bool = True) -> None:
    parser = _Inspector()
    parser.feed(out)
    parser.close()
    for tag, attrs in parser.found:
        assert tag in ALLOWED_TAGS, (tag, out)
        for name, value in attrs:
            allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
            assert name in allowed, (tag, name, out)
            assert not name.startswith("on")
            if name in _URL_ATTRS:
                assert value is not None
                scheme = value.split(":", 1)[0].lower() if ":" in value.split("/", 1)[0] else None
                if scheme is None:
                    assert relative_ok and not value.lstrip().startswith("//"), (value, out)
                else:
                    assert scheme in {"http", "https", "mailto"}, (value, out)
    lowered = out.lower()
    for needle in (
        "<script",
        "<style",
        "<iframe",
        "<svg",
        "<math",
        "<object",
        "<embed",
        "<form",
        "expression(",
    ):
        assert needle not in lowered, (needle, out)
    for needle in ("javascript:", "vbscript:", "data:"):
        assert f'"{needle}' not in lowered and f"={needle}" not in lowered, (needle, out)


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_vectors_never_survive(vector: str) -> None:
    for base in (None, BASE):
        out = sanitize_html(f"<p>before</p>{vector}<p>after</p>", base_url=base)
        _assert_safe(out, relative_ok=base is None)
        assert "after" in out


def test_xss_vectors_all_together_and_reparsed() -> None:
    soup = "".join(XSS_VECTORS) * 3
    once = sanitize_html(soup, BASE)
    _assert_safe(once, relative_ok=False)
    assert sanitize_html(once, BASE) == once  # output is a fixed point: nothing hides for a 2nd parse


def test_keeps_news_markup_and_makes_links_absolute() -> None:
    html = (
        '<h1>Title</h1><h2 class="x" id="y">Sub</h2><p>Text with <a href="/world/other?id=2" title="t" '
        'target="_blank">a link</a>, <strong>bold</strong>, <em>em</em> and <q>quote</q>.</p>'
        '<figure><img src="../img/photo.jpg" alt="Photo" width="640" height="480" loading="lazy">'
        "<figcaption>Caption</figcaption></figure><ul><li>one</li></ul>"
        '<table><tr><th>h</th></tr><tr><td colspan="2">c</td></tr></table>'
        '<a href="mailto:desk@example.com">mail</a><p>x<sub>2</sub> E=mc<sup>2</sup></p><hr><pre><code>code</code></pre>'
    )
    out = sanitize_html(html, BASE)
    _assert_safe(out)
    assert "<h1>" not in out and "Title" in out
    assert "<h2>Sub</h2>" in out
    assert (
        '<a href="https://news.example.com/world/other?id=2" title="t" rel="nofollow noopener noreferrer">'
        in out
    )
    assert 'src="https://news.example.com/world/img/photo.jpg"' in out
    assert 'alt="Photo"' in out and 'width="640"' in out and "loading" not in out
    assert "<figcaption>Caption</figcaption>" in out
    assert '<td colspan="2">c</td>' in out
    assert 'href="mailto:desk@example.com"' in out
    assert "<sub>2</sub>" in out and "<sup>2</sup>" in out and "<hr>" in out and "<pre><code>" in out
    assert " class=" not in out and " id=" not in out and " target=" not in out


def test_relative_urls_without_base_stay_relative_and_bad_base_is_ignored() -> None:
    assert 'href="/x"' in sanitize_html('<a href="/x">x</a>')
    assert 'href="/x"' in sanitize_html('<a href="/x">x</a>', base_url="javascript:alert(1)")


def test_relative_urls_are_resolved_whatever_the_spelling_of_the_attribute() -> None:
    cases = {
        '<a HREF = "/x">x</a>': 'href="https://news.example.com/x"',
        "<a\thref=\t'rel/y'>y</a>": 'href="https://news.example.com/world/2024/rel/y"',
        "<img SrC=../i.png>": 'src="https://news.example.com/world/i.png"',
        # an absolute link first: the relative one after it still counts
        '<a href="HTTPS://o.test/">a</a> the word href, then <img src="/late.png">': (
            'src="https://news.example.com/late.png"'
        ),
    }
    for html, expected in cases.items():
        assert expected in sanitize_html(html, BASE), html
    for absolute in (
        '<a href="HTTPS://o.test/a">a</a>',
        "<a href=mailto:x@o.test>m</a>",
        "<img src=http://o.test/i>",
    ):
        assert sanitize_html(absolute, BASE) == sanitize_html(absolute), absolute


def test_empty_and_text_only() -> None:
    assert sanitize_html("") == ""
    assert sanitize_html("plain & simple < text") == "plain &amp; simple &lt; text"


def test_robust_to_megabytes_of_soup_and_deep_nesting() -> None:
    soup = tag_soup(7)
    assert len(soup) >= 4_900_000
    _assert_safe(sanitize_html(soup, BASE))
    assert isinstance(html_to_text(soup), str)
    deep = "<div>" * 150_000 + "<img src=x onerror=alert(1)>deep" + "</div>" * 150_000
    _assert_safe(sanitize_html(deep))
    inline = "<b>" * 150_000 + "x<script>alert(1)</script>"
    _assert_safe(sanitize_html(inline))
    assert "alert" not in html_to_text(inline)
    flat = "<p>para <a href=/a>link</a> text</p>" * 60_000  # many tags, shallow: content must survive
    out = sanitize_html(flat, BASE)
    assert out.count("<p>") == 60_000


def test_html_to_text() -> None:
    html = (
        "<html><head><title>T</title><style>p{}</style></head><body>"
        "<h1>Headline</h1>\n<p>One&nbsp;two &amp; three\n   four</p><p>Five<br>six</p>"
        "<ul>\n<li>a</li>\n<li>b</li></ul><table><tr><td>x</td><td>y</td></tr></table>"
        "<script>var s = '<p>no</p>';</script><p>&lt;not a tag&gt; &#8212; &quot;q&quot;</p>"
        '<p title="t">attr</p></body></html>'
    )
    assert html_to_text(html) == (
        'Headline\n\nOne two & three four\n\nFive\nsix\n\na\nb\n\nx y\n\n<not a tag> — "q"\n\nattr'
    )
    assert html_to_text("") == ""
    assert html_to_text("just text") == "just text"
    assert html_to_text("<p>a</p>\x1e<p>b</p>") == "a\n\nb"
