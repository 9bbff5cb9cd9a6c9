"""Evaluate story clustering (``svodka.stories.cluster``).

    python -m benchmarks.eval_stories [--outlets 100] [--seed 1] [--hours 12] [--window-stories 20000] [--json]

1. **tgcontest same-story pairs** (``../shared/benchmarks/tgcontest_markup/clustering_pairs``,
   expert-labelled OK = same event / BAD = different): pairwise precision / recall / F1 of
   :func:`same_story` on the Russian pairs (``ru_train`` + ``ru_exam`` + ``ru_honey``, 215 rows)
   and the English ones (``en_train``, 35 rows). Places come from ``understand()``; the
   articles are given the same date (the files carry none). Protocol (``protocol`` in the
   JSON): the clusterer's ``Params`` defaults, tuned for B-cubed on simulator seed 1 and checked
   on ``ru_train`` + ``en_train``; ``ru.held_out`` is ``ru_exam`` + ``ru_honey`` alone.
   ``ru.cv5`` is 5-fold cross-validation of the threshold alone over the Russian pairs
   (threshold picked on four folds for best F1, applied to the fifth), and
   ``best_threshold_f1`` the in-sample ceiling of a threshold — a bound, not a result.
   Anchors: the contest winner's F1 0.834 on its own Russian pair markup (2,701 pairs, not these).
2. **Simulator corpus**: a static newsroom (``hostile=False``) of ``--outlets`` outlets and
   ``--hours`` of backfill; every article (title + text) goes through ``understand()`` (language,
   places) and the shared embedder, then through ``StoryClusterer.add`` in publication order,
   in batches of 64 as an ingest cycle would. Near-duplicate copies carry ``duplicate_of`` as
   the dedupe stage gives it. Ground truth: the simulator's story ids (the clusterer never sees
   them). B-cubed precision / recall / F1 over all articles and over the articles of stories
   reported in more than one language (``cross_lingual``).
3. **Throughput**: ``StoryClusterer.add`` (batches of 64) with precomputed embeddings while the
   window holds ``--window-stories`` synthetic stories (random unit vectors with random names and
   places), and a tenth of that; ``clusterer_mb`` / ``bytes_per_story``: resident growth while
   the window filled (the shared place index excluded); ``embed_articles_per_s``: the embedder on
   the simulator texts (title + lead, one batch).

With ``--json`` the last line on stdout is one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import resource
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks._common import SHARED, rss_mb
from svodka.stories import StoryArticle
from svodka.stories.cluster import Params, StoryClusterer, same_story
from svodka.stories.embed import embed_articles

_START = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
_PAIRS = ("benchmarks", "tgcontest_markup", "clustering_pairs")
TRAIN_FILES = ("ru_train_pool", "en_train_pool")


# --- pairs -----------------------------------------------------------------------------------
def read_pairs(folder: Path) -> list[dict[str, Any]]:
    csv.field_size_limit(sys.maxsize)
    rows: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*_pool.tsv")):
        with path.open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f, delimiter="\t"):
                label = r.get("GOLDEN:quality", "")
                if label not in ("OK", "BAD"):
                    continue
                rows.append(
                    {
                        "file": path.stem,
                        "lang": path.stem.split("_")[0],
                        "a": (r["INPUT:first_title"], r["INPUT:first_text"]),
                        "b": (r["INPUT:second_title"], r["INPUT:second_text"]),
                        "same": label == "OK",
                    }
                )
    return rows


def _understand(title: str, text: str, vec: np.ndarray) -> Any:
    """``understand()`` given the vector already computed (older signatures: without it)."""
    from svodka.understand import understand

    try:
        return understand(title, text, embedding=vec)
    except TypeError:
        return understand(title, text)


def _story_article(i: int, title: str, text: str, vec: np.ndarray, when: datetime) -> StoryArticle:
    u = _understand(title, text, vec)
    return StoryArticle(
        id=i,
        title=title,
        text=text,
        lang=u.lang.code,
        source_id=i,
        published=when,
        category=u.category,
        place_ids=tuple(p.geonameid for p in u.places),
        embedding=vec,
    )


def _prf(tp: int, n_pred: int, n_true: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_true if n_true else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _pair_figures(scores: np.ndarray, truth: np.ndarray, threshold: float) -> dict[str, Any]:
    pred = scores >= threshold
    return {**_prf(int((pred & truth).sum()), int(pred.sum()), int(truth.sum())), "pairs": len(truth)}


def _best_threshold(scores: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    best = (0.0, 0.0)
    for t in np.unique(scores):
        f = _pair_figures(scores, truth, float(t))["f1"]
        if f > best[0]:
            best = (f, float(t))
    return best[1], best[0]


def eval_pairs(params: Params) -> dict[str, Any] | None:
    folder = SHARED.joinpath(*_PAIRS)
    if not folder.is_dir():
        return None
    rows = read_pairs(folder)
    t0 = time.perf_counter()
    texts = [r["a"] for r in rows] + [r["b"] for r in rows]
    vecs = embed_articles(texts)
    n = len(rows)
    scores = np.zeros(n)
    truth = np.array([r["same"] for r in rows])
    for i, r in enumerate(rows):
        a = _story_article(2 * i, *r["a"], vecs[i], _START)
        b = _story_article(2 * i + 1, *r["b"], vecs[n + i], _START)
        scores[i] = same_story(a, b, params=params)[1]
    took = time.perf_counter() - t0
    files = np.array([r["file"] for r in rows])
    langs = np.array([r["lang"] for r in rows])
    train = np.isin(files, TRAIN_FILES)
    out: dict[str, Any] = {}
    for lang in ("ru", "en"):
        m = langs == lang
        res = _pair_figures(scores[m], truth[m], params.threshold)
        res["same_pairs"] = int(truth[m].sum())
        held = m & ~train
        if held.any():
            res["held_out"] = _pair_figures(scores[held], truth[held], params.threshold)
        t_best, f_best = _best_threshold(scores[m], truth[m])
        res["best_threshold_f1"] = {"threshold": round(t_best, 4), "f1": round(f_best, 4)}
        if lang == "ru":
            res["cv5"] = _cv_threshold(scores[m], truth[m])
        out[lang] = res
    t_train, f_train = _best_threshold(scores[train], truth[train])
    out["protocol"] = (
        "Params defaults, fixed before this run: weights and threshold were tuned for B-cubed on the "
        "simulator (seed 1, 40 outlets, 12 h; this script reports seed 2) with ru_train+en_train as a "
        "check; the exam/honey pairs were printed during development, so held_out is not strictly "
        "blind. cv5 = 5-fold CV of the threshold alone over all ru pairs (weights fixed)."
    )
    out["threshold"] = params.threshold
    out["train_best_threshold"] = {"threshold": round(t_train, 4), "f1": round(f_train, 4)}
    out["seconds"] = round(took, 1)
    return out


def _cv_threshold(scores: np.ndarray, truth: np.ndarray, k: int = 5) -> dict[str, Any]:
    rng = np.random.default_rng(0)
    idx = rng.permutation(len(scores))
    folds = np.array_split(idx, k)
    pred = np.zeros(len(scores), dtype=bool)
    for j in range(k):
        test = folds[j]
        train = np.concatenate([folds[i] for i in range(k) if i != j])
        t, _ = _best_threshold(scores[train], truth[train])
        pred[test] = scores[test] >= t
    return _prf(int((pred & truth).sum()), int(pred.sum()), int(truth.sum()))


def _params_dict(p: Params) -> dict[str, Any]:
    return {f: getattr(p, f) for f in p.__dataclass_fields__}


# --- simulator -------------------------------------------------------------------------------
def simulator_corpus(outlets: int, seed: int, hours: float) -> list[dict[str, Any]]:
    from svodka.simulator import Newsroom, SimConfig

    nr = Newsroom(
        SimConfig(outlets=outlets, seed=seed, static=True, hostile=False, backfill_hours=hours, start=_START)
    )
    items = sorted(nr.items_until(_START), key=lambda it: (it.published, it.id))
    ids = {it.id: n + 1 for n, it in enumerate(items)}
    out = []
    for it in items:
        art = nr.article(it)
        out.append(
            {
                "id": ids[it.id],
                "title": art.title,
                "text": "\n\n".join(art.paragraphs),
                "published": it.published_dt,
                "source": it.outlet.index,
                "lang": it.lang,
                "story": it.story.id,
                "duplicate_of": ids[it.duplicate_of.id] if it.duplicate_of else None,
            }
        )
    return out


def bcubed(pred: list[int], truth: list[str]) -> dict[str, float]:
    """B-cubed precision / recall / F1 (item-averaged)."""
    by_pred: dict[int, list[int]] = defaultdict(list)
    by_true: dict[str, list[int]] = defaultdict(list)
    for i, (p, t) in enumerate(zip(pred, truth, strict=True)):
        by_pred[p].append(i)
        by_true[t].append(i)
    pair_count: dict[tuple[int, str], int] = defaultdict(int)
    for p, t in zip(pred, truth, strict=True):
        pair_count[(p, t)] += 1
    prec = sum(pair_count[(p, t)] / len(by_pred[p]) for p, t in zip(pred, truth, strict=True)) / len(pred)
    rec = sum(pair_count[(p, t)] / len(by_true[t]) for p, t in zip(pred, truth, strict=True)) / len(pred)
    f = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"bcubed_precision": round(prec, 4), "bcubed_recall": round(rec, 4), "bcubed_f1": round(f, 4)}


def prepare_simulator(
    outlets: int, seed: int, hours: float
) -> tuple[list[dict[str, Any]], list[StoryArticle], dict[str, float]]:
    """The corpus, and each article understood and embedded (what ingestion gives the clusterer)."""
    docs = simulator_corpus(outlets, seed, hours)
    t0 = time.perf_counter()
    vecs = embed_articles([(d["title"], d["text"]) for d in docs])
    embed_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    arts = []
    for d, v in zip(docs, vecs, strict=True):
        u = _understand(d["title"], d["text"], v)
        arts.append(
            StoryArticle(
                id=d["id"],
                title=d["title"],
                text=d["text"],
                lang=u.lang.code,
                source_id=d["source"],
                published=d["published"],
                category=u.category,
                place_ids=tuple(p.geonameid for p in u.places),
                duplicate_of=d["duplicate_of"],
                embedding=v,
            )
        )
    return docs, arts, {"embed_s": embed_s, "understand_s": time.perf_counter() - t0}


def cluster_simulator(
    docs: list[dict[str, Any]], arts: list[StoryArticle], params: Params, batch: int = 64
) -> dict[str, Any]:
    cl = StoryClusterer(params=params)
    story_of: dict[int, int] = {}
    members: dict[int, list[int]] = defaultdict(list)
    merges = 0
    t0 = time.perf_counter()
    for i in range(0, len(arts), batch):
        for a in cl.add(arts[i : i + batch]):
            story_of[a.article_id] = a.story_id
            members[a.story_id].append(a.article_id)
            for m in a.merged:
                merges += 1
                for k in members.pop(m, []):
                    story_of[k] = a.story_id
                    members[a.story_id].append(k)
    cluster_s = time.perf_counter() - t0
    pred = [story_of[d["id"]] for d in docs]
    truth = [d["story"] for d in docs]
    res: dict[str, Any] = bcubed(pred, truth)
    langs: dict[str, set[str]] = defaultdict(set)
    for d in docs:
        langs[d["story"]].add(d["lang"])
    cross = [i for i, d in enumerate(docs) if len(langs[d["story"]]) > 1]
    cross_res = bcubed([pred[i] for i in cross], [truth[i] for i in cross]) if cross else {}
    res.update(
        {
            "articles": len(docs),
            "stories": len(set(truth)),
            "predicted_stories": len(set(pred)),
            "cross_lingual_stories": len({truth[i] for i in cross}),
            "cross_lingual_articles": len(cross),
            "cross_lingual": cross_res,
            "merges": merges,
            "cluster_s": round(cluster_s, 2),
        }
    )
    return res


def eval_simulator(outlets: int, seed: int, hours: float, params: Params, batch: int = 64) -> dict[str, Any]:
    docs, arts, took = prepare_simulator(outlets, seed, hours)
    res = cluster_simulator(docs, arts, params, batch)
    res.update(
        {
            "embed_s": round(took["embed_s"], 1),
            "understand_s": round(took["understand_s"], 1),
            "embed_articles_per_s": round(len(docs) / took["embed_s"], 1),
            "params": {"outlets": outlets, "seed": seed, "hours": hours, "batch": batch},
        }
    )
    return res


# --- throughput ------------------------------------------------------------------------------
def eval_throughput(window_stories: int, n: int = 5000, seed: int = 3) -> dict[str, Any]:
    """``add`` with precomputed embeddings while the window holds ``window_stories`` stories."""
    rng = np.random.default_rng(seed)
    names = [f"Name{i}" for i in range(5000)]

    def article(i: int, when: datetime, vec: np.ndarray) -> StoryArticle:
        k = rng.integers(0, len(names), size=3)
        title = f"Report {i} on {names[k[0]]} and {names[k[1]]} with {int(rng.integers(10, 10000))} people"
        return StoryArticle(
            id=i,
            title=title,
            text=f"The {names[k[2]]} event.",
            lang="en",
            source_id=int(rng.integers(0, 500)),
            published=when,
            place_ids=(int(rng.integers(1, 3000)),),
            embedding=vec,
        )

    def unit(m: int) -> np.ndarray:
        v = rng.standard_normal((m, 512)).astype(np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    cl = StoryClusterer(window=timedelta(days=3))
    span = 3 * 86400 * 0.9
    base = _START - timedelta(seconds=span)
    seedv = unit(window_stories)
    vecs = unit(n)
    from svodka.understand.geo import gazetteer

    gazetteer().hierarchy(1)  # the place index (shared with understand) is not the clusterer's memory
    gc.collect()
    rss0 = rss_mb()
    for lo in range(0, window_stories, 512):
        cl.add(
            [
                article(i + 1, base + timedelta(seconds=span * i / window_stories), seedv[i])
                for i in range(lo, min(lo + 512, window_stories))
            ]
        )
    held = len(cl)
    gc.collect()
    grown = rss_mb() - rss0
    # new articles: half close to a held story (joins), half new
    picks = rng.integers(0, window_stories, size=n)
    for j in range(0, n, 2):
        v = seedv[picks[j]] + 0.3 * vecs[j]
        vecs[j] = v / np.linalg.norm(v)
    arts = [article(10_000_000 + j, _START + timedelta(seconds=j * 0.5), vecs[j]) for j in range(n)]
    t0 = time.perf_counter()
    c0 = time.process_time()
    for i in range(0, n, 64):
        cl.add(arts[i : i + 64])
    took = time.perf_counter() - t0
    cpu = time.process_time() - c0
    return {
        "window_stories": held,
        "articles": n,
        "articles_per_s": round(n / took, 1),
        "articles_per_cpu_s": round(n / cpu, 1),
        "clusterer_mb": round(grown, 1),
        "bytes_per_story": round(grown * 2**20 / max(1, held)),
    }


def evaluate(
    outlets: int = 60, seed: int = 2, hours: float = 12.0, window_stories: int = 20_000
) -> dict[str, Any]:
    params = Params()
    pairs = eval_pairs(params)
    sim = eval_simulator(outlets, seed, hours, params)
    thr = eval_throughput(window_stories)
    small = eval_throughput(max(1, window_stories // 10))
    thr["at_tenth_window"] = {k: small[k] for k in ("window_stories", "articles_per_s", "articles_per_cpu_s")}
    return {
        "tgcontest_pairs": pairs,
        "simulator_stories": sim,
        "stories_throughput": {**thr, "embed_articles_per_s": sim["embed_articles_per_s"]},
        "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.eval_stories", description=__doc__.split("\n")[0])
    ap.add_argument("--outlets", type=int, default=60)
    ap.add_argument("--seed", type=int, default=2)
    ap.add_argument("--hours", type=float, default=12.0, help="simulated backfill span (default 12)")
    ap.add_argument("--window-stories", type=int, default=20_000)
    ap.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    a = ap.parse_args(argv)
    res = evaluate(a.outlets, a.seed, a.hours, a.window_stories)
    print(
        json.dumps(res, ensure_ascii=False) if a.json else json.dumps(res, indent=2, ensure_ascii=False),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
