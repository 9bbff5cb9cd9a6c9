"""WebSub subscriber helpers: the subscription form, intent verification, signatures."""

from __future__ import annotations

import asyncio
import hashlib
import hmac

import aiohttp
import pytest
from aiohttp import web

from svodka.fetch import Fetcher
from svodka.fetch.websub import subscribe, subscribe_request, verify_intent, verify_signature

TOPIC = "https://example.com/feed.xml"
SECRET = "s3cret"
BODY = b"<feed>new entry</feed>"


def test_subscribe_request_form() -> None:
    url, form = subscribe_request("https://hub.example/", TOPIC, "https://me.example/cb/1", SECRET, 86400)
    assert url == "https://hub.example/"
    assert form == {
        "hub.mode": "subscribe",
        "hub.topic": TOPIC,
        "hub.callback": "https://me.example/cb/1",
        "hub.lease_seconds": "86400",
        "hub.secret": SECRET,
    }
    _, bare = subscribe_request("https://hub.example/", TOPIC, "https://me.example/cb/1", None, None)
    assert "hub.secret" not in bare and "hub.lease_seconds" not in bare
    _, off = subscribe_request("https://hub.example/", TOPIC, "https://me.example/cb", mode="unsubscribe")
    assert off["hub.mode"] == "unsubscribe"
    with pytest.raises(ValueError, match="200 bytes"):
        subscribe_request("https://hub.example/", TOPIC, "https://me.example/cb", "x" * 200, 60)
    with pytest.raises(ValueError):
        subscribe_request("https://hub.example/", TOPIC, "https://me.example/cb", mode="publish")


@pytest.mark.parametrize("algo", ["sha1", "sha256", "sha384", "sha512"])
def test_signature_accepted(algo: str) -> None:
    digest = hmac.new(SECRET.encode(), BODY, algo).hexdigest()
    assert verify_signature(BODY, f"{algo}={digest}", SECRET)
    assert verify_signature(BODY, f"{algo.upper()}={digest.upper()}", SECRET)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "sha256",
        "md5=" + hashlib.md5(BODY).hexdigest(),
        "sha256=" + hmac.new(b"wrong", BODY, "sha256").hexdigest(),
        "sha256=" + hmac.new(SECRET.encode(), BODY + b" ", "sha256").hexdigest(),
        "sha256=zzzé",
    ],
)
def test_signature_refused(header: str | None) -> None:
    assert not verify_signature(BODY, header, SECRET)


def test_signature_needs_a_secret() -> None:
    assert not verify_signature(BODY, "sha1=" + hmac.new(b"", BODY, "sha1").hexdigest(), "")


def test_verify_intent() -> None:
    ok = {"hub.mode": "subscribe", "hub.topic": TOPIC, "hub.challenge": "abc123", "hub.lease_seconds": "3600"}
    assert verify_intent(ok, TOPIC) == "abc123"
    assert verify_intent({**ok, "hub.mode": "unsubscribe"}, TOPIC) == "abc123"
    assert verify_intent(ok, TOPIC, expected_mode="unsubscribe") is None
    assert verify_intent(ok, "https://example.com/other.xml") is None
    assert verify_intent({**ok, "hub.challenge": ""}, TOPIC) is None
    assert verify_intent({k: v for k, v in ok.items() if k != "hub.challenge"}, TOPIC) is None
    assert verify_intent({**ok, "hub.lease_seconds": "soon"}, TOPIC) is None
    assert verify_intent({"hub.mode": "denied", "hub.topic": TOPIC, "hub.reason": "no"}, TOPIC) is None


def test_subscribe_posts_the_form_to_the_hub() -> None:
    received: list[dict[str, str]] = []

    async def hub(request: web.Request) -> web.Response:
        received.append(dict(await request.post()))  # type: ignore[arg-type]
        return web.Response(status=202)

    async def refusing(_request: web.Request) -> web.Response:
        return web.Response(status=400, text="bad topic")

    async def main() -> None:
        app = web.Application()
        app.router.add_post("/hub", hub)
        app.router.add_post("/no", refusing)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        base = f"http://127.0.0.1:{runner.addresses[0][1]}"
        try:
            async with Fetcher() as f:
                r = await subscribe(f, f"{base}/hub", TOPIC, "https://me.example/cb", SECRET, 600)
                assert r.ok and r.status == 202
                bad = await subscribe(f, f"{base}/no", TOPIC, "https://me.example/cb", SECRET, 600)
                assert bad.error_code == "http_status" and bad.status == 400
            async with aiohttp.ClientSession() as session:
                r = await subscribe(session, f"{base}/hub", TOPIC, "https://me.example/cb2")
                assert r.ok and r.status == 202
                bad = await subscribe(session, f"{base}/no", TOPIC, "https://me.example/cb2")
                assert bad.error_code == "http_status" and "bad topic" in (bad.error or "")
        finally:
            await runner.cleanup()
        assert received[0]["hub.secret"] == SECRET and received[0]["hub.lease_seconds"] == "600"
        assert received[1]["hub.callback"] == "https://me.example/cb2"

    asyncio.run(main())
