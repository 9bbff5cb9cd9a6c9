"""Train the shipped category weights from the tgcontest gold files in ../shared (texts stay there).

    python -m svodka.understand._category.train [--out PATH]

Training data (read by path, never copied into the repo):
- ``tgcontest_markup/categories/{ru,en}_cat_{exam,honey,training}.tsv``: expert gold labels;
- ``tgcontest_markup/early_markup_2019/categories_v0.txt``: older crowd labels, English items only
  and only those not also in the gold files (255 of its 579 items are). Its Russian items are
  two-thirds ``society`` and lowered 5-fold CV accuracy on the Russian gold (0.845 -> 0.787), while
  the English ones raised it a little, so only the English ones are used.
Two weight files are written, both without any text or vocabulary: ``weights.json`` (the lexical
model: hashed word keys + lexicon cues) and ``embedding.json`` (logistic regression over the USE
multilingual v3 embedding of title + lead, and the fusion weight ``alpha``, chosen by 5-fold
cross-validation inside the training documents).
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import embedding as em
from .features import CATEGORIES
from .model import LinearModel, featurize, train

WEIGHTS_PATH = Path(__file__).with_name("weights.json")
_INDEX = {c: i for i, c in enumerate(CATEGORIES)}


@dataclass(slots=True, frozen=True)
class Doc:
    lang: str
    title: str
    text: str
    label: str
    source: str  # "gold:<file stem>" or "early"
    url: str = ""


def shared_dir() -> Path:
    env = os.environ.get("SVODKA_SHARED")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3].parent / "shared"


def tgcontest_dir() -> Path:
    return shared_dir() / "benchmarks" / "tgcontest_markup"


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()[:40]


def gold_docs(base: Path | None = None) -> list[Doc]:
    """Unique documents of the six gold TSVs (3 repeated URLs are kept once)."""
    base = base or tgcontest_dir()
    csv.field_size_limit(1 << 30)
    seen: set[str] = set()
    docs: list[Doc] = []
    for lang in ("ru", "en"):
        for part in ("exam", "honey", "training"):
            path = base / "categories" / f"{lang}_cat_{part}.tsv"
            with path.open(newline="", encoding="utf-8") as f:
                for row in csv.DictReader(f, delimiter="\t"):
                    url = row["INPUT:url"]
                    label = row["GOLDEN:res"]
                    if url in seen or label not in _INDEX:
                        continue
                    seen.add(url)
                    docs.append(
                        Doc(lang, row["INPUT:title"], row["INPUT:text"], label, f"gold:{path.stem}", url)
                    )
    return docs


def early_docs(gold: Sequence[Doc], base: Path | None = None) -> list[Doc]:
    """Items of categories_v0.txt whose text does not start with a gold document's title."""
    base = base or tgcontest_dir()
    gold_keys = [_key(d.title) for d in gold]
    out: list[Doc] = []
    with (base / "early_markup_2019" / "categories_v0.txt").open(encoding="utf-8") as f:
        for line in f:
            tag, _, text = line.partition(" ")
            label = tag.removeprefix("__label__")
            label = "sports" if label == "sport" else label
            key = _key(text)
            if label not in _INDEX or any(key.startswith(g) for g in gold_keys):
                continue
            cyr = len(re.findall("[а-яё]", text.lower()))
            lat = len(re.findall("[a-z]", text.lower()))
            out.append(Doc("ru" if cyr > lat else "en", "", text.strip(), label, "early"))
    return out


def samples(docs: Sequence[Doc]) -> list[tuple[dict[int, float], int]]:
    """Feature vectors with label index. (Adding short title + lead views of each document was
    measured and did not help cross-validated accuracy, so the full texts alone are used.)"""
    return [(featurize(d.title, d.text)[0], _INDEX[d.label]) for d in docs]


def training_docs(gold: Sequence[Doc], base: Path | None = None) -> list[Doc]:
    """The extra (non-gold) documents the shipped model learns from besides the gold ones."""
    return [d for d in early_docs(gold, base) if d.lang == "en"]


def fit(docs: Sequence[Doc]) -> LinearModel:
    return train(samples(docs))


