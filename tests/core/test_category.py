"""svodka.understand.category: obvious cases per class (our own sentences), bad inputs, the
embedding model and its fusion with the lexical one, ``understand``'s embedding, CV floors."""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pytest

from svodka.understand import Understanding, understand, understand_many
from svodka.understand import category as cat
from svodka.understand._category import embedding as em
from svodka.understand._category import train as tr
from svodka.understand._category.features import lexicon_hit, words
from svodka.understand._category.model import LinearModel, featurize
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

# The contest's gold markup files horoscopes under "other", but its news task drops them and so
# does svodka (issue 3: "not_news (horoscopes, ads, how-tos, encyclopedic pages)").
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
def test_horoscopes_are_not_news(lang: str, title: str, text: str) -> None:
    res = classify(title, text, lang)
    _check(res)
    assert res.category == "not_news"
    assert res.confidence >= 0.95


def test_the_rule_reads_a_horoscope_announcement_not_the_word() -> None:
    from svodka.understand.category import _HOROSCOPE

    for title in ("Гороскоп на 14 мая", "Гороскоп: что ждёт Овнов", "Daily horoscope", "Horoscope for Friday"):
        assert _HOROSCOPE.search(title), title
    for title in ("Гороскоп-приложение привлекло инвестиции", "Horoscope app Co-Star raises $10M"):
        assert not _HOROSCOPE.search(title), title


def test_news_about_astrologers_is_still_news() -> None:
    res = classify(
        "Астролог задержан за мошенничество в Новосибирске",
        "Полиция задержала мужчину, который продавал гороскопы и обещал клиентам удачу за деньги.",
        "ru",
    )
    assert res.category != "not_news", res.scores


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
    ("lang", "title", "text"),
    [
        ("be", "У Мінску адкрылі новую станцыю метро",
         "Новая станцыя прыняла першых пасажыраў у суботу. Будаўніцтва лініі працягнецца."),
        ("be", "Гомельская вобласць: паводка падтапіла вёскі", "Выратавальнікі эвакуявалі жыхароў."),
        ("uk", "Зеленський провів розмову з прем'єр-міністром Канади", ""),
        ("pl", "Pożar hali magazynowej pod Wrocławiem", "Strażacy gasili ogień przez całą noc."),
    ],
)  # fmt: skip
def test_news_in_untrained_languages_is_not_dropped_as_not_news(lang: str, title: str, text: str) -> None:
    # The models learnt not_news from ru/en text only; a text they cannot read is not "no news".
    got = classify(title, text, lang)
    assert got.category != "not_news", got


def test_ads_in_ukrainian_are_still_not_news() -> None:
    got = classify(
        "Знижки до 70% на смартфони — тільки до неділі!",
        "Купуйте зараз! Промокод ЗНИЖКА діє до кінця тижня. Безкоштовна доставка по всій Україні.",
        "uk",
    )
    assert got.category == "not_news", got


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
    # Batched embeddings differ from one-by-one ones only by float rounding.
    for got, one in zip(classify_many(items), [classify(*it) for it in items], strict=True):
        assert got.category == one.category
        assert got.confidence == pytest.approx(one.confidence, abs=1e-5)
        assert got.scores == pytest.approx(one.scores, abs=1e-5)
    assert classify_many([]) == []


def test_lexicon_matching_rules() -> None:
    # longest prefix wins; exact-only entries do not match longer words
    assert lexicon_hit("футболист") is not None
    assert words("Ёлка ЁЖ", 100) == ["елка", "еж"]
    court = lexicon_hit("суда")
    fate = lexicon_hit("судьба")
    assert court is not None and court[CATEGORIES.index("society")] > 0
    assert fate is None


def _reload(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cat, "_loaded", False)
    monkeypatch.setattr(cat, "_model", None)
    monkeypatch.setattr(cat, "_emb_loaded", False)
    monkeypatch.setattr(cat, "_emb_model", None)


