"""Smoke test of ``svodka bench stories`` on a tiny store (the figures are not checked)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from benchmarks import bench_stories


def test_bench_stories_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        bench_stories.main(["--sizes", "2000", "--new", "120", "--batch", "50", "--outlets", "20", "--json"])
        == 0
    )
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    for key in ("articles_per_s", "peak_rss_mb", "sizes", "embed_articles_per_s", "machine", "python", "date",
                "flat_spread", "goal", "database", "articles_per_cpu_s"):  # fmt: skip
        assert key in result, key
    assert set(result["articles_per_s"]) == {"2000"}
    assert result["articles_per_s"]["2000"] > 0 and result["peak_rss_mb"] > 10
    size = result["sizes"]["2000"]
    assert len(size["runs_articles_per_s"]) == 3  # three measurements, the store reset between them
    assert size["archive_articles"] == 2000 and size["new_articles"] == 120
    # every new article was stored with a story; the whole small archive is in the window
    assert size["stored_with_story"] == 120
    assert size["stories_loaded"] == size["window_stories"] == size["archive_stories"]
    assert 0 < size["new_stories"] <= 120
    # some new articles continue stories already in the store (--continuing), and join them
    assert size["continuing_stories"] > 0 and size["joined_archive_stories"] > 0


def test_sizes_default_to_10k_100k_1m_capped() -> None:
    def sizes(*argv: str) -> list[int]:
        ns = bench_stories.argparse.Namespace(articles=1_000_000, sizes=None)
        for k, v in zip(argv[::2], argv[1::2], strict=True):
            setattr(ns, k, v)
        return bench_stories._sizes(ns)

    assert sizes() == [10_000, 100_000, 1_000_000]
    assert sizes("articles", 50_000) == [10_000, 50_000]
    assert sizes("sizes", "2000,500") == [500, 2000]


def test_archive_plan_is_a_consistent_history() -> None:
    rng = np.random.default_rng(0)
    t_end = 1_800_000_000.0
    plan = bench_stories._archive_plan(5000, 1000.0, t_end, 30, rng)
    times, story, sid, sizes = plan["times"], plan["story"], plan["story_id"], plan["sizes"]
    assert len(times) == 5000 and int(sizes.sum()) == 5000 and sizes.min() >= 1
    assert np.all(np.diff(times) >= 0)  # ids 1..n in publication order
    assert times.max() <= t_end and times.min() >= t_end - 5 * 86400
    # a story's id is its first article's id, and that article belongs to it
    ids = np.arange(1, 5001)
    for s in range(0, len(sizes), max(1, len(sizes) // 50)):
        members = ids[story == s]
        assert sid[s] == members.min()
    assert set(np.unique(plan["source"])) <= set(range(1, 31))
    assert (sizes == 1).mean() > 0.4 and sizes.max() > 10  # mostly single reports, a few big stories
