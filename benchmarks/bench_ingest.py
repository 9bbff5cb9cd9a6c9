"""``svodka bench ingest``: svodka against lemon24/reader on the same simulated corpus.

One newsroom simulator (static corpus, not hostile, fixed seed) serves both sides over real
HTTP on 127.0.0.1, from this process. Each side runs in a subprocess of its own, so each
peak-RSS figure (that child's ``VmHWM``) is that side's alone:

- svodka: a fresh data folder (embedded SQLite, or a fresh database on the PostgreSQL
  server of ``DATABASE_URL``), migrate + OPML import (untimed), then
  ``svodka crawl --once --no-pages --no-understand --json``; its own ``seconds`` (the crawl
  itself: fetch, parse, sanitise, exact dedupe, store) divides the articles stored.
- reader: ``benchmarks/peer_reader.py`` under ``.bench-venv`` (created on first use), a
  fresh reader database, one cold ``update_feeds(scheduled=False)``.
- full text, separately: a sample of the stored articles is marked pending again and
  ``svodka crawl --once --json`` reads their pages (robots.txt, fetch, extract, store).

``python -m benchmarks.bench_ingest _db --data DIR {count,mark-pending N}`` is the small
helper the benchmark runs against svodka's store (in a child, so Django never loads here).
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
PEER_VENV = REPO / ".bench-venv"
PEER_SCRIPT = Path(__file__).resolve().parent / "peer_reader.py"
# reader 3.26's vendored feedparser imports ``sgmllib``, which Python 3 lacks.
PEER_REQUIREMENTS = ("reader==3.26", "sgmllib3k==1.0.0")
PEER_PYTHON = "python3.11"

LogFn = Callable[[str], None]
TREE_POLL_EVERY = 25  # polls of 10 ms between two samples of a process tree's Pss


@dataclass(slots=True)
class IngestConfig:
    feeds: int = 200
    items: int = 50
    seed: int = 1
    peer: bool = True
    peer_workers: int = 1  # reader's update_feeds(workers=N); 1 is its default
    pages_sample: int = 500  # articles whose pages are read for the full-text figure; 0: skip
    data: Path | None = None  # keep svodka's data folder here (default: a temporary one)
    timeout_s: float = 1800.0  # safety net per child
    repeat: int = 1  # run both sides this many times, alternately; report each side's fastest
    cpus: int | None = None  # pin the benchmark (simulator and both sides) to the first N CPUs


@dataclass(slots=True)
class ChildRun:
    rc: int
    stdout: str
    stderr: str
    peak_rss_mb: float  # the child's own maximum resident set (VmHWM)
    wall_s: float
    # the largest sum, over the child and every process below it (svodka's parse processes),
    # of their proportional set sizes (Pss: pages shared by forks counted once), polled
    peak_tree_mb: float | None = None

    def last_json(self) -> dict[str, Any]:
        for line in reversed(self.stdout.strip().splitlines()):
            line = line.strip()
            if line.startswith("{"):
                return json.loads(line)
        raise RuntimeError(f"no JSON on stdout (rc={self.rc}); stderr:\n{self.stderr[-3000:]}")


class BenchError(RuntimeError):
    """The benchmark could not run (a child failed, the peer could not be installed, ...)."""


# --- children -----------------------------------------------------------------------------
def _vm_hwm_mb(pid: int) -> float | None:
    """Peak RSS of a live process's current program, from /proc (None when unavailable)."""
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except (OSError, ValueError, IndexError):
        pass
    return None


def _children(pid: int) -> list[int]:
    """``pid``'s children, from each of its threads' ``children`` file ([] once it is gone)."""
    kids: list[int] = []
    try:
        for task in os.scandir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task.name}/children", "rb") as f:
                kids += [int(c) for c in f.read().split()]
    except OSError:  # ended while we looked
        pass
    return kids


