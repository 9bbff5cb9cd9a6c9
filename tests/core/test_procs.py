"""svodka._procs: how many worker processes a setting asks for, and how they start."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from svodka._procs import process_context, processes_setting, usable_cores


@pytest.mark.parametrize(("raw", "expected"), [("0", 0), ("3", 3), (" 2 ", 2)])
def test_the_setting_is_a_whole_number(monkeypatch: pytest.MonkeyPatch, raw: str, expected: int) -> None:
    monkeypatch.setenv("SVODKA_TEST_PROCESSES", raw)
    assert processes_setting("SVODKA_TEST_PROCESSES") == expected


@pytest.mark.parametrize(
    ("raw", "words"), [("two", "whole number"), ("-1", "0 or more"), ("1.5", "whole number")]
)
def test_nonsense_is_rejected_by_name(monkeypatch: pytest.MonkeyPatch, raw: str, words: str) -> None:
    monkeypatch.setenv("SVODKA_TEST_PROCESSES", raw)
    with pytest.raises(ValueError, match=f"SVODKA_TEST_PROCESSES must be .*{words}"):
        processes_setting("SVODKA_TEST_PROCESSES")


def test_default_is_one_per_usable_core_up_to_four(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SVODKA_TEST_PROCESSES", raising=False)
    cores = usable_cores()
    assert processes_setting("SVODKA_TEST_PROCESSES") == (min(cores, 4) if cores > 1 else 0)
    if hasattr(os, "sched_getaffinity"):  # a process pinned to one core works in-process
        monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0})
        assert processes_setting("SVODKA_TEST_PROCESSES") == 0


@pytest.mark.skipif("forkserver" not in multiprocessing.get_all_start_methods(), reason="no forkserver here")
def test_forkserver_preload_is_kept_unless_given() -> None:
    from multiprocessing import forkserver

    ctx = process_context(["svodka.feedwork"])
    assert ctx.get_start_method() == "forkserver"
    process_context()  # another pool that names nothing leaves the preload as it is
    assert forkserver._forkserver._preload_modules == ["svodka.feedwork"]  # type: ignore[attr-defined]
