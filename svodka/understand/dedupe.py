"""Near-duplicate detection: syndicated copies and light reprints of the same text.

A *copy* is the same text published again: verbatim, with an edited headline, trimmed (the
first paragraphs only), or lightly reworded. Two outlets' own reports of one event are not
copies (grouping those into a story is a later stage), so the tests here are about shared
*wording*, not shared facts.

How it works:

* ``fingerprint(title, text)`` normalises the text (NFKC, lower case, ``ё`` → ``е``,
  punctuation dropped, numbers kept), cuts the body into overlapping five-word shingles and
  keeps: a 128-value MinHash signature of them, their number, up to 64 *anchors* (the shingles
  whose hash ends in three zero bits, in text order), exact hashes of the normalised body and
  title, and the hashes of the title's words. It is under 900 bytes and round-trips through
  ``to_bytes`` / ``to_text``, so the index can be rebuilt from stored fingerprints without the
  texts. Hashing is our own (CRC-32 words, multiply-shift permutations with fixed constants),
  so stored fingerprints stay valid across library versions.
* ``NearDupIndex`` finds candidates by shared keys (LSH bands of the signature, the opening
  anchors of the text, the exact title), then decides with the whole signature:

  - same body (any headline) → copy (``exact``);
  - estimated Jaccard similarity of the bodies ≥ ``threshold`` → copy (``near``: headline
    edits, light rewording, a line added or removed);
  - the same headline (word Jaccard ≥ ``TITLE_NEAR``) and bodies with Jaccard ≥
    ``SAME_TITLE_JACCARD`` → copy (``near``): a reprint that reworded a clause or two under the
    original's headline. One changed clause in a 70-word text already costs about a fifth of
    its five-word shingles; two outlets' own reports seldom share a headline word for word;
  - one body (nearly) contained in the other *and* similar headlines → copy (``contained``:
    a trimmed reprint). Containment is estimated from the signatures alone (see
    ``_decide_long``): exact when nothing was changed, however different the lengths;
  - ``near`` and ``contained`` also need the shared anchors in the same order: a copy keeps the
    order of the text, two reports assembled from the same stock paragraphs do not;
  - a body shorter than ``SHORT_WORDS`` words (headline-only items) → copy only when the
    titles are nearly identical (word Jaccard ≥ ``TITLE_NEAR``) and have at least
    ``MIN_TITLE_WORDS`` words (``title``).

  Each new article is attributed to the *original*: the earliest published article of the
  group it joins, also when articles arrive out of order. Entries older than ``window`` (before
  the newest publication time seen) are evicted, so memory is bounded by the window, not by
  the archive (about 3 kB per indexed article).
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import heapq
import re
import struct
import unicodedata
import zlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

__all__ = [
    "MIN_TITLE_WORDS",
    "NUM_PERM",
    "SAME_TITLE_JACCARD",
    "SHINGLE",
    "SHORT_WORDS",
    "TITLE_NEAR",
    "Fingerprint",
    "Match",
    "NearDupIndex",
    "fingerprint",
    "similarity",
]

NUM_PERM = 128  # MinHash values per signature
SHINGLE = 5  # words per shingle
SHORT_WORDS = 8  # a body with fewer words is "headline-only"
MIN_TITLE_WORDS = 3  # shorter titles never make a headline-only match
TITLE_NEAR = 0.9  # word Jaccard of "nearly identical" titles
SAME_TITLE_JACCARD = 0.5  # body Jaccard that makes a copy when the headlines are nearly identical
MAX_CHARS = 200_000  # text looked at (a copy shares its beginning; 5 MB costs the same as 200 kB)
MAX_WORDS = 6_000
_MAX_TITLE_WORDS = 64
_ANCHOR_MASK = np.uint64(7)  # about one shingle in 8 is an anchor
MAX_ANCHORS = 64  # in text order: about the first 500 words
ORDER_MIN = 0.9  # share of common anchors that must come in the same order
_MIN_COMMON = 4  # fewer common anchors say nothing about order
_CHUNK = 2048  # shingles per MinHash block (bounds the temporary matrix to 2 MB)
_VERSION = 1
_HEADER = struct.Struct("<BBHHIIQQ")  # version, flags, titles, anchors, shingles, words, body, title
_FLAG_SIG = 1

_WORD = re.compile(r"\w+")
_M64 = (1 << 64) - 1


def _splitmix(seed: int, n: int) -> list[int]:
    out = []
    x = seed
    for _ in range(n):
        x = (x + 0x9E3779B97F4A7C15) & _M64
        z = x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M64
        out.append(z ^ (z >> 31))
    return out


# Fixed permutation constants: part of the stored format, never change them (bump _VERSION).
_PERM_A = np.array([v | 1 for v in _splitmix(0x5F0D_CA11, NUM_PERM)], dtype=np.uint64)
_PERM_B = np.array(_splitmix(0xD00B_1E5E, NUM_PERM), dtype=np.uint64)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_C1 = np.uint64(0xBF58476D1CE4E5B9)
_C2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S32 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(32)
_NO_SIG = np.zeros(0, dtype=np.uint32)
_OPENING_SALT = {0: 0x3C6E_F372_FE94_F82B, 2: 0x7F4A_7C15_9E37_79B9}


class _HashCache(dict[str, int]):
    """word → CRC-32, computed on first sight (``map(cache.__getitem__, …)`` runs in C)."""

    def __missing__(self, word: str) -> int:
        h = self[word] = zlib.crc32(word.encode())
        return h


_word_cache = _HashCache()


def _words(text: str, limit: int) -> list[str]:
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS]).lower().replace("ё", "е").replace("_", " ")
    return _WORD.findall(text)[:limit]


def _word_hashes(words: list[str]) -> list[int]:
    if len(_word_cache) > 100_000:  # bounded (~15 MB); the common words come back at once
        _word_cache.clear()
    return list(map(_word_cache.__getitem__, words))


def _digest64(words: list[str]) -> int:
    if not words:
        return 0
    return int.from_bytes(hashlib.blake2b(" ".join(words).encode(), digest_size=8).digest(), "little")


def _shingles(hashes: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Distinct 64-bit hashes of the ``SHINGLE``-word windows (one window for short texts),
    and the anchors: the first ``MAX_ANCHORS`` shingles (in text order) whose hash ends in 000."""
    h = np.array(hashes, dtype=np.uint64)
    k = min(SHINGLE, len(h))
    n = len(h) - k + 1
    s = h[:n].copy()
    for i in range(1, k):
        s = s * _MIX + h[i : i + n]
    s ^= s >> _S30  # finalise, so that similar word sequences land far apart
    s *= _C1
    s ^= s >> _S27
    s *= _C2
    s ^= s >> _S31
    anchors = (s[(s & _ANCHOR_MASK) == 0][:MAX_ANCHORS] >> _S32).astype(np.uint32)
    s.sort()
    return s[np.concatenate(([True], s[1:] != s[:-1]))], anchors