def _descendants(root: int) -> list[int]:
    """``root`` and every process below it (children of its children included), from /proc:
    the ``children`` files (a few reads), else, on kernels without them, a scan of every process."""
    if os.path.exists(f"/proc/{root}/task/{root}/children"):
        out, frontier = [root], [root]
        while frontier:
            frontier = [kid for pid in frontier for kid in _children(pid)]
            out += frontier
        return out
    parent: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                parent[int(entry.name)] = int(f.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    out, frontier = [root], [root]
    while frontier:
        below = set(frontier)
        frontier = [pid for pid, ppid in parent.items() if ppid in below]
        out += frontier
    return out


def _tree_pss_mb(root: int) -> float | None:
    """Sum of Pss over ``root`` and its descendants (None when /proc has no smaps_rollup)."""
    total, seen = 0, False
    for pid in _descendants(root):
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
                for line in f:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1])
                        seen = True
                        break
        except (OSError, ValueError, IndexError):
            continue
    return total / 1024 if seen else None


def run_child(cmd: list[str], *, env: dict[str, str] | None = None, timeout_s: float = 1800.0) -> ChildRun:
    """Run ``cmd`` to completion; return its output and its own peak RSS.

    The peak is the child's ``VmHWM``, polled while it runs: ``ru_maxrss`` (``wait4``,
    ``getrusage``) would also count the pages of *this* process, which the child shares
    between fork and exec, and this process holds the simulator.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, cwd=REPO)
        deadline = time.monotonic() + timeout_s
        hwm: float | None = None
        tree: float | None = None
        polls = 0
        while True:
            # wait4 rather than Popen.wait, so /proc/<pid> stays ours to read until we reap it.
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            now_hwm = _vm_hwm_mb(proc.pid)
            if now_hwm is not None:
                hwm = now_hwm if hwm is None else max(hwm, now_hwm)
            polls += 1
            # every 250 ms: summing Pss (smaps_rollup) over svodka's five processes costs ~8 ms
            # of CPU; every 50 ms that took a quarter of a core from the side being measured
            if polls % TREE_POLL_EVERY == 1:
                now_tree = _tree_pss_mb(proc.pid)
                if now_tree is not None:
                    tree = now_tree if tree is None else max(tree, now_tree)
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.01)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return ChildRun(
            rc=proc.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            peak_rss_mb=hwm if hwm is not None else usage.ru_maxrss / 1024,  # ru_maxrss: KiB on Linux
            peak_tree_mb=tree,
            wall_s=wall,
        )


def _checked(run: ChildRun, what: str) -> ChildRun:
    if run.rc != 0:
        raise BenchError(f"{what} failed (exit {run.rc}):\n{run.stderr[-3000:]}")
    return run


def _svodka_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "svodka_site.cli", *args]


def _svodka_env(database_url: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    env.setdefault("SVODKA_LOG_LEVEL", "ERROR")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    return env


# --- the peer's environment ---------------------------------------------------------------
def peer_python(venv: Path = PEER_VENV, *, log: LogFn = print) -> Path:
    """The interpreter of the peer's virtualenv, creating it (and installing reader) if needed."""
    py = venv / "bin" / "python"
    probe = [str(py), "-c", "import reader, sgmllib; print(reader.__version__)"]
    if py.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return py
    log(f"creating the peer's virtualenv {venv} ({', '.join(PEER_REQUIREMENTS)})")
    if not py.exists():
        subprocess.run([PEER_PYTHON, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(py), "-m", "pip", "install", "-q", *PEER_REQUIREMENTS], check=True)
    if subprocess.run(probe, capture_output=True).returncode != 0:
        raise BenchError(f"reader is not importable in {venv}")
    return py


# --- a fresh database for svodka ----------------------------------------------------------
@contextlib.contextmanager
def fresh_database(url: str | None) -> Iterator[str | None]:
    """With ``DATABASE_URL`` set: a new, empty database on that server, dropped afterwards."""
    if not url:
        yield None
        return
    import psycopg

    name = f"svodka_bench_{os.getpid()}_{int(time.time())}"
    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path="/" + name))
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def warm_feeds(urls: list[str]) -> None:
    """Fetch every feed once, untimed: the simulator renders (and gzips) a feed on first
    request and caches it, and that cost must not fall on whichever side runs first."""
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    def get(url: str) -> None:
        for enc in ("gzip", "identity"):
            req = urllib.request.Request(url, headers={"Accept-Encoding": enc})
            with contextlib.suppress(OSError), urllib.request.urlopen(req, timeout=60) as r:
                r.read()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(get, urls))


