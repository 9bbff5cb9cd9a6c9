"""The contest store: put/update/delete, lifetimes on the documents' own clock, the threads
JSON, persistence and several processes on one file, the batch threads/top modes."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from svodka import tgcontest
from svodka.batch import analyze_lines, tg
from svodka.tgcontest import (
    TgBadRequest,
    TgStore,
    is_article_name,
    parse_max_age,
    parse_threads_query,
    prepare,
    resource,
)

from ..tgdocs import DOCS, T0, StandInClusterer, contest_html


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
    assert parse_threads_query({"period": "300", "lang_code": "en"}) == (300, "en", "any")
    assert parse_threads_query({"period": "2592000", "lang_code": "en"})[0] == tgcontest.MAX_PERIOD
    for bad in (
        {"period": "x", "lang_code": "en"},
        {"period": "0", "lang_code": "en"},
        {"period": "1", "lang_code": "en"},  # the contest's periods run from 5 minutes ...
        {"period": "299", "lang_code": "en"},
        {"period": "2592001", "lang_code": "en"},  # ... to 30 days
        {"period": "99999999999", "lang_code": "en"},
        {"period": "9" * 5000, "lang_code": "en"},
        {"period": "3_600", "lang_code": "en"},
        {"period": "-300", "lang_code": "en"},
        {"period": "3600", "lang_code": "de"},
        {"period": "3600", "lang_code": "en", "category": "weather"},
        {"lang_code": "en"},
    ):
        with pytest.raises(TgBadRequest):
            parse_threads_query(bad)
    with pytest.raises(TgBadRequest, match=r"from 300 .* to 2592000"):
        parse_threads_query({"period": "1", "lang_code": "en"})
    assert parse_max_age("public, max-age=300") == 300
    assert parse_max_age("max-age=0") == 0
    assert parse_max_age(f"max-age={tgcontest.MAX_TTL}") == 2**31 - 1
    assert parse_max_age(None) == tgcontest.DEFAULT_TTL
    for bad in ("max-age=soon", "max-age=-5", "max-age=1_000", "max-age=", f"max-age={2**31}",
                "max-age=99999999999999999999999", "max-age=" + "9" * 5000):
        with pytest.raises(TgBadRequest):
            parse_max_age(bad)
    with pytest.raises(TgBadRequest, match="from 0 to 2147483647 seconds"):
        parse_max_age("max-age=99999999999999999999999")


def test_only_article_names_and_threads_are_resources() -> None:
    for good in ("1234567890.html", "a.html", "quake 1.html", "статья.html", "x" * 250 + ".html"):
        assert is_article_name(good) and resource(good) == "article", good
    for bad in ("threads.txt", "foo.txt", ".html", "a.htm", "a.HTML", "../../etc/passwd.html", "a/b.html",
                "a\\b.html", "..html", "a..b.html", "a\x00.html", "a\n.html", "x" * 251 + ".html", ""):
        assert not is_article_name(bad) and resource(bad) is None, bad
    assert resource("threads") == "threads"


def test_a_huge_max_age_is_refused_before_the_store() -> None:
    s = store()
    p = prepare("bad.html", contest_html("quake1", site="a.test"), 10**23)
    good = prepare("good.html", contest_html("quake2", site="b.test"), 86400)
    with pytest.raises(TgBadRequest):
        s.put_prepared([good, p])  # checked before any write: nothing half-done
    assert len(s) == 0
    bad, ok = s.put_each([p, good])
    assert isinstance(bad, TgBadRequest) and ok is True
    assert names(s.threads(3600, "en", "any")) == [["good.html"]]


class FailingStore(TgStore):
    """Fails at store time (inside the transaction) for one document's name."""

    def _put_one(self, db, p):  # type: ignore[no-untyped-def]
        if p.name == "boom.html":
            raise RuntimeError("disk on fire")
        return super()._put_one(db, p)


