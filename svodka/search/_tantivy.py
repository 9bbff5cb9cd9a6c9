"""The embedded search index: tantivy (tantivy-py), one folder beside the SQLite file.

Morphology. Titles and texts go through one analyzer: the ``simple`` tokenizer (split on
anything not a letter or digit), lowercase, then Snowball's Russian stemmer and then its
English one. Each stemmer only changes words of its own alphabet, so one field serves a
Russian, an English or a mixed text, and the reader's query (whose language we do not know)
goes through the same chain: ``митинги``, ``митингов``, ``митингующие`` → ``митинг``;
``elections`` → ``elect``. Ukrainian and Belarusian words get the Russian stemmer's shared
endings removed (``мітинги`` → ``мітинг``) and, for words of six letters or more, the
query also matches the (at most 8 most frequent) indexed words that start with the query
word's stem (``мітинг`` finds ``мітингів``), weighted below the exact stem — unless the stem
itself is in more than 20,000 articles, where results abound and the expansion would only
cost time. When nothing matches at all, words of six letters or more are looked up again
with one typo allowed (Levenshtein distance 1): a second, slower pass taken only then.

A schema change (``SCHEMA_VERSION``) empties the folder on open and the watermark starts
again from None: the indexer rebuilds from the database.

Ranking: BM25 over title (×2) and text; the best ``K`` matches are re-ranked by
``score × (1 + FRESH_WEIGHT × 0.5^(age / FRESH_HALF_LIFE))``, so a fresh article wins over
an equally relevant old one without burying a much better old one. ``sort="time"`` orders
by the ``ts`` fast field instead.

Concurrency. One writer at a time per index folder: tantivy holds ``.tantivy-writer.lock``
while an ``IndexWriter`` lives, and a second process (or a second ``TantivyIndex`` on the
same folder) that tries to write gets :class:`SearchUnavailable`. The writer is opened
lazily by ``add``/``delete``/``commit``/``clear`` and kept until ``release_writer()`` or
``close``, so a process that only searches never takes the lock (a long-lived web process
that also indexes should call ``release_writer()`` after its ``commit``, or a rebuild from
the CLI will find the lock taken). Searches in any number of threads and processes
see each commit: before each search the index's ``meta.json`` is checked and the searcher
reloaded when it changed. Within one process the writer is guarded by a lock, so one
``TantivyIndex`` may be shared by threads.

Resume: ``commit(watermark)`` commits tantivy, then writes ``svodka-search.json`` (atomically:
temporary file + rename) with the watermark. A crash between the two leaves the older
watermark, so the indexer re-adds a few documents it had already added — harmless, as
``add`` replaces by id.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

import tantivy
from tantivy import Filter, Occur, Query, TextAnalyzerBuilder, Tokenizer

from svodka.search import (
    MAX_LIMIT,
    Hit,
    QueryError,
    SearchDoc,
    SearchRequest,
    SearchResults,
    SearchUnavailable,
)
from svodka.search.query import ParsedQuery, Term, parse_query
from svodka.search.snippets import highlight, prefix_pattern

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
STATE_FILE = "svodka-search.json"
ANALYZER = "svodka_text"
MAX_TEXT_CHARS = 10_000  # indexed and stored per article (snippets come from it)
TITLE_BOOST = 2.0
PREFIX_MIN_STEM = 6  # a stem this long also matches longer indexed words starting with it
PREFIX_MAX_TERMS = 8  # expansions of one prefix (the most frequent kept)
PREFIX_MAX_DF = 20_000  # a stem in more articles than this is not expanded: results abound
PREFIX_BOOST = 0.6
FUZZY_MIN_WORD = 6  # letters; shorter words get no typo tolerance
RERANK_K = 200  # relevance: re-rank this many best matches by freshness
FRESH_WEIGHT = 1.0
FRESH_HALF_LIFE_H = 48.0
MAX_OFFSET = 10_000
_I64 = (-(2**63), 2**63 - 1)


def make_analyzer() -> tantivy.TextAnalyzer:
    return (
        TextAnalyzerBuilder(Tokenizer.simple())
        .filter(Filter.remove_long(40))
        .filter(Filter.lowercase())
        .filter(Filter.stemmer("russian"))
        .filter(Filter.stemmer("english"))
        .build()
    )


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("id", stored=True, indexed=True, fast=True)
    sb.add_text_field("title", stored=True, tokenizer_name=ANALYZER)
    sb.add_text_field("text", stored=True, tokenizer_name=ANALYZER)
    sb.add_integer_field("ts", stored=True, indexed=True, fast=True)  # published, epoch seconds
    sb.add_text_field("lang", stored=True, tokenizer_name="raw")
    sb.add_integer_field("source", stored=True, indexed=True)
    sb.add_text_field("category", tokenizer_name="raw")
    sb.add_integer_field("section", indexed=True)
    sb.add_integer_field("place", indexed=True)
    sb.add_integer_field("story", stored=True)
    sb.add_integer_field("group", indexed=True, fast=True)  # story id, or -id when none
    sb.add_text_field("url", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("source_name", stored=True, tokenizer_name="raw", index_option="basic")
    return sb.build()


def _epoch(dt: datetime) -> int:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return int(dt.timestamp())


def _ids(values: Iterable[Any], what: str) -> list[int]:
    out: list[int] = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, int) or not _I64[0] <= v <= _I64[1]:
            raise QueryError(f"The {what} filter has a value that is not an id: {v!r}.", code="bad_filter")
        out.append(v)
    return out


def _strs(values: Iterable[Any], what: str) -> list[str]:
    out: list[str] = []
    for v in values:
        if not isinstance(v, str) or len(v) > 100:
            raise QueryError(f"The {what} filter has a value that is not a name: {v!r}.", code="bad_filter")
        out.append(v)
    return out


class TantivyIndex:
    """:class:`~svodka.search.SearchBackend` on tantivy; ``path=None`` keeps it in memory."""

    name = "tantivy"

    def __init__(self, path: Path | str | None = None, *, writer_heap_mb: int = 64, writer_threads: int = 0):
        self.path = Path(path) if path is not None else None
        self._heap = max(15, writer_heap_mb) * 1_000_000
        self._threads = writer_threads
        self._schema = _schema()
        self._analyzer = make_analyzer()
        self._wlock = threading.RLock()
        self._rlock = threading.Lock()
        self._writer: tantivy.IndexWriter | None = None
        self._mem_watermark: str | None = None
        self._meta_stamp: int | None = None
        self._meta_path = str(self.path / "meta.json") if self.path is not None else None
        self._closed = False
        self._index = self._open()

    # --- opening ----------------------------------------------------------------------
    def _open(self) -> tantivy.Index:
        try:
            if self.path is None:
                index = tantivy.Index(self._schema)
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                state = self._read_state()
                if (self.path / "meta.json").exists() and state.get("schema") != SCHEMA_VERSION:
                    # built by another version of svodka: it is rebuilt from the database
                    log.warning("search index %s has another schema; starting it afresh", self.path)
                    self._wipe()
                index = tantivy.Index(self._schema, str(self.path), reuse=True)
                if not (self.path / STATE_FILE).exists():
                    self._write_state(None)
        except (ValueError, OSError) as e:
            raise SearchUnavailable(f"The search index at {self.path} cannot be opened: {e}") from e
        index.register_tokenizer(ANALYZER, self._analyzer)
        return index

    def _wipe(self) -> None:
        assert self.path is not None
        for child in self.path.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()

    def _read_state(self) -> dict[str, Any]:
        assert self.path is not None
        try:
            data = json.loads((self.path / STATE_FILE).read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def _write_state(self, watermark: str | None) -> None:
        assert self.path is not None
        data = {"schema": SCHEMA_VERSION, "watermark": watermark, "committed": time.time()}
        fd, tmp = tempfile.mkstemp(prefix=".state-", dir=self.path)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path / STATE_FILE)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    # --- writing ----------------------------------------------------------------------
    def _w(self) -> tantivy.IndexWriter:
        if self._closed:
            raise SearchUnavailable("The search index is closed.")
        if self._writer is None:
            try:
                self._writer = self._index.writer(self._heap, self._threads)
            except ValueError as e:
                raise SearchUnavailable(
                    "Another process is writing the search index (one writer at a time); try again later."
                ) from e
        return self._writer

    def _document(self, d: SearchDoc) -> tantivy.Document:
        doc = tantivy.Document()
        doc.add_integer("id", d.id)
        doc.add_text("title", d.title or "")
        doc.add_text("text", (d.text or "")[:MAX_TEXT_CHARS])
        doc.add_integer("ts", _epoch(d.published))
        doc.add_text("lang", d.lang or "und")
        doc.add_integer("source", d.source_id)
        doc.add_text("category", d.category or "")
        for s in d.section_ids:
            doc.add_integer("section", s)
        for p in d.place_ids:
            doc.add_integer("place", p)
        if d.story_id is not None:
            doc.add_integer("story", d.story_id)
        doc.add_integer("group", d.story_id if d.story_id is not None else -d.id)
        doc.add_text("url", d.url or "")
        doc.add_text("source_name", d.source_name or "")
        return doc

    def add(self, docs: Sequence[SearchDoc], *, replace: bool = True) -> None:
        """Insert or replace by id (``replace=False`` skips the delete: only for documents
        known to be new, e.g. right after ``clear``)."""
        with self._wlock:
            w = self._w()
            for d in docs:
                if replace:
                    w.delete_documents_by_term("id", d.id)
                w.add_document(self._document(d))

    def delete(self, ids: Iterable[int]) -> None:
        with self._wlock:
            w = self._w()
            for i in ids:
                w.delete_documents_by_term("id", int(i))

    def commit(self, watermark: str | None = None) -> None:
        with self._wlock:
            self._w().commit()
            if self.path is None:
                self._mem_watermark = watermark
            else:
                self._write_state(watermark)
            self._index.reload()
            self._meta_stamp = None

    def watermark(self) -> str | None:
        if self.path is None:
            return self._mem_watermark
        wm = self._read_state().get("watermark")
        return wm if isinstance(wm, str) else None

    def clear(self) -> None:
        with self._wlock:
            w = self._w()
            w.delete_all_documents()
            w.commit()
            if self.path is None:
                self._mem_watermark = None
            else:
                self._write_state(None)
            self._index.reload()

    def release_writer(self) -> None:
        """Let another process write: drop the writer (and its lock) after its merges end.
        Uncommitted changes are dropped — call it after ``commit``. The next ``add`` takes
        the lock again."""
        with self._wlock:
            if self._writer is not None:
                with contextlib.suppress(ValueError):
                    self._writer.rollback()
                with contextlib.suppress(ValueError):
                    self._writer.wait_merging_threads()
                self._writer = None

    def close(self) -> None:
        with self._wlock:
            self.release_writer()
            self._closed = True

    def __enter__(self) -> TantivyIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reading ----------------------------------------------------------------------
    def _searcher(self) -> tantivy.Searcher:
        if self._closed:
            raise SearchUnavailable("The search index is closed.")
        if self._meta_path is not None:
            try:
                stamp = os.stat(self._meta_path).st_mtime_ns
            except OSError as e:
                raise SearchUnavailable("The search index is missing; it needs a rebuild.") from e
            if stamp != self._meta_stamp:  # another process committed
                with self._rlock:
                    self._index.reload()
                    self._meta_stamp = stamp
        return self._index.searcher()

    def count(self) -> int:
        return self._searcher().num_docs

    def _stem(self, word: str) -> str | None:
        toks = self._analyzer.analyze(word)
        return toks[0] if toks else None

    def _term_query(
        self,
        stem: str,
        searcher: tantivy.Searcher | None,
        fuzzy: frozenset[str],
        word: str,
        memo: dict[str, list[str]] | None = None,
    ) -> Query:
        s = self._schema
        parts: list[tuple[Occur, Query]] = [
            (Occur.Should, Query.boost_query(Query.term_query(s, "title", stem), TITLE_BOOST)),
            (Occur.Should, Query.term_query(s, "text", stem)),
        ]
        if searcher is not None and len(stem) >= PREFIX_MIN_STEM:
            for t in self._expansions(searcher, stem, memo):
                parts.append(
                    (
                        Occur.Should,
                        Query.boost_query(Query.term_query(s, "title", t), PREFIX_BOOST * TITLE_BOOST),
                    )
                )
                parts.append((Occur.Should, Query.boost_query(Query.term_query(s, "text", t), PREFIX_BOOST)))
        if stem in fuzzy:
            for field in ("title", "text"):
                parts.append(
                    (Occur.Should, Query.boost_query(Query.fuzzy_term_query(s, field, stem, distance=1), 0.5))
                )
        return Query.boolean_query(parts)

    def _expansions(
        self, searcher: tantivy.Searcher, stem: str, memo: dict[str, list[str]] | None = None
    ) -> list[str]:
        if memo is not None and stem in memo:
            return memo[stem]
        out: list[str] = []
        if searcher.doc_freq("text", stem) <= PREFIX_MAX_DF:
            found: dict[str, int] = {}
            for field in ("text", "title"):
                for t, df in searcher.terms_with_prefix(field, stem, limit=200):
                    if t != stem:
                        found[t] = found.get(t, 0) + df
            out = sorted(found, key=lambda t: -found[t])[:PREFIX_MAX_TERMS]
        if memo is not None:
            memo[stem] = out
        return out

    def _term(
        self,
        term: Term,
        searcher: tantivy.Searcher | None,
        fuzzy: frozenset[str] = frozenset(),
        memo: dict[str, list[str]] | None = None,
    ) -> tuple[Query, list[str]]:
        stems = [st for w in term.words if (st := self._stem(w))]
        if not stems:
            return Query.empty_query(), []
        if len(stems) == 1:
            return self._term_query(stems[0], searcher, fuzzy, term.words[0], memo), stems
        s = self._schema
        return (
            Query.boolean_query(
                [
                    (Occur.Should, Query.boost_query(Query.phrase_query(s, "title", stems), TITLE_BOOST)),
                    (Occur.Should, Query.phrase_query(s, "text", stems)),
                ]
            ),
            stems,
        )

    def _text_query(
        self,
        pq: ParsedQuery,
        searcher: tantivy.Searcher,
        fuzzy: frozenset[str],
        memo: dict[str, list[str]] | None = None,
    ) -> tuple[Query, list[str]]:
        must: list[tuple[Occur, Query]] = []
        stems: list[str] = []
        for clause in pq.clauses:
            alts = []
            for term in clause:
                q, st = self._term(term, searcher, fuzzy, memo)
                alts.append((Occur.Should, q))
                stems.extend(st)
            must.append((Occur.Must, alts[0][1] if len(alts) == 1 else Query.boolean_query(alts)))
        for term in pq.excluded:
            q, _ = self._term(term, None)
            must.append((Occur.MustNot, q))
        return Query.boolean_query(must), stems

    def _filter_queries(self, request: SearchRequest) -> list[Query]:
        f = request.filters
        s = self._schema
        out: list[Query] = []
        lo = _epoch(f.date_from) if f.date_from else None
        hi = _epoch(f.date_to) if f.date_to else None
        if lo is not None and hi is not None and lo >= hi:
            raise QueryError("The date range is empty: 'from' must come before 'to'.", code="bad_filter")
        if lo is not None or hi is not None:
            out.append(
                Query.range_query(
                    s,
                    "ts",
                    tantivy.FieldType.Integer,
                    lo if lo is not None else _I64[0],
                    hi if hi is not None else _I64[1],
                    include_lower=True,
                    include_upper=hi is None,
                )
            )
        for field, values in (
            ("lang", _strs(f.langs, "language")),
            ("category", _strs(f.categories, "category")),
        ):
            if values:
                out.append(Query.term_set_query(s, field, values))
        for field, ids in (
            ("source", _ids(f.source_ids, "source")),
            ("section", _ids(f.section_ids, "section")),
            ("place", _ids(f.place_ids, "place")),
        ):
            if ids:
                out.append(Query.term_set_query(s, field, ids))
        return out

    def search(self, request: SearchRequest) -> SearchResults:
        t0 = time.perf_counter()
        pq = parse_query(request.q)
        if request.sort not in ("relevance", "time"):
            raise QueryError(
                f"Unknown sort order {request.sort!r}: use relevance or time.", code="bad_filter"
            )
        if not isinstance(request.offset, int) or not isinstance(request.limit, int):
            raise QueryError("Offset and limit must be whole numbers.", code="bad_filter")
        if request.offset > MAX_OFFSET:
            raise QueryError(
                f"Results past the first {MAX_OFFSET:,} are not shown; narrow the search.", code="bad_filter"
            )
        offset = max(0, request.offset)
        limit = min(max(1, request.limit), MAX_LIMIT)
        filters = self._filter_queries(request)
        searcher = self._searcher()
        memo: dict[str, list[str]] = {}  # prefix expansions, for the query and the snippets

        def build(fuzzy: frozenset[str]) -> tuple[Query, list[str]]:
            text_q, stems = self._text_query(pq, searcher, fuzzy, memo)
            if not filters:
                return text_q, stems
            parts = [(Occur.Must, text_q)] + [(Occur.Must, Query.const_score_query(q, 0.0)) for q in filters]
            return Query.boolean_query(parts), stems

        try:
            query, stems = build(frozenset())
            hits, total = self._run(searcher, query, request, offset, limit)
            if total == 0 and (unknown := self._unknown_words(searcher, pq)):
                query, stems = build(unknown)
                hits, total = self._run(searcher, query, request, offset, limit)
            self._snippets(searcher, hits, stems, memo)
        except (ValueError, OverflowError) as e:  # tantivy refusing something we built
            log.exception("search failed for %r", request.q)
            raise SearchUnavailable(f"The search could not run: {e}") from e
        return SearchResults(
            total=total,
            hits=[h for h, _ in hits],
            took_ms=round((time.perf_counter() - t0) * 1000, 3),
            terms=pq.terms,
        )

    def _unknown_words(self, searcher: tantivy.Searcher, pq: ParsedQuery) -> frozenset[str]:
        """Stems of the query's single words (six letters or more) that no article has: the
        only ones a typo pass may help (a query of known words that finds nothing is a
        combination no article has, and fuzzy matching would only cost time)."""
        out = set()
        for clause in pq.clauses:
            for term in clause:
                if term.is_phrase or len(term.words[0]) < FUZZY_MIN_WORD:
                    continue
                stem = self._stem(term.words[0])
                if stem and not searcher.doc_freq("text", stem) and not searcher.doc_freq("title", stem):
                    out.add(stem)
        return frozenset(out)

    def _run(
        self, searcher: tantivy.Searcher, query: Query, request: SearchRequest, offset: int, limit: int
    ) -> tuple[list[tuple[Hit, tantivy.DocAddress]], int]:
        want = offset + limit
        if request.group_by_story:
            return self._run_grouped(searcher, query, request, offset, limit)
        if request.sort == "time":
            res = searcher.search(query, limit, count=True, order_by_field="ts", offset=offset)
            addrs = [a for _, a in res.hits]
            return [(self._hit(searcher, a, 0.0), a) for a in addrs], res.count or 0
        k = max(RERANK_K, want)
        res = searcher.search(query, k, count=True)
        ranked = self._rerank(searcher, res.hits)
        page = ranked[offset:want]
        return [(self._hit(searcher, a, sc), a) for sc, a in page], res.count or 0

    def _rerank(
        self, searcher: tantivy.Searcher, hits: list[tuple[Any, tantivy.DocAddress]]
    ) -> list[tuple[float, tantivy.DocAddress]]:
        if not hits:
            return []
        now = time.time()
        tss = searcher.fast_field_values("ts", [a for _, a in hits])
        pow_, w, hl = math.pow, FRESH_WEIGHT, FRESH_HALF_LIFE_H
        out = [
            (float(score) * (1 + w * pow_(0.5, max(0.0, (now - (ts or 0)) / 3600) / hl)), addr)
            for (score, addr), ts in zip(hits, tss, strict=True)
        ]
        out.sort(key=itemgetter(0), reverse=True)  # stable, as sorting by -score was
        return out

    def _run_grouped(
        self, searcher: tantivy.Searcher, query: Query, request: SearchRequest, offset: int, limit: int
    ) -> tuple[list[tuple[Hit, tantivy.DocAddress]], int]:
        want = offset + limit
        k = max(RERANK_K, want * 5)
        if request.sort == "time":
            res = searcher.search(query, k, count=True, order_by_field="ts")
            ranked = [(0.0, a) for _, a in res.hits]
        else:
            res = searcher.search(query, k, count=True)
            ranked = self._rerank(searcher, res.hits)
        groups = searcher.fast_field_values("group", [a for _, a in ranked])
        firsts: dict[int, tuple[float, tantivy.DocAddress]] = {}
        seen_in_k: dict[int, int] = {}
        for (sc, a), g in zip(ranked, groups, strict=True):
            g = int(g or 0)
            seen_in_k[g] = seen_in_k.get(g, 0) + 1
            firsts.setdefault(g, (sc, a))
        total_docs = res.count or 0
        if total_docs <= len(ranked):
            total = len(firsts)
        else:
            total = max(len(firsts), round(searcher.cardinality(query, "group")))
        page = list(firsts.items())[offset:want]
        out = []
        for g, (sc, a) in page:
            hit = self._hit(searcher, a, sc)
            if hit.story_id is not None:
                if total_docs <= len(ranked):
                    n = seen_in_k[g]
                else:
                    in_story = Query.boolean_query(
                        [(Occur.Must, query), (Occur.Must, Query.term_query(self._schema, "group", g))]
                    )
                    n = searcher.search(in_story, 1, count=True).count or 1
                hit.more = max(0, n - 1)
            out.append((hit, a))
        return out, total

    def _hit(self, searcher: tantivy.Searcher, addr: tantivy.DocAddress, score: float) -> Hit:
        # one to_dict: each Document.get_first converts the whole document again
        d = searcher.doc(addr).to_dict()

        def first(field: str) -> Any:
            values = d.get(field)
            return values[0] if values else None

        return Hit(
            id=int(first("id")),
            score=round(score, 4),
            title=first("title") or "",
            snippet_html=first("text") or "",  # replaced by _snippets
            published=datetime.fromtimestamp(first("ts") or 0, UTC),
            lang=first("lang") or "und",
            source_id=int(first("source") or 0),
            story_id=first("story"),
            url=first("url") or "",
            source_name=first("source_name") or "",
        )

    def _snippets(
        self,
        searcher: tantivy.Searcher,
        hits: list[tuple[Hit, tantivy.DocAddress]],
        stems: list[str],
        memo: dict[str, list[str]] | None = None,
    ) -> None:
        if not hits:
            return
        wanted = set(stems)
        for st in stems:
            if len(st) >= PREFIX_MIN_STEM:
                wanted.update(self._expansions(searcher, st, memo))
        # a Snowball stem, less its last letter, starts every word it comes from
        pattern = prefix_pattern(w[:-1] if len(w) > 3 else w for w in wanted)
        cache: dict[str, bool] = {}

        def is_match(word: str) -> bool:
            key = word.lower()
            if key not in cache:
                cache[key] = self._stem(key) in wanted
            return cache[key]

        for hit, _ in hits:
            hit.snippet_html = highlight(hit.snippet_html, pattern, is_match)
