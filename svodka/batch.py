"""Batch interfaces for evaluators: ``svodka analyze FILE.jsonl`` and ``svodka tg MODE DIR``.

No database: the understand stage (and for ``story``/``threads``/``top`` the story clusterer)
runs in-process over the input, in batches. Output order follows input order; a bad line still
gets an output line, with an ``error`` field.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from svodka.extract.decode import decode_html
from svodka.stories import StoryArticle
from svodka.understand import Understanding
from svodka.understand._pool import understand_parallel

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


def _parse_time(raw: Any, *, clamp_future: bool = True) -> datetime | None:
    return _read_time(raw, clamp_future=clamp_future)[0]


_EPOCH = re.compile(r"-?\d{9,13}(?:\.\d+)?")


def _read_time(raw: Any, *, clamp_future: bool = True) -> tuple[datetime | None, str | None]:
    """(aware datetime or None, a note when ``raw`` was given but not understood).

    Epoch seconds, ISO 8601, and everything a feed's date can be (RFC 822 ``pubDate``, the
    feed parser's other formats)."""
    if raw is None or raw == "":
        return None, None
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        return None, f"'published' must be a string or a number, not {type(raw).__name__}"
    if isinstance(raw, str) and _EPOCH.fullmatch(raw.strip()):
        raw = float(raw.strip())  # a Unix time written as a string
    if isinstance(raw, (int, float)):
        seconds = float(raw)
        if abs(seconds) >= 1e11:  # milliseconds (1e11 seconds is the year 5138)
            seconds /= 1000.0
        try:
            when = datetime.fromtimestamp(seconds, tz=UTC)
            return _not_future(when, raw) if clamp_future else (when, None)
        except (ValueError, OverflowError, OSError):
            return None, f"'published' {raw!r} is not a usable Unix time"
    try:
        dt = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
        dt = dt if dt.tzinfo else dt.replace(tzinfo=UTC)
        return _not_future(dt, raw) if clamp_future else (dt, None)
    except ValueError:
        pass
    from svodka.parse._dates import parse_date

    dt, note = parse_date(raw, datetime.now(UTC))
    if dt is None:
        return None, note or f"the date {raw[:60]!r} could not be read"
    return dt, note  # e.g. a future date set to the time of the run: said, not silent


def _host(url: Any) -> str:
    """The host of an input's ``url``, or "" (a malformed URL is no reason to fail the line)."""
    try:
        return urlsplit(str(url or "")).hostname or ""
    except ValueError:
        return ""


def _not_future(dt: datetime, raw: Any) -> tuple[datetime, str | None]:
    """A date after the run (beyond the feed parser's slack) is the run's time, with a note,
    as the feed parser does with a feed's future dates."""
    from svodka.parse._dates import FUTURE_SLACK

    now = datetime.now(UTC)
    if dt > now + FUTURE_SLACK:
        return now, f"the date {str(raw)[:60]!r} is in the future; set to the time of the run"
    return dt, None


def _check_id(obj: dict[str, Any]) -> str | None:
    """Why an input ``id`` cannot be echoed back (it must be a string or a finite number)."""
    ident = obj.get("id")
    if ident is None or isinstance(ident, str):
        return None
    if isinstance(ident, bool) or not isinstance(ident, (int, float)):
        return f"'id' must be a string or a number, not {type(ident).__name__}"
    if isinstance(ident, float) and not math.isfinite(ident):
        return "'id' must be a finite number"
    return None


