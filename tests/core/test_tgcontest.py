"""The contest store: put/update/delete, lifetimes on the documents' own clock, the threads
JSON, persistence and several processes on one file, the batch threads/top modes."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from svodka import tgcontest
from svodka.batch import analyze_lines, tg
from svodka.tgcontest import TgBadRequest, TgStore, parse_max_age, parse_threads_query

from ..tgdocs import DOCS, StandInClusterer, contest_html


def store(path: Path | None = None) -> TgStore:
    s = TgStore(path, clusterer_factory=StandInClusterer)
    s.load()
    return s


def names(result: dict) -> list[list[str]]:
    return [t["articles"] for t in result["threads"]]


def test_put_update_delete() -> None:
    s = store()
    assert s.put("quake1.html", contest_html("quake1", site="a.test"), 86400) is True
    assert s.put("quake1.html", contest_html("quake1", site="a.test", title="Quake in Turkey: 40 dead"), 86400) is False
    assert len(s) == 1
    [thread] = s.threads(3600, "en", "any")["threads"]
    assert thread["title"] == "Quake in Turkey: 40 dead"  # the update replaced the document
    assert s.delete("quake1.html") is True
    assert s.delete("quake1.html") is False
    assert s.threads(3600, "en", "any") == {"threads": []}


def test_threads_shape_languages_categories_and_ranking() -> None:
    s = store()
    s.put("match.html", contest_html("match", site="c.test", minutes=0), 86400)
    s.put("quake1.html", contest_html("quake1", site="a.test", minutes=1), 86400)
    s.put("quake2.html", contest_html("quake2", site="b.test", minutes=2), 86400)
    s.put("fire1.html", contest_html("fire1", site="r1.test", minutes=3), 86400)
    s.put("fire2.html", contest_html("fire2", site="r2.test", minutes=4), 86400)
    s.put("bank.html", contest_html("bank", site="r1.test", minutes=5), 86400)
    en = s.threads(3600, "en", "any")
    assert set(en) == {"threads"}
    for t in en["threads"]:
        assert set(t) == {"title", "category", "articles"}
        assert isinstance(t["title"], str) and t["title"]
    # two outlets outrank one: the quake comes first, then the match
    assert [sorted(a) for a in names(en)] == [["quake1.html", "quake2.html"], ["match.html"]]
    assert [t["category"] for t in en["threads"]] == ["society", "sports"]
    ru = s.threads(3600, "ru", "any")
    assert [sorted(a) for a in names(ru)] == [["fire1.html", "fire2.html"], ["bank.html"]]
    assert names(s.threads(3600, "ru", "economy")) == [["bank.html"]]
    assert names(s.threads(3600, "en", "sports")) == [["match.html"]]
    assert s.threads(3600, "en", "science") == {"threads": []}


def test_period_counts_back_from_the_newest_document_not_the_wall_clock() -> None:
    s = store()
    s.put("match.html", contest_html("match", site="c.test", minutes=0), 30 * 86400)
    s.put("bank.html", contest_html("bank", site="r1.test", minutes=120), 30 * 86400)
    # the documents are from 2020: a wall-clock window would hold nothing
    assert names(s.threads(3 * 3600, "en", "any")) == [["match.html"]]
    assert s.threads(3600, "en", "any") == {"threads": []}  # two hours before the newest document
    assert names(s.threads(3600, "ru", "any")) == [["bank.html"]]


def test_documents_expire_by_the_documents_clock() -> None:
    s = store()
    s.put("match.html", contest_html("match", site="c.test", minutes=0), 3600)
    s.put("quake1.html", contest_html("quake1", site="a.test", minutes=30), 86400)
    assert len(s) == 2  # the clock (newest published) is 30 min past the match: it lives
    s.put("bank.html", contest_html("bank", site="r1.test", minutes=61), 86400)
    assert len(s) == 2  # published + max-age has passed on the documents' clock: gone
    assert names(s.threads(86400, "en", "any")) == [["quake1.html"]]
    assert s.delete("match.html") is False
    # a document already past its lifetime on arrival is accepted and never listed
    assert s.put("fire1.html", contest_html("fire1", site="r2.test", minutes=0), 60) is True
    assert names(s.threads(86400, "ru", "any")) == [["bank.html"]]


def test_state_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "tg.sqlite3"
    s = store(path)
    s.put("quake1.html", contest_html("quake1", site="a.test", minutes=0), 86400)
    s.put("match.html", contest_html("match", site="c.test", minutes=1), 86400)
    before = s.threads(3600, "en", "any")
    s.close()
    again = TgStore(path, clusterer_factory=StandInClusterer)
    assert again.loading
    with pytest.raises(RuntimeError):
        again.threads(3600, "en", "any")
    again.load()
    assert not again.loading
    assert again.threads(3600, "en", "any") == before
    # the clusterer resumed from the stored stories: the second report joins the first
    again.put("quake2.html", contest_html("quake2", site="b.test", minutes=2), 86400)
    assert sorted(names(again.threads(3600, "en", "any"))[0]) == ["quake1.html", "quake2.html"]
    assert again.put("match.html", contest_html("match", site="c.test", minutes=1), 86400) is False


def test_two_processes_share_one_file(tmp_path: Path) -> None:
    path = tmp_path / "tg.sqlite3"
    a, b = store(path), store(path)
    assert a.put("quake1.html", contest_html("quake1", site="a.test"), 86400) is True
    assert b.put("quake1.html", contest_html("quake1", site="a.test"), 86400) is False  # b sees a's write
    b.put("quake2.html", contest_html("quake2", site="b.test", minutes=1), 86400)
    assert sorted(names(a.threads(3600, "en", "any"))[0]) == ["quake1.html", "quake2.html"]
    assert a.delete("quake2.html") is True
    assert b.delete("quake2.html") is False
    assert names(b.threads(3600, "en", "any")) == [["quake1.html"]]


def test_query_and_header_validation() -> None:
    assert parse_threads_query({"period": "3600", "lang_code": "ru", "category": "any"}) == (3600, "ru", "any")
    assert parse_threads_query({"period": "60", "lang_code": "en"}) == (60, "en", "any")
    for bad in (
        {"period": "x", "lang_code": "en"},
        {"period": "0", "lang_code": "en"},
        {"period": "60", "lang_code": "de"},
        {"period": "60", "lang_code": "en", "category": "weather"},
        {"lang_code": "en"},
    ):
        with pytest.raises(TgBadRequest):
            parse_threads_query(bad)
    assert parse_max_age("public, max-age=300") == 300
    assert parse_max_age(None) == tgcontest.DEFAULT_TTL
    with pytest.raises(TgBadRequest):
        parse_max_age("max-age=soon")


def test_batch_threads_and_top(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tgcontest, "_default_clusterer", StandInClusterer)
    (tmp_path / "day1").mkdir()
    for key, site, minutes in [
        ("quake1", "a.test", 0), ("quake2", "b.test", 5), ("match", "c.test", 10),
        ("fire1", "r1.test", 15), ("fire2", "r2.test", 20), ("bank", "r1.test", 25),
    ]:
        (tmp_path / "day1" / f"{key}.html").write_bytes(contest_html(key, site=site, minutes=minutes))
    (tmp_path / "junk.html").write_bytes(b"\x00\xff not html at all")
    threads = tg("threads", tmp_path)
    assert all(set(t) == {"title", "articles"} for t in threads)
    groups = sorted(sorted(t["articles"]) for t in threads)
    assert groups == [["bank.html"], ["fire1.html", "fire2.html"], ["match.html"], ["quake1.html", "quake2.html"]]
    top = tg("top", tmp_path)
    assert [c["category"] for c in top] == ["any", *tgcontest.CATEGORIES]
    every = top[0]["threads"]
    assert {len(t["articles"]) for t in every[:2]} == {2}  # stories from two outlets rank first
    assert all(set(t) == {"title", "category", "articles"} for t in every)
    by_cat = {c["category"]: [sorted(t["articles"]) for t in c["threads"]] for c in top[1:]}
    assert by_cat["economy"] == [["bank.html"]] and by_cat["sports"] == [["match.html"]]
    assert sorted(by_cat["society"]) == [["fire1.html", "fire2.html"], ["quake1.html", "quake2.html"]]


def test_analyze_adds_story() -> None:
    def line(ident: str, key: str, hour: int, site: str) -> str:
        title, text = DOCS[key]
        return json.dumps({"id": ident, "title": title, "text": text, "site": site,
                           "published": f"2020-05-11T{hour:02d}:00:00Z"}, ensure_ascii=False)

    src = [
        line("q2", "quake2", 11, "b.test"),  # listed first, published after q1
        line("m", "match", 9, "c.test"),
        "{broken",
        line("q1", "quake1", 10, "a.test"),
        json.dumps({"id": "none"}),
        line("f1", "fire1", 12, "r.test"),
    ]
    rows = list(analyze_lines(src, clusterer=StandInClusterer()))
    q2, m, bad, q1, none, f1 = rows
    assert q1["story"] == q2["story"] == "q1"  # the story is named by its earliest article
    assert m["story"] == "m" and f1["story"] == "f1"
    assert "story" not in bad and "story" not in none and "error" in none


def test_bad_documents_are_indexed_without_breaking_threads() -> None:
    s = store()
    s.put("quake1.html", contest_html("quake1", site="a.test", minutes=0), 86400)
    assert s.put("empty.html", b"", 86400) is True  # no text at all: kept, never in a thread
    assert s.put("soup.html", b"<html><p><p><article><h1>\xff\xfe", 86400) is True
    headline = b'<html><head><meta property="og:title" content="Earthquake hits southern Turkey"/></head></html>'
    assert s.put("headline.html", headline, 86400) is True  # undated: takes the clock
    assert len(s) == 4
    listed = {a for t in s.threads(30 * 86400, "en", "any")["threads"] for a in t["articles"]}
    assert "quake1.html" in listed and "empty.html" not in listed and "soup.html" not in listed
    # a document dated in the year 2999 moves the clock only to the wall clock + 1 day; the
    # 2020 documents' lifetimes (one day) have passed on that clock, as the contest's rule says
    far = contest_html("match", site="c.test").replace(b"2020-05-11", b"2999-05-11")
    assert s.put("future.html", far, 86400) is True
    assert abs(s.clock - (time.time() + tgcontest.FUTURE_SLACK)) < 3600
    assert len(s) == 1
    assert names(s.threads(60, "en", "any")) == [["future.html"]]


def test_analyze_story_with_the_real_clusterer() -> None:
    def line(ident: str, key: str, hour: int) -> str:
        title, text = DOCS[key]
        return json.dumps({"id": ident, "title": title, "text": text, "url": f"https://{ident}.test/1",
                           "published": f"2020-05-11T{hour:02d}:00:00Z"}, ensure_ascii=False)

    rows = list(analyze_lines([line("q2", "quake2", 11), line("m", "match", 9), line("q1", "quake1", 10),
                               line("f", "fire1", 12)]))
    q2, m, q1, f = rows
    assert q1["story"] == q2["story"] == "q1"
    assert len({q1["story"], m["story"], f["story"]}) == 3
