"""The ``svodka`` command.

Every subcommand takes ``--data DIR`` (or ``SVODKA_DATA``) for the embedded store;
``DATABASE_URL`` selects PostgreSQL instead. See README.md for the whole list.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from rich.console import Console

console = Console(stderr=True)


# --- setup ------------------------------------------------------------------------------
def _setup_django(data: str | None) -> None:
    if data:
        os.environ["SVODKA_DATA"] = str(Path(data).resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "svodka_site.settings")
    import django

    django.setup()


def _migrate(quiet: bool = True) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0 if quiet else 1)


def _policy():  # type: ignore[no-untyped-def]
    from django.conf import settings

    from svodka.fetch import FetchPolicy

    return FetchPolicy(
        user_agent=settings.SVODKA_USER_AGENT,
        per_host=settings.SVODKA_PER_HOST,
        total=settings.SVODKA_CONCURRENCY,
    )


def _websub_callback() -> str | None:
    from django.conf import settings

    base = settings.SVODKA_PUBLIC_URL.rstrip("/")
    return f"{base}/websub/" if base else None


def default_sources_path() -> Path:
    return Path(str(resources.files("svodka_site") / "default_feeds.opml"))


# --- crawl ------------------------------------------------------------------------------
def cmd_crawl(args: argparse.Namespace) -> int:
    _setup_django(args.data)
    _migrate()
    from django.utils import timezone

    from svodka.crawl import Crawler
    from svodka_site.news.models import Feed
    from svodka_site.news.storage import DjangoStorage, storage_opener

    if args.all:
        Feed.objects.exclude(status="paused").update(next_fetch_at=timezone.now(), claimed_until=None)
    storage = DjangoStorage(fetch_pages=not args.no_pages)
    if args.once:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        total = Feed.objects.filter(next_fetch_at__lte=timezone.now()).exclude(status="paused").count()
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            disable=args.quiet or not console.is_terminal,
        ) as progress:
            feeds_task = progress.add_task("feeds", total=total)
            tasks = {
                "feeds": feeds_task,
                "pages": progress.add_task("pages", total=None),
                "understood": progress.add_task("understood", total=None),
            }

            def tick(kind: str, n: int) -> None:
                progress.advance(tasks[kind], n)

            crawler = Crawler(
                storage,
                _policy(),
                worker=args.worker,
                fetch_pages=not args.no_pages,
                progress=tick,
                batch=args.batch,
                understand=not args.no_understand,
                storage_factory=storage_opener(fetch_pages=not args.no_pages),
            )
            try:
                stats = asyncio.run(crawler.run_once())
            finally:
                crawler.close()
        summary = {
            "feeds": stats.feeds,
            "feeds_failed": stats.feeds_failed,
            "entries": stats.entries,
            "new": stats.new,
            "updated": stats.updated,
            "pages": stats.pages,
            "pages_failed": stats.pages_failed,
            "understood": stats.understood,
            "seconds": round(stats.seconds, 3),
            "cpu_seconds": round(stats.cpu_s, 3),
        }
        if args.json:
            print(json.dumps(summary))
        else:
            console.print(
                f"fetched {stats.feeds} feeds ({stats.feeds_failed} failed), {stats.entries} entries, "
                f"{stats.new} new articles, {stats.updated} updated, {stats.pages} pages "
                f"({stats.pages_failed} not read) in {stats.seconds:.1f} s"
            )
        return 0
    crawler = Crawler(
        storage,
        _policy(),
        worker=args.worker,
        fetch_pages=not args.no_pages,
        batch=args.batch,
        websub_callback=_websub_callback(),
        understand=not args.no_understand,
        storage_factory=storage_opener(fetch_pages=not args.no_pages),
    )
    stop = asyncio.Event()

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await crawler.run_forever(stop)

    console.print(f"crawler {crawler.worker} running; Ctrl-C to stop")
    try:
        asyncio.run(main())
    finally:
        crawler.close()
    return 0


# --- web --------------------------------------------------------------------------------
def _collectstatic() -> None:
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def _web_command(host: str, port: int, workers: int) -> list[str]:
    from django.conf import settings

    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "svodka_site.wsgi:application",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        "4",
        "--static-path-route",
        "/static",
        "--static-path-mount",
        str(settings.STATIC_ROOT),
        "--log-level",
        "warning",
        # a worker still serving a request (a live-updates stream, say) when told to stop is
        # killed after this long, so the server never outlives a stop
        "--workers-kill-timeout",
        "5",
    ]


def cmd_serve(args: argparse.Namespace) -> int:
    _setup_django(args.data)
    _migrate()
    _collectstatic()
    console.print(f"svodka at http://{args.host}:{args.port}/")
    return subprocess.call(_web_command(args.host, args.port, args.workers))


class _Group:
    """Children started together and stopped together (one process group for the user)."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, cmd: Sequence[str]) -> subprocess.Popen[bytes]:
        # Each child leads a process group of its own (with whatever it starts: the web server's
        # workers, the crawler's parse and understand processes). Ctrl-C reaches only us, and we
        # stop each child once; a child that does not stop in time goes with its whole group, so
        # no worker is left behind holding the port.
        p = subprocess.Popen(list(cmd), env=os.environ.copy(), start_new_session=True)
        self.procs.append(p)
        return p

    def stop(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for p in self.procs:
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(p.pid, signal.SIGKILL)  # what it left behind, if anything

    def wait_any(self, also: Callable[[], bool] = lambda: False) -> int:
        while True:
            for p in self.procs:
                rc = p.poll()
                if rc is not None:
                    return rc
            if also():
                return 0
            time.sleep(0.5)


def _wait_http(url: str, timeout: float = 30) -> bool:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                return r.status == 200
        except OSError:
            time.sleep(0.3)
    return False


def _run_group(args: argparse.Namespace) -> int:
    group = _Group()
    crawl_cmd = [sys.executable, "-m", "svodka_site.cli", "crawl"]
    if getattr(args, "no_pages", False):
        crawl_cmd.append("--no-pages")
    stopping = False

    def on_signal(signum: int, frame: Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, on_signal)
    try:
        group.start(crawl_cmd)
        group.start(_web_command(args.host, args.port, args.workers))
        url = f"http://{args.host}:{args.port}/"
        if _wait_http(url + "healthz"):
            console.print(
                f"\n[bold green]svodka is running:[/] [link={url}]{url}[/link]   (Ctrl-C stops everything)\n"
            )
            print(url, flush=True)
        else:
            console.print(f"[red]the web server did not answer at {url} within 30 s[/]")
        return group.wait_any(lambda: stopping)
    except KeyboardInterrupt:
        return 0
    finally:
        group.stop()


def cmd_run(args: argparse.Namespace) -> int:
    _setup_django(args.data)
    _migrate()
    _collectstatic()
    from svodka_site.news.actions import import_opml
    from svodka_site.news.models import Feed

    if not Feed.objects.exists() and not args.no_default_sources:
        report = import_opml(default_sources_path().read_bytes())
        console.print(f"added the default source list: {report.feeds_created} feeds")
    return _run_group(args)


def cmd_demo(args: argparse.Namespace) -> int:
    data = args.data or os.environ.get("SVODKA_DATA") or str(Path.cwd() / ".svodka" / "demo")
    # Simulated time runs `speed` times faster than real time: poll correspondingly often, so a
    # reader sees news arrive within seconds (a real deployment keeps the 1-minute floor).
    os.environ.setdefault("SVODKA_MIN_INTERVAL", str(max(5, int(60 / max(args.speed, 1.0)) * 5)))
    os.environ.setdefault("SVODKA_DEFAULT_INTERVAL", "15")
    # The simulator's hub (WebSub) calls back this very server.
    os.environ.setdefault("SVODKA_PUBLIC_URL", f"http://{args.host}:{args.port}")
    _setup_django(data)
    _migrate()
    _collectstatic()
    from svodka.simulator import SimConfig, SimulatorServer
    from svodka_site.news.actions import import_opml

    config = SimConfig(outlets=args.outlets, seed=args.seed, speed=args.speed)
    sim = SimulatorServer(config, base_port=args.sim_port)
    try:
        sim.start()
    except OSError as exc:
        console.print(
            f"[red]the simulator could not listen on 127.0.0.1:{args.sim_port}…: {exc.strerror}. "
            f"Another demo may be running; choose other ports with --sim-port.[/]"
        )
        return 2
    try:
        opml = Path(data) / "simulator.opml"
        sim.write_opml(opml)
        report = import_opml(opml.read_bytes())
        console.print(
            f"newsroom simulator: {len(sim.outlets)} outlets on 127.0.0.1:{args.sim_port}+ "
            f"(speed ×{args.speed:g}); {report.feeds_created} new feeds, {report.feeds_existing} known"
        )
        return _run_group(args)
    finally:
        sim.stop()


def cmd_simulate(args: argparse.Namespace) -> int:
    from svodka.simulator import SimConfig, serve_forever

    config = SimConfig(
        outlets=args.outlets,
        seed=args.seed,
        speed=args.speed,
        hostile=not args.no_hostile,
        static=args.static,
    )
    serve_forever(config, Path(args.out) if args.out else None, base_port=args.port)
    return 0


# --- sources ----------------------------------------------------------------------------
def cmd_sources(args: argparse.Namespace) -> int:
    _setup_django(args.data)
    _migrate()
    from svodka_site.news import actions
    from svodka_site.news.models import Feed
    from svodka_site.news.views import feed_json

    if args.action == "import":
        data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
        try:
            report = actions.import_opml(data)
        except Exception as exc:  # a broken OPML file is reported, not a traceback
            console.print(f"[red]could not import {args.file}: {exc}[/]")
            return 2
        console.print(
            f"{report.feeds_created} feeds added ({report.sources_created} new sources), "
            f"{report.feeds_existing} already known, {len(report.skipped or [])} skipped"
        )
        for line in report.skipped or []:
            console.print(f"  skipped {line}")
        return 0
    if args.action == "export":
        out = actions.export_opml()
        if args.output:
            Path(args.output).write_bytes(out)
        else:
            sys.stdout.buffer.write(out)
        return 0
    if args.action == "add":
        try:
            feeds = actions.add_source_from_url(args.url, policy=_policy(), name=args.name)
        except ValueError as exc:
            console.print(f"[red]{exc}[/]")
            return 2
        for f in feeds:
            console.print(f"feed {f.url} ({f.source.name})")
        return 0
    feeds = Feed.objects.select_related("source").order_by("source__name", "url")
    if args.json:
        print(json.dumps([feed_json(f) for f in feeds], ensure_ascii=False))
        return 0
    from rich.table import Table

    table = Table("source", "feed", "status", "items", "error")
    for f in feeds:
        table.add_row(f.source.name, f.url, f.status, str(f.items_total), f.error or "")
    Console().print(table)
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    _setup_django(args.data)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["svodka manage", *args.rest])
    return 0


