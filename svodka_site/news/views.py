"""Thin views: query, hand to a template or a Listing. No business logic here."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.db.models.functions import TruncDate
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt

from svodka.fetch.websub import verify_intent, verify_signature
from svodka.understand.lang import language_name

from . import actions
from .listings import Listing, article_json, articles_qs, render_listing
from .models import Article, ArticlePlace, Feed, FeedStatus, FetchLog, Place, PlaceKind, Section, Source
from .places import breadcrumbs
from .places import choices as place_choices
from .places import ensure as ensure_place
from .places import resolve as resolve_place
from .sections import ensure_sections
from .story_views import top_block


def _fmt(kwargs: dict[str, Any]) -> str:
    return kwargs.pop("fmt", "html")


def _local_day_bounds(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime(day.year, day.month, day.day, tzinfo=tz)
    return start, start + timedelta(days=1)


def _newest(source: Source | None = None) -> datetime:
    """The newest article's time (an index lookup), so day lists cover a bounded, recent range."""
    qs = Article.objects.filter(source=source) if source is not None else Article.objects.all()
    return qs.aggregate(m=Max("published_at"))["m"] or timezone.now()


def _parse_day(raw: str) -> date:
    try:
        d = date.fromisoformat(raw)
    except ValueError as exc:
        raise Http404(_("No such day: %(day)s") % {"day": raw}) from exc
    if not date.min < d < date.max:  # the day's bounds (and the pages beside it) must exist
        raise Http404(_("No such day: %(day)s") % {"day": raw})
    if d > (timezone.now() + timedelta(hours=14)).date():  # not begun anywhere yet (UTC+14 is first)
        raise Http404(_("No such day yet: %(day)s") % {"day": raw})
    return d


