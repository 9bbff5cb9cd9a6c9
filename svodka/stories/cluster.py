"""Online story clustering: each article joins the best story of the recent window or starts one.

Per article: an embedding (USE multilingual v3 of headline + lead), its places (GeoNames ids),
names and numbers (:mod:`svodka.stories.features`) and its time. Candidates are the stories of
the window whose centroids are nearest (one matrix product over a numpy matrix that holds only
the window's stories) plus the stories that share a place, name or number with the article (an
inverted index, each posting cut to its most recent stories). Each candidate gets one score:

    similarity   max(cosine to the centroid, cosine to a recent member)
  + names        overlap of names (shared / the smaller set), the strongest cue besides wording
  + places       a shared place
  - conflicts    different cities (two fires in two cities), no shared number where both
                 quote numbers, no shared name where both have several
  - time         the gap to the story's last article, as a fraction of the window

and the article joins the best candidate when the score passes ``threshold``. When a second
candidate also passes ``merge_threshold`` and is itself close to the first, the article bridges
them and the two stories merge (the smaller id survives).

Bounded work and memory, whatever the archive: stories quiet for longer than the window are
forgotten; a story's centroid is a running mean to which each outlet adds at most
``per_source_centroid`` articles (so one outlet's rewrites or a flood neither drag the centroid
nor cost centroid work); member vectors, names, numbers and places kept per story are capped;
the article→story map for near-duplicates is a bounded FIFO.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, OrderedDict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import numpy as np

from svodka.stories import Assignment, StoryArticle, StorySnapshot
from svodka.stories.embed import DIM, embed_articles
from svodka.stories.features import Terms, story_terms


@dataclass(frozen=True, slots=True)
class Params:
    """The knobs of the score; defaults are the measured ones (benchmarks/eval_stories.py)."""

    threshold: float = 0.85
    merge_threshold: float = 1.0  # both stories must pass this for an article to bridge them
    merge_cosine: float = 0.75  # and their centroids must be at least this close
    w_names: float = 0.40  # × overlap coefficient of names (weighted by rarity in the window)
    w_numbers: float = 0.20  # × overlap coefficient of numbers (likewise)
    w_place: float = 0.04  # a shared place
    pen_place: float = 0.25  # cities (or countries) named on both sides, none in common
    pen_numbers: float = 0.30  # numbers on both sides, none in common
    pen_names: float = 0.15  # 2+ names on both sides, none in common
    pen_time: float = 0.10  # × gap / time_scale_h (at most once)
    time_scale_h: float = 12.0
    top_k: int = 8  # nearest centroids examined
    posting_k: int = 8  # most recent stories examined per shared place / name / number
    max_candidates: int = 40
    member_vectors: int = 8  # recent member vectors kept per story (none while it has one)
    per_source_centroid: int = 3  # articles of one outlet that move a story's centroid
    max_terms: int = 48  # names / numbers / places kept per story (the most frequent)
    dup_memory: int = 200_000  # article ids remembered for near-duplicates


@lru_cache(maxsize=65_536)
def _place_info(geonameid: int) -> tuple[bool, frozenset[int]]:
    """(is a city, the place and its ancestors)."""
    from svodka.understand.geo import gazetteer

    chain = gazetteer().hierarchy(geonameid)
    if not chain:
        return False, frozenset((geonameid,))
    return chain[0].kind == "city", frozenset(p.geonameid for p in chain)


def _places_view(ids: Iterable[int]) -> tuple[frozenset[int], frozenset[int], frozenset[int]]:
    """(places as named, cities among them, every place with its ancestors)."""
    named = frozenset(ids)
    cities: set[int] = set()
    up: set[int] = set()
    for g in named:
        is_city, chain = _place_info(g)
        if is_city:
            cities.add(g)
        up |= chain
    return named, frozenset(cities), frozenset(up)


@dataclass(slots=True)
class _Side:
    """What one article (or one story) offers for comparison."""

    names: frozenset[str]
    numbers: frozenset[str]
    places: frozenset[int]
    cities: frozenset[int]
    places_up: frozenset[int]


def _article_side(a: StoryArticle, terms: Terms) -> _Side:
    named, cities, up = _places_view(a.place_ids)
    return _Side(terms.entities, terms.numbers, named, cities, up)


Weigher = Callable[[tuple[str, object]], float]


def _flat(_: tuple[str, object]) -> float:
    return 1.0


def _overlap(a: frozenset, b: frozenset, kind: str, weigh: Weigher) -> tuple[float, int]:
    """(weighted shared / the smaller weighted set, how many shared)."""
    shared = a & b
    if not shared:
        return 0.0, 0
    # summed in sorted order: float sums in set order would differ in the last bit between runs
    wa = sum(weigh((kind, k)) for k in sorted(a))
    wb = sum(weigh((kind, k)) for k in sorted(b))
    ws = sum(weigh((kind, k)) for k in sorted(shared))
    return ws / max(1e-9, min(wa, wb)), len(shared)


def _score(
    p: Params, a: _Side, sim: float, s: _Side, gap_s: float, window_s: float, weigh: Weigher = _flat
) -> tuple[float, str]:
    """Score of article side ``a`` against ``s`` given their cosine ``sim``; reason in words.

    ``weigh`` gives a name or number its weight (rare in the window: near 1; in every story: near 0)."""
    score = sim
    why = [f"cosine {sim:.2f}"]
    if a.names and s.names:
        ov, shared = _overlap(a.names, s.names, "e", weigh)
        if shared:
            score += p.w_names * ov
            why.append(f"{shared} names")
        elif len(a.names) >= 2 and len(s.names) >= 2:
            score -= p.pen_names
            why.append("no common names")
    if a.places and s.places:
        if a.places & s.places:
            score += p.w_place
            why.append("same places")
        elif (
            a.cities
            and s.cities
            and not (a.cities & s.cities)
            and not (a.cities & s.places_up or s.cities & a.places_up)
        ):
            score -= p.pen_place
            why.append("different cities")
        elif not (a.places_up & s.places_up):
            score -= p.pen_place
            why.append("different places")
    if a.numbers and s.numbers:
        ov, shared = _overlap(a.numbers, s.numbers, "n", weigh)
        if shared:
            score += p.w_numbers * ov
            why.append("same numbers")
        else:
            score -= p.pen_numbers
            why.append("different numbers")
    if gap_s > 0:
        score -= p.pen_time * min(1.0, gap_s / (p.time_scale_h * 3600))
    return score, ", ".join(why)


def _vec_of(a: StoryArticle) -> np.ndarray:
    v = a.embedding
    if v is None:
        v = embed_articles([(a.title, a.text)])[0]
    return np.asarray(v, dtype=np.float32).reshape(DIM)


def same_story(
    a: StoryArticle, b: StoryArticle, *, params: Params | None = None, window: timedelta = timedelta(days=3)
) -> tuple[bool, float]:
    """The clusterer's decision for two articles: (same story?, score)."""
    p = params or Params()
    va, vb = _vec_of(a), _vec_of(b)
    sa = _article_side(a, story_terms(a.title, a.text))
    sb = _article_side(b, story_terms(b.title, b.text))
    window_s = window.total_seconds()
    gap = abs((a.published - b.published).total_seconds())
    if gap > window_s:
        return False, 0.0
    score, _ = _score(p, sa, float(va @ vb), sb, gap, window_s)
    return score >= p.threshold, score


