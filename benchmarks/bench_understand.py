"""`svodka bench understand`: throughput and memory of the understand stage.

Articles from a simulator corpus (titles + the first 1,000 characters of text, ru/en/uk) go
through language + near-duplicate fingerprint and index + category + places, one process, one
thread — exactly what the crawler's understand pass does per article. Models load first (load
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
    from svodka.understand import understand
    from svodka.understand.dedupe import NearDupIndex

    corpus = _corpus(n, seed)
    t0 = time.perf_counter()
    understand("Прогрев моделей в Москве", "Текст для загрузки моделей языка, категорий и мест.")
    load_s = time.perf_counter() - t0
    index = NearDupIndex()
    t0 = time.perf_counter()
    for i, (title, text, published) in enumerate(sorted(corpus, key=lambda c: c[2])):
        u = understand(title, text)
        index.add(i, u.fingerprint, published)
    took = time.perf_counter() - t0
    return {
        "articles": len(corpus),
        "seconds": round(took, 3),
        "articles_per_s": round(len(corpus) / took, 1),
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
        f"understand: {res['articles']} articles in {res['seconds']} s = {res['articles_per_s']} articles/s; "
        f"models loaded in {res['load_s']} s; peak RSS {res['peak_rss_mb']} MB",
        file=sys.stderr,
    )
    if args.json:
        print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
