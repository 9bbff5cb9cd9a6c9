"""The scoring rule of the Zyte/Scrapinghub article-extraction benchmark, re-implemented.

For each page the gold and predicted article bodies are cut into ``\\w+`` tokens (case kept,
punctuation dropped) and then into overlapping 4-token shingles (a text shorter than 4 tokens
gives one shorter shingle; an empty text gives none). The two shingle multisets are compared:
TP = common count, FP = extra predicted, FN = missing. The three counts are divided by their sum,
so every page weighs the same. Per-page precision and recall follow (both 1.0 when there is
neither FP nor FN). Precision is averaged over pages that have predicted or matched shingles
(TP+FP > 0), recall over pages with gold shingles (TP+FN > 0), and F1 is the harmonic mean of
those two means. Accuracy is the share of pages whose token sequences are equal. The ``*_std``
figures are standard deviations over bootstrap resamples of the pages.
"""

from __future__ import annotations

import random
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

_WORD = re.compile(r"\w+")
SHINGLE_SIZE = 4


@dataclass(frozen=True, slots=True)
class PageCounts:
    """Normalised shingle counts of one page (they sum to 1, or are all 0)."""

    tp: float
    fp: float
    fn: float
    exact: bool  # token sequences identical


def tokens(text: str | None) -> list[str]:
    return _WORD.findall(text or "")


def _shingles(words: list[str], n: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    if not words:
        return Counter()
    if len(words) < n:
        return Counter([tuple(words)])
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def score_page(gold: str | None, predicted: str | None) -> PageCounts:
    gold_words, pred_words = tokens(gold), tokens(predicted)
    gold_sh, pred_sh = _shingles(gold_words), _shingles(pred_words)
    tp = float(sum((gold_sh & pred_sh).values()))
    fp = float(sum((pred_sh - gold_sh).values()))
    fn = float(sum((gold_sh - pred_sh).values()))
    total = tp + fp + fn
    if total:
        tp, fp, fn = tp / total, fp / total, fn / total
    return PageCounts(tp, fp, fn, gold_words == pred_words)


def _precision(c: PageCounts) -> float:
    if c.fp == 0 and c.fn == 0:
        return 1.0
    return c.tp / (c.tp + c.fp) if c.tp + c.fp else 0.0


def _recall(c: PageCounts) -> float:
    if c.fp == 0 and c.fn == 0:
        return 1.0
    return c.tp / (c.tp + c.fn) if c.tp + c.fn else 0.0


def aggregate(pages: Sequence[PageCounts]) -> dict[str, float]:
    """Mean precision / recall, their harmonic mean, and exact-match accuracy."""
    precisions = [_precision(c) for c in pages if c.tp + c.fp > 0]
    recalls = [_recall(c) for c in pages if c.tp + c.fn > 0]
    p = statistics.fmean(precisions) if precisions else 0.0
    r = statistics.fmean(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    accuracy = statistics.fmean(c.exact for c in pages) if pages else 0.0
    return {"f1": f1, "precision": p, "recall": r, "accuracy": accuracy}


def evaluate(
    gold: dict[str, str], predicted: dict[str, str | None], *, n_bootstrap: int = 1000, seed: int = 0
) -> dict[str, float]:
    """Score predictions against gold texts keyed by page id (missing prediction = empty text).

    Returns f1, precision, recall, accuracy and their bootstrap ``*_std``.
    """
    keys = sorted(gold)
    pages = [score_page(gold[k], predicted.get(k)) for k in keys]
    result = aggregate(pages)
    if n_bootstrap > 1 and len(pages) > 1:
        rng = random.Random(seed)
        samples: dict[str, list[float]] = {name: [] for name in result}
        for _ in range(n_bootstrap):
            resample = [pages[rng.randrange(len(pages))] for _ in pages]
            for name, value in aggregate(resample).items():
                samples[name].append(value)
        for name, values in samples.items():
            result[f"{name}_std"] = statistics.stdev(values)
    return result
