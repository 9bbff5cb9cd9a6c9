"""WebSub (W3C) subscriber helpers: build the subscription, check the hub's intent, check signatures."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import UTC, datetime

import aiohttp

from svodka.types import FetchResult

from .fetcher import Fetcher

_ALGORITHMS = {
    "sha1": hashlib.sha1,
    "sha256": hashlib.sha256,
    "sha384": hashlib.sha384,
    "sha512": hashlib.sha512,
}
_MAX_SECRET_BYTES = 199  # the spec: "MUST be less than 200 bytes"


def subscribe_request(
    hub: str,
    topic: str,
    callback: str,
    secret: str | None = None,
    lease_seconds: int | None = None,
    *,
    mode: str = "subscribe",
) -> tuple[str, dict[str, str]]:
    """The hub URL and the form to POST to it (``mode`` "subscribe" or "unsubscribe")."""
    if mode not in ("subscribe", "unsubscribe"):
        raise ValueError(f"mode must be 'subscribe' or 'unsubscribe', not {mode!r}")
    form = {"hub.mode": mode, "hub.topic": topic, "hub.callback": callback}
    if lease_seconds is not None and mode == "subscribe":
        if lease_seconds <= 0:
            raise ValueError("lease_seconds must be positive")
        form["hub.lease_seconds"] = str(int(lease_seconds))
    if secret:
        if len(secret.encode()) > _MAX_SECRET_BYTES:
            raise ValueError("a WebSub secret must be shorter than 200 bytes")
        form["hub.secret"] = secret
    return hub, form


async def subscribe(
    client: Fetcher | aiohttp.ClientSession,
    hub: str,
    topic: str,
    callback: str,
    secret: str | None = None,
    lease_seconds: int | None = None,
    *,
    mode: str = "subscribe",
    timeout: float = 30.0,
) -> FetchResult:
    """POST the (un)subscription to the hub; ok when it answers 2xx (normally 202 Accepted).

    With a ``Fetcher`` the request goes through its guards (SSRF, per-host limits, timeouts).
    Verification arrives later, as a GET to ``callback`` (see ``verify_intent``).
    """
    url, form = subscribe_request(hub, topic, callback, secret, lease_seconds, mode=mode)
    if isinstance(client, Fetcher):
        return await client.post_form(url, form)

    started = datetime.now(UTC)
    try:
        async with client.post(
            url, data=form, allow_redirects=False, timeout=aiohttp.ClientTimeout(total=timeout)
        ) as resp:
            text = (await resp.content.read(64 * 1024)).decode("utf-8", "replace").strip()
            ok = 200 <= resp.status < 300
            return FetchResult(
                url=url,
                final_url=url,
                status=resp.status,
                headers={k.lower(): v for k, v in resp.headers.items()},
                error_code=None if ok else "http_status",
                error=None if ok else f"the hub refused the subscription ({resp.status}: {text[:200]})",
                elapsed=(datetime.now(UTC) - started).total_seconds(),
            )
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        return FetchResult(
            url=url,
            final_url=url,
            status=0,
            error_code="timeout" if isinstance(exc, TimeoutError) else "connect",
            error=f"could not reach the hub ({exc.__class__.__name__}: {exc})",
        )


def verify_intent(
    query: Mapping[str, str], expected_topic: str, *, expected_mode: str | None = None
) -> str | None:
    """The ``hub.challenge`` to echo back when the hub's verification GET is one we asked for, else None."""
    mode = query.get("hub.mode", "")
    if mode not in ("subscribe", "unsubscribe"):
        return None  # "denied" or garbage: nothing to confirm
    if expected_mode is not None and mode != expected_mode:
        return None
    if query.get("hub.topic") != expected_topic:
        return None
    challenge = query.get("hub.challenge")
    if not challenge:
        return None
    if mode == "subscribe" and "hub.lease_seconds" in query:
        lease = query["hub.lease_seconds"]
        if not lease.isdigit():
            return None
    return challenge


def verify_signature(body: bytes, header: str | None, secret: str) -> bool:
    """Check ``X-Hub-Signature: method=hexdigest`` (sha1/sha256/sha384/sha512) in constant time."""
    if not header or not secret or "=" not in header:
        return False
    method, _, signature = header.strip().partition("=")
    digest = _ALGORITHMS.get(method.strip().lower())
    if digest is None:
        return False
    expected = hmac.new(secret.encode(), body, digest).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.strip().lower().encode("utf-8", "replace"))
