"""The peer's side of ``svodka bench search``: lemon24/reader's full-text search (SQLite FTS5).

Runs under the benchmark's own virtualenv (``.bench-venv``, see benchmarks/README.md), never
under svodka's: it imports nothing from svodka. Reads articles (JSON lines: feed, id, title,
text, published) into a fresh reader database with ``add_entry``, builds reader's search
index (``enable_search()`` + ``update_search()``, timed) and then runs each query (one a
line, FTS5 syntax) with ``search_entries(query, limit=20)``, taking all 20 results (so
reader builds its highlighted snippets, as svodka does): ``--repeat`` passes over all the
queries, each query's median time counting (as on svodka's side). Prints one JSON object.

Usage: ``.bench-venv/bin/python benchmarks/peer_reader_search.py --articles FILE --queries FILE --db PATH``
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path


def _pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s) + 0.5) - 1))]


def run(articles: Path, queries: list[str], db: Path, repeat: int = 3) -> dict[str, object]:
    import reader

    r = reader.make_reader(str(db))
    try:
        feeds: set[str] = set()
        n = 0
        t0 = time.perf_counter()
        with articles.open(encoding="utf-8") as f:
            for line in f:
                a = json.loads(line)
                if a["feed"] not in feeds:
                    r.add_feed(a["feed"], allow_invalid_url=True)
                    r.disable_feed_updates(a["feed"])
                    feeds.add(a["feed"])
                r.add_entry(
                    {
                        "feed_url": a["feed"],
                        "id": a["id"],
                        "title": a["title"],
                        "summary": a["text"],
                        "published": datetime.fromisoformat(a["published"]),
                    }
                )
                n += 1
        load_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        r.enable_search()
        r.update_search()
        index_s = time.perf_counter() - t0
        wall: list[list[float]] = [[] for _ in queries]
        cpu: list[list[float]] = [[] for _ in queries]
        first_pass: list[float] = []
        failed = 0
        for q in queries[:5]:  # warm-up, as svodka's side does
            with contextlib.suppress(reader.ReaderError):
                list(r.search_entries(q, limit=20))
        for rep in range(max(1, repeat)):
            for i, q in enumerate(queries):
                c = time.process_time()
                t = time.perf_counter()
                try:
                    list(r.search_entries(q, limit=20))
                except reader.ReaderError:
                    failed += rep == 0
                ms = (time.perf_counter() - t) * 1000
                wall[i].append(ms)
                cpu[i].append((time.process_time() - c) * 1000)
                if rep == 0:
                    first_pass.append(ms)
        times = [statistics.median(w) for w in wall]
        cpus = [statistics.median(c) for c in cpu]
    finally:
        r.close()
    size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
    return {
        "peer": "reader",
        "reader_version": reader.__version__,
        "articles": n,
        "load_s": round(load_s, 3),
        "index_s": round(index_s, 3),
        "db_mb": round(size / 1e6, 1),
        "queries": len(queries),
        "failed": failed,
        "p50_ms": round(_pct(times, 50), 3),
        "p95_ms": round(_pct(times, 95), 3),
        "p99_ms": round(_pct(times, 99), 3),
        "cpu_p95_ms": round(_pct(cpus, 95), 3),
        "first_pass_p95_ms": round(_pct(first_pass, 95), 3),
        "repeat": max(1, repeat),
        "pid": os.getpid(),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--articles", required=True, help="JSON lines: feed, id, title, text, published")
    p.add_argument("--queries", required=True, help="one FTS5 query a line")
    p.add_argument("--db", required=True, help="path of the (new) reader database")
    p.add_argument(
        "--repeat", type=int, default=3, help="passes over the queries; each query's median counts"
    )
    args = p.parse_args(argv)
    queries = [q for q in Path(args.queries).read_text(encoding="utf-8").splitlines() if q.strip()]
    print(json.dumps(run(Path(args.articles), queries, Path(args.db), args.repeat)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
