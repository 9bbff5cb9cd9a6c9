"""Business actions on sources and feeds. Views, the admin and the CLI call these."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify

from svodka.fetch import Fetcher, FetchPolicy
from svodka.opml import OpmlFeed, parse_opml, write_opml
from svodka.parse import discover_feeds
from svodka.urls import canonical_url

from .models import Article, Feed, FeedStatus, Source

# Transliteration for ASCII slugs of Cyrillic names (GOST-like, readable; no library does
# Russian+Ukrainian+Belarusian slugs the way readers expect in URLs).
_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "-",
            "y",
            "-",
            "e",
            "yu",
            "ya",
            "i",
            "yi",
            "ye",
            "g",
            "w",
        ],
        strict=True,
    )
)


def transliterate(text: str) -> str:
    out = []
    for ch in text.lower():
        t = _TRANSLIT.get(ch)
        out.append(ch if t is None else ("" if t == "-" else t))
    return "".join(out)


def unique_slug(name: str, fallback: str = "source") -> str:
    base = slugify(transliterate(name))[:100] or slugify(fallback)[:100] or "source"
    slug, n = base, 1
    while Source.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@dataclass(slots=True)
class ImportReport:
    sources_created: int = 0
    feeds_created: int = 0
    feeds_existing: int = 0
    skipped: list[str] | None = None


def import_feeds(feeds: Iterable[OpmlFeed]) -> ImportReport:
    """Create sources and feeds from OPML outlines; existing feed URLs are left as they are."""
    report = ImportReport(skipped=[])
    assert report.skipped is not None
    with transaction.atomic():
        for f in feeds:
            try:
                url = canonical_url(f.xml_url)
            except ValueError:
                report.skipped.append(f"{f.xml_url!r}: not an http(s) URL")
                continue
            if Feed.objects.filter(url=url).exists():
                report.feeds_existing += 1
                continue
            home = f.html_url or ""
            source = None
            if home:
                source = Source.objects.filter(home_url=home).first()
            if source is None:
                name = f.title or urlsplit(home or url).hostname or url
                source = Source.objects.create(
                    name=name[:300],
                    slug=unique_slug(name, urlsplit(url).hostname or "source"),
                    home_url=home[:2000],
                    country=(f.country or "")[:8],
                    language=(f.language or "")[:16],
                    topic=(f.extra.get("topic", "") if f.extra else "")[:100],
                )
                report.sources_created += 1
            Feed.objects.create(
                source=source,
                url=url,
                title=(f.title or "")[:500],
                next_fetch_at=timezone.now(),
                interval_s=settings.SVODKA_DEFAULT_INTERVAL,
            )
            report.feeds_created += 1
    return report


def import_opml(data: bytes) -> ImportReport:
    return import_feeds(parse_opml(data))


def export_opml(title: str = "svodka sources") -> bytes:
    feeds = Feed.objects.select_related("source").order_by("source__name", "url")
    return write_opml(
        (
            OpmlFeed(
                xml_url=f.url,
                html_url=f.source.home_url or None,
                title=f.source.name,
                language=f.source.language or None,
                country=f.source.country or None,
                category=f.source.topic or None,
                extra={},
            )
            for f in feeds
        ),
        title=title,
    )


def add_source_from_url(url: str, *, policy: FetchPolicy, name: str | None = None) -> list[Feed]:
    """Add the feed at ``url``; when ``url`` is a home page, add the feeds it advertises."""

    async def probe() -> tuple[bytes | None, str, str, str | None]:
        async with Fetcher(policy) as fetcher:
            r = await fetcher.fetch(url)
            return r.body, r.content_type, r.final_url, r.error

    body, ctype, final, error = asyncio.run(probe())
    if body is None:
        raise ValueError(f"could not fetch {url}: {error}")
    candidates: list[tuple[str, str]] = []
    if "html" in ctype.lower() or re.search(rb"<html", body[:2048], re.I):
        for d in discover_feeds(body, final):
            candidates.append((d.url, d.title or ""))
        if not candidates:
            raise ValueError(f"{url} is a web page that advertises no feed (<link rel=alternate>)")
    else:
        candidates.append((final, ""))
    feeds = [
        OpmlFeed(
            xml_url=u,
            html_url=final if "html" in ctype.lower() else None,
            title=name or t,
            language=None,
            country=None,
            category=None,
            extra={},
        )
        for u, t in candidates
    ]
    import_feeds(feeds)
    return list(Feed.objects.filter(url__in=[canonical_url(u) for u, _ in candidates]))


def health_counts() -> dict[str, int]:
    agg = Feed.objects.aggregate(
        feeds=Count("id"),
        feeds_failing=Count("id", filter=Q(status__in=[FeedStatus.ERROR, FeedStatus.GONE])),
    )
    return {
        "articles": Article.objects.count(),
        "sources": Source.objects.count(),
        "feeds": agg["feeds"],
        "feeds_failing": agg["feeds_failing"],
    }