def test_a_failing_document_fails_alone_and_the_batch_is_indexed(tmp_path: Path) -> None:
    s = FailingStore(tmp_path / "tg.sqlite3", clusterer_factory=StandInClusterer)
    s.load()
    assert s.put("match.html", contest_html("match", site="c.test"), 86400) is True
    batch = [
        prepare("quake1.html", contest_html("quake1", site="a.test", minutes=1), 86400),
        prepare("boom.html", contest_html("quake2", site="b.test", minutes=2), 86400),
        prepare("match.html", contest_html("match", site="c.test", minutes=3), 86400),
        prepare("quake2.html", contest_html("quake2", site="b.test", minutes=4), 86400),
    ]
    with pytest.raises(RuntimeError):
        s.put_prepared(batch)  # one transaction: everything rolled back ...
    assert len(s) == 1
    quake1, boom, match, quake2 = s.put_each(batch)  # ... put_each retries each alone
    assert (quake1, match, quake2) == (True, False, True)
    assert isinstance(boom, RuntimeError) and "disk on fire" in str(boom)
    assert sorted(sorted(t) for t in names(s.threads(3600, "en", "any"))) == [
        ["match.html"], ["quake1.html", "quake2.html"]
    ]
    s.close()
    again = store(tmp_path / "tg.sqlite3")  # and it is on disk
    assert len(again) == 3 and "boom.html" not in again._by_name


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


def test_a_document_without_a_title_gets_its_first_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tgcontest, "_default_clusterer", StandInClusterer)
    page = re.sub(rb'<meta property="og:title"[^>]*>|<h1>.*?</h1>', b"", contest_html("bank", site="r1.test"))
    (tmp_path / "notitle.html").write_bytes(page)
    threads = tg("threads", tmp_path)
    title = next(t["title"] for t in threads if t["articles"] == ["notitle.html"])
    assert title and title.split()[0] in DOCS["bank"][1], threads
    assert tgcontest.stand_in_title("Один. Два.") == "Один."
    assert tgcontest.stand_in_title("слово " * 40).endswith("…") and len(tgcontest.stand_in_title("слово " * 40)) <= 121


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
    # a document dated in the year 2999 is clamped to the wall clock + 1 day and held, but
    # one document that far ahead does not move the clock: the 2020 documents stay
    clock = s.clock
    far = contest_html("match", site="c.test").replace(b"2020-05-11", b"2999-05-11")
    assert s.put("future.html", far, 86400) is True
    assert s.clock == clock
    assert abs(s._by_name["future.html"].published - (time.time() + tgcontest.FUTURE_SLACK)) < 3600
    assert len(s) == 5
    assert "quake1.html" in {a for t in s.threads(3600, "en", "any")["threads"] for a in t["articles"]}


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


def dated(key: str, site: str, when: str) -> bytes:
    return contest_html(key, site=site).replace(b"2020-05-11T10:00:00", when.encode())


def test_one_future_dated_document_does_not_expire_historical_data() -> None:
    # the audit's case: a day of 2020 articles living one day each, then one dated 2030
    s = store()
    for i, (key, site) in enumerate([("quake1", "a.test"), ("quake2", "b.test"), ("match", "c.test")] * 5):
        assert s.put(f"{key}-{i}.html", contest_html(key, site=f"{i}{site}", minutes=i * 3), 86400) is True
    clock = s.clock
    assert s.put("future.html", dated("quake1", "f.test", "2030-01-01T00:00:00"), 86400) is True
    assert s.clock == clock and len(s) == 16
    listed = sorted(a for t in s.threads(tgcontest.MAX_PERIOD, "en", "any")["threads"] for a in t["articles"])
    assert len(listed) == 15 and "future.html" not in listed  # ahead of the clock: held, not listed
    # a second outlier (another date again) does not move it either
    assert s.put("future2.html", dated("match", "g.test", "2031-06-01T00:00:00"), 86400) is True
    assert s.clock == clock and len(s) == 17
    # re-sending the same outlier replaces it: still one document, no quorum
    assert s.put("future.html", dated("quake1", "f.test", "2030-01-01T00:00:00"), 86400) is False
    assert s.clock == clock
    # later documents of the normal stream keep moving it, as the reference does
    assert s.put("late.html", contest_html("quake2", site="z.test", minutes=300), 86400) is True
    assert s.clock == clock + 300 * 60 - 14 * 3 * 60


