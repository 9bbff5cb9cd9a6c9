"""Evaluate near-duplicate detection (``svodka.understand.dedupe``).

    python -m benchmarks.eval_dedupe [--outlets 200] [--seed 1] [--hours 6] [--stream N] [--json]

1. **Simulator**: a static newsroom (``hostile=False``) and its ground truth. Syndicated copies
   (``duplicate_of``: verbatim, edited headline, or the first half of the paragraphs) are the
   positives. Every article (title + paragraphs) goes through ``fingerprint`` and
   ``NearDupIndex.add`` in publication order. Figures:

   - ``precision`` / ``recall`` / ``f1``: pairs "article → its original" (predicted: the
     ``Match.original``; truth: ``duplicate_of``);
   - ``detection``: per article, "is it a copy at all" (whatever original was named);
   - ``grouping``: pairs of articles put in one group (original + its copies);
   - ``fp_same_text``: false pairs whose bodies are the same paragraphs in the same order
     (all but perhaps the last paragraph of the shorter one). The simulator writes each
     outlet's own report from a small set of paragraph templates filled with the story's
     facts, so two outlets' "own" reports are sometimes word for word the same text. No
     text-based detector can tell those from a copy; ``precision_same_text_allowed`` counts
     them as right.
   - ``articles_per_s``: fingerprint + ``add`` (texts prepared beforehand, one core);
     ``articles_per_cpu_s`` divides by the process's CPU time instead (steadier on a busy
     machine); ``rss_mb``: peak resident memory of the process; ``index_mb``: resident growth
     while the index was built.
2. **tgcontest same-story pairs** (``../shared/benchmarks/tgcontest_markup/clustering_pairs``):
   pairs of different outlets' articles about one event (OK) or not (BAD). They are mostly
   not copies, so the detector should call few of them copies (``ok_called_dup``).
3. ``--stream N``: N distinct synthetic articles at 1,200 an hour through a 72-hour index:
   ``peak_len`` must stop at the window (86,400 articles) and ``bytes_per_indexed_article``
   says what an indexed article costs.

With ``--json`` the last line on stdout is one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import gc
import itertools
import json
import os
import resource
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks._common import rss_mb
from svodka.understand.dedupe import NearDupIndex, fingerprint, similarity

_REPO = Path(__file__).resolve().parent.parent
_START = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def shared_dir() -> Path:
    return Path(os.environ.get("SVODKA_SHARED") or _REPO.parent / "shared")


def _prf(tp: int, n_pred: int, n_true: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_true if n_true else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _group_pairs(groups: dict[str, list[str]]) -> set[tuple[str, str]]:
    out = set()
    for members in groups.values():
        for a, b in itertools.combinations(sorted(members), 2):
            out.add((a, b))
    return out


def _same_text(a: list[str], b: list[str]) -> bool:
    """The paragraphs are the same, in the same order, except perhaps the shorter text's last."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    common = 0
    for x, y in zip(short, long_, strict=False):
        if x != y:
            break
        common += 1
    return common >= 2 and common >= len(short) - 1


def simulator_corpus(outlets: int = 200, seed: int = 1, hours: float = 6.0) -> list[dict[str, Any]]:
    """Articles of a static simulated newsroom, oldest first: id, title, text, published, truth."""
    from svodka.simulator import Newsroom, SimConfig

    nr = Newsroom(
        SimConfig(outlets=outlets, seed=seed, static=True, hostile=False, backfill_hours=hours, start=_START)
    )
    out = []
    for item in nr.items_until(_START):
        art = nr.article(item)
        out.append(
            {
                "id": item.id,
                "title": art.title,
                "text": "\n\n".join(art.paragraphs),
                "paragraphs": art.paragraphs,
                "published": item.published_dt,
                "duplicate_of": item.duplicate_of.id if item.duplicate_of else None,
                "mode": item.dup_mode,
                "story": item.story.id,
            }
        )
    return out


def eval_simulator(outlets: int = 200, seed: int = 1, hours: float = 6.0, **index_kw: Any) -> dict[str, Any]:
    docs = simulator_corpus(outlets, seed, hours)
    by_id = {d["id"]: d for d in docs}
    prepared = [(d["id"], d["title"], d["text"], d["published"]) for d in docs]
    gc.collect()
    rss0 = rss_mb()
    index = NearDupIndex(**index_kw)
    predicted: dict[str, str] = {}
    kinds: dict[str, int] = defaultdict(int)
    regrouped: dict[str, str] = {}
    index.on_regroup = lambda old, new: regrouped.__setitem__(old, new)
    t0 = time.perf_counter()
    c0 = time.process_time()
    t_fp = 0.0
    for doc_id, title, text, published in prepared:
        t1 = time.perf_counter()
        fp = fingerprint(title, text)
        t_fp += time.perf_counter() - t1
        m = index.add(doc_id, fp, published)
        if m is not None:
            predicted[doc_id] = str(m.original)
            kinds[m.kind] += 1
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - c0
    index_mb = rss_mb() - rss0

    truth = {d["id"]: d["duplicate_of"] for d in docs if d["duplicate_of"]}
    tp_pairs = sum(1 for k, v in predicted.items() if truth.get(k) == v)
    pairs = _prf(tp_pairs, len(predicted), len(truth))
    detection = _prf(len(predicted.keys() & truth.keys()), len(predicted), len(truth))

    def root(doc_id: str, links: dict[str, str]) -> str:
        while doc_id in links:
            doc_id = links[doc_id]
        return doc_id

    links = dict(predicted)
    links.update(regrouped)
    pred_groups: dict[str, list[str]] = defaultdict(list)
    true_groups: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        pred_groups[root(d["id"], links)].append(d["id"])
        true_groups[d["duplicate_of"] or d["id"]].append(d["id"])
    pg, tg = _group_pairs(pred_groups), _group_pairs(true_groups)
    grouping = _prf(len(pg & tg), len(pg), len(tg))

    fp_same_text = 0
    fp_same_story = 0
    for k, v in predicted.items():
        if truth.get(k) == v:
            continue
        a, b = by_id[k], by_id[v]
        fp_same_text += _same_text(a["paragraphs"], b["paragraphs"])
        fp_same_story += a["story"] == b["story"]
    missed: dict[str, int] = defaultdict(int)
    for k, v in truth.items():
        if predicted.get(k) != v:
            missed[by_id[k]["mode"]] += 1
    return {
        **pairs,
        "n_docs": len(docs),
        "n_dup": len(truth),
        "n_predicted": len(predicted),
        "detection": detection,
        "grouping": grouping,
        "kinds": dict(kinds),
        "missed_by_mode": dict(missed),
        "fp_same_text": fp_same_text,
        "precision_same_text_allowed": round(
            (tp_pairs + fp_same_text) / len(predicted) if predicted else 1.0, 4
        ),
        "fp_same_story": fp_same_story,
        "seconds": round(elapsed, 3),
        "fingerprint_s": round(t_fp, 3),
        "articles_per_s": round(len(docs) / elapsed, 1),
        "articles_per_cpu_s": round(len(docs) / cpu, 1),
        "index_mb": round(index_mb, 1),
        "index_len": len(index),
    }