def test_falls_back_to_lexicon_without_weights(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(cat, "WEIGHTS_PATH", tmp_path / "missing.json")
    _reload(monkeypatch)
    assert cat.method() == "lexicon"
    assert not cat.uses_embedding()
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


def test_shipped_model_fuses_the_embedding() -> None:
    assert cat.method() == "lexicon+lr+use"
    assert cat.uses_embedding()
    model = em.EmbeddingModel.load(em.EMBED_PATH)
    assert 0.0 < model.alpha < 1.0
    head = em.EMBED_PATH.read_text(encoding="utf-8")[:100]
    assert head.startswith('{"format":"svodka-category-emb-1"')
    assert em.EMBED_PATH.stat().st_size < 200_000


def _lexical_scores(title: str, text: str) -> list[float]:
    model = cat._get_model()
    assert model is not None
    return model.scores(featurize(title, text)[0])


def test_fused_scores_are_the_geometric_mix_of_both_models() -> None:
    title, text = "Учёные обнаружили новую экзопланету", "Астрономы заметили планету с помощью телескопа."
    vec = cat.article_embeddings([(title, text)])
    assert vec is not None and vec.shape == (1, 512)
    model = em.EmbeddingModel.load(em.EMBED_PATH)
    lex = np.asarray(_lexical_scores(title, text))
    emb = model.probs(vec[0])
    want = lex**model.alpha * emb ** (1 - model.alpha)
    want /= want.sum()
    res = classify(title, text, "ru")
    assert [res.scores[c] for c in CATEGORIES] == pytest.approx(list(want), abs=1e-5)
    # the same vector passed in gives the same answer as the one computed inside
    given = classify(title, text, "ru", embedding=vec[0])
    assert given.scores == pytest.approx(res.scores, abs=1e-6)
    assert given.category == res.category == "science"


def test_the_embedding_given_is_the_one_used() -> None:
    # An economy article's words with a sports article's vector: the fused scores move toward sports.
    title, text = "Central bank raises interest rates", "Inflation and stocks."
    sports_vec = cat.article_embeddings([("Liverpool beat Chelsea 3-0", "The striker scored twice.")])
    assert sports_vec is not None
    own = classify(title, text, "en")
    moved = classify(title, text, "en", embedding=sports_vec[0])
    assert moved.scores["sports"] > 5 * own.scores["sports"]
    assert moved.scores["economy"] < own.scores["economy"]


def test_zero_embedding_leaves_the_lexical_model_alone() -> None:
    title, text = "Central bank raises interest rates", "Inflation and stocks."
    res = classify(title, text, "en", embedding=np.zeros(512, dtype=np.float32))
    assert [res.scores[c] for c in CATEGORIES] == pytest.approx(_lexical_scores(title, text))


def test_without_embedding_weights_the_lexical_model_decides(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(cat, "EMBED_PATH", tmp_path / "missing.json")
    _reload(monkeypatch)
    assert cat.method() == "lexicon+lr"
    title, text = "Учёные обнаружили новую экзопланету", "Астрономы заметили планету."
    res = classify(title, text, "ru")
    assert [res.scores[c] for c in CATEGORIES] == pytest.approx(_lexical_scores(title, text))


def test_embedding_of_the_wrong_shape_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="shape"):
        classify("Title", "text", "en", embedding=np.zeros(300, dtype=np.float32))
    with pytest.raises(ValueError, match="shape"):
        classify_many([("a", "b", "en"), ("c", "d", "en")], embeddings=np.zeros((1, 512), dtype=np.float32))


def test_classify_many_with_given_embeddings_matches_classify() -> None:
    items = [(t, x, lang) for _, lang, t, x in OBVIOUS[:4]]
    vecs = cat.article_embeddings([(t, x) for t, x, _ in items])
    assert vecs is not None
    batch = classify_many(items, embeddings=vecs)
    for it, vec, got in zip(items, vecs, batch, strict=True):
        one = classify(*it, embedding=vec)
        assert got.category == one.category
        assert got.scores == pytest.approx(one.scores, abs=1e-6)


def test_embedding_model_round_trip_and_format(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    model = em.EmbeddingModel(
        rng.normal(size=(512, 8)).astype(np.float32), rng.normal(size=8).astype(np.float32), 0.4
    )
    path = tmp_path / "e.json"
    model.save(path)
    again = em.EmbeddingModel.load(path)
    assert again.alpha == 0.4
    x = rng.normal(size=(3, 512)).astype(np.float32)
    assert again.probs(x) == pytest.approx(model.probs(x), abs=1e-4)
    path.write_text('{"format": "svodka-category-lr-1", "dim": 512}', encoding="utf-8")
    with pytest.raises(ValueError):
        em.EmbeddingModel.load(path)


def test_embedding_lr_learns_and_alpha_prefers_the_better_model() -> None:
    rng = np.random.default_rng(1)
    centres = rng.normal(size=(8, 512))
    y = np.repeat(np.arange(8), 20)
    x = centres[y] + 0.8 * rng.normal(size=(len(y), 512))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    w, b = em.fit(x, y)
    model = em.EmbeddingModel(w, b, 0.5)
    assert (model.probs(x).argmax(axis=1) == y).mean() == 1.0
    useless = np.full((len(y), 8), 1 / 8) + 0.01 * rng.random((len(y), 8))
    useless /= useless.sum(axis=1, keepdims=True)
    assert em.choose_alpha(useless, model.probs(x), y) == min(em.ALPHAS)
    assert em.choose_alpha(model.probs(x), useless, y) == max(em.ALPHAS)
    fused = em.fuse(useless, model.probs(x), 0.3)
    assert fused.sum(axis=1) == pytest.approx(np.ones(len(y)))


def test_understand_embeds_once_and_accepts_a_given_vector() -> None:
    title, text = "«Спартак» обыграл «Зенит» в матче РПЛ", "Московский клуб забил два гола во втором тайме."
    u = understand(title, text)
    assert isinstance(u, Understanding)
    assert u.embedding is not None and u.embedding.shape == (512,) and u.embedding.dtype == np.float32
    assert float(np.linalg.norm(u.embedding)) == pytest.approx(1.0, abs=1e-3)
    assert u.category == "sports"
    again = understand(title, text, embedding=u.embedding)
    assert again.category_scores == pytest.approx(u.category_scores, abs=1e-6)
    empty = understand("", "")
    assert empty.category == "not_news"
    assert empty.embedding is not None and not empty.embedding.any()


def test_understand_many_matches_understand() -> None:
    items = [(t, x) for _, _, t, x in OBVIOUS[:6]] + [
        ("", ""),
        ("<b>Tag</b> soup", "<p>Parliament voted.</p>"),
    ]
    hints = [lang for _, lang, _, _ in OBVIOUS[:6]] + [None, "en"]
    many = understand_many(items, hints)
    assert len(many) == len(items)
    for (t, x), h, got in zip(items, hints, many, strict=True):
        one = understand(t, x, lang_hint=h)
        assert got.category == one.category
        assert got.lang.code == one.lang.code
        assert got.category_scores == pytest.approx(one.category_scores, abs=1e-5)
        assert got.embedding is not None and one.embedding is not None
        assert np.allclose(got.embedding, one.embedding, atol=1e-5)
    assert [u.category for u in many[:6]] == [e for e, _, _, _ in OBVIOUS[:6]]
    assert understand_many([]) == []
    with pytest.raises(ValueError, match="hints"):
        understand_many(items, ["ru"])


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
    # 3-fold (not 5) and a fixed fusion weight (the benchmark chooses it by nested CV) to keep the
    # test quick; figures are a little lower than the benchmark's. The fused model must beat the
    # lexical model alone on the same folds.
    gold = tr.gold_docs()
    assert len(gold) == 442
    extra_docs = tr.training_docs(gold)
    samples = tr.samples(gold)
    gold_emb = tr.embed_docs(gold)
    extra_emb = tr.embed_docs(extra_docs)
    ok = {(m, lang): 0 for m in ("lex", "fused") for lang in ("ru", "en")}
    n = {"ru": 0, "en": 0}
    for train_idx, test_idx in tr.stratified_folds(gold, 3):
        lex_model, emb_model = tr.fit_combined(
            [gold[i] for i in train_idx], extra_docs, gold_emb[train_idx], extra_emb, epochs=8, alpha=0.5
        )
        lex_p = np.asarray([lex_model.scores(samples[i][0]) for i in test_idx])
        fused = emb_model.fuse(lex_p, emb_model.probs(gold_emb[test_idx]))
        for j, i in enumerate(test_idx):
            lang = gold[i].lang
            n[lang] += 1
            ok["lex", lang] += CATEGORIES[int(lex_p[j].argmax())] == gold[i].label
            ok["fused", lang] += CATEGORIES[int(fused[j].argmax())] == gold[i].label
    assert ok["lex", "ru"] / n["ru"] >= 0.78, ok
    assert ok["lex", "en"] / n["en"] >= 0.74, ok
    assert ok["fused", "ru"] / n["ru"] >= 0.86, ok
    assert ok["fused", "en"] / n["en"] >= 0.80, ok
    assert ok["fused", "ru"] > ok["lex", "ru"] and ok["fused", "en"] > ok["lex", "en"], ok


def test_ukrainian_and_belarusian_letters_fold_to_the_russian_stems() -> None:
    from svodka.understand._category.features import lexicon_hit, word_key, words

    for uk, ru in (("університет", "университет"), ("бактерії", "бактерии"), ("ўніверсітэт", "университэт")):
        assert word_key(uk, True) == word_key(ru, True) and word_key(uk, False) == word_key(ru, False)
    assert words("Ёлка і університет", 50) == ["елка", "і", "університет"]  # words themselves unfolded
    # the lexicon is matched unfolded: the Ukrainian cue "цін*" (prices) does not catch Russian "цинк"
    assert lexicon_hit("цінами") is not None and lexicon_hit("цинк") is None


@pytest.mark.parametrize(
    ("lang", "title", "text", "why"),
    [
        ("ru", "Скидки до 70% на смартфоны — только до воскресенья!", "", "advert"),
        ("en", "Spring Sale: Save up to 40% on all mattresses", "", "advert"),
        ("ru", "Как записаться к врачу через Госуслуги: пошаговая инструкция", "1. Войдите в кабинет.", "how-to"),
        ("en", "How to change your Gmail password: a step-by-step guide", "1. Open settings.", "how-to"),
        ("ru", "Ярославль", "Ярославль — город в России, центр Ярославской области.", "encyclopedia"),
        ("uk", "Чернігів", "Чернігів — місто на півночі України.", "encyclopedia"),
        ("en", "Lake Baikal", "Lake Baikal is a rift lake in southern Siberia.", "encyclopedia"),
        ("de", "Bodensee", "Der Bodensee ist ein See im Alpenvorland.", "encyclopedia"),
    ],
)  # fmt: skip
def test_adverts_how_tos_and_encyclopedia_entries_are_not_news(lang: str, title: str, text: str, why: str) -> None:
    assert cat.not_news_rule(title, text) == why
    assert classify(title, text, lang).category == "not_news"


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Sale of 40% stake in Twitter approved", "Regulators approved the deal."),
        ("Минфин снизил ставку до 7%", "Решение вступит в силу с понедельника."),
        ("Путин", "Путин провёл совещание с членами правительства."),
        ("Зеленский", "Зеленский — о переговорах: «Мы готовы»."),
    ],
)
def test_news_that_looks_like_those_is_not_caught(title: str, text: str) -> None:
    assert cat.not_news_rule(title, text) is None
