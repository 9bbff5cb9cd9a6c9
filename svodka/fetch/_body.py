"""Read a response body with hard caps on wire bytes and on inflated bytes.

We advertise only gzip and deflate and inflate them ourselves with zlib, asking zlib for
at most "room left + 1" bytes per call: a compression bomb is stopped after at most
``max_decompressed`` bytes of memory, however small its compressed chunks are.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from aiohttp import StreamReader

from svodka.errors import FetchError, TooLarge

ACCEPT_ENCODING = "gzip, deflate"
_CHUNK = 64 * 1024


def size_words(n: int) -> str:
    """1536 → '1.5 KiB', 10485760 → '10 MiB' (binary units, as our limits are set)."""
    value = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            if unit == "bytes":
                return f"{n} bytes"
            return f"{value:.1f}".rstrip("0").rstrip(".") + f" {unit}"
        value /= 1024
    raise AssertionError("unreachable")


class _Inflater:
    def __init__(self, encoding: str) -> None:
        self._gzip = encoding in ("gzip", "x-gzip")
        self._d: zlib._Decompress | None = zlib.decompressobj(31) if self._gzip else None
        self._head = b""  # deflate: first bytes, until we know zlib-wrapped or raw

    def _start_deflate(self, data: bytes) -> bytes:
        # "deflate" is meant to be zlib-wrapped (RFC 9110) but some servers send raw deflate.
        self._head += data
        if len(self._head) < 2:
            return b""
        b0, b1 = self._head[0], self._head[1]
        wrapped = (b0 & 0x0F) == 8 and (b0 << 8 | b1) % 31 == 0
        self._d = zlib.decompressobj(15 if wrapped else -15)
        data, self._head = self._head, b""
        return data

    def feed(self, data: bytes, room: int) -> list[bytes]:
        """Inflate ``data``; raise _Overflow once more than ``room`` bytes would come out."""
        if self._d is None:
            data = self._start_deflate(data)
        out: list[bytes] = []
        size = 0
        while data and self._d is not None:
            chunk = self._d.decompress(data, room - size + 1)
            size += len(chunk)
            out.append(chunk)
            if size > room:
                raise _Overflow(out)
            if self._d.eof:
                rest = self._d.unused_data
                if self._gzip and rest.strip(b"\0"):  # another gzip member follows
                    self._d = zlib.decompressobj(31)
                    data = rest
                    continue
                break  # anything after the end of the stream is ignored
            data = self._d.unconsumed_tail
        return out

    def finish(self) -> None:
        if self._head or (self._d is not None and not self._d.eof):
            raise FetchError("the compressed response ended before its end (cut off in transit?)")


class _Overflow(Exception):
    def __init__(self, parts: list[bytes]) -> None:
        self.parts = parts


@dataclass(slots=True)
class BodyLimits:
    max_wire: int
    max_inflated: int
    truncate: bool = False  # robots.txt: keep the first max_inflated bytes instead of failing


async def read_body(content: StreamReader, encoding: str, limits: BodyLimits) -> bytes:
    """Stream the body; raise TooLarge / FetchError with plain-words messages."""
    encoding = encoding.strip().lower()
    inflater = _Inflater(encoding) if encoding in ("gzip", "x-gzip", "deflate") else None
    if inflater is None and encoding not in ("", "identity"):
        raise FetchError(f"the server compressed the response as {encoding!r}, which we did not ask for")
    parts: list[bytes] = []
    wire = 0
    size = 0
    try:
        async for chunk in content.iter_chunked(_CHUNK):
            wire += len(chunk)
            if wire > limits.max_wire:
                if limits.truncate:
                    break
                raise TooLarge(f"the response grew past {size_words(limits.max_wire)} — stopped reading")
            if inflater is None:
                parts.append(chunk)
                size += len(chunk)
                if size > limits.max_inflated and not limits.truncate:
                    raise TooLarge(
                        f"the response grew past {size_words(limits.max_inflated)} — stopped reading"
                    )
                if size > limits.max_inflated:
                    break
                continue
            try:
                new = inflater.feed(chunk, limits.max_inflated - size)
            except _Overflow as over:
                if limits.truncate:
                    parts.extend(over.parts)
                    break
                raise TooLarge(
                    f"the response grew past {size_words(limits.max_inflated)} when decompressed "
                    "(a compression bomb?) — stopped reading"
                ) from None
            parts.extend(new)
            size += sum(map(len, new))
        else:
            if inflater is not None:
                inflater.finish()
    except zlib.error as exc:
        raise FetchError(
            f"the response said it was {encoding}-compressed but could not be decompressed ({exc})"
        ) from None
    body = b"".join(parts)
    return body[: limits.max_inflated] if limits.truncate else body