def eval_stream(n: int, per_hour: float = 1200.0, window_hours: float = 72.0) -> dict[str, Any]:
    """``n`` distinct synthetic articles at ``per_hour``: the index must stop growing at the window."""
    import random

    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(20_000)]
    index = NearDupIndex(window=timedelta(hours=window_hours))
    gc.collect()
    rss0 = rss_mb()
    peak_len = 0
    t0 = time.perf_counter()
    c0 = time.process_time()
    for i in range(n):
        text = " ".join(rng.choices(vocab, k=150))
        index.add(i, fingerprint(f"title {i} " + text[:40], text), _START.timestamp() + i * 3600 / per_hour)
        peak_len = max(peak_len, len(index))
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - c0
    grown = rss_mb() - rss0
    return {
        "articles": n,
        "per_hour": per_hour,
        "peak_len": peak_len,
        "window_articles": round(window_hours * per_hour),
        "index_mb": round(grown, 1),
        "bytes_per_indexed_article": round(grown * 2**20 / max(1, len(index))),
        "articles_per_s": round(n / elapsed, 1),
        "articles_per_cpu_s": round(n / cpu, 1),
    }


def _read_pairs(folder: Path) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    rows = []
    for path in sorted(folder.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as f:
            rows.extend(csv.DictReader(f, delimiter="\t"))
    return rows


def eval_tgcontest(**sim_kw: Any) -> dict[str, Any] | None:
    """Copies called among the tgcontest same-story pairs; None when shared/ is missing."""
    folder = shared_dir() / "benchmarks" / "tgcontest_markup" / "clustering_pairs"
    if not folder.is_dir():
        return None
    counts = {"OK": [0, 0], "BAD": [0, 0]}
    for row in _read_pairs(folder):
        label = row.get("GOLDEN:quality", "")
        if label not in counts:
            continue
        a = fingerprint(row["INPUT:first_title"], row["INPUT:first_text"])
        b = fingerprint(row["INPUT:second_title"], row["INPUT:second_text"])
        counts[label][0] += 1
        counts[label][1] += similarity(a, b, **sim_kw) is not None
    return {
        "ok_pairs": counts["OK"][0],
        "ok_called_dup": counts["OK"][1],
        "bad_pairs": counts["BAD"][0],
        "bad_called_dup": counts["BAD"][1],
    }


def evaluate(
    outlets: int = 200,
    seed: int = 1,
    hours: float = 6.0,
    threshold: float = 0.8,
    containment: float = 0.95,
    title_threshold: float = 0.5,
    bands: int = 16,
    rows: int = 2,
    stream: int = 0,
) -> dict[str, Any]:
    """All figures as one dict (for ``svodka eval --json``)."""
    sim_kw = {"threshold": threshold, "containment": containment, "title_threshold": title_threshold}
    sim = eval_simulator(outlets, seed, hours, window=timedelta(hours=72), bands=bands, rows=rows, **sim_kw)
    return {
        "simulator": sim,
        "tgcontest": eval_tgcontest(**sim_kw),
        "stream": eval_stream(stream) if stream else None,
        "articles_per_s": sim["articles_per_s"],
        "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "params": {"outlets": outlets, "seed": seed, "hours": hours, "bands": bands, "rows": rows, **sim_kw},
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.eval_dedupe", description=__doc__.split("\n")[0])
    p.add_argument("--outlets", type=int, default=200)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--hours", type=float, default=6.0, help="simulated backfill span (default 6)")
    p.add_argument("--threshold", type=float, default=0.8)
    p.add_argument("--containment", type=float, default=0.95)
    p.add_argument("--title-threshold", type=float, default=0.5)
    p.add_argument("--bands", type=int, default=16)
    p.add_argument("--rows", type=int, default=2)
    p.add_argument("--stream", type=int, default=0, help="also feed N synthetic articles (memory check)")
    p.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    a = p.parse_args(argv)
    res = evaluate(
        a.outlets, a.seed, a.hours, a.threshold, a.containment, a.title_threshold, a.bands, a.rows, a.stream
    )
    if a.json:
        print(json.dumps(res), flush=True)
    else:
        print(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
