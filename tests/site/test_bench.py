"""Smoke test of ``svodka bench ingest`` on a tiny simulated corpus (the figures are not checked)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.bench_ingest import PEER_SCRIPT, PEER_VENV, ChildRun, run_child

REPO = Path(__file__).resolve().parents[2]


def test_bench_ingest_json_without_peer(tmp_path: Path) -> None:
    data = tmp_path / "data"
    proc = subprocess.run(
        [sys.executable, "-m", "svodka_site.cli", "bench", "ingest", "--feeds", "5", "--items", "5",
         "--no-peer", "--json", "--data", str(data)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    for key in ("svodka_items_per_s", "peer_items_per_s", "ratio", "peak_rss_mb", "peer_peak_rss_mb", "feeds",
                "items", "svodka_seconds", "peer_seconds", "pages_per_s", "machine", "date"):  # fmt: skip
        assert key in result, key
    assert result["feeds"] == 5 and result["items"] == 5
    # every item of the static corpus was stored, once
    assert result["svodka_items_stored"] == 25
    assert result["svodka_feeds_failed"] == 0
    assert result["svodka_items_per_s"] > 0 and result["peak_rss_mb"] > 10
    assert result["svodka_cpu_s"] > 0
    assert result["peak_tree_mb"] is None or result["peak_tree_mb"] > 10
    assert result["peer_items_per_s"] is None and result["ratio"] is None
    # the full-text pass went over every stored article (some outlets' robots.txt forbid a few pages)
    assert result["pages"] == 25 and 0 < result["pages_ok"] <= 25 and result["pages_per_s"] > 0
    assert {"cpu_count", "python", "platform"} <= set(result["machine"])
    assert (data / "svodka.sqlite3").exists() or result["database"] == "postgresql"


def test_run_child_reports_its_own_peak_rss() -> None:
    small = run_child([sys.executable, "-c", "print('{\"a\": 1}')"])
    big = run_child([sys.executable, "-c", "b = bytearray(200 * 2**20); b[::4096] = b'x' * len(b[::4096])"])
    assert small.rc == 0 and small.last_json() == {"a": 1}
    assert big.rc == 0
    assert big.peak_rss_mb > 200 > small.peak_rss_mb


def test_run_child_does_not_count_the_parents_memory() -> None:
    ballast = bytearray(300 * 2**20)
    ballast[::4096] = b"x" * len(ballast[::4096])  # touch every page: 300 MB resident here
    child = run_child([sys.executable, "-c", "import time; time.sleep(0.3)"])
    assert child.rc == 0
    assert child.peak_rss_mb < 100
    del ballast


def test_run_child_counts_the_processes_below_it() -> None:
    # the child's own child holds 150 MB, the child itself little: only the tree figure sees it
    grandchild = "b = bytearray(150 * 2**20); b[::4096] = b'x' * len(b[::4096]); import time; time.sleep(1.2)"
    script = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {grandchild!r}])"
    run = run_child([sys.executable, "-c", script])
    assert run.rc == 0
    assert run.peak_rss_mb < 100
    assert run.peak_tree_mb is not None and run.peak_tree_mb > 150


def test_the_process_tree_is_found_with_and_without_the_children_files(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from benchmarks import bench_ingest

    script = "import subprocess, sys; subprocess.run([sys.executable, '-c', 'import time; time.sleep(5)'])"
    child = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 5
        while len(found := bench_ingest._descendants(child.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert found[0] == child.pid and len(found) == 2  # the child and its own child
        monkeypatch.setattr(bench_ingest.os.path, "exists", lambda path: False)  # no children files
        assert bench_ingest._descendants(child.pid) == found
    finally:
        for pid in reversed(found):
            os.kill(pid, signal.SIGKILL)
        child.wait()


def test_child_without_json_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="no JSON"):
        ChildRun(rc=1, stdout="nothing\n", stderr="boom", peak_rss_mb=1.0, wall_s=0.1).last_json()


@pytest.mark.skipif(
    not (PEER_VENV / "bin" / "python").exists(), reason="no .bench-venv (made by `svodka bench`)"
)
def test_peer_reader_ingests_the_simulator(tmp_path: Path) -> None:
    from svodka.simulator import SimConfig, SimulatorServer

    with SimulatorServer(SimConfig(outlets=3, items_per_feed=4, static=True, hostile=False)) as sim:
        urls = tmp_path / "urls.txt"
        urls.write_text("\n".join(sim.feed_urls()))
        run = run_child(
            [
                str(PEER_VENV / "bin" / "python"),
                str(PEER_SCRIPT),
                "--urls",
                str(urls),
                "--db",
                str(tmp_path / "r.db"),
            ],
            timeout_s=120,
        )
    assert run.rc == 0, run.stderr
    out = run.last_json()
    assert out["entries"] == 12 and out["feeds_failed"] == 0 and out["items_per_s"] > 0


def test_bench_understand_measures_the_pool_and_one_process() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_understand", "--articles", "60", "--workers", "1", "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
        cwd=Path(__file__).resolve().parents[2],
    )
    res = json.loads(out.stdout.strip().splitlines()[-1])
    assert res["articles"] == 60 and res["workers"] == 1
    assert res["articles_per_s"] > 0 and res["in_process_articles_per_s"] > 0
    (worker_mb,) = res["worker_peak_rss_mb"]
    # the worker holds the models; the pool's caller (a fresh process) does not load them
    assert worker_mb > res["main_peak_rss_mb"]
    assert res["peak_rss_mb"] == pytest.approx(res["main_peak_rss_mb"] + worker_mb, abs=0.2)
