"""Batch interfaces for evaluators: ``svodka analyze FILE.jsonl`` and ``svodka tg MODE DIR``.

No database: the understand stage runs in-process over the input. Output order follows input
order; a bad line still gets an output line, with an ``error`` field.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any

from svodka.understand import Understanding, understand

CATEGORIES = ("society", "economy", "technology", "sports", "entertainment", "science", "other")


def _places_json(u: Understanding) -> list[dict[str, Any]]:
    return [
        {
            "name": p.name,
            "name_ru": p.name_ru,
            "geonameid": p.geonameid,
            "kind": p.kind,
            "country": p.country,
            "confidence": round(p.confidence, 3),
        }
        for p in u.places
    ]


def _parse_time(raw: Any) -> datetime | None:
    if raw in (None, ""):
        return None
    try:
        if isinstance(raw, (int, float)):
            return datetime.fromtimestamp(float(raw), tz=UTC)
        dt = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
        return dt if dt.tzinfo else dt.replace(tzinfo=UTC)
    except (ValueError, OverflowError, OSError):
        return None


def analyze_lines(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """One output object per input line, in input order (``svodka analyze``)."""
    from svodka.understand.dedupe import NearDupIndex

    index = NearDupIndex()
    rows: list[tuple[int, dict[str, Any] | None, str | None]] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            rows.append((n, None, "empty line"))
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            rows.append((n, None, f"not JSON: {exc.msg} at column {exc.colno}"))
            continue
        if not isinstance(obj, dict):
            rows.append((n, None, "each line must be a JSON object"))
            continue
        rows.append((n, obj, None))
    # Near-duplicates hang on the earliest article, so feed the index in publication order
    # (input order where there is no date), then print in input order.
    order = sorted(
        (i for i, (_, obj, err) in enumerate(rows) if obj is not None and err is None),
        key=lambda i: (_parse_time(rows[i][1].get("published")) or datetime.max.replace(tzinfo=UTC), i),  # type: ignore[union-attr]
    )
    results: dict[int, dict[str, Any]] = {}
    now = datetime.now(UTC)
    for i in order:
        obj = rows[i][1]
        assert obj is not None
        ident = obj.get("id", rows[i][0])
        title, text = obj.get("title"), obj.get("text")
        if not isinstance(title, str) and not isinstance(text, str):
            results[i] = {"id": ident, "error": "needs a string 'title' or 'text'"}
            continue
        u = understand(title if isinstance(title, str) else "", text if isinstance(text, str) else "")
        match = index.add(ident, u.fingerprint, _parse_time(obj.get("published")) or now)
        results[i] = {
            "id": ident,
            "lang": u.lang.code,
            "category": u.category,
            "places": _places_json(u),
            "duplicate_of": match.original if match is not None and match.original != ident else None,
        }
    for i, (n, _obj, err) in enumerate(rows):
        if err is not None:
            yield {"id": None, "line": n, "error": err}
        else:
            yield results[i]


def analyze_file(src: IO[str], out: IO[str]) -> int:
    count = 0
    for row in analyze_lines(src):
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    out.flush()
    return count


# --- Telegram Data Clustering Contest input ---------------------------------------------------
@dataclass(slots=True)
class ContestDoc:
    name: str  # file name: the contest's article id
    url: str
    site: str
    title: str
    description: str
    text: str
    published: datetime | None


class _ContestHTML(HTMLParser):
    """The contest's simplified HTML: og: meta in <head>, <article> with <h1>, <p> paragraphs
    (unclosed <p> nesting occurs, so text is collected by tag events, not by a tree)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.h1: list[str] = []
        self.paras: list[str] = []
        self._where: str | None = None
        self._buf: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            a = dict(attrs)
            key = a.get("property") or a.get("name")
            if key and a.get("content") is not None:
                self.meta[key] = a["content"] or ""
        elif tag in ("h1", "p"):
            self._flush()
            self._where = tag
        elif tag in ("aside", "address", "figure", "script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("aside", "address", "figure", "script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in ("h1", "p", "article", "body"):
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._where and not self._skip:
            self._buf.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._buf).split())
        if text:
            (self.h1 if self._where == "h1" else self.paras).append(text)
        self._buf = []
        self._where = None


def read_contest_doc(path: Path) -> ContestDoc:
    p = _ContestHTML()
    try:
        p.feed(path.read_bytes()[: 5 * 1024 * 1024].decode("utf-8", "replace"))
        p.close()
    except (AssertionError, ValueError):  # HTMLParser on broken markup: keep what was read
        pass
    m = p.meta
    return ContestDoc(
        name=path.name,
        url=m.get("og:url", ""),
        site=m.get("og:site_name", ""),
        title=m.get("og:title") or (p.h1[0] if p.h1 else ""),
        description=m.get("og:description", ""),
        text="\n".join(p.paras),
        published=_parse_time(m.get("article:published_time")),
    )


def contest_files(root: Path) -> list[Path]:
    out = []
    for dirpath, _dirs, files in os.walk(root):
        out.extend(Path(dirpath) / f for f in files if f.endswith(".html"))
    return sorted(out)


def tg(mode: str, root: Path) -> Any:
    """The contest's batch modes: ``languages``, ``news``, ``categories``."""
    docs = [read_contest_doc(p) for p in contest_files(root)]
    results = [(d, understand(d.title, d.text or d.description)) for d in docs]
    if mode == "languages":  # the contest keeps English and Russian articles only
        by_lang: dict[str, list[str]] = {"en": [], "ru": []}
        for d, u in results:
            if u.lang.code in by_lang:
                by_lang[u.lang.code].append(d.name)
        return [{"lang_code": code, "articles": names} for code, names in by_lang.items()]
    news = [(d, u) for d, u in results if u.lang.code in ("ru", "en") and u.category != "not_news"]
    if mode == "news":
        return {"articles": [d.name for d, _ in news]}
    if mode == "categories":
        by_cat: dict[str, list[str]] = {c: [] for c in CATEGORIES}
        for d, u in news:
            by_cat.setdefault(u.category if u.category in by_cat else "other", []).append(d.name)
        return [{"category": c, "articles": names} for c, names in by_cat.items()]
    raise ValueError(f"unknown mode {mode!r}: languages, news or categories")
