"""One exception tree for the whole core.

Every error carries a stable machine ``code`` (used in storage, the API and tests) and a
message in plain words (shown on a feed's status page), so a failure is always explained.
"""

from __future__ import annotations


class SvodkaError(Exception):
    """Base of every error svodka raises on purpose."""

    code: str = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.code


# --- fetching ---------------------------------------------------------------------------
class FetchError(SvodkaError):
    """The HTTP exchange did not give us a usable body."""

    code = "fetch"


class ConnectFailed(FetchError):
    code = "connect"


class FetchTimeout(FetchError):
    code = "timeout"


class TooLarge(FetchError):
    """Body (raw or decompressed) exceeded the configured cap."""

    code = "too_large"


class TooManyRedirects(FetchError):
    code = "redirects"


class HTTPStatusError(FetchError):
    code = "http_status"

    def __init__(self, message: str, *, status: int, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class Gone(HTTPStatusError):
    """404 / 410: the feed or page is not there (any more)."""

    code = "gone"


class RobotsDisallowed(FetchError):
    code = "robots"


class BlockedURL(FetchError):
    """URL refused before any request: bad scheme, or private address where not allowed (SSRF)."""

    code = "blocked_url"


# --- parsing ----------------------------------------------------------------------------
class ParseError(SvodkaError):
    code = "parse"


class NotAFeed(ParseError):
    """The body is not a feed at all (e.g. an HTML error page served with 200)."""

    code = "not_a_feed"


class UnsafeXML(ParseError):
    """The document uses DTD entities / external entities; refused without expanding them."""

    code = "unsafe_xml"


class MalformedFeed(ParseError):
    code = "malformed"


# --- extraction -------------------------------------------------------------------------
class ExtractError(SvodkaError):
    code = "extract"
