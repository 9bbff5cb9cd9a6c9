"""`svodka analyze` and `svodka tg` batch interfaces (no database)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from svodka.batch import analyze_file, read_contest_doc, tg

from ..conftest import shared_path

FIRE = (
    "В Новосибирске сгорел склад на улице Станционной. Пожар площадью 1200 квадратных метров тушили "
    "60 спасателей, сообщили в ГУ МЧС по Новосибирской области. Пострадавших нет, причины выясняются."
)
MATCH = (
    "Manchester United beat Chelsea 3-1 at Old Trafford on Sunday. The striker scored twice in the second "
    "half and the coach praised the defence after the Premier League match."
)


def run(lines: list[str]) -> list[dict]:
    out = io.StringIO()
    analyze_file(io.StringIO("\n".join(lines) + "\n"), out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_analyze_outputs_one_line_per_input_in_order() -> None:
    lines = [
        json.dumps({"id": "a", "title": "В Новосибирске сгорел склад", "text": FIRE,
                    "published": "2026-11-25T10:00:00Z"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "b", "title": "Manchester United beat Chelsea", "text": MATCH}),
        json.dumps([1, 2]),
        json.dumps({"id": "c", "title": "Пожар на складе в Новосибирске", "text": FIRE,
                    "published": "2026-11-25T09:00:00Z"}, ensure_ascii=False),
        json.dumps({"id": "d", "title": "🔥", "text": ""}),
        json.dumps({"id": "e", "title": "Big", "text": "слово " * 900_000}),
        json.dumps({"id": "f", "url": "http://x.test/"}),
        "",
    ]
    rows = run(lines)
    assert len(rows) == len(lines)
    a, bad, b, arr, c, d, e, f, empty = rows
    assert a["id"] == "a" and a["lang"] == "ru" and a["category"] == "society"
    assert any(p["name"].startswith("Novosibirsk") and p["country"] == "RU" and p["geonameid"] for p in a["places"])
    assert all(0 < p["confidence"] <= 1 for p in a["places"])
    # c was published earlier: it is the original, a is its copy
    assert a["duplicate_of"] == "c" and c["duplicate_of"] is None
    assert b["lang"] == "en" and b["category"] == "sports" and b["duplicate_of"] is None
    assert "error" in bad and bad["line"] == 2
    assert "error" in arr and "error" in empty
    assert d["lang"] == "und" and "error" not in d
    assert e["lang"] == "ru"
    assert "error" in f and f["id"] == "f"


def test_analyze_cli_reads_stdin() -> None:
    line = json.dumps({"id": 1, "title": "Manchester United beat Chelsea", "text": MATCH})
    proc = subprocess.run(
        [sys.executable, "-m", "svodka_site.cli", "analyze", "-"], input=line + "\n", capture_output=True, text=True,
        check=False, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    row = json.loads(proc.stdout.strip().splitlines()[-1])
    assert row["id"] == 1 and row["lang"] == "en"


def contest_html(name: str, title: str, text: str, url: str = "https://x.test/1") -> str:
    paras = "".join(f"<p>{p}" for p in text.split(". "))  # unclosed <p>, as in the contest data
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"/><meta property="og:url" content="{url}"/>'
        f'<meta property="og:site_name" content="X"/><meta property="article:published_time" '
        f'content="2019-11-01T00:32:00+00:00"/><meta property="og:title" content="{title}"/></head>'
        f"<body><article><h1>{title}</h1><address><time datetime=\"2019-11-01T00:32:00+00:00\">x</time>"
        f"</address>{paras}</article></body></html>"
    )


def test_tg_modes(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "ru.html").write_text(contest_html("ru", "В Новосибирске сгорел склад", FIRE))
    (tmp_path / "sub" / "en.html").write_text(contest_html("en", "Manchester United beat Chelsea", MATCH))
    (tmp_path / "de.html").write_text(
        contest_html("de", "Brand in einem Lager", "Die Feuerwehr war mit vielen Kräften im Einsatz. Niemand wurde verletzt")
    )
    langs = tg("languages", tmp_path)
    assert langs == [{"lang_code": "en", "articles": ["en.html"]}, {"lang_code": "ru", "articles": ["ru.html"]}]
    news = tg("news", tmp_path)
    assert set(news["articles"]) == {"ru.html", "en.html"}
    cats = {c["category"]: c["articles"] for c in tg("categories", tmp_path)}
    assert list(cats) == ["society", "economy", "technology", "sports", "entertainment", "science", "other"]
    assert cats["society"] == ["ru.html"] and cats["sports"] == ["en.html"]


def test_reads_the_contest_example() -> None:
    d = shared_path("benchmarks", "tg_data_clustering_contest", "contest_input_example")
    doc = read_contest_doc(d / "example1.html")
    expected = json.loads((d / "example1.json").read_text())
    assert doc.title == expected["title"] and doc.url == expected["url"] and doc.site == expected["site_name"]
    assert doc.published is not None and int(doc.published.timestamp()) == expected["timestamp"]
    assert doc.text.split("\n")[0] == expected["text"].split("\n")[0]
    assert tg("languages", d)[1] == {"lang_code": "ru", "articles": ["example1.html"]}


def test_analyze_survives_hostile_lines() -> None:
    """Each of these once ended the whole run with a traceback and no output at all."""
    lines = [
        json.dumps({"id": "ok", "title": "Manchester United beat Chelsea", "text": MATCH}),
        # a lone surrogate is valid JSON; fastText's binding rejects it
        '{"id": "sur", "title": "lone \\ud800 surrogate", "text": "x \\udfff y ' + MATCH + '"}',
        json.dumps({"id": [1], "title": "a", "text": "b"}),
        '{"id": 1e400, "title": "a", "text": "b"}',
        '{"id": NaN, "title": "a", "text": "b"}',
        '{"id": ' + "9" * 5000 + ', "title": "a", "text": "b"}',
        json.dumps({"id": "nt", "title": 5, "text": None}),
        '{"id": "ctl", "title": "a\x01"}',
    ]
    out = io.StringIO()
    analyze_file(io.StringIO("\n".join(lines) + "\n"), out)
    text = out.getvalue()
    rows = [json.loads(line) for line in text.splitlines()]  # strict JSON: no NaN/Infinity
    assert "Infinity" not in text and "NaN" not in text
    ok, sur, listed, inf, nan, huge, nt, ctl = rows
    assert ok["lang"] == "en"
    assert sur["lang"] == "en" and "error" not in sur
    assert listed == {"id": None, "line": 3, "error": "'id' must be a string or a number, not list"}
    assert inf["error"] == "'id' must be a finite number" and nan["line"] == 5
    assert huge["line"] == 6 and huge["error"].startswith("not JSON")
    assert nt == {"id": "nt", "line": 7, "error": "needs a string 'title' or 'text'"}
    assert ctl["error"].startswith("not JSON: Invalid control character at column") and "at at" not in ctl["error"]


def test_analyze_ids_and_dates() -> None:
    body = FIRE + " Очевидцы сняли пожар на видео."
    lines = [
        "\ufeff" + json.dumps({"id": "copy", "title": "Склад сгорел", "text": body,
                                "published": "2026-11-25T12:00:00Z"}, ensure_ascii=False),
        # RSS pubDate: the earlier one, so the original
        json.dumps({"id": 1, "title": "Склад сгорел", "text": body,
                    "published": "Wed, 25 Nov 2026 09:00:00 GMT"}, ensure_ascii=False),
        # no id: its line number (3) stands in, and must not be confused with id 3 below
        json.dumps({"title": "Склад сгорел", "text": body, "published": "not a date"}, ensure_ascii=False),
        json.dumps({"id": 3, "title": "Manchester United beat Chelsea", "text": MATCH,
                    "published": "2026-11-25T08:00:00Z"}),
    ]
    copy, orig, undated, other = run(lines)
    assert copy["id"] == "copy" and "error" not in copy  # the byte-order mark is not an error
    assert orig["duplicate_of"] is None and copy["duplicate_of"] == 1
    assert undated["id"] == 3 and undated["duplicate_of"] == 1
    assert "could not be read" in undated["warning"]
    assert other["duplicate_of"] is None and "warning" not in other
    future = run([json.dumps({"id": "f", "title": "Склад сгорел", "text": body,
                              "published": "Wed, 25 Nov 2099 09:00:00 GMT"}, ensure_ascii=False)])[0]
    assert "in the future" in future["warning"]  # moved to the time of the run, and said so
    # a reprint is in its original's story, however late (or undated) it came
    assert copy["story"] == orig["story"] == undated["story"] == 1


def test_analyze_cli_stdin_tolerates_invalid_utf8() -> None:
    good = json.dumps({"id": "ok", "title": "Hello", "text": MATCH}).encode()
    bad = b'{"id": "bad", "title": "caf\xe9", "text": "' + MATCH.encode() + b'"}'
    proc = subprocess.run(
        [sys.executable, "-m", "svodka_site.cli", "analyze", "-"], input=good + b"\n" + bad + b"\n",
        capture_output=True, check=False, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [r["id"] for r in rows] == ["ok", "bad"] and rows[1]["lang"] == "en"


def test_html_soup_hidden_parts_are_not_text() -> None:
    from svodka.understand import _plain

    soup = (
        "<style>body{font-family:Tokyo}</style><script>var c='Санкт-Петербург <p>'</script><!-- Paris -->"
        "<p>Rain &amp; wind in Lyon</p><noscript>Berlin"
    )
    assert _plain(soup).split() == ["Rain", "&", "wind", "in", "Lyon"]
    # 80 kB of script before the paragraph once hid it (not_news, no places): now the same answer
    hidden, plain = run([
        json.dumps({"id": "s", "title": "Match", "text": "<script>" + "x=1;" * 20_000 + "</script><p>" + MATCH}),
        json.dumps({"id": "s", "title": "Match", "text": MATCH, "published": "2020-01-01T00:00:00Z"}),
    ])
    assert hidden["category"] == plain["category"] == "sports"
    assert hidden["places"] == plain["places"] and hidden["places"]


def test_tg_skips_unreadable_and_repeated_files(tmp_path: Path, capsys) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "same.html").write_text(contest_html("ru", "В Новосибирске сгорел склад", FIRE))
    (tmp_path / "b" / "same.html").write_text(contest_html("en", "Manchester United beat Chelsea", MATCH))
    (tmp_path / "dangling.html").symlink_to(tmp_path / "nowhere")
    (tmp_path / "page.HTM").write_text(contest_html("en", "Manchester United beat Chelsea again", MATCH))
    cp1251 = contest_html("ru", "В Новосибирске сгорел склад", FIRE).replace('charset="utf-8"', 'charset="windows-1251"')
    (tmp_path / "cp.html").write_bytes(cp1251.encode("cp1251"))
    langs = {x["lang_code"]: x["articles"] for x in tg("languages", tmp_path)}
    assert langs == {"en": ["page.HTM"], "ru": ["same.html", "cp.html"]}  # path order: a/same.html first
    err = capsys.readouterr().err
    assert "dangling.html" in err and "b/same.html" in err
    threads = tg("threads", tmp_path)
    assert sorted(a for t in threads for a in t["articles"]) == ["cp.html", "page.HTM", "same.html"]


def test_analyze_second_round_of_hostile_lines() -> None:
    lines = [
        json.dumps({"id": "v6", "url": "http://[::1:bad/", "title": "Manchester United beat Chelsea", "text": MATCH}),
        '{"id": "\\ud800", "title": "t", "text": "x"}',  # echoed id with a lone surrogate
        json.dumps({"id": None, "title": "Null id", "text": MATCH}),
        json.dumps({"id": "ms", "title": "t", "text": "x", "published": 1572568320123}),
        json.dumps({"id": "str", "title": "t", "text": "x", "published": "1572568320"}),
    ]
    out = io.StringIO()
    analyze_file(io.StringIO("\n".join(lines) + "\n"), out)
    text = out.getvalue()
    text.encode("utf-8")  # writable as UTF-8
    v6, sur, null, ms, st = (json.loads(line) for line in text.splitlines())
    assert v6["lang"] == "en" and "error" not in v6
    assert sur["id"] == "\ud800" and "error" not in sur
    assert null["id"] == 3  # a null id is named by its line number, like a missing one
    assert "warning" not in ms and "warning" not in st  # both read as 2019-11-01T00:32Z


def test_analyze_cli_keeps_one_output_line_per_input_line() -> None:
    lines = [b'{"id": "a", "title": "one\rtwo", "text": "x"}', json.dumps({"id": "b", "title": "Fed", "text": MATCH}).encode()]
    proc = subprocess.run(
        [sys.executable, "-m", "svodka_site.cli", "analyze", "-"], input=b"\n".join(lines) + b"\n",
        capture_output=True, check=False, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert [r.get("id") for r in rows] == [None, "b"] and rows[0]["line"] == 1  # a raw CR is inside line 1


def test_tg_skips_names_that_are_not_utf8_and_files_that_are_not_regular(tmp_path: Path, capsys) -> None:
    import os

    (tmp_path / "ok.html").write_text(contest_html("ru", "В Новосибирске сгорел склад", FIRE))
    with open(os.path.join(os.fsencode(tmp_path), b"latin1_\xe9.html"), "wb") as f:
        f.write(contest_html("ru", "В Новосибирске сгорел склад", FIRE).encode())
    os.mkfifo(tmp_path / "pipe.html")  # reading it would block forever
    for mode in ("languages", "threads"):
        out = json.dumps(tg(mode, tmp_path), ensure_ascii=False)
        out.encode("utf-8")
        assert "ok.html" in out and "latin1" not in out and "pipe.html" not in out
    err = capsys.readouterr().err
    assert "not UTF-8" in err and "not a regular file" in err


def test_tg_threads_hold_every_news_article_however_old(tmp_path: Path) -> None:
    for name, when in (("y2019", "2019-11-01T00:32:00+00:00"), ("y1900", "1900-01-01T00:00:00+00:00"),
                       ("y0001", "0001-01-01T00:00:00+14:00")):  # fmt: skip
        html = contest_html("ru", "В Новосибирске сгорел склад", FIRE).replace("2019-11-01T00:32:00+00:00", when)
        (tmp_path / f"{name}.html").write_text(html)
    news = sorted(tg("news", tmp_path)["articles"])
    assert news == ["y0001.html", "y1900.html", "y2019.html"]
    assert sorted(a for t in tg("threads", tmp_path) for a in t["articles"]) == news


def test_analyze_published_edge_cases_after_review() -> None:
    rows = run([
        json.dumps({"id": "a", "title": "x", "published": "1700000000 UTC"}),  # starts like a Unix time
        json.dumps({"id": "b", "title": "x", "published": "2100-01-01T00:00:00Z"}),
        json.dumps({"id": "c", "title": "x", "published": 4102444800}),
        json.dumps({"id": None, "title": 5}),
    ])
    a, b, c, d = rows
    assert "error" not in a  # read by the feed parser (or warned about), never a crash
    assert "in the future" in b["warning"] and "in the future" in c["warning"]
    assert d == {"id": 4, "line": 4, "error": "needs a string 'title' or 'text'"}
