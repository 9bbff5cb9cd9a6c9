"""The `svodka` command: sources import/export/add/list and `crawl --once`, run in-process
against the test database (SQLite or PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from svodka.opml import parse_opml
from svodka.simulator import SimConfig, SimulatorServer
from svodka_site.cli import default_sources_path, main
from svodka_site.news.models import Article, Feed, Source

from ..conftest import shared_path

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def sim() -> Iterator[SimulatorServer]:
    with SimulatorServer(SimConfig(outlets=4, seed=11, hostile=False, items_per_feed=10)) as server:
        yield server


def test_default_source_list_imports(capsys: pytest.CaptureFixture[str]) -> None:
    path = default_sources_path()
    expected = parse_opml(path.read_bytes())
    assert len(expected) > 150
    assert main(["sources", "import", str(path)]) == 0
    assert Feed.objects.count() == len({f.xml_url for f in expected})
    langs = set(Source.objects.values_list("language", flat=True))
    assert {"ru", "uk", "be", "en"} <= langs
    assert main(["sources", "import", str(path)]) == 0  # idempotent
    assert Feed.objects.count() == len({f.xml_url for f in expected})
    out = capsys.readouterr().err
    assert "already known" in out


def test_shared_opml_matches_the_default_list() -> None:
    shared = parse_opml(shared_path("sources", "feeds.opml").read_bytes())
    ours = parse_opml(default_sources_path().read_bytes())
    assert {f.xml_url for f in shared} == {f.xml_url for f in ours}


def test_broken_opml_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.opml"
    bad.write_bytes(b"<opml><body><outline xmlUrl='http://x.test/rss'")
    assert main(["sources", "import", str(bad)]) == 2
    assert "could not import" in capsys.readouterr().err
    assert Feed.objects.count() == 0


def test_import_crawl_list_export(
    sim: SimulatorServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    opml = tmp_path / "sim.opml"
    sim.write_opml(opml)
    # one feed that cannot be reached: crawl --once still exits 0 and explains it
    dead = tmp_path / "dead.opml"
    dead.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head/><body>'
        '<outline text="Dead" xmlUrl="http://127.0.0.1:9/rss.xml" htmlUrl="http://127.0.0.1:9/"/></body></opml>'
    )
    assert main(["sources", "import", str(opml)]) == 0
    assert main(["sources", "import", str(dead)]) == 0
    capsys.readouterr()
    assert main(["crawl", "--once", "--json", "--quiet"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["feeds"] == 5 and summary["feeds_failed"] == 1
    assert summary["new"] == Article.objects.count() > 0
    assert summary["pages"] > 0

    assert main(["sources", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 5
    assert all({"url", "status", "error", "items"} <= set(r) for r in rows)
    dead_row = next(r for r in rows if "127.0.0.1:9/" in r["url"])
    assert dead_row["status"] == "error" and dead_row["error"] and dead_row["items"] == 0
    assert sum(r["items"] for r in rows) == Article.objects.count()

    out = tmp_path / "export.opml"
    assert main(["sources", "export", "-o", str(out)]) == 0
    exported = parse_opml(out.read_bytes())
    assert {f.xml_url for f in exported} == set(Feed.objects.values_list("url", flat=True))


def test_add_discovers_feed_from_home_page(sim: SimulatorServer, capsys: pytest.CaptureFixture[str]) -> None:
    outlet = sim.outlets[0]
    assert main(["sources", "add", outlet.origin + "/"]) == 0
    feed = Feed.objects.get()
    assert feed.url == outlet.feed_url
    assert main(["sources", "add", "http://127.0.0.1:9/"]) == 2
    assert "could not fetch" in capsys.readouterr().err
