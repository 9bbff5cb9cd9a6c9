"""Accuracy, speed and memory of ``svodka.understand.lang``.

    python -m benchmarks.eval_lang [--json] [--titles-only]

Sets (each skipped with a note when its data is missing):
  tgcontest   ../shared/benchmarks/tgcontest_markup/categories/{ru,en}_cat_*.tsv: title + text,
              gold language from the file name (train/exam/honey of Toloka, 442 docs).
  tgcontest_titles  the same documents, title alone.
  feeds       ../shared/benchmarks/real_news_feeds: Lenta.ru (ru) and BBC World (en) items, title +
              description.
  simulator   svodka.simulator newsroom (seed 7, 40 outlets): ru/en/uk articles, title + text.
  simulator_titles  the same, title alone.
  headlines   the hand-written short ru/uk/be/en headlines of tests/core/test_lang.py.
Speed: texts per CPU-second (one core, best of 3) over the simulator articles (title + first 1,000 characters
of text, the understanding stage's input), models already loaded. Memory: RSS growth from
loading the models (``rss_mb``) and load time.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime

from benchmarks._common import REPO, SHARED, rss_mb

Sample = tuple[str, str, str]  # (gold language, title, text)


def tgcontest() -> list[Sample] | None:
    folder = SHARED / "benchmarks" / "tgcontest_markup" / "categories"
    if not folder.is_dir():
        return None
    csv.field_size_limit(50_000_000)
    out: list[Sample] = []
    seen: set[str] = set()
    for path in sorted(folder.glob("*_cat_*.tsv")):
        lang = path.name.split("_", 1)[0]
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                url = row.get("INPUT:url", "")
                if url in seen:
                    continue
                seen.add(url)
                out.append((lang, row.get("INPUT:title", ""), row.get("INPUT:text", "")))
    return out


def feeds() -> list[Sample] | None:
    folder = SHARED / "benchmarks" / "real_news_feeds"
    if not folder.is_dir():
        return None
    import feedparser

    out: list[Sample] = []
    for name, lang in (("lenta_ru_rss_2022-12-03.xml", "ru"), ("bbc_world_rss_2025-06-23.xml", "en")):
        parsed = feedparser.parse((folder / name).read_bytes())
        out += [(lang, e.get("title", ""), e.get("summary", "")) for e in parsed.entries]
    return out


def simulator(outlets: int = 40) -> list[Sample]:
    from svodka.simulator import Newsroom, SimConfig

    config = SimConfig(outlets=outlets, seed=7, hostile=False, start=datetime(2026, 3, 2, 12, tzinfo=UTC))
    room = Newsroom(config)
    out: list[Sample] = []
    for item in room.items_until(config.start):
        art = room.article(item)
        out.append((item.lang, art.title, "\n\n".join(art.paragraphs)))
    return out


def headlines() -> list[Sample]:
    sys.path.insert(0, str(REPO))
    from tests.core.test_lang import HEADLINES

    return [(lang, title, "") for lang, titles in HEADLINES.items() for title in titles]


def accuracy(samples: Iterable[Sample], *, titles_only: bool = False, errors: int = 5) -> dict:
    from svodka.understand.lang import detect_language

    n = ok = 0
    confusion: Counter[str] = Counter()
    examples: list[str] = []
    for gold, title, text in samples:
        got = detect_language(title, "" if titles_only else text).code
        n += 1
        if got == gold:
            ok += 1
        else:
            confusion[f"{gold}->{got}"] += 1
            if len(examples) < errors:
                examples.append(f"{gold}->{got}: {title[:80]}")
    return {
        "accuracy": round(ok / n, 4) if n else None,
        "n": n,
        "errors": dict(confusion.most_common()),
        "examples": examples,
    }


def speed(samples: list[Sample], rounds: int = 3) -> float:
    from svodka.understand.lang import detect_language

    docs = [(title, text[:1000]) for _, title, text in samples]
    best = 0.0
    for _ in range(rounds):
        t0 = time.process_time()  # CPU time: other processes on the machine do not count
        for title, text in docs:
            detect_language(title, text)
        best = max(best, len(docs) / max(time.process_time() - t0, 1e-9))
    return round(best, 1)


def evaluate(*, titles_only: bool = False) -> dict:
    """All figures as one dict (for ``svodka eval --json``)."""
    rss0 = rss_mb()
    t0 = time.perf_counter()
    from svodka.understand.lang import warm_up

    warm_up()
    load_s = time.perf_counter() - t0
    rss_loaded = rss_mb() - rss0

    result: dict = {}
    sets = (
        ("tgcontest", tgcontest(), "tgcontest_markup"),
        ("feeds", feeds(), "real_news_feeds"),
        ("simulator", sim := simulator(), None),
    )
    for name, samples, folder in sets:
        if samples is None:
            result[name] = {"skipped": f"no data at {SHARED}/benchmarks/{folder}"}
            continue
        if not titles_only:
            result[name] = accuracy(samples)
        result[f"{name}_titles"] = accuracy(samples, titles_only=True)
    result["headlines"] = accuracy(headlines())
    result["texts_per_s"] = speed(sim)
    result["titles_per_s"] = speed([(g, t, "") for g, t, _ in sim])
    result["load_s"] = round(load_s, 2)
    result["rss_mb"] = round(rss_loaded, 1)  # growth from loading the models
    result["rss_total_mb"] = round(rss_mb(), 1)  # the whole process after the run
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    ap.add_argument("--titles-only", action="store_true", help="skip the title + text runs")
    args = ap.parse_args(argv)
    res = evaluate(titles_only=args.titles_only)
    for key, val in res.items():
        if isinstance(val, dict):
            if "skipped" in val:
                print(f"{key:18} skipped: {val['skipped']}", file=sys.stderr)
                continue
            print(
                f"{key:18} accuracy {val['accuracy']}  n={val['n']}  errors={val['errors']}", file=sys.stderr
            )
            for ex in val["examples"]:
                print(f"{'':20}{ex}", file=sys.stderr)
        else:
            print(f"{key:18} {val}", file=sys.stderr)
    if args.json:
        print(json.dumps(res, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
