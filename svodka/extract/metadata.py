"""What a page declares about itself: JSON-LD, Open Graph / meta tags, links, ``<time>``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

from lxml.etree import XPath
from lxml.html import HtmlElement

from svodka.extract.dates import best_published
from svodka.urls import canonical_url

_ARTICLE_TYPES = frozenset(
    {
        "Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
        "BackgroundNewsArticle", "ReviewNewsArticle", "AskPublicNewsArticle", "SatiricalArticle",
        "BlogPosting", "LiveBlogPosting", "SocialMediaPosting", "Report", "ScholarlyArticle",
        "TechArticle", "AdvertiserContentArticle", "DiscussionForumPosting",
    }
)  # fmt: skip
_PAGE_TYPES = frozenset({"WebPage", "ItemPage", "CollectionPage"})
_MAX_JSONLD_NODES = 5000
_MAX_JSONLD_CHARS = 2_000_000
_PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "og:published_time", "datepublished",
    "article.published", "publish-date", "publish_date", "publishdate", "pubdate", "published_time",
    "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued", "dcterms.created",
    "dc.date.created", "dc.date", "date", "mediator_published_time", "cxenseparse:recs:publishtime",
)  # fmt: skip
_ITEMPROP_PUBLISHED = XPath("//*[contains(concat(' ', normalize-space(@itemprop), ' '), ' datePublished ')]")
_SPACES = re.compile(r"\s+")
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_URLISH = re.compile(r"^(?:https?:)?//|^www\.", re.IGNORECASE)


@dataclass(slots=True)
class PageMeta:
    title: str = ""
    author: str = ""
    published: datetime | None = None
    image: str | None = None
    canonical_url: str | None = None
    language: str | None = None
    description: str = ""
    site_name: str = ""
    article_body: str = ""  # JSON-LD articleBody, a fallback when the HTML holds no text
    base_url: str = ""  # what relative links on the page resolve against
    login_form: bool = False  # a password field is present


def _clean(value: Any) -> str:
    return _SPACES.sub(" ", value).strip() if isinstance(value, str) else ""


def _type_names(node: dict[str, Any]) -> set[str]:
    raw = node.get("@type")
    names = raw if isinstance(raw, list) else [raw]
    # "schema:NewsArticle" and "http://schema.org/NewsArticle" name the same type
    return {re.split(r"[/:#]", n)[-1] for n in names if isinstance(n, str)}


def _jsonld_nodes(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    """Every JSON object in the page's JSON-LD blocks, in document order, breadth first."""
    budget = _MAX_JSONLD_NODES
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        text = (script.text or "").strip()
        if not text or len(text) > _MAX_JSONLD_CHARS:
            continue
        text = text.removeprefix("<!--").removesuffix("-->").strip()
        text = text.removeprefix("<![CDATA[").removesuffix("]]>").strip().rstrip(";")
        try:
            data = json.loads(text, strict=False)
        except (ValueError, RecursionError):
            continue
        queue: list[Any] = [data]
        while queue and budget > 0:
            item = queue.pop(0)
            budget -= 1
            if isinstance(item, list):
                queue.extend(item)
            elif isinstance(item, dict):
                yield item
                queue.extend(v for k, v in item.items() if k in ("@graph", "mainEntity", "itemListElement"))


