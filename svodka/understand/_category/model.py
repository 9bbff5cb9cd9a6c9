"""Sparse multinomial logistic regression in pure Python: feature building, training, weight files.

Kept dependency-free on purpose: the shipped model is a few hundred kilobytes of weights over
hashed word keys plus the hand-written lexicon features, and training it takes seconds.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .features import (
    HASH_BITS,
    N_CLASSES,
    TEXT_CHARS,
    TITLE_CHARS,
    word_info,
    words,
)

_LEX_BASE = 1 << HASH_BITS  # lexicon features live above the hashed word buckets
_LEX_SCALE = 1.0
FORMAT = "svodka-category-lr-1"
_TF = [0.0] + [1.0 + math.log(n) for n in range(1, 64)]  # sublinear term frequency


def featurize(title: str, text: str) -> tuple[dict[int, float], list[float]]:
    """Sparse feature vector of one article, and its raw lexicon evidence per category."""
    counts: dict[int, int] = {}
    lex = [0.0] * N_CLASSES
    for is_title, ws, weight in (
        (True, words(title, TITLE_CHARS), 2.0),
        (False, words(text, TEXT_CHARS), 1.0),
    ):
        seen: set[str] = set()
        for w in ws:
            tkey, bkey, vec = word_info(w)
            k = tkey if is_title else bkey
            counts[k] = counts.get(k, 0) + 1
            if vec is not None and w not in seen:
                seen.add(w)
                for i, v in enumerate(vec):
                    if v:
                        lex[i] += weight * v
    feats = {k: _TF[v] if v < len(_TF) else 1.0 + math.log(v) for k, v in counts.items()}
    norm = math.sqrt(sum(v * v for v in feats.values()))
    if norm:
        inv = 1.0 / norm
        feats = {k: v * inv for k, v in feats.items()}
    total = sum(lex)
    for i, v in enumerate(lex):
        if v:
            feats[_LEX_BASE + i] = _LEX_SCALE * math.log1p(v)
            feats[_LEX_BASE + N_CLASSES + i] = _LEX_SCALE * v / total
    feats[_LEX_BASE + 2 * N_CLASSES] = _LEX_SCALE * math.log1p(total)
    return feats, lex


@dataclass(slots=True)
class LinearModel:
    weights: dict[int, list[float]]
    bias: list[float]

    def scores(self, feats: dict[int, float]) -> list[float]:
        """Class probabilities (softmax of the linear scores)."""
        # Unrolled over the eight classes: about 4x faster than a per-feature list comprehension.
        z0, z1, z2, z3, z4, z5, z6, z7 = self.bias
        get = self.weights.get
        for k, v in feats.items():
            r = get(k)
            if r is not None:
                z0 += r[0] * v
                z1 += r[1] * v
                z2 += r[2] * v
                z3 += r[3] * v
                z4 += r[4] * v
                z5 += r[5] * v
                z6 += r[6] * v
                z7 += r[7] * v
        z = (z0, z1, z2, z3, z4, z5, z6, z7)
        top = max(z)
        ex = [math.exp(s - top) for s in z]
        total = sum(ex)
        return [e / total for e in ex]

    def save(self, path: Path) -> None:
        keys = sorted(self.weights)
        doc = {
            "format": FORMAT,
            "hash_bits": HASH_BITS,
            "bias": [round(b, 4) for b in self.bias],
            "keys": keys,
            "rows": [[round(x, 4) for x in self.weights[k]] for k in keys],
        }
        # Plain JSON (about 1.2 MB): "*.json" is already packaged as data by pyproject.toml.
        path.write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("format") != FORMAT or doc.get("hash_bits") != HASH_BITS:
            raise ValueError(f"{path}: not a {FORMAT} weight file")
        return cls(dict(zip(doc["keys"], doc["rows"], strict=True)), list(doc["bias"]))


def train(
    samples: Sequence[tuple[dict[int, float], int]],
    *,
    epochs: int = 12,
    lr: float = 0.5,
    l2: float = 1e-5,
    seed: int = 0,
    prune: float = 1e-3,
) -> LinearModel:
    """AdaGrad on the softmax loss with light L2; tiny weights are pruned afterwards."""
    weights: dict[int, list[float]] = {}
    grad_sq: dict[int, list[float]] = {}
    bias = [0.0] * N_CLASSES
    bias_sq = [1e-8] * N_CLASSES
    order = list(range(len(samples)))
    rng = random.Random(seed)
    model = LinearModel(weights, bias)
    for _ in range(epochs):
        rng.shuffle(order)
        for idx in order:
            feats, label = samples[idx]
            probs = model.scores(feats)
            probs[label] -= 1.0  # gradient of the loss in the scores
            for i in range(N_CLASSES):
                g = probs[i]
                bias_sq[i] += g * g
                bias[i] -= lr * g / math.sqrt(bias_sq[i])
            for k, v in feats.items():
                row = weights.get(k)
                if row is None:
                    row = weights[k] = [0.0] * N_CLASSES
                    grad_sq[k] = [1e-8] * N_CLASSES
                sq = grad_sq[k]
                for i in range(N_CLASSES):
                    g = probs[i] * v + l2 * row[i]
                    sq[i] += g * g
                    row[i] -= lr * g / math.sqrt(sq[i])
    kept = {k: row for k, row in weights.items() if max(abs(x) for x in row) >= prune}
    return LinearModel(kept, bias)


def predict_many(model: LinearModel, items: Iterable[tuple[str, str]]) -> list[list[float]]:
    return [model.scores(featurize(t, x)[0]) for t, x in items]
