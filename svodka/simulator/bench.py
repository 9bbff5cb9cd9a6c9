"""Measure the simulator: generation, feed rendering and HTTP throughput.

    python -m svodka.simulator.bench --outlets 5000 --seconds 10 --concurrency 50

The server runs in a child process so that the client does not share its interpreter lock.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import random
import time
from datetime import UTC, datetime

import aiohttp

from .newsroom import Newsroom, SimConfig
from .server import SimulatorServer

START = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


def _render(outlets: int) -> None:
    t0 = time.perf_counter()
    nr = Newsroom(SimConfig(outlets=outlets, hostile=False, start=START))
    t1 = time.perf_counter()
    print(f"generate {outlets} outlets x 50 items: {t1 - t0:.2f} s")
    feeds = nr.normal
    sample = feeds[: min(len(feeds), 1000)]
    t0 = time.perf_counter()
    for o in sample:
        nr.render_feed(o, START)
    cold = time.perf_counter() - t0
    for f in nr._feeds.values():  # as if one new item had arrived: keeps per-item fragments
        f.count = -1
    t0 = time.perf_counter()
    for o in sample:
        nr.render_feed(o, START)
    warm = time.perf_counter() - t0
    t0 = time.perf_counter()
    for o in sample:
        nr.render_feed(o, START)
    cached = time.perf_counter() - t0
    size = sum(len(nr.render_feed(o, START)[0]) for o in sample) / len(sample)
    n = len(sample)
    print(f"render 50-item feeds (avg {size / 1024:.0f} KiB), {n} feeds:")
    print(f"  cold (writes every article):     {n / cold:8.0f} feeds/s  {cold / n * 1e3:.2f} ms/feed")
    print(f"  re-render from item fragments:   {n / warm:8.0f} feeds/s  {warm / n * 1e3:.2f} ms/feed")
    print(f"  unchanged (served from cache):   {n / cached:8.0f} feeds/s")


def _serve(outlets: int, q: mp.Queue, stop: mp.Event) -> None:  # type: ignore[type-arg]
    t0 = time.perf_counter()
    srv = SimulatorServer(SimConfig(outlets=outlets, static=True, hostile=False))
    t1 = time.perf_counter()
    srv.start()
    t2 = time.perf_counter()
    q.put((srv.feed_urls(), t1 - t0, t2 - t1))
    stop.wait()
    srv.stop()


async def _client(urls: list[str], seconds: float, concurrency: int, gzip: bool) -> tuple[int, int, float]:
    headers = {"Accept-Encoding": "gzip" if gzip else "identity"}
    conn = aiohttp.TCPConnector(limit=concurrency, limit_per_host=2)
    async with aiohttp.ClientSession(connector=conn, headers=headers, auto_decompress=False) as s:

        async def fetch(url: str) -> int:
            async with s.get(url) as r:
                return len(await r.read())

        # warm-up: every feed once (first render writes its articles)
        sem = asyncio.Semaphore(concurrency)

        async def guarded(url: str) -> int:
            async with sem:
                return await fetch(url)

        t0 = time.perf_counter()
        await asyncio.gather(*(guarded(u) for u in urls))
        print(f"warm-up: every feed once: {time.perf_counter() - t0:.1f} s")
        rng = random.Random(1)
        count = 0
        nbytes = 0
        deadline = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal count, nbytes
            while time.perf_counter() < deadline:
                n = await fetch(rng.choice(urls))  # not `nbytes += await ...`: that loses updates
                nbytes += n
                count += 1

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return count, nbytes, time.perf_counter() - t0


def _rss_mib(pid: int | None) -> str:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            kib = next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))
        return f"{kib / 1024:.0f} MiB RSS"
    except (OSError, StopIteration, ValueError):
        return "unknown"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--outlets", type=int, default=5000)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument(
        "--gzip", action="store_true", help="ask for gzip (outlets that support it answer gzipped)"
    )
    ap.add_argument("--skip-render", action="store_true")
    args = ap.parse_args(argv)
    if not args.skip_render:
        _render(args.outlets)
    ctx = mp.get_context("spawn")
    q: mp.Queue = ctx.Queue()  # type: ignore[type-arg]
    stop = ctx.Event()
    proc = ctx.Process(target=_serve, args=(args.outlets, q, stop))
    proc.start()
    try:
        urls, gen_s, start_s = q.get(timeout=300)
        print(
            f"server: {len(urls)} outlets, newsroom {gen_s:.2f} s + start (bind {len(urls)} ports) {start_s:.2f} s"
        )
        count, nbytes, took = asyncio.run(_client(urls, args.seconds, args.concurrency, args.gzip))
        print(f"server memory after serving every feed: {_rss_mib(proc.pid)}")
        print(
            f"throughput: {count / took:.0f} feed requests/s, {nbytes / took / 2**20:.1f} MiB/s "
            f"(concurrency {args.concurrency}, {took:.1f} s)"
        )
    finally:
        stop.set()
        proc.join(60)


if __name__ == "__main__":
    main()
