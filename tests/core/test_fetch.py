"""svodka.fetch against real aiohttp servers on 127.0.0.1 (ephemeral ports)."""

from __future__ import annotations

import asyncio
import email.utils
import socket
import struct
import zlib
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp import web

from svodka.fetch import Fetcher, FetchPolicy, FetchRequest
from svodka.fetch._body import BodyLimits, _Inflater, _Overflow, size_words
from svodka.fetch._http import parse_retry_after
from svodka.fetch._net import forbidden_address

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
FEED = b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>"


def run(coro: Coroutine[Any, Any, Any]) -> Any:
    return asyncio.run(coro)


class Server:
    """An aiohttp app on 127.0.0.1 with an ephemeral port, counting hits per path."""

    def __init__(self, routes: dict[str, Handler]) -> None:
        self.app = web.Application()
        self.hits: dict[str, int] = {}
        self.requests: list[web.Request] = []
        for path, handler in routes.items():
            self.app.router.add_get(path, self._counting(path, handler))
        self.runner = web.AppRunner(self.app, handler_cancellation=True, shutdown_timeout=0.5)
        self.port = 0

    def _counting(self, path: str, handler: Handler) -> Handler:
        async def wrapped(request: web.Request) -> web.StreamResponse:
            self.hits[path] = self.hits.get(path, 0) + 1
            self.requests.append(request)
            return await handler(request)

        return wrapped

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def __aenter__(self) -> Server:
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = self.runner.addresses[0][1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.runner.cleanup()


def gzip_bomb(mib: int = 1024) -> bytes:
    """A valid gzip stream of ``mib`` MiB of zeros, about 1 KiB per MiB, built in well under a second.

    After a full flush deflate forgets its window, so each further MiB of zeros compresses
    to the very same bytes: compress three, repeat the middle one, write the true trailer.
    """
    zeros = bytes(1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    first = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
    assert c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH) == block
    end = c.flush()[:-8]
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(zeros, crc)
    return first + block * (mib - 1) + end + struct.pack("<II", crc, (mib << 20) & 0xFFFFFFFF)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- plain GETs ------------------------------------------------------------------------------
def test_ok_200_captures_validators_and_sends_our_headers() -> None:
    async def feed(_r: web.Request) -> web.Response:
        return web.Response(
            body=FEED,
            content_type="application/rss+xml",
            headers={"ETag": '"v1"', "Last-Modified": "Wed, 21 Oct 2015 07:28:00 GMT"},
        )

    async def main() -> None:
        async with Server({"/feed": feed}) as srv, Fetcher(FetchPolicy(user_agent="svodka-test/1")) as f:
            r = await f.fetch(srv.url("/feed"))
            assert r.ok and r.error is None and r.status == 200
            assert r.body == FEED
            assert r.etag == '"v1"' and r.last_modified == "Wed, 21 Oct 2015 07:28:00 GMT"
            assert r.content_type.startswith("application/rss+xml")
            assert r.final_url == srv.url("/feed") and r.redirects == 0 and r.elapsed > 0
            sent = srv.requests[0].headers
            assert sent["User-Agent"] == "svodka-test/1"
            assert sent["Accept-Encoding"] == "gzip, deflate"
            assert "application/rss+xml" in sent["Accept"]
            assert "If-None-Match" not in sent

    run(main())


def test_conditional_get_gives_not_modified() -> None:
    async def feed(r: web.Request) -> web.Response:
        if r.headers.get("If-None-Match") == '"v1"' or r.headers.get("If-Modified-Since") == "LM":
            return web.Response(status=304)
        return web.Response(body=FEED, headers={"ETag": '"v1"', "Last-Modified": "LM"})

    async def main() -> None:
        async with Server({"/feed": feed}) as srv, Fetcher() as f:
            first = await f.fetch(srv.url("/feed"))
            again = await f.fetch(srv.url("/feed"), etag=first.etag)
            assert again.ok and again.not_modified and again.status == 304 and again.body is None
            assert again.etag == '"v1"'  # kept from the request: the 304 did not repeat it
            by_date = await f.fetch(srv.url("/feed"), last_modified=first.last_modified)
            assert by_date.not_modified and by_date.last_modified == "LM"
            assert srv.requests[1].headers["If-None-Match"] == '"v1"'
            assert srv.requests[2].headers["If-Modified-Since"] == "LM"

    run(main())


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        ("gzip", lambda b: zlib.compress(b, wbits=31)),
        ("deflate", zlib.compress),  # zlib-wrapped, as RFC 9110 means it
        ("deflate", lambda b: zlib.compress(b, wbits=-15)),  # raw deflate, as some servers send
    ],
)
def test_compressed_body_is_inflated(encoding: str, compress: Callable[[bytes], bytes]) -> None:
    payload = FEED * 2000

    async def feed(_r: web.Request) -> web.Response:
        return web.Response(body=compress(payload), headers={"Content-Encoding": encoding})

    async def main() -> None:
        async with Server({"/feed": feed}) as srv, Fetcher() as f:
            r = await f.fetch(srv.url("/feed"))
            assert r.ok, r.error
            assert r.body == payload

    run(main())


