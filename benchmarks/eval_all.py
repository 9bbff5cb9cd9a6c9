"""`svodka eval`: every quality figure on the shared benchmarks and on a fresh simulator corpus.

Each evaluation is its own script (``benchmarks/eval_*.py`` and friends, runnable alone with
``python -m benchmarks.NAME --json``); this runs them one after another in subprocesses (so
each one's memory figure is its own) and merges their JSON into one object, keyed by data set
then measure. Keys are documented in BENCHMARKS.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parent.parent

# (module, extra args, how to place its result in the merged object)
Placer = Callable[[dict[str, Any], dict[str, Any]], None]


def _put(key: str) -> Placer:
    def place(out: dict[str, Any], res: dict[str, Any]) -> None:
        out[key] = res

    return place


def _merge(out: dict[str, Any], res: dict[str, Any]) -> None:
    out.update(res)


EVALS: list[tuple[str, list[str], Placer]] = [
    ("benchmarks.feedparser_fixtures", [], _put("feedparser_fixtures")),
    ("benchmarks.extraction_scrapinghub", ["--bootstrap", "200"], _put("extraction_scrapinghub")),
    ("benchmarks.eval_lang", [], _put("language")),
    ("benchmarks.eval_dedupe", [], _put("near_duplicates")),
    ("benchmarks.eval_category", [], _merge),
    ("benchmarks.eval_geo", [], _put("places")),
    ("benchmarks.eval_stories", [], _merge),  # tgcontest_pairs.{ru,en}.*, simulator_stories.*
    ("benchmarks.eval_editor", [], _put("editor_sets")),  # editor_sets.set{1,2,3}.*
]


def run_eval(module: str, extra: Sequence[str]) -> tuple[dict[str, Any] | None, str, float]:
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", module, "--json", *extra],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    took = time.perf_counter() - t0
    lines = [ln for ln in proc.stdout.strip().splitlines() if ln.strip()]
    if proc.returncode != 0 or not lines:
        return None, (proc.stderr.strip().splitlines() or ["no output"])[-1][:300], took
    try:
        return json.loads(lines[-1]), "", took
    except json.JSONDecodeError:
        return None, "last line was not JSON", took


def _flatten(prefix: str, value: Any, rows: list[tuple[str, str]]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, rows)
    elif isinstance(value, float):
        rows.append((prefix, f"{value:.4g}"))
    elif isinstance(value, (int, str)) or value is None:
        rows.append((prefix, str(value)))


def main(as_json: bool = False, only: Sequence[str] = ()) -> int:
    console = Console(stderr=True)
    merged: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for module, extra, place in EVALS:
        name = module.split(".")[-1]
        if only and name not in only:
            continue
        if not (REPO / (module.replace(".", "/") + ".py")).exists():
            errors[name] = "not available"
            continue
        console.print(f"running {name} …")
        res, err, took = run_eval(module, extra)
        if res is None:
            errors[name] = err
            continue
        place(merged, res)
        console.print(f"  done in {took:.0f} s")
    if errors:
        merged["errors"] = errors
    table = Table("measure", "value")
    rows: list[tuple[str, str]] = []
    _flatten("", merged, rows)
    for k, v in rows:
        table.add_row(k, v)
    console.print(table)
    if as_json:
        print(json.dumps(merged, ensure_ascii=False))
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main("--json" in sys.argv, [a for a in sys.argv[1:] if not a.startswith("-")]))
