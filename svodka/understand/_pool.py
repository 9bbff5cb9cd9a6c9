"""Understanding on every core: a pool of worker processes, each with the models loaded.

Why processes: the stage is half numpy (the USE embedding) and half pure Python (language,
fingerprint, category features, places). Measured on a 2-core EPYC, one process with one
BLAS thread understands ~215 articles/s on one core; letting BLAS use the second core adds
little (~240/s: the Python half holds the GIL, and BLAS threads spin), and running the
embedding on a second thread gains nothing either (the embedding's gathers and element-wise
steps need the GIL too). Two processes with one BLAS thread each use both cores fully.

Each worker loads the models once (≈ 2 s, ≈ 600 MB: the gazetteer, the embedder and its
per-id cache), limits BLAS to one thread, and exits when the process that started it is
gone. A batch is split into contiguous chunks, two per worker, and the results come back in
input order. Should a worker die (out of memory, killed), the batch is understood in this
process instead, the pool is replaced, and nothing is lost.

``SVODKA_UNDERSTAND_WORKERS``: how many worker processes (default: one per core, at most 4;
``0``: understand in the calling process).
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

from svodka._procs import pool_pids, process_context, processes_setting

if TYPE_CHECKING:
    from svodka.understand import Understanding

log = logging.getLogger(__name__)

MIN_CHUNK = 16  # below this a batch goes to one worker: splitting costs more than it gains
# measured on 2 cores, batches of 200, alternate runs: 1 chunk per worker 336–369 articles/s,
# 2 chunks 392–420, 4 chunks 379–436
CHUNKS_PER_WORKER = 2


def default_workers() -> int:
    """Worker processes from ``SVODKA_UNDERSTAND_WORKERS``, else one per usable core (at most 4)
    on a machine with a second core, else 0 (in-process)."""
    return processes_setting("SVODKA_UNDERSTAND_WORKERS")


def _init_worker(parent: int) -> None:
    """Initializer of a worker: watch the parent, one BLAS thread, models loaded now."""
    from svodka.feedwork import watch_parent
    from svodka.stories import embed
    from svodka.understand import understand

    watch_parent(parent)
    embed.BLAS_THREADS = 1  # the pool's processes are the parallelism
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=1, user_api="blas")
    except ImportError:  # pragma: no cover - a dependency; without it BLAS may spin a second thread
        pass
    understand("Загрузка моделей в Москве", "Текст для загрузки моделей языка, категорий и мест.")


def _work(items: list[tuple[str, str]], hints: list[str | None] | None) -> list[Understanding]:
    from svodka.understand import understand_many

    return understand_many(items, hints)


class UnderstandPool:
    """``understand_many`` spread over ``workers`` processes (see the module doc)."""

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise ValueError("an understand pool needs at least one worker")
        self.workers = workers
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self.fallbacks = 0  # batches understood in-process after a worker died

    def _pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=process_context(),
                    initializer=_init_worker,
                    initargs=(os.getpid(),),
                )
            return self._executor

    def start(self) -> None:
        """Start the workers and load their models now (otherwise the first batch does)."""
        pool = self._pool()
        for f in [pool.submit(int) for _ in range(self.workers)]:
            f.result()

    def worker_pids(self) -> list[int]:
        """Process ids of the running workers (for measurements and tests)."""
        with self._lock:
            return pool_pids(self._executor)

    def understand_many(
        self, items: Sequence[tuple[str, str]], lang_hints: Sequence[str | None] | None = None
    ) -> list[Understanding]:
        """Same result as :func:`svodka.understand.understand_many`, in input order."""
        from svodka.understand import understand_many

        if lang_hints is not None and len(lang_hints) != len(items):
            raise ValueError(f"{len(lang_hints)} language hints for {len(items)} articles")
        if not items:
            return []
        # two chunks per worker: one that finishes early takes the next (chunks differ in length)
        parts = max(1, min(self.workers * CHUNKS_PER_WORKER, len(items) // MIN_CHUNK))
        size = -(-len(items) // parts)
        pool = self._pool()
        try:
            futures = [
                pool.submit(
                    _work,
                    list(items[i : i + size]),
                    None if lang_hints is None else list(lang_hints[i : i + size]),
                )
                for i in range(0, len(items), size)
            ]
            out: list[Understanding] = []
            for f in futures:
                out.extend(f.result())
            return out
        except BrokenProcessPool:
            log.warning("an understand worker died; this batch runs in-process and the pool restarts")
            self.fallbacks += 1
            with self._lock:
                if self._executor is pool:
                    self._executor = None
            pool.shutdown(wait=False, cancel_futures=True)
            return understand_many(items, lang_hints)

    def close(self) -> None:
        with self._lock:
            pool, self._executor = self._executor, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


_shared: UnderstandPool | None = None
_shared_lock = threading.Lock()


def shared_pool() -> UnderstandPool | None:
    """The process's pool (created on first use), or None when ``SVODKA_UNDERSTAND_WORKERS``
    is 0 or the machine has one core."""
    global _shared
    with _shared_lock:
        if _shared is None:
            workers = default_workers()
            if workers < 1:
                return None
            _shared = UnderstandPool(workers)
            atexit.register(_shared.close)
        return _shared


def understand_parallel(
    items: Sequence[tuple[str, str]], lang_hints: Sequence[str | None] | None = None
) -> list[Understanding]:
    """``understand_many`` on the shared pool where there is one, else in this process."""
    from svodka.understand import understand_many

    pool = shared_pool()
    if pool is None:
        return understand_many(items, lang_hints)
    return pool.understand_many(items, lang_hints)
