"""Smoke test of ``svodka bench search``: a tiny corpus, no peer; the last line is the JSON
the issue promises. (Speed is not asserted: benchmarks measure it.)"""

from __future__ import annotations

import json

import pytest

from benchmarks import bench_search


def test_bench_search_smoke(capsys: pytest.CaptureFixture[str]) -> None:
    rc = bench_search.main(["--articles", "300", "--no-peer", "--json", "--queries", "20"])
    assert rc == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    result = json.loads(last)
    assert result["articles"] == 300
    assert result["index_docs"] == 300
    assert result["queries"] == 20
    for key in ("index_docs_per_s", "index_mb", "p50_ms", "p95_ms", "p99_ms", "date", "machine"):
        assert result[key], key
    assert result["p50_ms"] <= result["p95_ms"] <= result["p99_ms"]
    assert result["queries_with_hits"] > 10  # the queries are drawn from the corpus's own words
    for key in ("peer_p95_ms", "peer_articles", "ratio"):
        assert key in result and result[key] is None


def test_synthetic_articles_are_deterministic_and_sized() -> None:
    a = list(bench_search.articles(50, seed=3))
    b = list(bench_search.articles(50, seed=3))
    assert a == b
    assert {x.lang for x in a} <= {"ru", "uk", "en"}
    assert all(1000 <= len(x.text.encode("utf-8")) <= 6000 for x in a)
    shapes = {q.shape for q in bench_search.make_queries(100, seed=3)}
    assert shapes == {"word", "two_words", "phrase", "filtered"}
