"""News category of an article: the seven Telegram Data Clustering Contest classes or ``not_news``.

Classes: society (politics and incidents included), economy, technology (cars and internet
services included), sports (e-sports included), entertainment (celebrities and video games
included), science (health and medicine included), other, not_news (recipes, ads, how-tos, top
lists and product round-ups, encyclopedic or historical explainers, horoscopes). Weather
forecasts are ``other``, as the contest's gold markup files them. That markup files horoscopes
under ``other`` too, but the contest's news task drops them and so does svodka: a headline that
announces a horoscope is ``not_news`` by rule (``_HOROSCOPE``), whatever the models say, and so
are an advert's discount headline, a how-to's "step-by-step guide" headline and an encyclopedia
entry (a bare name for a headline, a definition for a text): ``not_news_rule``.

Method (offline, two linear models, late fusion):

1. lexical: a multinomial logistic regression (pure Python) over hashed leading-six-letter word
   keys of the title and the first 1,000 characters of the text and per-category hits of a
   hand-written cue lexicon (ru, uk, be, en; ``_category/lexicon.py``); weights in
   ``_category/weights.json`` (about 1.2 MB, hashed weights only, no text);
2. embedding: a multinomial logistic regression (numpy) over the article's USE multilingual v3
   vector (``svodka.stories.embed``: title + first 300 characters, the same vector story clustering
   uses, so ``understand`` computes it once); weights in ``_category/embedding.json`` (35 kB);
3. fusion: ``p ∝ p_lex ** alpha · p_emb ** (1 - alpha)``, ``alpha`` chosen by cross-validation
   inside the training data.

Both were trained by ``python -m svodka.understand._category.train`` on the tgcontest gold files,
so a deployment needs nothing from ``../shared``. Without ``embedding.json`` (or the embedder) the
lexical model decides alone; without ``weights.json`` as well, the lexicon alone (lower accuracy
each step down, see benchmarks/eval_category.py).

Languages: the features do not depend on the language, so ``lang`` only tempers confidence:
ru/en are what the model was trained on; uk/be share most cues with ru through the lexicon and
the word keys; any other language gets its confidence halved (only names and international
words like "football" or "NASA" can match there). Outside ru/en, ``not_news`` is weighted down
(× 0.3 for uk/be, × 0.1 for others) before the pick: the models learnt it from ru/en text only,
and to them an unreadable text looks like no news.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ._category import embedding as _emb
from ._category.features import CATEGORIES, N_CLASSES, TEXT_CHARS, TITLE_CHARS
from ._category.model import LinearModel, featurize
from ._category.train import WEIGHTS_PATH

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "CATEGORIES",
    "CategoryResult",
    "article_embeddings",
    "classify",
    "classify_many",
    "method",
    "not_news_rule",
    "uses_embedding",
]

log = logging.getLogger(__name__)

TRAINED_LANGS = frozenset({"ru", "en"})
NEAR_LANGS = frozenset({"uk", "be"})  # no training data, but the ru lexicon and word keys carry over
_NEAR_FACTOR = 0.8
_FOREIGN_FACTOR = 0.5
# Weights of ``not_news`` outside ru/en (see ``_classify_one``); chosen on the simulator's uk
# articles (which hold no not_news) and a hand-written uk/be/pl/de/kk/ab review set (2026-12-03),
# keeping two of that set's three uk/be not_news items: BENCHMARKS.md has the figures.
_NEAR_NOT_NEWS = 0.3
_FOREIGN_NOT_NEWS = 0.1
_SURROGATES = re.compile("[\ud800-\udfff]")
_MAX_INPUT = 20_000  # characters looked at per field before tokenising (the features use far fewer)


@dataclass(frozen=True, slots=True)
class CategoryResult:
    category: str  # one of CATEGORIES
    confidence: float  # 0..1: the winning class's probability, tempered for untrained languages
    scores: Mapping[str, float] = field(default_factory=dict)  # probability per class, sums to 1


_lock = threading.Lock()
_model: LinearModel | None = None
_loaded = False
EMBED_PATH = _emb.EMBED_PATH
_emb_model: _emb.EmbeddingModel | None = None
_emb_loaded = False


def _get_model() -> LinearModel | None:
    global _model, _loaded
    if not _loaded:
        with _lock:
            if not _loaded:
                try:
                    _model = LinearModel.load(WEIGHTS_PATH)
                except (OSError, ValueError, KeyError, TypeError) as exc:
                    log.warning("category weights unusable (%s); using the lexicon alone", exc)
                    _model = None
                _loaded = True
    return _model


def _get_emb_model() -> _emb.EmbeddingModel | None:
    global _emb_model, _emb_loaded
    if not _emb_loaded:
        with _lock:
            if not _emb_loaded:
                try:
                    _emb_model = _emb.EmbeddingModel.load(EMBED_PATH)
                except (OSError, ValueError, KeyError, TypeError) as exc:
                    log.warning("category embedding weights unusable (%s); lexical model only", exc)
                    _emb_model = None
                _emb_loaded = True
    return _emb_model


def method() -> str:
    """``"lexicon+lr+use"`` (lexical and embedding models fused), ``"lexicon+lr"`` or ``"lexicon"``:
    what the weights that load allow."""
    if _get_model() is None:
        return "lexicon"
    return "lexicon+lr+use" if _get_emb_model() is not None else "lexicon+lr"


def uses_embedding() -> bool:
    """Whether ``classify`` would use an article embedding (so callers may pass one they have)."""
    return _get_model() is not None and _get_emb_model() is not None


def _lexicon_probs(lex: list[float]) -> list[float]:
    # Society is the most common class in news, so it gets a small head start on ties and empties.
    z = [math.log1p(v) * 2.0 for v in lex]
    z[0] += 0.3
    top = max(z)
    ex = [math.exp(s - top) for s in z]
    total = sum(ex)
    return [e / total for e in ex]


def _empty_result() -> CategoryResult:
    scores = dict.fromkeys(CATEGORIES, 0.0)
    scores["not_news"] = 1.0
    return CategoryResult("not_news", 0.0, scores)


def _clean(value: object) -> str:
    return value[:_MAX_INPUT] if isinstance(value, str) else ""


def _inputs(title: object, text: object) -> tuple[str, str]:
    return _clean(title)[: TITLE_CHARS * 2], _clean(text)[: TEXT_CHARS * 2]


def _no_surrogates(s: str) -> str:
    # Lone surrogates (broken UTF-16 from the web) cannot be encoded for the embedder's tokenizer.
    return _SURROGATES.sub("\ufffd", s)


def _embed(pairs: list[tuple[str, str]]) -> np.ndarray | None:
    try:
        from svodka.stories.embed import embed_articles

        return embed_articles([(_no_surrogates(t), _no_surrogates(x)) for t, x in pairs])
    except (ImportError, OSError, RuntimeError, ValueError) as exc:  # embedder unavailable: degrade
        log.warning("article embedder unavailable (%s); lexical category model only", exc)
        return None


def article_embeddings(pairs: Sequence[tuple[str, str]]) -> np.ndarray | None:
    """(n, 512) ``svodka.stories.embed.embed_articles`` vectors of ``(title, text)`` pairs in one
    batch, or ``None`` when the embedder cannot run here (it is logged; callers degrade)."""
    return _embed([(_clean(t), _clean(x)) for t, x in pairs])


def _check_embedding(embedding: object) -> np.ndarray:
    import numpy as np

    arr = np.asarray(embedding, dtype=np.float32)
    if arr.shape != (_emb.DIM,):
        raise ValueError(f"an article embedding must have shape ({_emb.DIM},), not {arr.shape}")
    return arr


# A headline that announces a horoscope (ru/uk/be/en). The headline only: an article *about*
# astrologers or a horoscope app is news and names them in its text.
_HOROSCOPE = re.compile(
    r"(?<!\w)(?:гороскоп|гараскоп)\w*(?:\s+(?:на|для|від|ад)\b|\s*[:.,—–]|\s+-|\s*$)"  # «Гороскоп на 14 мая»
    r"|^\W*(?:гороскоп|гараскоп)\w*\W*$|(?<!\w)астропрогноз|знак\w* зодиак"
    r"|(?<!\w)horoscopes?(?:\s+(?:for|today|this|of\s+the)\b|\s*[:.,—–]|\s+-|\s*$)"  # "Horoscope for May 11"
    r"|(?<!\w)(?:daily|weekly|monthly|your|today's|love|free)\s+horoscopes?\b|zodiac signs?\b"
    r"|astrolog\w* forecast",
    re.IGNORECASE,
)
_RULE_CONFIDENCE = 0.95
# An advert's headline: a discount in per cent ("Скидки до 70%", "Знижки до 50%", "Save up to 40%",
# "30% off"). News about a sale names a firm or a market, not a bare percentage after the word.
_AD = re.compile(
    r"(?:скидк|знижк|зніжк|распродаж|розпродаж)\w*\s+(?:до\s+)?[-–]?\d+\s?%"
    r"|(?:save|get)\s+up\s+to\s+\d+\s?%|up\s+to\s+\d+\s?%\s+off|\b\d+\s?%\s+off\b",
    re.IGNORECASE,
)
# A how-to's headline ("пошаговая инструкция", "a step-by-step guide", "krok po kroku").
_HOWTO = re.compile(
    r"пошагов\w*\s+инструкц|покроков\w*\s+інструкц|пакрокав\w*\s+інструкц|step[- ]by[- ]step\s+guide"
    r"|:\s+(?:a\s+)?step[- ]by[- ]step\b|\bкрок\s+за\s+кроком|\bkrok\s+po\s+kroku|\ble\s+guide\s+complet",
    re.IGNORECASE,
)
_LEADING_ARTICLE = re.compile(r"(?:(?:the|der|die|das|la|le|les|el|il)\s+)?", re.IGNORECASE)
# After the name an encyclopedia defines: "Ярославль — город…", "Lake Baikal is a rift lake…",
# "Der Bodensee ist ein See…", "X (born 1950) was a…".
_DEFINITION = re.compile(
    # not a news lead's "X — о переговорах" or "X — «…»"
    r"\s*(?:\([^)]{0,150}\)\s*)?(?:(?:[—–]|-\s)(?!\s*(?:о|об|обо|про|пра|about)\b)(?!\s*[«\"“„])"
    r"|,?\s+(?:is|was)\s+(?:a|an|the)\b"
    r"|\s+(?:ist|war)\s+(?:ein|eine|der|die|das)\b|\s+(?:est|était)\s+(?:un|une|le|la)\b|\s+jest\b)",
    re.IGNORECASE,
)


def _encyclopedic(title: str, text: str) -> bool:
    """An encyclopedia's entry: the headline is a bare name (at most four words, no digits) and
    the text opens with that name and a definition. None of the 442 tgcontest gold documents is
    one; a news text rarely repeats its headline and then defines it."""
    name = " ".join(title.split()).strip(" .")
    if not name or len(name.split()) > 4 or not name[0].isupper() or any(c.isdigit() for c in name):
        return False
    body = " ".join(text[:400].split())
    body = body[_LEADING_ARTICLE.match(body).end() :]  # type: ignore[union-attr]
    if not body.lower().startswith(name.lower()):
        return False
    return _DEFINITION.match(body, len(name)) is not None


def not_news_rule(title: str, text: str) -> str | None:
    """Why a headline (and the start of its text) is not news by rule: "horoscope", "advert",
    "how-to" or "encyclopedia"; None when no rule applies. The rules decide whatever the models
    say: the models learnt not_news from few examples and miss these kinds most (QA 2026-12-03)."""
    head = title[:300]
    if _HOROSCOPE.search(head):
        return "horoscope"
    if _AD.search(head):
        return "advert"
    if _HOWTO.search(head):
        return "how-to"
    if _encyclopedic(title, text):
        return "encyclopedia"
    return None


def _classify_one(
    model: LinearModel | None,
    emb_model: _emb.EmbeddingModel | None,
    title_s: str,
    text_s: str,
    lang: object,
    embedding: np.ndarray | None,
) -> CategoryResult:
    feats, lex = featurize(title_s, text_s)
    if len(feats) <= 1:  # only the lexicon-total feature, which is always there: no word at all
        return _empty_result()
    probs = model.scores(feats) if model is not None else _lexicon_probs(lex)
    # A zero vector is what the embedder gives an empty text: nothing to add then.
    if model is not None and emb_model is not None and embedding is not None and bool(embedding.any()):
        probs = [float(p) for p in emb_model.fuse(probs, emb_model.probs(embedding))]
    code = lang.lower().split("-")[0] if isinstance(lang, str) and lang else None
    if code is not None and code not in TRAINED_LANGS:
        # Both models learnt ``not_news`` from Russian and English only: to them a text they cannot
        # read looks like no news. Outside ru/en, ``not_news`` has to win by a wide margin.
        nn = CATEGORIES.index("not_news")
        probs[nn] *= _NEAR_NOT_NEWS if code in NEAR_LANGS else _FOREIGN_NOT_NEWS
        total = sum(probs)
        probs = [p / total for p in probs]
    best = max(range(N_CLASSES), key=probs.__getitem__)
    conf = probs[best]
    if not_news_rule(title_s, text_s) is not None:  # the rule decides: scores say so too
        best, conf = CATEGORIES.index("not_news"), max(conf, _RULE_CONFIDENCE)
        rest = sum(p for i, p in enumerate(probs) if i != best) or 1.0
        probs = [conf if i == best else (1.0 - conf) * p / rest for i, p in enumerate(probs)]
    if code is not None and code not in TRAINED_LANGS:
        conf *= _NEAR_FACTOR if code in NEAR_LANGS else _FOREIGN_FACTOR
    return CategoryResult(CATEGORIES[best], conf, dict(zip(CATEGORIES, probs, strict=True)))


def classify(
    title: str, text: str = "", lang: str | None = None, *, embedding: np.ndarray | None = None
) -> CategoryResult:
    """Category of one article from its title and (the start of) its text. Never raises on content.

    ``embedding``: the article's ``svodka.stories.embed.embed_articles`` vector, shape (512,), when
    the caller already has it; otherwise it is computed here if the embedding model is shipped (one
    article at a time is slow: batch callers use ``classify_many`` or pass their vectors). A vector
    of another shape raises ``ValueError`` (a programming error)."""
    model, emb_model = _get_model(), _get_emb_model()
    title_s, text_s = _inputs(title, text)
    if embedding is not None:
        embedding = _check_embedding(embedding)
    elif model is not None and emb_model is not None and (title_s.strip() or text_s.strip()):
        vecs = _embed([(title_s, text_s)])
        embedding = None if vecs is None else vecs[0]
    return _classify_one(model, emb_model, title_s, text_s, lang, embedding)


def classify_many(
    items: Iterable[tuple[str, str, str | None]], *, embeddings: np.ndarray | None = None
) -> list[CategoryResult]:
    """``classify`` over ``(title, text, lang)`` triples, loading the models once and embedding all
    the articles in one batch (much faster than one by one) unless ``embeddings`` (n, 512) is given."""
    model, emb_model = _get_model(), _get_emb_model()
    rows = [(*_inputs(t, x), lang) for t, x, lang in items]
    vecs: np.ndarray | None = None
    if embeddings is not None:
        import numpy as np

        vecs = np.asarray(embeddings, dtype=np.float32)
        if vecs.shape != (len(rows), _emb.DIM):
            raise ValueError(f"embeddings must have shape ({len(rows)}, {_emb.DIM}), not {vecs.shape}")
    elif rows and model is not None and emb_model is not None:
        vecs = _embed([(t, x) for t, x, _ in rows])
    return [
        _classify_one(model, emb_model, t, x, lang, None if vecs is None else vecs[i])
        for i, (t, x, lang) in enumerate(rows)
    ]
