"""Run svodka's feed parser over feedparser's own test fixtures and score the expectations.

Data: ``<shared>/benchmarks/feedparser_fixtures`` (see its PROVENANCE.md), where ``<shared>`` is
``$SVODKA_SHARED`` or ``<repo>/../shared``. Each fixture carries ``Expect:`` (a Python expression
over feedparser's result), optional ``Header:`` lines (simulated HTTP headers) and ``SkipUnless:``.

The expressions are not run with ``eval``: they are parsed with ``ast`` and interpreted over a
small, explicit translation of svodka's ``ParsedFeed`` into feedparser's vocabulary. An expression
that touches anything outside the translation is *not applicable* (n/a) as a whole; otherwise it
passes or fails. The translation:

=====================================  =============================================================
feedparser                             svodka
=====================================  =============================================================
``bozo``                               ``bool(feed.warnings)``, or True when ``parse_feed`` raised
``encoding``                           the encoding ``svodka.parse._decode.decode_body`` settled on
                                       (labels compared after normalising, e.g. latin-1 = cp1252)
``version``                            ``feed.kind`` (``rss091n``/``rss091u`` -> ``rss091``);
                                       feedparser's ``rss``/``''``/``cdf`` -> n/a
``feed.title``, ``title_detail.value`` ``feed.title``
``feed.link``                          ``feed.link``
``feed.language``                      ``feed.language``
``entries``                            ``feed.entries`` (``len()`` allowed)
``e.title``, ``title_detail.value``    ``entry.title``
``e.link``                             ``entry.url``
``e.id``, ``e.guid``                   ``entry.guid``
``e.summary``, ``e.description``,      ``entry.summary_html``
``summary_detail.value``
``e.content[0].value``                 ``entry.content_html``
``e.author``, ``author_detail.name``   ``entry.author``
``e.published_parsed``                 ``entry.published`` (year..second compared)
``e.updated_parsed``                   ``entry.updated`` or else ``entry.published``
``e.tags[i].term``, ``e.category``     ``entry.tags[i]``, ``entry.tags[0]``
``e.enclosures[i].href``,              ``entry.image``, applicable only when the expected URL looks
``media_content[i].url``,              like an image (svodka keeps image enclosures only)
``media_thumbnail[i].url``,
``e.image.href``
``*_detail.language``,                 ``entry.language`` or else ``feed.language`` (language is
``content[i].language``                inherited, as in feedparser)
=====================================  =============================================================

Whole fixtures that are n/a: the ``wellformed/cdf`` folder (Microsoft CDF, a format svodka does not
read), fixtures with a ``Content-Language`` header (``parse_feed`` takes only the Content-Type),
and fixtures whose ``SkipUnless`` names a codec Python lacks. ``Expect: 1`` (must not crash)
passes when ``parse_feed`` returns or raises one of svodka's ``ParseError`` subclasses.
Not translated (hence n/a): raw date strings, ``*_detail.type``, ``links``, ``authors``,
contributors, rights, generator, itunes/media extras, ``guidislink``, ``source``, ``textinput``...

Two known, deliberate failures: fixtures whose DOCTYPE declares entities expect a clean parse,
while svodka refuses every such document (``UnsafeXML``).

Run: ``.venv/bin/python benchmarks/feedparser_fixtures.py [--json] [--verbose]``
"""

from __future__ import annotations

import argparse
import ast
import codecs
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from svodka.errors import ParseError
from svodka.parse import parse_feed
from svodka.parse._common import looks_like_image
from svodka.parse._decode import codec_name, decode_body
from svodka.types import ParsedEntry, ParsedFeed

NOW = datetime(2030, 1, 1, tzinfo=UTC)  # fixtures are old; nothing should count as "future"
_META = re.compile(rb"^\s*(Description|Expect|Header|SkipUnless):\s*(.*?)\s*$", re.MULTILINE)
_WIDE_META = re.compile(r"^\s*(Description|Expect|Header|SkipUnless):\s*(.*?)\s*$", re.MULTILINE)


