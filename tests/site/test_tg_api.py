"""The contest's round-2 HTTP API: ``svodka tg server`` as a real process on 127.0.0.1, the
503 while loading, and the same API mounted under /tg/ on the site."""

from __future__ import annotations

import asyncio
import http.client
import json
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from aiohttp import web
from django.test import Client

from svodka import tgcontest
from svodka.tgcontest import TgStore
from svodka.tgcontest_server import BATCHER, make_app
from svodka_site.news import tg_views

from ..tgdocs import StandInClusterer, contest_html

THREADS = "/threads?period=3600&lang_code=en&category=any"
HTML = {"Content-Type": "text/html", "Cache-Control": "max-age=86400"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def call(conn: http.client.HTTPConnection, method: str, path: str, body: bytes | None = None,
         headers: dict | None = None) -> tuple[int, bytes]:
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    return r.status, r.read()


def once(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        return call(conn, method, path, body, headers)
    finally:
        conn.close()


class ContestServer:
    """``svodka tg server PORT --data DIR`` in a child process."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        log = self.data / "server.log"
        with log.open("ab") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "svodka_site.cli", "tg", "server", str(self.port), "--data", str(self.data)],
                stdout=subprocess.DEVNULL, stderr=err,
            )
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"the server exited: {log.read_text()[-3000:]}")
            try:
                status, body = once(self.port, "GET", THREADS)
            except OSError:
                time.sleep(0.1)
                continue
            if status != 503:
                assert status == 200, body
                return
            time.sleep(0.1)
        raise AssertionError("the server never finished loading")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
        self.proc = None


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ContestServer]:
    srv = ContestServer(tmp_path)
    srv.start()
    yield srv
    srv.stop()


def test_contest_server_round_trip_and_restart(server: ContestServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)  # keep-alive: one connection
    assert call(conn, "PUT", "/quake1.html", contest_html("quake1", site="a.test"), HTML)[0] == 201
    assert call(conn, "PUT", "/quake1.html", contest_html("quake1", site="a.test"), HTML)[0] == 204
    assert call(conn, "PUT", "/quake2.html", contest_html("quake2", site="b.test", minutes=3), HTML)[0] == 201
    assert call(conn, "PUT", "/match.html", contest_html("match", site="c.test", minutes=5), HTML)[0] == 201
    assert call(conn, "PUT", "/fire1.html", contest_html("fire1", site="r.test", minutes=6), HTML)[0] == 201
    status, body = call(conn, "GET", THREADS)
    assert status == 200
    threads = json.loads(body)["threads"]
    assert all(set(t) == {"title", "category", "articles"} for t in threads)
    assert sorted(a for t in threads for a in t["articles"]) == ["match.html", "quake1.html", "quake2.html"]
    assert sorted(threads[0]["articles"]) == ["quake1.html", "quake2.html"]  # two outlets rank first
    ru = json.loads(call(conn, "GET", "/threads?period=3600&lang_code=ru&category=society")[1])
    assert ru == {"threads": [{"title": ru["threads"][0]["title"], "category": "society", "articles": ["fire1.html"]}]}
    assert call(conn, "DELETE", "/match.html")[0] == 204
    assert call(conn, "DELETE", "/match.html")[0] == 404
    assert call(conn, "GET", "/threads?period=3600&lang_code=xx")[0] == 400
    assert call(conn, "PUT", "/x.html", b"<html></html>", {"Cache-Control": "max-age=soon"})[0] == 400
    assert call(conn, "POST", "/quake1.html", b"")[0] == 405
    before = json.loads(call(conn, "GET", THREADS)[1])
    conn.close()
    # a restart resumes from the file
    server.stop()
    assert (server.data / "tgcontest.sqlite3").exists()
    server.start()
    assert json.loads(once(server.port, "GET", THREADS)[1]) == before
    assert once(server.port, "DELETE", "/match.html")[0] == 404
    assert once(server.port, "PUT", "/quake2.html", contest_html("quake2", site="b.test", minutes=3), HTML)[0] == 204


class SlowStore(TgStore):
    """Loads only when the test says so: the 503 window, deterministically."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, clusterer_factory=StandInClusterer)
        self.go = threading.Event()

    def load(self) -> None:
        assert self.go.wait(60)
        super().load()


@contextmanager
def in_process(app: web.Application) -> Iterator[int]:
    """The aiohttp app served on 127.0.0.1 from a thread of this process; yields its port."""
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app)
    port = free_port()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(runner.setup())
        loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", port).start())
        loop.run_forever()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        yield port
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        t.join(30)
        loop.close()


def test_server_answers_503_while_loading(tmp_path: Path) -> None:
    store = SlowStore(tmp_path / "tg.sqlite3")
    try:
        with in_process(make_app(store)) as port:
            assert once(port, "GET", THREADS)[0] == 503
            assert once(port, "PUT", "/quake1.html", contest_html("quake1", site="a.test"), HTML)[0] == 503
            store.go.set()
            assert store.wait_ready(60)
            assert once(port, "PUT", "/quake1.html", contest_html("quake1", site="a.test"), HTML)[0] == 201
            assert json.loads(once(port, "GET", THREADS)[1])["threads"][0]["articles"] == ["quake1.html"]
    finally:
        store.go.set()


def put_concurrently(port: int, docs: dict[str, tuple[bytes, str]], prefix: str = "") -> dict[str, int]:
    """Each document PUT on its own connection, all at once; name → status."""
    statuses: dict[str, int] = {}

    def put(name: str, body: bytes, cache_control: str) -> None:
        statuses[name] = once(port, "PUT", f"{prefix}/{name}", body,
                              {"Content-Type": "text/html", "Cache-Control": cache_control})[0]

    threads = [threading.Thread(target=put, args=(n, b, cc)) for n, (b, cc) in docs.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return statuses


def dated(key: str, site: str, when: str) -> bytes:
    return contest_html(key, site=site).replace(b"2020-05-11T10:00:00", when.encode())


def listed(raw: bytes) -> list[str]:
    return sorted(a for t in json.loads(raw)["threads"] for a in t["articles"])


HUGE = "max-age=99999999999999999999999"
WEEK = "/threads?period=604800&lang_code=en&category=any"


def test_contest_server_rejects_bad_requests_on_their_own(server: ContestServer) -> None:
    """The audit's findings against the real ``svodka tg server`` process."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    # a max-age no store can hold: 400 with the reason, and the keep-alive connection lives on
    status, body = call(conn, "PUT", "/x.html", contest_html("quake1", site="a.test"), {"Cache-Control": HUGE})
    assert status == 400 and b"max-age must be from 0 to 2147483647" in body
    assert call(conn, "PUT", "/quake1.html", contest_html("quake1", site="a.test"), HTML)[0] == 201
    # names: only one path segment ending in .html is an article; /threads only answers GET
    for path in ("/threads", "/foo.txt", "/..%2F..%2Fetc%2Fpasswd.html", "/a%5Cb.html", "/a%00.html", "/a/b.html",
                 "/", "/.html"):
        status, body = call(conn, "PUT", path, contest_html("quake2", site="b.test"), HTML)
        if path == "/threads":
            assert status == 405, path
        else:
            assert status == 404 and b"no such resource" in body, path
    # a body that says gzip and is not: 400, not 500
    status, body = call(conn, "PUT", "/gz.html", contest_html("quake2", site="b.test"), {**HTML, "Content-Encoding": "gzip"})
    assert status == 400 and b"could not read the body" in body, body
    conn.close()  # the server may close a connection whose body it could not read
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    conn.request("PUT", "/threads", body=b"x", headers=HTML)
    r = conn.getresponse()
    r.read()
    assert r.status == 405 and r.getheader("Allow") == "GET"
    conn.request("GET", "/quake1.html")
    r = conn.getresponse()
    r.read()
    assert r.status == 405 and r.getheader("Allow") == "PUT, DELETE"
    assert call(conn, "DELETE", "/..%2Fquake1.html")[0] == 404
    # period: 5 minutes to 30 days
    for period, want in (("1", 400), ("299", 400), ("99999999999", 400), ("2592001", 400), ("300", 200),
                         ("2592000", 200)):
        status, body = call(conn, "GET", f"/threads?period={period}&lang_code=en")
        assert status == want, (period, body)
    assert listed(call(conn, "GET", THREADS)[1]) == ["quake1.html"]
    # a document expired on arrival: 201 each time (never in the index), never listed, DELETE 404
    old = dated("match", "c.test", "2019-05-11T10:00:00")
    assert call(conn, "PUT", "/old.html", old, HTML)[0] == 201
    assert call(conn, "PUT", "/old.html", old, HTML)[0] == 201
    assert call(conn, "DELETE", "/old.html")[0] == 404
    # one document dated in the future does not expire the 2020 index
    assert call(conn, "PUT", "/quake2.html", contest_html("quake2", site="b.test", minutes=5), HTML)[0] == 201
    future = dated("quake2", "f.test", "2030-01-01T00:00:00")
    assert call(conn, "PUT", "/future.html", future, HTML)[0] == 201
    assert listed(call(conn, "GET", THREADS)[1]) == ["quake1.html", "quake2.html"]
    conn.close()
    # concurrent PUTs, one with a huge max-age: only that one fails, the others are indexed
    docs = {f"good{i:02d}.html": (contest_html("quake1", site=f"{i}.test", minutes=6 + i / 10), "max-age=86400")
            for i in range(20)}
    docs["bad.html"] = (contest_html("quake1", site="bad.test", minutes=7), HUGE)
    docs["quake1.html"] = (contest_html("quake1", site="a.test"), "max-age=86400")
    statuses = put_concurrently(server.port, docs)
    assert statuses.pop("bad.html") == 400
    assert statuses.pop("quake1.html") == 204
    assert Counter(statuses.values()) == {201: 20}
    assert listed(once(server.port, "GET", WEEK)[1]) == sorted([*(n for n in docs if n != "bad.html"), "quake2.html"])


class FailingStore(TgStore):
    """Fails inside the store's transaction for one name; its first write waits for ``gate``."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, clusterer_factory=StandInClusterer)
        self.batches: list[list[str]] = []
        self.entered = threading.Event()
        self.gate = threading.Event()

    def put_prepared(self, items):  # type: ignore[no-untyped-def]
        self.batches.append([p.name for p in items])
        if not self.gate.is_set():
            self.entered.set()
            assert self.gate.wait(60)
        return super().put_prepared(items)

    def _put_one(self, db, p):  # type: ignore[no-untyped-def]
        if p.name == "boom.html":
            raise RuntimeError("disk on fire")
        return super()._put_one(db, p)


def test_a_batch_that_fails_in_the_store_is_retried_one_by_one(tmp_path: Path) -> None:
    store = FailingStore(tmp_path / "tg.sqlite3")
    app = make_app(store)
    with in_process(app) as port:
        assert store.wait_ready(60)
        first: dict[str, int] = {}
        sender = threading.Thread(target=lambda: first.update(
            put_concurrently(port, {"first.html": (contest_html("match", site="c.test"), "max-age=86400")})))
        sender.start()
        assert store.entered.wait(60)  # the worker is busy with first.html: the next PUTs queue up
        docs = {f"q{i}.html": (contest_html("quake1", site=f"{i}.test", minutes=i), "max-age=86400") for i in range(8)}
        docs["boom.html"] = (contest_html("quake2", site="b.test", minutes=3), "max-age=86400")
        docs["bad.html"] = (contest_html("quake2", site="c.test", minutes=3), HUGE)
        results: dict[str, int] = {}
        senders = threading.Thread(target=lambda: results.update(put_concurrently(port, docs)))
        senders.start()
        deadline = time.monotonic() + 60
        while app[BATCHER].queue.qsize() < len(docs) - 1:  # bad.html is refused before the queue
            assert time.monotonic() < deadline
            time.sleep(0.05)
        store.gate.set()
        sender.join(120)
        senders.join(120)
        assert first == {"first.html": 201}
        assert results.pop("boom.html") == 500
        assert results.pop("bad.html") == 400
        assert Counter(results.values()) == {201: 8}
        # one transaction for the nine, which failed; then each alone
        assert sorted(store.batches[1]) == sorted(n for n in docs if n != "bad.html")
        assert sorted(map(tuple, store.batches[2:])) == sorted((n,) for n in docs if n != "bad.html")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        status, body = call(conn, "PUT", "/boom.html", contest_html("quake2", site="b.test"), HTML)
        assert status == 500 and b"disk on fire" in body
        assert call(conn, "GET", THREADS)[0] == 200  # the same keep-alive connection answers on
        assert listed(call(conn, "GET", WEEK)[1]) == sorted(["first.html", *(n for n in docs if n.startswith("q"))])
        conn.close()


def test_site_mount_under_tg(tmp_path: Path, settings, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(tgcontest, "_default_clusterer", StandInClusterer)
    monkeypatch.setattr(tg_views, "_store", None)
    client = Client()
    first = client.get("/tg/threads", {"period": 3600, "lang_code": "en", "category": "any"})
    assert first.status_code == 503  # the first request starts loading this process's store
    assert tg_views.get_store().wait_ready(120)
    put = {"content_type": "text/html", "HTTP_CACHE_CONTROL": "max-age=86400"}
    assert client.put("/tg/quake1.html", contest_html("quake1", site="a.test"), **put).status_code == 201
    assert client.put("/tg/quake1.html", contest_html("quake1", site="a.test"), **put).status_code == 204
    assert client.put("/tg/quake2.html", contest_html("quake2", site="b.test", minutes=2), **put).status_code == 201
    r = client.get("/tg/threads", {"period": 3600, "lang_code": "en", "category": "any"})
    assert r.status_code == 200 and r["Content-Type"] == "application/json"
    [thread] = r.json()["threads"]
    assert sorted(thread["articles"]) == ["quake1.html", "quake2.html"] and thread["category"] == "society"
    assert client.delete("/tg/quake2.html").status_code == 204
    assert client.delete("/tg/quake2.html").status_code == 404
    assert client.get("/tg/threads", {"period": "-1", "lang_code": "en"}).status_code == 400
    assert client.post("/tg/quake1.html", b"", content_type="text/html").status_code == 405
    assert (tmp_path / "tgcontest.sqlite3").exists()
    # the audit's findings, answered as the standalone server answers them
    r = client.put("/tg/x.html", contest_html("quake2", site="b.test"), content_type="text/html",
                   HTTP_CACHE_CONTROL=HUGE)
    assert r.status_code == 400 and b"max-age must be from 0 to 2147483647" in r.content
    r = client.put("/tg/threads", b"x", **put)
    assert r.status_code == 405 and r["Allow"] == "GET"
    r = client.get("/tg/quake1.html")
    assert r.status_code == 405 and r["Allow"] == "PUT, DELETE"
    for path in ("/tg/foo.txt", "/tg/..%2F..%2Fetc%2Fpasswd.html", "/tg/a%5Cb.html", "/tg/a/b.html", "/tg/",
                 "/tg/.html"):
        r = client.put(path, contest_html("quake2", site="b.test"), **put)
        assert r.status_code == 404 and r["Content-Type"].startswith("text/plain"), path
        assert b"no such resource" in r.content, path
    for period, want in (("1", 400), ("99999999999", 400), ("300", 200), ("2592000", 200)):
        assert client.get("/tg/threads", {"period": period, "lang_code": "en"}).status_code == want, period
    assert b"5 minutes" in client.get("/tg/threads", {"period": "1", "lang_code": "en"}).content
    old = dated("match", "c.test", "2019-05-11T10:00:00")
    assert client.put("/tg/old.html", old, **put).status_code == 201
    assert client.put("/tg/old.html", old, **put).status_code == 201
    assert client.delete("/tg/old.html").status_code == 404
    future = dated("quake2", "f.test", "2030-01-01T00:00:00")
    assert client.put("/tg/future.html", future, **put).status_code == 201
    r = client.get("/tg/threads", {"period": 604800, "lang_code": "en"})
    assert listed(r.content) == ["quake1.html"]
    # a failure inside the store: 500 with a plain reason, not Django's error page
    monkeypatch.setattr(TgStore, "_put_one", lambda self, db, p: (_ for _ in ()).throw(RuntimeError("disk on fire")))
    r = client.put("/tg/boom.html", contest_html("quake2", site="b.test"), **put)
    assert r.status_code == 500 and r["Content-Type"].startswith("text/plain") and b"disk on fire" in r.content
    tg_views.get_store().close()


def test_batch_threads_and_top_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from svodka_site.cli import main

    for key, site, minutes in [("quake1", "a.test", 0), ("quake2", "b.test", 5), ("match", "c.test", 10),
                               ("fire1", "r1.test", 15), ("bank", "r2.test", 20)]:
        (tmp_path / f"{key}.html").write_bytes(contest_html(key, site=site, minutes=minutes))
    assert main(["tg", "threads", str(tmp_path)]) == 0  # the real story clusterer
    threads = json.loads(capsys.readouterr().out)
    assert sorted(threads[0]["articles"]) == ["quake1.html", "quake2.html"]
    assert sorted(sorted(t["articles"]) for t in threads[1:]) == [["bank.html"], ["fire1.html"], ["match.html"]]
    assert main(["tg", "top", str(tmp_path)]) == 0
    top = json.loads(capsys.readouterr().out)
    assert [c["category"] for c in top] == ["any", *tgcontest.CATEGORIES]
    assert [t["articles"] for t in top[4]["threads"]] == [["match.html"]]  # sports
    assert main(["tg", "server", "http"]) == 2
    assert main(["tg", "threads", str(tmp_path / "nothing")]) == 2
