"""Every article listing (front page, source, source-day, archive day/hour/minute) is one
``Listing``; the same object renders as an HTML page, RSS 2.0, Atom 1.0 and JSON, so that
everything a reader can reach by URL can also be subscribed to."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib.syndication.views import Feed as SyndicationFeed
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from .models import Article

PAGE = 100
FEED_ITEMS = 50


@dataclass
class Listing:
    title: str
    path: str  # the HTML page's path; feeds live at path + rss.xml / atom.xml / feed.json
    queryset: QuerySet[Article]
    description: str = ""
    template: str = "news/listing.html"
    context: dict[str, Any] = field(default_factory=dict)


def articles_qs() -> QuerySet[Article]:
    return Article.objects.select_related("source").defer("content", "text", "summary")


def article_json(a: Article, request: HttpRequest) -> dict[str, Any]:
    return {
        "id": a.pk,
        "title": a.title,
        "url": a.url,
        "page": request.build_absolute_uri(a.get_absolute_url()),
        "published": a.published_at.isoformat(),
        "first_seen": a.first_seen_at.isoformat(),
        "source": {"name": a.source.name, "slug": a.source.slug, "country": a.source.country},
        "language": a.language,
        "image": a.image or None,
    }


def _json_feed_item(a: Article, request: HttpRequest) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": str(a.pk),
        "url": request.build_absolute_uri(a.get_absolute_url()),
        "title": a.title,
        "content_text": a.title,  # the texts are deferred in listings; the page has them
        "date_published": a.published_at.isoformat(),
        "authors": [{"name": a.author or a.source.name}],
        "language": a.language or None,
    }
    if a.url:
        item["external_url"] = a.url
    if a.image:
        item["image"] = a.image
    return {k: v for k, v in item.items() if v is not None}


class _ListingFeed(SyndicationFeed):
    def __init__(self, listing: Listing, feed_type: type) -> None:
        super().__init__()
        self.listing = listing
        self.feed_type = feed_type

    def title(self) -> str:
        return self.listing.title

    def link(self) -> str:
        return self.listing.path

    def description(self) -> str:
        return self.listing.description or self.listing.title

    def items(self) -> list[Article]:
        return list(
            self.listing.queryset.select_related("source").only(
                "id", "title", "summary", "url", "published_at", "author", "source__name", "source__home_url"
            )[:FEED_ITEMS]
        )

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Article) -> str:
        return item.url or item.get_absolute_url()

    def item_guid_is_permalink(self, item: Article) -> bool:
        return bool(item.url)

    def item_pubdate(self, item: Article):  # type: ignore[no-untyped-def]
        return item.published_at

    def item_updateddate(self, item: Article):  # type: ignore[no-untyped-def]
        return item.published_at  # Atom requires <updated> on every entry (RFC 4287 §4.1.2)

    def item_author_name(self, item: Article) -> str:
        return item.author or item.source.name


def render_listing(request: HttpRequest, listing: Listing, fmt: str = "html") -> HttpResponse:
    if fmt == "rss":
        return _ListingFeed(listing, Rss201rev2Feed)(request)
    if fmt == "atom":
        return _ListingFeed(listing, Atom1Feed)(request)
    if fmt == "json":
        items = list(listing.queryset[:PAGE])
        home = request.build_absolute_uri(listing.path)
        return JsonResponse(
            {
                # JSON Feed 1.1 (https://jsonfeed.org/version/1.1), which the pages advertise …
                "version": "https://jsonfeed.org/version/1.1",
                "title": listing.title,
                "home_page_url": home,
                "feed_url": request.build_absolute_uri(),
                "items": [_json_feed_item(a, request) for a in items],
                # … and svodka's own fields, as documented in README
                "link": home,
                "count": len(items),
                "articles": [article_json(a, request) for a in items],
            },
            content_type="application/feed+json",
            json_dumps_params={"ensure_ascii": False},
        )
    qs = listing.queryset
    cursor = _parse_cursor(request.GET.get("before", ""))
    if cursor is not None:
        ts, pk = cursor
        qs = qs.filter(Q(published_at__lt=ts) | Q(published_at=ts, id__lt=pk))
    page = list(qs[: PAGE + 1])
    more = len(page) > PAGE
    page = page[:PAGE]
    ctx = {
        "listing": listing,
        "articles": page,
        "next_before": _cursor(page[-1]) if more and page else None,
        "feed_base": listing.path,
        **listing.context,
    }
    return render(request, listing.template, ctx)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)


def _cursor(a: Article) -> str:
    """Keyset pagination cursor: (published_at, id) — stable while new articles arrive."""
    return f"{(a.published_at - _EPOCH) // _MICRO}.{a.pk}"


def _parse_cursor(raw: str) -> tuple[datetime, int] | None:
    try:
        micros, pk = raw.split(".", 1)
        return _EPOCH + timedelta(microseconds=int(micros)), int(pk)
    except (ValueError, OverflowError, OSError):
        return None
