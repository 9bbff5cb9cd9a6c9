"""The embedding half of the category model: multinomial logistic regression over the article's
USE multilingual v3 vector (``svodka.stories.embed``), fused with the lexical model's probabilities.

Fusion is a weighted geometric mean of the two probability vectors (late fusion in log space):
``p ∝ p_lex ** alpha · p_emb ** (1 - alpha)``; ``alpha`` is chosen by cross-validation inside
the training data (``choose_alpha``), never on the documents being scored.

Weights ship as JSON (``embedding.json``, about 60 kB: a 512 × 8 matrix, a bias and ``alpha``) because
``*.json`` is already packaged as data; numpy only, no training library.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .features import N_CLASSES

EMBED_PATH = Path(__file__).with_name("embedding.json")
FORMAT = "svodka-category-emb-1"
DIM = 512
ALPHAS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
# Embeddings are unit vectors, so single coordinates are tiny; scaling them up lets plain
# gradient descent with a fixed step converge in a few hundred iterations.
_SCALE = float(np.sqrt(10.0))
_EPS = 1e-9


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    ex = np.exp(z)
    return ex / ex.sum(axis=-1, keepdims=True)


@dataclass(slots=True)
class EmbeddingModel:
    weights: np.ndarray  # (DIM, N_CLASSES) float32, applied to the unit embedding as is
    bias: np.ndarray  # (N_CLASSES,)
    alpha: float  # weight of the lexical model's log-probabilities in the fusion

    def probs(self, emb: np.ndarray) -> np.ndarray:
        """Class probabilities for one (DIM,) or many (n, DIM) embeddings."""
        return softmax(np.asarray(emb, dtype=np.float32) @ self.weights + self.bias)

    def fuse(self, lex: np.ndarray, emb_probs: np.ndarray) -> np.ndarray:
        return fuse(lex, emb_probs, self.alpha)

    def save(self, path: Path) -> None:
        doc = {
            "format": FORMAT,
            "dim": DIM,
            "alpha": round(float(self.alpha), 4),
            "bias": [round(float(x), 5) for x in self.bias],
            "weights": [[round(float(x), 5) for x in row] for row in self.weights],
        }
        path.write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> EmbeddingModel:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("format") != FORMAT or doc.get("dim") != DIM:
            raise ValueError(f"{path}: not a {FORMAT} weight file")
        weights = np.asarray(doc["weights"], dtype=np.float32)
        bias = np.asarray(doc["bias"], dtype=np.float32)
        alpha = float(doc["alpha"])
        if weights.shape != (DIM, N_CLASSES) or bias.shape != (N_CLASSES,) or not 0.0 <= alpha <= 1.0:
            raise ValueError(f"{path}: weight shapes or alpha out of range")
        return cls(weights, bias, alpha)


def fuse(lex: np.ndarray, emb_probs: np.ndarray, alpha: float) -> np.ndarray:
    """Weighted geometric mean of two probability arrays (rows), renormalised."""
    z = alpha * np.log(np.asarray(lex, dtype=np.float64) + _EPS)
    z = z + (1.0 - alpha) * np.log(np.asarray(emb_probs, dtype=np.float64) + _EPS)
    return softmax(z)


def fit(
    x: np.ndarray, y: np.ndarray, *, l2: float = 1e-3, iters: int = 500, lr: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression by full-batch gradient descent with Nesterov momentum.

    ``x``: (n, DIM) unit embeddings, ``y``: (n,) class indices. Returns (weights, bias) that apply
    to unscaled embeddings. The loss is convex and the data small (hundreds of rows), so this
    deterministic loop is enough (about 0.2 s)."""
    xs = np.asarray(x, dtype=np.float64) * _SCALE
    n, d = xs.shape
    target = np.eye(N_CLASSES)[np.asarray(y)]
    w = np.zeros((d, N_CLASSES))
    b = np.zeros(N_CLASSES)
    vw = np.zeros_like(w)
    vb = np.zeros_like(b)
    for _ in range(iters):
        wl = w - 0.9 * vw
        bl = b - 0.9 * vb
        g = (softmax(xs @ wl + bl) - target) / n
        vw = 0.9 * vw + lr * (xs.T @ g + l2 * wl)
        vb = 0.9 * vb + lr * g.sum(axis=0)
        w -= vw
        b -= vb
    return (w * _SCALE).astype(np.float32), b.astype(np.float32)


def choose_alpha(lex: np.ndarray, emb_probs: np.ndarray, y: np.ndarray) -> float:
    """The fusion weight with the best accuracy on out-of-fold probabilities (ties: lower log-loss)."""
    y = np.asarray(y)
    best: tuple[float, float, float] | None = None
    for a in ALPHAS:
        p = fuse(lex, emb_probs, a)
        acc = float((p.argmax(axis=1) == y).mean())
        nll = float(-np.log(p[np.arange(len(y)), y] + _EPS).mean())
        key = (acc, -nll, a)
        if best is None or key[:2] > best[:2]:
            best = key
    return 0.5 if best is None else best[2]
