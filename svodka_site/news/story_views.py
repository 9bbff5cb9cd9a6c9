"""Story pages: every outlet's article about one happening, the headlines side by side, a
timeline of coverage (server-rendered SVG), and why the story ranks where it does."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from svodka.rank import rescore, score_terms
from svodka.understand.lang import language_name

from .listings import Listing, articles_qs, render_listing
from .models import Article, Source, Story
from .stories import rank_position, top_stories, with_reader_titles

PAGE_ARTICLES = 1000  # a 5,000-article story shows its first thousand; counts cover all
TIMELINE_OUTLETS = 12
TIMELINE_COLUMNS = 72


@dataclass
class Headline:
    article: Article
    reprints: list[Article] = field(default_factory=list)


@dataclass
class Wording:
    """One headline as written, and every outlet that used it ("How the headlines differ")."""

    article: Article
    sources: list[Source] = field(default_factory=list)
    lang_name: str = ""

    @property
    def countries(self) -> list[str]:
        return sorted({s.country for s in self.sources if s.country})


@dataclass
class OutletGroup:
    source: Source
    first: datetime
    headlines: list[Headline] = field(default_factory=list)
    total: int = 0
    lang_name: str = ""


def top_block(articles: QuerySet[Article] | None = None) -> Callable[[], list[Story]]:
    """For a listing's context: the template calls it only when it renders the HTML page."""
    return lambda: top_stories(articles=articles, lang=get_language())


def story(request: HttpRequest, pk: int, fmt: str = "html") -> HttpResponse:
    s = Story.objects.filter(pk=pk).first()
    if s is None:
        # merged away: the story id is its first article's id, and that article knows where it went
        moved = get_object_or_404(Article.objects.exclude(story=None).only("story_id"), pk=pk)
        target = reverse("story", args=[moved.story_id])
        suffix = {"rss": "rss.xml", "atom": "atom.xml", "json": "feed.json"}.get(fmt, "")
        return HttpResponsePermanentRedirect(target + suffix)
    lang = get_language() or "ru"
    with_reader_titles([s], lang)
    if fmt != "html":
        listing = Listing(
            title=s.display_title,  # type: ignore[attr-defined]
            path=reverse("story", args=[s.pk]),
            queryset=articles_qs().filter(story=s),
            description=s.display_lead,  # type: ignore[attr-defined]
        )
        return render_listing(request, listing, fmt)
    arts = list(
        Article.objects.filter(story=s)
        .select_related("source")
        .only(
            "id", "title", "url", "language", "published_at", "duplicate_of_id", "source_id",
            "source__name", "source__slug", "source__country", "source__language",
        )
        .order_by("published_at", "id")[:PAGE_ARTICLES]
    )  # fmt: skip
    groups, first = _group(arts, lang)
    wordings: dict[str, Wording] = {}
    for g in groups:
        if g.headlines:  # each outlet's first headline, the same wording once
            a = g.headlines[0].article
            w = wordings.setdefault(
                " ".join(a.title.casefold().split()).strip(" .!"),
                Wording(a, lang_name=language_name(a.language, lang) if a.language else ""),
            )
            w.sources.append(g.source)
    times = list(Article.objects.filter(story=s).values_list("source_id", "published_at", "source__name"))
    parts = dict(s.score_parts or {})
    ctx = {
        "story": s,
        "groups": groups,
        "wordings": list(wordings.values()),
        "first": first,
        "shown": len(arts),
        "more": max(s.articles - len(arts), 0),
        "timeline": timeline_svg(times, now=timezone.now()),
        "parts": parts,
        "score_now": rescore(parts, timezone.now()),
        "terms": score_terms(parts, timezone.now()),
        "position": rank_position(s),
        "feed_base": reverse("story", args=[s.pk]),
        "listing": {"title": s.display_title},  # type: ignore[attr-defined]
    }
    return render(request, "news/story.html", ctx)


def _group(arts: list[Article], lang: str) -> tuple[list[OutletGroup], Article | None]:
    in_story = {a.pk: a for a in arts}
    heads: dict[int, Headline] = {}
    groups: dict[int, OutletGroup] = {}
    for a in arts:
        g = groups.get(a.source_id)
        if g is None:
            g = groups[a.source_id] = OutletGroup(source=a.source, first=a.published_at)
            g.lang_name = language_name(a.source.language, lang) if a.source.language else ""
        g.total += 1
        orig = heads.get(a.duplicate_of_id or -1) if a.duplicate_of_id in in_story else None
        if orig is not None and in_story[a.duplicate_of_id].source_id != a.source_id:  # type: ignore[index]
            orig.reprints.append(a)  # folded under the original: "also published by …"
            continue
        h = Headline(a)
        heads[a.pk] = h
        g.headlines.append(h)
    ordered = sorted(groups.values(), key=lambda g: (not g.headlines, g.first))
    return ordered, arts[0] if arts else None


