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
"""

from __future__ import annotations

import json
import threading

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from svodka.tgcontest import TgBadRequest, TgStore, parse_max_age, parse_threads_query

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
    try:
        if request.method == "GET":
            if name != "threads":
                return _text(404, "only /tg/threads answers GET")
            period, lang, category = parse_threads_query(request.GET)
            body = json.dumps(store.threads(period, lang, category), ensure_ascii=False)
            return HttpResponse(body, content_type="application/json")
        if request.method == "PUT":
            max_age = parse_max_age(request.headers.get("Cache-Control"))
            try:
                data = request.body
            except RequestDataTooBig:
                return _text(413, "the article is larger than the site accepts (DATA_UPLOAD_MAX_MEMORY_SIZE)")
            return _text(201 if store.put(name, data, max_age) else 204)
        if request.method == "DELETE":
            return _text(204 if store.delete(name) else 404)
    except TgBadRequest as exc:
        return _text(400, str(exc))
    return _text(405, "use PUT, DELETE or GET /tg/threads", Allow="GET, PUT, DELETE")