def _minhash(shingles: np.ndarray) -> np.ndarray:
    """NUM_PERM minima of ``a·x + b`` (mod 2⁶⁴, high 32 bits kept) over the non-empty ``shingles``."""
    sig: np.ndarray | None = None
    for start in range(0, len(shingles), _CHUNK):
        block = np.multiply.outer(shingles[start : start + _CHUNK], _PERM_A)
        block += _PERM_B
        low = block.min(axis=0)
        sig = low if sig is None else np.minimum(sig, low, out=sig)
    assert sig is not None
    return (sig >> _S32).astype(np.uint32)


@dataclass(frozen=True, slots=True, eq=False)
class Fingerprint:
    """Compact description of one article's text; see the module docstring."""

    sig: np.ndarray  # NUM_PERM uint32 MinHash values of the body's shingles; empty without a body
    n_shingles: int  # distinct body shingles (for containment)
    body_words: int  # words in the (capped) body
    body_hash: int  # 64-bit hash of the normalised body, 0 when empty
    title_hash: int  # 64-bit hash of the normalised title, 0 when empty
    title_words: frozenset[int]  # CRC-32 of the title's distinct words (at most 64)
    anchors: np.ndarray = field(default_factory=lambda: _NO_SIG)  # uint32, text order (order check)

    @property
    def short(self) -> bool:
        """Headline-only: too little body to compare bodies."""
        return self.body_words < SHORT_WORDS

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Fingerprint):
            return NotImplemented
        return self.to_bytes() == other.to_bytes()

    def __hash__(self) -> int:
        return hash(self.to_bytes())

    def to_bytes(self) -> bytes:
        titles = sorted(self.title_words)
        flags = _FLAG_SIG if len(self.sig) else 0
        head = _HEADER.pack(
            _VERSION,
            flags,
            len(titles),
            len(self.anchors),
            self.n_shingles,
            self.body_words,
            self.body_hash,
            self.title_hash,
        )
        return (
            head
            + struct.pack(f"<{len(titles)}I", *titles)
            + self.anchors.astype("<u4").tobytes()
            + self.sig.astype("<u4").tobytes()
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> Fingerprint:
        try:
            version, flags, n_title, n_anchor, n_sh, n_words, body, title = _HEADER.unpack_from(data)
        except struct.error as e:
            raise ValueError("not a fingerprint: too short") from e
        if version != _VERSION:
            raise ValueError(f"fingerprint version {version} is not supported (expected {_VERSION})")
        off = _HEADER.size
        want = off + 4 * n_title + 4 * n_anchor + (4 * NUM_PERM if flags & _FLAG_SIG else 0)
        if len(data) != want:
            raise ValueError(f"not a fingerprint: {len(data)} bytes, expected {want}")
        titles = frozenset(struct.unpack_from(f"<{n_title}I", data, off))
        off += 4 * n_title
        anchors = np.frombuffer(data, dtype="<u4", count=n_anchor, offset=off).astype(np.uint32)
        off += 4 * n_anchor
        sig = np.frombuffer(data, dtype="<u4", offset=off).astype(np.uint32) if flags & _FLAG_SIG else _NO_SIG
        sig.flags.writeable = False
        anchors.flags.writeable = False
        return cls(sig, n_sh, n_words, body, title, titles, anchors)

    def to_text(self) -> str:
        """URL-safe base64 of ``to_bytes()`` (for a text column)."""
        return base64.urlsafe_b64encode(self.to_bytes()).decode("ascii")

    @classmethod
    def from_text(cls, text: str) -> Fingerprint:
        try:
            raw = base64.urlsafe_b64decode(text.encode("ascii"))
        except (ValueError, UnicodeEncodeError) as e:
            raise ValueError("not a fingerprint: bad base64") from e
        return cls.from_bytes(raw)


def fingerprint(title: str, text: str) -> Fingerprint:
    """Fingerprint of an article (``text`` is the plain body; either may be empty)."""
    title_words = _words(title or "", _MAX_TITLE_WORDS * 4)
    body_words = _words(text or "", MAX_WORDS)
    if body_words and body_words == title_words:  # feeds that repeat the title as the description
        body_words = []
    if body_words:
        shingles, anchors = _shingles(_word_hashes(body_words))
        sig = _minhash(shingles)
        sig.flags.writeable = False
        anchors.flags.writeable = False
        n_sh = len(shingles)
    else:
        sig, anchors, n_sh = _NO_SIG, _NO_SIG, 0
    return Fingerprint(
        sig=sig,
        n_shingles=n_sh,
        body_words=len(body_words),
        body_hash=_digest64(body_words),
        title_hash=_digest64(title_words),
        title_words=frozenset(_word_hashes(title_words)[:_MAX_TITLE_WORDS]),
        anchors=anchors,
    )


def _in_order(a: np.ndarray, b: np.ndarray) -> bool:
    """Do the anchors ``a`` and ``b`` share come in the same order (allowing ``1 - ORDER_MIN``
    out of place)? Copies keep the order of the text; two reports written from the same stock
    phrases, or with their paragraphs shuffled, do not."""
    pos = {v: i for i, v in enumerate(b.tolist())}
    seq = [pos[v] for v in a.tolist() if v in pos]
    if len(seq) < _MIN_COMMON:
        return True
    tails: list[int] = []  # longest increasing subsequence, patience sorting
    for x in seq:
        i = bisect.bisect_left(tails, x)
        if i == len(tails):
            tails.append(x)
        else:
            tails[i] = x
    return len(tails) >= ORDER_MIN * len(seq)


def _title_sim(a_words: frozenset[int], a_hash: int, b_words: frozenset[int], b_hash: int) -> float:
    if not a_words or not b_words:
        return 0.0
    if a_hash == b_hash:
        return 1.0
    inter = len(a_words & b_words)
    return inter / (len(a_words) + len(b_words) - inter)


@dataclass(frozen=True, slots=True)
class _Params:
    threshold: float = 0.8
    containment: float = 0.95
    title_threshold: float = 0.5


def _decide_short(
    a_short: bool, a_body: int, a_words: frozenset[int], a_title: int, b: _Rec | Fingerprint
) -> tuple[float, str] | None:
    """Headline-only rule: nearly identical titles of at least ``MIN_TITLE_WORDS`` words."""
    if min(len(a_words), len(b.title_words)) < MIN_TITLE_WORDS:
        return None
    t = _title_sim(a_words, a_title, b.title_words, b.title_hash)
    if t < TITLE_NEAR:
        return None
    b_short = b.body_words < SHORT_WORDS
    if a_short and b_short and a_body and b.body_hash and a_body != b.body_hash:
        return None  # two short bodies that differ: two different items under one headline
    return t, "title"


def _decide_long(
    a: Fingerprint, b: _Rec | Fingerprint, eq: int, a_less: int, b_less: int, p: _Params
) -> tuple[float, str] | None:
    """Both bodies long enough. ``eq``: signature values equal; ``a_less``: values where
    ``a``'s minimum is strictly smaller (a shingle of ``a`` missing from ``b`` came first)."""
    if a.body_hash == b.body_hash:
        return 1.0, "exact"
    j = eq / NUM_PERM
    if j >= p.threshold:
        return (j, "near") if _in_order(a.anchors, b.anchors) else None
    if eq == 0:
        return None
    # For one permutation the minimum of A ∪ B lies in A ∩ B (values equal) with probability
    # |A∩B|/|A∪B| and in A \ B (A's value smaller) with probability |A\B|/|A∪B|, so
    # eq / (eq + a_less) estimates |A∩B|/|A|, the containment of A in B. It is exactly 1 when
    # A ⊆ B, however different the sizes, which a Jaccard-based estimate is not.
    c = max(eq / (eq + a_less), eq / (eq + b_less))
    if (
        c >= p.containment
        and _title_sim(a.title_words, a.title_hash, b.title_words, b.title_hash) >= p.title_threshold
        and _in_order(a.anchors, b.anchors)
    ):
        return c, "contained"
    if (
        j >= SAME_TITLE_JACCARD
        and min(len(a.title_words), len(b.title_words)) >= MIN_TITLE_WORDS
        and _title_sim(a.title_words, a.title_hash, b.title_words, b.title_hash) >= TITLE_NEAR
        and _in_order(a.anchors, b.anchors)
    ):
        return j, "near"
    return None


def similarity(
    a: Fingerprint,
    b: Fingerprint,
    *,
    threshold: float = 0.8,
    containment: float = 0.95,
    title_threshold: float = 0.5,
) -> tuple[float, str] | None:
    """``(score, kind)`` when ``a`` and ``b`` are copies of one text, else None.

    ``kind`` is ``exact`` (same body, any headline), ``near`` (estimated Jaccard similarity of
    the bodies ≥ ``threshold``), ``contained`` (estimated containment of one body in the other ≥
    ``containment`` and headline word Jaccard ≥ ``title_threshold``) or ``title`` (a
    headline-only item and nearly identical titles). ``score`` is the figure that decided.
    """
    if a.short or b.short:
        return _decide_short(a.short, a.body_hash, a.title_words, a.title_hash, b)
    eq = int(np.count_nonzero(a.sig == b.sig))
    a_less = int(np.count_nonzero(a.sig < b.sig))
    return _decide_long(
        a, b, eq, a_less, NUM_PERM - eq - a_less, _Params(threshold, containment, title_threshold)
    )


@dataclass(frozen=True, slots=True)
class Match:
    """What ``NearDupIndex.add`` found: the new article is a copy of ``original``'s text."""

    original: Hashable  # the earliest article of the group (what "also published by" hangs on)
    matched: Hashable  # the article whose text matched (often ``original`` itself)
    similarity: float  # the score that decided (see ``similarity``)
    kind: str  # exact | near | contained | title


class _Rec:
    """An indexed article: what matching needs, compactly (the signature lives in a shared matrix)."""

    __slots__ = (
        "_anchors",
        "_titles",
        "body_hash",
        "body_words",
        "doc_id",
        "n_titles",
        "parent",
        "published",
        "seq",
        "slot",
        "title_hash",
    )

    def __init__(self, doc_id: Hashable, fp: Fingerprint, published: float, seq: int) -> None:
        self.doc_id = doc_id
        self.published = published
        self.seq = seq
        self.parent: _Rec | None = None
        self.slot = -1  # row of the signature matrix; -1: no body signature, or not indexed
        self.body_words = fp.body_words
        self.body_hash = fp.body_hash
        self.title_hash = fp.title_hash
        self.n_titles = len(fp.title_words)
        # bytes, not a frozenset / array: a third of the memory; decoded only for candidates
        self._titles = struct.pack(f"<{self.n_titles}I", *fp.title_words)
        self._anchors = fp.anchors.tobytes()

    @property
    def title_words(self) -> frozenset[int]:
        return frozenset(struct.unpack(f"<{self.n_titles}I", self._titles))

    @property
    def anchors(self) -> np.ndarray:
        return np.frombuffer(self._anchors, dtype=np.uint32)

    def order(self) -> tuple[float, int]:
        return self.published, self.seq


def _find(rec: _Rec) -> _Rec:
    root = rec
    while root.parent is not None:
        root = root.parent
    while rec.parent is not None and rec.parent is not root:  # path compression
        rec.parent, rec = root, rec.parent
    return root


def _timestamp(published: datetime | float) -> float:
    if isinstance(published, datetime):
        if published.tzinfo is None:
            raise ValueError("published must be an aware datetime")
        return published.timestamp()
    return float(published)


class NearDupIndex:
    """Streaming near-duplicate index over a sliding publication-time window.

    Candidates come from three kinds of keys: ``bands`` × ``rows`` signature values (a pair
    whose bodies have Jaccard similarity ``J`` meets with probability
    ``1 - (1 - J**rows)**bands``: 0.9997 at J = 0.8, 0.97 at J = 0.5 with the defaults), the
    opening of the text (two pairs of anchors: copies that keep the beginning always meet)
    and the exact title (headline-only items). ``on_regroup(old, new)`` is called when an
    article that arrives late is older than the original of a group it matches: from then on
    that group's original is ``new``. Not thread-safe: one writer.
    """

    def __init__(
        self,
        window: timedelta = timedelta(hours=72),
        threshold: float = 0.8,
        *,
        containment: float = 0.95,
        title_threshold: float = 0.5,
        bands: int = 12,
        rows: int = 2,
        max_posting: int = 32,
        on_regroup: Callable[[Hashable, Hashable], None] | None = None,
    ) -> None:
        if bands < 1 or rows < 1 or bands * rows > NUM_PERM:
            raise ValueError(f"bands × rows must be between 1 and {NUM_PERM}")
        self.window = window
        self.params = _Params(threshold, containment, title_threshold)
        self.bands = bands
        self.rows = rows
        self.max_posting = max_posting
        self.on_regroup = on_regroup
        self._span = window.total_seconds()
        self._salt = np.array(_splitmix(0xBA4D5, bands), dtype=np.uint64)
        self._table: dict[int, _Rec | list[_Rec]] = {}
        self._by_id: dict[Hashable, _Rec] = {}
        self._heap: list[tuple[float, int, _Rec]] = []
        self._sigs = np.zeros((64, NUM_PERM), dtype=np.uint32)
        self._free: list[int] = list(range(63, -1, -1))
        self._seq = 0
        self._latest = float("-inf")

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._by_id

    # --- keys and storage ----------------------------------------------------------------------
    def _keys(
        self, sig: np.ndarray | None, anchors: np.ndarray, title_words: int, title_hash: int
    ) -> list[int]:
        keys: list[int] = []
        if sig is not None:
            band = sig[: self.bands * self.rows].astype(np.uint64).reshape(self.bands, self.rows)
            k = band[:, 0].copy()
            for i in range(1, self.rows):
                k = k * _MIX + band[:, i]
            keys.extend((k ^ self._salt).tolist())
            # The opening of the text: a copy that keeps the beginning (trimmed at the end, new
            # headline) is a candidate for sure, whatever its Jaccard similarity.
            for j in (0, 2):
                if len(anchors) >= j + 2:
                    keys.append((int(anchors[j]) << 32 | int(anchors[j + 1])) ^ _OPENING_SALT[j])
        if title_words >= MIN_TITLE_WORDS:
            keys.append(title_hash)
        return keys

    def _rec_keys(self, rec: _Rec) -> list[int]:
        sig = self._sigs[rec.slot] if rec.slot >= 0 else None
        return self._keys(sig, rec.anchors, rec.n_titles, rec.title_hash)

    def _put(self, key: int, rec: _Rec) -> None:
        cur = self._table.get(key)
        if cur is None:
            self._table[key] = rec
        elif isinstance(cur, list):
            cur.append(rec)
            if len(cur) > self.max_posting:  # a key shared by very many texts tells little
                del cur[0]
        else:
            self._table[key] = [cur, rec]

    def _drop(self, key: int, rec: _Rec) -> None:
        cur = self._table.get(key)
        if cur is rec:
            del self._table[key]
        elif isinstance(cur, list):
            try:
                cur.remove(rec)
            except ValueError:
                return  # already pushed out of a full posting list
            if len(cur) == 1:
                self._table[key] = cur[0]

    def _slot(self, sig: np.ndarray) -> int:
        if not self._free:
            n = len(self._sigs)
            grow = max(64, n // 2)  # +50%: little slack at the window's size
            self._sigs = np.concatenate([self._sigs, np.zeros((grow, NUM_PERM), dtype=np.uint32)])
            self._free = list(range(n + grow - 1, n - 1, -1))
        slot = self._free.pop()
        self._sigs[slot] = sig
        return slot

    # --- matching ------------------------------------------------------------------------------
    def _candidates(self, keys: list[int]) -> list[_Rec]:
        found: list[_Rec] = []
        table = self._table
        for key in keys:
            cur = table.get(key)
            if cur is None:
                continue
            if type(cur) is list:
                found.extend(cur)
            else:
                found.append(cur)  # type: ignore[arg-type]
        return list(dict.fromkeys(found))  # records hash by identity

    def _matches(self, fp: Fingerprint, cands: list[_Rec]) -> list[tuple[_Rec, float, str]]:
        out: list[tuple[_Rec, float, str]] = []
        if fp.short:
            shorts, longs = cands, []
        else:
            shorts = [r for r in cands if r.slot < 0]  # indexed without a signature: headline-only
            longs = [r for r in cands if r.slot >= 0]
        for other in shorts:
            got = _decide_short(fp.short, fp.body_hash, fp.title_words, fp.title_hash, other)
            if got is not None:
                out.append((other, *got))
        if longs:
            mat = self._sigs[[r.slot for r in longs]]
            eq = np.count_nonzero(mat == fp.sig, axis=1)
            a_less = np.count_nonzero(fp.sig < mat, axis=1)
            b_less = NUM_PERM - eq - a_less
            p = self.params
            # cheap screen, then the exact rule: J ≥ threshold, or either containment ≥ containment
            keep = (eq >= min(p.threshold, SAME_TITLE_JACCARD) * NUM_PERM) | (
                eq >= p.containment * (eq + np.minimum(a_less, b_less))
            )
            for i in np.flatnonzero(keep & (eq > 0)).tolist():
                got = _decide_long(fp, longs[i], int(eq[i]), int(a_less[i]), int(b_less[i]), p)
                if got is not None:
                    out.append((longs[i], *got))
        return out

    # --- public API ---------------------------------------------------------------------------
    def add(self, doc_id: Hashable, fp: Fingerprint, published: datetime | float) -> Match | None:
        """Index an article; return the original it copies (earliest of its group), or None."""
        ts = _timestamp(published)
        if doc_id in self._by_id:
            self.remove(doc_id)
        rec = _Rec(doc_id, fp, ts, self._seq)
        self._seq += 1
        has_sig = len(fp.sig) > 0 and not fp.short
        keys = self._keys(fp.sig if has_sig else None, fp.anchors, len(fp.title_words), fp.title_hash)
        result = self._attribute(rec, self._matches(fp, self._candidates(keys)))
        if has_sig:
            rec.slot = self._slot(fp.sig)
        for key in keys:
            self._put(key, rec)
        self._by_id[doc_id] = rec
        heapq.heappush(self._heap, (ts, rec.seq, rec))
        self._latest = max(self._latest, ts)
        self._evict()
        return result

    def _attribute(self, rec: _Rec, matches: list[tuple[_Rec, float, str]]) -> Match | None:
        if not matches:
            return None
        roots = {id(r): r for r in (_find(m[0]) for m in matches)}
        first = min(roots.values(), key=_Rec.order)
        if first.order() > rec.order():  # the newcomer is older than every group it matches
            for root in roots.values():
                self._regroup(root, rec)
            return None
        rec.parent = first
        for root in roots.values():
            if root is not first and root.order() > rec.order():  # a late arrival bridges groups
                self._regroup(root, first)
        best = max((m for m in matches if _find(m[0]) is first), key=lambda m: m[1])
        return Match(first.doc_id, best[0].doc_id, best[1], best[2])

    def _regroup(self, old: _Rec, new: _Rec) -> None:
        old.parent = new
        if self.on_regroup is not None:
            self.on_regroup(old.doc_id, new.doc_id)

    def remove(self, doc_id: Hashable) -> None:
        """Forget an article for future matching (a no-op when it is not indexed).

        Articles already attributed to it keep it as their original.
        """
        rec = self._by_id.pop(doc_id, None)
        if rec is None:
            return
        for key in self._rec_keys(rec):
            self._drop(key, rec)
        if rec.slot >= 0:
            self._free.append(rec.slot)
            rec.slot = -1

    def original_of(self, doc_id: Hashable) -> Hashable | None:
        """The original of an indexed article's group (itself when it is the original)."""
        rec = self._by_id.get(doc_id)
        return None if rec is None else _find(rec).doc_id

    def _evict(self) -> None:
        cutoff = self._latest - self._span
        heap = self._heap
        while heap and heap[0][0] < cutoff:
            _, _, rec = heapq.heappop(heap)
            if self._by_id.get(rec.doc_id) is rec:
                self.remove(rec.doc_id)