def _hour(dt: datetime) -> datetime:
    return dt.replace(minute=0, second=0, microsecond=0)


def timeline_svg(rows: list[tuple[int, datetime, str]], *, now: datetime) -> SafeString:
    """Articles per outlet per hour as a small SVG (no script): a row per outlet (the busiest
    twelve; the rest in one row), a column per hour — per several hours for long stories."""
    if not rows:
        return mark_safe("")
    tz = timezone.get_current_timezone()
    times = [min(t, now).astimezone(tz) for _, t, _ in rows]
    start, end = _hour(min(times)), _hour(max(times))
    hours = int((end - start).total_seconds() // 3600) + 1
    step = max(1, math.ceil(hours / TIMELINE_COLUMNS))
    cols = math.ceil(hours / step)
    counts: dict[int, int] = {}
    names: dict[int, str] = {}
    for sid, _t, name in rows:
        counts[sid] = counts.get(sid, 0) + 1
        names[sid] = name
    top = sorted(counts, key=lambda k: (-counts[k], names[k]))[:TIMELINE_OUTLETS]
    row_of = {sid: i for i, sid in enumerate(top)}
    others = len(counts) > len(top)
    n_rows = len(top) + (1 if others else 0)
    grid = [[0] * cols for _ in range(n_rows)]
    for (sid, _t, _n), t in zip(rows, times, strict=True):
        r = row_of.get(sid, len(top))
        c = min(int((t - start).total_seconds() // 3600) // step, cols - 1)
        grid[r][c] += 1
    peak = max(max(r) for r in grid) or 1
    tick = "%H:00" if hours <= 24 else "%d.%m %H:00"
    tick_w = 34 if hours <= 24 else 64  # a time label's width (~6 px a character at 10 px)
    # A few columns get cells as wide as a time label, so that every hour is named; more share
    # 560 px, and every few columns carry a label.
    label_w, row_h, top_pad = 160, 18, 4
    cell = max(6, min(tick_w + 2 if cols * (tick_w + 2) <= 560 else 24, 560 // cols))
    # at most 8 labels, and never closer than a label's width
    every = max(1, math.ceil(cols / 8), math.ceil(tick_w / cell))
    last_tick = (cols - 1) // every * every
    # wide enough for the grid and for the last time label, whatever the hour it falls on
    width = label_w + max(cols * cell, last_tick * cell + tick_w) + 4
    height = top_pad + n_rows * row_h + 22
    unit = _("articles per hour") if step == 1 else _("articles per %(n)d hours") % {"n": step}
    out = [
        f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(_("Coverage over time"))}: {escape(unit)}">'
    ]
    labels = [names[s] for s in top] + ([_("other outlets")] if others else [])
    for r, label in enumerate(labels):
        y = top_pad + r * row_h
        short = label if len(label) <= 22 else label[:21] + "…"
        out.append(
            f'<text x="0" y="{y + 13}" font-size="11" fill="#5f6b7a">{escape(short)}</text>'
            f'<line x1="{label_w}" x2="{width - 4}" y1="{y + row_h - 1}" y2="{y + row_h - 1}" stroke="#eef1f4"/>'
        )
        for c, n in enumerate(grid[r]):
            if not n:
                continue
            when = start + timedelta(hours=c * step)
            op = 0.25 + 0.75 * n / peak
            out.append(
                f'<rect x="{label_w + c * cell + 1}" y="{y + 2}" width="{cell - 2}" height="{row_h - 5}" '
                f'fill="#b3261e" fill-opacity="{op:.2f}"><title>{escape(label)} — '
                f"{when:%d.%m %H:00}: {n}</title></rect>"
            )
    base = top_pad + n_rows * row_h + 14
    for c in range(0, cols, every):
        when = start + timedelta(hours=c * step)
        out.append(
            f'<text x="{label_w + c * cell}" y="{base}" font-size="10" fill="#5f6b7a">{when:{tick}}</text>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))


def stories_index(request: HttpRequest) -> HttpResponse:
    """Every story with coverage in the last day, ranked now."""
    lang = get_language() or "ru"
    edition = request.GET.get("lang", "")[:16]
    articles = articles_qs().filter(language=edition) if edition else None
    items = top_stories(articles=articles, hours=24, limit=100, lang=lang)
    return render(
        request,
        "news/stories.html",
        {"stories": items, "edition": edition, "listing": {"title": _("Stories")}},
    )
