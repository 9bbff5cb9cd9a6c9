"""Turn the bytes of a web page into text, honouring what the server and page declare."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([\w:.\-]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"""<meta\b[^>]{0,512}?\bcharset\s*=\s*["']?\s*([\w:.\-]+)""", re.IGNORECASE | re.DOTALL
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([\w:.\-]+)""", re.IGNORECASE)
_PRESCAN_BYTES = 16_384  # declarations usually sit in the first KB; some pages put them late
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Labels browsers treat as another encoding (WHATWG Encoding Standard).
_ALIASES = {
    "iso8859_1": "cp1252",
    "ascii": "cp1252",
    "iso8859_9": "cp1254",
    "tis_620": "cp874",
    "iso8859_11": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "big5": "big5hkscs",
}


def _normalise(label: str | bytes | None) -> str | None:
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    try:
        info = codecs.lookup(label.strip().lower())
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):  # base64, rot13, zlib ...
        return None
    name = info.name.replace("-", "_")
    if name.startswith("utf_16") or name.startswith("utf_32"):
        # A UTF-16 label in an ASCII-compatible document is a lie (it would have a BOM).
        return "utf_8"
    if name in ("utf_7", "undefined"):
        return None  # UTF-7 can smuggle markup past filters
    return _ALIASES.get(name, name)


def declared_charset(head: bytes, content_type: str | None = None) -> str | None:
    """The encoding named by the HTTP header, else by the page itself (meta or XML declaration)."""
    if content_type:
        found = _HEADER_CHARSET.search(content_type)
        if found and (name := _normalise(found.group(1))):
            return name
    head = head[:_PRESCAN_BYTES]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        found = pattern.search(head)
        if found and (name := _normalise(found.group(1))):
            return name
    return None


def decode_html(data: bytes, content_type: str | None = None) -> str:
    """Decode a page. Order: byte-order mark; valid UTF-8 (pages re-saved or mislabelled as
    something else are common, while non-UTF-8 text that happens to be valid UTF-8 is not);
    the declared charset (header, then meta); then detection by charset-normalizer."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data, content_type)
    # Mostly valid UTF-8 with a few broken bytes (a cut or corrupted page): UTF-8 with replacement
    # characters, when the page says UTF-8 and its valid multi-byte characters outnumber the broken
    # ones, or when it says nothing and they outnumber them ten to one. Text in a single-byte
    # charset almost never forms valid multi-byte UTF-8 sequences, and a detector's guess on a
    # short page can be wild (x-mac-cyrillic for Russian UTF-8 with six bad bytes).
    lenient = data.decode("utf-8", "replace")
    bad = lenient.count("\ufffd")
    good = sum(1 for c in lenient if ord(c) > 127) - bad
    if (declared == "utf_8" and good >= bad) or (not declared and good >= max(20, 10 * bad)):
        return lenient
    if declared and declared != "utf_8":
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    guess = from_bytes(data[:200_000]).best()
    if guess is not None and guess.encoding:
        try:
            return data.decode(guess.encoding, "replace")
        except LookupError:
            pass
    return data.decode(declared or "utf-8", "replace")