def _names(value: Any) -> list[str]:
    """Person/Organization names from a JSON-LD author-like value."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items[:20]:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, list):
            name = next((n for n in name if isinstance(n, str)), "")
        name = _clean(name)
        if name and not _URLISH.match(name) and name not in names:
            names.append(name)
    return names


def _image_url(value: Any) -> str | None:
    for _ in range(5):  # ImageObject -> url, lists -> first; bounded
        if isinstance(value, list):
            value = value[0] if value else None
        elif isinstance(value, dict):
            value = value.get("url") or value.get("contentUrl")
        else:
            break
    return value if isinstance(value, str) and value.strip() else None


def _language(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().split(",")[0].strip().replace("_", "-")
    if not _LANG.match(value):
        return None
    primary, *rest = value.split("-")
    return "-".join([primary.lower(), *(p.upper() if len(p) == 2 else p for p in rest)])


def _absolute(value: str | None, base: str) -> str | None:
    if not value:
        return None
    try:
        return canonical_url(value, base=base)
    except ValueError:
        return None


def read_metadata(tree: HtmlElement, url: str) -> PageMeta:
    meta = PageMeta()
    base = url
    base_el = next(iter(tree.iter("base")), None)
    if base_el is not None and base_el.get("href"):
        try:
            base = urljoin(url, base_el.get("href").strip())
        except ValueError:  # e.g. a broken IPv6 literal
            base = url
    meta.base_url = base

    tags: dict[str, str] = {}
    for el in tree.iter("meta"):
        content = el.get("content")
        if content is None:
            content = el.get("datetime") or ""
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (el.get(attr) or "").strip().lower()
            if key and content.strip() and key not in tags:
                tags[key] = content.strip()

    canonical_href = None
    image_src = None
    for el in tree.iter("link"):
        rel = (el.get("rel") or "").lower().split()
        if "canonical" in rel and canonical_href is None:
            canonical_href = el.get("href")
        elif "image_src" in rel and image_src is None:
            image_src = el.get("href")

    article: dict[str, Any] = {}
    page: dict[str, Any] = {}
    for node in _jsonld_nodes(tree):
        types = _type_names(node)
        if not article and types & _ARTICLE_TYPES:
            article = node
        elif not page and types & _PAGE_TYPES:
            page = node
        if article and page:
            break

    # --- time -----------------------------------------------------------------------------
    candidates: list[str] = []
    for node in (article, page):
        for key in ("datePublished", "dateCreated", "uploadDate"):
            if isinstance(node.get(key), str):
                candidates.append(node[key])
    candidates.extend(tags[k] for k in _PUBLISHED_META if k in tags)
    for el in _ITEMPROP_PUBLISHED(tree):
        if el.tag != "meta":
            candidates.append(el.get("datetime") or el.get("content") or el.text_content())
    times = [el for el in tree.iter("time") if el.get("datetime")]
    times.sort(key=lambda el: el.get("pubdate") is None)  # <time pubdate> first, order kept
    candidates.extend(el.get("datetime") for el in times[:5])
    meta.published = best_published(candidates)

    # --- other fields ---------------------------------------------------------------------
    title_el = next(iter(tree.iter("title")), None)
    h1 = next(iter(tree.iter("h1")), None)
    meta.title = next(
        filter(
            None,
            (
                _clean(article.get("headline")),
                _clean(tags.get("og:title")),
                _clean(tags.get("twitter:title")),
                _clean(h1.text_content()) if h1 is not None else "",
                _clean(title_el.text_content()) if title_el is not None else "",
            ),
        ),
        "",
    )
    authors = _names(article.get("author")) or _names(article.get("creator"))
    if not authors:
        authors = _names([tags.get("author", ""), tags.get("article:author", ""), tags.get("byl", "")])
    meta.author = ", ".join(authors[:5])
    meta.description = next(
        filter(
            None,
            (
                _clean(tags.get("og:description")),
                _clean(tags.get("description")),
                _clean(tags.get("twitter:description")),
                _clean(article.get("description")),
            ),
        ),
        "",
    )
    publisher = _names(article.get("publisher"))
    meta.site_name = next(
        filter(
            None,
            (
                _clean(tags.get("og:site_name")),
                publisher[0] if publisher else "",
                _clean(tags.get("application-name")),
            ),
        ),
        "",
    )
    for candidate in (
        tags.get("og:image"),
        tags.get("og:image:url"),
        tags.get("og:image:secure_url"),
        tags.get("twitter:image"),
        tags.get("twitter:image:src"),
        _image_url(article.get("image")),
        _image_url(article.get("thumbnailUrl")),
        image_src,
    ):
        if found := _absolute(candidate, base):
            meta.image = found
            break
    meta.canonical_url = _absolute(canonical_href, base) or _absolute(tags.get("og:url"), base)
    in_language = article.get("inLanguage")
    meta.language = next(
        filter(
            None,
            (
                _language(tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")),
                _language(tags.get("content-language")),
                _language(in_language if isinstance(in_language, str) else None),
                _language(tags.get("og:locale")),
            ),
        ),
        None,
    )
    body = article.get("articleBody")
    meta.article_body = body.strip() if isinstance(body, str) else ""
    meta.login_form = any((el.get("type") or "").lower() == "password" for el in tree.iter("input"))
    return meta