# --- machine ------------------------------------------------------------------------------
def machine_info() -> dict[str, Any]:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        usable = os.cpu_count() or 0
    return {
        "cpu_count": os.cpu_count(),
        "cpus_usable": usable,
        "cpu_model": model or platform.processor(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


# --- the benchmark ------------------------------------------------------------------------
def _svodka_ingest(
    cfg: IngestConfig, data: Path, opml: Path, env: dict[str, str], log: LogFn
) -> dict[str, Any]:
    # migrate + import: setup, not timed
    _checked(
        run_child(_svodka_cmd("sources", "import", str(opml), "--data", str(data)), env=env), "svodka import"
    )
    log(f"svodka: crawling {cfg.feeds} feeds …")
    crawl = _checked(
        run_child(
            _svodka_cmd(
                "crawl", "--once", "--no-pages", "--no-understand", "--json", "--quiet", "--data", str(data)
            ),
            env=env,
            timeout_s=cfg.timeout_s,
        ),
        "svodka crawl",
    )
    summary = crawl.last_json()
    counts = _checked(run_child(_db_cmd(data, "count"), env=env), "svodka count").last_json()
    seconds = float(summary["seconds"]) or 1e-9
    return {
        "svodka_items_per_s": round(counts["articles"] / seconds, 1),
        "svodka_seconds": round(seconds, 3),
        # CPU time of the crawler's process and its feed processes during those seconds
        "svodka_cpu_s": summary.get("cpu_seconds"),
        "svodka_wall_s": round(crawl.wall_s, 3),
        "svodka_items_stored": counts["articles"],
        "svodka_entries": summary["entries"],
        "svodka_feeds_failed": summary["feeds_failed"],
        # articles the crawl also ran through language/category/places/near-dup detection
        "svodka_understood": summary.get("understood"),
        "peak_rss_mb": round(crawl.peak_rss_mb, 1),
        # the crawler with its parse processes (peak of their summed Pss, sampled every 50 ms)
        "peak_tree_mb": round(crawl.peak_tree_mb, 1) if crawl.peak_tree_mb is not None else None,
    }


def _svodka_pages(cfg: IngestConfig, data: Path, env: dict[str, str], log: LogFn) -> dict[str, Any]:
    if cfg.pages_sample <= 0:
        return {
            "pages": 0,
            "pages_ok": 0,
            "pages_seconds": 0.0,
            "pages_per_s": None,
            "pages_peak_rss_mb": None,
        }
    marked = _checked(
        run_child(_db_cmd(data, "mark-pending", str(cfg.pages_sample)), env=env), "svodka mark-pending"
    ).last_json()["marked"]
    log(f"svodka: reading {marked} article pages …")
    pages = _checked(
        run_child(
            _svodka_cmd("crawl", "--once", "--no-understand", "--json", "--quiet", "--data", str(data)),
            env=env,
            timeout_s=cfg.timeout_s,
        ),
        "svodka pages",
    )
    p = pages.last_json()
    ok = int(p["pages"]) - int(p["pages_failed"])
    seconds = float(p["seconds"]) or 1e-9
    return {
        "pages": int(p["pages"]),
        "pages_ok": ok,
        "pages_seconds": round(seconds, 3),
        "pages_per_s": round(ok / seconds, 1),
        "pages_peak_rss_mb": round(pages.peak_rss_mb, 1),
    }


def _peer_side(cfg: IngestConfig, url_file: Path, work: Path, log: LogFn) -> dict[str, Any]:
    py = peer_python(log=log)
    work.mkdir(parents=True, exist_ok=True)
    log("reader: updating the same feeds …")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    cmd = [str(py), str(PEER_SCRIPT), "--urls", str(url_file), "--db", str(work / "reader.sqlite")]
    run = _checked(
        run_child([*cmd, "--workers", str(cfg.peer_workers)], env=env, timeout_s=cfg.timeout_s),
        "reader (peer)",
    )
    peer = run.last_json()
    return {
        "peer_items_per_s": peer["items_per_s"],
        "peer_seconds": peer["seconds"],
        "peer_wall_s": round(run.wall_s, 3),
        "peer_items_stored": peer["entries"],
        "peer_feeds_failed": peer["feeds_failed"],
        "peer_peak_rss_mb": round(run.peak_rss_mb, 1),
        "peer_peak_tree_mb": round(run.peak_tree_mb, 1) if run.peak_tree_mb is not None else None,
        "peer_version": f"reader {peer['reader_version']}",
        "peer_workers": peer["workers"],
    }


_NO_PEER = {
    "peer_items_per_s": None,
    "peer_seconds": None,
    "peer_wall_s": None,
    "peer_items_stored": None,
    "peer_feeds_failed": None,
    "peer_peak_rss_mb": None,
    "peer_peak_tree_mb": None,
    "peer_version": None,
    "peer_workers": None,
}


def _best(runs: list[dict[str, Any]], key: str, *rss_keys: str) -> dict[str, Any]:
    """The fastest run (least disturbed by anything else on the machine), with the highest
    peak memory of all runs (memory is not helped by luck)."""
    best = dict(max(runs, key=lambda r: r[key]))
    for rss_key in rss_keys:
        values = [r[rss_key] for r in runs if r.get(rss_key) is not None]
        best[rss_key] = max(values) if values else None
    return best


def run_ingest(cfg: IngestConfig, *, log: LogFn = print) -> dict[str, Any]:
    """Run the whole benchmark; returns the figures (see benchmarks/README.md).

    With ``repeat`` > 1 the two sides run alternately that many times, each time on a fresh
    store, and the fastest run of each side is reported (all of them under ``runs``).
    """
    from svodka.simulator import SimConfig, SimulatorServer

    if cfg.cpus:  # children inherit the affinity
        os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[: cfg.cpus])
    sim = SimulatorServer(
        SimConfig(outlets=cfg.feeds, seed=cfg.seed, hostile=False, static=True, items_per_feed=cfg.items)
    )
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="svodka-bench-")))
        data = cfg.data or tmp / "svodka"
        if data.exists() and any(data.iterdir()):
            raise BenchError(f"{data} is not empty: the benchmark needs a new data folder")
        sim.start()
        stack.callback(sim.stop)
        urls = list(sim.feed_urls())
        opml = tmp / "simulator.opml"
        sim.write_opml(opml)
        url_file = tmp / "peer_urls.txt"
        url_file.write_text("\n".join(urls) + "\n")
        log(f"simulator: {len(urls)} feeds × {cfg.items} items on 127.0.0.1; rendering every feed once …")
        warm_feeds(urls)
        svodka_runs: list[dict[str, Any]] = []
        peer_runs: list[dict[str, Any]] = []
        pages: dict[str, Any] = {}
        database = "sqlite"
        for i in range(max(1, cfg.repeat)):
            run_data = data if i == 0 else tmp / f"svodka-{i}"
            run_data.mkdir(parents=True, exist_ok=True)
            with fresh_database(os.environ.get("DATABASE_URL")) as db_url:
                database = "postgresql" if db_url else "sqlite"
                env = _svodka_env(db_url)
                svodka_runs.append(_svodka_ingest(cfg, run_data, opml, env, log))
                if i == 0:
                    pages = _svodka_pages(cfg, run_data, env, log)
            if cfg.peer:
                peer_runs.append(_peer_side(cfg, url_file, tmp / f"peer-{i}", log))
    result: dict[str, Any] = {
        "feeds": len(urls),
        "items": cfg.items,
        "corpus_items": len(urls) * cfg.items,
        "database": database,
        "repeat": len(svodka_runs),
    }
    result.update(_best(svodka_runs, "svodka_items_per_s", "peak_rss_mb", "peak_tree_mb"))
    result.update(pages)
    result.update(
        _best(peer_runs, "peer_items_per_s", "peer_peak_rss_mb", "peer_peak_tree_mb")
        if peer_runs
        else _NO_PEER
    )
    peer_rate = result["peer_items_per_s"]
    result["ratio"] = round(result["svodka_items_per_s"] / peer_rate, 2) if peer_rate else None
    result["runs"] = {
        "svodka_items_per_s": [r["svodka_items_per_s"] for r in svodka_runs],
        "peer_items_per_s": [r["peer_items_per_s"] for r in peer_runs],
    }
    result["machine"] = machine_info()
    result["date"] = datetime.now(UTC).isoformat(timespec="seconds")
    return result