class NotApplicable(Exception):
    """The expression needs something svodka does not produce."""


class _Missing:
    """What a failed look-up yields: compares unequal to everything, and is false."""

    def __bool__(self) -> bool:
        return False

    def __eq__(self, other: object) -> bool:
        return False

    def __hash__(self) -> int:
        return 0

    def __getitem__(self, key: object) -> _Missing:
        return self

    def __len__(self) -> int:
        return 0


MISSING = _Missing()


def shared_dir() -> Path:
    env = os.environ.get("SVODKA_SHARED")
    return Path(env) if env else Path(__file__).resolve().parent.parent.parent / "shared"


# --- the translation ------------------------------------------------------------------------------
class _View:
    """A feedparser-like dict over svodka values; unknown keys are not applicable."""

    def __init__(self, fields: dict[str, Callable[[], Any]], what: str) -> None:
        self._fields = fields
        self._what = what

    def _get(self, key: object) -> Any:
        if not isinstance(key, str) or key not in self._fields:
            raise NotApplicable(f"{self._what}[{key!r}]")
        value = self._fields[key]()
        return MISSING if value is None or value == "" else value

    def __getitem__(self, key: object) -> Any:
        return self._get(key)

    def get(self, key: object, default: Any = None) -> Any:
        value = self._get(key)
        return default if value is MISSING else value


class _Date:
    def __init__(self, dt: datetime) -> None:
        self.dt = dt

    def __eq__(self, other: object) -> bool:
        if isinstance(other, tuple):
            return tuple(self.dt.utctimetuple())[:6] == tuple(other)[:6]
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.dt)


def _image_list(entry: ParsedEntry, key: str) -> Callable[[], Any]:
    def get() -> Any:
        return [_ImageView(entry.image, key)] if entry.image else MISSING

    return get


class _ImageView:
    def __init__(self, url: str | None, key: str) -> None:
        self.url, self.key = url, key

    def __getitem__(self, k: object) -> Any:
        if k not in ("href", "url"):
            raise NotApplicable(f"{self.key}[{k!r}]")
        return self.url


def _entry_view(entry: ParsedEntry, feed: ParsedFeed) -> _View:
    def lang() -> str | None:
        return entry.language or feed.language

    def detail(value: Callable[[], Any]) -> Callable[[], _View]:
        return lambda: _View({"value": value, "language": lang}, "detail")

    fields: dict[str, Callable[[], Any]] = {
        "title": lambda: entry.title,
        "title_detail": detail(lambda: entry.title),
        "link": lambda: entry.url,
        "id": lambda: entry.guid,
        "guid": lambda: entry.guid,
        "summary": lambda: entry.summary_html,
        "description": lambda: entry.summary_html,
        "summary_detail": detail(lambda: entry.summary_html),
        "content": lambda: (
            [_View({"value": lambda: entry.content_html, "language": lang}, "content")]
            if entry.content_html
            else MISSING
        ),
        "author": lambda: entry.author,
        "author_detail": lambda: _View({"name": lambda: entry.author}, "author_detail"),
        "published_parsed": lambda: _Date(entry.published) if entry.published else None,
        "updated_parsed": lambda: (
            _Date(entry.updated or entry.published) if (entry.updated or entry.published) else None
        ),
        "tags": lambda: [_View({"term": (lambda t=t: t)}, "tag") for t in entry.tags] or MISSING,
        "category": lambda: entry.tags[0] if entry.tags else None,
        "enclosures": _image_list(entry, "enclosures"),
        "media_content": _image_list(entry, "media_content"),
        "media_thumbnail": _image_list(entry, "media_thumbnail"),
        "image": lambda: _ImageView(entry.image, "image") if entry.image else None,
    }
    return _View(fields, "entries[i]")


