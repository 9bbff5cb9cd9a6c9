"""svodka.understand._pool: understanding spread over worker processes."""

from __future__ import annotations

import os
import signal
import time

import numpy as np
import pytest

from svodka.understand import understand_many
from svodka.understand._pool import UnderstandPool, default_workers, understand_parallel

ITEMS = [
    ("Пожар на складе в Новосибирске потушили к утру", "Пожарные работали всю ночь. Пострадавших нет."),
    ("Sberbank raises its key deposit rates", "The bank said the new rates apply from Monday in Moscow."),
    ("У Львові відкрили новий міст через річку", "Міська рада повідомила, що рух відкрито з понеділка."),
    ("", ""),
    ("🔥", ""),
    ("Гомель: под городом нашли древнее поселение", "Археологи из Минска изучают находки третий месяц."),
] * 7  # 42 items: more than one chunk per worker


def _same(a: list, b: list) -> None:
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        assert x.lang.code == y.lang.code
        assert x.category == y.category
        assert [p.geonameid for p in x.places] == [p.geonameid for p in y.places]
        assert x.fingerprint.body_hash == y.fingerprint.body_hash
        assert x.fingerprint.title_hash == y.fingerprint.title_hash
        assert np.array_equal(x.fingerprint.sig, y.fingerprint.sig)
        if x.embedding is None or y.embedding is None:
            assert x.embedding is None and y.embedding is None
        else:
            na, nb = np.linalg.norm(x.embedding), np.linalg.norm(y.embedding)
            if na == 0 or nb == 0:
                assert na == nb == 0
            else:
                assert float(x.embedding @ y.embedding) / (na * nb) > 0.9999


@pytest.fixture(scope="module")
def pool():
    p = UnderstandPool(2)
    p.start()
    yield p
    p.close()


def test_pool_gives_the_in_process_results_in_input_order(pool: UnderstandPool) -> None:
    hints = ["ru", None, "uk", None, None, "ru"] * 7
    _same(pool.understand_many(ITEMS, hints), understand_many(ITEMS, hints))
    assert pool.understand_many([]) == []
    with pytest.raises(ValueError, match="language hints"):
        pool.understand_many(ITEMS, ["ru"])


def test_a_small_batch_goes_to_one_worker(pool: UnderstandPool) -> None:
    _same(pool.understand_many(ITEMS[:3]), understand_many(ITEMS[:3]))


def test_a_dead_worker_loses_no_batch_and_the_pool_comes_back() -> None:
    pool = UnderstandPool(2)
    try:
        pool.start()
        before = pool.worker_pids()
        os.kill(before[0], signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # the executor notices the death in the background
            try:
                os.kill(before[0], 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        got = pool.understand_many(ITEMS)
        _same(got, understand_many(ITEMS))
        assert pool.fallbacks == 1
        again = pool.understand_many(ITEMS[:20])  # a fresh pool of fresh processes
        _same(again, understand_many(ITEMS[:20]))
        assert pool.fallbacks == 1
        assert not set(pool.worker_pids()) & set(before)
    finally:
        pool.close()


def test_workers_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SVODKA_UNDERSTAND_WORKERS", "3")
    assert default_workers() == 3
    monkeypatch.setenv("SVODKA_UNDERSTAND_WORKERS", "0")
    assert default_workers() == 0
    _same(understand_parallel(ITEMS[:4]), understand_many(ITEMS[:4]))  # in-process
    monkeypatch.setenv("SVODKA_UNDERSTAND_WORKERS", "two")
    with pytest.raises(ValueError, match="whole number"):
        default_workers()
    monkeypatch.delenv("SVODKA_UNDERSTAND_WORKERS")
    cores = os.cpu_count() or 1
    assert default_workers() == (min(cores, 4) if cores > 1 else 0)
    with pytest.raises(ValueError):
        UnderstandPool(0)
