"""The polite async HTTP client.

aiohttp, not httpx: on this project's hardware aiohttp served about 3.7k requests/s at
concurrency 50 against httpx's 0.77k, and feeds are polled by the thousand.

Everything that can go wrong on the network comes back as a ``FetchResult`` with an
``error_code`` from ``svodka.errors`` and a sentence a reader understands; nothing raises.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import TracebackType

import aiohttp
from yarl import URL

from svodka.errors import (
    BlockedURL,
    ConnectFailed,
    FetchError,
    HTTPStatusError,
    RobotsDisallowed,
)
from svodka.types import FetchResult

from ._body import ACCEPT_ENCODING, BodyLimits, read_body, size_words
from ._http import MAX_HOLD_S, lower_headers, parse_retry_after, seconds_words, status_message
from ._net import GuardedResolver, check_literal_host, check_scheme, origin_key, parse_target
from .policy import FetchPolicy, FetchRequest
from .robots import RobotsRules

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_KEEPALIVE_S = 15.0
_ROBOTS_CACHE_MAX = 10_000
_ROBOTS_RETRY_S = 600.0  # robots.txt unreachable: refuse the site's pages this long, then ask again
_ROBOTS_ACCEPT = "text/plain, */*;q=0.5"
_HOLDS_SWEEP_AT = 1000


@dataclass(slots=True)
class _Slot:
    sem: asyncio.Semaphore
    users: int = 0


class _HostSlots:
    """One semaphore per origin, created on demand and dropped when idle (thousands of origins)."""

    def __init__(self, per_host: int) -> None:
        self._per_host = per_host
        self._slots: dict[str, _Slot] = {}

    def users(self, key: str) -> int:
        slot = self._slots.get(key)
        return slot.users if slot else 0

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        slot = self._slots.get(key)
        if slot is None:
            slot = self._slots[key] = _Slot(asyncio.Semaphore(self._per_host))
        slot.users += 1
        try:
            async with slot.sem:
                yield
        finally:
            slot.users -= 1
            if slot.users == 0:
                del self._slots[key]


def _fail(
    url: URL, code: str, message: str, status: int = 0, headers: dict[str, str] | None = None
) -> FetchResult:
    return FetchResult(
        url=str(url), final_url=str(url), status=status, headers=headers or {}, error_code=code, error=message
    )


class Fetcher:
    """``async with Fetcher(policy) as f: result = await f.fetch(url)``."""

    def __init__(self, policy: FetchPolicy | None = None) -> None:
        self.policy = policy or FetchPolicy()
        p = self.policy
        self._session: aiohttp.ClientSession | None = None
        self._slots = _HostSlots(p.per_host)
        self._global = asyncio.Semaphore(p.total)
        self._holds: dict[str, tuple[float, datetime]] = {}  # origin → (monotonic deadline, UTC time)
        self._robots: OrderedDict[str, tuple[float, RobotsRules | str]] = OrderedDict()
        self._robots_loading: dict[str, asyncio.Task[RobotsRules | str | FetchError]] = {}
        self._kept: OrderedDict[str, float] = OrderedDict()  # origins allowed an idle keep-alive
        self._trusted = frozenset(h.lower() for h in p.trusted_hosts)
        self._timeout = aiohttp.ClientTimeout(
            total=None, connect=p.connect_timeout, sock_connect=p.connect_timeout, sock_read=p.read_timeout
        )

    # --- lifecycle ------------------------------------------------------------------------
    async def __aenter__(self) -> Fetcher:
        p = self.policy
        resolver: aiohttp.abc.AbstractResolver = aiohttp.ThreadedResolver()
        if not p.allow_private:
            resolver = GuardedResolver(resolver, self._trusted)
        connector = aiohttp.TCPConnector(
            limit=p.total,
            limit_per_host=p.per_host,
            keepalive_timeout=_KEEPALIVE_S,
            ttl_dns_cache=300,
            dns_cache_max_size=10_000,
            resolver=resolver,
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            auto_decompress=False,  # we inflate ourselves, with a cap
            cookie_jar=aiohttp.DummyCookieJar(),
            headers={"User-Agent": p.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
            timeout=self._timeout,
            trust_env=False,
        )
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def close(self) -> None:
        for task in list(self._robots_loading.values()):
            task.cancel()
        if self._session is not None:
            await self._session.close()
            self._session = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            raise RuntimeError("use the Fetcher as `async with Fetcher(...) as fetcher:`")
        return self._session

    # --- public API -----------------------------------------------------------------------
    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
        check_robots: bool = False,
    ) -> FetchResult:
        """GET ``url``; never raises for network, HTTP or size problems."""
        if self._session is None:
            raise RuntimeError("use the Fetcher as `async with Fetcher(...) as fetcher:`")
        started = time.monotonic()
        headers = {"Accept": accept or self.policy.accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            target = parse_target(url)
            self._check_hold(origin_key(target))
            if check_robots:
                await self._check_robots(target)
            limits = BodyLimits(self.policy.max_body, self.policy.max_decompressed)
            result = await self._exchange(target, headers, limits)
        except FetchError as exc:
            result = FetchResult(
                url=url,
                final_url=url,
                status=getattr(exc, "status", 0),
                retry_after=getattr(exc, "retry_after", None),
                error_code=exc.code,
                error=exc.message,
            )
        result.url = url
        result.elapsed = time.monotonic() - started
        if result.not_modified:  # a 304 need not repeat the validators; keep the ones we sent
            result.etag = result.etag or etag
            result.last_modified = result.last_modified or last_modified
        return result

    async def fetch_many(
        self, requests: Iterable[FetchRequest], *, buffer: int | None = None
    ) -> AsyncIterator[FetchResult]:
        """Fetch all ``requests``, yielding results as they complete (``result.url`` is the request's).

        At most ``buffer`` requests (default 20 × policy.total) are read ahead from the
        iterable, queued per origin, and only as many tasks exist as may run right now, so
        100k URLs cost no more memory than a few thousand; one slow host does not hold up
        the others.
        """
        p = self.policy
        buffer = buffer or 20 * p.total
        source = iter(requests)
        exhausted = False
        queued: dict[str, deque[FetchRequest]] = {}
        n_queued = 0
        running_per_host: dict[str, int] = {}
        ready: deque[str] = deque()  # origins with queued work and a free slot
        in_ready: set[str] = set()
        running: dict[asyncio.Task[FetchResult], str] = {}

        def mark_ready(key: str) -> None:
            if key not in in_ready and queued.get(key) and running_per_host.get(key, 0) < p.per_host:
                ready.append(key)
                in_ready.add(key)

        try:
            while True:
                while not exhausted and n_queued < buffer:
                    try:
                        req = next(source)
                    except StopIteration:
                        exhausted = True
                        break
                    try:
                        key = origin_key(parse_target(req.url))
                    except FetchError:
                        key = ""  # fails at once in fetch(); any bucket will do
                    queued.setdefault(key, deque()).append(req)
                    n_queued += 1
                    mark_ready(key)
                while ready and len(running) < p.total:
                    key = ready.popleft()
                    in_ready.discard(key)
                    req = queued[key].popleft()
                    n_queued -= 1
                    if not queued[key]:
                        del queued[key]
                    running_per_host[key] = running_per_host.get(key, 0) + 1
                    task = asyncio.create_task(
                        self.fetch(
                            req.url,
                            etag=req.etag,
                            last_modified=req.last_modified,
                            accept=req.accept,
                            check_robots=req.check_robots,
                        )
                    )
                    running[task] = key
                    mark_ready(key)
                if not running:
                    if exhausted and not n_queued:
                        return
                    continue  # nothing started yet: read more requests
                done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    key = running.pop(task)
                    running_per_host[key] -= 1
                    if not running_per_host[key]:
                        del running_per_host[key]
                    mark_ready(key)
                    yield task.result()
        finally:
            for task in running:
                task.cancel()
            if running:
                await asyncio.gather(*running, return_exceptions=True)

    async def post_form(self, url: str, form: Mapping[str, str]) -> FetchResult:
        """POST a urlencoded form (WebSub subscriptions); same guards, no redirects followed."""
        started = time.monotonic()
        try:
            target = parse_target(url)
            self._check_hold(origin_key(target))
        except FetchError as exc:
            return FetchResult(url=url, final_url=url, status=0, error_code=exc.code, error=exc.message)
        limits = BodyLimits(64 * 1024, 64 * 1024, truncate=True)
        outcome = await self._hop(target, {"Accept": "*/*"}, limits, method="POST", data=dict(form))
        if isinstance(outcome, URL):
            outcome = _fail(
                target, "redirects", f"the server redirected the request to {outcome}; not followed"
            )
        outcome.url = url
        outcome.elapsed = time.monotonic() - started
        return outcome

    # --- one logical request: redirects ---------------------------------------------------
    async def _exchange(self, target: URL, headers: dict[str, str], limits: BodyLimits) -> FetchResult:
        chain = [target]
        while True:
            outcome = await self._hop(chain[-1], headers, limits)
            if not isinstance(outcome, URL):
                outcome.redirects = len(chain) - 1
                return outcome
            path = " → ".join(map(str, [*chain, outcome]))
            if outcome in chain:
                result = _fail(chain[-1], "redirects", f"the server kept redirecting in a loop: {path}")
            elif len(chain) > self.policy.max_redirects:
                result = _fail(
                    chain[-1],
                    "redirects",
                    f"the server redirected more than {self.policy.max_redirects} times: {path}",
                )
            else:
                chain.append(outcome)
                continue
            result.redirects = len(chain) - 1
            return result

    # --- one HTTP exchange ----------------------------------------------------------------
    async def _hop(
        self,
        url: URL,
        headers: dict[str, str],
        limits: BodyLimits,
        *,
        method: str = "GET",
        data: dict[str, str] | None = None,
    ) -> FetchResult | URL:
        p = self.policy
        key = origin_key(url)
        status = 0
        deadline: asyncio.Timeout | None = None
        try:
            if not p.allow_private:
                check_literal_host(url, self._trusted)
            self._check_hold(key)
            async with self._slots.hold(key), self._global:
                self._check_hold(key)  # a sibling may have been told to wait meanwhile
                if not self._keep_alive(key):
                    headers = {**headers, "Connection": "close"}
                async with asyncio.timeout(p.total_timeout) as deadline:
                    resp = await self.session.request(
                        method, url, headers=headers, data=data, allow_redirects=False
                    )
                    try:
                        status = resp.status
                        return await self._handle(url, key, resp, limits)
                    finally:
                        resp.close()  # no-op once the body was read to the end (already pooled)
        except HTTPStatusError as exc:  # a hold: no request was made
            result = _fail(url, exc.code, exc.message)
            result.retry_after = exc.retry_after
            return result
        except FetchError as exc:
            return _fail(url, exc.code, exc.message, status)
        except TimeoutError as exc:
            if deadline is not None and deadline.expired():
                message = (
                    f"the download took longer than {seconds_words(p.total_timeout)} in all "
                    "(the server is sending too slowly) — stopped"
                )
            else:
                message = self._timeout_words(exc, url)
            return _fail(url, "timeout", message, status)
        except (aiohttp.ClientError, OSError) as exc:
            code, message = self._error_words(exc, url)
            return _fail(url, code, message, status)

    async def _handle(
        self, url: URL, key: str, resp: aiohttp.ClientResponse, limits: BodyLimits
    ) -> FetchResult | URL:
        status = resp.status
        headers = lower_headers(resp.headers)
        if status in _REDIRECTS and headers.get("location"):
            try:
                nxt = url.join(URL(headers["location"]))
            except (TypeError, ValueError):
                raise FetchError(
                    f"the server redirected to an invalid address: {headers['location']!r}"
                ) from None
            try:
                return check_scheme(nxt)
            except BlockedURL as exc:
                raise BlockedURL(f"the server redirected to {nxt}: {exc.message}") from None

        def result(**kw: object) -> FetchResult:
            return FetchResult(
                url=str(url),
                final_url=str(url),
                status=status,
                headers=headers,
                etag=headers.get("etag"),
                last_modified=headers.get("last-modified"),
                **kw,  # type: ignore[arg-type]
            )

        if status == 304:
            return result(not_modified=True)
        if 200 <= status < 300:
            declared = resp.content_length
            if declared is not None and declared > limits.max_wire and not limits.truncate:
                return result(
                    error_code="too_large",
                    error=f"the server announced {size_words(declared)}, more than our "
                    f"{size_words(limits.max_wire)} limit — not downloaded",
                )
            try:
                body = await read_body(resp.content, headers.get("content-encoding", ""), limits)
            except FetchError as exc:
                return result(error_code=exc.code, error=exc.message)
            return result(body=body)
        retry_after = None
        if status in (429, 503):
            retry_after = parse_retry_after(headers.get("retry-after"), datetime.now(UTC))
            if retry_after:
                self._hold(key, retry_after)
        return result(
            retry_after=retry_after,
            error_code="gone" if status in (404, 410) else "http_status",
            error=status_message(status, retry_after),
        )

    # --- manners ----------------------------------------------------------------------------
    def _hold(self, key: str, seconds: float) -> None:
        seconds = min(seconds, MAX_HOLD_S)
        until = datetime.now(UTC) + timedelta(seconds=seconds)
        now = time.monotonic()
        if len(self._holds) >= _HOLDS_SWEEP_AT:  # holds of hosts never asked again would pile up
            self._holds = {k: v for k, v in self._holds.items() if v[0] > now}
        self._holds[key] = (now + seconds, until)

    def _check_hold(self, key: str) -> None:
        held = self._holds.get(key)
        if held is None:
            return
        deadline, until = held
        left = deadline - time.monotonic()
        if left <= 0:
            del self._holds[key]
            return
        when = f"{until:%H:%M}" if until.date() == datetime.now(UTC).date() else f"{until:%Y-%m-%d %H:%M}"
        raise HTTPStatusError(f"the site asked us to wait until {when} UTC", status=0, retry_after=left)

    def _keep_alive(self, key: str) -> bool:
        """Whether this request may leave its connection idle in the pool afterwards.

        aiohttp does not bound idle connections, so with thousands of origins we allow them
        to at most ``keepalive_hosts`` origins (plus any that have more requests queued).
        """
        now = time.monotonic()
        kept = self._kept
        while kept and next(iter(kept.values())) < now - _KEEPALIVE_S:
            kept.popitem(last=False)
        if key in kept or len(kept) < self.policy.keepalive_hosts or self._slots.users(key) > 1:
            kept[key] = now
            kept.move_to_end(key)
            return True
        return False

    async def _check_robots(self, target: URL) -> None:
        key = f"{target.scheme}://{origin_key(target)}"
        verdict: RobotsRules | str | FetchError | None = None
        cached = self._robots.get(key)
        if cached is not None and cached[0] > time.monotonic():
            self._robots.move_to_end(key)
            verdict = cached[1]
        else:
            task = self._robots_loading.get(key)
            if task is None:
                task = asyncio.create_task(self._load_robots(target, key))
                self._robots_loading[key] = task
                task.add_done_callback(lambda _t: self._robots_loading.pop(key, None))
            verdict = await asyncio.shield(task)
        if isinstance(verdict, FetchError):
            raise verdict
        if isinstance(verdict, str):
            raise RobotsDisallowed(verdict)
        if not verdict.allowed(target.raw_path_qs):
            raise RobotsDisallowed("the site's robots.txt forbids fetching this page")

    async def _load_robots(self, target: URL, key: str) -> RobotsRules | str | FetchError:
        p = self.policy
        url = target.origin().with_path("/robots.txt")
        limits = BodyLimits(p.robots_max, p.robots_max, truncate=True)
        result = await self._exchange(url, {"Accept": _ROBOTS_ACCEPT}, limits)
        ttl = p.robots_ttl
        verdict: RobotsRules | str
        if result.ok:
            verdict = RobotsRules.parse((result.body or b"").decode("utf-8", "replace"), p.robots_token)
        elif result.error_code in ("connect", "blocked_url"):
            return (
                ConnectFailed(result.error or "")
                if result.error_code == "connect"
                else BlockedURL(result.error or "")
            )
        elif result.status == 0 and result.error_code == "http_status":  # held by Retry-After
            return HTTPStatusError(result.error or "", status=0, retry_after=result.retry_after)
        elif result.error_code in ("gone", "redirects") or (
            400 <= result.status < 500 and result.status != 429
        ):
            verdict = RobotsRules.allow_all()  # RFC 9309: robots.txt "unavailable" → no limits
        else:
            verdict = (
                f"could not read the site's robots.txt ({result.error}), so we leave its pages alone for now"
            )
            ttl = min(ttl, _ROBOTS_RETRY_S)
        self._robots[key] = (time.monotonic() + ttl, verdict)
        self._robots.move_to_end(key)
        while len(self._robots) > _ROBOTS_CACHE_MAX:
            self._robots.popitem(last=False)
        return verdict

    # --- words ------------------------------------------------------------------------------
    def _timeout_words(self, exc: BaseException, url: URL) -> str:
        if isinstance(exc, aiohttp.ConnectionTimeoutError):
            return f"could not connect to {url.host} within {seconds_words(self.policy.connect_timeout)}"
        return f"no byte arrived for {seconds_words(self.policy.read_timeout)}"

    def _error_words(self, exc: BaseException, url: URL) -> tuple[str, str]:
        host = url.host
        if isinstance(exc, aiohttp.ClientConnectorDNSError):
            return "connect", f"could not find the address of {host} (DNS lookup failed)"
        if isinstance(exc, aiohttp.ClientConnectorCertificateError):
            return "connect", f"the secure connection to {host} failed: its certificate is not valid"
        if isinstance(exc, aiohttp.ClientSSLError):
            return "connect", f"the secure connection to {host} failed ({exc})"
        if isinstance(exc, aiohttp.ClientConnectorError):
            err = exc.os_error
            reason = os.strerror(err.errno) if err.errno else (err.strerror or str(err) or "network error")
            return "connect", f"could not connect to {host}:{url.port} ({reason.lower()})"
        if isinstance(exc, aiohttp.ServerDisconnectedError):
            return "connect", "the server closed the connection before the response was complete"
        if isinstance(exc, aiohttp.InvalidURL):
            return "blocked_url", f"this is not a valid web address: {exc}"
        if isinstance(exc, aiohttp.ClientPayloadError):
            return "fetch", "the response was cut off or malformed"
        if isinstance(exc, aiohttp.ClientResponseError):
            return "fetch", f"the server sent a malformed response ({exc.message})"
        if isinstance(exc, OSError) and not isinstance(exc, aiohttp.ClientError):
            return "connect", f"network error talking to {host} ({exc.strerror or exc})"
        return "fetch", f"the exchange with {host} failed ({exc.__class__.__name__}: {exc})"