def _feed_view(feed: ParsedFeed) -> _View:
    detail = lambda value: lambda: _View({"value": value}, "title_detail")  # noqa: E731
    return _View(
        {
            "title": lambda: feed.title,
            "title_detail": detail(lambda: feed.title),
            "link": lambda: feed.link,
            "language": lambda: feed.language,
        },
        "feed",
    )


_VERSIONS = {"rss091n": "rss091", "rss091u": "rss091"}


class _Version(str):
    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if other in ("rss", "", "cdf", "atom"):
            raise NotApplicable(f"version {other!r}")
        return str.__eq__(self, _VERSIONS.get(str(other), other))

    __hash__ = str.__hash__


class _Encoding(str):
    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and codec_name(other) == codec_name(str(self))

    __hash__ = str.__hash__


# --- what is translated (checked before evaluating, so it never depends on the data) ---------------
_LEAF = None
_DETAIL = {"value": _LEAF, "language": _LEAF}
_IMAGE = {"href": _LEAF, "url": _LEAF}
_ENTRY: dict[str, Any] = {
    "title": _LEAF,
    "title_detail": _DETAIL,
    "link": _LEAF,
    "id": _LEAF,
    "guid": _LEAF,
    "summary": _LEAF,
    "description": _LEAF,
    "summary_detail": _DETAIL,
    "content": [_DETAIL],
    "author": _LEAF,
    "author_detail": {"name": _LEAF},
    "published_parsed": _LEAF,
    "updated_parsed": _LEAF,
    "tags": [{"term": _LEAF}],
    "category": _LEAF,
    "enclosures": [_IMAGE],
    "media_content": [_IMAGE],
    "media_thumbnail": [_IMAGE],
    "image": _IMAGE,
}
_SCHEMA: dict[str, Any] = {
    "bozo": _LEAF,
    "encoding": _LEAF,
    "version": _LEAF,
    "feed": {"title": _LEAF, "title_detail": {"value": _LEAF}, "link": _LEAF, "language": _LEAF},
    "entries": [_ENTRY],
}
_IMAGE_KEYS = {"enclosures", "media_content", "media_thumbnail", "image"}


def _chain(node: ast.AST) -> tuple[str, list[Any]] | None:
    """``entries[0]['title']`` -> ``("entries", [0, "title"])``; None when not a plain access chain."""
    keys: list[Any] = []
    while True:
        if isinstance(node, ast.Subscript):
            keys.append(node.slice.value if isinstance(node.slice, ast.Constant) else "*")
            node = node.value
        elif isinstance(node, ast.Attribute):
            keys.append(node.attr)
            node = node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            keys.append(node.args[0].value)
            node = node.func.value
        elif isinstance(node, ast.Name):
            return node.id, keys[::-1]
        else:
            return None


def _check_chain(name: str, keys: list[Any]) -> Any:
    if name not in _SCHEMA:
        raise NotApplicable(name)
    schema = _SCHEMA[name]
    for key in keys:
        if isinstance(schema, list) and (isinstance(key, int) or key == "*"):
            schema = schema[0]
        elif isinstance(schema, dict) and key in schema:
            schema = schema[key]
        else:
            raise NotApplicable(f"{name}{keys}")
    if isinstance(schema, dict):  # compared as a whole: more than svodka keeps
        raise NotApplicable(f"{name}{keys} as a whole")
    return schema


def _allowed_call(node: ast.Call) -> bool:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id in ("len", "ord")
    return isinstance(func, ast.Attribute) and func.attr == "get"


def check_translatable(tree: ast.AST) -> None:
    """Raise ``NotApplicable`` unless every name and key the expression uses is translated."""
    inner: set[int] = set()  # nodes that are part of a longer access chain
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript | ast.Attribute):
            inner.add(id(node.value))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            inner.add(id(node.func))
            inner.add(id(node.func.value))
    for node in ast.walk(tree):
        if id(node) in inner:
            continue
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            chains = [_chain(x) for x in sides]
            touches_image = any(c and _IMAGE_KEYS & {k for k in c[1] if isinstance(k, str)} for c in chains)
            for side in sides:
                if (
                    touches_image
                    and isinstance(side, ast.Constant)
                    and isinstance(side.value, str)
                    and not looks_like_image(side.value, None)
                ):
                    raise NotApplicable("a non-image enclosure (svodka keeps images only)")
        if isinstance(node, ast.Name | ast.Subscript | ast.Attribute | ast.Call):
            chain = _chain(node)
            if chain is not None:
                _check_chain(*chain)
            elif isinstance(node, ast.Call) and not _allowed_call(node):
                raise NotApplicable(ast.unparse(node.func))


