"""URL and address checks: which targets we may contact at all (scheme, SSRF guard)."""

from __future__ import annotations

import ipaddress
import socket

from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from svodka.errors import BlockedURL

_SCHEMES = ("http", "https")


def parse_target(url: str) -> URL:
    """Parse ``url`` and refuse anything we would never fetch (raises BlockedURL)."""
    try:
        target = URL(url)
    except (TypeError, ValueError) as exc:
        raise BlockedURL(f"this is not a valid web address: {url!r}") from exc
    return check_scheme(target)


def check_scheme(target: URL) -> URL:
    if target.scheme not in _SCHEMES:
        shown = f"{target.scheme}:" if target.scheme else "no scheme"
        raise BlockedURL(f"only http and https addresses can be fetched (this one has {shown})")
    if not target.host:
        raise BlockedURL(f"the address {str(target)!r} names no host")
    return target.with_fragment(None)


def origin_key(target: URL) -> str:
    """The host:port that per-host limits and Retry-After holds apply to."""
    return f"{(target.host or '').lower()}:{target.port}"


def _is_forbidden(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address):
        # IPv4 wrapped in IPv6 must be judged as the IPv4 address it carries.
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is not None and _is_forbidden(inner):
            return True
    return (
        not ip.is_global
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def _literal_ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None


def forbidden_address(address: str) -> bool:
    """True when ``address`` (an IP literal) is loopback, private, link-local, multicast or reserved."""
    ip = _literal_ip(address)
    return ip is not None and _is_forbidden(ip)


def check_literal_host(target: URL, trusted: frozenset[str]) -> None:
    """Refuse a URL whose host is itself a private IP literal (no DNS involved)."""
    host = (target.host or "").lower()
    if host in trusted:
        return
    if forbidden_address(host):
        raise BlockedURL(f"{host} is a private or local network address; fetching it is not allowed here")


class GuardedResolver(AbstractResolver):
    """Resolve names, then refuse private addresses.

    Checking inside the resolver (rather than resolving once more beforehand) means the
    address we judged is the address we connect to: no DNS-rebinding window.
    """

    def __init__(self, inner: AbstractResolver, trusted: frozenset[str]) -> None:
        self._inner = inner
        self._trusted = trusted

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        addrs = await self._inner.resolve(host, port, family)
        if host.lower().rstrip(".") in self._trusted:
            return addrs
        for addr in addrs:
            if forbidden_address(addr["host"]):
                raise BlockedURL(
                    f"{host} points to {addr['host']}, a private or local network address; "
                    "fetching it is not allowed here"
                )
        return addrs

    async def close(self) -> None:
        await self._inner.close()
