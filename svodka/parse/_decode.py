"""Turn the raw bytes of a feed into text, whatever (or however wrongly) its encoding is declared.

Order of evidence: a byte-order mark; the UTF-16/32 byte pattern of ``<?``; the HTTP charset; the
XML declaration; then UTF-8. When the declared encoding cannot decode the bytes (a feed that says
UTF-8 but is windows-1251, say), the bytes are guessed and a warning says so in plain words.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# How "<" (and "<?") look in the wide encodings when no BOM is present.
_WIDE_PATTERNS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)
_XML_DECL_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']\s*([A-Za-z0-9._:\-]+)\s*["']""")
_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.IGNORECASE)
_CYRILLIC_GUESSES = ("windows-1251", "koi8-r")
_CYRILLIC_FAMILY = {
    "cp1251",
    "koi8_r",
    "koi8_u",
    "mac_cyrillic",
    "iso8859_5",
    "cp866",
    "kz1048",
    "cp855",
    "cp1125",
}
# Guesses that short Russian text in a single-byte code page is often mistaken for.
_LATIN_FAMILY = {
    "cp1252", "cp1250", "cp1254", "cp1257", "latin_1", "iso8859_2", "iso8859_4", "iso8859_9",
    "iso8859_10", "iso8859_13", "iso8859_15", "iso8859_16", "mac_roman", "mac_latin2", "cp437", "cp850",
}  # fmt: skip


_C1 = re.compile("[\x80-\x9f]")
# the same characters in UTF-8 bytes: C2 80..C2 9F. Searched on the bytes, the literal first byte lets
# the regex engine skip ahead; the class over the decoded text cost 7 % of parsing a Russian feed.
_C1_UTF8 = re.compile(b"\xc2[\x80-\x9f]")


def _demoronize(text: str) -> str:
    """C1 control characters are, in practice, windows-1252 punctuation mis-labelled (’ “ ” — …)."""
    return _C1.sub(lambda m: bytes([ord(m.group(0))]).decode("cp1252", errors="ignore"), text)


@dataclass(slots=True)
class Decoded:
    text: str
    encoding: str  # a Python codec name, e.g. "utf-8", "cp1251", "koi8_r"
    # The same text as UTF-8 bytes (without BOM), ready for an XML parser told to read UTF-8.
    utf8: bytes
    warnings: list[str] = field(default_factory=list)
    # True when ``utf8`` is the body as sent and its XML declaration (if any) already says UTF-8,
    # so an XML parser may read it as is.
    as_sent: bool = False


def codec_name(label: str | None) -> str | None:
    """Python's canonical codec name for an encoding label, or None if unknown."""
    if not label:
        return None
    label = label.strip().lower()
    if label in ("utf8", "utf-8"):
        return "utf-8"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in ("gb2312", "gbk"):  # GB18030 is a superset; servers often say the smaller one
        return "gb18030"
    # Latin-1 and ASCII labels are, in practice, windows-1252 (as browsers treat them).
    if name in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252" if name != "ascii" else "ascii"
    return name


def _declares_utf8_or_nothing(body: bytes) -> bool:
    m = _XML_DECL_ENCODING.match(body[:512])
    return m is None or codec_name(m.group(1).decode("ascii")) == "utf-8"


def _is_utf8(name: str | None) -> bool:
    return name in (None, "utf-8", "utf-8-sig")


def _declared(body: bytes, content_type: str | None) -> tuple[list[str], list[str]]:
    """Declared encodings (HTTP first, then the XML declaration) and warnings about unknown labels."""
    labels: list[tuple[str, str]] = []
    if content_type:
        m = _CHARSET.search(content_type)
        if m:
            labels.append(("the server", m.group(1)))
    m = _XML_DECL_ENCODING.match(body[:512])
    if m:
        labels.append(("the feed", m.group(1).decode("ascii")))
    names: list[str] = []
    warnings: list[str] = []
    for who, label in labels:
        name = codec_name(label)
        if name is None:
            warnings.append(f"{who} declared an unknown character encoding {label!r}; it was ignored")
        elif name not in names:
            names.append(name)
    return names, warnings


def _cyrillic_score(text: str) -> float:
    """Share of Cyrillic letters that are lower-case: high for real text, low for KOI8/1251 mix-ups."""
    lower = upper = 0
    for ch in text:
        if "а" <= ch <= "я" or ch == "ё":
            lower += 1
        elif "А" <= ch <= "Я" or ch == "Ё":
            upper += 1
    total = lower + upper
    return lower / total if total else 0.0


def _mostly_non_ascii_letters(body: bytes) -> bool:
    """True when most letters are outside ASCII, as in Russian text (not in French or German)."""
    sample = body[:200_000]
    high = sum(1 for b in sample if b >= 0xC0)
    ascii_letters = sum(1 for b in sample if 0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A)
    return high > 0.3 * (high + ascii_letters)


