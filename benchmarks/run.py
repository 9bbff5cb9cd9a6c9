"""Entry point of ``svodka bench``; also ``python -m benchmarks.run ingest [...]`` from the repo.

With ``--json`` the last line on stdout is one JSON object (keys in benchmarks/README.md);
then the table goes to stderr; progress always does.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console


def _config(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from benchmarks.bench_ingest import IngestConfig

    data = getattr(args, "data", None)
    return IngestConfig(
        feeds=args.feeds,
        items=args.items,
        seed=getattr(args, "seed", 1),
        peer=not getattr(args, "no_peer", False),
        peer_workers=getattr(args, "peer_workers", 1),
        pages_sample=getattr(args, "pages", 500),
        data=Path(data) if data else None,
        cpus=getattr(args, "cpus", None),
        repeat=getattr(args, "repeat", 1),
    )


def main(args: argparse.Namespace) -> int:
    """Run the benchmark named by ``args.which`` (``svodka bench`` passes its parsed arguments)."""
    if args.which != "ingest":
        raise SystemExit(f"unknown benchmark {args.which!r}")
    from benchmarks.bench_ingest import BenchError, render_table, run_ingest

    err = Console(stderr=True)
    quiet = getattr(args, "json", False)

    def log(msg: str) -> None:
        err.print(f"[dim]{msg}[/]")

    try:
        result = run_ingest(_config(args), log=log)
    except BenchError as exc:
        err.print(f"[red]benchmark failed:[/] {exc}")
        return 1
    if quiet:  # stdout holds the JSON alone (still "the last line"), people read stderr
        err.print(render_table(result))
        print(json.dumps(result), flush=True)
    else:
        Console().print(render_table(result))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m benchmarks.run", description="svodka benchmarks")
    p.add_argument("which", choices=["ingest"])
    p.add_argument("--feeds", type=int, default=200)
    p.add_argument("--items", type=int, default=50)
    p.add_argument("--json", action="store_true", help="last line on stdout: one JSON object")
    p.add_argument("--no-peer", action="store_true", help="measure svodka only")
    p.add_argument("--data", help="keep svodka's data folder here (default: a temporary one)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--peer-workers", type=int, default=1, help="reader's update_feeds(workers=N)")
    p.add_argument(
        "--repeat", type=int, default=1, help="run both sides N times, alternately; keep each one's best"
    )
    p.add_argument("--cpus", type=int, help="pin everything to the first N CPUs (the goal is stated for 2)")
    p.add_argument(
        "--pages", type=int, default=500, help="article pages read for the full-text figure (0: skip)"
    )
    return p


if __name__ == "__main__":
    sys.exit(main(build_parser().parse_args()))