def _prev_day(d: date, articles: QuerySet[Article]) -> date | None:
    """The last day before ``d`` that has articles (no links into an endless empty past)."""
    start, _end = _local_day_bounds(d)
    last = (
        articles.filter(published_at__lt=start)
        .order_by("-published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return None if last is None else timezone.localtime(last).date()


def _next_day(d: date) -> date | None:
    """The day after ``d`` when it has begun (no links into an endless empty future)."""
    return d + timedelta(days=1) if d < timezone.localdate() else None


# --- pages ---------------------------------------------------------------------------
@cache_control(max_age=10)
def front(request: HttpRequest, **kw: Any) -> HttpResponse:
    ensure_sections()
    city_place = reader_city(request)
    city_news = []
    if city_place is not None:
        city_news = list(
            articles_qs().filter(
                id__in=ArticlePlace.objects.filter(place_id__in=_place_ids(city_place)).values("article_id")
            )[:8]
        )
    listing = Listing(
        title=_("Latest news, minute by minute"),
        path=reverse("front"),
        queryset=articles_qs(),
        template="news/front.html",
        context={
            "city": city_place,
            "city_name": city_place.name(get_language() or "ru") if city_place is not None else "",
            "city_news": city_news,
            "categories": CATEGORY_NAMES,
            "sections": Section.objects.filter(enabled=True),
            "top_stories": top_block(),
            "editions": [(code, language_name(code, get_language() or "ru")) for code in EDITIONS],
        },
    )
    return render_listing(request, listing, _fmt(kw))


def article(request: HttpRequest, pk: int) -> HttpResponse:
    a = get_object_or_404(Article.objects.select_related("source"), pk=pk)
    provs = a.provenances.select_related("feed", "feed__source").order_by("seen_at")
    original = a.duplicate_of
    group_root = original or a
    copies = Article.objects.filter(duplicate_of=group_root).exclude(pk=a.pk).select_related("source")[:50]
    places = ArticlePlace.objects.filter(article=a).select_related("place").order_by("-confidence")
    lang_name = language_name(a.language, get_language() or "ru") if a.language else ""
    return render(
        request,
        "news/article.html",
        {
            "article": a,
            "provenances": provs,
            "original": original,
            "copies": copies,
            "places": places,
            "lang_name": lang_name,
            "category_name": (
                _(CATEGORY_NAMES[a.category])
                if a.category in CATEGORY_NAMES
                else _("Not news")
                if a.category == "not_news"
                else ""
            ),
            "category_page": a.category in CATEGORY_NAMES,
        },
    )


def sources(request: HttpRequest) -> HttpResponse:
    qs = (
        Source.objects.annotate(n_feeds=Count("feeds", distinct=True))
        .prefetch_related("feeds")
        .order_by("name")
    )
    failing = Feed.objects.filter(status__in=[FeedStatus.ERROR, FeedStatus.GONE]).select_related("source")
    return render(request, "news/sources.html", {"sources": qs, "failing": failing[:200]})


def source(request: HttpRequest, slug: str, **kw: Any) -> HttpResponse:
    src = get_object_or_404(Source, slug=slug)
    feeds = list(src.feeds.all())
    for f in feeds:
        f.recent = list(FetchLog.objects.filter(feed=f)[:10])  # type: ignore[attr-defined]
    days = (
        # a bounded range: the (source, published_at) index answers it without scanning the archive
        Article.objects.filter(source=src, published_at__gte=_newest(src) - timedelta(days=61))
        .annotate(day=TruncDate("published_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("-day")[:60]
    )
    listing = Listing(
        title=src.name,
        path=reverse("source", args=[slug]),
        queryset=articles_qs().filter(source=src),
        template="news/source.html",
        context={"source": src, "feeds": feeds, "days": days},
    )
    return render_listing(request, listing, _fmt(kw))


def source_day(request: HttpRequest, slug: str, day: str, **kw: Any) -> HttpResponse:
    src = get_object_or_404(Source, slug=slug)
    d = _parse_day(day)
    start, end = _local_day_bounds(d)
    listing = Listing(
        title=_("%(source)s on %(day)s") % {"source": src.name, "day": d.isoformat()},
        path=reverse("source_day", args=[slug, d.isoformat()]),
        queryset=articles_qs().filter(source=src, published_at__gte=start, published_at__lt=end),
        template="news/archive.html",
        context={
            "source": src,
            "day": d,
            "prev_day": _prev_day(d, Article.objects.filter(source=src)),
            "next_day": _next_day(d),
        },
    )
    return render_listing(request, listing, _fmt(kw))


def archive_index(request: HttpRequest) -> HttpResponse:
    tz = timezone.get_current_timezone()
    days = (
        Article.objects.filter(published_at__gte=_newest() - timedelta(days=121))
        .annotate(day=TruncDate("published_at", tzinfo=tz))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("-day")[:120]
    )
    return render(request, "news/archive_index.html", {"days": days})


def archive(
    request: HttpRequest, day: str, hour: str | None = None, minute: str | None = None, **kw: Any
) -> HttpResponse:
    d = _parse_day(day)
    start, end = _local_day_bounds(d)
    label = d.isoformat()
    hours: list[dict[str, Any]] = []
    if hour is not None:
        h = int(hour)
        if not 0 <= h <= 23:
            raise Http404(_("No such hour"))
        start = start + timedelta(hours=h)
        end = start + timedelta(hours=1)
        label = f"{d.isoformat()} {h:02d}:00–{h:02d}:59"
        if minute is not None:
            m = int(minute)
            if not 0 <= m <= 59:
                raise Http404(_("No such minute"))
            start = start + timedelta(minutes=m)
            end = start + timedelta(minutes=1)
            label = f"{d.isoformat()} {h:02d}:{m:02d}"
    else:
        tz = timezone.get_current_timezone()
        counts = {h: 0 for h in range(24)}
        for ts in Article.objects.filter(published_at__gte=start, published_at__lt=end).values_list(
            "published_at", flat=True
        ):
            counts[ts.astimezone(tz).hour] += 1
        peak = max(counts.values()) or 1
        hours = [{"hour": h, "n": n, "pct": round(100 * n / peak)} for h, n in counts.items()]
    path = request.path
    for suffix in ("rss.xml", "atom.xml", "feed.json"):
        if path.endswith(suffix):
            path = path[: -len(suffix)]
    listing = Listing(
        title=_("Archive: %(when)s") % {"when": label},
        path=path,
        queryset=articles_qs().filter(published_at__gte=start, published_at__lt=end),
        template="news/archive.html",
        context={
            "day": d,
            "hour": int(hour) if hour is not None else None,
            "minute": int(minute) if minute is not None else None,
            "hours": hours,
            "label": label,
            "prev_day": _prev_day(d, Article.objects.all()),
            "next_day": _next_day(d),
        },
    )
    return render_listing(request, listing, _fmt(kw))


# --- machine endpoints -----------------------------------------------------------------
ROBOTS_TXT = """User-agent: *
Disallow: /admin/
Disallow: /api/
Disallow: /tg/
Disallow: /search
Disallow: /my-city/
Disallow: /i18n/
"""


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers: the listings and articles, not the endless search and API spaces."""
    return HttpResponse(ROBOTS_TXT, content_type="text/plain; charset=utf-8")


def healthz(request: HttpRequest) -> JsonResponse:
    counts = actions.health_counts()
    return JsonResponse({"status": "ok", **counts})


def api_articles(request: HttpRequest) -> JsonResponse:
    """Newest articles; ``after=<id>`` returns only those stored after it (live updates)."""
    qs = articles_qs()
    after = request.GET.get("after", "")
    raw = request.GET.get("limit", "50")
    if not (raw.isascii() and raw.isdigit() and 1 <= int(raw[:4]) <= 200 and len(raw) <= 3):
        return JsonResponse({"error": "limit must be a whole number from 1 to 200"}, status=400)
    limit = int(raw)
    if after:
        if not after.isdigit():
            return JsonResponse({"error": "after must be an article id"}, status=400)
        qs = Article.objects.select_related("source").filter(id__gt=int(after)).order_by("-id")
    items = list(qs[:limit])
    return JsonResponse(
        {
            "articles": [article_json(a, request) for a in items],
            "latest_id": Article.objects.aggregate(m=Max("id"))["m"] or 0,
        },
        json_dumps_params={"ensure_ascii": False},
    )


def feed_json(f: Feed) -> dict[str, Any]:
    return {
        "id": f.pk,
        "url": f.url,
        "source": f.source.name,
        "source_slug": f.source.slug,
        "kind": f.kind,
        "status": f.status,
        "http_status": f.http_status,
        "error_code": f.error_code or None,
        "error": f.error or None,
        "items": f.items_total,
        "last_attempt": f.last_attempt_at.isoformat() if f.last_attempt_at else None,
        "last_success": f.last_success_at.isoformat() if f.last_success_at else None,
        "next_fetch": f.next_fetch_at.isoformat() if f.next_fetch_at else None,
        "schedule": f.schedule_note,
    }


def api_sources(request: HttpRequest) -> JsonResponse:
    feeds = Feed.objects.select_related("source").order_by("source__name", "url")
    return JsonResponse([feed_json(f) for f in feeds], safe=False, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
def websub_callback(request: HttpRequest, feed_id: int) -> HttpResponse:
    """WebSub subscriber endpoint: verification of intent (GET) and content distribution (POST)."""
    feed = get_object_or_404(Feed, pk=feed_id)
    if request.method == "GET":
        challenge = verify_intent(request.GET, feed.websub_topic or feed.url)
        if challenge is None:
            return HttpResponse("unknown topic", status=404, content_type="text/plain")
        mode = request.GET.get("hub.mode", "")
        if mode == "subscribe":
            lease = request.GET.get("hub.lease_seconds", "")
            feed.websub_state = "subscribed"
            if lease.isdigit():
                feed.websub_expires_at = timezone.now() + timedelta(seconds=int(lease))
            feed.save(update_fields=["websub_state", "websub_expires_at"])
        return HttpResponse(challenge, content_type="text/plain")
    if request.method != "POST":
        return HttpResponse(status=405)
    body = request.body
    if feed.websub_secret and not verify_signature(
        body, request.headers.get("X-Hub-Signature"), feed.websub_secret
    ):
        # Per the spec: acknowledge, but ignore content whose signature does not match.
        return HttpResponse(status=202)
    from .ingest import ingest_push

    ingest_push(feed, body, request.content_type or "")
    return HttpResponse(status=202)


def archive_feed(
    request: HttpRequest, day: str, suffix: str, hour: str | None = None, minute: str | None = None
) -> HttpResponse:
    fmt = {"rss.xml": "rss", "atom.xml": "atom", "feed.json": "json"}[suffix]
    return archive(request, day, hour, minute, fmt=fmt)


# --- understanding: categories, sections, places ------------------------------------------
CATEGORY_NAMES = {
    "society": gettext_noop("Society"),
    "economy": gettext_noop("Economy"),
    "technology": gettext_noop("Technology"),
    "sports": gettext_noop("Sports"),
    "entertainment": gettext_noop("Entertainment"),
    "science": gettext_noop("Science"),
    "other": gettext_noop("Other"),
}


def category(request: HttpRequest, name: str, **kw: Any) -> HttpResponse:
    if name not in CATEGORY_NAMES:
        raise Http404(_("No such category"))
    listing = Listing(
        title=_(CATEGORY_NAMES[name]),
        path=reverse("category", args=[name]),
        queryset=articles_qs().filter(category=name),
        context={"top_stories": top_block(Article.objects.filter(category=name))},
    )
    return render_listing(request, listing, _fmt(kw))


EDITIONS = ("ru", "uk", "be", "en")  # the language editions linked from the front page


def language_edition(request: HttpRequest, code: str, **kw: Any) -> HttpResponse:
    """Everything in one language (the language edition): its newest articles and its top stories."""
    code = code.lower()
    # a code must name a language (not a table lookup: an unknown code must not cost a scan)
    if not re.fullmatch(r"[a-z]{2,3}", code) or language_name(code, "en") == code:
        raise Http404(_("No articles in this language"))
    listing = Listing(
        title=language_name(code, get_language() or "ru"),
        path=reverse("language", args=[code]),
        queryset=articles_qs().filter(language=code),
        context={"top_stories": top_block(Article.objects.filter(language=code))},
    )
    return render_listing(request, listing, _fmt(kw))


def section(request: HttpRequest, slug: str, **kw: Any) -> HttpResponse:
    if not Section.objects.filter(slug=slug, enabled=True).exists():
        ensure_sections()  # a section of SVODKA_SECTIONS this process has not written yet
    sec = get_object_or_404(Section, slug=slug, enabled=True)
    listing = Listing(
        title=sec.name(get_language() or "ru"),
        path=reverse("section", args=[slug]),
        queryset=articles_qs().filter(sections=sec),
        context={"top_stories": top_block(Article.objects.filter(sections=sec))},
    )
    return render_listing(request, listing, _fmt(kw))


def _place_ids(place: Place, *, wider: bool = False) -> list[int]:
    """The place and what lies in it: a region's cities, a country's places."""
    if place.kind == PlaceKind.REGION or (wider and place.region_id):
        region_id = place.pk if place.kind == PlaceKind.REGION else place.region_id
        return [region_id, *Place.objects.filter(region_id=region_id).values_list("id", flat=True)]
    if place.kind == PlaceKind.COUNTRY:
        return [place.pk, *Place.objects.filter(country=place.country).values_list("id", flat=True)]
    return [place.pk]


def _place_redirect(request: HttpRequest, found: Place | None, name: str, fmt: str) -> HttpResponse:
    """/city/москва/, /city/Moscow/, /city/moskva/, /country/россия/ → 301 to the canonical
    URL of the most prominent place of that name (of that kind when there is one)."""
    if found is None:
        raise Http404(_("No place called “%(name)s” is known.") % {"name": name[:100]})
    url = found.get_absolute_url()
    if fmt != "html":
        url += {"rss": "rss.xml", "atom": "atom.xml", "json": "feed.json"}[fmt]
    if request.META.get("QUERY_STRING"):
        url += "?" + request.META["QUERY_STRING"]
    return HttpResponsePermanentRedirect(url)


def _place_listing(request: HttpRequest, kind: str, slug: str, fmt: str) -> HttpResponse:
    place = Place.objects.filter(kind=kind, slug=slug).first()
    if place is None:
        found = resolve_place(slug, kind, lang=get_language() or "ru")
        if found is None or found.kind != kind or found.slug != slug:
            return _place_redirect(request, found, slug, fmt)
        place = found  # a gazetteer place shown for the first time: its row was just made
    lang = get_language() or "ru"
    wider = bool(request.GET.get("region") == "1" and kind == PlaceKind.CITY and place.region_id)
    ids = _place_ids(place, wider=wider)
    qs = articles_qs().filter(id__in=ArticlePlace.objects.filter(place_id__in=ids).values("article_id"))
    listing = Listing(
        title=place.name(lang),
        path=request.path if fmt == "html" else reverse(kind, args=[slug]),
        queryset=qs,
        template="news/place.html",
        context={
            "place": place,
            "wider": wider,
            "crumbs": breadcrumbs(place, lang) if fmt == "html" else [],
            "children": Place.objects.filter(region=place)[:80] if kind == PlaceKind.REGION else [],
            "top_stories": top_block(
                Article.objects.filter(
                    id__in=ArticlePlace.objects.filter(place_id__in=ids).values("article_id")
                )
            ),
        },
    )
    return render_listing(request, listing, fmt)


def city(request: HttpRequest, slug: str, **kw: Any) -> HttpResponse:
    return _place_listing(request, PlaceKind.CITY, slug, _fmt(kw))


def region(request: HttpRequest, slug: str, **kw: Any) -> HttpResponse:
    return _place_listing(request, PlaceKind.REGION, slug, _fmt(kw))


def country(request: HttpRequest, slug: str, **kw: Any) -> HttpResponse:
    return _place_listing(request, PlaceKind.COUNTRY, slug, _fmt(kw))


def places_index(request: HttpRequest) -> HttpResponse:
    top = Place.objects.annotate(n=Count("articleplace")).filter(n__gt=0).order_by("-n")[:200]
    return render(request, "news/places.html", {"places": top})


CITY_COOKIE = "city"  # a city's slug, or "region:<slug>" for a region


def choose_city(request: HttpRequest) -> HttpResponse:
    """Remember the reader's city (or region) in a cookie (no IP lookup service is reachable
    here). ``city``: a name as the reader writes it; one place → remembered, several (Texas,
    Брест, Москва) → a list to pick from, most prominent first. ``place``: the id of the one
    picked from that list."""
    from svodka.understand.geo import gazetteer

    lang = get_language() or "ru"
    q = (request.POST.get("city") or request.GET.get("city") or "").strip()[:100]
    picked = (request.POST.get("place") or "").strip()
    nxt = request.POST.get("next") or request.GET.get("next") or "/"
    if not nxt.startswith("/") or nxt.startswith("//"):
        nxt = "/"
    resp = HttpResponseRedirect(nxt)
    found: Place | None = None
    if request.method != "POST":
        # A GET changes nothing (a link from another site must not set or clear the reader's
        # city): it offers the places of that name, each remembered by a POST.
        if not q:
            return HttpResponseRedirect(reverse("places"))
        options = place_choices(q, lang=lang)
        status = 200 if options else 404
        ctx = (
            {"places": [], "asked": q, "choices": options, "next": nxt}
            if options
            else {"places": [], "not_found": q}
        )
        return render(request, "news/places.html", ctx, status=status)
    if picked:
        p = (
            gazetteer().get(int(picked))
            if picked.isascii() and picked.isdigit() and len(picked) < 12
            else None
        )
        if p is None or p.kind not in ("city", "region"):
            return HttpResponseBadRequest(_("Pick a city from the list."))
        found = ensure_place(p)
    elif not q:
        resp.delete_cookie(CITY_COOKIE)
        return resp
    else:
        options = place_choices(q, lang=lang)
        if not options:
            return render(request, "news/places.html", {"places": [], "not_found": q}, status=404)
        if len(options) > 1:
            return render(
                request, "news/places.html", {"places": [], "asked": q, "choices": options, "next": nxt}
            )
        found = ensure_place(gazetteer().get(options[0].id))  # type: ignore[arg-type]
    if found is None:
        return render(request, "news/places.html", {"places": [], "not_found": q}, status=404)
    value = found.slug if found.kind == PlaceKind.CITY else f"{found.kind}:{found.slug}"
    resp.set_cookie(CITY_COOKIE, value, max_age=365 * 86400, samesite="Lax")
    return resp


def reader_city(request: HttpRequest) -> Place | None:
    """The reader's city (or region) from the cookie."""
    raw = request.COOKIES.get(CITY_COOKIE, "")
    kind, _sep, slug = raw.rpartition(":")
    kind = kind or PlaceKind.CITY
    if not slug or kind not in (PlaceKind.CITY, PlaceKind.REGION):
        return None
    return Place.objects.filter(kind=kind, slug=slug).first()
