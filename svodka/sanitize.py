"""Make untrusted HTML (feed summaries, extracted article bodies) safe to show, or plain text.

Both functions go through nh3 (the Rust ``ammonia`` sanitiser, built on html5ever), so they
parse the way a browser does, are fast on megabytes of tag soup and do not recurse in Python.
"""

from __future__ import annotations

import html as _html
import re
from functools import lru_cache

import lxml.etree
import lxml.html
import nh3

from svodka.urls import canonical_url

__all__ = ["ALLOWED_ATTRIBUTES", "ALLOWED_TAGS", "html_to_text", "sanitize_html"]

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "a", "strong", "em", "b", "i", "u", "s", "del", "ins", "mark", "small",
        "blockquote", "q", "cite", "abbr", "ul", "ol", "li", "dl", "dt", "dd",
        "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "img",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
        "pre", "code", "sub", "sup", "hr",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": set(),  # without this key ammonia also allows lang and title everywhere
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
_URL_SCHEMES = {"http", "https", "mailto"}
_LINK_REL = "nofollow noopener noreferrer"
# Removed together with everything inside them (not just the tags).
_DROP_WITH_CONTENT = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript",
    "template", "svg", "math", "form", "textarea", "select", "button", "head", "title", "noembed",
    "noframes", "xmp", "plaintext", "canvas", "audio", "video", "map", "dialog",
}  # fmt: skip
_NUMERIC = re.compile(r"^\d{1,5}%?$")
# html5ever's tree builder slows down quadratically with nesting depth (200,000 nested
# <div>s take minutes). Inputs with many tags first go through libxml2, which stops at
# depth 256 and is linear; nh3 then still has the last word on what is safe.
_MANY_TAGS = 5000
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _bounded(html: str) -> str:
    if html.count("<") <= _MANY_TAGS:
        return html
    text = _XML_INVALID.sub("", html)
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, default_doctype=False)
    try:
        try:
            doc = lxml.html.document_fromstring(text, parser=parser)
        except ValueError:  # a str with an XML encoding declaration
            utf8 = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, encoding="utf-8")
            doc = lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=utf8)
    except (ValueError, lxml.etree.ParserError):
        return ""
    return lxml.etree.tostring(doc, encoding="unicode", method="html")


_SCHEME = re.compile(r"^\s*([^/?#]*?):")


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    if attribute in ("width", "height", "colspan", "rowspan", "start"):
        return value if _NUMERIC.match(value.strip()) else None
    if attribute in ("href", "src", "cite"):
        # ammonia passes "java\ufffdscript:..." through as a relative URL; browsers would too,
        # but anything that reads like an unknown scheme has no business in a news body.
        scheme = _SCHEME.match(value)
        if scheme and scheme.group(1).lower() not in _URL_SCHEMES:
            return None
    return value


@lru_cache(maxsize=256)
def _cleaner(base_url: str | None) -> nh3.Cleaner:
    # ammonia resolves relative href/src itself; absolute ones must already use an allowed scheme.
    relative: str | tuple[str, str] = ("rewrite_with_base", base_url) if base_url else "pass_through"
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags=_DROP_WITH_CONTENT,
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        strip_comments=True,
        link_rel=_LINK_REL,
        url_schemes=_URL_SCHEMES,
        url_relative=relative,
    )


# An href/src/cite that needs the base: not absolute http(s)/mailto, not a fragment. Matched
# on the lower-cased text, right after each occurrence of the attribute's name: one regex
# search over the whole text cost as much as nh3's cleaning of it.
_URL_ATTRIBUTES = ("href", "src", "cite")
_RELATIVE_VALUE = re.compile(r"""\s*=\s*["']?(?!\s*(?:https?:|mailto:|#))""")


def _has_relative_ref(html: str) -> bool:
    low = html.lower()
    for name in _URL_ATTRIBUTES:
        at = low.find(name)
        while at >= 0:
            if _RELATIVE_VALUE.match(low, at + len(name)):
                return True
            at = low.find(name, at + 1)
    return False


def _usable_base(base_url: str | None) -> str | None:
    if not base_url:
        return None
    try:
        return canonical_url(base_url)
    except ValueError:
        return None


def sanitize_html(html: str, base_url: str | None = None) -> str:
    """Keep only news-body markup (paragraphs, links, emphasis, lists, headings h2-h6,
    figures, images, simple tables, code) and drop everything active.

    Scripts, styles, frames, forms, media and SVG/MathML go with their content; event
    handlers, ``style``, ``class`` and ``id`` attributes go; URLs other than http, https and
    mailto (``javascript:``, ``data:`` including images, ``vbscript:``) are removed. Relative
    links and image sources are made absolute against ``base_url`` when it is given. Links get
    ``rel="nofollow noopener noreferrer"``.
    """
    if not html:
        return ""
    if "<" not in html and "&" not in html:
        return html.replace(">", "&gt;").strip()  # plain text: nothing to parse
    # One shared cleaner unless a relative link really needs rewriting against this base
    # (building an nh3.Cleaner costs ten times more than cleaning a summary).
    base = _usable_base(base_url) if _has_relative_ref(html) else None
    return _cleaner(base).clean(_bounded(html)).strip()


# --- plain text ---------------------------------------------------------------------------------
_BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "blockquote",
        "ul", "ol", "li", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "figure",
        "figcaption", "table", "caption", "thead", "tbody", "tfoot", "tr", "pre", "hr",
        "address", "details", "summary", "fieldset", "center", "hgroup", "menu",
    }
)  # fmt: skip
_PARAGRAPH_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "figure"})
_CELL_TAGS = frozenset({"td", "th"})
_TEXT_KEEP_TAGS = _BLOCK_TAGS | _CELL_TAGS | {"br"}
_TEXT_CLEANER = nh3.Cleaner(
    tags=set(_TEXT_KEEP_TAGS),
    clean_content_tags=_DROP_WITH_CONTENT,
    attributes={"*": set()},
    strip_comments=True,
    link_rel=None,
)
# After the cleaner every tag is bare (no attributes) and ``<`` in text is escaped,
# so this simple pattern sees exactly the remaining tags.
_TAG = re.compile(r"<(/?)([a-z0-9]+)[^>]*>")
_PARA_MARK, _LINE_MARK = "\x1e", "\x1f"  # cannot come from entities: html.unescape drops C0 controls
_SPACES = re.compile(r"[ \t\n\r\f\v\xa0]+")
_BREAKS = re.compile(r" ?[\x1e\x1f][\x1e\x1f ]*")


def _tag_break(match: re.Match[str]) -> str:
    name = match.group(2)
    if name in _CELL_TAGS:
        return " " if match.group(1) else ""
    return _PARA_MARK if name in _PARAGRAPH_TAGS else _LINE_MARK


def _break(match: re.Match[str]) -> str:
    return "\n\n" if _PARA_MARK in match.group(0) else "\n"


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML fragment or page: block elements become line breaks
    (paragraphs are separated by a blank line), entities are decoded, runs of whitespace
    collapse to one space, and scripts, styles and other non-text content are dropped."""
    if not html:
        return ""
    if "<" not in html and "&" not in html:
        return _BREAKS.sub(_break, _SPACES.sub(" ", html)).strip()
    cleaned = _TEXT_CLEANER.clean(_bounded(html)).replace(_PARA_MARK, "").replace(_LINE_MARK, "")
    text = _html.unescape(_TAG.sub(_tag_break, cleaned))
    text = _SPACES.sub(" ", text)
    return _BREAKS.sub(_break, text).strip()