# --- the interpreter ------------------------------------------------------------------------------
_CMP = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}


def _ev(node: ast.AST, env: dict[str, Any]) -> Any:
    if isinstance(node, ast.Expression):
        return _ev(node.body, env)
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Tuple | ast.List):
        return tuple(_ev(e, env) for e in node.elts)
    if isinstance(node, ast.Dict):
        return {_ev(k, env): _ev(v, env) for k, v in zip(node.keys, node.values, strict=True) if k}
    if isinstance(node, ast.Name):
        if node.id not in env:
            raise NotApplicable(node.id)
        return env[node.id]
    if isinstance(node, ast.BoolOp):
        # Every operand is evaluated (no short-circuit), so an untranslatable part always shows.
        values = [_ev(v, env) for v in node.values]
        if isinstance(node.op, ast.And):
            return all(values)
        return any(values)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return not _ev(node.operand, env)
    if isinstance(node, ast.Compare):
        left = _ev(node.left, env)
        ok = True
        for op, comp in zip(node.ops, node.comparators, strict=True):
            right = _ev(comp, env)
            fn = _CMP.get(type(op))
            if fn is None:
                raise NotApplicable(type(op).__name__)
            try:
                ok = ok and bool(fn(left, right))
            except TypeError:
                ok = False
            left = right
        return ok
    if isinstance(node, ast.Subscript | ast.Attribute):
        target = _ev(node.value, env)
        key = _ev(node.slice, env) if isinstance(node, ast.Subscript) else node.attr
        if target is MISSING:
            return MISSING
        try:
            return target[key]
        except (KeyError, IndexError, TypeError):
            return MISSING
    if isinstance(node, ast.Call):
        func = node.func
        args = [_ev(a, env) for a in node.args]
        if isinstance(func, ast.Name) and func.id in ("len", "ord"):
            try:
                return len(args[0]) if func.id == "len" else ord(args[0])
            except TypeError:
                return MISSING
        if isinstance(func, ast.Attribute) and func.attr == "get":
            target = _ev(func.value, env)
            if target is MISSING:
                return MISSING
            if isinstance(target, _View):
                return target.get(*args)
        raise NotApplicable(ast.unparse(func))
    raise NotApplicable(type(node).__name__)


# --- one fixture ----------------------------------------------------------------------------------
@dataclass
class Outcome:
    path: str
    folder: str
    result: str  # "pass", "fail", "n/a"
    why: str = ""


def _meta(raw: bytes) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    matches = [(k.decode(), v.decode("utf-8", "replace")) for k, v in _META.findall(raw[:4096])]
    if not matches:
        for enc in ("utf-16", "utf-32"):
            try:
                text = raw.decode(enc)
            except UnicodeDecodeError:
                continue
            matches = _WIDE_META.findall(text[:4096])
            if matches:
                break
    for key, value in matches:
        found.setdefault(key, []).append(value)
    return found


def _skip_unless(conditions: list[str]) -> str | None:
    for cond in conditions:
        for codec in re.findall(r"lookup\('([^']+)'\)", cond):
            try:
                codecs.lookup(codec)
            except LookupError:
                return f"codec {codec} missing"
    return None


