"""Worker processes, as the crawler's feed processes and the understand pool start them.

How many (a setting, else one per usable core up to four), how they start (forked from a
forkserver, never a plain fork of a threaded process), and which are running.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext

MAX_DEFAULT_PROCESSES = 4


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity, where the system has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def processes_setting(name: str) -> int:
    """The environment setting ``name`` (a whole number, 0 or more), else one process per usable
    core up to four on a machine with a second core, else 0 (work in the calling process)."""
    raw = os.environ.get(name, "").strip()
    if raw:
        try:
            n = int(raw)
        except ValueError:
            raise ValueError(f"{name} must be a whole number, not {raw!r}") from None
        if n < 0:
            raise ValueError(f"{name} must be 0 or more, not {n}")
        return n
    cores = usable_cores()
    return min(cores, MAX_DEFAULT_PROCESSES) if cores > 1 else 0


def process_context(preload: Sequence[str] | None = None) -> BaseContext:
    """The forkserver where there is one (each child is a fork of a small server that imported
    ``preload`` once, which starts sooner than a fresh interpreter re-importing them and the
    caller's ``__main__``), else spawn. The preload list is the forkserver's, for every pool of the
    process, and takes effect only when the forkserver starts: None leaves it as it is."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        if preload is not None:
            ctx.set_forkserver_preload(list(preload))
        return ctx
    return multiprocessing.get_context("spawn")


def pool_pids(executor: ProcessPoolExecutor | None) -> list[int]:
    """Process ids of an executor's running processes (for measurements and tests)."""
    # ProcessPoolExecutor keeps its processes in a private mapping; nothing public lists them
    return list(getattr(executor, "_processes", None) or {})
