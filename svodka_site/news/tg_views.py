"""The Telegram Data Clustering Contest's round-2 API mounted under ``/tg/`` on the site.

``PUT /tg/<name>.html``, ``DELETE /tg/<name>.html`` and ``GET /tg/threads?period=&lang_code=&category=``
answer exactly as ``svodka tg server`` does (see ``svodka.tgcontest_server``); both sit on
:class:`svodka.tgcontest.TgStore`.

Each web worker process keeps its own ``TgStore`` over one file, ``SVODKA_DATA/tgcontest.sqlite3``.
The workers share that file, not memory: every write takes SQLite's write lock
(``BEGIN IMMEDIATE``) and appends to a change log, and every request first applies the log
entries its process has not seen, so all workers answer from the same state. The first
request in a process starts loading the store on a background thread and gets 503 (as the
contest's server does while it loads) until the load and the model warm-up are done.

Every URL under ``/tg/`` reaches :func:`tg_api` (``tg_urls`` matches any path), so the site
answers the same statuses and plain-text reasons as the standalone server: 404 for a name that
is neither ``threads`` nor one path segment ending in ``.html``, 405 with ``Allow`` for a method
that resource does not answer, 400 for a bad query or ``max-age``, 500 with the reason when
indexing the article fails.
"""

from __future__ import annotations

import json
import logging
import threading

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from svodka.tgcontest import (
    ALLOW,
    NOT_FOUND,
    TgBadRequest,
    TgStore,
    parse_max_age,
    parse_threads_query,
    prepare,
    resource,
)

log = logging.getLogger(__name__)

_store: TgStore | None = None
_store_lock = threading.Lock()


def get_store() -> TgStore:
    """This process's store, loading in the background on first use."""
    global _store
    with _store_lock:
        if _store is None:
            _store = TgStore(settings.DATA_DIR / "tgcontest.sqlite3", warm_up=True)
            threading.Thread(target=_store.load, name="tgstore-load", daemon=True).start()
        return _store


def _text(status: int, message: str = "", **headers: str) -> HttpResponse:
    resp = HttpResponse(message + ("\n" if message else ""), status=status, content_type="text/plain; charset=utf-8")
    for k, v in headers.items():
        resp[k.replace("_", "-")] = v
    return resp


@csrf_exempt
def tg_api(request: HttpRequest, name: str) -> HttpResponse:
    store = get_store()
    if store.loading:
        if store.load_error:
            return _text(500, store.load_error)
        return _text(503, "loading the index, try again shortly", Retry_After="1")
    kind = resource(name)
    if kind is None:
        return _text(404, NOT_FOUND)
    try:
        if kind == "threads" and request.method == "GET":
            period, lang, category = parse_threads_query(request.GET)
            body = json.dumps(store.threads(period, lang, category), ensure_ascii=False)
            return HttpResponse(body, content_type="application/json")
        if kind == "article" and request.method == "PUT":
            max_age = parse_max_age(request.headers.get("Cache-Control"))
            try:
                data = request.body
            except RequestDataTooBig:
                return _text(413, "the article is larger than the site accepts (DATA_UPLOAD_MAX_MEMORY_SIZE)")
            [created] = store.put_each([prepare(name, data, max_age)])
            if isinstance(created, Exception):
                raise created
            return _text(201 if created else 204)
        if kind == "article" and request.method == "DELETE":
            return _text(204 if store.delete(name) else 404)
    except TgBadRequest as exc:
        return _text(400, str(exc))
    except Exception as exc:  # a plain reason, as the standalone server gives, not the HTML error page
        log.exception("%s /tg/%s failed", request.method, name)
        return _text(500, f"could not {request.method} /tg/{name}: {type(exc).__name__}: {exc}")
    return _text(405, f"/tg/{name} answers {ALLOW[kind]}", Allow=ALLOW[kind])
