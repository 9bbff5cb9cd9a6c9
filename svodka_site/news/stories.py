"""Storage side of stories: resume the clusterer from the database, write its assignments
(articles' story, merges, counts, title and lead, rank), and the queries the pages need.

The clusterer (``svodka.stories.cluster``) decides; this module only records. Everything a
batch touches is written in one transaction, so a crash never leaves half a merge.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

import numpy as np
from django.db import transaction
from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from svodka.rank import Outlet, importance, importance_by_outlet, rescore
from svodka.stories import Assignment, StoryArticle, StorySnapshot

from .models import Article, ArticlePlace, Story

LEAD_CHARS = 400
TOP_HOURS = 6  # "top news this hour": stories with coverage in the last N hours
TOP_CANDIDATES = 200  # by stored score, re-ranked at view time
# A representative gives the story its title and lead: an article whose text adds nothing to its
# headline (a feed summary that repeats it, a page robots.txt kept us from reading) leaves the
# story without a lead, and one with a line or two of text gives a thin one.
NO_TEXT_PENALTY = 0.5
SHORT_TEXT_PENALTY = 0.1
SHORT_LEAD_CHARS = 150


class _Snapshots(Protocol):
    def snapshots(self, story_ids: Iterable[int]) -> list[StorySnapshot]: ...


def _ids(raw: str) -> tuple[int, ...]:
    return tuple(int(x) for x in raw.split(",") if x.strip().lstrip("-").isdigit())


def _centroid(raw: bytes | memoryview | None) -> np.ndarray | None:
    data = bytes(raw or b"")
    if len(data) != 512 * 4:
        return None
    return np.frombuffer(data, dtype=np.float32).copy()


# --- resume -------------------------------------------------------------------------------
def load_snapshots(*, since: datetime) -> list[StorySnapshot]:
    """Stories with coverage since ``since`` (an index range on last_at), as the clusterer resumes them."""
    out = []
    qs = Story.objects.filter(last_at__gte=since).order_by("last_at")
    for s in qs.iterator(chunk_size=1000):
        vec = _centroid(s.centroid)
        if vec is None:  # never stored (a crash between writes): the clusterer could not compare it
            continue
        out.append(
            StorySnapshot(
                id=s.pk,
                centroid=vec,
                size=s.articles,
                first_at=s.first_at,
                last_at=s.last_at,
                source_ids=_ids(s.source_ids),
                place_ids=_ids(s.places),
                terms=tuple(s.terms.split()),
                category=s.category,
            )
        )
    return out


# --- record ---------------------------------------------------------------------------------
def save_assignments(
    assignments: Sequence[Assignment],
    clusterer: _Snapshots,
    articles: Sequence[StoryArticle] = (),
    *,
    now: datetime | None = None,
) -> set[int]:
    """Record what the clusterer decided for a batch; returns the ids of the stories touched."""
    touched = _resolve(assignments)[1]
    return save_stories(assignments, clusterer.snapshots(sorted(touched)), articles, now=now)


def _resolve(assignments: Sequence[Assignment]) -> tuple[dict[int, int], set[int]]:
    alias: dict[int, int] = {}
    for a in assignments:
        for m in a.merged:
            if m != a.story_id:
                alias[m] = a.story_id

    def root(sid: int) -> int:
        seen = set()
        while sid in alias and sid not in seen:
            seen.add(sid)
            sid = alias[sid]
        return sid

    mapping = {sid: root(sid) for sid in alias}
    touched = {mapping.get(a.story_id, a.story_id) for a in assignments}
    return mapping, touched


def save_stories(
    assignments: Sequence[Assignment],
    snapshots: Sequence[StorySnapshot],
    articles: Sequence[StoryArticle] = (),
    *,
    now: datetime | None = None,
    moved: list[int] | None = None,
) -> set[int]:
    """Write a batch: each article's story, merges (articles move to the surviving story, the
    merged story row goes), then counts, title, lead, rank of every story touched. Ids of
    stored articles a merge moved are appended to ``moved`` (the search index re-reads them)."""
    if not assignments:
        return set()
    now = now or timezone.now()
    mapping, touched = _resolve(assignments)
    by_article = {a.id: a for a in articles}
    with transaction.atomic():
        existing = set(Story.objects.filter(pk__in=touched).values_list("pk", flat=True))
        Story.objects.bulk_create(
            [Story(id=sid, first_at=now, last_at=now) for sid in touched - existing],
            ignore_conflicts=True,
        )
        reps: dict[int, dict[str, list[Any]]] = {
            sid: dict(r or {})
            for sid, r in Story.objects.filter(pk__in=touched).values_list("pk", "representatives")
        }
        merged = sorted(mapping)
        if merged:
            for sid, r in Story.objects.filter(pk__in=merged).values_list("pk", "representatives"):
                _merge_reps(reps.setdefault(mapping[sid], {}), r or {})
            for old, new in mapping.items():
                if moved is not None:
                    moved.extend(Article.objects.filter(story_id=old).values_list("pk", flat=True))
                Article.objects.filter(story_id=old).update(story_id=new)
            Story.objects.filter(pk__in=merged).delete()
        by_story: dict[int, list[int]] = {}
        for a in assignments:
            by_story.setdefault(mapping.get(a.story_id, a.story_id), []).append(a.article_id)
        for sid, ids in by_story.items():
            Article.objects.filter(pk__in=ids).update(story_id=sid)
        snaps = {s.id: s for s in snapshots}
        for sid, ids in by_story.items():
            snap = snaps.get(sid)
            if snap is None:
                continue
            centroid = np.asarray(snap.centroid, dtype=np.float32)
            for aid in ids:
                art = by_article.get(aid)
                if art is None or art.embedding is None:
                    continue
                sim = float(np.dot(np.asarray(art.embedding, dtype=np.float32), centroid))
                lead = _lead(art.title or "", art.text or "")
                if not lead:
                    sim -= NO_TEXT_PENALTY
                elif len(lead) < SHORT_LEAD_CHARS:
                    sim -= SHORT_TEXT_PENALTY
                lang = art.lang or "und"
                cur = reps[sid].get(lang)
                if cur is None or sim > float(cur[1]):
                    reps[sid][lang] = [aid, round(sim, 4)]
        refresh(touched, snaps, reps, now=now)
    return touched


def _merge_reps(into: dict[str, list[Any]], other: dict[str, list[Any]]) -> None:
    for lang, rep in other.items():
        if lang not in into or float(rep[1]) > float(into[lang][1]):
            into[lang] = rep


def refresh(
    story_ids: Iterable[int],
    snaps: dict[int, StorySnapshot] | None = None,
    reps: dict[int, dict[str, list[Any]]] | None = None,
    *,
    now: datetime | None = None,
) -> None:
    """Recount stories from their articles and rank them again."""
    now = now or timezone.now()
    snaps = snaps or {}
    ids = sorted(story_ids)
    stories = Story.objects.in_bulk(ids)
    rows: dict[int, list[tuple[int, datetime, float, int | None, str]]] = {sid: [] for sid in ids}
    for i in range(0, len(ids), 500):
        qs = Article.objects.filter(story_id__in=ids[i : i + 500]).values_list(
            "story_id", "source_id", "published_at", "source__rating", "duplicate_of_id", "category"
        )
        for sid, src, published, rating, dup, cat in qs.iterator(chunk_size=2000):
            rows[sid].append((src, published, rating, dup, cat))
    best: dict[int, int] = {}
    for sid in ids:
        r = (reps or {}).get(sid)
        if r is None and sid in stories:
            r = stories[sid].representatives or {}
        if r:
            best[sid] = int(max(r.values(), key=lambda x: float(x[1]))[0])
    texts = {
        a["id"]: a
        for a in Article.objects.filter(pk__in=best.values()).values("id", "title", "text", "language")
    }
    changed = []
    for sid in ids:
        s = stories.get(sid)
        cov = rows[sid]
        if s is None:
            continue
        if not cov:  # every article deleted or moved: nothing left to show
            s.delete()
            continue
        times = [min(p, now) for _, p, _, _, _ in cov]
        s.first_at, s.last_at = min(times), max(times)
        s.articles = len(cov)
        outlets = sorted({src for src, *_ in cov})
        s.sources = len(outlets)
        s.source_ids = ",".join(map(str, outlets))
        ranking = importance(((src, p, rating, dup is not None) for src, p, rating, dup, _ in cov), now)
        s.score, s.score_parts = ranking.score, ranking.parts
        if reps is not None and sid in reps:
            s.representatives = reps[sid]
        snap = snaps.get(sid)
        if snap is not None:
            s.centroid = np.asarray(snap.centroid, dtype=np.float32).tobytes()
            s.terms = " ".join(snap.terms)[:5000]
            s.places = ",".join(map(str, snap.place_ids))[:5000]
        cats = Counter(c for *_, c in cov if c)
        s.category = (snap.category if snap is not None and snap.category else "") or (
            cats.most_common(1)[0][0] if cats else ""
        )
        rep = texts.get(best.get(sid, -1))
        if rep is None and not s.title:
            rep = (
                Article.objects.filter(story_id=sid)
                .order_by("published_at", "id")
                .values("id", "title", "text", "language")
                .first()
            )
        if rep is not None:
            s.title = rep["title"]
            s.lead = _lead(rep["title"], rep["text"])
            s.lang = rep["language"]
        s.updated_at = now
        changed.append(s)
    from .storage import _update_rows  # one executemany: bulk_update's CASE/WHEN cost 10x more

    _update_rows(
        Story,
        changed,
        [
            "first_at", "last_at", "articles", "sources", "source_ids", "score", "score_parts",
            "representatives", "centroid", "terms", "places", "category", "title", "lead", "lang",
            "updated_at",
        ],
    )  # fmt: skip


def _lead(title: str, text: str) -> str:
    text = " ".join((text or "").split())
    if text.startswith(title):
        text = text[len(title) :].lstrip(" .:—-")
    if len(text) <= LEAD_CHARS:
        return text
    cut = text[:LEAD_CHARS].rsplit(" ", 1)[0]
    return cut + "…"


# --- read ---------------------------------------------------------------------------------
def top_stories(
    *,
    articles: QuerySet[Article] | None = None,
    hours: int = TOP_HOURS,
    limit: int = 8,
    lang: str | None = None,
    now: datetime | None = None,
) -> list[Story]:
    """Stories active in the last ``hours``, ranked now.

    ``articles``: the listing's filter (a language edition, a section, a city). A story qualifies
    when one of its recent articles is in it, and it is ranked by its coverage *in that filter*:
    an English edition ranks by the English outlets that covered a story, not by every outlet
    in every language. Each story gets ``outlets_shown`` / ``articles_shown``: the counts its
    ranking used."""
    now = now or timezone.now()
    since = now - timedelta(hours=hours)
    qs = Story.objects.filter(last_at__gte=since).defer("centroid")
    if articles is not None:
        qs = qs.filter(
            id__in=articles.filter(published_at__gte=since, story__isnull=False).order_by().values("story_id")
        )
    cands = list(qs.order_by("-score")[:TOP_CANDIDATES])
    if articles is None:
        for s in cands:
            s.score_now = rescore(s.score_parts or {}, now)  # type: ignore[attr-defined]
            s.outlets_shown, s.articles_shown = s.sources, s.articles  # type: ignore[attr-defined]
    else:
        _rank_within(cands, articles, now)
    cands.sort(key=lambda s: (-s.score_now, -s.last_at.timestamp(), s.pk))  # type: ignore[attr-defined]
    out = cands[:limit]
    with_reader_titles(out, lang)
    return out


EDITION_DAYS = 7  # of a story's coverage read to rank it within a listing: bounded work per story


def _rank_within(stories: Sequence[Story], articles: QuerySet[Article], now: datetime) -> None:
    """Rank ``stories`` by their coverage within ``articles``: one query, aggregated per story
    and outlet in the database (``importance`` needs per-outlet facts only), so a story of
    thousands of articles costs one row per outlet."""
    outlets: dict[int, list[Outlet]] = {s.pk: [] for s in stories}
    rows = (
        articles.filter(story_id__in=list(outlets), published_at__gte=now - timedelta(days=EDITION_DAYS))
        .order_by()
        .values("story_id", "source_id")
        .annotate(
            rating=Max("source__rating"),
            first=Min("published_at"),
            last=Max("published_at"),
            n=Count("id"),
            copies=Count("id", filter=Q(duplicate_of__isnull=False)),
        )
        .values_list("story_id", "source_id", "rating", "first", "last", "n", "copies")
    )
    for sid, src, rating, first, last, n, copies in rows:
        outlets[sid].append((src, rating, first, last, n, copies))
    for s in stories:
        mine = outlets[s.pk]
        s.score_now = importance_by_outlet(mine, now).score  # type: ignore[attr-defined]
        s.outlets_shown = len(mine)  # type: ignore[attr-defined]
        s.articles_shown = sum(o[4] for o in mine)  # type: ignore[attr-defined]


def with_reader_titles(stories: Sequence[Story], lang: str | None) -> None:
    """Set ``display_title``/``display_lead``: the story's most representative article in the
    reader's language when it has one, else the story's own."""
    want: dict[int, int] = {}
    for s in stories:
        rep = (s.representatives or {}).get(lang or "")
        if rep:
            want[s.pk] = int(rep[0])
    found = {
        a["id"]: a
        for a in Article.objects.filter(pk__in=want.values()).values("id", "title", "text", "story_id")
    }
    for s in stories:
        a = found.get(want.get(s.pk, -1))
        if a is not None and a["story_id"] == s.pk:
            s.display_title, s.display_lead = a["title"], _lead(a["title"], a["text"])  # type: ignore[attr-defined]
        else:
            s.display_title, s.display_lead = s.title, s.lead  # type: ignore[attr-defined]


def rank_position(story: Story, *, hours: int = TOP_HOURS, now: datetime | None = None) -> int | None:
    """The story's place in "top news this hour" (1 = first); None when it is not active or
    ranks below the candidates considered."""
    now = now or timezone.now()
    if story.last_at < now - timedelta(hours=hours):
        return None
    mine = rescore(story.score_parts or {}, now)
    parts = Story.objects.filter(last_at__gte=now - timedelta(hours=hours)).exclude(pk=story.pk)
    above = sum(
        1 for p in parts.order_by("-score").values_list("score_parts", flat=True)[:TOP_CANDIDATES]
        if rescore(p or {}, now) > mine
    )  # fmt: skip
    return above + 1 if above < TOP_CANDIDATES else None


def unclustered(*, since: datetime, limit: int) -> list[StoryArticle]:
    """Understood articles of the window that have no story (stored before stories existed, or
    in a batch whose clustering failed), oldest first, for the crawler to cluster."""
    arts = list(
        Article.objects.filter(published_at__gte=since, story__isnull=True, understood_at__isnull=False)
        .order_by("published_at", "id")
        .values(
            "id", "title", "text", "language", "source_id", "published_at", "category", "duplicate_of_id"
        )[:limit]
    )
    places: dict[int, list[int]] = {}
    for aid, pid in ArticlePlace.objects.filter(article_id__in=[a["id"] for a in arts]).values_list(
        "article_id", "place_id"
    ):
        places.setdefault(aid, []).append(pid)
    return [
        StoryArticle(
            id=a["id"],
            title=a["title"],
            text=(a["text"] or "")[:2000],
            lang=a["language"],
            source_id=a["source_id"],
            published=a["published_at"],
            category=a["category"],
            place_ids=tuple(places.get(a["id"], ())),
            duplicate_of=a["duplicate_of_id"],
        )
        for a in arts
    ]
