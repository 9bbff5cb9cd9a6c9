"""Throughput of ``Fetcher.fetch_many`` against a local aiohttp server.

    python -m svodka.fetch._bench [--requests 20000] [--concurrency 50] [--gzip] [--raw]

The server runs in its own process so that it does not share the client's event loop.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import socket
import time
import zlib

import aiohttp
from aiohttp import web

from svodka.fetch import Fetcher, FetchPolicy, FetchRequest

_FEED = (
    b"<?xml version='1.0'?><rss version='2.0'><channel><title>bench</title>"
    + (b"<item><title>item</title><link>http://example.com/</link></item>" * 20)
    + b"</channel></rss>"
)


def _serve(sock: socket.socket, gzip: bool) -> None:
    body = zlib.compress(_FEED, wbits=31) if gzip else _FEED
    headers = {"Content-Encoding": "gzip"} if gzip else {}

    async def feed(_request: web.Request) -> web.Response:
        return web.Response(body=body, headers=headers, content_type="application/rss+xml")

    app = web.Application()
    app.router.add_get("/{n}", feed)
    web.run_app(app, sock=sock, print=None, access_log=None)


async def _raw_client(port: int, n: int, concurrency: int) -> tuple[float, int]:
    """Plain aiohttp, no svodka: the baseline our overhead is measured against."""
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        gate = asyncio.Semaphore(concurrency)

        async def one(i: int) -> bool:
            async with gate, session.get(f"http://127.0.0.1:{port}/{i}") as resp:
                await resp.read()
                return resp.status == 200

        await asyncio.gather(*(one(i) for i in range(concurrency * 2)))
        started = time.perf_counter()
        ok = sum(await asyncio.gather(*(one(i) for i in range(n))))
        return time.perf_counter() - started, ok


async def _client(port: int, n: int, concurrency: int) -> tuple[float, int]:
    policy = FetchPolicy(per_host=concurrency, total=concurrency)
    async with Fetcher(policy) as fetcher:
        warm = [FetchRequest(f"http://127.0.0.1:{port}/w{i}") for i in range(concurrency * 2)]
        async for _ in fetcher.fetch_many(warm):
            pass
        requests = (FetchRequest(f"http://127.0.0.1:{port}/{i}") for i in range(n))
        ok = 0
        started = time.perf_counter()
        async for result in fetcher.fetch_many(requests):
            ok += result.ok
        return time.perf_counter() - started, ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--gzip", action="store_true", help="serve the feed gzip-compressed")
    parser.add_argument("--raw", action="store_true", help="plain aiohttp instead of Fetcher (baseline)")
    args = parser.parse_args()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    port = sock.getsockname()[1]
    server = multiprocessing.get_context("spawn").Process(target=_serve, args=(sock, args.gzip), daemon=True)
    server.start()
    try:
        client = _raw_client if args.raw else _client
        elapsed, ok = asyncio.run(client(port, args.requests, args.concurrency))
    finally:
        server.terminate()
        server.join()
    print(
        f"{args.requests} requests ({ok} ok) at concurrency {args.concurrency}"
        f"{' (gzip)' if args.gzip else ''}{' (plain aiohttp)' if args.raw else ''}: {elapsed:.2f} s, {args.requests / elapsed:,.0f} req/s"
    )


if __name__ == "__main__":
    main()
