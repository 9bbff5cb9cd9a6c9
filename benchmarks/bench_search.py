"""``svodka bench search``: the embedded index (tantivy) against lemon24/reader's search.

1. Corpus: ``--articles`` synthetic articles (ru 45 %, en 30 %, uk 25 %), made cheaply from
   the newsroom simulator's own words: a pool of real simulator reports (``textgen.compose``,
   a few thousand, once) is cut into headlines and paragraphs, and each article takes a
   headline and 1–2 kB of paragraphs of its language from the pool, with a random source,
   place, sections, story and publication time in the last year. Deterministic (``--seed``).
2. svodka: a fresh :class:`~svodka.search._tantivy.TantivyIndex` in a temporary folder;
   ``add`` (replacing by id, as the indexer does) in batches, one ``commit``; reports
   documents per second (the synthesis of articles excluded) and the folder's size.
3. Queries: ``--queries`` of realistic shapes, drawn from the corpus's words: one word
   (40 %), two words (25 %), a quoted phrase (15 %), a word with a filter — language, date
   range, source or place, half of them sorted by time (20 %). Each is timed end to end
   (``search()``: parsing, the query, freshness re-ranking, stored fields and snippets of
   the 20 hits), in three passes over all the queries after a short warm-up; each query's
   median counts, and p50/p95/p99 are over those medians (``first_pass_p95_ms`` is the first
   pass alone). ``cpu_*`` are the same in process CPU time, which the neighbours' load on a
   shared machine disturbs less. ``typo_*``: words with one letter changed (the second,
   fuzzy pass).
4. Peer: reader 3.26 (``benchmarks/peer_reader_search.py`` under ``.bench-venv``) indexes
   the first ``--peer-articles`` of the same articles and runs the same queries' text (FTS5
   syntax; it has no language/date/place filters, so those queries run unfiltered there).
   svodka is measured again on an index of exactly those articles, and ``ratio`` is
   reader's p95 over svodka's p95 at that same size (``cpu_ratio``: the same in CPU time).
   Both sides time queries the same way (three passes, medians).

With ``--json`` the last line of stdout is one JSON object; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PEER_SCRIPT = Path(__file__).resolve().parent / "peer_reader_search.py"
LANG_SHARE = (("ru", 0.45), ("en", 0.30), ("uk", 0.25))
POOL_REPORTS = 600  # simulator reports per language in the pool
BATCH = 5_000
REPEAT = 3  # passes over the queries; each query's median counts
_WORDS = re.compile(r"[^\W\d_]{4,}")


@functools.lru_cache(maxsize=4)
def build_pool(seed: int) -> tuple[dict[str, list[str]], dict[str, list[str]], list[tuple[int, ...]]]:
    """Headlines and paragraphs of real simulator reports, per language."""
    from svodka.simulator import _lexicon as lx
    from svodka.simulator import places, textgen

    rng = random.Random(seed)
    titles: dict[str, list[str]] = {lang: [] for lang, _ in LANG_SHARE}
    paras: dict[str, list[str]] = {lang: [] for lang, _ in LANG_SHARE}
    place_sets: list[tuple[int, ...]] = []
    all_places = places.PLACES
    for i in range(POOL_REPORTS):
        cat = lx.CATEGORIES[i % len(lx.CATEGORIES)]
        pl = (all_places[rng.randrange(len(all_places))],)
        place_sets.append(tuple(p.geonameid for p in pl))
        facts = textgen.make_facts(rng, cat, pl, rng.randrange(7), 2026)
        for lang, _ in LANG_SHARE:
            title, body = textgen.compose(facts, lang, rng)
            titles[lang].append(title)
            paras[lang].extend(p for p in body if p.strip())
    return titles, paras, place_sets


@dataclass(frozen=True, slots=True)
class Article:
    id: int
    title: str
    text: str
    lang: str
    source_id: int
    published: datetime
    category: str
    section_ids: tuple[int, ...]
    place_ids: tuple[int, ...]
    story_id: int | None


def articles(n: int, seed: int = 1) -> Iterator[Article]:
    """``n`` synthetic articles, deterministic for a seed; a few microseconds each."""
    from svodka.simulator import _lexicon as lx

    titles, paras, place_sets = build_pool(seed)
    rng = random.Random(seed + 1)
    langs = [lang for lang, _ in LANG_SHARE]
    weights = [w for _, w in LANG_SHARE]
    now = datetime(2026, 11, 1, tzinfo=UTC)
    year_s = 365 * 86400
    cats = lx.CATEGORIES
    for i in range(1, n + 1):
        lang = rng.choices(langs, weights)[0]
        tl, pl = titles[lang], paras[lang]
        parts: list[str] = []
        size = 0
        target = 1000 + rng.randrange(1000)
        while size < target:
            p = pl[rng.randrange(len(pl))]
            parts.append(p)
            size += len(p.encode("utf-8"))
        story = i // 3 if rng.random() < 0.7 else None
        yield Article(
            id=i,
            title=tl[rng.randrange(len(tl))],
            text="\n\n".join(parts),
            lang=lang,
            source_id=1 + rng.randrange(500),
            published=now - timedelta(seconds=rng.randrange(year_s)),
            category=cats[rng.randrange(len(cats))],
            section_ids=(1 + rng.randrange(20),),
            place_ids=place_sets[rng.randrange(len(place_sets))],
            story_id=story,
        )


def _doc(a: Article) -> Any:
    from svodka.search import SearchDoc

    return SearchDoc(
        id=a.id,
        title=a.title,
        text=a.text,
        lang=a.lang,
        source_id=a.source_id,
        published=a.published,
        category=a.category,
        section_ids=a.section_ids,
        place_ids=a.place_ids,
        story_id=a.story_id,
        url=f"https://example.test/{a.id}",
        source_name=f"Outlet {a.source_id}",
    )


@dataclass(frozen=True, slots=True)
class BenchQuery:
    shape: str
    q: str  # svodka's query language
    fts: str  # the same words in FTS5 syntax, for reader
    lang: str | None = None
    days: int | None = None
    source_id: int | None = None
    place_id: int | None = None
    sort: str = "relevance"


def make_queries(n: int, seed: int) -> list[BenchQuery]:
    titles, paras, place_sets = build_pool(seed)
    rng = random.Random(seed + 2)
    langs = [lang for lang, _ in LANG_SHARE]
    weights = [w for _, w in LANG_SHARE]
    out: list[BenchQuery] = []
    for _ in range(n):
        lang = rng.choices(langs, weights)[0]
        words = _WORDS.findall(titles[lang][rng.randrange(len(titles[lang]))])
        words = [w.lower() for w in words] or ["news"]
        r = rng.random()
        if r < 0.40:
            w = rng.choice(words)
            out.append(BenchQuery("word", w, w))
        elif r < 0.65:
            a, b = rng.choice(words), rng.choice(words)
            out.append(BenchQuery("two_words", f"{a} {b}", f"{a} {b}"))
        elif r < 0.80:
            pw = [w.lower() for w in _WORDS.findall(paras[lang][rng.randrange(len(paras[lang]))])] or words
            j = rng.randrange(max(1, len(pw) - 1))
            phrase = " ".join(pw[j : j + 2])
            out.append(BenchQuery("phrase", f'"{phrase}"', f'"{phrase}"'))
        else:
            w = rng.choice(words)
            kind = rng.randrange(4)
            sort = "time" if rng.random() < 0.5 else "relevance"
            out.append(
                BenchQuery(
                    "filtered",
                    w,
                    w,
                    sort=sort,
                    lang=lang if kind == 0 else None,
                    days=30 if kind == 1 else None,
                    source_id=1 + rng.randrange(500) if kind == 2 else None,
                    place_id=place_sets[rng.randrange(len(place_sets))][0] if kind == 3 else None,
                )
            )
    return out


def make_typo_queries(n: int, seed: int) -> list[BenchQuery]:
    """One word of six letters or more with one letter changed: the exact search finds
    nothing and the index looks again with one typo allowed (the slow path, measured apart)."""
    titles, _, _ = build_pool(seed)
    rng = random.Random(seed + 3)
    out: list[BenchQuery] = []
    while len(out) < n:
        lang = rng.choice([lang for lang, _ in LANG_SHARE])
        words = [
            w.lower() for w in _WORDS.findall(titles[lang][rng.randrange(len(titles[lang]))]) if len(w) >= 7
        ]
        if not words:
            continue
        w = rng.choice(words)
        i = 1 + rng.randrange(len(w) - 2)
        typo = w[:i] + ("ж" if w[i] != "ж" and not w.isascii() else "q" if w[i] != "q" else "z") + w[i + 1 :]
        out.append(BenchQuery("typo", typo, typo))
    return out


def _request(bq: BenchQuery, now: datetime) -> Any:
    from svodka.search import SearchFilters, SearchRequest

    f = SearchFilters(
        langs=(bq.lang,) if bq.lang else (),
        date_from=now - timedelta(days=bq.days) if bq.days else None,
        source_ids=(bq.source_id,) if bq.source_id else (),
        place_ids=(bq.place_id,) if bq.place_id else (),
    )
    return SearchRequest(q=bq.q, filters=f, sort=bq.sort, limit=20)  # type: ignore[arg-type]


def _pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s) + 0.5) - 1))]


def _dir_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


LogFn = Callable[[str], None]


def index_corpus(path: Path, n: int, seed: int, log: LogFn, progress: Any = None) -> dict[str, Any]:
    from svodka.search._tantivy import TantivyIndex

    ix = TantivyIndex(path, writer_heap_mb=256)
    add_s = 0.0
    batch: list[Any] = []
    task = progress.add_task(f"indexing {n:,} articles", total=n) if progress else None
    try:
        for a in articles(n, seed):
            batch.append(_doc(a))
            if len(batch) >= BATCH:
                t = time.perf_counter()
                ix.add(batch)
                add_s += time.perf_counter() - t
                if progress:
                    progress.advance(task, len(batch))
                batch = []
        t = time.perf_counter()
        if batch:
            ix.add(batch)
        ix.commit(str(n))
        add_s += time.perf_counter() - t
        if progress:
            progress.advance(task, len(batch))
        count = ix.count()
    finally:
        ix.close()
    return {
        "docs": count,
        "index_s": round(add_s, 2),
        "docs_per_s": round(count / add_s, 1) if add_s else 0.0,
        "index_mb": round(_dir_mb(path), 1),
    }


def time_queries(path: Path, queries: list[BenchQuery], repeat: int = REPEAT) -> dict[str, Any]:
    """Each query's time is the median of ``repeat`` passes over all the queries (a single
    pass on a shared machine measures the neighbours' load as much as the query)."""
    from svodka.search._tantivy import TantivyIndex

    now = datetime(2026, 11, 1, tzinfo=UTC)
    ix = TantivyIndex(path)
    reqs = [_request(bq, now) for bq in queries]
    wall: list[list[float]] = [[] for _ in queries]
    # CPU time of the process (all its threads): what a query costs, whatever else runs
    cpu: list[list[float]] = [[] for _ in queries]
    first_pass: list[float] = []
    hits = 0
    try:
        for req in reqs[:20]:  # warm-up: the OS cache and the searcher
            ix.search(req)
        for rep in range(max(1, repeat)):
            for i, req in enumerate(reqs):
                c = time.process_time()
                t = time.perf_counter()
                res = ix.search(req)
                ms = (time.perf_counter() - t) * 1000
                cpu[i].append((time.process_time() - c) * 1000)
                wall[i].append(ms)
                if rep == 0:
                    first_pass.append(ms)
                    hits += 1 if res.total else 0
    finally:
        ix.close()
    times = [statistics.median(w) for w in wall]
    cpus = [statistics.median(c) for c in cpu]
    by_shape: dict[str, list[float]] = {}
    for bq, ms in zip(queries, times, strict=True):
        by_shape.setdefault(bq.shape, []).append(ms)
    return {
        "p50_ms": round(_pct(times, 50), 3),
        "p95_ms": round(_pct(times, 95), 3),
        "p99_ms": round(_pct(times, 99), 3),
        "mean_ms": round(sum(times) / len(times), 3) if times else 0.0,
        "first_pass_p95_ms": round(_pct(first_pass, 95), 3),
        "cpu_p50_ms": round(_pct(cpus, 50), 3),
        "cpu_p95_ms": round(_pct(cpus, 95), 3),
        "cpu_p99_ms": round(_pct(cpus, 99), 3),
        "repeat": max(1, repeat),
        "queries_with_hits": hits,
        "by_shape_p95_ms": {k: round(_pct(v, 95), 3) for k, v in sorted(by_shape.items())},
    }