def analyze_lines(lines: Iterable[str], *, clusterer: Any = None) -> Iterator[dict[str, Any]]:
    """One output object per input line, in input order (``svodka analyze``).

    The whole input is read before the first line is written: near-duplicates hang on the
    earliest copy and stories are clustered in publication order, so a line's answer can
    depend on lines after it. ``story`` is the ``id`` of the story's first article (earliest
    published; its own id for an article that starts a story). ``clusterer`` replaces the
    :class:`svodka.stories.cluster.StoryClusterer` (tests).
    """
    from svodka.understand.dedupe import NearDupIndex

    index = NearDupIndex()
    rows: list[tuple[int, dict[str, Any] | None, str | None]] = []
    for n, line in enumerate(lines, 1):
        if n == 1:
            line = line.removeprefix("\ufeff")  # a byte-order mark some editors write
        if not line.strip():
            rows.append((n, None, "empty line"))
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            rows.append((n, None, f"not JSON: {exc.msg.removesuffix(' at')} at column {exc.colno}"))
            continue
        except ValueError as exc:  # e.g. an integer past Python's 4,300-digit limit
            rows.append((n, None, f"not JSON: {exc}"))
            continue
        except RecursionError:
            rows.append((n, None, "not JSON: nested too deeply"))
            continue
        if not isinstance(obj, dict):
            rows.append((n, None, "each line must be a JSON object"))
            continue
        bad_id = _check_id(obj)
        if bad_id is not None:
            rows.append((n, None, bad_id))
            continue
        rows.append((n, obj, None))
    # Near-duplicates hang on the earliest article, so feed the index in publication order
    # (input order where there is no date), then print in input order.
    times = {
        i: _read_time(obj.get("published")) for i, (_, obj, err) in enumerate(rows) if obj is not None and err is None
    }  # read once: the order below and each answer use the same reading
    order = sorted(times, key=lambda i: (times[i][0] or datetime.max.replace(tzinfo=UTC), i))
    results: dict[int, dict[str, Any]] = {}
    stories = _Stories(clusterer)
    first_of: dict[int, int] = {}  # input row → position in publication order
    rows_of: list[int] = []  # position in publication order → input row
    originals: dict[int, int] = {}  # position of a near-duplicate → position of its original
    sources: dict[str, int] = {}
    now = datetime.now(UTC)
    # In publication-order chunks: one embedder call per chunk, and the clusterer sees each
    # chunk before the next is understood (memory stays bounded by the chunk's vectors).
    for start in range(0, len(order), _BATCH):
        chunk = []
        for i in order[start : start + _BATCH]:
            obj = rows[i][1]
            assert obj is not None
            title, text = obj.get("title"), obj.get("text")
            if not isinstance(title, str) and not isinstance(text, str):
                results[i] = {
                    "id": rows[i][0] if obj.get("id") is None else obj["id"],
                    "line": rows[i][0],
                    "error": "needs a string 'title' or 'text'",
                }
                continue
            chunk.append((i, title if isinstance(title, str) else "", text if isinstance(text, str) else ""))
        articles: list[StoryArticle] = []
        for (i, title, text), u in zip(chunk, understand_parallel([(t, x) for _, t, x in chunk]), strict=True):
            obj = rows[i][1]
            assert obj is not None
            ident = obj.get("id")
            if ident is None:
                ident = rows[i][0]  # no id (or null): the line number stands in
            when, note = times[i]
            published = when or now
            # The index is keyed by input row, not by ``id``: ids may repeat, or a line without
            # one (its line number stands in) may collide with another line's numeric id.
            match = index.add(i, u.fingerprint, published)
            original = match.original if match is not None and match.original != i else None
            results[i] = {
                "id": ident,
                "lang": u.lang.code,
                "category": u.category,
                "places": _places_json(u),
                "duplicate_of": None if original is None else results[original]["id"],
            }
            if note is not None:
                results[i]["warning"] = note if when is not None else f"{note}; read as the time of the run"
            first_of[i] = len(rows_of)
            site = str(obj.get("site") or _host(obj.get("url")))
            articles.append(
                StoryArticle(
                    id=len(rows_of),  # position in publication order: a merge keeps the earliest story's id
                    title=title,
                    text=text,
                    lang=u.lang.code,
                    source_id=sources.setdefault(site.lower().removeprefix("www."), len(sources) + 1),
                    published=published,
                    category=u.category,
                    place_ids=tuple(int(p.geonameid) for p in u.places if p.geonameid),
                    duplicate_of=None if original is None else first_of.get(original),
                    embedding=u.embedding,
                )
            )
            if original is not None:
                originals[len(rows_of)] = first_of[original]
            rows_of.append(i)
        stories.add(articles)
    story_of = stories.result()
    for pos, story in story_of.items():
        original = originals.get(pos)
        if original is not None:  # a reprint is told with its original, however late it came
            story = story_of.get(original, story)
        results[rows_of[pos]]["story"] = results[rows_of[story]]["id"]
    for i, (n, _obj, err) in enumerate(rows):
        if err is not None:
            yield {"id": None, "line": n, "error": err}
        else:
            yield results[i]


_BATCH = 256


class _Stories:
    """Story assignments over the whole input, merges followed to the surviving story."""

    def __init__(self, clusterer: Any) -> None:
        if clusterer is None:
            from svodka.stories.cluster import StoryClusterer

            clusterer = StoryClusterer(window=timedelta(days=3))
        self.clusterer = clusterer
        self.parent: dict[int, int] = {}
        self.assigned: dict[int, int] = {}

    def find(self, s: int) -> int:
        root = s
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while s != root:  # path compression
            self.parent[s], s = root, self.parent[s]
        return root

    def add(self, articles: list[StoryArticle]) -> None:
        if not articles:
            return
        for a in self.clusterer.add(articles):
            self.assigned[a.article_id] = a.story_id
            for m in a.merged:
                self.parent[self.find(m)] = self.find(a.story_id)

    def result(self) -> dict[int, int]:
        """Article position → position of its story's first article."""
        return {i: self.find(s) for i, s in self.assigned.items()}