def test_unrequested_encoding_is_an_error() -> None:
    async def feed(_r: web.Request) -> web.Response:
        return web.Response(body=b"xx", headers={"Content-Encoding": "br"})

    async def main() -> None:
        async with Server({"/feed": feed}) as srv, Fetcher() as f:
            r = await f.fetch(srv.url("/feed"))
            assert r.error_code == "fetch" and "'br'" in (r.error or "") and r.status == 200

    run(main())


# --- size limits -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def bomb() -> bytes:
    return gzip_bomb(1024)


def test_gzip_bomb_is_stopped_at_the_decompressed_cap(bomb: bytes) -> None:
    assert len(bomb) < 2 * 1024 * 1024  # ≈1 MB on the wire, 1 GiB inflated

    async def feed(_r: web.Request) -> web.Response:
        return web.Response(body=bomb, headers={"Content-Encoding": "gzip"})

    async def main() -> None:
        async with Server({"/bomb": feed}) as srv, Fetcher() as f:
            r = await f.fetch(srv.url("/bomb"))
            assert r.error_code == "too_large" and r.body is None
            assert r.error == (
                "the response grew past 32 MiB when decompressed (a compression bomb?) — stopped reading"
            )

    run(main())


def test_inflater_never_returns_more_than_the_room(bomb: bytes) -> None:
    inflater = _Inflater("gzip")
    with pytest.raises(_Overflow) as over:
        inflater.feed(bomb[:65536], 1000)
    assert sum(map(len, over.value.parts)) == 1001  # room + 1, not the 64 MiB the chunk holds