def _guess(body: bytes) -> str:
    """Best guess for bytes that are not UTF-8."""
    from charset_normalizer import from_bytes

    best = from_bytes(body[:200_000]).best()
    name = codec_name(best.encoding) if best is not None else None
    if (
        name is None
        or name in _CYRILLIC_FAMILY
        or (name in _LATIN_FAMILY and _mostly_non_ascii_letters(body))
    ):
        # Russian text: pick whichever of the two usual code pages yields mostly lower-case letters.
        scored = []
        for cand in _CYRILLIC_GUESSES:
            text = body[:200_000].decode(cand, errors="replace")
            scored.append((_cyrillic_score(text), cand))
        score, cand = max(scored)
        if score > 0.5 or name is None:
            return codec_name(cand) or cand
    return name or "cp1252"


def _nice(name: str) -> str:
    """A codec name as people write it: ``cp1251`` -> ``windows-1251``, ``koi8_r`` -> ``KOI8-R``."""
    if name.startswith("cp") and name[2:].isdigit() and len(name) == 6:
        return f"windows-{name[2:]}"
    return name.replace("_", "-").upper()


def decode_body(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode ``body``; never raises for bad bytes (they become U+FFFD with a warning)."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return _finish(body[len(bom) :], name, [], strict_ok=True)
    for pattern, name in _WIDE_PATTERNS:
        if body.startswith(pattern):
            return _finish(body, name, [], strict_ok=True)

    declared, warnings = _declared(body, content_type)
    primary = declared[0] if declared else None
    if _is_utf8(primary) or body.isascii():
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            mostly = _mostly_utf8(body)
            if mostly is not None:
                warnings.append(mostly[1])
                return Decoded(mostly[0], "utf-8", mostly[0].encode("utf-8"), warnings)
        else:
            # Pure ASCII is valid in any declared encoding we could meet; report the declared one.
            name = primary if (primary and body.isascii()) else "utf-8"
            if _C1_UTF8.search(body):
                text = _demoronize(text)
                return Decoded(text, name, text.encode("utf-8"), warnings)
            return Decoded(text, name, body, warnings, _declares_utf8_or_nothing(body))
    else:
        # A single-byte declaration over bytes that are valid, non-ASCII UTF-8 is almost always wrong.
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is not None and _single_byte(primary):
            warnings.append(
                f"the feed said its text was in {_nice(primary)}, but the bytes are UTF-8; read as UTF-8"
            )
            return Decoded(text, "utf-8", body, warnings)
        for name in declared:
            try:
                text = body.decode(name)
            except (UnicodeDecodeError, LookupError):
                continue
            if name != primary:
                warnings.append(
                    f"the encoding the server declared ({_nice(primary)}) does not fit the bytes; "
                    f"used the feed's own declaration ({_nice(name)})"
                )
            return Decoded(text, name, text.encode("utf-8"), warnings)

    if not _is_utf8(primary) or primary is None:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            warnings.append(f"the feed said its text was in {_nice(primary)}, but it is UTF-8; read as UTF-8")
            return Decoded(text, "utf-8", body, warnings)

    name = _guess(body)
    if primary is None:
        warnings.append(f"the feed did not say its character encoding; guessed {_nice(name)}")
    else:
        warnings.append(
            f"the feed said its text was in {_nice(primary)}, but the bytes are not; guessed {_nice(name)}"
        )
    return _finish(body, name, warnings, strict_ok=False)


def _mostly_utf8(body: bytes) -> tuple[str, str] | None:
    """(text, warning) for UTF-8 with a few broken bytes (a body cut in the middle of a
    character, a stray byte) — read as UTF-8 with U+FFFD there, not re-guessed as a single-byte
    encoding, which would turn every other character into mojibake. None when the bytes are
    not UTF-8 at all (text in another encoding breaks at nearly every non-ASCII byte)."""
    text = body.decode("utf-8", "replace")
    bad = text.count("\ufffd") - body.count("\ufffd".encode())
    good = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    if bad <= 0 or bad > 3 or good < 20 * bad:
        return None
    cut = text.endswith("\ufffd") and not body.endswith("\ufffd".encode())
    why = "the body ends in the middle of a character" if cut and bad == 1 else f"{bad} bytes are not UTF-8"
    return text.rstrip("\ufffd") if cut and bad == 1 else text, f"{why}; read as UTF-8, the broken bytes dropped"


def _single_byte(name: str) -> bool:
    try:
        return len(b"\xe9".decode(name)) == 1 and len("é".encode(name, errors="replace")) == 1
    except (UnicodeDecodeError, LookupError):
        return False


def _finish(raw: bytes, name: str, warnings: list[str], *, strict_ok: bool) -> Decoded:
    try:
        text = raw.decode(name)
    except UnicodeDecodeError:
        text = raw.decode(name, errors="replace")
        if strict_ok:
            warnings.append(f"some bytes are not valid {_nice(name)}; they were replaced")
        return Decoded(text, name, text.encode("utf-8", errors="surrogatepass"), warnings)
    if name == "utf-8":
        return Decoded(text, name, raw, warnings)
    return Decoded(text, name, text.encode("utf-8", errors="surrogatepass"), warnings)
