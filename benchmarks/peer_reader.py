"""The peer's side of ``svodka bench ingest``: lemon24/reader ingesting the same feeds.

Runs under the benchmark's own virtualenv (``.bench-venv``, see benchmarks/README.md), never
under svodka's: it imports nothing from svodka. Adds every URL to a fresh reader database,
then times one cold ``update_feeds()`` (every feed fetched over HTTP, parsed by reader's
vendored feedparser, deduplicated and stored in its SQLite database). Prints one JSON object
on stdout: entries stored, seconds, entries/s and this process's peak RSS.

Usage: ``.bench-venv/bin/python benchmarks/peer_reader.py --urls FILE --db PATH [--workers N]``
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path


def _peak_rss_mb() -> float:
    # VmHWM is this program's own peak; ru_maxrss also counts the parent's pages shared
    # between fork and exec.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(urls: list[str], db: Path, *, workers: int = 1) -> dict[str, object]:
    import reader

    r = reader.make_reader(str(db))
    try:
        for url in urls:
            r.add_feed(url)
        t0 = time.perf_counter()
        failed = 0
        new = 0
        # scheduled=False: every feed is fetched, whatever reader's own schedule says.
        for res in r.update_feeds_iter(scheduled=False, workers=workers):
            if res.error is not None:
                failed += 1
            elif res.value is not None:
                new += res.value.new
        seconds = time.perf_counter() - t0
        stored = r.get_entry_counts().total
    finally:
        r.close()
    return {
        "peer": "reader",
        "reader_version": reader.__version__,
        "workers": workers,
        "feeds": len(urls),
        "feeds_failed": failed,
        "new": new,
        "entries": stored,
        "seconds": round(seconds, 3),
        "items_per_s": round(stored / seconds, 1) if seconds > 0 else 0.0,
        "peak_rss_mb": round(_peak_rss_mb(), 1),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--urls", required=True, help="file with one feed URL a line")
    p.add_argument("--db", required=True, help="path of the (new) reader database")
    p.add_argument("--workers", type=int, default=1, help="reader's update_feeds(workers=N)")
    args = p.parse_args(argv)
    urls = [u.strip() for u in Path(args.urls).read_text().splitlines() if u.strip()]
    print(json.dumps(run(urls, Path(args.db), workers=args.workers)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
