"""Search: the page ``/search/?q=…`` (a plain GET form), its RSS/Atom/JSON feeds, the JSON
API ``/api/search`` and the API's OpenAPI document.

Every bad input is answered in plain words with a 4xx: an empty or overlong query, a query
with nothing to look for, an unknown outlet, category, section or place, a malformed date.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from svodka.search import (
    MAX_QUERY_CHARS,
    QueryError,
    SearchFilters,
    SearchRequest,
    SearchResults,
    SearchUnavailable,
)

from .listings import FEED_ITEMS, Listing, articles_qs, render_listing
from .models import Place, Section, Source
from .places import candidates as place_candidates
from .search import get_backend
from .views import CATEGORY_NAMES

PAGE_SIZE = 20
MAX_PAGE = 500
SORTS = ("relevance", "time")
PARAMS = ("q", "lang", "from", "to", "source", "category", "section", "place", "sort", "group")
_LANG = re.compile(r"^[a-z]{2,3}$")


@dataclass
class Parsed:
    request: SearchRequest
    page: int
    form: dict[str, str] = field(default_factory=dict)  # the values to put back in the form


def _values(params: Mapping[str, Any], name: str) -> list[str]:
    """Repeated parameters and comma-separated values both work (``lang=ru&lang=en``, ``lang=ru,en``)."""
    raw = params.getlist(name) if isinstance(params, QueryDict) else [params.get(name) or ""]
    out: list[str] = []
    for item in raw:
        items = [str(x) for x in item] if isinstance(item, list | tuple) else str(item or "").split(",")
        out.extend(v.strip() for v in items if v and v.strip())
    return out


def _bad(message: str) -> QueryError:
    return QueryError(message, code="bad_filter")


def _day(raw: str, name: str) -> datetime:
    tz = timezone.get_current_timezone()
    try:
        if len(raw) == 10:
            d = date.fromisoformat(raw)
            return datetime(d.year, d.month, d.day, tzinfo=tz)
        when = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise _bad(
            _("“%(value)s” is not a date for “%(name)s”; use YYYY-MM-DD.") % {"value": raw[:40], "name": name}
        ) from exc
    return when if when.tzinfo else when.replace(tzinfo=tz)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def build_request(params: Mapping[str, Any], *, page_size: int = PAGE_SIZE) -> Parsed:
    """Query parameters (a QueryDict, or a plain dict from the CLI) → a SearchRequest.

    Raises QueryError (code ``bad_filter``) naming the parameter that is wrong.
    """
    form: dict[str, str] = {}
    # Control characters mean nothing in a query, and XML (the RSS/Atom of a search) cannot
    # carry them: they become spaces.
    q = _CONTROL.sub(" ", str(params.get("q") or ""))
    form["q"] = q
    langs = [v.lower() for v in _values(params, "lang")]
    for v in langs:
        if not _LANG.match(v):
            raise _bad(_("“%(value)s” is not a language code (use ru, en, uk …).") % {"value": v[:40]})
    form["lang"] = ",".join(langs)

    date_from = date_to = None
    if raw := str(params.get("from") or "").strip():
        date_from = _day(raw, "from")
        form["from"] = raw
    if raw := str(params.get("to") or "").strip():
        date_to = _day(raw, "to")
        if len(raw) == 10:  # a day: up to its end
            date_to = date_to + timedelta(days=1)
        form["to"] = raw
    if date_from and date_to and date_to <= date_from:
        raise _bad(_("The “to” date is before the “from” date."))

    source_ids: list[int] = []
    for slug in _values(params, "source"):
        ids = list(Source.objects.filter(slug=slug).values_list("id", flat=True))
        if not ids:
            raise _bad(_("There is no outlet “%(slug)s” here.") % {"slug": slug[:80]})
        source_ids.extend(ids)
    form["source"] = ",".join(_values(params, "source"))

    categories = _values(params, "category")
    for c in categories:
        if c not in CATEGORY_NAMES:
            raise _bad(
                _("There is no category “%(name)s”; known: %(known)s.")
                % {"name": c[:40], "known": ", ".join(CATEGORY_NAMES)}
            )
    form["category"] = ",".join(categories)

    section_ids: list[int] = []
    for slug in _values(params, "section"):
        sec = Section.objects.filter(slug=slug, enabled=True).values_list("id", flat=True).first()
        if sec is None:
            raise _bad(_("There is no section “%(slug)s”.") % {"slug": slug[:80]})
        section_ids.append(sec)
    form["section"] = ",".join(_values(params, "section"))

    place_ids: list[int] = []
    for slug in _values(params, "place"):
        ids = place_filter_ids(slug)
        if not ids:
            raise _bad(_("We know no city, region or country called “%(slug)s”.") % {"slug": slug[:80]})
        place_ids.extend(ids)
    form["place"] = ",".join(_values(params, "place"))

    sort = str(params.get("sort") or "relevance")
    if sort not in SORTS:
        raise _bad(_("Sort by “relevance” or “time”, not “%(value)s”.") % {"value": sort[:40]})
    form["sort"] = sort
    raw_group = str(params.get("group") or "").lower()
    if raw_group not in {"", "0", "1", "true", "false", "yes", "no", "on", "off"}:
        raise _bad(_("“%(value)s” is not a value for group (use 1 or 0).") % {"value": raw_group[:40]})
    group = raw_group in {"1", "true", "yes", "on"}
    form["group"] = "1" if group else ""

    raw_page = str(params.get("page") or "1")
    if not raw_page.isdigit() or not 1 <= int(raw_page) <= MAX_PAGE:
        raise _bad(_("The page must be a number from 1 to %(max)s.") % {"max": MAX_PAGE})
    page = int(raw_page)

    req = SearchRequest(
        q=q,
        filters=SearchFilters(
            date_from=date_from,
            date_to=date_to,
            langs=tuple(langs),
            source_ids=tuple(source_ids),
            categories=tuple(categories),
            section_ids=tuple(section_ids),
            place_ids=tuple(place_ids),
        ),
        sort=sort,  # type: ignore[arg-type]
        group_by_story=group,
        offset=(page - 1) * page_size,
        limit=page_size,
    )
    return Parsed(request=req, page=page, form=form)


def place_filter_ids(name: str) -> list[int]:
    """Place ids the filter ``place=<name>`` means: a canonical slug ("gomel", "gomel-region"),
    else the most prominent place of that name as readers write it, in any case and language or
    transliterated ("москва", "Moscow", "moskva", "Брест" → Brest, Belarus; svodka_site.news.places),
    else places stored under that name."""
    ids = list(Place.objects.filter(slug=name.lower()).values_list("id", flat=True))
    if ids:
        return ids
    found = place_candidates(name, lang=get_language() or "ru")
    if found:
        return [found[0].geonameid]
    by_name = Q(name_en__iexact=name) | Q(name_ru__iexact=name) | Q(name_uk__iexact=name)
    return list(Place.objects.filter(by_name).values_list("id", flat=True)[:10])


def _querystring(form: Mapping[str, str], **override: Any) -> str:
    merged = {k: v for k, v in {**form, **override}.items() if v not in ("", None)}
    if merged.get("sort") == "relevance":
        merged.pop("sort")
    return urlencode(merged)


def results_json(results: SearchResults, *, page_url: Any = None) -> dict[str, Any]:
    """The API's (and ``svodka search --json``'s) shape of a result page."""
    out = []
    for h in results.hits:
        item: dict[str, Any] = {
            "id": h.id,
            "title": h.title,
            "url": h.url or None,
            "snippet": h.snippet_html,
            "published": h.published.isoformat(),
            "story": h.story_id,
            "source": h.source_name,
            "source_id": h.source_id,
            "lang": h.lang,
            "score": round(h.score, 6),
            "more": h.more,
        }
        if page_url is not None:
            item["page"] = page_url(reverse("article", args=[h.id]))
        out.append(item)
    return {
        "total": results.total,
        "took_ms": round(results.took_ms, 3),
        "terms": results.terms,
        "results": out,
    }


def friendly_message(exc: QueryError) -> str:
    """The reason in the reader's language (the parser's own messages are English)."""
    by_code = {
        "empty": _("Type a word or a phrase to search for."),
        "too_long": _("The query is too long: keep it under %(n)s characters and 32 words.")
        % {"n": MAX_QUERY_CHARS},
        "no_terms": _(
            "The query has no letters or digits to look for (emoji and punctuation are not searched)."
        ),
        "syntax": _(
            "The query has nothing to look for: add a word, not only operators (OR, NOT) or -exclusions."
        ),
    }
    return by_code.get(exc.code, exc.message)


def _error_json(exc: QueryError | SearchUnavailable, status: int) -> JsonResponse:
    resp = JsonResponse(
        {"error": exc.message, "code": exc.code}, status=status, json_dumps_params={"ensure_ascii": False}
    )
    if status == 503:
        resp["Retry-After"] = "30"
    return resp


# --- the page and its feeds ------------------------------------------------------------------
@cache_control(max_age=10)
def search(request: HttpRequest, **kw: Any) -> HttpResponse:
    fmt = kw.pop("fmt", "html")
    ctx: dict[str, Any] = {
        "categories": [(k, _(v)) for k, v in CATEGORY_NAMES.items()],
        "sections": [(s.slug, s.name(get_language() or "ru")) for s in Section.objects.filter(enabled=True)],
        "languages": (("ru", _("Russian")), ("en", _("English")), ("uk", _("Ukrainian"))),
        "form": {k: request.GET.get(k, "") for k in PARAMS},
    }
    if "q" not in request.GET and fmt == "html":
        return render(request, "news/search.html", ctx)  # the empty form: nothing asked yet
    try:
        parsed = build_request(request.GET, page_size=FEED_ITEMS if fmt != "html" else PAGE_SIZE)
        ctx["form"] = parsed.form
        req = parsed.request
        if fmt != "html":
            req = SearchRequest(q=req.q, filters=req.filters, sort="time", limit=FEED_ITEMS)
        results = get_backend().search(req)
    except QueryError as exc:
        if fmt == "json":
            return _error_json(exc, 400)  # a JSON client reads JSON errors, as from /api/search
        if fmt != "html":
            return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
        ctx["error"] = friendly_message(exc)
        return render(request, "news/search.html", ctx, status=400)
    except SearchUnavailable as exc:
        if fmt == "json":
            return _error_json(exc, 503)
        if fmt != "html":
            return HttpResponse(
                exc.message,
                status=503,
                content_type="text/plain; charset=utf-8",
                headers={"Retry-After": "30"},
            )
        ctx["error"] = exc.message
        resp = render(request, "news/search.html", ctx, status=503)
        resp["Retry-After"] = "30"
        return resp
    feed_qs = _querystring(parsed.form, sort="", group="")  # a feed is always newest first
    if fmt != "html":
        ids = [h.id for h in results.hits]
        listing = Listing(
            title=_("Search: %(q)s") % {"q": parsed.form["q"]},
            path=f"{reverse('search')}?{feed_qs}",
            queryset=articles_qs().filter(id__in=ids),
            description=_("Newest articles matching “%(q)s”") % {"q": parsed.form["q"]},
        )
        return render_listing(request, listing, fmt)
    pages = (results.total + PAGE_SIZE - 1) // PAGE_SIZE
    ctx.update(
        {
            "results": results,
            "page": parsed.page,
            "start": parsed.request.offset + 1,
            "prev_url": f"?{_querystring(parsed.form, page=parsed.page - 1)}" if parsed.page > 1 else None,
            "next_url": f"?{_querystring(parsed.form, page=parsed.page + 1)}"
            if parsed.page < min(pages, MAX_PAGE)
            else None,
            "feed_qs": feed_qs,
            "group_url": f"?{_querystring(parsed.form, group='' if parsed.form['group'] else '1')}",
            "sort_url": f"?{_querystring(parsed.form, sort='relevance' if parsed.form['sort'] == 'time' else 'time')}",
        }
    )
    return render(request, "news/search.html", ctx)


# --- the JSON API ------------------------------------------------------------------------------
def api_search(request: HttpRequest) -> JsonResponse:
    try:
        limit_raw = request.GET.get("limit", str(PAGE_SIZE))
        if not limit_raw.isdigit() or not 1 <= int(limit_raw) <= 100:
            raise QueryError(_("The limit must be a number from 1 to 100."), code="bad_filter")
        parsed = build_request(request.GET, page_size=int(limit_raw))
        results = get_backend().search(parsed.request)
    except QueryError as exc:
        return _error_json(exc, 400)
    except SearchUnavailable as exc:
        return _error_json(exc, 503)
    body = results_json(results, page_url=request.build_absolute_uri)
    body["page"] = parsed.page
    has_next = parsed.request.offset + len(results.hits) < results.total and parsed.page < MAX_PAGE
    body["next"] = (
        request.build_absolute_uri(
            f"{reverse('api_search')}?{_querystring(parsed.form, page=parsed.page + 1, limit=request.GET.get('limit'))}"
        )
        if has_next
        else None
    )
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def _param(
    name: str, description: str, schema: dict[str, Any] | None = None, required: bool = False
) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema or {"type": "string"},
    }


_ERROR = {
    "description": "Bad input, explained",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["error", "code"],
                "properties": {
                    "error": {"type": "string", "description": "what is wrong, in plain words"},
                    "code": {
                        "type": "string",
                        "description": "empty, too_long, syntax, no_terms, bad_filter, search_unavailable",
                    },
                },
            }
        }
    },
}


def openapi_document(base_url: str = "") -> dict[str, Any]:
    article = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "url": {"type": ["string", "null"], "description": "the original article"},
            "page": {"type": "string", "description": "the article's page here"},
            "published": {"type": "string", "format": "date-time"},
            "first_seen": {"type": "string", "format": "date-time"},
            "source": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "slug": {"type": "string"},
                    "country": {"type": "string"},
                },
            },
            "language": {"type": "string"},
            "image": {"type": ["string", "null"]},
        },
    }
    hit = {
        "type": "object",
        "required": ["title", "url", "snippet", "published", "story", "source", "lang"],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "url": {"type": ["string", "null"], "description": "the original article"},
            "page": {"type": "string", "description": "the article's page here"},
            "snippet": {"type": "string", "description": "escaped HTML; matches in <mark>"},
            "published": {"type": "string", "format": "date-time"},
            "story": {"type": ["integer", "null"]},
            "source": {"type": "string"},
            "source_id": {"type": "integer"},
            "lang": {"type": "string"},
            "score": {"type": "number"},
            "more": {"type": "integer", "description": "with group=1: other matching articles of the story"},
        },
    }
    filters = [
        _param("lang", "languages, comma-separated ISO 639-1 codes (ru,en,uk)"),
        _param(
            "from",
            "published on or after this day (YYYY-MM-DD, reader's time zone)",
            {"type": "string", "format": "date"},
        ),
        _param("to", "published on or before this day (YYYY-MM-DD)", {"type": "string", "format": "date"}),
        _param("source", "outlet slugs, comma-separated"),
        _param("category", "categories: " + ", ".join(CATEGORY_NAMES)),
        _param("section", "section slugs, comma-separated"),
        _param(
            "place",
            "cities, regions or countries: slugs or names in any case, Russian, English or transliterated "
            "(gomel, Москва, moskva); an ambiguous name means its most prominent place; "
            "a region includes its cities",
        ),
    ]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "svodka API",
            "version": "1",
            "description": "Read-only JSON API of a svodka news aggregator. Every article listing and "
            "every search is also a feed: append rss.xml, atom.xml or feed.json to its path.",
        },
        "servers": [{"url": base_url or "/"}],
        "paths": {
            "/api/articles": {
                "get": {
                    "summary": gettext_noop("Newest articles (live updates with after=)"),
                    "operationId": "listArticles",
                    "parameters": [
                        _param("after", "only articles stored after this article id", {"type": "integer"}),
                        _param(
                            "limit",
                            "how many (1–200, default 50)",
                            {"type": "integer", "minimum": 1, "maximum": 200},
                        ),
                    ],
                    "responses": {
                        "200": {
                            "description": "articles, newest first",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "articles": {"type": "array", "items": article},
                                            "latest_id": {"type": "integer"},
                                        },
                                    }
                                }
                            },
                        },
                        "400": {"description": "a parameter is not a number"},
                    },
                }
            },
            "/api/sources": {
                "get": {
                    "summary": gettext_noop("Every feed with its status"),
                    "operationId": "listSources",
                    "responses": {
                        "200": {
                            "description": "feeds",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "properties": {
                                                "id": {"type": "integer"},
                                                "url": {"type": "string"},
                                                "source": {"type": "string"},
                                                "source_slug": {"type": "string"},
                                                "kind": {"type": "string"},
                                                "status": {
                                                    "type": "string",
                                                    "enum": ["new", "ok", "error", "gone", "paused"],
                                                },
                                                "http_status": {"type": ["integer", "null"]},
                                                "error_code": {"type": ["string", "null"]},
                                                "error": {"type": ["string", "null"]},
                                                "items": {"type": "integer"},
                                                "last_attempt": {
                                                    "type": ["string", "null"],
                                                    "format": "date-time",
                                                },
                                                "last_success": {
                                                    "type": ["string", "null"],
                                                    "format": "date-time",
                                                },
                                                "next_fetch": {
                                                    "type": ["string", "null"],
                                                    "format": "date-time",
                                                },
                                                "schedule": {"type": "string"},
                                            },
                                        },
                                    }
                                }
                            },
                        }
                    },
                }
            },
            "/api/search": {
                "get": {
                    "summary": gettext_noop("Full-text search with filters"),
                    "description": 'Words (with morphology), "phrases", -exclusions, OR. '
                    "Ranked by relevance with a freshness boost, or by time.",
                    "operationId": "search",
                    "parameters": [
                        _param("q", "the query", {"type": "string", "maxLength": 500}, required=True),
                        *filters,
                        _param(
                            "sort", "relevance (default) or time", {"type": "string", "enum": list(SORTS)}
                        ),
                        _param("group", "1: one hit per story", {"type": "string", "enum": ["0", "1"]}),
                        _param(
                            "page",
                            "page number from 1",
                            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                        ),
                        _param(
                            "limit",
                            "hits per page (1–100, default 20)",
                            {"type": "integer", "minimum": 1, "maximum": 100},
                        ),
                    ],
                    "responses": {
                        "200": {
                            "description": "a page of hits",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["total", "results"],
                                        "properties": {
                                            "total": {
                                                "type": "integer",
                                                "description": "lower bound past 10,000",
                                            },
                                            "page": {"type": "integer"},
                                            "next": {"type": ["string", "null"]},
                                            "took_ms": {"type": "number"},
                                            "terms": {"type": "array", "items": {"type": "string"}},
                                            "results": {"type": "array", "items": hit},
                                        },
                                    }
                                }
                            },
                        },
                        "400": _ERROR,
                        "503": {"description": "the index is being built; retry later (Retry-After)"},
                    },
                }
            },
            "/search/feed.json": {
                "get": {
                    "summary": gettext_noop("A search as a feed (also /search/rss.xml and /search/atom.xml)"),
                    "operationId": "searchFeed",
                    "parameters": [_param("q", "the query", required=True), *filters],
                    "responses": {
                        "200": {
                            "description": "the newest matching articles",
                            "content": {"application/json": {}},
                        },
                        "400": {"description": "bad input, explained in plain text"},
                    },
                }
            },
            "/story/{id}/feed.json": {
                "get": {
                    "summary": gettext_noop("A story's articles as a JSON feed (also rss.xml and atom.xml beside it)"),
                    "operationId": "storyFeed",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
                    ],
                    "responses": {
                        "200": {"description": "the story's articles", "content": {"application/json": {}}},
                        "301": {"description": "the story was merged into another: its feed"},
                        "404": {"description": "no such story"},
                    },
                }
            },
            "/tg/threads": {
                "get": {
                    "summary": gettext_noop("Telegram Data Clustering Contest (round 2): threads, most important first"),
                    "operationId": "tgThreads",
                    "parameters": [
                        _param("period", "seconds back from the newest indexed article", required=True),
                        _param("lang_code", "en or ru", required=True),
                        _param("category", "any, society, economy, technology, sports, entertainment, science, other"),
                    ],
                    "responses": {
                        "200": {"description": "{threads: [{title, category, articles}]}", "content": {"application/json": {}}},
                        "400": {"description": "bad query"},
                        "503": {"description": "loading; retry (Retry-After)"},
                    },
                }
            },
            "/tg/{name}.html": {
                "put": {
                    "summary": gettext_noop("Contest push API: index or replace an article (its HTML as the body)"),
                    "operationId": "tgPut",
                    "parameters": [
                        {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}},
                        {
                            "name": "Cache-Control",
                            "in": "header",
                            "description": "max-age=N: the article's lifetime in seconds",
                            "schema": {"type": "string"},
                        },
                    ],
                    "requestBody": {"content": {"text/html": {}}},
                    "responses": {"201": {"description": "new"}, "204": {"description": "replaced"}},
                },
                "delete": {
                    "summary": gettext_noop("Contest push API: remove an article"),
                    "operationId": "tgDelete",
                    "parameters": [
                        {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {"204": {"description": "removed"}, "404": {"description": "not indexed"}},
                },
            },
            "/healthz": {
                "get": {
                    "summary": gettext_noop("Liveness and counts"),
                    "operationId": "health",
                    "responses": {"200": {"description": "ok", "content": {"application/json": {}}}},
                }
            },
            "/api/openapi.json": {
                "get": {
                    "summary": gettext_noop("This document"),
                    "operationId": "openapi",
                    "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {}}}},
                }
            },
        },
    }


def openapi(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        openapi_document(request.build_absolute_uri("/").rstrip("/") or "/"),
        json_dumps_params={"ensure_ascii": False},
    )


def api_index(request: HttpRequest) -> HttpResponse:
    doc = openapi_document()
    endpoints = [
        {
            "path": f"{method.upper()} {p}",
            "summary": _(spec["summary"]),
            "params": [x["name"] for x in spec.get("parameters", [])],
        }
        for p, ops in doc["paths"].items()
        for method, spec in ops.items()
    ]
    return render(request, "news/api.html", {"endpoints": endpoints})