def test_the_clock_follows_a_real_jump_in_the_data() -> None:
    s = store()
    s.put("d0.html", dated("quake1", "a.test", "2020-05-11T10:00:00"), 86400)
    # the next week's articles: the first two are held ahead of the clock ...
    s.put("d7a.html", dated("quake2", "b.test", "2020-05-18T10:00:00"), 86400)
    s.put("d7b.html", dated("match", "c.test", "2020-05-18T10:20:00"), 86400)
    assert s.clock == T0.timestamp()
    assert len(s) == 3
    # ... the third is the quorum: the clock jumps to the newest of them, d0 expires
    s.put("d7c.html", dated("quake1", "d.test", "2020-05-18T10:10:00"), 86400)
    assert tgcontest._ts(s.clock).isoformat() == "2020-05-18T10:20:00+00:00"
    assert sorted(s._by_name) == ["d7a.html", "d7b.html", "d7c.html"]
    listed = sorted(a for t in s.threads(3600, "en", "any")["threads"] for a in t["articles"])
    assert listed == ["d7a.html", "d7b.html", "d7c.html"]


def test_a_sparse_stream_lags_but_never_stalls() -> None:
    s = store()
    days = [f"2020-05-{d:02d}T10:00:00" for d in range(1, 20, 2)]  # one article every two days
    for i, when in enumerate(days):
        s.put(f"a{i}.html", dated("quake1", f"{i}.test", when), 30 * 86400)
    # never more than two documents ahead of the clock
    assert tgcontest._ts(s.clock).isoformat() == days[-3] + "+00:00"


def test_in_order_data_keeps_the_reference_clock() -> None:
    s = store()
    for i in range(6):
        s.put(f"q{i}.html", contest_html("quake1", site=f"{i}.test", minutes=i * 200), 86400)
        assert s.clock == T0.timestamp() + i * 200 * 60


def test_a_document_expired_on_arrival_is_201_never_listed_and_404_on_delete() -> None:
    s = store()
    s.put("quake1.html", contest_html("quake1", site="a.test"), 86400)
    old = dated("quake2", "b.test", "2019-05-11T10:00:00")
    assert s.put("old.html", old, 86400) is True
    assert s.put("old.html", old, 86400) is True  # not in the index: created again, as the reference says
    assert "old.html" not in s._by_name
    assert names(s.threads(tgcontest.MAX_PERIOD, "en", "any")) == [["quake1.html"]]
    assert s.delete("old.html") is False


def test_batch_mode_lists_a_document_days_ahead_of_the_rest(tmp_path: Path) -> None:
    """Server mode holds a lone document far ahead of the clock; a batch run has no clock to
    protect, and the contest wants every news article in some thread."""
    for i, (key, site) in enumerate([("quake1", "a.test"), ("quake2", "b.test"), ("match", "c.test")]):
        (tmp_path / f"{key}.html").write_bytes(contest_html(key, site=site, minutes=i * 3))
    (tmp_path / "late.html").write_bytes(
        contest_html("quake1", site="d.test").replace(b"2020-05-11T10:00:00", b"2020-05-14T10:00:00")
    )
    store = tgcontest.batch_store(tmp_path, clusterer_factory=StandInClusterer)
    listed = sorted(a for t in store.top()[0]["threads"] for a in t["articles"])
    assert listed == ["late.html", "match.html", "quake1.html", "quake2.html"]