def stratified_folds(docs: Sequence[Doc], k: int = 5, seed: int = 0) -> Iterator[tuple[list[int], list[int]]]:
    """Deterministic stratified k-fold over (lang, label): round-robin within each stratum."""
    import random

    strata: dict[tuple[str, str], list[int]] = {}
    for i, d in enumerate(docs):
        strata.setdefault((d.lang, d.label), []).append(i)
    fold_of = [0] * len(docs)
    rng = random.Random(seed)
    offset = 0
    for key in sorted(strata):
        idx = strata[key]
        rng.shuffle(idx)
        for j, i in enumerate(idx):
            fold_of[i] = (j + offset) % k
        offset += len(idx)
    for f in range(k):
        test = [i for i in range(len(docs)) if fold_of[i] == f]
        train_ = [i for i in range(len(docs)) if fold_of[i] != f]
        yield train_, test


def embed_docs(docs: Sequence[Doc]) -> np.ndarray:
    """(n, 512) USE embeddings of the documents, as ``classify`` computes them (title + lead)."""
    from svodka.stories.embed import embed_articles

    return embed_articles([(d.title, d.text) for d in docs])


def _lex_probs(model: LinearModel, feats: Sequence[tuple[dict[int, float], int]]) -> np.ndarray:
    return np.asarray([model.scores(f) for f, _ in feats], dtype=np.float64).reshape(-1, len(CATEGORIES))


def fit_combined(
    gold: Sequence[Doc],
    extra: Sequence[Doc],
    gold_emb: np.ndarray,
    extra_emb: np.ndarray,
    *,
    inner_folds: int = 5,
    epochs: int = 12,
    alpha: float | None = None,
) -> tuple[LinearModel, em.EmbeddingModel]:
    """Both halves of the category model and their fusion weight, from these documents only.

    ``alpha`` is chosen on out-of-fold probabilities of an inner stratified k-fold over ``gold``
    (``extra`` is always on the training side, as in the outer evaluation); then both models are
    retrained on everything given. A given ``alpha`` skips the inner CV (quick tests)."""
    gs, es = samples(gold), samples(extra)
    if alpha is None:
        alpha = _inner_alpha(gold, gs, es, gold_emb, extra_emb, inner_folds, epochs)
    lex = train(gs + es, epochs=epochs)
    w, b = em.fit(np.vstack([gold_emb, extra_emb]), _labels(gs + es))
    return lex, em.EmbeddingModel(w, b, alpha)


def _labels(feats: Sequence[tuple[dict[int, float], int]]) -> np.ndarray:
    return np.asarray([lbl for _, lbl in feats], dtype=np.int64)


def _inner_alpha(
    gold: Sequence[Doc],
    gs: list[tuple[dict[int, float], int]],
    es: list[tuple[dict[int, float], int]],
    gold_emb: np.ndarray,
    extra_emb: np.ndarray,
    folds: int,
    epochs: int,
) -> float:
    """Fusion weight from out-of-fold probabilities of both models over an inner k-fold of ``gold``."""
    oof_lex = np.zeros((len(gold), len(CATEGORIES)))
    oof_emb = np.zeros((len(gold), len(CATEGORIES)))
    for trn, tst in stratified_folds(gold, folds, seed=1):
        lex = train([gs[i] for i in trn] + es, epochs=epochs)
        oof_lex[tst] = _lex_probs(lex, [gs[i] for i in tst])
        w, b = em.fit(np.vstack([gold_emb[trn], extra_emb]), _labels([gs[i] for i in trn] + es))
        oof_emb[tst] = em.EmbeddingModel(w, b, 0.5).probs(gold_emb[tst])
    return em.choose_alpha(oof_lex, oof_emb, _labels(gs))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=WEIGHTS_PATH)
    ap.add_argument("--out-embedding", type=Path, default=em.EMBED_PATH)
    args = ap.parse_args(argv)
    base = tgcontest_dir()
    if not base.is_dir():
        print(f"no training data at {base} (set SVODKA_SHARED)", file=sys.stderr)
        return 2
    gold = gold_docs(base)
    extra = training_docs(gold, base)
    model, emb_model = fit_combined(gold, extra, embed_docs(gold), embed_docs(extra))
    model.save(args.out)
    emb_model.save(args.out_embedding)
    print(
        f"trained on {len(gold) + len(extra)} documents; {len(model.weights)} weight rows -> {args.out}; "
        f"embedding model (alpha {emb_model.alpha}) -> {args.out_embedding}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