def test_endless_body_is_cut_at_the_wire_cap() -> None:
    async def endless(r: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse()
        await resp.prepare(r)
        chunk = b"<item>x</item>" * 4096
        while True:
            await resp.write(chunk)

    async def main() -> None:
        async with Server({"/endless": endless}) as srv, Fetcher(FetchPolicy(max_body=2 * 1024 * 1024)) as f:
            r = await f.fetch(srv.url("/endless"))
            assert r.error_code == "too_large"
            assert r.error == "the response grew past 2 MiB — stopped reading"

    run(main())


def test_announced_content_length_over_the_cap_is_not_downloaded() -> None:
    async def huge(r: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse()
        resp.content_length = 1 << 30
        await resp.prepare(r)
        await resp.write(b"x" * 1024)
        await asyncio.sleep(30)  # would go on forever; the client must not wait for it
        return resp

    async def main() -> None:
        async with Server({"/huge": huge}) as srv, Fetcher() as f:
            r = await f.fetch(srv.url("/huge"))
            assert r.error_code == "too_large" and r.status == 200
            assert r.error == "the server announced 1 GiB, more than our 10 MiB limit — not downloaded"

    run(main())


# --- timeouts --------------------------------------------------------------------------------
def test_one_byte_per_second_hits_the_total_timeout() -> None:
    async def slow(r: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse()
        await resp.prepare(r)
        for _ in range(60):
            await resp.write(b"x")
            await asyncio.sleep(1)
        return resp

    async def main() -> None:
        policy = FetchPolicy(total_timeout=2, read_timeout=5)
        async with Server({"/slow": slow}) as srv, Fetcher(policy) as f:
            r = await f.fetch(srv.url("/slow"))
            assert r.error_code == "timeout" and r.status == 200
            assert r.error == (
                "the download took longer than 2 s in all (the server is sending too slowly) — stopped"
            )
            assert r.elapsed < 30  # safety net only: the point is that it did not take 60 s

    run(main())


def test_silence_hits_the_read_timeout() -> None:
    async def silent(r: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse()
        await resp.prepare(r)
        await resp.write(b"<rss>")
        await asyncio.sleep(30)
        return resp

    async def main() -> None:
        async with Server({"/silent": silent}) as srv, Fetcher(FetchPolicy(read_timeout=0.5)) as f:
            r = await f.fetch(srv.url("/silent"))
            assert r.error_code == "timeout"
            assert r.error == "no byte arrived for 0.5 s"

    run(main())


# --- redirects -------------------------------------------------------------------------------
def test_redirects_are_followed_and_counted() -> None:
    async def a(_r: web.Request) -> web.Response:
        raise web.HTTPMovedPermanently("/b")

    async def b(_r: web.Request) -> web.Response:
        raise web.HTTPFound("/feed?x=1")

    async def feed(_r: web.Request) -> web.Response:
        return web.Response(body=FEED)

    async def main() -> None:
        async with Server({"/a": a, "/b": b, "/feed": feed}) as srv, Fetcher() as f:
            r = await f.fetch(srv.url("/a"))
            assert r.ok and r.body == FEED
            assert r.url == srv.url("/a") and r.final_url == srv.url("/feed?x=1") and r.redirects == 2

    run(main())


def test_redirect_loop_is_reported_with_the_path() -> None:
    async def a(_r: web.Request) -> web.Response:
        raise web.HTTPFound("/b")

    async def b(_r: web.Request) -> web.Response:
        raise web.HTTPFound("/a")

    async def main() -> None:
        async with Server({"/a": a, "/b": b}) as srv, Fetcher() as f:
            r = await f.fetch(srv.url("/a"))
            assert r.error_code == "redirects"
            a_url, b_url = srv.url("/a"), srv.url("/b")
            assert r.error == f"the server kept redirecting in a loop: {a_url} → {b_url} → {a_url}"
            assert srv.hits == {"/a": 1, "/b": 1}

    run(main())


def test_too_many_redirects() -> None:
    async def step(r: web.Request) -> web.Response:
        raise web.HTTPFound(f"/r/{int(r.match_info['n']) + 1}")

    async def main() -> None:
        async with Server({"/r/{n}": step}) as srv, Fetcher(FetchPolicy(max_redirects=5)) as f:
            r = await f.fetch(srv.url("/r/0"))
            assert r.error_code == "redirects" and r.redirects == 5
            assert r.error is not None and r.error.startswith("the server redirected more than 5 times: ")
            assert r.error.endswith(srv.url("/r/6"))
            assert srv.hits["/r/{n}"] == 6

    run(main())


def test_ssrf_guard_checks_every_hop() -> None:
    async def to_localhost(r: web.Request) -> web.Response:
        raise web.HTTPFound(f"http://localhost:{r.url.port}/feed")

    async def to_metadata(_r: web.Request) -> web.Response:
        raise web.HTTPFound("http://169.254.169.254/latest/meta-data/")

    async def to_ipv6_loopback(r: web.Request) -> web.Response:
        raise web.HTTPFound(f"http://[::1]:{r.url.port}/feed")

    async def to_file(_r: web.Request) -> web.Response:
        raise web.HTTPFound("file:///etc/passwd")

    async def feed(_r: web.Request) -> web.Response:
        return web.Response(body=FEED)

    routes = {"/l": to_localhost, "/m": to_metadata, "/6": to_ipv6_loopback, "/f": to_file, "/feed": feed}

    async def main() -> None:
        async with Server(routes) as srv:
            # Our test server is itself on 127.0.0.1: trust that one name to reach the first hop.
            trusting = FetchPolicy(allow_private=False, trusted_hosts=frozenset({"127.0.0.1"}))
            async with Fetcher(trusting) as f:
                for path, words in [
                    ("/l", "localhost points to"),
                    ("/m", "169.254.169.254 is a private or local network address"),
                    ("/6", "::1 is a private or local network address"),
                    ("/f", "only http and https addresses can be fetched"),
                ]:
                    r = await f.fetch(srv.url(path))
                    assert r.error_code == "blocked_url", (path, r.error)
                    assert words in (r.error or ""), r.error
                    assert r.body is None
                assert (await f.fetch(srv.url("/feed"))).ok
            assert srv.hits.get("/feed") == 1  # only the trusted direct fetch reached it
            async with Fetcher(FetchPolicy(allow_private=False)) as f:
                r = await f.fetch(srv.url("/feed"))
                assert r.error_code == "blocked_url"
                assert (
                    r.error
                    == "127.0.0.1 is a private or local network address; fetching it is not allowed here"
                )
            assert srv.hits.get("/feed") == 1  # refused before any request

    run(main())


@pytest.mark.parametrize(
    ("address", "forbidden"),
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("172.16.0.1", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),
        ("100.64.0.1", True),  # carrier-grade NAT
        ("0.0.0.0", True),
        ("224.0.0.1", True),
        ("240.0.0.1", True),
        ("::1", True),
        ("fe80::1", True),
        ("fc00::1", True),
        ("::ffff:127.0.0.1", True),
        ("2002:7f00:1::", True),  # 6to4 wrapping 127.0.0.1
        ("ff02::1", True),
        ("93.184.216.34", False),
        ("2606:4700:4700::1111", False),
        ("example.com", False),  # not an IP literal: judged after DNS
    ],
)
def test_forbidden_addresses(address: str, forbidden: bool) -> None:
    assert forbidden_address(address) is forbidden


# --- statuses --------------------------------------------------------------------------------
def test_404_and_410_are_gone_other_errors_are_http_status() -> None:
    async def missing(_r: web.Request) -> web.Response:
        raise web.HTTPNotFound()

    async def removed(_r: web.Request) -> web.Response:
        raise web.HTTPGone()

    async def broken(_r: web.Request) -> web.Response:
        raise web.HTTPInternalServerError()

    async def main() -> None:
        async with Server({"/404": missing, "/410": removed, "/500": broken}) as srv, Fetcher() as f:
            r404, r410, r500 = [await f.fetch(srv.url(p)) for p in ("/404", "/410", "/500")]
            assert (r404.error_code, r404.status, r404.body) == ("gone", 404, None)
            assert r404.error == "the server says this address does not exist (404 Not Found)"
            assert (r410.error_code, r410.status) == ("gone", 410)
            assert r410.error == "the server says this address was removed for good (410 Gone)"
            assert (r500.error_code, r500.status) == ("http_status", 500)
            assert r500.error == "the site had a problem answering (500 Internal Server Error)"
            assert r500.retry_after is None

    run(main())


def test_retry_after_seconds_holds_the_host() -> None:
    async def busy(_r: web.Request) -> web.Response:
        return web.Response(status=429, headers={"Retry-After": "120"})

    async def feed(_r: web.Request) -> web.Response:
        return web.Response(body=FEED)

    async def main() -> None:
        async with Server({"/busy": busy, "/feed": feed}) as srv, Fetcher() as f:
            r = await f.fetch(srv.url("/busy"))
            assert (r.error_code, r.status, r.retry_after) == ("http_status", 429, 120.0)
            assert r.error == (
                "the site says we are asking too often (429 Too Many Requests) and asked us to wait 120 s"
            )
            held = await f.fetch(srv.url("/feed"))  # same host:port, another page
            assert held.error_code == "http_status" and held.status == 0
            until = datetime.now(UTC) + timedelta(seconds=120)
            assert held.error is not None and held.error.startswith("the site asked us to wait until ")
            assert held.error.endswith(" UTC")
            assert held.error[-9:-4] in {f"{until:%H:%M}", f"{until - timedelta(minutes=1):%H:%M}"}
            assert held.retry_after is not None and 0 < held.retry_after <= 120
            assert "/feed" not in srv.hits  # no request was made
            # another origin is not held
            async with Server({"/feed": feed}) as other:
                assert (await f.fetch(other.url("/feed"))).ok

    run(main())


def test_retry_after_http_date_on_503() -> None:
    async def down(_r: web.Request) -> web.Response:
        when = datetime.now(UTC) + timedelta(seconds=90)
        return web.Response(
            status=503, headers={"Retry-After": email.utils.format_datetime(when, usegmt=True)}
        )

    async def main() -> None:
        async with Server({"/down": down}) as srv, Fetcher() as f:
            r = await f.fetch(srv.url("/down"))
            assert (r.error_code, r.status) == ("http_status", 503)
            assert r.retry_after is not None and 80 <= r.retry_after <= 91
            assert (await f.fetch(srv.url("/down"))).status == 0  # held
            assert srv.hits["/down"] == 1

    run(main())


def test_parse_retry_after() -> None:
    now = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("30", now) == 30.0
    assert parse_retry_after(" 0 ", now) == 0.0
    assert parse_retry_after("Wed, 01 Jan 2025 12:02:00 GMT", now) == 120.0
    assert parse_retry_after("Wed, 01 Jan 2025 11:00:00 GMT", now) == 0.0  # in the past
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after("-5", now) is None
    assert parse_retry_after(None, now) is None


# --- network failures ------------------------------------------------------------------------
def test_connection_refused() -> None:
    async def main() -> None:
        port = free_port()
        async with Fetcher() as f:
            r = await f.fetch(f"http://127.0.0.1:{port}/feed")
            assert r.error_code == "connect" and r.status == 0
            assert r.error == f"could not connect to 127.0.0.1:{port} (connection refused)"

    run(main())


def test_dns_failure_is_a_connect_error() -> None:
    async def main() -> None:
        async with Fetcher() as f:
            r = await f.fetch("http://nonexistent.invalid/")
            assert r.error_code == "connect"
            assert r.error == "could not find the address of nonexistent.invalid (DNS lookup failed)"

    run(main())


@pytest.mark.parametrize(
    "url", ["ftp://example.com/feed", "file:///etc/passwd", "javascript:alert(1)", "feed"]
)
def test_non_http_urls_are_blocked(url: str) -> None:
    async def main() -> None:
        async with Fetcher() as f:
            r = await f.fetch(url)
            assert r.error_code == "blocked_url" and r.url == url
            assert r.error is not None

    run(main())


# --- concurrency -----------------------------------------------------------------------------
def test_per_host_limit_holds_and_hosts_run_in_parallel() -> None:
    now_in_flight = {"a": 0, "b": 0, "all": 0}
    peak = {"a": 0, "b": 0, "all": 0}
    four_at_once = asyncio.Event()

    def counting(name: str) -> Handler:
        async def handler(_r: web.Request) -> web.Response:
            for key in (name, "all"):
                now_in_flight[key] += 1
                peak[key] = max(peak[key], now_in_flight[key])
            if now_in_flight["all"] >= 4:
                four_at_once.set()
            try:
                # Hold the first requests until both hosts have two in flight (timeout: safety net).
                await asyncio.wait_for(four_at_once.wait(), 5)
                await asyncio.sleep(0.01)
            except TimeoutError:
                pass
            finally:
                for key in (name, "all"):
                    now_in_flight[key] -= 1
            return web.Response(body=FEED)

        return handler

    async def main() -> None:
        async with Server({"/f/{n}": counting("a")}) as a, Server({"/f/{n}": counting("b")}) as b:
            urls = [srv.url(f"/f/{i}") for i in range(12) for srv in (a, b)]
            async with Fetcher(FetchPolicy(per_host=2, total=10)) as f:
                results = [r async for r in f.fetch_many(FetchRequest(u) for u in urls)]
                assert sorted(r.url for r in results) == sorted(urls)
                assert all(r.ok for r in results)
                # plain concurrent fetch() calls are limited too, not only fetch_many
                await asyncio.gather(*(f.fetch(a.url(f"/f/x{i}")) for i in range(8)))
        assert peak["a"] == 2 and peak["b"] == 2
        assert peak["all"] == 4  # both hosts were served at the same time
        assert four_at_once.is_set()

    run(main())


def test_fetch_many_keeps_few_tasks_for_many_urls() -> None:
    async def feed(_r: web.Request) -> web.Response:
        return web.Response(body=b"ok")

    async def main() -> None:
        async with Server({"/f/{n}": feed}) as srv, Fetcher(FetchPolicy(per_host=4, total=8)) as f:
            urls = (FetchRequest(srv.url(f"/f/{i}")) for i in range(1500))
            most_tasks = 0
            seen = 0
            async for r in f.fetch_many(urls, buffer=50):
                assert r.ok
                seen += 1
                most_tasks = max(most_tasks, len(asyncio.all_tasks()))
            assert seen == 1500
            assert most_tasks < 40  # tasks exist only for running requests (+ server side)

    run(main())


def test_fetch_many_can_stop_early() -> None:
    async def slowish(_r: web.Request) -> web.Response:
        await asyncio.sleep(0.01)
        return web.Response(body=b"ok")

    async def main() -> None:
        async with Server({"/f/{n}": slowish}) as srv, Fetcher() as f:
            stream = f.fetch_many(FetchRequest(srv.url(f"/f/{i}")) for i in range(200))
            async for _r in stream:
                break
            await stream.aclose()  # type: ignore[attr-defined]
            assert srv.hits["/f/{n}"] < 200

    run(main())


def test_idle_keep_alive_is_granted_to_a_bounded_number_of_origins() -> None:
    async def feed(_r: web.Request) -> web.Response:
        return web.Response(body=b"ok")

    async def main() -> None:
        async with Server({"/f": feed}) as srv:
            async with Fetcher() as f:
                await f.fetch(srv.url("/f"))
            async with Fetcher(FetchPolicy(keepalive_hosts=0)) as f:
                await f.fetch(srv.url("/f"))
        assert srv.requests[0].headers.get("Connection") != "close"
        assert srv.requests[1].headers.get("Connection") == "close"

    run(main())


# --- robots.txt ------------------------------------------------------------------------------
ROBOTS = b"""# test
User-agent: *
Disallow: /

User-agent: svodka
Disallow: /private/
Allow: /private/open
"""


def robots_server(status: int = 200, body: bytes = ROBOTS) -> Server:
    async def robots(_r: web.Request) -> web.Response:
        return web.Response(status=status, body=body, content_type="text/plain")

    async def page(_r: web.Request) -> web.Response:
        return web.Response(text="<html>article</html>", content_type="text/html")

    return Server({"/robots.txt": robots, "/{path:.*}": page})


def test_robots_allow_and_deny_for_our_token() -> None:
    async def main() -> None:
        async with robots_server() as srv, Fetcher() as f:
            ok = await f.fetch(srv.url("/news/1"), check_robots=True, accept="text/html")
            assert ok.ok and ok.body == b"<html>article</html>"
            denied = await f.fetch(srv.url("/private/x"), check_robots=True)
            assert (denied.error_code, denied.status, denied.body) == ("robots", 0, None)
            assert denied.error == "the site's robots.txt forbids fetching this page"
            assert (await f.fetch(srv.url("/private/open/y"), check_robots=True)).ok
            assert (await f.fetch(srv.url("/private/x"))).ok  # feeds do not consult robots.txt
            assert srv.hits["/robots.txt"] == 1  # cached per origin
            assert srv.hits["/{path:.*}"] == 3

    run(main())


def test_robots_other_agent_token_falls_back_to_star() -> None:
    async def main() -> None:
        async with robots_server() as srv, Fetcher(FetchPolicy(robots_token="otherbot")) as f:
            r = await f.fetch(srv.url("/news/1"), check_robots=True)
            assert r.error_code == "robots"

    run(main())


def test_robots_404_allows_everything() -> None:
    async def main() -> None:
        async with robots_server(status=404) as srv, Fetcher() as f:
            assert (await f.fetch(srv.url("/private/x"), check_robots=True)).ok

    run(main())


def test_robots_500_disallows_for_now() -> None:
    async def main() -> None:
        async with robots_server(status=500) as srv, Fetcher() as f:
            r = await f.fetch(srv.url("/news/1"), check_robots=True)
            assert r.error_code == "robots"
            assert r.error == (
                "could not read the site's robots.txt (the site had a problem answering "
                "(500 Internal Server Error)), so we leave its pages alone for now"
            )
            assert "/{path:.*}" not in srv.hits
            await f.fetch(srv.url("/news/2"), check_robots=True)
            assert srv.hits["/robots.txt"] == 1  # the refusal is cached too, for a while

    run(main())


def test_robots_unreachable_reports_the_connection_problem() -> None:
    async def main() -> None:
        port = free_port()
        async with Fetcher() as f:
            r = await f.fetch(f"http://127.0.0.1:{port}/news", check_robots=True)
            assert r.error_code == "connect" and "connection refused" in (r.error or "")

    run(main())


def test_concurrent_pages_share_one_robots_fetch() -> None:
    async def main() -> None:
        async with robots_server() as srv, Fetcher() as f:
            results = await asyncio.gather(
                *(f.fetch(srv.url(f"/n/{i}"), check_robots=True) for i in range(10))
            )
            assert all(r.ok for r in results)
            assert srv.hits["/robots.txt"] == 1

    run(main())


# --- small pieces --------------------------------------------------------------------------
def test_inflater_multi_member_gzip_and_truncation() -> None:
    two = zlib.compress(b"abc", wbits=31) + zlib.compress(b"def", wbits=31)
    inflater = _Inflater("gzip")
    assert b"".join(inflater.feed(two, 100)) == b"abcdef"
    inflater.finish()
    cut = _Inflater("gzip")
    cut.feed(zlib.compress(b"abc" * 1000, wbits=31)[:20], 10_000)
    with pytest.raises(Exception, match="ended before its end"):
        cut.finish()


def test_size_words() -> None:
    assert size_words(10 * 1024 * 1024) == "10 MiB"
    assert size_words(1 << 30) == "1 GiB"
    assert size_words(1536) == "1.5 KiB"
    assert size_words(12) == "12 bytes"
    assert BodyLimits(1, 2).truncate is False


def test_fetcher_must_be_opened() -> None:
    with pytest.raises(RuntimeError, match="async with"):
        run(Fetcher().fetch("http://example.com/"))