class _Story:
    __slots__ = (
        "_side",
        "category",
        "first_ts",
        "id",
        "last_ts",
        "members",
        "names",
        "numbers",
        "per_source",
        "places",
        "size",
        "slot",
        "sources",
        "sum",
        "weight",
    )  # fmt: skip

    def __init__(self, sid: int, ts: float, category: str, members: int) -> None:
        self.id = sid
        self.sum = np.zeros(DIM, dtype=np.float32)
        self.weight = 0.0
        self.size = 0
        self.first_ts = ts
        self.last_ts = ts
        self.sources: set[int] = set()
        self.per_source: Counter[int] = Counter()
        self.names: Counter[str] = Counter()
        self.numbers: Counter[str] = Counter()
        self.places: Counter[int] = Counter()
        self.members: deque[np.ndarray] = deque(maxlen=members)
        self.slot = -1
        self.category = category
        self._side: _Side | None = None

    def centroid(self) -> np.ndarray:
        n = float(np.linalg.norm(self.sum))
        return (self.sum / n).astype(np.float32) if n > 0 else np.zeros(DIM, dtype=np.float32)

    def side(self) -> _Side:
        if self._side is None:
            named, cities, up = _places_view(self.places)
            self._side = _Side(frozenset(self.names), frozenset(self.numbers), named, cities, up)
        return self._side

    def index_keys(self) -> list[tuple[str, object]]:
        return (
            [("p", g) for g in self.places]
            + [("e", e) for e in self.names]
            + [("n", n) for n in self.numbers]
        )