def render_table(result: dict[str, Any]) -> Any:
    """A rich table of the figures, for people."""
    from rich.table import Table

    def fmt(v: Any, unit: str = "") -> str:
        return "—" if v is None else f"{v:,}{unit}" if isinstance(v, int) else f"{v:,.1f}{unit}"

    t = Table(title=f"ingest: {result['feeds']} feeds × {result['items']} items ({result['database']})")
    t.add_column("")
    t.add_column("svodka", justify="right")
    t.add_column(result.get("peer_version") or "reader", justify="right")
    t.add_row("items stored", fmt(result["svodka_items_stored"]), fmt(result.get("peer_items_stored")))
    t.add_row("seconds", fmt(result["svodka_seconds"], " s"), fmt(result.get("peer_seconds"), " s"))
    t.add_row("items/s", fmt(result["svodka_items_per_s"]), fmt(result.get("peer_items_per_s")))
    t.add_row("peak RSS", fmt(result["peak_rss_mb"], " MB"), fmt(result.get("peer_peak_rss_mb"), " MB"))
    t.add_row(
        "peak Pss, all its processes",
        fmt(result.get("peak_tree_mb"), " MB"),
        fmt(result.get("peer_peak_tree_mb"), " MB"),
    )
    t.add_row("ratio (svodka / peer)", fmt(result.get("ratio"), "×"), "")
    t.add_row(
        "full text (separately)",
        f"{fmt(result.get('pages_per_s'))} pages/s ({result.get('pages_ok', 0)}/{result.get('pages', 0)} read)",
        "",
    )
    m = result["machine"]
    t.caption = f"{m['cpu_model']}, {m['cpus_usable']} CPUs, Python {m['python']}, {result['date']}"
    return t