def run_one(path: Path, base: Path) -> Outcome:
    rel = path.relative_to(base).as_posix()
    folder = rel.split("/", 1)[0]
    raw = path.read_bytes()
    meta = _meta(raw)
    expect = (meta.get("Expect") or [""])[0]
    if rel.startswith("wellformed/cdf/"):
        return Outcome(rel, folder, "n/a", "CDF")
    headers = dict(h.split(":", 1) for h in meta.get("Header", []) if ":" in h)
    headers = {k.strip().lower(): v.strip() for k, v in headers.items()}
    if "content-language" in headers:
        return Outcome(rel, folder, "n/a", "Content-Language header")
    skip = _skip_unless(meta.get("SkipUnless", []))
    if skip:
        return Outcome(rel, folder, "n/a", skip)
    if not expect:
        return Outcome(rel, folder, "n/a", "no Expect line")
    content_type = headers.get("content-type")
    url = headers.get("content-location", f"http://127.0.0.1:8097/tests/{rel}")
    error: str | None = None
    try:
        feed = parse_feed(raw, url=url, content_type=content_type, now=NOW)
    except ParseError as exc:
        feed, error = ParsedFeed(kind=""), f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # a crash is a failure, whatever the expectation
        return Outcome(rel, folder, "fail", f"crash {exc!r}")
    env = {
        "bozo": bool(feed.warnings) or error is not None,
        "encoding": _Encoding(decode_body(raw, content_type).encoding),
        "version": _Version(feed.kind),
        "feed": _feed_view(feed),
        "entries": [_entry_view(e, feed) for e in feed.entries],
    }
    try:
        tree = ast.parse(expect, mode="eval")
        check_translatable(tree)
        ok = bool(_ev(tree, env))
    except NotApplicable as exc:
        return Outcome(rel, folder, "n/a", f"untranslated: {exc}")
    except SyntaxError:
        return Outcome(rel, folder, "n/a", "unreadable Expect")
    why = "" if ok else f"{expect}  -> {error or feed.warnings or 'clean parse'}"
    return Outcome(rel, folder, "pass" if ok else "fail", why)


def main() -> None:
    ap = argparse.ArgumentParser(description="svodka's parser against feedparser's fixtures")
    ap.add_argument("--json", action="store_true", help="print a JSON summary as the last line")
    ap.add_argument("--verbose", action="store_true", help="list every failure")
    args = ap.parse_args()
    base = shared_dir() / "benchmarks" / "feedparser_fixtures"
    if not base.is_dir():
        sys.exit(f"fixtures not found at {base} (set SVODKA_SHARED)")
    outcomes = [run_one(p, base) for p in sorted(base.rglob("*.xml"))]
    table: dict[str, Counter[str]] = {}
    for o in outcomes:
        table.setdefault(o.folder, Counter())[o.result] += 1
    total: Counter[str] = Counter()
    print(f"{'folder':12s} {'pass':>6s} {'fail':>6s} {'n/a':>6s} {'pass rate':>10s}")
    summary: dict[str, dict[str, Any]] = {}
    for folder in ("wellformed", "illformed", "encoding"):
        c = table.get(folder, Counter())
        total.update(c)
        applicable = c["pass"] + c["fail"]
        rate = c["pass"] / applicable if applicable else 0.0
        summary[folder] = {"pass": c["pass"], "fail": c["fail"], "na": c["n/a"], "pass_rate": round(rate, 4)}
        print(f"{folder:12s} {c['pass']:6d} {c['fail']:6d} {c['n/a']:6d} {rate:10.1%}")
    applicable = total["pass"] + total["fail"]
    rate = total["pass"] / applicable if applicable else 0.0
    print(f"{'total':12s} {total['pass']:6d} {total['fail']:6d} {total['n/a']:6d} {rate:10.1%}")
    summary["total"] = {
        "pass": total["pass"],
        "fail": total["fail"],
        "na": total["n/a"],
        "pass_rate": round(rate, 4),
    }
    if args.verbose:
        for o in outcomes:
            if o.result == "fail":
                print(f"FAIL {o.path}: {o.why}")
    if args.json:
        print(json.dumps(summary))


if __name__ == "__main__":
    main()