def _prune(c: Counter, cap: int) -> None:
    if len(c) > 2 * cap:
        keep = c.most_common(cap)
        c.clear()
        c.update(dict(keep))


class StoryClusterer:
    """Online clustering over a bounded window of recent stories (see the module docstring)."""

    def __init__(self, *, window: timedelta = timedelta(days=3), params: Params | None = None) -> None:
        self.window = window
        self.p = params or Params()
        self._window_s = window.total_seconds()
        self._stories: dict[int, _Story] = {}
        self._mat = np.zeros((256, DIM), dtype=np.float32)
        self._slot_story = np.full(256, -1, dtype=np.int64)
        self._free: list[int] = []
        self._hi = 0  # slots in use are below this
        self._postings: dict[tuple[str, object], OrderedDict[int, None]] = {}
        self._df: Counter[tuple[str, object]] = Counter()  # stories of the window holding a key
        self._article_story: OrderedDict[int, int] = OrderedDict()
        self._alias: OrderedDict[int, int] = OrderedDict()  # merged story id → survivor
        self._clock = -math.inf  # newest publication time seen (POSIX seconds)
        self._scan_clock = -math.inf
        self._since_scan = 0

    # --- public API ---------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._stories)

    def load(self, snapshots: Iterable[StorySnapshot]) -> None:
        """Resume from stored stories (centroids and the terms the index needs)."""
        for snap in snapshots:
            s = _Story(snap.id, snap.first_at.timestamp(), snap.category, self.p.member_vectors)
            s.last_ts = snap.last_at.timestamp()
            c = np.asarray(snap.centroid, dtype=np.float32).reshape(DIM)
            w = float(min(max(snap.size, 1), self.p.per_source_centroid * max(1, len(snap.source_ids))))
            s.sum = c * np.float32(w)
            s.weight = w
            s.size = snap.size
            s.sources = set(snap.source_ids)
            s.members.append(c)
            s.places.update(snap.place_ids)
            for t in snap.terms:
                if t.startswith("e:"):
                    s.names[t[2:]] += 1
                elif t.startswith("n:"):
                    s.numbers[t[2:]] += 1
            if snap.id in self._stories:
                self._drop(snap.id)
            self._stories[snap.id] = s
            self._place_in_matrix(s)
            self._rekey(s, set())
            self._clock = max(self._clock, s.last_ts)

    def snapshots(self, story_ids: Iterable[int]) -> list[StorySnapshot]:
        from datetime import UTC

        out = []
        for sid in story_ids:
            s = self._stories.get(self._resolve(sid))
            if s is None:
                continue
            terms = tuple(sorted(["e:" + k for k in s.names] + ["n:" + k for k in s.numbers]))
            out.append(
                StorySnapshot(
                    id=s.id,
                    centroid=s.centroid(),
                    size=s.size,
                    first_at=datetime.fromtimestamp(s.first_ts, UTC),
                    last_at=datetime.fromtimestamp(s.last_ts, UTC),
                    source_ids=tuple(sorted(s.sources)),
                    place_ids=tuple(g for g, _ in s.places.most_common(self.p.max_terms)),
                    terms=terms,
                    category=s.category,
                )
            )
        return out

    def evict(self, now: datetime) -> int:
        """Forget stories whose last article is older than the window before ``now``."""
        return self._evict_before(now.timestamp() - self._window_s)

    def add(self, articles: Sequence[StoryArticle]) -> list[Assignment]:
        """Cluster ``articles`` in the order given (oldest first); one assignment each."""
        if not articles:
            return []
        missing = [i for i, a in enumerate(articles) if a.embedding is None]
        vecs = np.zeros((len(articles), DIM), dtype=np.float32)
        for i, a in enumerate(articles):
            if a.embedding is not None:
                vecs[i] = np.asarray(a.embedding, dtype=np.float32).reshape(DIM)
        if missing:
            vecs[missing] = embed_articles([(articles[i].title, articles[i].text) for i in missing])
        out: list[Assignment] = []
        block = 256
        for start in range(0, len(articles), block):
            chunk = articles[start : start + block]
            cv = vecs[start : start + block]
            hi = self._hi
            pre = cv @ self._mat[:hi].T if hi else np.zeros((len(chunk), 0), dtype=np.float32)
            if hi:
                pre[:, self._slot_story[:hi] < 0] = -2.0
            fresh: list[int] = []  # stories created in this block (not in ``pre``)
            for j, a in enumerate(chunk):
                out.append(self._add_one(a, cv[j], pre[j], hi, fresh))
        return out

    # --- one article --------------------------------------------------------------------------
    def _add_one(
        self, a: StoryArticle, vec: np.ndarray, pre: np.ndarray, hi: int, fresh: list[int]
    ) -> Assignment:
        ts = a.published.timestamp()
        terms = story_terms(a.title, a.text)
        if ts > self._clock:
            self._clock = ts
        self._since_scan += 1
        if self._clock - self._scan_clock > self._window_s / 200 or self._since_scan > 2000:
            self._evict_before(self._clock - self._window_s)
            self._scan_clock = self._clock
            self._since_scan = 0

        if a.duplicate_of is not None:
            sid = self._article_story.get(a.duplicate_of)
            if sid is not None:
                s = self._stories.get(self._resolve(sid))
                if s is not None:
                    self._join(s, a, vec, terms, ts, copy=True)
                    return Assignment(a.id, s.id, False, 1.0, reason="a copy of an article of this story")

        side = _article_side(a, terms)
        scored = self._candidates(side, vec, ts, pre, hi, fresh)
        p = self.p
        best: tuple[float, str, _Story] | None = scored[0] if scored else None
        if best is None or best[0] < p.threshold:
            s = self._new_story(a, vec, terms, ts)
            fresh.append(s.id)
            return Assignment(a.id, s.id, True, 1.0, reason="new story")
        score, why, s = best
        merged: list[int] = []
        if score >= p.merge_threshold:
            bridged = [
                o for sc, _, o in scored[1:4]
                if sc >= p.merge_threshold and float(s.centroid() @ o.centroid()) >= p.merge_cosine
            ]  # fmt: skip
            for o in bridged:
                if o is not s and o.id in self._stories and s.id in self._stories:
                    keep, gone = (s, o) if s.id < o.id else (o, s)
                    self._merge(keep, gone)
                    merged.append(gone.id)
                    s = keep
        self._join(s, a, vec, terms, ts, copy=False)
        return Assignment(a.id, s.id, False, round(float(score), 4), merged=merged, reason=why)

    def _candidates(
        self, side: _Side, vec: np.ndarray, ts: float, pre: np.ndarray, hi: int, fresh: list[int]
    ) -> list[tuple[float, str, _Story]]:
        p = self.p
        ids: dict[int, None] = {}
        if hi:
            k = min(p.top_k, hi)
            top = np.argpartition(-pre, k - 1)[:k] if hi > k else np.arange(hi)
            for slot in top:
                if pre[slot] > -1.0:
                    sid = int(self._slot_story[slot])
                    if sid >= 0:
                        ids[sid] = None
        for sid in fresh[-64:]:
            ids[sid] = None
        # sorted: set order follows Python's per-process string hashing, and with the candidate
        # cap it would decide which stories are looked at (output must not depend on the seed)
        keys: list[tuple[str, object]] = [("p", g) for g in sorted(side.places)]
        keys += [("e", e) for e in sorted(side.names)]
        keys += [("n", n) for n in sorted(side.numbers)]
        for key in keys:
            post = self._postings.get(key)
            if post:
                for n, sid in enumerate(reversed(post)):
                    if n >= p.posting_k:
                        break
                    ids[sid] = None
            if len(ids) >= p.max_candidates:
                break
        out: list[tuple[float, str, _Story]] = []
        w = self._window_s
        seen: set[int] = set()
        for sid in ids:
            s = self._stories.get(self._resolve(sid))
            if s is None or s.id in seen:
                continue
            seen.add(s.id)
            if ts < s.first_ts - w or ts > s.last_ts + w:
                continue  # placed by its own time: a story of another week is not a candidate
            cen = self._mat[s.slot]
            sim = float(cen @ vec)
            if s.members:
                sim = max(sim, float(np.max(np.stack(s.members) @ vec)))
            gap = max(0.0, ts - s.last_ts, s.first_ts - ts)
            sc, why = _score(p, side, sim, s.side(), gap, w, self._weigh)
            out.append((sc, why, s))
        out.sort(key=lambda r: (-r[0], r[2].id))
        return out

    # --- story bookkeeping --------------------------------------------------------------------
    def _resolve(self, sid: int) -> int:
        seen = 0
        while sid in self._alias and seen < 64:
            sid = self._alias[sid]
            seen += 1
        return sid

    def _new_story(self, a: StoryArticle, vec: np.ndarray, terms: Terms, ts: float) -> _Story:
        s = _Story(a.id, ts, a.category, self.p.member_vectors)
        if a.id in self._stories:  # an id reused by the caller: the old story is gone
            self._drop(a.id)
        self._stories[s.id] = s
        self._join(s, a, vec, terms, ts, copy=False, new=True)
        return s

    def _join(
        self,
        s: _Story,
        a: StoryArticle,
        vec: np.ndarray,
        terms: Terms,
        ts: float,
        *,
        copy: bool,
        new: bool = False,
    ) -> None:
        p = self.p
        s.size += 1
        s.first_ts = min(s.first_ts, ts)
        s.last_ts = max(s.last_ts, ts)
        s.sources.add(a.source_id)
        s.per_source[a.source_id] += 1
        if not s.category and a.category:
            s.category = a.category
        self._article_story[a.id] = s.id
        if len(self._article_story) > p.dup_memory:
            self._article_story.popitem(last=False)
        # One outlet's rewrites, copies and floods add nothing to the story's shape.
        if copy or s.per_source[a.source_id] > p.per_source_centroid or not np.any(vec):
            if new:
                self._place_in_matrix(s)
            return
        if s.weight >= 1.0 and not s.members:
            s.members.append(s.sum / np.float32(s.weight))  # a lone member is the centroid: kept only now
        s.sum += vec
        s.weight += 1.0
        if s.weight > 1.0:
            s.members.append(vec)
        before = set(s.index_keys())
        s.names.update(sorted(terms.entities))  # insertion order breaks most_common's ties
        s.numbers.update(sorted(terms.numbers))
        s.places.update(a.place_ids)
        for c in (s.names, s.numbers, s.places):
            _prune(c, p.max_terms)
        self._rekey(s, before)
        s._side = None
        self._place_in_matrix(s)

    def _place_in_matrix(self, s: _Story) -> None:
        if s.slot < 0:
            if self._free:
                s.slot = heapq.heappop(self._free)  # the lowest free slot keeps the matrix short
            else:
                if self._hi >= len(self._mat):
                    n = len(self._mat) * 2
                    mat = np.zeros((n, DIM), dtype=np.float32)
                    mat[: self._hi] = self._mat[: self._hi]
                    owners = np.full(n, -1, dtype=np.int64)
                    owners[: self._hi] = self._slot_story[: self._hi]
                    self._mat, self._slot_story = mat, owners
                s.slot = self._hi
                self._hi += 1
            self._slot_story[s.slot] = s.id
        self._mat[s.slot] = s.centroid()

    def _post(self, key: tuple[str, object], sid: int) -> None:
        post = self._postings.get(key)
        if post is None:
            post = self._postings[key] = OrderedDict()
        post.pop(sid, None)
        post[sid] = None
        if len(post) > 4 * self.p.posting_k:  # only the most recent stories are ever read
            post.popitem(last=False)

    def _rekey(self, s: _Story, before: set[tuple[str, object]]) -> None:
        """Postings and window frequencies after the story's keys changed from ``before``."""
        after = set(s.index_keys())
        df = self._df
        for key in after - before:
            df[key] += 1
            self._post(key, s.id)
        for key in before - after:
            self._forget_key(key, s.id)

    def _forget_key(self, key: tuple[str, object], sid: int) -> None:
        n = self._df[key] - 1
        if n > 0:
            self._df[key] = n
        else:
            self._df.pop(key, None)
        post = self._postings.get(key)
        if post is not None:
            post.pop(sid, None)
            if not post:
                del self._postings[key]

    def _weigh(self, key: tuple[str, object]) -> float:
        """Inverse story frequency of a key in the window, 0.05..1."""
        n = len(self._stories) + 1
        if n < 20:
            return 1.0
        w = math.log(n / (self._df.get(key, 0) + 0.5)) / math.log(n)
        return min(1.0, max(0.05, w))

    def _merge(self, keep: _Story, gone: _Story) -> None:
        before = set(keep.index_keys())
        keep.sum += gone.sum
        keep.weight += gone.weight
        keep.size += gone.size
        keep.first_ts = min(keep.first_ts, gone.first_ts)
        keep.last_ts = max(keep.last_ts, gone.last_ts)
        keep.sources |= gone.sources
        keep.per_source.update(gone.per_source)
        keep.names.update(gone.names)
        keep.numbers.update(gone.numbers)
        keep.places.update(gone.places)
        for c in (keep.names, keep.numbers, keep.places):
            _prune(c, self.p.max_terms)
        for v in list(gone.members):
            keep.members.append(v)
        keep._side = None
        self._drop(gone.id)
        self._alias[gone.id] = keep.id
        if len(self._alias) > self.p.dup_memory:
            self._alias.popitem(last=False)
        self._rekey(keep, before)
        self._place_in_matrix(keep)

    def _drop(self, sid: int) -> None:
        s = self._stories.pop(sid, None)
        if s is None:
            return
        for key in s.index_keys():
            self._forget_key(key, sid)
        if s.slot >= 0:
            self._slot_story[s.slot] = -1
            self._mat[s.slot] = 0.0
            heapq.heappush(self._free, s.slot)
            s.slot = -1

    def _evict_before(self, cutoff: float) -> int:
        old = [sid for sid, s in self._stories.items() if s.last_ts < cutoff]
        for sid in old:
            self._drop(sid)
        while self._hi and self._slot_story[self._hi - 1] < 0:  # keep the scanned matrix short
            self._hi -= 1
        if old:
            self._free = [f for f in self._free if f < self._hi]
            heapq.heapify(self._free)
        return len(old)


__all__ = ["Params", "StoryClusterer", "same_story"]