def run_peer(work: Path, n: int, seed: int, queries: list[BenchQuery], log: LogFn) -> dict[str, Any]:
    from benchmarks.bench_ingest import _checked, peer_python, run_child

    py = peer_python(log=log)
    art = work / "peer_articles.jsonl"
    with art.open("w", encoding="utf-8") as f:
        for a in articles(n, seed):
            f.write(
                json.dumps(
                    {
                        "feed": f"https://outlet{a.source_id}.example.test/feed",
                        "id": str(a.id),
                        "title": a.title,
                        "text": a.text,
                        "published": a.published.isoformat(),
                    }
                )
                + "\n"
            )
    qf = work / "peer_queries.txt"
    qf.write_text("\n".join(q.fts for q in queries) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    log(f"reader: indexing {n:,} articles and running {len(queries)} queries …")
    cmd = [
        str(py),
        str(PEER_SCRIPT),
        "--articles",
        str(art),
        "--queries",
        str(qf),
        "--db",
        str(work / "reader.sqlite"),
        "--repeat",
        str(REPEAT),
    ]
    run = _checked(run_child(cmd, env=env, timeout_s=7200), "reader (peer)")
    return run.last_json()


def run_bench(
    n: int,
    *,
    n_queries: int = 500,
    peer: bool = True,
    peer_articles: int = 10_000,
    seed: int = 1,
    log: LogFn = print,
    progress: Any = None,
    tmp_dir: Path | None = None,
) -> dict[str, Any]:
    from benchmarks.bench_ingest import machine_info

    queries = make_queries(n_queries, seed)
    result: dict[str, Any] = {"articles": n, "queries": len(queries)}
    with tempfile.TemporaryDirectory(prefix="svodka-bench-search-", dir=tmp_dir) as tmp:
        work = Path(tmp)
        log(f"svodka: indexing {n:,} synthetic articles …")
        ix_path = work / "index"
        built = index_corpus(ix_path, n, seed, log, progress)
        result.update(
            {
                "index_docs": built["docs"],
                "index_s": built["index_s"],
                "index_docs_per_s": built["docs_per_s"],
                "index_mb": built["index_mb"],
            }
        )
        log(f"svodka: {len(queries)} queries over {n:,} articles …")
        result.update(time_queries(ix_path, queries))
        typos = make_typo_queries(max(10, n_queries // 10), seed)
        timed = time_queries(ix_path, typos)
        result.update(
            {
                "typo_queries": len(typos),
                "typo_p50_ms": timed["p50_ms"],
                "typo_p95_ms": timed["p95_ms"],
                "typo_with_hits": timed["queries_with_hits"],
            }
        )
        shutil.rmtree(ix_path, ignore_errors=True)
        result.update(
            {
                "peer_articles": None,
                "peer_p50_ms": None,
                "peer_p95_ms": None,
                "peer_p99_ms": None,
                "peer_index_s": None,
                "peer_db_mb": None,
                "peer_version": None,
                "ours_at_peer_p95_ms": None,
                "ratio": None,
            }
        )
        if peer:
            m = min(n, peer_articles)
            small = work / "index-peer-size"
            log(f"svodka: the same queries over the first {m:,} articles (the peer's size) …")
            index_corpus(small, m, seed, log, progress)
            ours_small = time_queries(small, queries)
            p = run_peer(work, m, seed, queries, log)
            result.update(
                {
                    "peer_articles": p["articles"],
                    "peer_p50_ms": p["p50_ms"],
                    "peer_p95_ms": p["p95_ms"],
                    "peer_p99_ms": p["p99_ms"],
                    "peer_index_s": p["index_s"],
                    "peer_db_mb": p["db_mb"],
                    "peer_failed_queries": p["failed"],
                    "peer_version": f"reader {p['reader_version']}",
                    "ours_at_peer_p50_ms": ours_small["p50_ms"],
                    "ours_at_peer_p95_ms": ours_small["p95_ms"],
                    "ours_at_peer_cpu_p95_ms": ours_small["cpu_p95_ms"],
                    "peer_cpu_p95_ms": p.get("cpu_p95_ms"),
                    "peer_first_pass_p95_ms": p.get("first_pass_p95_ms"),
                    "ours_at_peer_first_pass_p95_ms": ours_small["first_pass_p95_ms"],
                }
            )
            result["ratio"] = round(p["p95_ms"] / ours_small["p95_ms"], 1) if ours_small["p95_ms"] else None
            peer_cpu = p.get("cpu_p95_ms")
            result["cpu_ratio"] = (
                round(peer_cpu / ours_small["cpu_p95_ms"], 1)
                if peer_cpu and ours_small["cpu_p95_ms"]
                else None
            )
    result["loadavg_1m_at_end"] = round(os.getloadavg()[0], 2)  # >cpus: other work shared the machine
    result["machine"] = machine_info()
    result["date"] = datetime.now(UTC).isoformat(timespec="seconds")
    return result


def main(argv: list[str] | None = None) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    p = argparse.ArgumentParser(prog="svodka bench search", description=__doc__.splitlines()[0])
    p.add_argument("--articles", type=int, default=1_000_000)
    p.add_argument("--queries", type=int, default=500)
    p.add_argument("--peer-articles", type=int, default=10_000)
    p.add_argument("--no-peer", action="store_true")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--tmp", type=Path, default=None, help="folder for the temporary indexes")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    err = Console(stderr=True)

    def log(msg: str) -> None:
        err.print(f"[dim]{msg}[/]")

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
    try:
        with progress:
            result = run_bench(
                args.articles,
                n_queries=args.queries,
                peer=not args.no_peer,
                peer_articles=args.peer_articles,
                seed=args.seed,
                log=log,
                progress=progress,
                tmp_dir=args.tmp,
            )
    except Exception as exc:  # the benchmark explains itself rather than dumping a traceback
        from benchmarks.bench_ingest import BenchError

        if not isinstance(exc, BenchError | OSError):
            raise
        err.print(f"[red]benchmark failed:[/] {exc}")
        return 1
    lines = [
        f"articles {result['articles']:,}: indexing {result['index_docs_per_s']:,} docs/s, "
        f"index {result['index_mb']} MB",
        f"svodka: p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms, "
        f"CPU time p95 {result['cpu_p95_ms']} ms "
        f"({result['queries']} queries; p95 by shape {result['by_shape_p95_ms']})",
    ]
    if result["peer_p95_ms"] is not None:
        lines.append(
            f"at {result['peer_articles']:,} articles: reader p95 {result['peer_p95_ms']} ms, "
            f"svodka p95 {result['ours_at_peer_p95_ms']} ms → ratio {result['ratio']}× "
            f"(CPU time p95: reader {result['peer_cpu_p95_ms']} ms, svodka {result['ours_at_peer_cpu_p95_ms']} ms "
            f"→ {result['cpu_ratio']}×)"
        )
    for line in lines:
        err.print(line) if args.json else print(line)
    if args.json:
        print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
