"""`svodka bench understand`: throughput and memory of the understand stage.

Articles from a simulator corpus (titles + the first 1,000 characters of text, ru/en/uk) go
through language + near-duplicate fingerprint and index + category (lexical + USE embedding)
+ places in batches of 200 (``understand_many`` embeds a batch in one call), one process —
exactly what the crawler's understand pass does. The embedding (matrix products) may use both
cores through BLAS; ``articles_per_cpu_s`` counts process CPU time. Models load first (load
time reported apart); then the timed loop runs. Peak RSS is the process's own ``ru_maxrss``
(the measurement runs in a child process so nothing else counts).

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
from datetime import UTC, datetime, timedelta
from pathlib import Path

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


def measure(n: int, seed: int) -> dict[str, object]:
    from svodka.understand import understand, understand_many
    from svodka.understand.dedupe import NearDupIndex

    corpus = _corpus(n, seed)
    t0 = time.perf_counter()
    understand("Прогрев моделей в Москве", "Текст для загрузки моделей языка, категорий и мест.")
    load_s = time.perf_counter() - t0
    index = NearDupIndex()
    ordered = sorted(corpus, key=lambda c: c[2])
    t0, c0 = time.perf_counter(), time.process_time()
    for start in range(0, len(ordered), BATCH):
        batch = ordered[start : start + BATCH]
        results = understand_many([(t, x) for t, x, _ in batch])
        for i, ((_, _, published), u) in enumerate(zip(batch, results, strict=True)):
            index.add(start + i, u.fingerprint, published)
    took, cpu = time.perf_counter() - t0, time.process_time() - c0
    # the embedding's share, measured apart on the same texts
    from svodka.stories.embed import embed_articles

    e0 = time.process_time()
    embed_articles([(t, x) for t, x, _ in ordered[: min(len(ordered), 1000)]])
    embed_s = (time.process_time() - e0) / min(len(ordered), 1000)
    return {
        "articles": len(corpus),
        "seconds": round(took, 3),
        "articles_per_s": round(len(corpus) / took, 1),
        "articles_per_cpu_s": round(len(corpus) / cpu, 1),
        "embedding_articles_per_cpu_s": round(1 / embed_s, 1) if embed_s else None,
        "without_embedding_articles_per_cpu_s": round(1 / (cpu / len(corpus) - embed_s), 1)
        if cpu / len(corpus) > embed_s
        else None,
        "load_s": round(load_s, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="svodka bench understand", description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.articles, args.seed)))
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
        f"({res['articles_per_cpu_s']} per CPU-second; the embedding alone "
        f"{res['embedding_articles_per_cpu_s']}, the rest {res['without_embedding_articles_per_cpu_s']}); "
        f"models loaded in {res['load_s']} s; peak RSS {res['peak_rss_mb']} MB",
        file=sys.stderr,
    )
    if args.json:
        print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
