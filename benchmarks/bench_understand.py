"""`svodka bench understand`: throughput and memory of the understand stage.

Articles from a simulator corpus (titles + the first 1,000 characters of text, ru/en/uk) go
through language + near-duplicate fingerprint and index + category (lexical + USE embedding)
+ places in batches of 200, twice:

1. ``articles_per_s``: exactly as the crawler's understand pass runs it — each batch split over
   the understand pool's worker processes (``svodka.understand._pool``, one per core, one BLAS
   thread each), the near-duplicate index in the calling process. ``peak_rss_mb`` is the sum of
   the calling process's and every worker's peak RSS (an upper bound: pages a fork shares are
   counted in each).
2. ``in_process_articles_per_s``: ``understand_many`` in one process (BLAS may use every core),
   as ``SVODKA_UNDERSTAND_WORKERS=0`` runs it; ``articles_per_cpu_s`` and the embedding's share
   are from this pass.

Models load first (load time reported apart); then the timed loops run. Everything runs in a
child process so nothing else counts.

Goal (issue 3): ≥ 300 articles/s and ≤ 1.5 GB resident on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

BATCH = 200


def _corpus(n: int, seed: int) -> list[tuple[str, str, datetime]]:
    from svodka.simulator import Newsroom, SimConfig

    start = datetime(2026, 11, 1, tzinfo=UTC)
    outlets = max(20, n // 60)
    nr = Newsroom(
        SimConfig(outlets=outlets, seed=seed, hostile=False, static=True, items_per_feed=60, start=start)
    )
    out: list[tuple[str, str, datetime]] = []
    for outlet in nr.normal:
        for item in nr.visible_items(outlet, start + timedelta(days=1)):
            art = nr.article(item)
            text = "\n\n".join(art.paragraphs)
            out.append((art.title, text[:1000], datetime.fromtimestamp(item.published, tz=UTC)))
            if len(out) >= n:
                return out
    return out


def _vm_hwm_mb(pid: int) -> float | None:
    """Peak resident set (VmHWM) of a live process, from /proc; None where there is no /proc."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _run(
    ordered: list[tuple[str, str, datetime]], understand_many: Callable[[list[tuple[str, str]]], list[Any]]
) -> tuple[float, float]:
    """The timed loop: batches of 200 through ``understand_many``, then the near-dup index (in
    this process, as in the crawler). Returns (wall seconds, this process's CPU seconds)."""
    from svodka.understand.dedupe import NearDupIndex

    index = NearDupIndex()
    t0, c0 = time.perf_counter(), time.process_time()
    for start in range(0, len(ordered), BATCH):
        batch = ordered[start : start + BATCH]
        results = understand_many([(t, x) for t, x, _ in batch])
        for i, ((_, _, published), u) in enumerate(zip(batch, results, strict=True)):
            index.add(start + i, u.fingerprint, published)
    return time.perf_counter() - t0, time.process_time() - c0


def measure(n: int, seed: int, workers: int) -> dict[str, object]:
    from svodka.understand import understand, understand_many
    from svodka.understand._pool import UnderstandPool

    corpus = _corpus(n, seed)
    ordered = sorted(corpus, key=lambda c: c[2])
    res: dict[str, object] = {"articles": len(corpus), "workers": workers}
    if workers > 0:
        # the crawler's way (svodka.understand._pool): the batch split over worker processes
        pool = UnderstandPool(workers)
        t0 = time.perf_counter()
        pool.start()
        res["pool_load_s"] = round(time.perf_counter() - t0, 2)
        took, main_cpu = _run(ordered, pool.understand_many)
        worker_mb = [m for m in (_vm_hwm_mb(p) for p in pool.worker_pids()) if m is not None]
        pool.close()
        main_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before it loads models
        res.update(
            {
                "seconds": round(took, 3),
                "articles_per_s": round(len(corpus) / took, 1),
                "main_cpu_ms_per_article": round(main_cpu / len(corpus) * 1000, 3),
                "main_peak_rss_mb": round(main_mb, 1),
                "worker_peak_rss_mb": [round(m, 1) for m in worker_mb],
                # every process of the pool configuration: this one and its workers (pages
                # shared by a fork are counted in each, so this is an upper bound)
                "peak_rss_mb": round(main_mb + sum(worker_mb), 1),
            }
        )
    # one process (BLAS may use every core), as svodka analyze runs with SVODKA_UNDERSTAND_WORKERS=0
    t0 = time.perf_counter()
    understand("Прогрев моделей в Москве", "Текст для загрузки моделей языка, категорий и мест.")
    res["load_s"] = round(time.perf_counter() - t0, 2)
    took, cpu = _run(ordered, understand_many)
    # the embedding's share, measured apart on the same texts
    from svodka.stories.embed import embed_articles

    e0 = time.process_time()
    embed_articles([(t, x) for t, x, _ in ordered[: min(len(ordered), 1000)]])
    embed_s = (time.process_time() - e0) / min(len(ordered), 1000)
    main_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    res.update(
        {
            "in_process_seconds": round(took, 3),
            "in_process_articles_per_s": round(len(corpus) / took, 1),
            "articles_per_cpu_s": round(len(corpus) / cpu, 1),
            "embedding_articles_per_cpu_s": round(1 / embed_s, 1) if embed_s else None,
            "without_embedding_articles_per_cpu_s": round(1 / (cpu / len(corpus) - embed_s), 1)
            if cpu / len(corpus) > embed_s
            else None,
            "in_process_peak_rss_mb": round(main_mb, 1),
        }
    )
    if workers == 0:
        res["seconds"], res["articles_per_s"] = res["in_process_seconds"], res["in_process_articles_per_s"]
        res["peak_rss_mb"] = res["in_process_peak_rss_mb"]
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="svodka bench understand", description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument(
        "--workers",
        type=int,
        default=None,
        help="understand processes (default: SVODKA_UNDERSTAND_WORKERS, else one per core up to 4; 0: in-process only)",
    )
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.workers is None:
        from svodka.understand._pool import default_workers

        args.workers = default_workers()
    if args.child:
        print(json.dumps(measure(args.articles, args.seed, args.workers)))
        return 0
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.bench_understand",
            "--child",
            "--articles",
            str(args.articles),
            "--seed",
            str(args.seed),
            "--workers",
            str(args.workers),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if proc.returncode != 0:
        print(proc.stderr[-3000:], file=sys.stderr)
        return 1
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    res["machine"] = {
        "cpus": __import__("os").cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    res["date"] = datetime.now(UTC).isoformat(timespec="seconds")
    print(
        f"understand: {res['articles']} articles in {res['seconds']} s = {res['articles_per_s']} articles/s "
        f"with {res['workers']} worker processes; in one process {res['in_process_articles_per_s']} articles/s "
        f"({res['articles_per_cpu_s']} per CPU-second; the embedding alone "
        f"{res['embedding_articles_per_cpu_s']}, the rest {res['without_embedding_articles_per_cpu_s']}); "
        f"models loaded in {res['load_s']} s; peak RSS {res['peak_rss_mb']} MB (all processes)",
        file=sys.stderr,
    )
    if args.json:
        print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
