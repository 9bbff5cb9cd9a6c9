"""WebSub end to end: the crawler subscribes where a feed advertises a hub, the hub verifies
intent against the live site, then pushes content that is stored at once — signed pushes only."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from svodka.crawl import Crawler
from svodka.fetch import FetchPolicy
from svodka_site.news.models import Article, Feed, Source
from svodka_site.news.storage import DjangoStorage

pytestmark = pytest.mark.django_db(transaction=True)


def feed_xml(hub: str, topic: str, items: list[str]) -> bytes:
    entries = "".join(
        f"<item><title>{t}</title><link>http://pub.test/{i}</link><guid>pub-{t}</guid></item>"
        for i, t in enumerate(items)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
        f'<title>Pushy</title><atom:link rel="hub" href="{hub}"/><atom:link rel="self" href="{topic}"/>'
        f"{entries}</channel></rss>"
    ).encode()


class Hub(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), HubHandler)
        self.subscriptions: list[dict[str, str]] = []
        self.verified = threading.Event()
        self.challenge_echoed: bool | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hub"

    @property
    def topic(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/feed.xml"


class HubHandler(BaseHTTPRequestHandler):
    server: Hub

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # the topic itself
        body = feed_xml(self.server.url, self.server.topic, ["First"])
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:  # subscription request
        form = dict(urllib.parse.parse_qsl(self.rfile.read(int(self.headers["Content-Length"])).decode()))
        self.server.subscriptions.append(form)
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()
        threading.Thread(target=self._verify, args=(form,), daemon=True).start()

    def _verify(self, form: dict[str, str]) -> None:
        q = urllib.parse.urlencode(
            {
                "hub.mode": "subscribe",
                "hub.topic": form["hub.topic"],
                "hub.challenge": "c-123",
                "hub.lease_seconds": "3600",
            }
        )
        with urllib.request.urlopen(f"{form['hub.callback']}?{q}", timeout=10) as r:
            self.server.challenge_echoed = r.read() == b"c-123"
        self.server.verified.set()


def push(callback: str, body: bytes, secret: str | None) -> int:
    headers = {"Content-Type": "application/rss+xml"}
    if secret is not None:
        headers["X-Hub-Signature"] = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    req = urllib.request.Request(callback, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status


def test_subscribe_verify_and_push(live_server) -> None:  # type: ignore[no-untyped-def]
    hub = Hub()
    threading.Thread(target=hub.serve_forever, daemon=True).start()
    try:
        src = Source.objects.create(name="Pushy", slug="pushy")
        feed = Feed.objects.create(source=src, url=hub.topic)
        crawler = Crawler(
            DjangoStorage(fetch_pages=False),
            FetchPolicy(user_agent="svodka-test"),
            worker="t",
            fetch_pages=False,
            websub_callback=f"{live_server.url}/websub/",
        )
        try:
            asyncio.run(crawler.run_once())
        finally:
            crawler.close()
        feed.refresh_from_db()
        assert feed.websub_hub == hub.url and feed.websub_topic == hub.topic
        assert len(hub.subscriptions) == 1
        sub = hub.subscriptions[0]
        assert sub["hub.mode"] == "subscribe" and sub["hub.topic"] == hub.topic
        assert sub["hub.callback"] == f"{live_server.url}/websub/{feed.pk}/" and sub["hub.secret"]
        assert hub.verified.wait(10) and hub.challenge_echoed
        feed.refresh_from_db()
        assert feed.websub_state == "subscribed" and feed.websub_expires_at is not None

        # a forged push (no or wrong signature) is acknowledged but ignored
        body = feed_xml(hub.url, hub.topic, ["First", "Forged"])
        assert push(sub["hub.callback"], body, None) == 202
        assert push(sub["hub.callback"], body, "not-the-secret") == 202
        assert not Article.objects.filter(title="Forged").exists()

        # a signed push is stored at once, without polling
        body = feed_xml(hub.url, hub.topic, ["First", "Pushed news"])
        assert push(sub["hub.callback"], body, sub["hub.secret"]) == 202
        assert Article.objects.filter(title="Pushed news", provenances__feed=feed).exists()
        assert Article.objects.filter(title="First").count() == 1
        assert feed.log.filter(outcome="push").exists()

        # a verification for a topic we never asked for is refused
        q = urllib.parse.urlencode(
            {"hub.mode": "subscribe", "hub.topic": "http://evil.test/", "hub.challenge": "x"}
        )
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(f"{sub['hub.callback']}?{q}", timeout=10)
        assert err.value.code == 404
        err.value.close()
    finally:
        hub.shutdown()
        hub.server_close()
