"""Article page -> ExtractedArticle: body via trafilatura, the rest from the page's declarations."""

from __future__ import annotations

import html as _html
import itertools
import logging
import re
import unicodedata
from typing import Literal

import lxml.etree
import trafilatura
from trafilatura.htmlprocessing import convert_to_html
from trafilatura.utils import load_html

from svodka.errors import ExtractError
from svodka.extract.decode import decode_html
from svodka.extract.metadata import PageMeta, read_metadata
from svodka.sanitize import html_to_text, sanitize_html
from svodka.types import ExtractedArticle

Favor = Literal["precision", "balanced", "recall"]

# Measured on the Scrapinghub benchmark (benchmarks/extraction_scrapinghub.py --favor ...):
# F1 0.964 precision, 0.961 balanced, 0.960 recall.
DEFAULT_FAVOR: Favor = "precision"
_NOT_HTML_MIME = re.compile(r"^\s*(image|audio|video|font|model)/|^\s*application/(pdf|zip|gzip)\b")
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"RIFF", b"OggS")
_MARKUP = re.compile(r"<\s*(html|head|body|div|p|article|main|section|span|title|meta|h[1-6]|table)\b", re.I)
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>")
_MIN_TEXT_CHARS = 40  # less than this is a menu or a caption, not an article
_LOGIN_WALL_MAX_CHARS = 600  # a password form with less text than this is a sign-in page
# trafilatura's time grows faster than linearly with the number of elements (20,000 <p>s take
# ~20 s). Real article pages have at most ~2,000 elements (Scrapinghub set: max 1,596), so
# bigger trees are cut: first non-content subtrees, then everything after this many elements.
_MAX_ELEMENTS = 12_000
_BULKY = ("script", "style", "noscript", "svg", "template", "iframe", "select", "canvas", "math")
_COUNT = lxml.etree.XPath("count(//*)")

# trafilatura logs every discarded page at WARNING; our ExtractError already says it. Only
# quieten it when the application has not configured that logger itself.
_LOG = logging.getLogger(__name__)
_TRAFILATURA_LOG = logging.getLogger("trafilatura")
if _TRAFILATURA_LOG.level == logging.NOTSET:
    _TRAFILATURA_LOG.setLevel(logging.ERROR)


def _to_text(data: bytes | str, content_type: str | None) -> str:
    if content_type and _NOT_HTML_MIME.match(content_type.lower()):
        raise ExtractError(f"the response is not a web page (content type {content_type.split(';')[0]})")
    if isinstance(data, bytes):
        if not data.strip():
            raise ExtractError("the page is empty")
        if data.lstrip()[:8].startswith(_BINARY_MAGIC):
            raise ExtractError("the response is a binary file (PDF, image or archive), not a web page")
        text = decode_html(data, content_type)
    else:
        text = data
    if not text.strip():
        raise ExtractError("the page is empty")
    head = text[:4096]
    if head.count("\x00") > 4 or not _MARKUP.search(text[:200_000]):
        raise ExtractError("the response is not HTML (no HTML markup found)")
    return text


def _respace_links(body: lxml.etree._Element) -> None:
    # In link mode trafilatura drops the space after a link ("<ref>link</ref>but"), which
    # glues words together on screen. A link followed directly by a letter is rare in prose.
    for ref in body.iter("ref"):
        tail, text = ref.tail, "".join(ref.itertext())
        if tail and text and tail[0].isalnum() and text[-1].isalnum():
            ref.tail = " " + tail


def _trim(tree: lxml.etree._Element) -> None:
    if _COUNT(tree) <= _MAX_ELEMENTS:
        return
    # JSON-LD was read already; the rest of these never hold article text.
    lxml.etree.strip_elements(tree, *_BULKY, with_tail=False)
    if _COUNT(tree) <= _MAX_ELEMENTS:
        return
    element = next(itertools.islice(tree.iter(), _MAX_ELEMENTS, None), None)
    if element is None or element.getparent() is None:
        return
    # Drop this element, everything after it, and everything after each of its ancestors.
    node = element
    while node is not None:
        parent = node.getparent()
        following = list(node.itersiblings())
        for sibling in following:
            sibling.getparent().remove(sibling)
        node = parent
    element.getparent().remove(element)


def _body_html(body: lxml.etree._Element) -> str:
    _respace_links(body)
    html_tree = convert_to_html(body)
    return lxml.etree.tostring(html_tree[0], encoding="unicode", method="html")


