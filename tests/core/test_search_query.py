"""The reader's query language (svodka.search.query): words, phrases, exclusion, OR, and
every kind of bad input answered by a QueryError with a code — never anything else."""

from __future__ import annotations

import pytest

from svodka.search import MAX_QUERY_CHARS, QueryError
from svodka.search.query import MAX_WORDS, ParsedQuery, Term, parse_query


def words(pq: ParsedQuery) -> list[list[tuple[str, ...]]]:
    return [[t.words for t in clause] for clause in pq.clauses]


def test_words_are_anded_and_lowercased() -> None:
    pq = parse_query("Митинг Гомель")
    assert words(pq) == [[("митинг",)], [("гомель",)]]
    assert pq.excluded == ()
    assert pq.terms == ["митинг", "гомель"]


def test_phrase_in_quotes_and_typographic_quotes() -> None:
    assert words(parse_query('"пожар в Гомеле"')) == [[("пожар", "в", "гомеле")]]
    assert words(parse_query("«пожар в Гомеле»")) == [[("пожар", "в", "гомеле")]]
    assert words(parse_query("“Sukhumi floods”")) == [[("sukhumi", "floods")]]
    assert parse_query('"a b"').clauses[0][0].is_phrase


def test_exclusion_of_words_and_phrases() -> None:
    pq = parse_query('пожар -погода -"в Гомеле" NOT Брест')
    assert words(pq) == [[("пожар",)]]
    assert pq.excluded == (Term(("погода",)), Term(("в", "гомеле")), Term(("брест",)))
    assert str(pq) == 'пожар -погода -"в гомеле" -брест'


def test_or_binds_tighter_than_and() -> None:
    pq = parse_query("пожар Гомель OR Брест")
    assert words(pq) == [[("пожар",)], [("гомель",), ("брест",)]]
    assert words(parse_query("Гомель | Брест|Минск")) == [[("гомель",), ("брест",), ("минск",)]]
    assert words(parse_query('"a b" OR c')) == [[("a", "b"), ("c",)]]


def test_lowercase_or_and_is_a_word() -> None:
    assert words(parse_query("rock or roll")) == [[("rock",)], [("or",)], [("roll",)]]


def test_lone_operators_are_ignored_when_there_are_words() -> None:
    assert words(parse_query("OR пожар OR")) == [[("пожар",)]]
    assert words(parse_query("пожар OR OR Брест")) == [[("пожар",), ("брест",)]]
    assert words(parse_query("пожар - Брест")) == [[("пожар",)], [("брест",)]]
    assert words(parse_query("пожар AND Брест")) == [[("пожар",)], [("брест",)]]
    assert words(parse_query("пожар NOT")) == [[("пожар",)]]


def test_joined_words_make_a_phrase() -> None:
    assert words(parse_query("Ростов-на-Дону")) == [[("ростов", "на", "дону")]]
    assert words(parse_query("covid-19")) == [[("covid", "19")]]


def test_unbalanced_quote_closes_at_the_end() -> None:
    assert words(parse_query('"пожар в Гомеле')) == [[("пожар", "в", "гомеле")]]
    assert words(parse_query('пожар "')) == [[("пожар",)]]
    assert words(parse_query('a "b c" "d')) == [[("a",)], [("b", "c")], [("d",)]]


@pytest.mark.parametrize(
    ("q", "code"),
    [
        ("", "empty"),
        ("   \t\n", "empty"),
        ("x" * (MAX_QUERY_CHARS + 1), "too_long"),
        ("митинг " * 10_000, "too_long"),
        ("😀🔥🎉", "no_terms"),
        ("*", "no_terms"),
        ('"', "no_terms"),
        ("?!…—", "no_terms"),
        ("OR", "syntax"),
        ("|", "syntax"),
        ("-", "syntax"),
        ("AND OR NOT", "syntax"),
        ("-погода", "syntax"),
        ("NOT погода", "syntax"),
    ],
)
def test_bad_queries_get_a_query_error_with_a_code(q: str, code: str) -> None:
    with pytest.raises(QueryError) as e:
        parse_query(q)
    assert e.value.code == code
    assert e.value.message and "Traceback" not in e.value.message


def test_ten_thousand_characters() -> None:
    with pytest.raises(QueryError) as e:
        parse_query("а" * 10_000)
    assert e.value.code == "too_long"
    assert "10,000" in e.value.message


def test_too_many_words() -> None:
    with pytest.raises(QueryError) as e:
        parse_query(" ".join(f"w{i}" for i in range(MAX_WORDS + 1)))
    assert e.value.code == "too_long"
    assert len(parse_query(" ".join(f"w{i}" for i in range(MAX_WORDS))).clauses) == MAX_WORDS


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("title:foo", [[("title",)], [("foo",)]]),
        ("'; DROP TABLE articles; --", [[("drop",)], [("table",)], [("articles",)]]),
        ("foo*", [[("foo",)]]),
        ("foo~2 bar^10", [[("foo",)], [("2",)], [("bar",)], [("10",)]]),
        ("(a OR b) AND c", [[("a",), ("b",)], [("c",)]]),
        ("a & b | c", [[("a",)], [("b",), ("c",)]]),
        ("NEAR(a b)", [[("near",)], [("a",)], [("b",)]]),
        ("<script>alert(1)</script>", [[("script",)], [("alert",)], [("1",)], [("script",)]]),
    ],
)
def test_engine_syntax_never_survives(q: str, expected: list[list[tuple[str, ...]]]) -> None:
    pq = parse_query(q)
    assert words(pq) == expected
    for term in [t for c in pq.clauses for t in c]:
        for w in term.words:
            assert w.isalnum()


def test_emoji_between_words_is_dropped() -> None:
    assert words(parse_query("пожар 🔥 OR 🔥 Брест")) == [[("пожар",), ("брест",)]]


def test_non_string_is_a_query_error() -> None:
    with pytest.raises(QueryError):
        parse_query(None)  # type: ignore[arg-type]


def test_unicode_normalisation() -> None:
    decomposed = "и\u0306од"  # й as и + combining breve
    assert parse_query(decomposed).terms == ["йод"]
