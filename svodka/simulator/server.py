"""Serve the newsroom over real HTTP on 127.0.0.1: one port (one origin) per outlet.

One aiohttp low-level server runs in a background thread with its own event loop; every
outlet gets its own listening socket, and a request is routed to the outlet by the local
port it arrived on. So per-host politeness and robots.txt apply per outlet, as on the web.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import json
import re
import socket
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html import escape
from pathlib import Path
from types import TracebackType

from aiohttp import web

from . import hostile, render
from .newsroom import Item, Newsroom, Outlet, SimConfig

_ARTICLE_RE = (
    re.compile(r"/news/\d{4}/\d\d/\d\d/(\d+)\.html"),
    re.compile(r"/a/(\d+)"),
    re.compile(r"/article\.php"),
)


class SimulatorServer:
    """The simulated web of news outlets.

    ``clock`` (default: the real UTC clock) decides what is visible; tests may pass their own.
    ``base_port``: outlets listen on ``base_port + index`` instead of ephemeral ports.
    """

    def __init__(
        self,
        config: SimConfig | None = None,
        host: str = "127.0.0.1",
        *,
        base_port: int | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.config = config or SimConfig()
        self.host = host
        self.base_port = base_port
        self.newsroom = Newsroom(self.config)
        self.fetches: dict[int, int] = {}  # per hostile outlet: feed requests so far
        self._clock = clock or (lambda: datetime.now(UTC))
        self._by_port: dict[int, Outlet] = {}
        self._socks: list[socket.socket] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.ServerRunner | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._stop_event: asyncio.Event | None = None
        self.stopping = False

    # --- lifecycle -------------------------------------------------------------------------
    def start(self) -> SimulatorServer:
        if self._thread is not None:
            return self
        try:
            for i, outlet in enumerate(self.newsroom.outlets):
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                self._socks.append(sock)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                sock.bind((self.host, 0 if self.base_port is None else self.base_port + i))
                sock.listen(512)
                sock.setblocking(False)
                port = sock.getsockname()[1]
                outlet.origin = f"http://{self.host}:{port}"
                self._by_port[port] = outlet
        except OSError:
            self._close_socks()
            raise
        self.stopping = False
        self._ready.clear()
        self._thread = threading.Thread(target=self._run, name="svodka-simulator", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            self._thread.join()
            self._thread = None
            raise RuntimeError("simulator failed to start") from self._error
        return self

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=30)
        self._thread = None
        self._loop = None

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._setup())
        except BaseException as e:  # reported to start()
            self._error = e
            self._close_socks()
            loop.close()
            self._ready.set()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()
            self._close_socks()

    async def _setup(self) -> None:
        self._stop_event = asyncio.Event()
        server = web.Server(self._handle, access_log=None)
        self._runner = web.ServerRunner(server, handle_signals=False, shutdown_timeout=2.0)
        await self._runner.setup()
        for sock in self._socks:
            await web.SockSite(self._runner, sock, backlog=512).start()

    async def _shutdown(self) -> None:
        self.stopping = True
        if self._stop_event is not None:
            self._stop_event.set()
        if self._runner is not None:
            await self._runner.cleanup()

    def _close_socks(self) -> None:
        for s in self._socks:
            with contextlib.suppress(OSError):
                s.close()
        self._socks = []

    # --- helpers used by handlers ------------------------------------------------------------
    def now(self) -> datetime:
        return self._clock()

    async def sleep(self, seconds: float) -> None:
        """Sleep, but wake up at once when the server stops."""
        assert self._stop_event is not None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop_event.wait(), seconds)

    # --- public views ------------------------------------------------------------------------
    @property
    def outlets(self) -> list[Outlet]:
        """All outlets (normal, then hostile); each has name, slug, lang, country, home_url, feed_url, hostile."""
        return self.newsroom.outlets

    def feed_urls(self) -> list[str]:
        return [o.feed_url for o in self.newsroom.outlets]

    def url_for(self, item: Item) -> str:
        return self.newsroom.url_for(item)

    def write_opml(self, path: Path | str) -> Path:
        """OPML 2.0 of every outlet's feed (hostile ones carry a ``hostile`` attribute)."""
        stamp = render.http_date(time.time())
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<opml version="2.0">',
            f"<head><title>svodka simulator (seed {self.config.seed})</title><dateCreated>{stamp}</dateCreated></head>",
            "<body>",
        ]
        for o in self.newsroom.outlets:
            extra = f' hostile="{o.hostile}"' if o.hostile else ""
            lines.append(
                f'<outline type="rss" text="{escape(o.name)}" title="{escape(o.name)}" xmlUrl="{escape(o.feed_url)}" '
                f'htmlUrl="{escape(o.home_url)}" language="{o.lang}" country="{o.country}"{extra}/>'
            )
        lines += ["</body>", "</opml>", ""]
        p = Path(path)
        p.write_text("\n".join(lines), encoding="utf-8")
        return p

    def write_ground_truth(self, path: Path | str, until: datetime | None = None) -> int:
        """JSONL, one record per article of a normal outlet published by ``until`` (default: now).

        Pass a later ``until`` to include articles scheduled but not yet visible. Returns the count.
        """
        p = Path(path)
        n = 0
        with p.open("w", encoding="utf-8") as fh:
            for rec in self.newsroom.ground_truth(until or self.now()):
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
                n += 1
        return n

    # --- request handling --------------------------------------------------------------------
    async def _handle(self, request: web.BaseRequest) -> web.StreamResponse:
        transport = request.transport
        sockname = transport.get_extra_info("sockname") if transport is not None else None
        outlet = self._by_port.get(sockname[1]) if sockname else None
        if outlet is None:
            return web.Response(status=500, text="unknown outlet")
        if request.method not in ("GET", "HEAD"):
            return web.Response(status=405, headers={"Allow": "GET, HEAD"})
        if request.path == "/robots.txt":
            return web.Response(body=render.robots_txt(outlet), content_type="text/plain")
        if outlet.hostile:
            if request.path == "/":
                return self._html(outlet, request, render.home_page(self.newsroom, outlet, []))
            return await hostile.handle(self, outlet, request)
        return self._normal(outlet, request)

    def _normal(self, outlet: Outlet, request: web.BaseRequest) -> web.StreamResponse:
        nr = self.newsroom
        now = self.now()
        path = request.path
        if path == outlet.feed_path:
            return self._feed(outlet, request, now)
        if path == "/":
            return self._html(outlet, request, nr.render_home(outlet, now))
        if path.startswith("/img/") and path.endswith(".png"):
            return web.Response(body=render.PNG, content_type="image/png")
        if path.startswith("/private/"):
            return web.Response(status=403, text="forbidden")
        m = _ARTICLE_RE[outlet.url_style].fullmatch(path)
        if m is not None:
            raw = m.group(1) if outlet.url_style != 2 else request.query.get("id", "")
            item = nr.find_item(outlet, int(raw), now) if raw.isdigit() else None
            if item is not None and item.path == request.path_qs:
                return self._html(outlet, request, nr.render_article(item, now))
        return web.Response(status=404, text="not found")

    def _html(self, outlet: Outlet, request: web.BaseRequest, body: bytes) -> web.Response:
        headers = {"Content-Type": "text/html; charset=utf-8"}
        if outlet.gzip and "gzip" in request.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, 1, mtime=0)
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept-Encoding"
        return web.Response(body=body, headers=headers)

    def _feed(self, outlet: Outlet, request: web.BaseRequest, now: datetime) -> web.Response:
        rf = self.newsroom.feed(outlet, now)
        headers = {"Content-Type": rf.content_type, "Cache-Control": "max-age=60"}
        if outlet.conditional:
            headers["ETag"] = rf.etag
            headers["Last-Modified"] = rf.last_modified
            inm = request.headers.get("If-None-Match")
            ims = request.headers.get("If-Modified-Since")
            fresh = False
            if inm:
                fresh = rf.etag in [t.strip() for t in inm.split(",")]
            elif ims:
                with contextlib.suppress(TypeError, ValueError):
                    fresh = parsedate_to_datetime(ims) >= parsedate_to_datetime(rf.last_modified)
            if fresh:
                return web.Response(status=304, headers={"ETag": rf.etag, "Last-Modified": rf.last_modified})
        body = rf.body
        if outlet.gzip and "gzip" in request.headers.get("Accept-Encoding", ""):
            if rf.gz is None:
                rf.gz = gzip.compress(body, 5, mtime=0)
            body = rf.gz
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept-Encoding"
        return web.Response(body=body, headers=headers)


def serve_forever(config: SimConfig, out_dir: Path | None = None, *, base_port: int | None = None) -> None:
    """Run the simulator until Ctrl-C. With ``out_dir``: write ``sources.opml`` there at start
    and refresh ``ground_truth.jsonl`` every 30 seconds (and once more on exit)."""
    with SimulatorServer(config, base_port=base_port) as srv:
        n = len(srv.outlets)
        opml = None
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
            opml = srv.write_opml(out_dir / "sources.opml")
            srv.write_ground_truth(out_dir / "ground_truth.jsonl")
        print(f"svodka simulator: {n} outlets on {srv.host} ({srv.outlets[0].origin} …)", flush=True)
        if opml is not None:
            print(f"OPML: {opml}", flush=True)
        try:
            last = time.monotonic()
            while True:
                time.sleep(0.5)
                if out_dir is not None and time.monotonic() - last >= 30:
                    srv.write_ground_truth(out_dir / "ground_truth.jsonl")
                    last = time.monotonic()
        except KeyboardInterrupt:
            pass
        finally:
            if out_dir is not None:
                srv.write_ground_truth(out_dir / "ground_truth.jsonl")
