"""A small run over real saved news pages of the Scrapinghub benchmark, scored by its own metric."""

import gzip
import json
import os
from pathlib import Path

import pytest

from svodka.extract import extract_article
from svodka.extract.scoring import evaluate, score_page

REPO = Path(__file__).resolve().parents[2]
DATA = (
    Path(os.environ.get("SVODKA_SHARED") or REPO.parent / "shared")
    / "benchmarks"
    / "article_extraction_scrapinghub"
)

needs_data = pytest.mark.skipif(
    not (DATA / "ground-truth.json").is_file(),
    reason=f"Scrapinghub benchmark data not found at {DATA} (set SVODKA_SHARED)",
)

PAGES = 5
F1_FLOOR = 0.85  # the full set scores 0.964; five easy-to-hard pages should stay well above this


@needs_data
def test_f1_on_five_pages() -> None:
    gold_items = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(gold_items)[:PAGES]
    gold = {k: gold_items[k]["articleBody"] for k in ids}
    predicted = {}
    for key in ids:
        raw = gzip.decompress((DATA / "html" / f"{key}.html.gz").read_bytes())
        article = extract_article(raw, gold_items[key]["url"])
        predicted[key] = article.text
        assert "<script" not in article.html.lower()
    scores = evaluate(gold, predicted, n_bootstrap=0)
    assert scores["f1"] > F1_FLOOR, scores
    assert scores["precision"] > 0.8 and scores["recall"] > 0.8, scores


@needs_data
def test_metric_reproduces_published_reference_figures() -> None:
    gold_items = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    gold = {k: v["articleBody"] for k, v in gold_items.items()}
    stored = json.loads((DATA / "reference_outputs" / "trafilatura.json").read_text(encoding="utf-8"))
    predicted = {k: (v or {}).get("articleBody") for k, v in stored["output"].items()}
    scores = evaluate(gold, predicted, n_bootstrap=0)
    # README of the benchmark: trafilatura 2.0.0 F1 0.958, precision 0.938, recall 0.978, accuracy 0.293
    assert scores["f1"] == pytest.approx(0.958, abs=0.0006)
    assert scores["precision"] == pytest.approx(0.938, abs=0.0006)
    assert scores["recall"] == pytest.approx(0.978, abs=0.0006)
    assert scores["accuracy"] == pytest.approx(0.293, abs=0.0006)


def test_score_page_edge_cases() -> None:
    same = score_page("One two three four five.", "One, two; three four five!")
    assert (same.tp, same.fp, same.fn, same.exact) == (1.0, 0.0, 0.0, True)
    nothing = score_page("Gold text here and more", None)
    assert (nothing.tp, nothing.fp, nothing.fn) == (0.0, 0.0, 1.0)
    short = score_page("two words", "two words")  # shorter than a shingle: one shingle
    assert short.tp == 1.0
    both_empty = score_page("", "")
    assert (both_empty.tp, both_empty.fp, both_empty.fn, both_empty.exact) == (0.0, 0.0, 0.0, True)
