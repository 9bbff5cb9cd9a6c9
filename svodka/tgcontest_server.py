"""``svodka tg server PORT``: the contest's round-2 HTTP server (aiohttp) over a :class:`TgStore`.

- ``PUT /<name>.html`` (body: the article's HTML; ``Cache-Control: max-age=N``): 201 new, 204 updated.
- ``DELETE /<name>.html``: 204 when it was there, 404 otherwise.
- ``GET /threads?period=&lang_code=&category=``: ``{"threads": [...]}``, most important first.
- Anything while the store is loading: 503 with ``Retry-After: 1``.
- 400 with the reason for a bad ``max-age`` or query; 404 for a URL that is neither
  ``/threads`` nor ``/<name>.html`` (:func:`svodka.tgcontest.is_article_name`); 405 with ``Allow``
  for a method the resource does not answer; 500 with the reason when indexing one article fails.

HTTP/1.1 keep-alive is aiohttp's default; every answer, errors included, is a response of
ours, so the connection stays open. Store calls run on one worker thread: understanding and
embedding are CPU-bound, and one writer keeps the store's order the order of arrival.
Concurrent PUTs are indexed as a batch (:class:`PutBatcher`) after each was validated on its
own; when the batch fails, its documents are indexed one by one and only the bad one fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import BadHttpMessage
from aiohttp.web_protocol import RequestPayloadError

from svodka.tgcontest import (
    ALLOW,
    NOT_FOUND,
    TgBadRequest,
    TgStore,
    parse_max_age,
    parse_threads_query,
    prepare_each,
    resource,
)

log = logging.getLogger(__name__)

STORE: web.AppKey[TgStore] = web.AppKey("tg_store", TgStore)
POOL: web.AppKey[ThreadPoolExecutor] = web.AppKey("tg_pool", ThreadPoolExecutor)
BATCHER: web.AppKey[PutBatcher] = web.AppKey("tg_batcher")
MAX_BODY = 10 * 1024 * 1024


def _json(obj: Any, status: int = 200) -> web.Response:
    return web.Response(
        status=status, body=json.dumps(obj, ensure_ascii=False).encode(), content_type="application/json",
    )


def _unavailable() -> web.Response:
    return web.Response(status=503, text="loading the index, try again shortly\n", headers={"Retry-After": "1"})


async def _run(request: web.Request, fn: Any, *args: Any) -> Any:
    return await asyncio.get_running_loop().run_in_executor(request.app[POOL], fn, *args)


async def handle(request: web.Request) -> web.StreamResponse:
    store = request.app[STORE]
    if store.loading:
        if store.load_error:
            return web.Response(status=500, text=store.load_error + "\n")
        return _unavailable()
    name = request.match_info.get("name", "")
    kind = resource(name)
    if kind is None:
        return web.Response(status=404, text=NOT_FOUND + "\n")
    try:
        if kind == "threads" and request.method == "GET":
            period, lang, category = parse_threads_query(request.query)
            return _json(await _run(request, store.threads, period, lang, category))
        if kind == "article" and request.method == "PUT":
            max_age = parse_max_age(request.headers.get("Cache-Control"))
            try:
                body = await request.read()
            except (RequestPayloadError, BadHttpMessage) as exc:  # e.g. a body that is not the gzip it says
                return web.Response(status=400, text=f"could not read the body: {exc}\n")
            created = await request.app[BATCHER].put(name, body, max_age)
            return web.Response(status=201 if created else 204)
        if kind == "article" and request.method == "DELETE":
            found = await _run(request, store.delete, name)
            return web.Response(status=204 if found else 404)
    except TgBadRequest as exc:
        return web.Response(status=400, text=f"{exc}\n")
    except web.HTTPException:
        raise
    except Exception as exc:  # answered here, so the keep-alive connection stays open
        log.exception("%s %s failed", request.method, request.path)
        return web.Response(status=500, text=f"could not {request.method} /{name}: {type(exc).__name__}: {exc}\n")
    return web.Response(status=405, headers={"Allow": ALLOW[kind]}, text=f"/{name} answers {ALLOW[kind]}\n")


class PutBatcher:
    """Concurrent PUTs understood and embedded together: the embedder costs far less per article
    in one call for many than in one call each. A PUT is answered once its document is indexed.

    Each PUT is answered on its own: a document that cannot be understood or indexed gets its
    own error, and the batch's other documents are indexed (:meth:`TgStore.put_each`)."""

    MAX = 64

    def __init__(self, store: TgStore, pool: ThreadPoolExecutor) -> None:
        self.store = store
        self.pool = pool
        self.queue: asyncio.Queue[tuple[str, bytes, int, asyncio.Future[bool]]] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None

    async def put(self, name: str, body: bytes, max_age: int) -> bool:
        fut: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        await self.queue.put((name, body, max_age, fut))
        return await fut

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            items = [await self.queue.get()]
            while not self.queue.empty() and len(items) < self.MAX:
                items.append(self.queue.get_nowait())
            try:
                results = await loop.run_in_executor(self.pool, self._apply, [i[:3] for i in items])
            except Exception as exc:  # not one document's fault (put_each answers those one by one)
                log.exception("indexing a batch of %d PUTs failed", len(items))
                results = [exc] * len(items)
            for (*_, fut), r in zip(items, results, strict=True):
                if fut.done():
                    continue
                if isinstance(r, BaseException):
                    fut.set_exception(r)
                else:
                    fut.set_result(r)

    def _apply(self, items: list[tuple[str, bytes, int]]) -> list[bool | Exception]:
        prepared = prepare_each(items)
        good = [p for p in prepared if not isinstance(p, Exception)]
        indexed = iter(self.store.put_each(good))
        return [p if isinstance(p, Exception) else next(indexed) for p in prepared]


def _report_load(fut: asyncio.Future[None]) -> None:
    if not fut.cancelled() and fut.exception() is not None:
        log.error("loading the index failed: %s", fut.exception())


def make_app(store: TgStore, *, load: bool = True) -> web.Application:
    """The app; with ``load`` it loads the store in the background after start (503 until then)."""
    app = web.Application(client_max_size=MAX_BODY)
    app[STORE] = store
    app[POOL] = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tgstore")
    app[BATCHER] = PutBatcher(store, app[POOL])
    app.router.add_route("*", "/{name}", handle)
    app.router.add_route("*", "/{tail:.*}", handle)  # "/", "/a/b.html": our plain 404, not aiohttp's

    async def start_loading(app: web.Application) -> None:
        app[BATCHER].task = asyncio.get_running_loop().create_task(app[BATCHER].run())
        if load and store.loading:
            fut = asyncio.get_running_loop().run_in_executor(app[POOL], store.load)
            fut.add_done_callback(_report_load)

    async def shutdown(app: web.Application) -> None:
        task = app[BATCHER].task
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        app[POOL].shutdown(wait=True)
        store.close()

    app.on_startup.append(start_loading)
    app.on_cleanup.append(shutdown)
    return app


def serve(port: int, data: Path, *, host: str = "127.0.0.1") -> None:
    """Run until interrupted; the index lives in ``data/tgcontest.sqlite3``."""
    store = TgStore(data / "tgcontest.sqlite3", warm_up=True)
    web.run_app(make_app(store), host=host, port=port, print=None, access_log=None)
