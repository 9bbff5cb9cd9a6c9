"""Tokens, word keys and lexicon hits shared by the classifier and its trainer."""

from __future__ import annotations

import re
import zlib
from functools import lru_cache

from .lexicon import LEXICON

CATEGORIES: tuple[str, ...] = (
    "society",
    "economy",
    "technology",
    "sports",
    "entertainment",
    "science",
    "other",
    "not_news",
)
_INDEX = {c: i for i, c in enumerate(CATEGORIES)}
N_CLASSES = len(CATEGORIES)

TITLE_CHARS = 400
TEXT_CHARS = 1_000
HASH_BITS = 18  # buckets for word keys; collisions are harmless at this vocabulary size

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_KEY_LEN = 6  # a word's first letters stand in for its stem (works for ru/uk/be and en alike)


# Ukrainian and Belarusian letters folded to their Russian neighbours ("університет" →
# "университет", "бактерії" → "бактерии") in the hashed stems only: those were learnt on Russian
# and English text, and many uk/be stems differ from the Russian ones by just these letters.
# Russian and English words have none of them, so their keys do not change; the lexicon is
# matched unfolded (folded, a Ukrainian cue "цін*" would also catch Russian "цинк").
_FOLD = str.maketrans({"і": "и", "ї": "и", "є": "е", "ґ": "г", "ў": "у", "ё": "е"})


def _parse_lexicon() -> tuple[dict[str, tuple[float, ...]], dict[str, tuple[float, ...]], int]:
    exact: dict[str, list[float]] = {}
    prefix: dict[str, list[float]] = {}
    longest = 0
    for cat, block in LEXICON.items():
        ci = _INDEX[cat]
        for raw in block.split():
            weight = 1.0
            if raw.endswith("!"):
                raw, weight = raw[:-1], 2.0
            entry = raw.lower().replace("ё", "е")
            table = exact
            if entry.endswith("*"):
                entry, table = entry[:-1], prefix
                longest = max(longest, len(entry))
            vec = table.setdefault(entry, [0.0] * N_CLASSES)
            vec[ci] = max(vec[ci], weight)
    return (
        {k: tuple(v) for k, v in exact.items()},
        {k: tuple(v) for k, v in prefix.items()},
        longest,
    )


_EXACT, _PREFIX, _LONGEST = _parse_lexicon()


def words(text: str, limit: int) -> list[str]:
    return _WORD_RE.findall(text[:limit].lower().replace("ё", "е"))


@lru_cache(maxsize=100_000)
def lexicon_hit(word: str) -> tuple[float, ...] | None:
    """Category weights of the longest lexicon entry matching ``word``, or None."""
    vec = _EXACT.get(word)
    if vec is not None:
        return vec
    for k in range(min(len(word), _LONGEST), 1, -1):
        vec = _PREFIX.get(word[:k])
        if vec is not None:
            return vec
    return None


def word_key(word: str, title: bool) -> int:
    """Hashed bucket of a word's leading letters; title words get their own buckets."""
    key = ("t:" if title else "b:") + word.translate(_FOLD)[:_KEY_LEN]
    return zlib.crc32(key.encode()) & ((1 << HASH_BITS) - 1)


_INFO: dict[str, tuple[int, int, tuple[float, ...] | None]] = {}
_INFO_MAX = 300_000  # distinct words remembered; cleared when full (memory stays ~50 MB at most)


def word_info(word: str) -> tuple[int, int, tuple[float, ...] | None]:
    """(title bucket, body bucket, lexicon weights or None) of one word, cached."""
    info = _INFO.get(word)
    if info is None:
        if len(_INFO) >= _INFO_MAX:
            _INFO.clear()
        info = _INFO[word] = (word_key(word, True), word_key(word, False), lexicon_hit(word))
    return info


def lexicon_vector(title_words: list[str], text_words: list[str]) -> list[float]:
    """Per-category lexicon evidence: title hits count twice, each word at most once per field."""
    acc = [0.0] * N_CLASSES
    for weight, ws in ((2.0, title_words), (1.0, text_words)):
        for w in set(ws):
            vec = lexicon_hit(w)
            if vec is not None:
                for i, v in enumerate(vec):
                    if v:
                        acc[i] += weight * v
    return acc
