"""What a :class:`~svodka.fetch.Fetcher` is allowed to do: limits, timeouts, manners."""

from __future__ import annotations

from dataclasses import dataclass

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, text/html;q=0.5, */*;q=0.1"
)
MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """Limits for one :class:`~svodka.fetch.Fetcher`. All durations are seconds."""

    user_agent: str = "svodka/0.1 (+https://github.com/svodka/svodka; news aggregator)"
    robots_token: str = "svodka"  # the product token matched against robots.txt groups
    connect_timeout: float = 10.0  # DNS + TCP (+ TLS) handshake
    read_timeout: float = 20.0  # longest silence allowed between two received bytes
    total_timeout: float = 60.0  # whole exchange per hop: cuts off servers that trickle bytes
    max_body: int = 10 * MiB  # bytes on the wire
    max_decompressed: int = 32 * MiB  # gzip/deflate inflated size (compression bombs)
    max_redirects: int = 5
    per_host: int = 2  # concurrent requests per origin host:port
    total: int = 100  # concurrent requests overall
    robots_ttl: float = 3600.0
    robots_max: int = 512 * 1024  # robots.txt beyond this is ignored (RFC 9309 asks for ≥ 500 KiB)
    allow_private: bool = True  # False: refuse loopback/private/link-local/... targets (SSRF guard)
    trusted_hosts: frozenset[str] = frozenset()  # host names/IPs exempt from the SSRF guard
    accept: str = FEED_ACCEPT
    keepalive_hosts: int = 256  # at most this many origins keep idle keep-alive connections

    def __post_init__(self) -> None:
        if self.per_host < 1 or self.total < 1:
            raise ValueError("per_host and total must be at least 1")
        if min(self.connect_timeout, self.read_timeout, self.total_timeout) <= 0:
            raise ValueError("timeouts must be positive")


@dataclass(frozen=True, slots=True)
class FetchRequest:
    """One GET for :meth:`~svodka.fetch.Fetcher.fetch_many` (same meaning as ``fetch``'s arguments)."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    accept: str | None = None
    check_robots: bool = False