def cmd_analyze(args: argparse.Namespace) -> int:
    """JSON lines in, JSON lines out; no database (see svodka.batch)."""
    from svodka.batch import analyze_file

    # Lines end at "\n" only (a stray "\r" inside a line must not split it: one output line per
    # input line), and bytes that are not UTF-8 become U+FFFD instead of ending the run.
    try:
        if args.file == "-":
            stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace", newline="\n")
            analyze_file(stdin, sys.stdout)
            return 0
        try:
            src = open(args.file, encoding="utf-8", errors="replace", newline="\n")  # noqa: SIM115
        except OSError as exc:
            console.print(f"[red]cannot read {args.file}: {exc.strerror}[/]")
            return 2
        with src:
            analyze_file(src, sys.stdout)
    except BrokenPipeError:  # the reader stopped reading (| head): not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except OSError as exc:  # the input failed while being read (EIO …)
        console.print(f"[red]cannot read {args.file}: {exc.strerror or exc}[/]")
        return 2
    return 0


def _repo_on_path() -> None:
    """benchmarks/ lives beside the packages in a source checkout (it is not installed)."""
    repo = Path(__file__).resolve().parent.parent
    if not (repo / "benchmarks" / "__init__.py").exists():
        console.print("[red]benchmarks/ is only in a source checkout of svodka[/]")
        raise SystemExit(2)
    if str(repo) not in sys.path:
        sys.path.insert(0, str(repo))


