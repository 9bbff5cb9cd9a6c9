"""svodka.understand.category: obvious cases per class (our own sentences), bad inputs, CV floor."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest

from svodka.understand import category as cat
from svodka.understand._category import train as tr
from svodka.understand._category.features import lexicon_hit, words
from svodka.understand._category.model import LinearModel
from svodka.understand.category import CATEGORIES, CategoryResult, classify, classify_many

# (expected, lang, title, text): written for these tests.
OBVIOUS = [
    (
        "sports",
        "ru",
        "«Спартак» обыграл «Зенит» в матче РПЛ",
        "Московский клуб забил два гола во втором тайме, вратарь отразил пенальти.",
    ),
    (
        "sports",
        "en",
        "Liverpool beat Chelsea in Premier League clash",
        "The striker scored twice and the goalkeeper saved a late penalty.",
    ),
    (
        "economy",
        "ru",
        "ЦБ повысил ключевую ставку до 16%",
        "Инфляция ускорилась, рубль ослаб, а банки поднимают ставки по кредитам.",
    ),
    (
        "economy",
        "en",
        "Central bank raises interest rates to curb inflation",
        "Stocks fell and bond yields rose as investors weighed the decision.",
    ),
    (
        "technology",
        "ru",
        "Apple представила новый iPhone с быстрым процессором",
        "Смартфон получил новый чип, улучшенную камеру и более ёмкий аккумулятор.",
    ),
    (
        "technology",
        "en",
        "Samsung unveils a foldable smartphone",
        "The new phone has a bigger screen, a faster chip and runs the latest Android.",
    ),
    (
        "society",
        "ru",
        "В Подмосковье задержали подозреваемого в убийстве",
        "Следователи возбудили уголовное дело, полиция проводит обыски.",
    ),
    (
        "society",
        "en",
        "Parliament passes a new election law",
        "The opposition party protested as lawmakers voted for the bill on Tuesday.",
    ),
    (
        "entertainment",
        "ru",
        "Фильм известного режиссёра выйдет в прокат весной",
        "Главные роли в картине сыграли популярные актёры, премьера пройдёт в Москве.",
    ),
    (
        "entertainment",
        "en",
        "The singer announces a world tour and a new album",
        "Fans of the pop star cheered at the first concert of the tour. The band will play twelve shows in Europe, "
        "and the record label says the album was produced with a famous rapper.",
    ),
    (
        "science",
        "ru",
        "Учёные обнаружили новую экзопланету",
        "Астрономы заметили планету с помощью космического телескопа, исследование опубликовано в журнале.",
    ),
    (
        "science",
        "en",
        "Scientists discover a new species of frog in the Amazon",
        "Researchers published the study describing the animal's DNA in a journal.",
    ),
]

NOT_NEWS = [
    (
        "ru",
        "Рецепт: как приготовить пирог с яблоками",
        "Ингредиенты: мука, сахар, яйца. Духовку разогрейте до 180 градусов и выпекайте 40 минут.",
    ),
    (
        "en",
        "How to bake the perfect chocolate cake",
        "Preheat the oven. Whisk flour, sugar and eggs; the full recipe with ingredients is below.",
    ),
    (
        "ru",
        "Скидки до 70%! Успейте купить",
        "Распродажа в нашем магазине: промокод на бесплатную доставку, подписывайтесь на рассылку.",
    ),
    (
        "en",
        "Sponsored: buy now with a 50% discount",
        "Use the coupon at checkout. Free shipping for all orders, subscribe to our newsletter.",
    ),
]

# The contest's own gold markup files horoscopes (and weather forecasts) under "other".
HOROSCOPES = [
    (
        "ru",
        "Гороскоп на завтра для всех знаков зодиака",
        "Овнам стоит быть осторожнее, Тельцам повезёт в любви, а Близнецам — в делах.",
    ),
    (
        "en",
        "Your horoscope for Friday",
        "Aries should rest today, Taurus meets an old friend and Virgo gets good news at work.",
    ),
]


def _check(res: CategoryResult) -> None:
    assert res.category in CATEGORIES
    assert 0.0 <= res.confidence <= 1.0
    assert set(res.scores) == set(CATEGORIES)
    assert math.isclose(sum(res.scores.values()), 1.0, abs_tol=1e-6)
    assert all(0.0 <= v <= 1.0 for v in res.scores.values())


@pytest.mark.parametrize(("expected", "lang", "title", "text"), OBVIOUS)
def test_obvious_examples(expected: str, lang: str, title: str, text: str) -> None:
    res = classify(title, text, lang)
    _check(res)
    assert res.category == expected, res.scores
    assert res.scores[expected] == max(res.scores.values())


@pytest.mark.parametrize(("lang", "title", "text"), NOT_NEWS)
def test_not_news(lang: str, title: str, text: str) -> None:
    res = classify(title, text, lang)
    _check(res)
    assert res.category == "not_news", res.scores


@pytest.mark.parametrize(("lang", "title", "text"), HOROSCOPES)
def test_horoscopes_are_other_as_in_the_contest_markup(lang: str, title: str, text: str) -> None:
    assert classify(title, text, lang).category == "other"


def test_title_alone_works() -> None:
    assert classify("Хоккеисты сборной России выиграли чемпионат мира", "", "ru").category == "sports"
    assert classify("Tesla shares jump after quarterly earnings beat", "", None).category == "economy"


def test_ukrainian_and_unknown_language() -> None:
    uk = classify("Збірна України перемогла у матчі", "Футболісти забили три голи, тренер задоволений.", "uk")
    assert uk.category == "sports"
    same = classify(
        "Збірна України перемогла у матчі", "Футболісти забили три голи, тренер задоволений.", "ru"
    )
    assert uk.confidence < same.confidence  # untrained language: tempered confidence
    de = classify(
        "Bundestag beschließt neues Gesetz", "Die Regierung hat heute im Parlament abgestimmt.", "de"
    )
    _check(de)
    assert de.confidence <= 0.5


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("", ""),
        ("   \n\t", ""),
        ("🔥🔥🔥", "😀😀"),
        ("12345", "67 89 %%% ---"),
        ("a" * 5_000_000, "б " * 2_500_000),
        ("Нормальный заголовок\x00", "текст\ud800с суррогатом"),
    ],
)
def test_bad_inputs_give_a_defined_result(title: str, text: str) -> None:
    _check(classify(title, text, None))


def test_empty_is_not_news_with_zero_confidence() -> None:
    res = classify("", "", "ru")
    assert res.category == "not_news"
    assert res.confidence == 0.0


def test_non_string_inputs_do_not_raise() -> None:
    _check(classify(None, None, None))  # type: ignore[arg-type]
    _check(classify(123, ["x"], 5))  # type: ignore[arg-type]


def test_classify_many_matches_classify() -> None:
    items = [(t, x, lang) for _, lang, t, x in OBVIOUS]
    assert classify_many(items) == [classify(*it) for it in items]
    assert classify_many([]) == []


def test_lexicon_matching_rules() -> None:
    # longest prefix wins; exact-only entries do not match longer words
    assert lexicon_hit("футболист") is not None
    assert words("Ёлка ЁЖ", 100) == ["елка", "еж"]
    court = lexicon_hit("суда")
    fate = lexicon_hit("судьба")
    assert court is not None and court[CATEGORIES.index("society")] > 0
    assert fate is None


def test_falls_back_to_lexicon_without_weights(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(cat, "WEIGHTS_PATH", tmp_path / "missing.json")
    monkeypatch.setattr(cat, "_loaded", False)
    monkeypatch.setattr(cat, "_model", None)
    assert cat.method() == "lexicon"
    assert (
        classify("Liverpool beat Chelsea in the Premier League", "The striker scored twice.", "en").category
        == "sports"
    )
    assert classify("Central bank raises interest rates", "Inflation and stocks.", "en").category == "economy"


def test_weights_round_trip(tmp_path: Path) -> None:
    model = LinearModel({3: [0.5] * 8, 7: [-1.0, 2.0, 0, 0, 0, 0, 0, 0.25]}, [0.1] * 8)
    path = tmp_path / "w.json"
    model.save(path)
    again = LinearModel.load(path)
    assert again.scores({3: 1.0, 7: 0.5}) == pytest.approx(model.scores({3: 1.0, 7: 0.5}))
    path.write_text('{"format": "other"}', encoding="utf-8")
    with pytest.raises(ValueError):
        LinearModel.load(path)


def test_shipped_weights_are_small_and_textless() -> None:
    path = tr.WEIGHTS_PATH
    assert path.is_file()
    assert path.stat().st_size < 5_000_000
    head = path.read_text(encoding="utf-8")[:200]
    assert head.startswith('{"format":"svodka-category-lr-1"')


_SHARED = Path(os.environ.get("SVODKA_SHARED") or Path(__file__).resolve().parents[2].parent / "shared")
_TG = _SHARED / "benchmarks" / "tgcontest_markup" / "categories"


@pytest.mark.skipif(not _TG.is_dir(), reason=f"shared tgcontest markup not found at {_TG}")
def test_cross_validated_accuracy_floor() -> None:
    # 3-fold (not 5) to keep the test quick; figures are a little lower than the benchmark's 5-fold.
    gold = tr.gold_docs()
    assert len(gold) == 442
    extra = tr.samples(tr.training_docs(gold))
    samples = tr.samples(gold)
    ok = {"ru": 0, "en": 0}
    n = {"ru": 0, "en": 0}
    for train_idx, test_idx in tr.stratified_folds(gold, 3):
        model = tr.train([samples[i] for i in train_idx] + extra, epochs=8)
        for i in test_idx:
            probs = model.scores(samples[i][0])
            pred = CATEGORIES[max(range(len(probs)), key=probs.__getitem__)]
            n[gold[i].lang] += 1
            ok[gold[i].lang] += pred == gold[i].label
    assert ok["ru"] / n["ru"] >= 0.78, ok
    assert ok["en"] / n["en"] >= 0.74, ok
