"""Ranking stories for "top news this hour": explainable, framework-free.

A story's importance grows with the number of distinct outlets that covered it (weighted by
each outlet's rating), with the speed at which coverage arrives (outlets in the last hour),
and decays with age. Reprints and one outlet's rewrites of its own piece never make a story
look bigger: an outlet counts once however many articles it ran, and an outlet that only
reprinted someone else's text counts for half.

One hard rule, kept by tiers rather than by weights: a story from one outlet never outranks a
story covered by several. ``score = tier + s`` where ``tier`` is 1 for several outlets and 0
for one, and ``s`` in [0, 1) orders stories inside a tier.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

COPY_WEIGHT = 0.5  # an outlet that only reprinted another outlet's text
MIN_RATING, MAX_RATING = 0.1, 5.0
SPEED_WINDOW = timedelta(hours=1)
FRESH_HALF_LIFE_H = 6.0  # since the newest report: a story nobody covers any more fades
AGE_HALF_LIFE_H = 48.0  # since the first report: an old story fades slowly even if still covered
SPEED_WEIGHT = 0.5

Coverage = tuple[int, datetime, float, bool]  # (source_id, published, source_rating, is_copy)


@dataclass(slots=True)
class Ranking:
    score: float
    parts: dict[str, Any]
    explanation: str


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def _rating(r: float | None) -> float:
    if r is None or not math.isfinite(r):
        return 1.0
    return min(max(float(r), MIN_RATING), MAX_RATING)


Outlet = tuple[int, float | None, datetime, datetime, int, int]
"""One outlet's coverage of a story: (source_id, rating, first, last published, articles, of
which reprints). What a database can aggregate per (story, outlet) in one query."""


def importance(coverage: Iterable[Coverage], now: datetime) -> Ranking:
    """Rank one story from its coverage. Future dates count as ``now``; an empty story scores 0."""
    now = _aware(now)
    per: dict[int, list[Any]] = {}  # outlet -> [rating, first, last, articles, copies]
    for source_id, published, rating, is_copy in coverage:
        published = min(_aware(published), now)
        o = per.get(source_id)
        if o is None:
            per[source_id] = [_rating(rating), published, published, 1, int(is_copy)]
            continue
        o[0] = max(o[0], _rating(rating))
        o[1] = min(o[1], published)
        o[2] = max(o[2], published)
        o[3] += 1
        o[4] += int(is_copy)
    return importance_by_outlet(((src, *o) for src, o in per.items()), now)


def importance_by_outlet(outlets: Iterable[Outlet], now: datetime) -> Ranking:
    """``importance`` from per-outlet facts (the same result as from the articles themselves)."""
    now = _aware(now)
    weight: dict[int, float] = {}  # outlet -> its weight (counted once)
    original: set[int] = set()
    recent: set[int] = set()
    articles = copies = 0
    first = last = None
    for source_id, rating, o_first, o_last, n, n_copies in outlets:
        if n <= 0:
            continue
        o_first, o_last = min(_aware(o_first), now), min(_aware(o_last), now)
        first = o_first if first is None or o_first < first else first
        last = o_last if last is None or o_last > last else last
        weight[source_id] = max(weight.get(source_id, 0.0), _rating(rating))
        articles += n
        copies += n_copies
        if n_copies < n:
            original.add(source_id)
        if now - o_last <= SPEED_WINDOW:
            recent.add(source_id)
    if not articles or first is None or last is None:
        return Ranking(0.0, {"articles": 0, "outlets": 0, "tier": 0}, "No articles yet.")
    w = {s: r * (1.0 if s in original else COPY_WEIGHT) for s, r in weight.items()}
    parts = _parts(
        outlets=len(weight),
        weighted_outlets=sum(w.values()),
        recent_outlets=len(recent),
        weighted_recent=sum(w[s] for s in recent),
        articles=articles,
        copies=copies,
        copy_only_outlets=len(weight) - len(original),
        first=first,
        last=last,
        now=now,
    )
    return Ranking(parts["score"], parts, explain(parts))


def _parts(
    *,
    outlets: int,
    weighted_outlets: float,
    recent_outlets: int,
    weighted_recent: float,
    articles: int,
    copies: int,
    copy_only_outlets: int,
    first: datetime,
    last: datetime,
    now: datetime,
) -> dict[str, Any]:
    breadth = math.log2(1.0 + weighted_outlets)
    speed = SPEED_WEIGHT * math.log2(1.0 + weighted_recent)
    fresh_h = max((now - last).total_seconds() / 3600, 0.0)
    age_h = max((now - first).total_seconds() / 3600, 0.0)
    decay = 0.5 ** (fresh_h / FRESH_HALF_LIFE_H) * 0.5 ** (age_h / AGE_HALF_LIFE_H)
    raw = (breadth + speed) * decay
    tier = 1 if outlets > 1 else 0
    within = raw / (1.0 + raw)
    return {
        "score": round(tier + within, 6),
        "tier": tier,
        "articles": articles,
        "outlets": outlets,
        "weighted_outlets": round(weighted_outlets, 3),
        "copies": copies,
        "copy_only_outlets": copy_only_outlets,
        "recent_outlets": recent_outlets,
        "weighted_recent": round(weighted_recent, 3),
        "breadth": breadth,
        "speed": speed,
        "decay": round(decay, 4),
        "fresh_h": round(fresh_h, 2),
        "age_h": round(age_h, 2),
        "first": first.isoformat(),
        "last": last.isoformat(),
        "computed": now.isoformat(),
    }


def rescore(parts: Mapping[str, Any], now: datetime) -> float:
    """A stored ranking brought to ``now`` without reading the coverage again: the age decay is
    recomputed, and the speed part fades out over the hour after it was measured."""
    terms = score_terms(parts, now)
    return 0.0 if terms is None else terms["score"]


def score_terms(parts: Mapping[str, Any], now: datetime) -> dict[str, float] | None:
    """The terms of ``rescore`` at ``now``, for a reader to check the sum: ``tier`` (1 when several
    outlets covered the story), ``breadth`` (weighted outlets), ``speed`` (the last hour's
    coverage, fading), ``decay`` (age and freshness), ``raw`` = (breadth + speed) × decay, and
    ``score`` = tier + raw / (1 + raw). None for parts that cannot be read."""
    try:
        first = datetime.fromisoformat(parts["first"])
        last = datetime.fromisoformat(parts["last"])
        computed = datetime.fromisoformat(parts["computed"])
        tier = int(parts["tier"])
        breadth = float(parts["breadth"])
        speed = float(parts["speed"])
    except (KeyError, TypeError, ValueError):
        return None
    now = max(_aware(now), computed)
    speed *= max(0.0, 1.0 - (now - computed) / SPEED_WINDOW)
    fresh_h = (now - last).total_seconds() / 3600
    age_h = (now - first).total_seconds() / 3600
    decay = 0.5 ** (fresh_h / FRESH_HALF_LIFE_H) * 0.5 ** (age_h / AGE_HALF_LIFE_H)
    raw = (breadth + speed) * decay
    return {
        "tier": float(tier), "breadth": round(breadth, 3), "speed": round(speed, 3),
        "decay": decay, "raw": raw, "score": round(tier + raw / (1.0 + raw), 6),
    }  # fmt: skip


def _ago(hours: float) -> str:
    if hours < 1:
        return f"{round(hours * 60)} min ago"
    if hours < 48:
        return f"{hours:.0f} h ago"
    return f"{hours / 24:.0f} days ago"


def explain(parts: Mapping[str, Any]) -> str:
    """The ranking in plain words (English; the site renders ``parts`` in the reader's language)."""
    n = int(parts.get("outlets", 0))
    if not n:
        return "No articles yet."
    out = [
        f"Covered by {n} outlet{'s' if n != 1 else ''} (weight {parts['weighted_outlets']:g} by outlet rating)."
    ]
    if parts.get("copies"):
        out.append(
            f"{parts['copies']} reprint{'s' if parts['copies'] != 1 else ''} of another article counted "
            "once with their original; an outlet that only reprinted counts for half."
        )
    if parts.get("articles", 0) > n:
        out.append("Several articles from one outlet count as one outlet.")
    r = int(parts.get("recent_outlets", 0))
    out.append(
        f"{r} outlet{'s' if r != 1 else ''} reported it in the last hour."
        if r
        else "No outlet reported it in the last hour."
    )
    out.append(
        f"First reported {_ago(parts['age_h'])}, last {_ago(parts['fresh_h'])}: "
        f"the score keeps {round(100 * parts['decay'])}% of its weight."
    )
    out.append(
        "Covered by several outlets, so it ranks above every story from a single outlet."
        if parts.get("tier")
        else "Only one outlet covered it, so it ranks below every story covered by several."
    )
    return " ".join(out)
