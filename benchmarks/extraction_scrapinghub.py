"""Article-body extraction quality of ``svodka.extract`` on the Zyte/Scrapinghub benchmark.

Data: ``<shared>/benchmarks/article_extraction_scrapinghub`` (181 saved pages, hand-checked
bodies, and stored outputs of other extractors), where ``<shared>`` is ``$SVODKA_SHARED`` or
``<repo>/../shared``. The metric is the benchmark's own (see ``svodka.extract.scoring``):
4-token shingle precision/recall per page, normalised per page, averaged over pages, F1 =
harmonic mean of mean precision and mean recall; accuracy = exact token-sequence match. The
stored reference outputs are scored by the same code, so the figures are comparable.

    .venv/bin/python benchmarks/extraction_scrapinghub.py [--favor precision] [--limit N] [--json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import trafilatura  # noqa: E402

from svodka.errors import ExtractError  # noqa: E402
from svodka.extract import DEFAULT_FAVOR, Favor, extract_article  # noqa: E402
from svodka.extract.scoring import evaluate  # noqa: E402

# Published figures (README of the benchmark repo) for the stored reference outputs.
PUBLISHED_F1 = {"trafilatura": 0.958, "readability": 0.922, "newspaper": 0.949}


def dataset_dir() -> Path:
    shared = Path(os.environ.get("SVODKA_SHARED") or REPO.parent / "shared")
    return shared / "benchmarks" / "article_extraction_scrapinghub"


def load_gold(root: Path) -> dict[str, dict[str, str]]:
    return json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))


def reference_predictions(root: Path) -> dict[str, tuple[str | None, dict[str, str | None]]]:
    """name -> (version, {page id: predicted body}) for each stored reference output."""
    found = {}
    for path in sorted((root / "reference_outputs").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        version = data.get("version") if isinstance(data.get("version"), str) else None
        items = data["output"] if isinstance(data.get("output"), dict) else data
        found[path.stem] = (version, {k: (v or {}).get("articleBody") for k, v in items.items()})
    return found


def run_svodka(
    root: Path, ids: list[str], gold: dict[str, dict[str, str]], favor: Favor
) -> tuple[dict[str, str | None], dict[str, Any]]:
    pages = {k: gzip.decompress((root / "html" / f"{k}.html.gz").read_bytes()) for k in ids}
    predicted: dict[str, str | None] = {}
    errors: dict[str, str] = {}
    wall, cpu = time.perf_counter(), time.process_time()
    for key, body in pages.items():
        try:
            predicted[key] = extract_article(
                body, gold[key].get("url") or "https://example.invalid/", favor=favor
            ).text
        except ExtractError as exc:
            predicted[key] = None
            errors[key] = exc.message
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    timing = {
        "pages": len(pages),
        "pages_per_s": len(pages) / wall if wall else 0.0,
        "cpu_pages_per_s": len(pages) / cpu if cpu else 0.0,
        "errors": len(errors),
    }
    return predicted, {"timing": timing, "errors": errors}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--favor", choices=("precision", "balanced", "recall"), default=DEFAULT_FAVOR)
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages (sorted ids)")
    parser.add_argument("--bootstrap", type=int, default=1000, help="resamples for the ± figures")
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = parser.parse_args(argv)

    root = dataset_dir()
    if not (root / "ground-truth.json").is_file():
        print(f"benchmark data not found at {root} (set SVODKA_SHARED)", file=sys.stderr)
        return 2
    gold_items = load_gold(root)
    ids = sorted(gold_items)[: args.limit or None]
    gold = {k: gold_items[k].get("articleBody", "") for k in ids}

    predicted, run = run_svodka(root, ids, gold_items, args.favor)
    ours = evaluate(gold, predicted, n_bootstrap=args.bootstrap)
    references = {}
    for name, (version, preds) in reference_predictions(root).items():
        scores = evaluate(gold, {k: preds.get(k) for k in ids}, n_bootstrap=args.bootstrap)
        references[name] = {"version": version, **scores, "published_f1": PUBLISHED_F1.get(name)}

    timing = run["timing"]
    engine = f"t{trafilatura.__version__}"  # svodka's body comes from this trafilatura
    rows = [
        (f"svodka ({args.favor})", engine, ours),
        *((n, r["version"] or "?", r) for n, r in references.items()),
    ]
    print(f"Scrapinghub article-extraction benchmark: {len(ids)} pages, metric = 4-gram shingle P/R/F1")
    print(
        f"{'system':<24} {'version':<9} {'F1':>14} {'precision':>10} {'recall':>8} {'accuracy':>9} {'published':>10}"
    )
    for name, version, m in rows:
        f1 = f"{m['f1']:.3f} ± {m.get('f1_std', 0.0):.3f}"
        published = f"{m['published_f1']:.3f}" if m.get("published_f1") else ""
        print(
            f"{name:<24} {version:<9} {f1:>14} {m['precision']:>10.3f} {m['recall']:>8.3f} "
            f"{m['accuracy']:>9.3f} {published:>10}"
        )
    print(
        f"svodka speed: {timing['pages_per_s']:.1f} pages/s wall, {timing['cpu_pages_per_s']:.1f} pages/s "
        f"of CPU time (one process); ExtractError on {timing['errors']} page(s)"
    )
    for key, message in run["errors"].items():
        print(f"  {key}: {message}")
    if args.json:
        summary = {
            "pages": len(ids),
            "favor": args.favor,
            "trafilatura": trafilatura.__version__,
            **{k: round(v, 4) for k, v in ours.items()},
            "pages_per_s": round(timing["pages_per_s"], 2),
            "cpu_pages_per_s": round(timing["cpu_pages_per_s"], 2),
            "extract_errors": timing["errors"],
            "references": {
                name: {k: (round(v, 4) if isinstance(v, float) else v) for k, v in r.items()}
                for name, r in references.items()
            },
        }
        print(json.dumps(summary, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