def _understand_all(items: list[tuple[str, str]]) -> list[Understanding]:
    out: list[Understanding] = []
    for start in range(0, len(items), _BATCH):
        out.extend(understand_parallel(items[start : start + _BATCH]))
    return out


def analyze_file(src: IO[str], out: IO[str]) -> int:
    count = 0
    for row in analyze_lines(src):
        try:
            line = json.dumps(row, ensure_ascii=False, allow_nan=False)
            line.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate in an echoed id: escaped, still JSON
            line = json.dumps(row, ensure_ascii=True, allow_nan=False)
        out.write(line + "\n")
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


MAX_DOC_BYTES = 5 * 1024 * 1024


def read_contest_doc(path: Path) -> ContestDoc:
    """One contest file: a regular file only (a FIFO would block, /dev/zero never ends), at
    most ``MAX_DOC_BYTES`` read."""
    if not path.is_file():
        raise OSError(0, "not a regular file")
    with path.open("rb") as f:
        return parse_contest_html(path.name, f.read(MAX_DOC_BYTES + 1))


def contest_docs(root: Path, *, warn: Callable[[str], None] | None = None) -> list[ContestDoc]:
    """Every readable contest file under ``root``, once per file name.

    The contest names an article by its file name alone, so a name met again in another
    folder is left out (the first in path order is kept), and a file that cannot be read (a
    dangling link, no permission) is skipped: each with a note through ``warn`` (stderr in the
    CLI), never an exception that would lose the whole run's output."""
    say = warn or (lambda msg: print(msg, file=sys.stderr))
    docs: list[ContestDoc] = []
    seen: dict[str, Path] = {}
    for path in contest_files(root, warn=say):
        try:
            path.name.encode("utf-8")
        except UnicodeEncodeError:
            say(f"skipped {os.fsencode(path)!r}: the file name is not UTF-8 (the contest's JSON names articles by it)")
            continue
        if path.name in seen:
            say(f"skipped {path}: the file name is also {seen[path.name]}'s, and the contest names articles by file name")
            continue
        try:
            docs.append(read_contest_doc(path))
        except OSError as exc:
            say(f"skipped {path}: {exc.strerror or exc}")
            continue
        seen[path.name] = path
    return docs


def parse_contest_html(name: str, data: bytes) -> ContestDoc:
    """One contest document from its bytes (a file, or the body of the server's ``PUT``)."""
    p = _ContestHTML()
    try:
        text = decode_html(data[:MAX_DOC_BYTES])
        if len(data) > MAX_DOC_BYTES:
            # cut at the last tag's end: a construct left open by the cut (an endless run of
            # "<![CDATA[") makes HTMLParser rescan the tail again and again
            text = text[: text.rfind(">") + 1]
        p.feed(text)
        p.close()
    except (AssertionError, ValueError):  # HTMLParser on broken markup: keep what was read
        pass
    m = p.meta
    return ContestDoc(
        name=name,
        url=m.get("og:url", ""),
        site=m.get("og:site_name", ""),
        title=m.get("og:title") or (p.h1[0] if p.h1 else ""),
        description=m.get("og:description", ""),
        text="\n".join(p.paras),
        # the contest server clamps future dates itself (to its own clock rule)
        published=_parse_time(m.get("article:published_time"), clamp_future=False),
    )


def contest_files(root: Path, *, warn: Callable[[str], None] | None = None) -> list[Path]:
    """The ``.html`` (and ``.htm``, any case) files under ``root``, in path order; a folder that
    cannot be read is reported through ``warn``."""
    out = []

    def unreadable(exc: OSError) -> None:
        if warn is not None:
            warn(f"skipped the folder {exc.filename}: {exc.strerror or exc}")

    for dirpath, _dirs, files in os.walk(root, onerror=unreadable):
        out.extend(Path(dirpath) / f for f in files if f.lower().endswith((".html", ".htm")))
    return sorted(out)


def tg(mode: str, root: Path) -> Any:
    """The contest's batch modes: ``languages``, ``news``, ``categories``, ``threads``, ``top``.

    ``threads``: ``[{"title", "articles"}]`` — English and Russian news grouped by story (a
    story told in both languages gives one thread per language), articles most representative
    first, threads most important first. ``top``: round 1's ``[{"category": "any", "threads":
    [{"title", "category", "articles"}]}, {"category": "society", …}, …]``.
    """
    if mode in ("threads", "top"):
        from svodka.tgcontest import batch_store

        top = batch_store(root).top()
        if mode == "top":
            return top
        return [{"title": t["title"], "articles": t["articles"]} for t in top[0]["threads"]]
    docs = contest_docs(root)
    results = list(zip(docs, _understand_all([(d.title, d.text or d.description) for d in docs]), strict=True))
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
    raise ValueError(f"unknown mode {mode!r}: languages, news, categories, threads or top")