# --- the helper run against svodka's store (in a child) --------------------------------------
def _db_cmd(data: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "benchmarks.bench_ingest", "_db", "--data", str(data), *args]


def _db_main(argv: list[str]) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="bench_ingest _db")
    p.add_argument("--data", required=True)
    p.add_argument("action", choices=["count", "mark-pending"])
    p.add_argument("n", nargs="?", type=int, default=0)
    args = p.parse_args(argv)
    os.environ["SVODKA_DATA"] = str(Path(args.data).resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "svodka_site.settings")
    import django

    django.setup()
    from svodka_site.news.models import Article, Provenance, TextStatus

    if args.action == "count":
        print(json.dumps({"articles": Article.objects.count(), "provenances": Provenance.objects.count()}))
        return 0
    ids = list(Article.objects.exclude(url=None).order_by("id").values_list("id", flat=True))
    step = max(1, len(ids) // max(1, args.n))
    chosen = ids[::step][: args.n]  # spread over every outlet, not the first few
    Article.objects.filter(pk__in=chosen).update(text_status=TextStatus.PENDING, text_claimed_until=None)
    print(json.dumps({"marked": len(chosen)}))
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_db":
        sys.exit(_db_main(sys.argv[2:]))
    sys.exit("usage: python -m benchmarks.bench_ingest _db --data DIR {count,mark-pending N}")
