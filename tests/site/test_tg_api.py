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
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import web
from django.test import Client

from svodka import tgcontest
from svodka.tgcontest import TgStore
from svodka.tgcontest_server import make_app
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


def test_server_answers_503_while_loading(tmp_path: Path) -> None:
    store = SlowStore(tmp_path / "tg.sqlite3")
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(make_app(store))
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
                status, _ = once(port, "GET", THREADS)
                break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        assert status == 503
        assert once(port, "PUT", "/quake1.html", contest_html("quake1", site="a.test"), HTML)[0] == 503
        store.go.set()
        assert store.wait_ready(60)
        assert once(port, "PUT", "/quake1.html", contest_html("quake1", site="a.test"), HTML)[0] == 201
        assert json.loads(once(port, "GET", THREADS)[1])["threads"][0]["articles"] == ["quake1.html"]
    finally:
        store.go.set()
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        t.join(30)
        loop.close()


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