def cmd_eval(args: argparse.Namespace) -> int:
    _repo_on_path()
    from benchmarks import eval_all  # benchmarks/ lives beside the package in the repo

    return eval_all.main(args.json, args.only)


def cmd_bench(args: argparse.Namespace) -> int:
    _repo_on_path()
    if args.which == "understand":
        from benchmarks import bench_understand

        return bench_understand.main(["--articles", str(args.articles), *(["--json"] if args.json else [])])
    if args.which in ("search", "stories"):
        import importlib

        module = importlib.import_module(f"benchmarks.bench_{args.which}")
        argv = [*(["--articles", str(args.articles)] if args.articles_given else [])]
        argv += ["--json"] if args.json else []
        argv += ["--no-peer"] if args.no_peer else []
        return int(module.main(argv) or 0)
    from benchmarks import run as bench_run  # benchmarks/ lives beside the package in the repo

    return bench_run.main(args)


# --- parser -----------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="svodka", description="svodka — a real-time news aggregator")
    sub = p.add_subparsers(dest="command", required=True)

    def add(name: str, fn: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help, description=help)
        sp.add_argument("--data", help="data folder of the embedded store (env SVODKA_DATA)")
        sp.set_defaults(func=fn)
        return sp

    def web_opts(sp: argparse.ArgumentParser, port: int) -> None:
        sp.add_argument("--host", default="127.0.0.1")
        sp.add_argument("--port", type=int, default=port)
        sp.add_argument("--workers", type=int, default=1, help="web worker processes")

    sp = add("run", cmd_run, "set up and run crawler + web on the embedded default with real sources")
    web_opts(sp, 8000)
    sp.add_argument("--no-default-sources", action="store_true")
    sp.add_argument("--no-pages", action="store_true", help="do not fetch article pages for full text")

    sp = add("demo", cmd_demo, "run with the newsroom simulator as the sources (offline)")
    web_opts(sp, 8000)
    sp.add_argument("--outlets", type=int, default=40)
    sp.add_argument("--speed", type=float, default=60.0, help="simulated seconds per real second")
    sp.add_argument("--seed", type=int, default=1)
    sp.add_argument("--sim-port", type=int, default=18100, help="first port of the simulated outlets")
    sp.add_argument("--no-pages", action="store_true")

    sp = add("simulate", cmd_simulate, "serve the newsroom simulator only")
    sp.add_argument("--outlets", type=int, default=40)
    sp.add_argument("--speed", type=float, default=60.0)
    sp.add_argument("--seed", type=int, default=1)
    sp.add_argument(
        "--port",
        type=int,
        default=None,
        help="first port; outlet i listens on PORT+i (default: ephemeral ports)",
    )
    sp.add_argument("--out", help="folder for simulator.opml and ground_truth.jsonl")
    sp.add_argument("--no-hostile", action="store_true")
    sp.add_argument("--static", action="store_true", help="fixed corpus for benchmarks")

    sp = add("crawl", cmd_crawl, "run the crawler (several may run at once on PostgreSQL)")
    sp.add_argument("--once", action="store_true", help="fetch every due feed once, then pages, and exit")
    sp.add_argument("--all", action="store_true", help="treat every feed as due now")
    sp.add_argument("--no-pages", action="store_true")
    sp.add_argument("--worker", help="worker name (default host:pid)")
    sp.add_argument("--batch", type=int, default=200, help="feeds claimed at a time")
    sp.add_argument("--no-understand", action="store_true", help="skip language/category/places/near-dups")
    sp.add_argument("--json", action="store_true", help="with --once: print a JSON summary")
    sp.add_argument("--quiet", action="store_true")

    sp = add("serve", cmd_serve, "run the web server only")
    web_opts(sp, 8000)

    sp = add("sources", cmd_sources, "import, export, add and list sources")
    ssub = sp.add_subparsers(dest="action", required=True)
    i = ssub.add_parser("import", help="import an OPML file ('-' for stdin)")
    i.add_argument("file")
    e = ssub.add_parser("export", help="export all feeds as OPML")
    e.add_argument("-o", "--output")
    a = ssub.add_parser("add", help="add a feed, or the feeds a home page advertises")
    a.add_argument("url")
    a.add_argument("--name")
    ls = ssub.add_parser("list", help="list feeds with their status")
    ls.add_argument("--json", action="store_true")
    for s in (i, e, a, ls):
        s.add_argument("--data", default=argparse.SUPPRESS, help="data folder (env SVODKA_DATA)")

    sp = add("manage", cmd_manage, "Django management commands (createsuperuser, …)")
    sp.add_argument("rest", nargs=argparse.REMAINDER)

    sp = add(
        "analyze",
        cmd_analyze,
        "understand a JSON-lines file of articles (id, url, title, text, published, site)",
    )
    sp.add_argument("file", help="JSON-lines file, or - for stdin")

    sp = add("eval", cmd_eval, "every quality figure on the shared benchmarks and the simulator")
    sp.add_argument("only", nargs="*", help="run only these evaluations (e.g. eval_lang)")
    sp.add_argument("--json", action="store_true", help="print one JSON object as the last line")

    sp = add("bench", cmd_bench, "benchmarks (see BENCHMARKS.md)")
    sp.add_argument("which", choices=["ingest", "understand", "search", "stories"])
    sp.add_argument(
        "--articles", type=int, default=None, help="understand/search/stories: articles (see BENCHMARKS.md)"
    )
    sp.add_argument("--feeds", type=int, default=200)
    sp.add_argument("--items", type=int, default=50)
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--no-peer", action="store_true")

    # Commands that live in their own modules register themselves here.
    from svodka_site import cli_search, cli_tg

    cli_search.register(add)
    cli_tg.register(add)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "command", None) == "bench":
        args.articles_given = args.articles is not None
        if args.articles is None:
            args.articles = 5000
    # `svodka sources import X --data D` and `svodka sources --data D import X` both work.
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
