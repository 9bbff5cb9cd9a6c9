"""The embedded index (TantivyIndex): morphology, the query language, filters, sorting,
grouping, snippets, the watermark and bad input, on real tantivy indexes (in memory, and in
a folder where persistence matters)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from svodka.search import (
    QueryError,
    SearchBackend,
    SearchDoc,
    SearchFilters,
    SearchRequest,
    SearchResults,
    SearchUnavailable,
    snippets,
)
from svodka.search._tantivy import TantivyIndex, make_analyzer
from svodka.search.snippets import highlight, prefix_pattern

NOW = datetime.now(UTC).replace(microsecond=0)


def doc(i: int, title: str, text: str = "", **kw: object) -> SearchDoc:
    base: dict[str, object] = {
        "lang": "ru",
        "source_id": 1,
        "published": NOW - timedelta(hours=i),
    }
    base.update(kw)
    return SearchDoc(id=i, title=title, text=text, **base)  # type: ignore[arg-type]


CORPUS = [
    doc(
        1,
        "В Гомеле прошли митинги",
        "Митинги собрали сотни человек на площади Ленина.",
        story_id=10,
        place_ids=(100, 10, 1),
        section_ids=(5,),
        category="society",
        source_id=1,
    ),
    doc(
        2,
        "Полиция задержала митингующих",
        "Митингующие требовали отставки мэра.",
        story_id=10,
        place_ids=(100, 10, 1),
        section_ids=(5, 6),
        category="society",
        source_id=2,
    ),
    doc(
        3,
        "Итоги митингов недели",
        "Обзор: сколько митингов прошло за неделю в стране.",
        story_id=10,
        place_ids=(200, 20, 1),
        category="society",
        source_id=3,
    ),
    doc(
        4,
        "Election results in Sukhumi",
        "The election was held on Sunday; turnout was low.",
        lang="en",
        source_id=4,
        category="politics",
        place_ids=(300, 30, 3),
        published=NOW - timedelta(days=40),
    ),
    doc(
        5,
        "Floods in Sukhumi",
        "Heavy rain flooded the streets of Sukhumi.",
        lang="en",
        source_id=4,
        category="weather",
        place_ids=(300, 30, 3),
        section_ids=(7,),
        story_id=11,
    ),
    doc(
        6,
        "Пожар в Гомеле",
        "Пожар на складе потушили за два часа, погода мешала.",
        category="incidents",
        place_ids=(100, 10, 1),
        source_id=1,
    ),
    doc(
        7,
        "Гомель готовится к зиме",
        "Погода в Гомеле: похолодание и снег.",
        category="weather",
        place_ids=(100, 10, 1),
        source_id=2,
    ),
    doc(
        8,
        "Брест: пожар в доме",
        "В Бресте загорелся жилой дом; пожар потушили.",
        category="incidents",
        place_ids=(400, 40, 1),
        source_id=3,
    ),
    doc(
        9,
        "Мітинги у Києві",
        "У Києві відбулися мітинги протесту, мітингів було кілька.",
        lang="uk",
        source_id=5,
        place_ids=(500, 50, 5),
    ),
    doc(
        10,
        "Концерт <b>без</b> тегов",
        'Текст <script>alert("митинг")</script> & "кавычки" митинг.',
        source_id=6,
    ),
]


@pytest.fixture(scope="module")
def ix() -> TantivyIndex:
    index = TantivyIndex(None)
    index.add(CORPUS)
    index.commit("wm-1")
    yield index  # type: ignore[misc]
    index.close()


def ids(res: SearchResults) -> set[int]:
    return {h.id for h in res.hits}


def search(ix: TantivyIndex, q: str, **kw: object) -> SearchResults:
    return ix.search(SearchRequest(q=q, **kw))  # type: ignore[arg-type]


def test_implements_the_contract(ix: TantivyIndex) -> None:
    backend: SearchBackend = ix
    assert backend.name == "tantivy"
    assert ix.count() == len(CORPUS)


# --- morphology ---------------------------------------------------------------------------
def test_the_mitting_family(ix: TantivyIndex) -> None:
    res = search(ix, "митинг")
    assert {1, 2, 3, 10} <= ids(res)  # митинги, митингующих / Митингующие, митингов
    assert res.total == 4
    for q in ("митинги", "митингов", "митингами", "Митинг"):
        assert {1, 2, 3} <= ids(search(ix, q)), q


def test_english_morphology(ix: TantivyIndex) -> None:
    assert ids(search(ix, "elections")) == {4}
    assert ids(search(ix, "flood")) == {5}
    assert ids(search(ix, "flooding")) == {5}


def test_ukrainian_by_stem_and_prefix(ix: TantivyIndex) -> None:
    assert ids(search(ix, "мітинг")) == {9}
    assert ids(search(ix, "мітингів")) == {9}


def test_language_of_the_query_does_not_matter(ix: TantivyIndex) -> None:
    assert ids(search(ix, "Sukhumi")) == {4, 5}
    assert ids(search(ix, "Гомель")) == {1, 6, 7}  # Гомеле, Гомель


def test_typo_in_a_long_word_when_nothing_else_matches(ix: TantivyIndex) -> None:
    assert ids(search(ix, "elektion")) == {4}
    assert ids(search(ix, "Sukhumu")) == {4, 5}
    assert search(ix, "флуд").total == 0  # short words get no typo tolerance


# --- the query language ---------------------------------------------------------------------
def test_phrase_versus_words(ix: TantivyIndex) -> None:
    assert ids(search(ix, "пожар Гомель")) == {6}
    assert ids(search(ix, '"пожар в Гомеле"')) == {6}
    assert ids(search(ix, '"Гомеле пожар"')) == set()
    assert ids(search(ix, "прошли митинги")) == {1, 3}  # прошли, прошло: one stem
    assert ids(search(ix, "площади митинги")) == {1}
    assert ids(search(ix, '"площади митинги"')) == set()
    assert ids(search(ix, '"митинги собрали"')) == {1}


def test_exclusion(ix: TantivyIndex) -> None:
    assert ids(search(ix, "пожар")) == {6, 8}
    assert ids(search(ix, "пожар -Брест")) == {6}
    assert ids(search(ix, 'пожар -"жилой дом"')) == {6}
    assert ids(search(ix, "Гомель -погода")) == {1}


def test_or(ix: TantivyIndex) -> None:
    assert ids(search(ix, "Брест OR Sukhumi")) == {4, 5, 8}
    assert ids(search(ix, "пожар Брест | Гомель")) == {6, 8}


# --- filters --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (SearchFilters(langs=("en",)), {4, 5}),
        (SearchFilters(langs=("ru", "uk")), set()),
        (SearchFilters(source_ids=(4,)), {4, 5}),
        (SearchFilters(categories=("weather",)), {5}),
        (SearchFilters(section_ids=(7,)), {5}),
        (SearchFilters(place_ids=(30,)), {4, 5}),
        (SearchFilters(place_ids=(999, 300)), {4, 5}),
        (SearchFilters(date_from=NOW - timedelta(days=2)), {5}),
        (SearchFilters(date_to=NOW - timedelta(days=2)), {4}),
        (SearchFilters(date_from=NOW - timedelta(days=50), date_to=NOW - timedelta(days=30)), {4}),
        (SearchFilters(langs=("en",), categories=("politics",), place_ids=(3,)), {4}),
    ],
)
def test_filters(ix: TantivyIndex, filters: SearchFilters, expected: set[int]) -> None:
    assert ids(ix.search(SearchRequest(q="Sukhumi", filters=filters))) == expected


def test_multi_valued_filters(ix: TantivyIndex) -> None:
    f = SearchFilters(section_ids=(6,))
    assert ids(ix.search(SearchRequest(q="митинг", filters=f))) == {2}
    f = SearchFilters(place_ids=(1,))  # the country: all its cities
    assert ids(ix.search(SearchRequest(q="пожар", filters=f))) == {6, 8}
    f = SearchFilters(place_ids=(40,))
    assert ids(ix.search(SearchRequest(q="пожар", filters=f))) == {8}


def test_date_to_is_exclusive(ix: TantivyIndex) -> None:
    published = CORPUS[0].published
    assert 1 not in ids(ix.search(SearchRequest("митинг", SearchFilters(date_to=published))))
    assert 1 in ids(ix.search(SearchRequest("митинг", SearchFilters(date_from=published))))


# --- sorting, paging, grouping --------------------------------------------------------------
def test_sort_by_time(ix: TantivyIndex) -> None:
    res = search(ix, "митинг", sort="time")
    assert [h.id for h in res.hits] == [1, 2, 3, 10]  # newest first
    published = [h.published for h in res.hits]
    assert published == sorted(published, reverse=True)
    assert res.hits[0].published == CORPUS[0].published


def test_relevance_prefers_fresh_among_equals() -> None:
    ix = TantivyIndex(None)
    ix.add(
        [
            doc(1, "Снегопад в городе", published=NOW - timedelta(days=300)),
            doc(2, "Снегопад в городе", published=NOW - timedelta(hours=1)),
            doc(3, "Снегопад в городе", published=NOW - timedelta(days=30)),
        ]
    )
    ix.commit()
    assert [h.id for h in search(ix, "снегопад").hits] == [2, 3, 1]
    ix.close()


def test_paging(ix: TantivyIndex) -> None:
    everything = [h.id for h in search(ix, "митинг", sort="time").hits]
    page1 = search(ix, "митинг", sort="time", limit=2)
    page2 = search(ix, "митинг", sort="time", limit=2, offset=2)
    assert [h.id for h in page1.hits + page2.hits] == everything
    assert page1.total == page2.total == 4
    rel = [h.id for h in search(ix, "митинг").hits]
    assert [h.id for h in search(ix, "митинг", limit=2, offset=2).hits] == rel[2:]


def test_group_by_story(ix: TantivyIndex) -> None:
    res = search(ix, "митинг", group_by_story=True)
    # story 10 (articles 1, 2, 3) is one hit with 2 more; article 10 has no story
    assert res.total == 2
    assert len(res.hits) == 2
    story_hit = next(h for h in res.hits if h.story_id == 10)
    assert story_hit.more == 2
    alone = next(h for h in res.hits if h.story_id is None)
    assert alone.id == 10 and alone.more == 0
    timed = search(ix, "митинг", group_by_story=True, sort="time")
    assert [h.id for h in timed.hits] == [1, 10]


# --- snippets -------------------------------------------------------------------------------
def test_snippet_marks_matches_and_escapes_everything_else(ix: TantivyIndex) -> None:
    res = search(ix, "митинг")
    hit = next(h for h in res.hits if h.id == 10)
    html = hit.snippet_html
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html
    assert "&amp;" in html and "&quot;" in html
    assert "<mark>митинг</mark>" in html
    assert html.replace("<mark>", "").replace("</mark>", "").count("<") == 0
    assert hit.title == "Концерт <b>без</b> тегов"  # titles are plain text: the page escapes them
    first = next(h for h in res.hits if h.id == 1)
    assert "<mark>Митинги</mark>" in first.snippet_html
    assert res.terms == ["митинг"]


def test_snippet_without_a_match_in_the_text_is_its_beginning(ix: TantivyIndex) -> None:
    res = search(ix, "итоги")
    assert res.hits[0].snippet_html.startswith("Обзор: сколько")
    assert "<mark>" not in res.hits[0].snippet_html


def test_snippet_window_of_a_long_text() -> None:
    ix = TantivyIndex(None)
    filler = "Слово " * 400
    ix.add([doc(1, "Длинный текст", filler + "Здесь важный митинг. " + filler)])
    ix.commit()
    html = search(ix, "митинг").hits[0].snippet_html
    assert "<mark>митинг</mark>" in html
    assert html.startswith("…") and html.endswith("…")
    assert len(html) < 400
    ix.close()


def test_snippet_marks_expansions_of_a_prefix(ix: TantivyIndex) -> None:
    # the expansions found for the query (мітинг → мітингів) are marked too, in any case
    html = search(ix, "МІТИНГ").hits[0].snippet_html
    assert html == "У Києві відбулися <mark>мітинги</mark> протесту, <mark>мітингів</mark> було кілька."


def _stem_is(stem: str) -> Callable[[str], bool]:
    analyzer = make_analyzer()
    return lambda word: analyzer.analyze(word.lower()) == [stem]


def test_highlight_marks_whole_words_only() -> None:
    pattern = prefix_pattern(["митин"])
    html = highlight("Примитинг, 5митинг, под_митинг и Митинг.", pattern, _stem_is("митинг"))
    # a letter or a digit before the prefix: inside a word; an underscore separates words
    assert html == "Примитинг, 5митинг, под_<mark>митинг</mark> и <mark>Митинг</mark>."


def test_highlight_where_lowercase_changes_the_length() -> None:
    # "İ".lower() is two characters: positions must still be those of the original text
    text = "İİİ İstanbul: МИТИНГ & митинги."
    html = highlight(text, prefix_pattern(["митин"]), _stem_is("митинг"))
    assert html == "İİİ İstanbul: <mark>МИТИНГ</mark> &amp; <mark>митинги</mark>."


def test_highlight_counts_only_word_starts_as_candidates() -> None:
    # hundreds of words with the prefix inside them do not use up the candidate budget
    text = "примитинги " * (snippets.MAX_CANDIDATES + 100) + "митинг"
    assert len(text) < snippets.SCAN_CHARS
    html = highlight(text, prefix_pattern(["митин"]), _stem_is("митинг"))
    assert html.endswith("<mark>митинг</mark>")
    # … while words that start with the prefix but are not the word do
    text = "митингхх " * snippets.MAX_CANDIDATES + "митинг"
    html = highlight(text, prefix_pattern(["митин"]), _stem_is("митинг"))
    assert "<mark>" not in html and html.startswith("митингхх")


# --- writing --------------------------------------------------------------------------------
def test_add_replaces_by_id_and_delete() -> None:
    ix = TantivyIndex(None)
    ix.add([doc(1, "старый заголовок"), doc(2, "второй")])
    ix.commit()
    ix.add([doc(1, "новый заголовок")])
    ix.commit()
    assert ix.count() == 2
    assert search(ix, "старый").total == 0
    assert ids(search(ix, "новый")) == {1}
    ix.delete([1])
    assert ids(search(ix, "новый")) == {1}  # not visible before commit
    ix.commit()
    assert search(ix, "новый").total == 0
    assert ix.count() == 1
    ix.clear()
    assert ix.count() == 0 and ix.watermark() is None
    ix.close()


def test_watermark_survives_reopen(tmp_path: Path) -> None:
    ix = TantivyIndex(tmp_path / "idx")
    assert ix.watermark() is None
    ix.add(CORPUS[:3])
    ix.commit("2026-11-25T10:00:00Z#42")
    ix.add(CORPUS[3:5])  # never committed: lost with the "crash"
    ix.close()
    again = TantivyIndex(tmp_path / "idx")
    assert again.watermark() == "2026-11-25T10:00:00Z#42"
    assert again.count() == 3
    again.add(CORPUS[3:])
    again.commit("wm-2")
    again.close()
    third = TantivyIndex(tmp_path / "idx")
    assert third.watermark() == "wm-2"
    assert third.count() == len(CORPUS)
    assert ids(third.search(SearchRequest("elections"))) == {4}
    third.close()


def test_one_writer_at_a_time_and_readers_see_commits(tmp_path: Path) -> None:
    path = tmp_path / "idx"
    writer = TantivyIndex(path)
    writer.add(CORPUS[:2])
    writer.commit("a")
    reader = TantivyIndex(path)  # a reader never takes the lock
    assert reader.count() == 2
    with pytest.raises(SearchUnavailable):
        reader.add(CORPUS[2:3])
    writer.add(CORPUS[2:])
    writer.commit("b")
    writer.release_writer()
    reader.add(CORPUS[2:3])  # the lock is free now: the reader may write
    reader.commit("b")
    reader.release_writer()
    assert reader.count() == len(CORPUS)
    assert reader.watermark() == "b"
    # another process sees the commit too
    code = (
        "from svodka.search._tantivy import TantivyIndex\n"
        "from svodka.search import SearchRequest\n"
        f"ix = TantivyIndex({str(path)!r})\n"
        "print(ix.count(), sorted(h.id for h in ix.search(SearchRequest('Sukhumi')).hits))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[0] == "10 [4, 5]"
    writer.add(CORPUS[:1])  # and take it back
    writer.commit("c")
    assert reader.watermark() == "c"
    writer.close()
    reader.close()


def test_closed_index_is_unavailable() -> None:
    ix = TantivyIndex(None)
    ix.close()
    with pytest.raises(SearchUnavailable):
        search(ix, "митинг")


# --- bad input ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("q", "code"),
    [
        ("", "empty"),
        ("м" * 10_000, "too_long"),
        ("😀🔥", "no_terms"),
        ("*", "no_terms"),
        ('"', "no_terms"),
        ("AND OR NOT", "syntax"),
        ("-митинг", "syntax"),
    ],
)
def test_bad_queries(ix: TantivyIndex, q: str, code: str) -> None:
    with pytest.raises(QueryError) as e:
        search(ix, q)
    assert e.value.code == code


@pytest.mark.parametrize(
    "q",
    [
        "title:foo",
        "title:митинг",
        "'; DROP TABLE articles; --",
        "митинг*",
        "митинг~2",
        "(митинг",
        "митинг^100",
        '"митинг',
        'митинг "',
        "id:1 OR lang:en",
        "ts:[0 TO 99999999999]",
        "/.*/",
        "\\\\ \x00 \u202e",
        "a" * 40 + "б" * 41,
    ],
)
def test_injection_and_odd_input_run_as_plain_words(ix: TantivyIndex, q: str) -> None:
    try:
        res = search(ix, q)
    except QueryError as e:  # the only error allowed
        assert e.code in ("no_terms", "syntax")
        return
    assert isinstance(res, SearchResults)
    if q.startswith("id:1 OR") or q.startswith("ts:"):
        assert res.total == 0  # field syntax is not honoured


def test_injection_finds_the_words_only(ix: TantivyIndex) -> None:
    assert ids(search(ix, "title:митинг")) == set()  # the word "title" is in no article
    assert {1, 2, 3} <= ids(search(ix, "митинг*"))
    assert ids(search(ix, '"митинги собрали')) == {1}  # unbalanced: the phrase runs to the end
    assert ids(search(ix, '"собрали митинги')) == set()


@pytest.mark.parametrize(
    "request_",
    [
        SearchRequest("митинг", SearchFilters(source_ids=(2**70,))),
        SearchRequest("митинг", SearchFilters(place_ids=("Гомель",))),  # type: ignore[arg-type]
        SearchRequest("митинг", SearchFilters(langs=(5,))),  # type: ignore[arg-type]
        SearchRequest("митинг", SearchFilters(date_from=NOW, date_to=NOW - timedelta(days=1))),
        SearchRequest("митинг", sort="random"),  # type: ignore[arg-type]
        SearchRequest("митинг", offset=10**9),
    ],
)
def test_bad_filters(ix: TantivyIndex, request_: SearchRequest) -> None:
    with pytest.raises(QueryError) as e:
        ix.search(request_)
    assert e.value.code == "bad_filter"


def test_limits_are_clamped(ix: TantivyIndex) -> None:
    assert len(search(ix, "митинг", limit=0).hits) == 1
    assert len(search(ix, "митинг", limit=10_000).hits) == 4
    assert len(search(ix, "митинг", offset=-5).hits) == 4
    assert search(ix, "митинг", offset=100).hits == []


def test_naive_dates_are_utc(ix: TantivyIndex) -> None:
    naive = (NOW - timedelta(days=2)).replace(tzinfo=None)
    assert ids(ix.search(SearchRequest("Sukhumi", SearchFilters(date_from=naive)))) == {5}
