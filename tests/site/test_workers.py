"""Several `svodka crawl` workers share one PostgreSQL store without fetching a feed twice."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.db import connection

from svodka_site.news.models import Article, Feed, FetchLog, Source

pytestmark = pytest.mark.django_db(transaction=True)

FEEDS = 24


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.hits: Counter[str] = Counter()
        self.agents: set[str] = set()
        self.both = threading.Event()
        self.lock = threading.Lock()


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        agent = self.headers.get("User-Agent", "")
        with self.server.lock:
            self.server.hits[self.path] += 1
            self.server.agents.add(agent)
            if len(self.server.agents) >= 2:
                self.server.both.set()
        # Hold every answer until both workers have asked for something: then each of them
        # has claimed feeds, whatever the start-up order of the two processes.
        self.server.both.wait(timeout=60)
        n = self.path.strip("/").split(".")[0]
        body = (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {n}</title>'
            f"<item><title>Item of feed {n}</title><link>http://127.0.0.1:{self.server.server_address[1]}"
            f"/item/{n}</link><guid>item-{n}</guid></item></channel></rss>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="several workers need PostgreSQL (SKIP LOCKED)")
def test_two_workers_share_feeds_without_double_fetch(tmp_path: Path) -> None:
    server = _Server()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    src = Source.objects.create(name="Local", slug="local")
    for i in range(FEEDS):
        Feed.objects.create(source=src, url=f"http://127.0.0.1:{port}/{i}.xml")
    s = connection.settings_dict
    db_url = (
        f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    )
    procs = []
    try:
        for name in ("w1", "w2"):
            env = {
                **os.environ,
                "DATABASE_URL": db_url,
                "SVODKA_USER_AGENT": f"svodka-test-{name}",
                "SVODKA_DATA": str(tmp_path / name),
                "SVODKA_FEED_PROCESSES": "2",
            }
            procs.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "svodka_site.cli",
                        "crawl",
                        "--once",
                        "--no-pages",
                        "--quiet",
                        "--batch",
                        "3",
                        "--worker",
                        name,
                    ],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                )
            )
        outs = [p.communicate(timeout=120) for p in procs]
    finally:
        server.shutdown()
        server.server_close()
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err.decode()[-2000:]
    assert len(server.hits) == FEEDS
    assert max(server.hits.values()) == 1, "a feed was fetched twice"
    workers = Counter(FetchLog.objects.values_list("worker", flat=True))
    # each crawler fetched through its feed processes ("w1/<pid>"; SVODKA_FEED_PROCESSES=2)
    assert {w.split("/")[0] for w in workers} == {"w1", "w2"} and sum(workers.values()) == FEEDS
    assert all(w.partition("/")[2].isdigit() for w in workers)
    assert Article.objects.count() == FEEDS
    assert not Feed.objects.exclude(status="ok").exists()