def _paragraphs_html(text: str) -> str:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\r\n\s*\r\n", text) if p.strip()]
    return "".join(f"<p>{_html.escape(p)}</p>" for p in paragraphs)


def _squash_ws(s: str) -> str:
    return " ".join(s.split()).casefold()


def _drop_leading_title(text: str, body_html: str, title: str) -> tuple[str, str]:
    """The extractor often keeps the page's headline as the body's first line (the <h1> beside
    the text); the page shows the headline already, so the body starts after it. Only an exact
    (whitespace- and case-insensitive) repeat is dropped, and only when text follows it."""
    first, sep, rest = text.partition("\n\n")
    if not sep or not rest.strip() or _squash_ws(first) != _squash_ws(title):
        return text, body_html
    for shown in dict.fromkeys((_html.escape(first, quote=False), first)):
        m = re.match(r"\s*(?:<(h[1-6]|p|div)\b[^>]*>\s*)?" + re.escape(shown) + r"\s*(?:</(h[1-6]|p|div)>)?", body_html)
        if m:
            return rest, body_html[m.end() :]
    return rest, body_html


def _article(text: str, body_html: str, meta: PageMeta) -> ExtractedArticle:
    return ExtractedArticle(
        text=unicodedata.normalize("NFC", text),
        html=body_html,
        title=meta.title,
        author=meta.author,
        published=meta.published,
        image=meta.image,
        canonical_url=meta.canonical_url,
        language=meta.language,
        description=meta.description,
        site_name=meta.site_name,
    )


def extract_article(
    html: bytes | str, url: str, *, content_type: str | None = None, favor: Favor = DEFAULT_FAVOR
) -> ExtractedArticle:
    """Extract the article on a page: body text and safe body HTML, plus title, author,
    publication time, lead image, canonical URL, declared language, description and site name.

    ``published`` is aware UTC, taken from JSON-LD (NewsArticle & co., also in ``@graph``),
    then meta tags (``article:published_time`` ...), ``itemprop=datePublished`` and
    ``<time datetime>``; a declaration with time and zone wins, a time without zone is read
    as UTC, and a day-only one gives midnight UTC.

    ``html`` may be the raw bytes (decoded by BOM, HTTP ``content_type`` charset, meta charset,
    or detection) or already-decoded text. ``url`` is the page's address, used to resolve
    relative links. Raises ExtractError, in plain words, when there is no article to extract.
    """
    text = _to_text(html, content_type)
    try:
        tree = load_html(text)
    except (ValueError, TypeError, lxml.etree.LxmlError) as exc:
        raise ExtractError(f"the page could not be parsed as HTML: {exc}") from exc
    if tree is None:
        raise ExtractError("the page could not be parsed as HTML")

    try:
        meta = read_metadata(tree, url)
    except Exception:  # declarations are a bonus; a page that breaks them still has a body
        _LOG.debug("metadata of %s could not be read", url, exc_info=True)
        meta = PageMeta(base_url=url)
    _trim(tree)
    try:
        document = trafilatura.bare_extraction(
            tree,
            url=url,
            favor_precision=favor == "precision",
            favor_recall=favor == "recall",
            include_comments=False,
            include_tables=True,
            # Links and emphasis make the body HTML richer; our text comes from that HTML, so
            # link targets do not leak into it. Images lower the text score, so they stay out.
            include_links=True,
            include_formatting=True,
            include_images=False,
            with_metadata=False,
            output_format="xml",
        )
    except RecursionError as exc:
        raise ExtractError("the page is nested too deeply to extract an article") from exc
    except Exception as exc:  # trafilatura on hostile markup: never let it escape as a crash
        raise ExtractError(f"article extraction failed on this page ({type(exc).__name__})") from exc

    body_html = ""
    body_text = ""
    if document is not None and document.body is not None:
        body_html = sanitize_html(_body_html(document.body), base_url=meta.base_url)
        body_html = _EMPTY_PARAGRAPH.sub("", body_html)
        body_text = html_to_text(body_html)
    if body_text and meta.title:
        body_text, body_html = _drop_leading_title(body_text, body_html, meta.title)
    if not body_text and meta.article_body:
        body_text = meta.article_body
        body_html = _paragraphs_html(meta.article_body)
    if meta.login_form and len(body_text) < _LOGIN_WALL_MAX_CHARS:
        raise ExtractError("the page asks to sign in before it shows the article (login wall)")
    if len(body_text.strip()) < _MIN_TEXT_CHARS:
        raise ExtractError("no article text was found on the page")
    return _article(body_text, body_html, meta)
